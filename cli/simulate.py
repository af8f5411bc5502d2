"""``jcm simulate``: Monte Carlo forecast of a scenario; KPI table and JSON."""

from __future__ import annotations

import argparse
import sys

from cli.bounds import check_int, check_seed, check_work, shorten
from cli.commands import HELP_LINES
from cli.engine_options import add_run_options, run_options
from cli.output import check_output_file, print_table, write_json
from sim import limits
from sim.distributed import SchedulerError
from sim.engines import effective_workers


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate",
        help=HELP_LINES["simulate"],
        description="Run the Monte Carlo + discrete-event model of a scenario and print the "
        "program's KPIs: mean, P10, P50, P90, target, probability of meeting it and the Monte "
        "Carlo standard error.",
    )
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--trials", type=int, default=2000, help="Monte Carlo trials (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="root random seed (default 1)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument(
        "--per-trial", action="store_true",
        help="include per-trial program totals by fiscal year in the JSON",
    )
    add_run_options(p)
    p.set_defaults(func=run)


def _fmt(x: float | None, unit: str) -> str:
    if x is None or x != x:
        return "–"
    if unit == "share":
        return f"{x:.1%}" if abs(x) >= 0.01 or x == 0 else f"{100 * x:.3g}%"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def print_kpi_table(kpis: dict) -> None:
    """Print the KPI table from the ``kpis`` part of a simulation report."""
    rows = []
    for k in kpis.values():
        u = k["unit"]
        prob = "–" if k["prob_meet"] is None else f"{k['prob_meet']:.1%}"
        rows.append([k["label"], u, _fmt(k["mean"], u), _fmt(k["p10"], u), _fmt(k["p50"], u),
                     _fmt(k["p90"], u), _fmt(k["target"], u), prob, _fmt(k["std_error"], u)])
    print_table(["KPI", "unit", "mean", "P10", "P50", "P90", "target", "P(meet)", "MC s.e."],
                rows)


def run(args: argparse.Namespace) -> int:
    check_int("--trials", args.trials, 1, limits.MAX_TRIALS)
    check_seed(args.seed)
    check_output_file("--json", args.json, [args.scenario])
    options = run_options(args)  # checks --workers, --engine and --scheduler
    # the simulation's modules load the engines: imported once the arguments are checked
    from sim.loader import load_scenario
    from sim.report_data import simulation_report
    from sim.runner import run_trials

    notes: list[str] = []
    scenario = load_scenario(args.scenario, notes)
    for note in notes:
        print(f"note: {note}")
    check_work(scenario, args.trials)
    try:
        run_ = run_trials(scenario, args.trials, args.seed, options)
    except SchedulerError as err:
        print(f"error: --scheduler: {err}", file=sys.stderr)
        return 2
    results = run_.results
    report = simulation_report(scenario, results, per_trial=args.per_trial)
    used = effective_workers(args.trials, options.n_workers, results.engine)
    where = (f"Dask scheduler {args.scheduler}" if args.scheduler
             else f"{used} process(es)")
    print(f"Scenario '{scenario.name}' ({args.scenario}): {results.n_trials} trials, seed "
          f"{args.seed}, {run_.seconds:.1f} s on {where}")
    print(f"Engine: {results.engine_note}"
          + (f"; {results.des_reruns} trial(s) rerun by the SimPy engine"
             if results.des_reruns else ""))
    print()
    print_kpi_table(report["kpis"])
    ot = report["output_target"]
    print()
    print(f"Output target ({ot['target']} projects, FY{scenario.program.first_fy}–"
          f"FY{scenario.program.last_fy}): {ot['already_started']} started before the "
          f"simulation; at most {ot['max_reachable']} if every listed candidate started.")
    st = report["settings"]
    after = st["crediting_after_followup_years_mean"]
    print("Credits count issuance to the end of quantification follow-up"
          + (f" plus {after:g} year(s) of the participants' own issuance." if after else
             " (participants' own issuance after it is not counted)."))
    if not st["budget_after_last_fy_oku_yen"]:
        print(f"No successor program: no budget after FY{scenario.program.last_fy}"
              + ("; stages contracted by then are paid to their end."
                 if st["contracts_after_program"] else "."))
    failing = [s for s in report["screen"] if not s["passes"]]
    if failing:
        print()
        print(f"{len(failing)} candidate(s) fail the proposal screen: "
              + shorten([s["id"] for s in failing]) + " (see jcm validate)")
    if args.json:
        write_json(args.json, report)
        print(f"\nwrote {args.json}")
    return 0
