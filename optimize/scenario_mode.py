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

import dataclasses
from dataclasses import dataclass

import numpy as np

from optimize.names import METRICS, TARGET_KPIS
from optimize.objectives import cvar_of, evaluate
from optimize.policies import (
    PlanEvaluator,
    PlanResult,
    choose,
    fund_all_windows,
    greedy_windows,
    local_search,
    slipping_windows,
)
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from optimize.solve import Solution, solve
from sim import limits
from sim.errors import InputError
from sim.kpis import demos_started
from sim.plan import with_plan, with_start_year, without_limits
from sim.report_data import simulation_report
from sim.results import SimulationResults
from sim.runner import RunOptions, run_trials, shared_cluster
from sim.scenario import Kind, Scenario, Status
from sim.screen import screen_project


def metric_by_project(results: SimulationResults, metric: str) -> np.ndarray:
    """The metric per trial and project, shape (trials, projects) [t-CO2]."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    fy = 2030 if metric.endswith("2030") else 2040
    yi = results.year_index(fy)
    if metric.startswith("demo_credits"):
        demo = results.kind_mask("demonstration")
        return results.credits_t[:, :, : yi + 1].sum(axis=2, dtype=np.float64) * demo[None, :]
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
    methodology_precedence: bool = True,
    max_cells: int = limits.MAX_WORK_CELLS,
    run: RunOptions | None = None,
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
    methodology_precedence : bool
        A demonstration that needs a methodology requires a methodology-development candidate
        of the same country and technology, when there is one, to start a year earlier.
    max_cells : int
        Largest sampling work (scenarios × projects × years × runs) accepted.

    Raises
    ------
    InputError
        When the sampling would exceed ``max_cells`` (names ``--scenarios`` and the bound).
    run : RunOptions, optional
        Engine, workers and scheduler for the sampling runs (default: the default engine in
        this process); a Dask scheduler is started or connected to once for all of them.
    """
    prog = scenario.program
    free = without_limits(scenario)
    cands = scenario.candidates
    start_years = sorted({
        fy for p in cands
        for fy in range(p.earliest_start_fy, (p.latest_start_fy or prog.last_fy) + 1)
    })
    n_years = len(prog.years)
    cells = limits.work_cells(len(scenario.projects), n_years, n_scenarios, len(start_years) + 1)
    if cells > max_cells:
        most = max_cells // max(1, len(scenario.projects) * n_years * (len(start_years) + 1))
        raise InputError.single(
            "<command line>", "--scenarios",
            f"{n_scenarios:,} scenarios × {len(scenario.projects)} projects × {n_years} years "
            f"× {len(start_years) + 1} start-year runs is more than {max_cells:,} cells (the "
            f"limit): use at most {max(most, 1):,} scenarios for this scenario")
    with shared_cluster(run or RunOptions(workers=1)) as opts:
        def sample(sc: Scenario) -> SimulationResults:
            return run_trials(sc, n_scenarios, seed, opts, keep_projects=True).results

        runs = {fy: sample(with_start_year(free, fy)) for fy in start_years}
        base = sample(with_plan(free, []))
    years = [int(y) for y in base.years]
    # parts of contracted stages falling after the program, in years with no budget, are paid
    # outside any budget (assumptions.contracts_after_program): no budget row constrains them
    outside = {
        fy for fy in years
        if scenario.assumptions.contracts_after_program and fy > prog.last_fy
        and scenario.budget_mean_oku_yen(fy) <= 0
    }
    budget_years = [fy for fy in years if fy >= prog.as_of_fy and fy not in outside]

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
            passes_screen=screen_project(p, scenario).passes, requires=requires,
        ))
    spends = {fy for c in candidates for o in c.options for fy in o.cost_by_fy}
    spends |= {fy for fy, v in committed.items() if v > 1e-9}
    spends |= {fy for fy in budget_years if scenario.budget_mean_oku_yen(fy) > 0}
    budget_years = [fy for fy in budget_years if fy <= max(spends, default=prog.as_of_fy)]
    budget = {fy: scenario.budget_mean_oku_yen(fy) for fy in budget_years}
    committed = _capped({fy: committed[fy] for fy in budget_years}, budget)
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


