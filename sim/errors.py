"""The one error type for bad input: it names the file, the field path and the rule broken.

Every loader (scenario TOML, candidate CSV/Excel, spreadsheet-mode tables) raises
:class:`InputError` holding one or more :class:`Problem` records, so the CLI can print them
and exit with status 2 and the app can show them next to the field, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Attributes
    ----------
    file : str
        The file the value came from (as the user named it), or ``"<input>"``.
    field : str
        Dotted path of the offending field, e.g. ``projects.vn-hospital.cost_oku_yen`` or
        ``row 4, column FY2027``; empty when the whole file is at fault.
    rule : str
        The rule that was broken, in words a planner understands.
    """

    file: str
    field: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.rule}"


class InputError(ValueError):
    """Raised when an input file breaks one or more rules; holds every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, field: str, rule: str) -> InputError:
        """Build an error holding one problem."""
        return cls([Problem(str(file), field, rule)])
