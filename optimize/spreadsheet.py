"""Spreadsheet mode: build a :class:`~optimize.problem.PortfolioProblem` from two tables.

Candidates table (CSV or .xlsx), one row per candidate:

========================  ====================================================================
column                    meaning
========================  ====================================================================
``id``                    unique, non-empty (required)
``value``                 the number to maximise, e.g. expected t-CO2 (required)
``name``                  optional text
``country``               optional; used by ``--max-per-country``
``technology``            optional
``mandatory``             optional: true/false, 1/0, yes/no (empty = false)
``FY2026``, ``FY2027``…   cost in that fiscal year, 億円 (empty = 0); at least one column
========================  ====================================================================

Budgets table: columns ``fy`` (``2027`` or ``FY2027``) and ``budget_oku_yen`` (億円), one row
per fiscal year, consecutive years.

Each candidate gets one option: it starts in its first fiscal year with a positive cost (the
first cost column if it has none) and costs what the row says. Every problem is reported as
an :class:`~sim.errors.InputError` naming the file, the field (``row 4, column FY2027``; row
numbers as the spreadsheet shows them, header = row 1) and the rule.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from pathlib import Path

from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from sim.errors import InputError, Problem
from sim.limits import MAX_FY, MAX_SHEET_MONEY_OKU_YEN, MAX_SHEET_VALUE, MIN_FY, fmt_bound
from sim.tables import Table, normalise_number, read_table

__all__ = ["read_candidates", "read_budgets", "load_problem", "CANDIDATE_COLUMNS"]

#: Named (non fiscal-year) columns of the candidates table and whether each is required.
CANDIDATE_COLUMNS = {
    "id": True,
    "value": True,
    "name": False,
    "country": False,
    "technology": False,
    "mandatory": False,
}
BUDGET_COLUMNS = ("fy", "budget_oku_yen")
_FY = re.compile(r"^fy\s*(\d{4})$", re.IGNORECASE)
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}
#: Stop after this many problems in one file.
MAX_PROBLEMS = 25


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, field: str, rule: str) -> None:
        self.problems.append(Problem(self.file, field, rule))
        if len(self.problems) >= MAX_PROBLEMS:
            self.raise_if_any()

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _number(cell, errors: _Collector, where: str, *, allow_blank: bool, non_negative: bool,
            largest: float = MAX_SHEET_MONEY_OKU_YEN, unit: str = "cost_oku_yen"):
    """Parse one numeric cell; record a problem and return None when it is bad.

    Full-width digits, thousands separators and a unit fitting the column ("6億円") are
    read; a number beyond ``largest`` in magnitude is refused with the bound named.
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        if allow_blank:
            return 0.0
        errors.add(where, "a number is required here but the cell is empty")
        return None
    if isinstance(cell, bool) or isinstance(cell, _dt.date | _dt.time | _dt.timedelta):
        errors.add(where, f"expected a number, found {cell!r}")
        return None
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = normalise_number(str(cell), unit)
        try:
            value = float(text)
        except ValueError:
            errors.add(where, f"expected a number, found text {text!r}")
            return None
        if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            value = float("nan")
    if not math.isfinite(value):
        errors.add(where, "the number must be finite (NaN or infinity given)")
        return None
    if non_negative and value < 0:
        errors.add(where, f"must not be negative, found {value:g}")
        return None
    if abs(value) > largest:
        errors.add(where, f"must be at most {fmt_bound(largest)} in size, found {value:g}")
        return None
    return value


