"""The optimizer's proposal against simple funding policies, judged in the full model.

The MILP (:mod:`optimize.model`) plans with expected costs and each candidate's outcome
sampled without limits, so queueing for verifiers, staff slots and Joint Committees, and the
budget's first-fit order, are outside its view. A proposal is therefore only shown when the
full simulation does not rank a simple policy above it:

* ``optimizer``: the MILP's portfolio, each candidate fixed to its start year;
* ``proposal_may_slip``: the same portfolio, each candidate free to start in its planned year
  or a later year of its window when money or staff are short then;
* ``fund_all``: every candidate (forbidden ones, and with ``--screen-only`` those failing the
  screen, excepted), each free to start from its earliest to its latest start year as money
  and staff allow: the scenario as written;
* ``greedy``: candidates by expected value per 億円 of their earliest option, taken while their
  expected spend fits what each year's budget leaves after running projects;
* ``improved``: the best of those, improved by a bounded local search (drop one candidate, add
  one at its earliest year, or move one a year) in the full model.

Every plan is simulated with the same seed and trial count (common random numbers), so the
difference between two plans is measured per trial; a plan replaces the one ahead of it only
when it is better by more than ``2 ×`` the standard error of that paired difference. A plan
that breaks a portfolio rule other than money and staff (mandatory, forbidden, screen, country
and technology limits, minimum count; checked on its candidates at their earliest start year)
is *inadmissible*: reported, never shown. Money, staff and methodology unlocks are what the
full model enforces itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from optimize.check import check_solution
from optimize.names import POLICY_LABELS
from optimize.objectives import cvar_of
from optimize.problem import PortfolioProblem, Rules
from sim.kpis import demos_started
from sim.results import SimulationResults
from sim.runner import RunOptions, run_trials
from sim.scenario import Scenario, Status

#: Plan: candidate id -> (earliest start FY, latest start FY).
Windows = dict[str, tuple[int, int]]


def planned_scenario(scenario: Scenario, windows: Windows) -> Scenario:
    """The scenario with only the candidates in ``windows``, each within its window."""
    projects = []
    for p in scenario.projects:
        if p.status is not Status.candidate:
            projects.append(p)
        elif p.id in windows:
            lo, hi = windows[p.id]
            projects.append(p.model_copy(update={"earliest_start_fy": lo, "latest_start_fy": hi}))
    return scenario.model_copy(update={"projects": tuple(projects)})


def fund_all_windows(scenario: Scenario, problem: PortfolioProblem | None = None) -> Windows:
    """Every candidate that is not forbidden (nor, with the screen rule, failing the screen),
    with its own start window."""
    last = scenario.program.last_fy
    failing = set()
    if problem is not None and problem.rules.screen_only:
        failing = {c.id for c in problem.candidates if not c.passes_screen}
    return {p.id: (p.earliest_start_fy, p.latest_start_fy or last)
            for p in scenario.candidates if not p.forbidden and p.id not in failing}


def slipping_windows(scenario: Scenario, selected: list[tuple[str, int]]) -> Windows:
    """The portfolio ``selected``, each start free to slip to a later year of its window."""
    by_id = {p.id: p for p in scenario.candidates}
    last = scenario.program.last_fy
    return {cid: (fy, max(fy, by_id[cid].latest_start_fy or last)) for cid, fy in selected}


def other_rules_hold(problem: PortfolioProblem, windows: Windows) -> bool:
    """Every rule but money and staff holds for the plan's candidates at their earliest
    start year (methodology precedence aside: the full model handles unlocks itself)."""
    relaxed = dataclasses.replace(
        problem,
        candidates=tuple(dataclasses.replace(c, requires=()) for c in problem.candidates),
        budget_by_fy={fy: 1e12 for fy in problem.budget_by_fy},
        rules=Rules(**{**problem.rules.__dict__, "staff_limit": None}),
    )
    options = {c.id: {o.start_fy for o in c.options} for c in problem.candidates}
    selected = []
    for cid, (lo, hi) in windows.items():
        fy = next((y for y in range(lo, hi + 1) if y in options.get(cid, ())), None)
        if fy is None:
            return False
        selected.append((cid, fy))
    return check_solution(relaxed, selected) == []


def greedy_windows(problem: PortfolioProblem) -> Windows:
    """Mandatory candidates first, then the rest by expected value per 億円 of their
    earliest option, each taken while its expected spend fits every year's money left."""
    left = {fy: b - problem.committed_by_fy.get(fy, 0.0)
            for fy, b in problem.budget_by_fy.items()}
    chosen: Windows = {}

    def fits(cost: dict[int, float]) -> bool:
        return all(left.get(fy, 0.0) + 1e-9 >= c for fy, c in cost.items() if c > 0)

    def take(cid: str, opt) -> None:
        chosen[cid] = (opt.start_fy, opt.start_fy)
        for fy, c in opt.cost_by_fy.items():
            left[fy] = left.get(fy, 0.0) - c

    ranked = []
    for c in problem.candidates:
        if c.forbidden or not c.options:
            continue
        if c.mandatory:
            take(c.id, c.options[0])
            continue
        for opt in c.options:
            cost = sum(opt.cost_by_fy.values())
            ratio = opt.value_mean / cost if cost > 0 else np.inf
            ranked.append((-ratio, c.id, opt))
            break  # the earliest option
    for _, cid, opt in sorted(ranked, key=lambda r: (r[0], r[1])):
        if fits(opt.cost_by_fy):
            take(cid, opt)
    return chosen