def _capped(committed: dict[int, float], budget: dict[int, float]) -> dict[int, float]:
    """Running projects' expected spend, at most each year's budget: in the simulation a
    running project that does not fit waits; here it takes the year's money first."""
    return {fy: min(c, budget.get(fy, 0.0)) for fy, c in committed.items()}


def scale_budgets(problem: PortfolioProblem, factor: float) -> PortfolioProblem:
    """The problem with every budget multiplied by ``factor`` (running projects' commitments
    capped at the scaled budgets, as in :func:`build_problem`)."""
    budget = {fy: b * factor for fy, b in problem.budget_by_fy.items()}
    return dataclasses.replace(problem, budget_by_fy=budget,
                               committed_by_fy=_capped(problem.committed_by_fy, budget))


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
    run: RunOptions | None = None,
) -> tuple[Scenario, SimulationResults]:
    """Run the portfolio ``selected`` (candidate id, start FY) in the full simulation
    (budget, staff, TPE and Joint Committees as in the scenario); returns the planned
    scenario and its results. ``run`` (engine, workers, scheduler) overrides ``workers``."""
    planned = with_plan(scenario, selected)
    opts = run or RunOptions(workers=workers)
    return planned, run_trials(planned, n_trials, seed, opts, keep_projects=True).results


def objective_on_trials(
    results: SimulationResults, scenario: Scenario, metric: str, objective: str, params: dict
) -> float | None:
    """The objective evaluated on a full simulation's trials (the out-of-sample value).

    ``min_cost`` is evaluated as the expected program spend of the candidates [億円].
    """
    v = metric_by_project(results, metric).sum(axis=1)
    if objective == "expected":
        return float(v.mean())
    if objective == "cvar":
        return cvar_of(v, params["alpha"])
    if objective == "weighted":
        w = params["weights"]
        return float(w["expected"] * v.mean() + w["cvar"] * cvar_of(v, params["alpha"]))
    if objective == "prob_target":
        need = params["target"]
        if params.get("per_demo"):
            need = need * demos_started(results, scenario)
        return float((v >= need - 1e-9).mean())
    if objective == "min_cost":
        cand = np.array([st == "candidate" for st in results.project_status])
        return float(results.spend_oku_yen[:, cand, :].sum(axis=(1, 2)).mean())
    return None


@dataclass(frozen=True)
class ScenarioPlan:
    """The optimizer's proposal for a scenario, checked in the full simulation.

    Attributes
    ----------
    solution : Solution
        Solver outcome (status, objective value, bound, gap, selection, spend vs budget).
    built : ScenarioProblem
        The problem and what it was sampled from.
    metric : str
        What the objective measures (see :data:`METRICS`).
    in_sample : float or None
        Objective on the scenarios the optimizer saw (= ``solution.objective_value``).
    out_of_sample : float or None
        The same objective on a fresh full simulation of the chosen portfolio (budget, staff,
        verifier and Joint Committee limits included, fresh seed).
    planned : Scenario or None
        The scenario with only the chosen candidates, each at its start year.
    results : SimulationResults or None
        That fresh simulation.
    policies : list of PlanResult
        The optimizer's portfolio and the simple policies, each simulated in the full model
        with the same seed (see :mod:`optimize.policies`); empty when not compared.
    shown : PlanResult or None
        The plan to propose: the optimizer's, unless a simple policy (or the local search)
        beats it in the full model beyond Monte Carlo error.
    """

    solution: Solution
    built: ScenarioProblem
    metric: str
    in_sample: float | None
    out_of_sample: float | None
    planned: Scenario | None
    results: SimulationResults | None
    policies: list[PlanResult] = dataclasses.field(default_factory=list)
    shown: PlanResult | None = None

    def report(self) -> dict:
        """JSON-ready: the solver fields plus the re-simulated KPIs (as ``jcm simulate``)."""
        doc = self.solution.to_dict()
        doc["mode"] = "scenario"
        doc["metric"] = self.metric
        doc["metric_description"] = METRICS[self.metric][0]
        doc["scenarios"] = self.built.n_scenarios
        doc["seed"] = self.built.seed
        doc["in_sample_objective"] = self.in_sample
        doc["out_of_sample_objective"] = self.out_of_sample
        if self.results is not None and self.planned is not None:
            sim_doc = simulation_report(self.planned, self.results)
            doc["kpis"] = sim_doc["kpis"]
            doc["resimulation"] = {"trials": self.results.n_trials, "seed": self.results.seed,
                                   "by_fy": sim_doc["by_fy"], "projects": sim_doc["projects"]}
        doc["policies"] = [p.as_dict() for p in self.policies]
        if self.shown is not None:
            doc["proposal"] = self.shown.as_dict()
            if self.shown.name != "optimizer" and self.shown.results is not None:
                doc["proposal_kpis"] = simulation_report(self.shown.scenario,
                                                         self.shown.results)["kpis"]
        return doc