def _text(cell) -> str:
    """A cell as text; full-width letters and digits read as ASCII (NFKC)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFKC", str(cell)).strip()


def _parse_fy(cell, errors: _Collector, where: str) -> int | None:
    if isinstance(cell, bool):
        errors.add(where, f"expected a fiscal year such as 2027 or FY2027, found {cell!r}")
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = _text(cell)
    match = _FY.match(text)
    digits = match.group(1) if match else text
    if not re.fullmatch(r"\d{4}", digits):
        errors.add(where, f"expected a fiscal year such as 2027 or FY2027, found {text!r}")
        return None
    year = int(digits)
    if not MIN_FY <= year <= MAX_FY:
        errors.add(where, f"fiscal year {year} is out of range ({MIN_FY}-{MAX_FY})")
        return None
    return year


def _columns(table: Table, errors: _Collector) -> tuple[dict[str, int], dict[int, int]]:
    """Map named columns and fiscal-year columns to positions; check the header."""
    named: dict[str, int] = {}
    years: dict[int, int] = {}
    for pos, raw in enumerate(table.header):
        raw = _text(raw)
        where = f"column {pos + 1}" if not raw else f"column {raw}"
        if not raw:
            errors.add(where, "column has no name")
            continue
        key = raw.lower()
        match = _FY.match(raw)
        if match:
            year = int(match.group(1))
            if year in years:
                errors.add(where, f"column FY{year} appears twice")
            years[year] = pos
        elif key in CANDIDATE_COLUMNS:
            if key in named:
                errors.add(where, f"column {key} appears twice")
            named[key] = pos
        else:
            errors.add(
                where,
                f"unknown column {raw!r}; allowed: {', '.join(CANDIDATE_COLUMNS)}, and one "
                "cost column per fiscal year named like FY2027",
            )
    for key, required in CANDIDATE_COLUMNS.items():
        if required and key not in named:
            errors.add(f"column {key}", f"required column {key!r} is missing")
    if not years:
        errors.add("header", "no cost column: add one column per fiscal year named like FY2027")
    return named, dict(sorted(years.items()))


def read_candidates(path: str | Path, notes: list[str] | None = None,
                    ) -> tuple[list[Candidate], dict[str, dict[int, int]]]:
    """Read and check the candidates table; how it was read (encoding, separator) is added to
    ``notes`` when given.

    Returns
    -------
    candidates : list of Candidate
    cost_rows : dict
        ``{candidate id: {fiscal year: spreadsheet row}}`` for years with a positive cost,
        so a missing budget row can be reported at the right cell.
    """
    table = read_table(path)
    if notes is not None:
        notes.extend(table.notes)
    errors = _Collector(table.file)
    named, years = _columns(table, errors)
    errors.raise_if_any()
    if not table.rows:
        raise InputError.single(table.file, "", "the table has no candidate rows")
    candidates: list[Candidate] = []
    where_cost: dict[str, dict[int, int]] = {}
    first_row: dict[str, int] = {}
    for number, row in table.rows:
        cid = _text(row[named["id"]])
        if not cid:
            errors.add(f"row {number}, column id", "the id is empty")
        elif cid in first_row:
            errors.add(f"row {number}, column id",
                       f"duplicate id {cid!r} (first used in row {first_row[cid]})")
        value = _number(row[named["value"]], errors, f"row {number}, column value",
                        allow_blank=False, non_negative=False, largest=MAX_SHEET_VALUE,
                        unit="value")
        costs = {}
        for year, pos in years.items():
            cost = _number(row[pos], errors, f"row {number}, column FY{year}",
                           allow_blank=True, non_negative=True)
            if cost:
                costs[year] = cost
        mandatory = False
        if "mandatory" in named:
            flag = _text(row[named["mandatory"]]).lower()
            if flag in _TRUE:
                mandatory = True
            elif flag not in _FALSE:
                errors.add(f"row {number}, column mandatory",
                           f"expected true/false, 1/0 or yes/no, found {flag!r}")
        if not cid or cid in first_row or value is None:
            continue
        first_row[cid] = number
        start = min(costs) if costs else next(iter(years))
        option = Option(start_fy=start, cost_by_fy=costs, value_mean=value)
        extra = {k: _text(row[named[k]]) for k in ("name", "country", "technology") if k in named}
        candidates.append(Candidate(id=cid, options=(option,), mandatory=mandatory, **extra))
        where_cost[cid] = {year: number for year in costs}
    errors.raise_if_any()
    return candidates, where_cost


def read_budgets(path: str | Path, notes: list[str] | None = None) -> dict[int, float]:
    """Read and check the budgets table: ``{fiscal year: budget 億円}``, consecutive years;
    how it was read is added to ``notes`` when given."""
    table = read_table(path)
    if notes is not None:
        notes.extend(table.notes)
    errors = _Collector(table.file)
    pos: dict[str, int] = {}
    for i, raw in enumerate(table.header):
        raw = _text(raw)
        key = raw.lower()
        if key in BUDGET_COLUMNS:
            if key in pos:
                errors.add(f"column {raw}", f"column {key} appears twice")
            pos[key] = i
        else:
            errors.add(f"column {raw or i + 1}",
                       f"unknown column {raw!r}; the budgets table has exactly the columns "
                       "fy and budget_oku_yen")
    for key in BUDGET_COLUMNS:
        if key not in pos:
            errors.add(f"column {key}", f"required column {key!r} is missing")
    errors.raise_if_any()
    if not table.rows:
        raise InputError.single(table.file, "", "the table has no budget rows")
    budgets: dict[int, float] = {}
    seen: dict[int, int] = {}
    for number, row in table.rows:
        year = _parse_fy(row[pos["fy"]], errors, f"row {number}, column fy")
        amount = _number(row[pos["budget_oku_yen"]], errors,
                         f"row {number}, column budget_oku_yen",
                         allow_blank=False, non_negative=True)
        if year is None:
            continue
        if year in seen:
            errors.add(f"row {number}, column fy",
                       f"fiscal year FY{year} appears twice (first in row {seen[year]})")
            continue
        seen[year] = number
        if amount is not None:
            budgets[year] = amount
    errors.raise_if_any()
    years = sorted(budgets)
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if gaps:
        raise InputError.single(
            table.file, "column fy",
            "fiscal years must be consecutive; missing " + ", ".join(f"FY{y}" for y in gaps),
        )
    return dict(sorted(budgets.items()))


def load_problem(
    candidates_path: str | Path,
    budgets_path: str | Path,
    rules: Rules | None = None,
    carryover_share: float = 0.0,
    notes: list[str] | None = None,
) -> PortfolioProblem:
    """Read both tables, cross-check them, and build the problem; how each table was read
    (encoding, separator) is added to ``notes`` when given.

    Raises
    ------
    InputError
        For any problem in either table, including a cost in a fiscal year that has no
        budget row.
    """
    candidates, where_cost = read_candidates(candidates_path, notes)
    budgets = read_budgets(budgets_path, notes)
    errors = _Collector(str(candidates_path))
    for years in where_cost.values():
        for year, number in sorted(years.items()):
            if year not in budgets:
                errors.add(f"row {number}, column FY{year}",
                           f"a cost in FY{year}, a year with no row in {budgets_path}")
    errors.raise_if_any()
    return PortfolioProblem(
        candidates=tuple(candidates),
        budget_by_fy=budgets,
        carryover_share=carryover_share,
        rules=rules or Rules(),
    )
