"""Scenario transforms used to evaluate portfolios: a start plan, and a world without limits.

``with_plan`` keeps only the candidates a plan funds, each fixed to its planned start year, so
the simulation re-runs exactly that portfolio (out-of-sample checks of the optimizer).
``without_limits`` removes the budget, staff and TPE limits, so each candidate's own outcome
(its "what would it deliver if funded in FY t") can be sampled from the same seeded streams.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.distributions import Fixed
from sim.errors import InputError
from sim.scenario import Scenario, Status

#: Budget per year [億円] that no portfolio exhausts.
UNLIMITED_OKU_YEN = 1e9


def with_plan(scenario: Scenario, plan: Iterable[tuple[str, int]]) -> Scenario:
    """The scenario with only the planned candidates, each starting in its planned year.

    Parameters
    ----------
    plan : iterable of (candidate id, start fiscal year)

    Raises
    ------
    InputError
        For an id that is not a candidate of the scenario or a year it may not start in.
    """
    wanted = dict(plan)
    by_id = {p.id: p for p in scenario.candidates}
    problems = []
    for pid, fy in wanted.items():
        if pid not in by_id:
            problems.append((pid, "is not a candidate of this scenario"))
        elif not scenario.program.as_of_fy <= fy <= scenario.program.last_fy:
            problems.append((pid, f"cannot start in FY{fy}"))
    if problems:
        raise InputError.single(scenario.path or "<plan>", "plan",
                                "; ".join(f"'{p}' {why}" for p, why in problems))
    projects = []
    for p in scenario.projects:
        if p.status is not Status.candidate:
            projects.append(p)
        elif p.id in wanted:
            fy = int(wanted[p.id])
            projects.append(p.model_copy(update={"earliest_start_fy": fy, "latest_start_fy": fy}))
    return scenario.model_copy(update={"projects": tuple(projects)})


def with_start_year(scenario: Scenario, start_fy: int) -> Scenario:
    """Every candidate that may start in ``start_fy`` fixed to start then; others dropped."""
    plan = [
        (p.id, start_fy)
        for p in scenario.candidates
        if p.earliest_start_fy <= start_fy <= (p.latest_start_fy or scenario.program.last_fy)
    ]
    return with_plan(scenario, plan)


def without_limits(scenario: Scenario) -> Scenario:
    """The scenario with unlimited staff and TPE capacity and unlimited money in every year
    that has a budget (years with none keep none: a stage that needs money after the
    program's funded years still never starts)."""
    prog = scenario.program
    budget = dict(scenario.budget_oku_yen)
    for fy in range(prog.as_of_fy, prog.horizon_fy + 1):
        if fy <= prog.last_fy or scenario.budget_mean_oku_yen(fy) > 0:
            budget[fy] = Fixed(UNLIMITED_OKU_YEN)
    n = len(scenario.projects) + 1
    assumptions = scenario.assumptions.model_copy(update={"staff_limit": n, "tpe_capacity": n})
    return scenario.model_copy(update={"budget_oku_yen": budget, "assumptions": assumptions})