def resolve_objective(
    scenario: Scenario, objective: str, metric: str | None = None,
    target: str | float | None = None, target_value: float | None = None,
    alpha: float | None = None, weights: dict | None = None,
) -> tuple[str, str, dict]:
    """Map a planner's objective to the solver's objective, metric and parameters.

    ``objective`` is a metric name (maximise its expectation), or ``expected``, ``cvar``,
    ``weighted``, ``min_cost`` (with ``metric``), or ``prob_target`` with ``target`` a KPI id
    (:data:`TARGET_KPIS`; its value is the scenario's target unless ``target_value`` is given)
    or a number.

    Raises
    ------
    ValueError
        With a message naming the option at fault.
    """
    params: dict = {}
    if objective in METRICS:
        if metric not in (None, objective):
            raise ValueError(f"--metric {metric} contradicts --objective {objective}")
        return "expected", objective, params
    metric = metric or "credits_fy2030"
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    if objective in ("cvar", "weighted"):
        params["alpha"] = 0.9 if alpha is None else float(alpha)
    if objective == "weighted":
        params["weights"] = weights or {"expected": 1.0, "cvar": 1.0}
    if objective == "min_cost":
        value = target_value if target_value is not None else target
        if value is None or isinstance(value, str) and value not in TARGET_KPIS:
            raise ValueError("min_cost needs --target-value: the expected amount to reach [t]")
        params["target"] = float(value)
    if objective == "prob_target":
        kpi = target if target is not None else "avg_credits_per_demo_fy2030_t"
        if isinstance(kpi, str) and kpi in TARGET_KPIS:
            metric, per_demo = TARGET_KPIS[kpi]
            value = target_value
            if value is None:
                value = getattr(scenario.targets, kpi, None)
            if value is None:
                raise ValueError(f"the scenario sets no target for {kpi}; give --target-value")
            params.update(target=float(value), per_demo=per_demo)
        else:
            try:
                params.update(target=float(kpi), per_demo=False)
            except (TypeError, ValueError):
                raise ValueError(
                    f"--target must be a number or one of {', '.join(TARGET_KPIS)}"
                ) from None
    if objective not in ("expected", "cvar", "weighted", "min_cost", "prob_target"):
        raise ValueError(f"unknown objective {objective!r}")
    return objective, metric, params


