"""Scenario dictionary ⇄ editable tables (budget by fiscal year, candidates).

The tables show what a planner types: numbers or distribution texts such as
``triangular(6, 11.5, 13)``. Cells the project does not set itself show its kind's default.
Edits come back as Streamlit's editor state (``{"edited_rows": {row: {column: value}}}``)
and are written into the scenario dictionary exactly as typed: nothing is lost, and an
invalid entry is kept so its message can be shown next to it.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from typing import Any

import pandas as pd

from sim.distributions import parse_distribution
from sim.scenario import Project
from sim.tables import normalise_number

WHAT_IF_SOURCE = "what-if: set in the app"
BUDGET_COLUMNS = ("fy", "value", "mean", "source")
#: Candidate table columns: (column, project field, kind of cell).
CANDIDATE_COLUMNS = (
    ("include", None, "bool"),
    ("id", "id", "fixed"),
    ("name", "name", "text"),
    ("kind", "kind", "fixed"),
    ("country", "country", "text"),
    ("earliest_start_fy", "earliest_start_fy", "int"),
    ("latest_start_fy", "latest_start_fy", "int"),
    ("design_cost_oku_yen", "design_cost_oku_yen", "value"),
    ("main_cost_oku_yen", "main_cost_oku_yen", "value"),
    ("expected_t_per_yr", "expected_t_per_yr", "value"),
    ("market_size", "market_size", "value"),
    ("replication_t_per_yr", "replication_t_per_yr", "value"),
    ("methodology_needed", "methodology_needed", "bool"),
    ("mandatory", "mandatory", "bool"),
    ("forbidden", "forbidden", "bool"),
)


def plain(value: Any) -> Any:
    """The value of a ``{value, source}`` entry, or the entry itself."""
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def typed(text: Any, column: str = "") -> Any:
    """A typed cell as the scenario file would hold it: int, float, or the text itself. A
    number typed with full-width digits, thousands separators or the column's unit
    (``６．５``, ``6.5億円`` in a ``*_oku_yen`` column) is read as the number
    (:func:`sim.tables.normalise_number`, as uploaded tables are read)."""
    if text is None:
        return None
    if isinstance(text, bool | int | float):
        return text
    s = str(text).strip()
    if not s:
        return None
    number = normalise_number(s, column)  # also drops thousands separators: 1,200 -> 1200
    for cast in (int, float):
        try:
            return cast(number)
        except ValueError:
            pass
    return s  # not a number: the text as typed, for the field's own rule to judge


def mean_of(value: Any) -> float | None:
    """Mean of a number or distribution text; None when it cannot be read."""
    value = plain(value)
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(parse_distribution(value).mean)
    except Exception:  # noqa: BLE001 - any unreadable entry has no mean
        return None


def _fy_key(key: Any) -> int | None:
    text = str(key).strip().upper().removeprefix("FY")
    return int(text) if text.isdigit() and len(text) == 4 else None


def _program(raw: dict) -> tuple[int, int, int]:
    prog = raw.get("program") if isinstance(raw.get("program"), dict) else {}

    def get(name: str, default: int) -> int:
        v = plain(prog.get(name, default))
        return v if isinstance(v, int) and not isinstance(v, bool) else default

    return get("first_fy", 2018), get("last_fy", 2027), get("as_of_fy", 2026)


def program_years(raw: dict) -> tuple[int, int, int]:
    """(first_fy, last_fy, as_of_fy) of a scenario dictionary (defaults when unreadable)."""
    return _program(raw)


# ------------------------------------------------------------------------------------------
# budget
# ------------------------------------------------------------------------------------------
def budget_keys(raw: dict) -> dict[int, str]:
    """Fiscal year → the key the budget table uses for it."""
    budget = raw.get("budget") if isinstance(raw.get("budget"), dict) else {}
    out = {}
    for key in budget:
        fy = _fy_key(key)
        if fy is not None:
            out[fy] = key
    return out


def budget_entry(raw: dict, fy: int) -> Any:
    """A fiscal year's budget entry as written (number, text or ``{value, source}``)."""
    budget = raw.get("budget") if isinstance(raw.get("budget"), dict) else {}
    return budget.get(budget_keys(raw).get(fy, f"FY{fy}"))


def budget_years(raw: dict) -> list[int]:
    first, last, as_of = _program(raw)
    keys = budget_keys(raw)
    hi = max([last, *keys]) if keys else last
    lo = min([as_of, *keys]) if keys else first
    return list(range(lo, hi + 1))


