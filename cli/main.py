"""The ``jcm`` command: one sub-command module per verb, each with ``add_parser`` and ``run``;
a run imports only the module of its verb.

Exit status: 0 success, 2 bad input (message names file, field and rule; no traceback),
other codes as each sub-command documents (e.g. the optimizer's solver outcomes).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Collection, Sequence

from cli.commands import HELP_LINES
from sim.errors import InputError

#: Sub-command modules inside ``cli``; each defines ``add_parser(subparsers)`` and ``run(args)``.
COMMANDS = list(HELP_LINES)


def build_parser(full: Collection[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    """Build the argument parser: the sub-commands named in ``full`` with all their options
    (their modules imported), every other one by its name and line of help only
    (:data:`cli.commands.HELP_LINES`), which is all ``jcm --help`` and the error for an
    unknown command show."""
    parser = argparse.ArgumentParser(
        prog="jcm",
        description="Planning tool for Japan's JCM demonstration program.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        if name in full:
            importlib.import_module(f"cli.{name}").add_parser(sub)
        else:
            sub.add_parser(name, help=HELP_LINES[name], add_help=False)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command an argument list asks for: its first argument that is not an option
    (``jcm`` itself has none but ``--help``), when that names a command."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in HELP_LINES else None


def main(argv: list[str] | None = None) -> int:
    """Run the ``jcm`` command line; returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    # only the module of the command given is imported: the others' imports (Pyomo for
    # optimize, the simulation for simulate) would slow every command down
    command = command_of(argv)
    parser = build_parser((command,) if command else ())
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