@dataclass
class PlanResult:
    """A plan simulated in the full model."""

    name: str
    windows: Windows
    value: float
    samples: np.ndarray
    aggregate: Callable[[np.ndarray], float] = field(repr=False)
    results: SimulationResults | None = field(default=None, repr=False)
    scenario: Scenario | None = field(default=None, repr=False)
    std_error_vs_shown: float | None = None
    admissible: bool = True

    def as_dict(self) -> dict:
        return {
            "policy": self.name,
            "description": POLICY_LABELS.get(self.name, self.name),
            "objective": self.value,
            "std_error_vs_shown": self.std_error_vs_shown,
            "admissible": self.admissible,
            "candidates": [{"id": cid, "earliest_start_fy": lo, "latest_start_fy": hi}
                           for cid, (lo, hi) in sorted(self.windows.items())],
        }


@dataclass(frozen=True)
class Aggregate:
    """Turns per-trial quantities into an objective value (picklable, so plans can cross
    process boundaries): ``mean``, ``cvar`` at ``alpha``, or ``weighted``."""

    kind: str
    alpha: float = 0.9
    w_expected: float = 1.0
    w_cvar: float = 0.0

    def __call__(self, v: np.ndarray) -> float:
        if self.kind == "cvar":
            return cvar_of(v, self.alpha)
        if self.kind == "weighted":
            return float(self.w_expected * v.mean() + self.w_cvar * cvar_of(v, self.alpha))
        return float(v.mean())


def objective_samples(
    results: SimulationResults, scenario: Scenario, metric_values: np.ndarray,
    objective: str, params: dict,
) -> tuple[np.ndarray, Aggregate]:
    """Per-trial quantities and the function that turns them into the objective, signed so
    that larger is better (``min_cost`` is negated spend)."""
    if objective == "expected":
        return metric_values, Aggregate("mean")
    if objective == "cvar":
        return metric_values, Aggregate("cvar", alpha=params["alpha"])
    if objective == "weighted":
        w = params["weights"]
        return metric_values, Aggregate("weighted", params["alpha"], w["expected"], w["cvar"])
    if objective == "prob_target":
        need = params["target"]
        if params.get("per_demo"):
            need = need * demos_started(results, scenario)
        return (metric_values >= need - 1e-9).astype(float), Aggregate("mean")
    if objective == "min_cost":
        cand = np.array([st == "candidate" for st in results.project_status])
        spend = results.spend_oku_yen[:, cand, :].sum(axis=(1, 2), dtype=np.float64)
        return -spend, Aggregate("mean")
    raise ValueError(f"unknown objective {objective!r}")


