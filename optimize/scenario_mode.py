"""Scenario mode: turn a scenario and its simulation into a :class:`PortfolioProblem`.

For each fiscal year a candidate may start in, the simulation runs every such candidate
funded from that April with no budget, staff or TPE limit (:func:`sim.plan.without_limits`),
from the same seed: trial ``s`` of that run is optimisation scenario ``s``. Because every
project draws from streams keyed by (seed, trial, project id), a candidate's sampled outcome
is the one the full simulation would give it, so the optimizer and the simulation agree on
what a project delivers. From those runs each funding option gets

* ``value_scenarios``: the chosen metric per trial (e.g. its credits by the end of FY2030),
* ``cost_by_fy``: its expected spend per fiscal year [億円] (the main stage is paid only when
  the design succeeds, so the expectation is what a year's budget must carry on average),
* ``running_fys``: the years from its start to the expected end of its main stage (staff).

Running projects are fixed: their expected future spend is committed and their value per
trial is ``fixed_value_scenarios``. After solving, :func:`resimulate` runs the chosen
portfolio in the full model with fresh seeds, so in-sample and out-of-sample objectives can
be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimize.objectives import cvar_of
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from sim.montecarlo import simulate
from sim.plan import with_plan, with_start_year, without_limits
from sim.results import SimulationResults
from sim.scenario import Kind, Scenario, Status
from sim.screen import screen_project

#: Metric name -> (description, unit).
METRICS: dict[str, tuple[str, str]] = {
    "credits_fy2030": ("credits issued by the end of FY2030", "t-CO2"),
    "credits_fy2040": ("credits issued by the end of FY2040", "t-CO2"),
    "japan_credits_fy2030": ("Japan's credits by the end of FY2030", "t-CO2"),
    "japan_credits_fy2040": ("Japan's credits by the end of FY2040", "t-CO2"),
    "reductions_fy2040": (
        "reductions by the end of FY2040, dissemination included", "t-CO2"),
}

#: KPI id a planner may name for ``prob_target`` -> (metric, per demonstration).
TARGET_KPIS: dict[str, tuple[str, bool]] = {
    "avg_credits_per_demo_fy2030_t": ("credits_fy2030", True),
    "credits_fy2030_t": ("credits_fy2030", False),
    "credits_fy2040_t": ("credits_fy2040", False),
    "japan_credits_fy2030_t": ("japan_credits_fy2030", False),
    "japan_credits_fy2040_t": ("japan_credits_fy2040", False),
}


def metric_by_project(results: SimulationResults, metric: str) -> np.ndarray:
    """The metric per trial and project, shape (trials, projects) [t-CO2]."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    fy = 2030 if metric.endswith("2030") else 2040
    yi = results.year_index(fy)
    if metric.startswith("credits"):
        arr = results.credits_t
    elif metric.startswith("japan"):
        arr = results.japan_credits_t
    else:
        return (results.demo_reductions_t[:, :, : yi + 1].sum(axis=2, dtype=np.float64)
                + results.dissemination_t[:, :, : yi + 1].sum(axis=2, dtype=np.float64))
    return arr[:, :, : yi + 1].sum(axis=2, dtype=np.float64)


@dataclass(frozen=True)
class ScenarioProblem:
    """A portfolio problem built from a scenario, with what it was built from."""

    problem: PortfolioProblem
    metric: str
    n_scenarios: int
    seed: int
    start_years: tuple[int, ...]


