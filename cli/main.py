"""The ``jcm`` command: one sub-command module per verb, each with ``add_parser`` and ``run``;
a run imports only the module of its verb.

Exit status: 0 success, 2 bad input (message names file, field and rule; no traceback),
other codes as each sub-command documents (e.g. the optimizer's solver outcomes).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import importlib.metadata
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
    parser.add_argument("--version", action="version", version=f"jcm {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        if name in full:
            importlib.import_module(f"cli.{name}").add_parser(sub)
        else:
            sub.add_parser(name, help=HELP_LINES[name], add_help=False)
    return parser


def _version() -> str:
    try:
        return importlib.metadata.version("jcm-planner")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout not installed
        return "(not installed)"


def _misplaced(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Stop with a hint when no command was recognised: a misspelled command (did you mean
    …?) or options written before the command (they go after it)."""
    first = _first_word(argv)
    later = next((a for a in argv if a in HELP_LINES), None)
    if later is not None and argv and argv[0].startswith("-"):
        parser.error(f"options go after the command: jcm {later} {argv[0]} …")
    if first is not None:
        close = difflib.get_close_matches(first, list(HELP_LINES), n=1)
        if close:
            parser.error(f"unknown command '{first}'; did you mean '{close[0]}'?")


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command an argument list asks for: its first argument that is not an option
    (``jcm`` itself has none but ``--help``), when that names a command."""
    first = _first_word(argv)
    return first if first in HELP_LINES else None


def _first_word(argv: Sequence[str]) -> str | None:
    """The first argument that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


def _tolerant_output() -> None:
    """Print a character the output's encoding lacks (≥, –, 億 into a CP932 or Latin-1 file,
    as on Windows when the output is redirected) as ``?`` instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf8sig"):
            reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    """Run the ``jcm`` command line; returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    _tolerant_output()
    # only the module of the command given is imported: the others' imports (Pyomo for
    # optimize, the simulation for simulate) would slow every command down
    command = command_of(argv)
    parser = build_parser((command,) if command else ())
    if command is None and not any(a in ("-h", "--help", "--version") for a in argv):
        _misplaced(parser, argv)
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
