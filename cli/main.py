"""The ``jcm`` command: one sub-command module per verb, each with ``add_parser`` and ``run``.

Exit status: 0 success, 2 bad input (message names file, field and rule; no traceback),
other codes as each sub-command documents (e.g. the optimizer's solver outcomes).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sim.errors import InputError

#: Sub-command modules inside ``cli``; each defines ``add_parser(subparsers)`` and ``run(args)``.
COMMANDS = [
    "simulate", "validate", "optimize", "frontier", "schema", "report", "sensitivity", "backtest",
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="jcm",
        description="Planning tool for Japan's JCM demonstration program.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``jcm`` command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