def paired_std_error(a: PlanResult, b: PlanResult, n_boot: int = 200, seed: int = 0) -> float:
    """Standard error of ``a.value − b.value`` over the same trials (bootstrap, paired)."""
    n = len(a.samples)
    if n < 2:
        return float("inf")
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_boot)
    for k in range(n_boot):
        idx = rng.integers(0, n, n)
        diffs[k] = a.aggregate(a.samples[idx]) - b.aggregate(b.samples[idx])
    return float(diffs.std(ddof=1))


class PlanEvaluator:
    """Simulates plans of one scenario with common random numbers and scores them."""

    def __init__(self, scenario: Scenario, metric_fn: Callable, objective: str, params: dict,
                 n_trials: int, seed: int, run: RunOptions | None = None,
                 problem: PortfolioProblem | None = None):
        self.scenario = scenario
        self.metric_fn = metric_fn
        self.objective, self.params = objective, params
        self.n_trials, self.seed = n_trials, seed
        self.run = run or RunOptions(workers=1)
        self.problem = problem
        self.evaluations = 0
        self._cache: dict[tuple, PlanResult] = {}

    def __call__(self, name: str, windows: Windows) -> PlanResult:
        key = tuple(sorted(windows.items()))
        ok = self.problem is None or other_rules_hold(self.problem, windows)
        hit = self._cache.get(key)
        if hit is not None:
            return PlanResult(name, windows, hit.value, hit.samples, hit.aggregate,
                              hit.results, hit.scenario, admissible=ok)
        planned = planned_scenario(self.scenario, windows)
        res = run_trials(planned, self.n_trials, self.seed, self.run,
                         keep_projects=True).results
        self.evaluations += 1
        values = self.metric_fn(res).sum(axis=1)
        samples, agg = objective_samples(res, planned, values, self.objective, self.params)
        out = PlanResult(name, windows, agg(samples), samples, agg, res, planned,
                         admissible=ok)
        self._cache[key] = out
        return out


def better(challenger: PlanResult, incumbent: PlanResult, z: float = 2.0) -> bool:
    """Whether ``challenger`` beats ``incumbent`` by more than ``z`` paired standard errors."""
    gap = challenger.value - incumbent.value
    return gap > 0 and gap > z * paired_std_error(challenger, incumbent)


def local_search(evaluate: PlanEvaluator, start: PlanResult, scenario: Scenario,
                 max_evaluations: int) -> PlanResult:
    """First-improvement search over drop / add / move-a-year moves, within an evaluation
    budget; a move is kept only when it is better beyond Monte Carlo error."""
    best = start
    last = scenario.program.last_fy
    cands = {p.id: p for p in scenario.candidates if not p.forbidden}
    used = 0
    improved = True
    while improved and used < max_evaluations:
        improved = False
        moves: list[Windows] = []
        for cid in sorted(best.windows):
            if not cands[cid].mandatory:
                moves.append({k: v for k, v in best.windows.items() if k != cid})
        for cid, p in sorted(cands.items()):
            if cid not in best.windows:
                moves.append({**best.windows, cid: (p.earliest_start_fy, p.earliest_start_fy)})
        for cid, (lo, hi) in sorted(best.windows.items()):
            if lo == hi and lo + 1 <= min(cands[cid].latest_start_fy or last, last):
                moves.append({**best.windows, cid: (lo + 1, lo + 1)})
        for windows in moves:
            if used >= max_evaluations:
                break
            trial = evaluate("improved", windows)
            used += 1
            if trial.admissible and better(trial, best):
                best = trial
                improved = True
                break
    return best


def choose(plans: list[PlanResult]) -> PlanResult:
    """The plan to show: the first (the optimizer's) unless another beats the one held so far
    beyond Monte Carlo error; every plan's paired error against the chosen one is recorded."""
    shown = plans[0]
    for p in plans[1:]:
        if p.admissible and better(p, shown):
            shown = p
    for p in plans:
        p.std_error_vs_shown = None if p is shown else paired_std_error(p, shown)
    return shown