def build_problem(
    scenario: Scenario,
    metric: str = "credits_fy2030",
    n_scenarios: int = 300,
    seed: int = 1,
    rules: Rules | None = None,
    budget_scale: float = 1.0,
    methodology_precedence: bool = True,
) -> ScenarioProblem:
    """Sample every candidate's outcome per start year and assemble the problem.

    Parameters
    ----------
    scenario : Scenario
    metric : str
        What an option's value measures (see :data:`METRICS`).
    n_scenarios : int
        Monte Carlo trials used as optimisation scenarios.
    seed : int
        Root seed of those trials.
    rules : Rules, optional
        Portfolio rules; the staff limit defaults to the scenario's.
    budget_scale : float
        Factor applied to every budget from ``as_of_fy`` on (for frontiers).
    methodology_precedence : bool
        A demonstration that needs a methodology requires a methodology-development candidate
        of the same country and technology, when there is one, to start a year earlier.
    """
    prog = scenario.program
    free = without_limits(scenario)
    cands = scenario.candidates
    start_years = sorted({
        fy for p in cands
        for fy in range(p.earliest_start_fy, (p.latest_start_fy or prog.last_fy) + 1)
    })
    runs = {fy: simulate(with_start_year(free, fy), n_scenarios, seed) for fy in start_years}
    base = simulate(with_plan(free, []), n_scenarios, seed)
    years = [int(y) for y in base.years]
    budget_years = [fy for fy in years if fy >= prog.as_of_fy]

    fixed_metric = metric_by_project(base, metric).sum(axis=1)
    fixed_spend = base.spend_oku_yen.mean(axis=0, dtype=np.float64).sum(axis=0)
    committed = {fy: float(fixed_spend[base.year_index(fy)]) for fy in budget_years}
    staff: dict[int, int] = {}
    for p in scenario.projects:
        if p.status is Status.running:
            end = _mean_end_fy(base, base.project_ids.index(p.id))
            for fy in range(prog.as_of_fy, end + 1):
                staff[fy] = staff.get(fy, 0) + 1

    meth = {(p.country, p.technology): p.id for p in cands if p.kind is Kind.methodology}
    candidates = []
    for p in cands:
        options = []
        for fy, res in runs.items():
            if p.id not in res.project_ids:
                continue
            j = res.project_ids.index(p.id)
            spend = res.spend_oku_yen[:, j, :].mean(axis=0, dtype=np.float64)
            cost = {y: float(spend[res.year_index(y)]) for y in budget_years
                    if spend[res.year_index(y)] > 1e-9}
            values = metric_by_project(res, metric)[:, j]
            options.append(Option(
                start_fy=fy,
                cost_by_fy=cost,
                value_mean=float(values.mean()),
                value_scenarios=values,
                running_fys=tuple(range(fy, max(_mean_end_fy(res, j), fy) + 1)),
                demo_count=1.0 if p.kind is Kind.demonstration else 0.0,
            ))
        requires = ()
        if methodology_precedence and p.kind is Kind.demonstration and p.methodology_needed:
            m = meth.get((p.country, p.technology))
            requires = (m,) if m else ()
        candidates.append(Candidate(
            id=p.id, name=p.name, country=p.country, technology=p.technology,
            kind=p.kind.value, options=tuple(options), mandatory=p.mandatory,
            forbidden=p.forbidden,
            passes_screen=screen_project(p, scenario.targets).passes, requires=requires,
        ))
    budget = {fy: scenario.budget_mean_oku_yen(fy) * budget_scale for fy in budget_years}
    rules = rules or Rules()
    if rules.staff_limit is None:
        rules = Rules(**{**rules.__dict__, "staff_limit": scenario.assumptions.staff_limit})
    problem = PortfolioProblem(
        candidates=tuple(candidates),
        budget_by_fy=budget,
        carryover_share=scenario.assumptions.carryover_share,
        committed_by_fy=committed,
        fixed_projects=sum(p.status is not Status.candidate for p in scenario.projects),
        fixed_staff_by_fy=staff,
        fixed_value_scenarios=fixed_metric,
        fixed_value_mean=float(fixed_metric.mean()),
        fixed_demo_count=float(sum(
            p.kind is Kind.demonstration and p.started_fy <= prog.last_fy
            for p in scenario.projects if p.status is not Status.candidate)),
        rules=rules,
    )
    return ScenarioProblem(problem, metric, n_scenarios, seed, tuple(start_years))


def _mean_end_fy(res: SimulationResults, j: int) -> int:
    """Typical fiscal year the project's main stage ends (median over trials that end)."""
    ends = res.main_end_fy[:, j]
    ends = ends[ends >= 0]
    if ends.size == 0:
        return int(res.as_of_fy)
    return int(np.median(ends))


def resimulate(
    scenario: Scenario, selected: list[tuple[str, int]], n_trials: int, seed: int,
    workers: int = 1,
) -> tuple[Scenario, SimulationResults]:
    """Run the portfolio ``selected`` (candidate id, start FY) in the full simulation
    (budget, staff, TPE and Joint Committees as in the scenario); returns the planned
    scenario and its results."""
    planned = with_plan(scenario, selected)
    return planned, simulate(planned, n_trials, seed, workers=workers)


def objective_of(values_per_trial: np.ndarray, objective: str, params: dict,
                 demos_per_trial: np.ndarray | None = None) -> float:
    """An objective evaluated on per-trial totals (the out-of-sample check)."""
    v = np.asarray(values_per_trial, dtype=float)
    if objective == "expected":
        return float(v.mean())
    if objective == "cvar":
        return cvar_of(v, params.get("alpha", 0.9))
    if objective == "weighted":
        w = params["weights"]
        return float(w["expected"] * v.mean() + w["cvar"] * cvar_of(v, params.get("alpha", 0.9)))
    if objective == "prob_target":
        goal = params["target"] * (demos_per_trial if params.get("per_demo") else 1.0)
        return float((v >= goal - 1e-9).mean())
    raise ValueError(f"objective {objective!r} has no per-trial value")


def program_metric(results: SimulationResults, scenario: Scenario, metric: str) -> np.ndarray:
    """The metric for the whole program per trial (all projects)."""
    return metric_by_project(results, metric).sum(axis=1)


def demos_started(results: SimulationResults, scenario: Scenario) -> np.ndarray:
    """Demonstrations started within the program, per trial."""
    demo = results.kind_mask("demonstration")
    s = results.start_fy[:, demo]
    return ((s >= 0) & (s <= scenario.program.last_fy)).sum(axis=1).astype(float)


__all__ = [
    "METRICS", "TARGET_KPIS", "ScenarioProblem", "build_problem", "resimulate",
    "objective_of", "program_metric", "demos_started", "metric_by_project",
]