def budget_frame(raw: dict) -> pd.DataFrame:
    """One row per fiscal year: FY, value as written, its mean, and its source."""
    budget = raw.get("budget") if isinstance(raw.get("budget"), dict) else {}
    keys = budget_keys(raw)
    rows = []
    for fy in budget_years(raw):
        entry = budget.get(keys.get(fy, f"FY{fy}"))
        value = plain(entry)
        source = entry.get("source") if isinstance(entry, dict) else None
        rows.append({
            "fy": f"FY{fy}",
            "value": None if value is None else _text(value),
            "mean": mean_of(value) if value is not None else None,
            "source": source,
        })
    return pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))


#: A year's budget this many times the largest of the years already past is flagged: most
#: likely typed in another unit (百万円 or 円 for 億円).
LARGE_BUDGET_FACTOR = 10.0


def large_budgets(raw: dict) -> dict[int, tuple[float, int, float]]:
    """Fiscal years from ``as_of_fy`` on whose budget (its mean) is more than
    :data:`LARGE_BUDGET_FACTOR` times the largest budget of the years up to ``as_of_fy``
    (the years whose budgets are known), the year itself left out: fy → (mean [億円], the
    year of that largest budget, its amount [億円]). Nothing when no such year has a budget."""
    frame = budget_frame(raw)
    _, _, as_of = program_years(raw)
    means: dict[int, float] = {}
    for fy_text, mean in zip(frame["fy"], frame["mean"], strict=True):
        if mean is not None and mean == mean and math.isfinite(mean):
            means[int(str(fy_text).removeprefix("FY"))] = float(mean)
    out = {}
    for fy, mean in means.items():
        known = [(m, y) for y, m in means.items() if y <= as_of and y != fy]
        if fy < as_of or not known or max(known)[0] <= 0:
            continue
        top, top_fy = max(known)
        if mean > LARGE_BUDGET_FACTOR * top:
            out[fy] = (mean, top_fy, top)
    return out


def plain_number(x: int | float, separators: bool = True) -> str:
    """A number as a planner writes it: plain notation (1,000,000,000, never ``1e+09``),
    with thousands separators unless ``separators`` is False, and no trailing ``.0``.
    Beyond 1e21 and below 1e-6 in size (where plain notation runs to dozens of digits, as
    in JavaScript), and for nan and inf, Python's own notation."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}" if separators else str(x)
    if not math.isfinite(x) or (x != 0 and not 1e-6 <= abs(x) < 1e21):
        return repr(x)
    if x.is_integer():
        return f"{x:,.0f}" if separators else f"{x:.0f}"
    return format(Decimal(repr(x)), ",f" if separators else "f")


def _text(value: Any) -> str:
    """A cell as the tables show it: numbers by :func:`plain_number`, anything else as is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain_number(value)
    return str(value)


def set_budget(raw: dict, fy: int, value: Any = ..., source: Any = ...) -> None:
    """Set a fiscal year's budget value and/or source (``...`` leaves it as it is).

    An empty value removes the year's budget.
    """
    budget = raw.setdefault("budget", {})
    if not isinstance(budget, dict):
        budget = raw["budget"] = {}
    key = budget_keys(raw).get(fy, f"FY{fy}")
    entry = budget.get(key)
    old_value = plain(entry)
    old_source = entry.get("source") if isinstance(entry, dict) else None
    new_value = old_value if value is ... else typed(value, "budget_oku_yen")
    new_source = old_source if source is ... else (str(source).strip() if source else None)
    if new_value is None:
        budget.pop(key, None)
    elif new_source:
        budget[key] = {"value": new_value, "source": new_source}
    else:
        budget[key] = new_value


def apply_budget_edits(raw: dict, frame: pd.DataFrame, edits: dict) -> bool:
    """Write the budget editor's edits into ``raw``; True when anything changed."""
    changed = False
    for row, cells in (edits or {}).get("edited_rows", {}).items():
        i = int(row)
        if not 0 <= i < len(frame):
            continue
        fy = _fy_key(frame.iloc[i]["fy"])
        if fy is None:
            continue
        if "value" in cells:
            # a new value no longer has the old value's citation (unless one is typed)
            source = cells.get("source", WHAT_IF_SOURCE)
            set_budget(raw, fy, value=cells["value"], source=source)
            changed = True
        elif "source" in cells:
            set_budget(raw, fy, source=cells["source"])
            changed = True
    return changed


# ------------------------------------------------------------------------------------------
# candidates
# ------------------------------------------------------------------------------------------
def _effective(raw: dict, project: dict, field: str) -> Any:
    """A project's field: its own value, else its kind's default, else the model default."""
    if field in project:
        return plain(project[field])
    defaults = raw.get("defaults") if isinstance(raw.get("defaults"), dict) else {}
    kind_defaults = defaults.get(project.get("kind"), {})
    if isinstance(kind_defaults, dict) and field in kind_defaults:
        return plain(kind_defaults[field])
    info = Project.model_fields.get(field)
    if info is None or info.is_required():
        return None
    return info.default