def optimize_scenario(
    scenario: Scenario,
    objective: str = "credits_fy2030",
    *,
    metric: str | None = None,
    target: str | float | None = None,
    target_value: float | None = None,
    alpha: float | None = None,
    weights: dict | None = None,
    rules: Rules | None = None,
    n_scenarios: int = 300,
    seed: int = 1,
    resim_trials: int = 1000,
    resim_seed: int | None = None,
    time_limit_s: float = 60.0,
    mip_gap: float = 0.0,
    workers: int = 1,
    built: ScenarioProblem | None = None,
    compare_policies: bool = True,
    improve_evaluations: int = 0,
    run: RunOptions | None = None,
) -> ScenarioPlan:
    """Build, solve and check the best portfolio for a scenario.

    ``built`` reuses a problem from :func:`build_problem` (same metric) to skip sampling.
    The re-simulation uses ``resim_seed`` (default ``seed + 1``) so it does not reuse the
    optimisation scenarios; ``resim_trials = 0`` skips it. With ``compare_policies`` the
    optimizer's portfolio is compared in the full model with simple policies (the same
    portfolio with starts allowed to slip, every candidate as early as possible, greedy by
    value per 億円); a policy that breaks a portfolio rule other than money and staff is
    reported but never shown. ``improve_evaluations`` more full-model runs search for a better
    plan (:mod:`optimize.policies`). ``run`` sets the engine, workers and scheduler.
    """
    solver_objective, metric, params = resolve_objective(
        scenario, objective, metric, target, target_value, alpha, weights)
    with shared_cluster(run or RunOptions(workers=workers)) as opts:
        if built is None or built.metric != metric:
            built = build_problem(scenario, metric, n_scenarios, seed, rules, run=opts)
        sol = solve(built.problem, solver_objective, time_limit_s=time_limit_s,
                    mip_gap=mip_gap, **params)
        planned = results = None
        out = None
        rs = seed + 1 if resim_seed is None else resim_seed
        if resim_trials > 0 and sol.status in ("optimal", "time_limit") and (
            sol.selected or sol.status == "optimal"
        ):
            planned, results = resimulate(scenario, sol.selected, resim_trials, rs, run=opts)
            out = objective_on_trials(results, planned, metric, solver_objective, sol.params)
        policies: list[PlanResult] = []
        shown = None
        if compare_policies and results is not None:
            evaluator = PlanEvaluator(
                scenario, lambda r: metric_by_project(r, metric), solver_objective,
                sol.params, resim_trials, rs, run=opts, problem=built.problem)
            optimizer = evaluator("optimizer", {cid: (fy, fy) for cid, fy in sol.selected})
            policies = [
                optimizer,
                evaluator("proposal_may_slip", slipping_windows(scenario, sol.selected)),
                evaluator("fund_all", fund_all_windows(scenario, built.problem)),
                evaluator("greedy", greedy_windows(built.problem)),
            ]
            shown = choose(policies)
            if improve_evaluations > 0:
                best = local_search(evaluator, shown, scenario, improve_evaluations)
                if best is not shown:
                    policies.append(best)
                    shown = choose(policies)
    return ScenarioPlan(sol, built, metric, sol.objective_value, out, planned, results,
                        policies, shown)


def risk_frontier(
    built: ScenarioProblem, alpha: float = 0.9, points: int = 5, time_limit_s: float = 60.0,
) -> list[dict]:
    """Expected value against CVaR: solve the weighted objective from all-expected to
    all-CVaR and report both measures of each portfolio (with its selection)."""
    out = []
    for w in np.linspace(0.0, 1.0, max(points, 2)):
        weights = {"expected": float(1.0 - w), "cvar": float(w)}
        sol = solve(built.problem, "weighted", time_limit_s=time_limit_s, weights=weights,
                    alpha=alpha)
        point = {"cvar_weight": float(w), "status": sol.status,
                 "selected": [{"id": c, "start_fy": fy} for c, fy in sol.selected]}
        if sol.status in ("optimal", "time_limit") and sol.selected is not None:
            point["expected"] = evaluate(built.problem, sol.selected, "expected")
            point["cvar"] = evaluate(built.problem, sol.selected, "cvar", alpha=alpha)
        out.append(point)
    return out


__all__ = [
    "METRICS", "TARGET_KPIS", "ScenarioProblem", "ScenarioPlan", "build_problem", "resimulate",
    "objective_on_trials", "resolve_objective", "scale_budgets", "optimize_scenario",
    "risk_frontier", "metric_by_project",
]
