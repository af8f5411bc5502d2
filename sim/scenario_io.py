"""Scenario documents as plain dictionaries: resolve, edit, diff and write back as TOML.

The app edits a scenario as a dictionary (the file's own shape, ``{value, source}`` tables
kept), validates it with :func:`sim.loader.scenario_from_dict`, and lets the planner download
it as TOML. A dictionary from :func:`resolve_scenario_dict` stands alone: ``extends`` is
resolved and candidate tables are inlined as ``[projects.<id>]`` entries.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import tomli_w

from sim.country_names import scenario_country
from sim.errors import InputError
from sim.loader import _resolve, read_table


def _typed(cell: str) -> Any:
    """A table cell as TOML would hold it: bool, int, float, or the text itself."""
    low = cell.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(cell)
        except ValueError:
            pass
    return cell


def resolve_scenario_dict(path: str | Path) -> dict[str, Any]:
    """The scenario at ``path`` as one self-contained dictionary.

    Raises
    ------
    InputError
        When the file, a base it extends, or a candidate table cannot be read.
    """
    path = Path(path)
    raw = _resolve(path, str(path), [], {})
    projects = dict(raw.get("projects") or {})
    for fname in raw.pop("candidates_files", []):
        for i, row in enumerate(read_table(Path(fname), fname), start=2):
            pid = row.get("id")
            if not pid:
                raise InputError.single(fname, f"row {i}, column id", "every row needs an id")
            if pid in projects:
                raise InputError.single(fname, f"row {i}, column id",
                                        f"duplicate project id '{pid}'")
            projects[pid] = {k: _typed(v) for k, v in row.items() if k != "id"}
    for pid in raw.pop("exclude_projects", []):
        projects.pop(pid, None)
    countries = list(raw["countries"]) if isinstance(raw.get("countries"), dict) else []
    for pid, fields in projects.items():
        projects[pid] = _own_country(fields, countries)
    raw["projects"] = projects
    return raw


def _own_country(fields: Any, countries: list[str]) -> Any:
    """A project's fields with its country written as the scenario names it (a Japanese,
    full-width or other-case spelling, as :mod:`sim.loader` reads it: see
    :func:`sim.country_names.scenario_country`), so an edited copy shows and saves the
    scenario's own name; anything else unchanged."""
    if not isinstance(fields, dict) or not countries:
        return fields
    given = fields.get("country")
    inner = given.get("value") if isinstance(given, dict) else given
    if not isinstance(inner, str) or inner in countries:
        return fields
    own = scenario_country(inner, countries)
    if own is None:
        return fields
    return {**fields, "country": {**given, "value": own} if isinstance(given, dict) else own}


def to_toml(raw: dict[str, Any]) -> str:
    """Write a scenario dictionary as TOML text (loads back to the same dictionary)."""
    return tomli_w.dumps(_plain(raw))


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def diff(base: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
    """What ``edited`` changes relative to ``base``, as a dictionary to merge over ``base``.

    Removed projects are listed under ``exclude_projects``; other removed keys are not
    representable and are ignored.
    """
    out: dict[str, Any] = {}
    for key, val in edited.items():
        if key not in base:
            out[key] = copy.deepcopy(val)
        elif isinstance(val, dict) and isinstance(base[key], dict) and not (
            "value" in val or "dist" in val
        ):
            sub = diff(base[key], val)
            if sub:
                out[key] = sub
        elif val != base[key]:
            out[key] = copy.deepcopy(val)
    gone = sorted(set(base.get("projects", {})) - set(edited.get("projects", {})))
    if gone:
        out["exclude_projects"] = gone
    return out


def apply(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` (as made by :func:`diff`) over a copy of ``base``."""
    out = copy.deepcopy(base)
    for key, val in changes.items():
        if key == "exclude_projects":
            for pid in val:
                out.get("projects", {}).pop(pid, None)
        elif isinstance(val, dict) and isinstance(out.get(key), dict) and not (
            "value" in val or "dist" in val
        ):
            out[key] = apply(out[key], val)
        else:
            out[key] = copy.deepcopy(val)
    return out