def candidate_ids(raw: dict) -> list[str]:
    projects = raw.get("projects") if isinstance(raw.get("projects"), dict) else {}
    return [pid for pid, p in projects.items()
            if isinstance(p, dict) and plain(p.get("status")) == "candidate"]


def started_ids(raw: dict) -> list[str]:
    projects = raw.get("projects") if isinstance(raw.get("projects"), dict) else {}
    return [pid for pid, p in projects.items()
            if isinstance(p, dict) and plain(p.get("status")) != "candidate"]


def excluded(raw: dict) -> list[str]:
    value = raw.get("exclude_projects", [])
    return list(value) if isinstance(value, list) else []


def candidate_frame(raw: dict, ids: list[str] | None = None) -> pd.DataFrame:
    """One row per candidate with the editable fields (effective values)."""
    projects = raw.get("projects") if isinstance(raw.get("projects"), dict) else {}
    ids = candidate_ids(raw) if ids is None else ids
    dropped = set(excluded(raw))
    rows = []
    for pid in ids:
        p = projects[pid]
        row: dict[str, Any] = {}
        for col, field, cell in CANDIDATE_COLUMNS:
            if col == "include":
                row[col] = pid not in dropped
            elif col == "id":
                row[col] = pid
            else:
                v = _effective(raw, p, field)
                if cell == "bool":
                    row[col] = bool(v) if isinstance(v, bool) else False
                elif cell == "int":
                    if v is None and field == "latest_start_fy":
                        v = _program(raw)[1]  # the default: the program's last year
                    row[col] = v if isinstance(v, int) and not isinstance(v, bool) else None
                else:
                    row[col] = None if v is None else _text(v)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c[0] for c in CANDIDATE_COLUMNS])
    for col, _, cell in CANDIDATE_COLUMNS:
        if cell == "int":
            frame[col] = frame[col].astype("Int64")
        elif cell == "bool":
            frame[col] = frame[col].astype(bool)
        else:
            frame[col] = frame[col].astype(object)
    return frame


def set_include(raw: dict, pid: str, include: bool) -> None:
    drop = [x for x in excluded(raw) if x != pid]
    if not include:
        drop.append(pid)
    if drop:
        raw["exclude_projects"] = drop
    else:
        raw.pop("exclude_projects", None)


def set_field(raw: dict, pid: str, field: str, value: Any) -> None:
    """Set a project's own field (None or empty text: fall back to the kind's default)."""
    project = raw["projects"][pid]
    if isinstance(value, str) or value is None:
        value = typed(value, field)
    if hasattr(value, "item"):  # numpy / pandas scalars
        value = value.item()
    old = project.get(field)
    if value is None:
        project.pop(field, None)
    elif isinstance(old, dict) and "value" in old:
        project[field] = {**old, "value": value}
    else:
        project[field] = value


def apply_candidate_edits(raw: dict, frame: pd.DataFrame, edits: dict) -> bool:
    """Write the candidate editor's edits into ``raw``; True when anything changed."""
    changed = False
    fields = {col: (field, cell) for col, field, cell in CANDIDATE_COLUMNS}
    for row, cells in (edits or {}).get("edited_rows", {}).items():
        i = int(row)
        if not 0 <= i < len(frame):
            continue
        pid = frame.iloc[i]["id"]
        if pid not in raw.get("projects", {}):
            continue
        for col, value in cells.items():
            if col not in fields:
                continue
            field, cell = fields[col]
            if cell == "fixed":
                continue
            if col == "include":
                set_include(raw, pid, bool(value))
            elif cell == "bool":
                set_field(raw, pid, field, bool(value))
            elif cell == "int":
                set_field(raw, pid, field, _int_cell(value))
            else:
                set_field(raw, pid, field, value)
            changed = True
    return changed


def _int_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return typed(value)
    return int(f) if f.is_integer() else f


def with_plan(raw: dict, selected: list[tuple[str, int]]) -> dict:
    """A copy of ``raw`` funding only the ``selected`` candidates, each fixed to its start
    year (the dictionary form of :func:`sim.plan.with_plan`, so it stays editable)."""
    return with_windows(raw, {pid: (int(fy), int(fy)) for pid, fy in selected})


def with_windows(raw: dict, windows: dict[str, tuple[int, int]]) -> dict:
    """A copy of ``raw`` funding only the candidates in ``windows``, each between its
    earliest and latest start year (a plan from :mod:`optimize.policies`)."""
    out = copy.deepcopy(raw)
    for pid in candidate_ids(out):
        if pid in windows:
            lo, hi = windows[pid]
            set_field(out, pid, "earliest_start_fy", int(lo))
            set_field(out, pid, "latest_start_fy", int(hi))
            set_include(out, pid, True)
        else:
            set_include(out, pid, False)
    return out
