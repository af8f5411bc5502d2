"""Re-check a selection against every budget (with carry-over) and every rule.

Independent of the MIP: it reads the problem data directly, so it catches modelling errors as
well as solver tolerance issues. :func:`optimize.solve.check_solution` re-exports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from optimize.objectives import evaluate, selected_options
from optimize.problem import PortfolioProblem

__all__ = ["check_solution", "spend_by_fy", "unspent_by_fy"]

#: Absolute tolerance (scaled by the magnitude of the numbers compared).
TOL = 1e-6


def _tol(*scale: float) -> float:
    return TOL * max(1.0, *(abs(s) for s in scale))


def spend_by_fy(problem: PortfolioProblem, selected: Iterable[tuple[str, int]]) -> dict[int, float]:
    """Spend per budget year, 億円: committed spend plus the selected options' costs."""
    spend = {fy: problem.committed_by_fy.get(fy, 0.0) for fy in problem.years}
    for opt in selected_options(problem, selected):
        for fy, cost in opt.cost_by_fy.items():
            spend[fy] = spend.get(fy, 0.0) + cost
    return spend


def unspent_by_fy(problem: PortfolioProblem, spend: dict[int, float]) -> dict[int, float]:
    """Money left at the end of each year, 億円 (negative means over budget).

    Available money in a year = its budget + ``carryover_share`` × last year's unspent
    (an overspent year carries nothing).
    """
    out = {}
    carried = 0.0
    for fy, budget in problem.budget_by_fy.items():
        left = budget + carried - spend.get(fy, 0.0)
        out[fy] = left
        carried = problem.carryover_share * max(left, 0.0)
    return out


def check_solution(
    problem: PortfolioProblem,
    selected: Iterable[tuple[str, int]],
    min_expected_value: float | None = None,
) -> list[str]:
    """List every budget or rule a selection violates (empty list: the selection is valid).

    Parameters
    ----------
    problem : PortfolioProblem
    selected : iterable of (str, int)
        ``(candidate id, start_fy)`` pairs.
    min_expected_value : float, optional
        Also require fixed_value_mean + Σ value_mean ≥ this (the ``min_cost`` target).
    """
    selected = [(str(cid), int(fy)) for cid, fy in selected]
    by_id = {c.id: c for c in problem.candidates}
    rules = problem.rules
    out: list[str] = []

    chosen: dict[str, int] = {}
    for cid, fy in selected:
        cand = by_id.get(cid)
        if cand is None:
            out.append(f"unknown candidate {cid}")
            continue
        if cid in chosen:
            out.append(f"candidate {cid} selected more than once")
            continue
        if fy not in {o.start_fy for o in cand.options}:
            out.append(f"candidate {cid} has no option starting in FY{fy}")
            continue
        chosen[cid] = fy
    pairs = list(chosen.items())

    for c in problem.candidates:
        if c.mandatory and c.id not in chosen:
            out.append(f"mandatory candidate {c.id} not selected")
        if c.forbidden and c.id in chosen:
            out.append(f"forbidden candidate {c.id} selected")
        if rules.screen_only and not c.passes_screen and c.id in chosen:
            out.append(f"candidate {c.id} fails the proposal screen but is selected")
        if c.id in chosen:
            for req in c.requires:
                if req not in chosen:
                    out.append(f"candidate {c.id} requires {req}, which is not selected")
                elif chosen[req] >= chosen[c.id]:
                    out.append(
                        f"candidate {c.id} (FY{chosen[c.id]}) requires {req} to start earlier "
                        f"(it starts FY{chosen[req]})"
                    )

    spend = spend_by_fy(problem, pairs)
    for fy, left in unspent_by_fy(problem, spend).items():
        if left < -_tol(spend[fy], problem.budget_by_fy[fy]):
            out.append(f"FY{fy} over budget by {-left:.6g} 億円")

    n = len(pairs)
    if rules.min_projects is not None and problem.fixed_projects + n < rules.min_projects:
        out.append(
            f"{problem.fixed_projects + n} projects, fewer than the minimum {rules.min_projects}"
        )
    for attr, limit, share in (
        ("country", rules.max_per_country, rules.max_share_per_country),
        ("technology", rules.max_per_technology, rules.max_share_per_technology),
    ):
        counts = Counter(getattr(by_id[cid], attr) for cid, _ in pairs)
        counts.pop("", None)
        for key, k in sorted(counts.items()):
            if limit is not None and k > limit:
                out.append(f"{k} projects in {attr} {key}, more than the limit {limit}")
            if share is not None and k > share * n + _tol(n):
                out.append(f"{k} of {n} projects in {attr} {key}, more than the share {share}")

    if rules.staff_limit is not None:
        running = Counter(problem.fixed_staff_by_fy)
        for opt in selected_options(problem, pairs):
            running.update(opt.running_fys)
        for fy in sorted(running):
            if running[fy] > rules.staff_limit:
                out.append(
                    f"FY{fy}: {running[fy]} projects running, more than the staff limit "
                    f"{rules.staff_limit}"
                )

    if min_expected_value is not None:
        value = evaluate(problem, pairs, "expected")
        if value < min_expected_value - _tol(min_expected_value):
            out.append(f"expected value {value:.6g} below the target {min_expected_value:.6g}")
    return out
