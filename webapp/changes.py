"""What the edited scenario changes relative to the scenario it started from, in words.

``describe(base, work)`` lists each change as one line a planner reads ("FY2027 budget:
triangular(6, 11.5, 13) → 6 億円", "Dropped: Cement waste-heat recovery power"), in the
current language, for the Overview page and the Compare page.
"""

from __future__ import annotations

from typing import Any

from sim.scenario_io import diff
from webapp import editing, i18n, names
from webapp.i18n import t


def _value_text(value: Any, unit: str = "") -> str:
    value = editing.plain(value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("chg.yes") if value else t("chg.no")
    if isinstance(value, int | float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
        return f"{text} {unit}".strip()
    return str(value)


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of a change set by dotted path (``{value, source}`` entries are leaves)."""
    if isinstance(node, dict) and not ("value" in node or "dist" in node):
        out: dict[str, Any] = {}
        for key, val in node.items():
            out.update(_flatten(val, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node}


def _lookup(raw: dict, path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def describe(base: dict[str, Any], work: dict[str, Any]) -> list[str]:
    """One line per change from ``base`` to ``work`` (empty when nothing changed)."""
    if base == work:
        return []
    lines: list[str] = []
    base_budget = {fy: editing.budget_entry(base, fy) for fy in editing.budget_years(base)}
    for fy in sorted(set(editing.budget_years(work)) | set(base_budget)):
        old, new = base_budget.get(fy), editing.budget_entry(work, fy)
        if editing.plain(old) != editing.plain(new):
            lines.append(t("chg.budget", fy=i18n.fy(fy), old=_value_text(old, "億円"),
                           new=_value_text(new, "億円")))
    projects = work.get("projects") if isinstance(work.get("projects"), dict) else {}
    old_projects = base.get("projects") if isinstance(base.get("projects"), dict) else {}

    def pname(pid: str) -> str:
        p = projects.get(pid) or old_projects.get(pid) or {}
        return names.project(pid, editing.plain(p.get("name")) or pid)

    dropped = [p for p in editing.excluded(work) if p not in editing.excluded(base)]
    back = [p for p in editing.excluded(base) if p not in editing.excluded(work)]
    if dropped:
        lines.append(t("chg.dropped", names="、".join(pname(p) for p in dropped)
                       if i18n.lang() == "ja" else ", ".join(pname(p) for p in dropped)))
    if back:
        lines.append(t("chg.included", names=", ".join(pname(p) for p in back)))
    changed = _flatten({k: v for k, v in diff(base, work).items()
                        if k not in ("budget", "exclude_projects")})
    for path, new in changed.items():
        parts = path.split(".")
        if parts[0] == "projects" and len(parts) >= 3:
            field = names.assumption(f"projects.{parts[1]}.{parts[-1]}").split(" — ")[-1]
            what = f"{pname(parts[1])} — {field}"
        elif parts[0] in ("name", "description"):
            continue
        else:
            what = names.assumption(path)
        lines.append(t("chg.field", what=what, old=_value_text(_lookup(base, path)),
                       new=_value_text(new)))
    return lines


