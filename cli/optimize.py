"""``jcm optimize``: choose the portfolio that maximises value under fiscal-year budgets.

Spreadsheet mode::

    jcm optimize --candidates my_sheet.csv --budgets my_budget.csv \\
        [--objective expected|min_cost] [--target T] [--time-limit S] [--mip-gap G] \\
        [--min-projects N] [--max-per-country N] [--max-per-technology N] \\
        [--carryover-share C] [--json plan.json]

(see :mod:`optimize.spreadsheet` for the table formats).

Scenario mode::

    jcm optimize scenarios/baseline.toml [--objective credits_fy2030|japan_credits_fy2030|
        credits_fy2040|japan_credits_fy2040|reductions_fy2040|cvar|prob_target|min_cost|weighted]
        [--metric M] [--alpha A] [--target KPI-or-number] [--target-value V]
        [--scenarios 300] [--seed 1] [--resim-trials 1000] [rules and limits as above]

samples every candidate's outcome per start year from the simulation
(:mod:`optimize.scenario_mode`), solves, and re-simulates the chosen portfolio with a fresh
seed in the full model; the JSON then also holds ``kpis`` (as ``jcm simulate --json``),
``in_sample_objective`` and ``out_of_sample_objective``.

Exit status: 0 optimal, 3 time limit reached (best portfolio so far, or none), 4 infeasible,
5 solver error, 2 bad input.

``--json PATH`` writes: ``status``, ``objective``, ``objective_params``, ``objective_value``,
``best_bound``, ``mip_gap``, ``selected`` (list of ``{"id", "start_fy"}``), ``spend_by_fy`` and
``budget_by_fy`` (億円, keys like ``"FY2027"``), ``build_seconds``, ``solve_seconds``,
``message``, ``diagnosis`` (list of sentences), ``mode``.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cli.bounds import check_float, check_int, check_seed
from cli.commands import HELP_LINES
from cli.engine_options import add_run_options, run_options
from cli.output import (
    check_output_file,
    ljust_columns,
    rjust_columns,
    text_width,
    write_json,
)
from cli.simulate import print_kpi_table
from optimize.check import unspent_by_fy
from optimize.names import METRICS, POLICY_LABELS
from optimize.problem import PortfolioProblem, Rules
from optimize.spreadsheet import load_problem
from sim import limits
from sim.errors import InputError

if TYPE_CHECKING:  # Pyomo and the simulation load when a solve or a scenario is asked for
    from optimize.scenario_mode import ScenarioProblem
    from optimize.solve import Solution
    from sim.scenario import Scenario

#: Exit status per solution status.
EXIT_CODES = {"optimal": 0, "time_limit": 3, "infeasible": 4, "error": 5}
CMDLINE = "<command line>"


def add_common_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments shared by ``optimize`` and ``frontier``."""
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario file (scenario mode)")
    p.add_argument("--candidates", metavar="FILE",
                   help="candidates table, .csv or .xlsx (spreadsheet mode)")
    p.add_argument("--budgets", metavar="FILE",
                   help="budgets table with columns fy, budget_oku_yen (spreadsheet mode)")
    p.add_argument("--objective", default=None,
                   choices=[*METRICS, "expected", "cvar", "prob_target", "min_cost", "weighted"],
                   help="what to optimise: a metric's expectation (scenario mode, default "
                   "credits_fy2030), expected (spreadsheet mode default), cvar, prob_target, "
                   "min_cost or weighted")
    p.add_argument("--metric", choices=list(METRICS), default=None,
                   help="scenario mode: what cvar/min_cost/weighted/expected measure "
                   "(default credits_fy2030)")
    p.add_argument("--target-value", type=float, default=None, metavar="V",
                   help="scenario mode: the target's value (default: the scenario's target "
                   "for the KPI named by --target)")
    p.add_argument("--scenarios", type=int, default=300, metavar="N",
                   help="scenario mode: Monte Carlo trials used as optimisation scenarios "
                   "(default 300)")
    p.add_argument("--seed", type=int, default=1, help="scenario mode: root seed (default 1)")
    p.add_argument("--resim-trials", type=int, default=1000, metavar="N",
                   help="scenario mode: trials re-simulating the chosen portfolio with a "
                   "fresh seed (default 1000; 0 skips it)")
    p.add_argument("--alpha", type=float, default=None, help="CVaR level (default 0.9)")
    p.add_argument("--target", default=None,
                   help="prob_target: a KPI id (scenario mode, e.g. "
                   "avg_credits_per_demo_fy2030_t) or a number; min_cost: the amount to reach")
    p.add_argument("--per-demo", action="store_true",
                   help="prob_target: target per demonstration project")
    p.add_argument("--weights", default=None, metavar="expected=W,cvar=W",
                   help="weighted: weights of expected value and CVaR (default 1 and 1)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                   help="solver time limit per solve, seconds (default 60)")
    p.add_argument("--mip-gap", type=float, default=0.0, metavar="G",
                   help="relative gap at which to stop (default 0: prove optimality)")
    p.add_argument("--min-projects", type=int, default=None, metavar="N",
                   help="at least N projects, running ones included (default: no minimum)")
    p.add_argument("--max-per-country", type=int, default=None, metavar="N",
                   help="at most N selected candidates in one partner country (default: no "
                   "limit)")
    p.add_argument("--max-share-per-country", type=float, default=None, metavar="F",
                   help="at most this share (0..1) of the selected candidates in one partner "
                   "country (default: no limit)")
    p.add_argument("--max-per-technology", type=int, default=None, metavar="N",
                   help="at most N selected candidates of one technology (default: no limit)")
    p.add_argument("--max-share-per-technology", type=float, default=None, metavar="F",
                   help="at most this share (0..1) of the selected candidates of one "
                   "technology (default: no limit)")
    p.add_argument("--staff-limit", type=int, default=None, metavar="N",
                   help="projects running at once (scenario mode default: the scenario's)")
    p.add_argument("--screen-only", action="store_true",
                   help="only candidates that pass the proposal screen")
    p.add_argument("--carryover-share", type=float, default=0.0, metavar="C",
                   help="share (0..1) of a year's unspent budget available next year")
    p.add_argument("--json", metavar="PATH", help="write the result as JSON")
    add_run_options(p)


def add_parser(sub) -> None:
    """Register ``jcm optimize``."""
    p = sub.add_parser(
        "optimize",
        help=HELP_LINES["optimize"],
        description="Choose the portfolio that maximises value under fiscal-year budgets, "
        "from a scenario file (each candidate's outcome per start year sampled from the "
        "simulation, the choice re-simulated in the full model and compared with simple "
        "policies) or from spreadsheet tables (--candidates, --budgets).",
        epilog="Exit status: 0 optimal, 3 time limit reached (the best portfolio so far, or "
        "none), 4 infeasible, 5 solver error, 2 bad input.",
    )
    add_common_arguments(p)
    p.add_argument("--no-policies", action="store_true",
                   help="scenario mode: do not compare the portfolio in the full model with "
                   "funding every candidate as early as possible and a greedy policy")
    p.add_argument("--improve", type=int, default=0, metavar="N",
                   help="scenario mode: up to N more full-model runs searching for a better "
                   "plan than the best of those (default 0; each run costs --resim-trials "
                   "trials)")
    p.set_defaults(func=run)


def _check_args(args) -> None:
    check_output_file("--json", args.json, [args.scenario, args.candidates, args.budgets])
    check_float("--time-limit", args.time_limit, 0.0, limits.MAX_TIME_LIMIT_S, lo_open=True)
    check_seed(args.seed)
    check_int("--scenarios", args.scenarios, 1, limits.MAX_OPT_SCENARIOS)
    check_int("--resim-trials", args.resim_trials, 0, limits.MAX_RESIM_TRIALS)
    check_float("--alpha", args.alpha, 0.0, 1.0, hi_open=True)
    check_float("--target-value", args.target_value, -limits.MAX_TARGET_T, limits.MAX_TARGET_T)
    if args.target is not None:
        try:
            number = float(args.target)
        except ValueError:
            number = None
        check_float("--target", number, -limits.MAX_TARGET_T, limits.MAX_TARGET_T)
    if args.weights:
        parse_weights(args.weights)
    for name in ("min_projects", "max_per_country", "max_per_technology", "staff_limit"):
        check_int("--" + name.replace("_", "-"), getattr(args, name), 0, 10_000)
    if not (math.isfinite(args.mip_gap) and 0.0 <= args.mip_gap < 1.0):
        raise InputError.single(CMDLINE, "--mip-gap", "must lie in [0, 1)")
    if not (math.isfinite(args.carryover_share) and 0.0 <= args.carryover_share <= 1.0):
        raise InputError.single(CMDLINE, "--carryover-share", "must lie between 0 and 1")
    for name in ("min_projects", "max_per_country", "max_per_technology", "staff_limit"):
        if getattr(args, name) is not None and getattr(args, name) < 0:
            raise InputError.single(CMDLINE, "--" + name.replace("_", "-"),
                                    "must not be negative")
    for name in ("max_share_per_country", "max_share_per_technology"):
        value = getattr(args, name)
        if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise InputError.single(CMDLINE, "--" + name.replace("_", "-"),
                                    "must lie between 0 and 1")


def rules_from_args(args) -> Rules:
    """The portfolio rules given on the command line."""
    return Rules(
        min_projects=args.min_projects,
        max_per_country=args.max_per_country,
        max_share_per_country=args.max_share_per_country,
        max_per_technology=args.max_per_technology,
        max_share_per_technology=args.max_share_per_technology,
        staff_limit=args.staff_limit,
        screen_only=args.screen_only,
    )


@dataclass(frozen=True)
class Prepared:
    """What the command line asks for: the problem, the solver objective and its parameters.

    In scenario mode ``scenario`` and ``built`` say where the problem came from.
    """

    problem: PortfolioProblem
    objective: str
    params: dict
    scenario: Scenario | None = None
    built: ScenarioProblem | None = None

    @property
    def mode(self) -> str:
        return "scenario" if self.scenario is not None else "spreadsheet"


def prepare(args) -> Prepared:
    """Build the problem and objective from the command line (either mode).

    Raises
    ------
    InputError
        For bad arguments, a bad scenario file or bad tables.
    """
    _check_args(args)
    if args.scenario:
        return _prepare_scenario(args)
    if args.objective in METRICS or args.metric:
        raise InputError.single(CMDLINE, "--objective" if args.objective in METRICS
                                else "--metric", "metric objectives need a scenario file")
    for flag, value in (("--candidates", args.candidates), ("--budgets", args.budgets)):
        if not value:
            raise InputError.single(CMDLINE, flag,
                                    "required in spreadsheet mode (or give a scenario file)")
    notes: list[str] = []
    problem = load_problem(args.candidates, args.budgets, rules=rules_from_args(args),
                           carryover_share=args.carryover_share, notes=notes)
    for note in notes:  # e.g. a table Japanese Excel saved in Shift_JIS
        print(f"note: {note}")
    return Prepared(problem, args.objective or "expected", objective_params(args))


def _prepare_scenario(args) -> Prepared:
    if args.candidates or args.budgets:
        raise InputError.single(CMDLINE, "--candidates" if args.candidates else "--budgets",
                                "give either a scenario file or spreadsheet tables, not both")
    if args.scenarios < 1:
        raise InputError.single(CMDLINE, "--scenarios", "must be at least 1")
    if args.resim_trials < 0:
        raise InputError.single(CMDLINE, "--resim-trials", "must not be negative")
    if not 0 <= getattr(args, "improve", 0) <= 200:
        raise InputError.single(CMDLINE, "--improve", "must lie between 0 and 200 runs")
    from optimize.scenario_mode import build_problem, resolve_objective
    from sim.loader import load_scenario

    scenario = load_scenario(args.scenario)
    weights = parse_weights(args.weights) if args.weights else None
    try:
        objective, metric, params = resolve_objective(
            scenario, args.objective or "credits_fy2030", args.metric, args.target,
            args.target_value, args.alpha, weights)
    except ValueError as err:
        raise InputError.single(CMDLINE, "--objective", str(err)) from None
    rules = rules_from_args(args)
    built = build_problem(scenario, metric, args.scenarios, args.seed, rules,
                          run=run_options(args))
    return Prepared(built.problem, objective, params, scenario, built)


def objective_params(args) -> dict:
    """Objective parameters given on the command line (spreadsheet mode)."""
    params = {}
    if args.alpha is not None:
        params["alpha"] = args.alpha
    if args.target is not None:
        try:
            params["target"] = float(args.target)
        except ValueError:
            raise InputError.single(CMDLINE, "--target",
                                    "must be a number in spreadsheet mode") from None
    if args.per_demo:
        params["per_demo"] = True
    if args.objective == "weighted":
        params["weights"] = parse_weights(args.weights or "expected=1,cvar=1")
    return params


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``expected=1,cvar=0.5`` into a weights dict."""
    rule = ("expected a list like expected=1,cvar=0.5 (names: expected, cvar; numbers from 0 "
            f"to {limits.MAX_WEIGHT:g})")
    weights = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or name not in ("expected", "cvar") or name in weights \
                or not (math.isfinite(number) and 0.0 <= number <= limits.MAX_WEIGHT):
            raise InputError.single(CMDLINE, "--weights", rule)
        weights[name] = number
    return weights


def solve_prepared(prep: Prepared, args, problem: PortfolioProblem | None = None) -> Solution:
    """Solve ``problem`` (default: the prepared one) with the command line's limits."""
    from optimize.solve import solve

    try:
        return solve(problem or prep.problem, prep.objective, time_limit_s=args.time_limit,
                     mip_gap=args.mip_gap, **prep.params)
    except ValueError as err:
        raise InputError.single(CMDLINE, "--objective", str(err)) from None


def _fmt(v, spec=".6g") -> str:
    # + 0.0 turns a negative zero (a bound of -0) into 0
    return "—" if v is None or not math.isfinite(v) else format(v + 0.0, spec)


STATUS_WORDS = {
    "optimal": "OPTIMAL (proven)",
    "time_limit": "TIME LIMIT (not proven optimal)",
    "infeasible": "INFEASIBLE",
    "error": "SOLVER ERROR",
}


def format_solution(problem: PortfolioProblem, sol: Solution) -> str:
    """A readable report: selection, spend against budget, objective, status, timings."""
    headline = sol.message.split(". ")[0] if sol.diagnosis else sol.message
    lines = [f"Status:    {STATUS_WORDS[sol.status]} — {headline}"]
    lines.append(f"Objective: {sol.objective} = {_fmt(sol.objective_value)}   "
                 f"bound {_fmt(sol.best_bound)}   gap "
                 f"{'—' if sol.mip_gap is None else _fmt(100 * sol.mip_gap, '.4g') + ' %'}")
    if sol.objective == "prob_target" and sol.status == "optimal" \
            and sol.objective_value is not None and abs(sol.objective_value) < 1e-12:
        lines.append("Note:      no portfolio reaches the target in any scenario, so every "
                     "portfolio scores 0 and none is preferred: lower the target or optimise "
                     "another objective.")
    by_id = {c.id: c for c in problem.candidates}
    if sol.selected:
        lines.append(f"\nSelected projects ({len(sol.selected)}):")
        # widths in terminal columns: ids, countries and 億円 may hold wide characters
        wid = max([16] + [text_width(cid) for cid, _ in sol.selected])
        wc = max([12] + [text_width(by_id[cid].country) for cid, _ in sol.selected])
        lines.append(f"  {ljust_columns('id', wid)} {'start':<7} {ljust_columns('country', wc)} "
                     f"{rjust_columns('cost 億円', 10)}  name")
        for cid, fy in sol.selected:
            cand = by_id[cid]
            opt = next(o for o in cand.options if o.start_fy == fy)
            lines.append(f"  {ljust_columns(cid, wid)} FY{fy:<5} "
                         f"{ljust_columns(cand.country, wc)} "
                         f"{opt.cost_total_oku_yen:>10.2f}  {cand.name}")
    elif sol.status in ("optimal", "time_limit"):
        lines.append("\nSelected projects: none")
    if sol.status in ("optimal", "time_limit") or sol.selected:
        left = unspent_by_fy(problem, sol.spend_by_fy)
        lines.append("\nSpend vs budget (億円):")
        lines.append(f"  {'year':<8} {'spend':>9} {'budget':>9} {'unspent':>9}")
        for fy, budget in sol.budget_by_fy.items():
            lines.append(f"  FY{fy:<6} {sol.spend_by_fy.get(fy, 0.0):>9.2f} {budget:>9.2f} "
                         f"{left[fy]:>9.2f}")
    if sol.diagnosis:
        lines.append("\nWhy infeasible:")
        lines.extend(f"  - {d}" for d in sol.diagnosis)
    lines.append(f"\nBuild {sol.build_seconds:.2f} s, solve {sol.solve_seconds:.2f} s")
    return "\n".join(lines)


def print_policies(plan) -> None:
    """The optimizer's portfolio against the simple policies in the full model."""

    shown = plan.shown
    print(f"\nIn the full model ({plan.results.n_trials} trials, seed {plan.results.seed}, "
          "the same for every plan):")
    for p in plan.policies:
        se = "" if p.std_error_vs_shown is None else f"  (± {p.std_error_vs_shown:.3g} vs shown)"
        mark = "→" if p is shown else " "
        note = "" if p.admissible else "  (breaks a portfolio rule: not eligible)"
        print(f"  {mark} {POLICY_LABELS[p.name]:<52} {_fmt(p.value)}{se}  "
              f"[{len(p.windows)} candidates]{note}")
    if shown.name != "optimizer":
        print(f"Proposal: {POLICY_LABELS[shown.name]} does better in the full model than the "
              "optimizer's portfolio (by more than twice the Monte Carlo error); it is the "
              "proposal ('proposal' in the JSON):")
        for cid, (lo, hi) in sorted(shown.windows.items()):
            when = f"FY{lo}" if lo == hi else f"FY{lo}–FY{hi}"
            print(f"    {cid}  {when}")
        kpis = plan.report().get("proposal_kpis")
        if kpis:
            print_kpi_table(kpis)
    else:
        print("Proposal: the optimizer's portfolio (no simple policy does better beyond Monte "
              "Carlo error).")


def run(args) -> int:
    """Run ``jcm optimize``; returns the exit status."""
    prep = prepare(args)
    if prep.scenario is None:
        sol = solve_prepared(prep, args)
        print(format_solution(prep.problem, sol))
        data = {**sol.to_dict(), "mode": "spreadsheet"}
    else:
        from optimize.scenario_mode import optimize_scenario

        plan = optimize_scenario(
            prep.scenario, args.objective or "credits_fy2030", metric=prep.built.metric,
            target=args.target, target_value=args.target_value, alpha=args.alpha,
            weights=prep.params.get("weights"), n_scenarios=args.scenarios, seed=args.seed,
            resim_trials=args.resim_trials, time_limit_s=args.time_limit,
            mip_gap=args.mip_gap, built=prep.built, compare_policies=not args.no_policies,
            improve_evaluations=args.improve, run=run_options(args))
        sol = plan.solution
        print(f"Scenario '{prep.scenario.name}': {len(prep.problem.candidates)} candidates, "
              f"{prep.built.n_scenarios} sampled scenarios (seed {prep.built.seed}); "
              f"objective {sol.objective} of {METRICS[plan.metric][0]}")
        print(format_solution(prep.problem, sol))
        data = plan.report()
        if plan.results is not None:
            print(f"\nIn-sample objective {_fmt(plan.in_sample)}; re-simulated out of sample "
                  f"({plan.results.n_trials} trials, seed {plan.results.seed}, full model): "
                  f"{_fmt(plan.out_of_sample)}")
            print_kpi_table(data["kpis"])
        if plan.policies:
            print_policies(plan)
    if args.json:
        write_json(args.json, data)
    return EXIT_CODES[sol.status]
