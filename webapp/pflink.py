"""The Portfolio page's settings in the shareable link (query parameter ``pf``).

The settings are the page's widget values as :func:`webapp.ui.persist` keeps them
(``_keep_pf_*`` in the session). In the link they travel as compressed JSON (the same
encoding as the scenario's changes); on the way in every value is checked against what its
widget accepts, and anything else is dropped (a hand-edited link cannot break the page).
"""

from __future__ import annotations

import math
import re
from typing import Any

from optimize import names

OBJECTIVES = ("expected", "cvar", "prob_target", "min_cost")
# tuples: a value from a link may be unhashable (a list), which a dict lookup would refuse
METRICS = tuple(names.METRICS)
TARGET_KPIS = tuple(names.TARGET_KPIS)
_TARGET_VALUE = re.compile(r"^pf_target_value_[a-z0-9_]{1,60}$")
SHADOW = "_keep_"


def _number(value: Any, lo: float, hi: float, whole: bool = False) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError
    return int(value) if whole else float(value)


def _optional_count(value: Any) -> Any:
    return None if value is None else _number(value, 0, 10_000, whole=True)


_CHECKS = {
    "pf_objective": lambda v: v if v in OBJECTIVES else _bad(),
    "pf_metric": lambda v: v if v in METRICS else _bad(),
    "pf_target_kpi": lambda v: v if v in TARGET_KPIS else _bad(),
    "pf_alpha": lambda v: _number(v, 0.5, 0.99),
    "pf_min_cost_target": lambda v: _number(v, 0, 1e12),
    "pf_min_projects": _optional_count,
    "pf_max_country": _optional_count,
    "pf_max_tech": _optional_count,
    "pf_staff": _optional_count,
    "pf_n": lambda v: _number(v, 20, 1000, whole=True),
    "pf_time_limit": lambda v: _number(v, 1.0, 600.0),
    "pf_screen_only": lambda v: v if isinstance(v, bool) else _bad(),
    "pf_frontier_kind": lambda v: v if v in ("budget", "risk") else _bad(),
}


def _bad() -> Any:
    raise ValueError


def clean(settings: dict[str, Any], dropped: list[str] | None = None) -> dict[str, Any]:
    """The settings a widget would accept; everything else left out (and its key, as text,
    appended to ``dropped``)."""
    out: dict[str, Any] = {}
    for key, value in settings.items():
        check = _CHECKS.get(key)
        if check is None and isinstance(key, str) and _TARGET_VALUE.match(key):
            check = lambda v: None if v is None else _number(v, 0, 1e12)  # noqa: E731
        try:
            if check is None:
                raise ValueError
            out[key] = check(value)
        except ValueError:
            if dropped is not None:
                dropped.append(str(key))
    return out


def current(session: Any) -> dict[str, Any]:
    """The Portfolio settings kept in the session (only those the planner has seen)."""
    found = {}
    for name in list(session.keys()):
        if isinstance(name, str) and name.startswith(SHADOW + "pf_"):
            found[name.removeprefix(SHADOW)] = session[name]
    return clean(found)


def restore(session: Any, settings: dict[str, Any]) -> list[str]:
    """Put checked settings where :func:`webapp.ui.persist` restores widgets from; returns
    the keys of the settings left out."""
    dropped: list[str] = []
    for key, value in clean(settings, dropped).items():
        session[SHADOW + key] = value
    return dropped
