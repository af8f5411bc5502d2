"""Simple funding policies that the optimizer's proposal must not lose to in the full model.

The portfolio model plans with each candidate's expected cost per year and its outcome when
funded alone; the full simulation adds queueing for money, staff, verifiers and Joint
Committees. So with large budgets a proposal can deliver less in the full model than a simple
rule. Two rules are checked against every proposal, on the same re-simulation trials (common
random numbers, same seed):

* ``fund_all_earliest``: every admissible candidate, each starting as early as money, staff
  and its start window allow (the scenario's own candidates, unpinned);
* ``greedy_per_oku_yen``: candidates by expected metric per 億円 of expected cost, each at
  its first start year whose expected cost still fits every year's budget (with carry-over),
  pinned to that year;
* ``proposal_may_slip``: the proposal's candidates, each starting in its planned year or, if
  money or staff are short then, in a later year of its window (the proposal pins each start
  year: a candidate that cannot start then never starts).

"Admissible" means the portfolio rules other than money and staff hold (mandatory,
forbidden, screen, country and technology limits, minimum count); money, staff and
methodology unlocks are what the full model enforces itself. A policy beats the proposal
when its out-of-sample objective is higher by more than two paired standard errors of the
per-trial difference.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from optimize.check import check_solution, spend_by_fy, unspent_by_fy
from optimize.problem import PortfolioProblem, Rules
from sim.results import SimulationResults
from sim.scenario import Scenario, Status

POLICY_LABELS = {
    "optimizer": "the optimizer's proposal",
    "proposal_may_slip": "the proposal, starts may slip to later years",
    "fund_all_earliest": "fund every candidate as early as possible",
    "greedy_per_oku_yen": "greedy by expected metric per 億円",
}
#: The policies checked, in order.
POLICIES = ("proposal_may_slip", "fund_all_earliest", "greedy_per_oku_yen")
#: A policy must beat the proposal by this many paired standard errors to replace it.
Z_BEAT = 2.0


@dataclass(frozen=True)
class PolicyCheck:
    """One policy re-simulated on the proposal's trials.

    ``difference`` is the policy's objective minus the proposal's (positive: the policy does
    better) and ``std_error`` the paired standard error of the per-trial difference.
    """

    name: str
    selected: tuple[tuple[str, int], ...]
    pinned: bool
    objective: float | None
    difference: float | None
    std_error: float | None
    admissible: bool
    planned: Scenario | None = None
    results: SimulationResults | None = None

    @property
    def beats_proposal(self) -> bool:
        if not self.admissible or self.difference is None:
            return False
        return self.difference > Z_BEAT * (self.std_error or 0.0) + 1e-9

    def as_dict(self) -> dict:
        return {
            "name": self.name, "label": POLICY_LABELS[self.name],
            "selected": [{"id": c, "start_fy": fy} for c, fy in self.selected],
            "start": "pinned to start_fy" if self.pinned else "as early as money allows",
            "out_of_sample_objective": self.objective, "difference": self.difference,
            "std_error": self.std_error, "admissible": self.admissible,
            "beats_proposal": self.beats_proposal,
        }


def _other_rules_hold(problem: PortfolioProblem, selected: list[tuple[str, int]]) -> bool:
    """Every rule but money and staff holds for ``selected`` (and the model's methodology
    precedence, which the full model handles itself: a demonstration drafts its own
    methodology or waits for the one being developed)."""
    relaxed = dataclasses.replace(
        problem,
        candidates=tuple(dataclasses.replace(c, requires=()) for c in problem.candidates),
        budget_by_fy={fy: 1e12 for fy in problem.budget_by_fy},
        rules=Rules(**{**problem.rules.__dict__, "staff_limit": None}),
    )
    return check_solution(relaxed, selected) == []


def fund_all_selection(problem: PortfolioProblem) -> list[tuple[str, int]]:
    """Every candidate that may be chosen, at its earliest start year."""
    out = []
    for c in problem.candidates:
        if c.forbidden or not c.options:
            continue
        if problem.rules.screen_only and not c.passes_screen:
            continue
        out.append((c.id, min(o.start_fy for o in c.options)))
    return out


def greedy_selection(problem: PortfolioProblem) -> list[tuple[str, int]]:
    """Mandatory candidates first, then by expected value per 億円 (earliest option), each at
    the first start year that keeps every year's expected money non-negative."""
    def ratio(c) -> float:
        o = min(c.options, key=lambda o: o.start_fy)
        cost = o.cost_total_oku_yen
        return math.inf if cost <= 0 else o.value_mean / cost

    cands = [c for c in problem.candidates if c.options and not c.forbidden
             and (c.passes_screen or not problem.rules.screen_only)]
    cands.sort(key=lambda c: (not c.mandatory, -ratio(c)))
    chosen: list[tuple[str, int]] = []
    for c in cands:
        for o in sorted(c.options, key=lambda o: o.start_fy):
            trial = [*chosen, (c.id, o.start_fy)]
            left = unspent_by_fy(problem, spend_by_fy(problem, trial))
            if all(v >= -1e-9 for v in left.values()) or c.mandatory:
                chosen = trial
                break
    return chosen


def with_slipping_plan(scenario: Scenario, selected: list[tuple[str, int]]) -> Scenario:
    """The planned candidates, each from its planned year to the end of its start window."""
    plan = dict(selected)
    projects = tuple(
        p if p.status is not Status.candidate
        else p.model_copy(update={"earliest_start_fy": int(plan[p.id])})
        for p in scenario.projects
        if p.status is not Status.candidate or p.id in plan)
    return scenario.model_copy(update={"projects": projects})


def with_candidates(scenario: Scenario, ids: set[str]) -> Scenario:
    """The scenario with only the listed candidates, each keeping its start window."""
    projects = tuple(p for p in scenario.projects
                     if p.status is not Status.candidate or p.id in ids)
    return scenario.model_copy(update={"projects": projects})


def per_trial_objective(values: np.ndarray, objective: str, need: np.ndarray | float | None
                        ) -> np.ndarray:
    """What a trial contributes to the objective, for the paired standard error: the metric
    itself, or for ``prob_target`` whether the trial meets the target."""
    if objective == "prob_target" and need is not None:
        return (values >= need - 1e-9).astype(float)
    return values


def paired(a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of the mean of ``a − b`` (paired trials)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.size < 2:
        return 0.0
    return float(d.std(ddof=1) / math.sqrt(d.size))
