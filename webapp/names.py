"""Names in the planner's language: shipped scenarios, countries, projects, technologies,
sources (as citations) and assumptions (by what they mean, not by their scenario-file key).

The names themselves are looked up by :mod:`report.names` (the catalogue
``report/catalog.toml`` and ``sim/country_names.py``, shared with the evaluation report); this
module passes it the session's language. A name that is not there (an upload, something a
planner typed) is shown as written.
"""

from __future__ import annotations

import functools

from report import names as _names
from sim.field_names import FIELD_NAMES
from webapp import i18n

CATALOG = _names.CATALOG

#: Scenario fields by what they mean: key -> (English, Japanese).
FIELDS = FIELD_NAMES
_GROUPS: dict[str, tuple[str, str]] = {
    "assumptions": ("Program", "事業全体"),
    "program": ("Program years", "事業期間"),
    "targets": ("Targets", "目標"),
    "budget": ("Budget", "予算"),
}


def _ja() -> bool:
    return i18n.lang() == "ja"


@functools.lru_cache(maxsize=64)
def shipped_name(rel: str) -> str | None:
    """The ``name`` a shipped scenario file gives itself (None when it cannot be read)."""
    from sim.errors import InputError
    from webapp.scenarios import load_shipped

    try:
        name = load_shipped(rel).get("name")
    except InputError:
        return None
    return name if isinstance(name, str) and name else None


def scenario(name: str) -> str:
    """A shipped scenario's name in the current language."""
    return _names.scenario_name(name, i18n.lang())


def description(text: str) -> str:
    return _names.description(text, i18n.lang())


def country(name: str) -> str:
    """A partner country's name in the current language (Japanese names: sim.country_names)."""
    return _names.country(name, i18n.lang())


def technology(name: str) -> str:
    return _names.technology(name, i18n.lang())


def project(pid: str, name: str | None) -> str:
    """A project's name in the current language (shipped projects; generated names by
    their pattern; anything else as written)."""
    return _names.project_name(pid, name, i18n.lang())


def source(text: str) -> str:
    """A source as a citation in the current language.

    Shipped sources come from the catalogue; for any other text, data-file names are
    replaced by the public documents they were compiled from, and "assumption",
    "illustrative" and "what-if" are said in the current language.
    """
    return _names.source(text, i18n.lang())


def assumption(path: str) -> str:
    """An assumption's scenario-file key in words:
    ``countries.Azerbaijan.jc_interval_months`` → "Azerbaijan — Months between Joint
    Committee decisions"; ``defaults.demonstration.bass_p`` → "Demonstration (default) —
    Bass diffusion: innovation coefficient p"."""
    parts = path.split(".")
    idx = 1 if _ja() else 0

    def field(name: str) -> str:
        pair = FIELDS.get(name)
        return pair[idx] if pair else name

    if parts[0] == "budget" and len(parts) == 2:
        fy = parts[1].upper().removeprefix("FY")
        year = i18n.fy(int(fy)) if fy.isdigit() else parts[1]
        return f"{_GROUPS['budget'][idx]} — {year}"
    if parts[0] in ("assumptions", "program", "targets") and len(parts) == 2:
        return field(parts[1])
    if parts[0] == "countries" and len(parts) >= 3:
        return f"{country(parts[1])} — {field(parts[-1])}"
    if parts[0] == "countries" and len(parts) == 2:
        return country(parts[1])
    if parts[0] == "defaults" and len(parts) == 3:
        kind = i18n.kind_label(parts[1])
        default = "（既定値）" if _ja() else " (default)"
        return f"{kind}{default} — {field(parts[2])}"
    if parts[0] == "projects" and len(parts) >= 2:
        head = parts[1]
        return head if len(parts) == 2 else f"{head} — {field(parts[-1])}"
    return field(parts[-1]) if parts[-1] in FIELDS else path
