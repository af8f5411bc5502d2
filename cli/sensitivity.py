"""``jcm sensitivity``: which assumption drives a KPI most (tornado, Morris, Sobol)."""

from __future__ import annotations

import argparse
import math
import sys

from cli.bounds import as_options
from cli.commands import HELP_LINES
from cli.output import check_output_file, print_table, write_json
from sensitivity import analysis
from sim.distributed import SchedulerError
from sim.engines import ENGINES
from sim.errors import InputError
from sim.loader import load_scenario


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sensitivity",
        help=HELP_LINES["sensitivity"],
        description="Rank every uncertain assumption of a scenario (grouped: e.g. all "
        "demonstrations' performance ratio is one factor; the largest projects' own size; "
        "budgets; capacities) by its effect on one KPI. tornado: each factor at its P10 and "
        "P90 with the others as distributed; morris: elementary effects (screening); sobol: "
        "first-order and total indices with 95% confidence intervals. Every evaluation uses "
        "the same random numbers.",
    )
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--kpi", default="credits_fy2030_t",
                   help="KPI id (default credits_fy2030_t; see jcm simulate)")
    p.add_argument("--method", choices=analysis.METHODS, default="tornado",
                   help="tornado (default), morris or sobol")
    p.add_argument("--trials", type=int, default=None,
                   help="trials per evaluation (default: tornado "
                   f"{analysis.DEFAULT_TRIALS['tornado']}, morris "
                   f"{analysis.DEFAULT_TRIALS['morris']}, sobol "
                   f"{analysis.DEFAULT_TRIALS['sobol']})")
    p.add_argument("--seed", type=int, default=1, help="root random seed (default 1)")
    p.add_argument("--n", type=int, default=analysis.DEFAULT_N,
                   help=f"sobol: base samples, a power of two (default {analysis.DEFAULT_N})")
    p.add_argument("--r", type=int, default=analysis.DEFAULT_R,
                   help=f"morris: trajectories (default {analysis.DEFAULT_R})")
    p.add_argument("--largest", type=int, default=3,
                   help="largest projects with factors of their own (default 3)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes to use, or Dask workers with --scheduler local (default: "
                   "up to 2); results do not depend on it")
    p.add_argument("--scheduler", default=None, metavar="local|tcp://HOST:PORT",
                   help="run the evaluations on Dask: 'local' starts a LocalCluster of "
                   "--workers processes; an address sends them to a running dask.distributed "
                   "scheduler; results are identical to a run on this machine")
    p.add_argument("--engine", choices=ENGINES, default="fast",
                   help="fast: the compiled engine (default); des: the SimPy reference; "
                   "same numbers either way")
    p.add_argument("--json", metavar="OUT", help="also write the result as JSON to OUT")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _bar(quiet: bool):
    def progress(done: int, total: int) -> bool:
        if not quiet:
            width = 30
            fill = int(width * done / max(total, 1))
            sys.stderr.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{total} "
                             "evaluations")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        return True

    return progress


def _num(x: float | None, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if unit == "share":
        return f"{100 * x:.1f}%"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.3g}"


def run(args: argparse.Namespace) -> int:
    try:
        s = analysis.settings(args.method, args.kpi, args.trials, args.seed, args.n, args.r,
                              args.largest, args.workers, engine=args.engine,
                              scheduler=args.scheduler)
    except InputError as err:
        raise as_options(err, {}) from None
    check_output_file("--json", args.json, [args.scenario])
    scenario = load_scenario(args.scenario)
    d, total = analysis.plan_size(scenario, s)
    where = f", on Dask scheduler {s.scheduler}" if s.scheduler else ""
    print(f"Scenario '{scenario.name}' ({args.scenario}): {s.method} of {s.kpi}, {d} factors, "
          f"{s.trials} trials per evaluation, seed {s.seed}, {total:,} trials in all{where}")
    try:
        doc = analysis.run(scenario, s, progress=_bar(args.quiet))
    except SchedulerError as err:
        print(f"error: --scheduler: {err}", file=sys.stderr)
        return 2
    unit = doc["unit"]
    rows = []
    if s.method == "tornado":
        b = doc["base"]
        print(f"\nbase: mean {_num(b['mean'], unit)} (MC s.e. {_num(b['std_error'], unit)})"
              + ("" if b["prob_meet"] is None else f", P(meet) {b['prob_meet']:.1%}"))
        for f in doc["factors"]:
            prob = ("" if f["prob_low"] is None
                    else f"{f['prob_low']:.0%} → {f['prob_high']:.0%}")
            rows.append([f["label_en"], _num(f["low_value"]), _num(f["high_value"]),
                         _num(f["mean_low"], unit), _num(f["mean_high"], unit),
                         _num(f["swing"], unit), _num(f["swing_se"], unit),
                         "within noise" if f["within_noise"] else "", prob])
        print_table(["factor", "P10 value", "P90 value", "mean at P10", "mean at P90",
                     "swing", "MC s.e.", "", "P(meet)"], rows)
    elif s.method == "morris":
        for f in doc["factors"]:
            rows.append([f["label_en"], _num(f["mu_star"], unit), _num(f["mu_star_conf"], unit),
                         _num(f["sigma"], unit)])
        print_table(["factor", "mu*", "mu* 95% CI ±", "sigma"], rows)
    else:
        for f in doc["factors"]:
            rows.append([f["label_en"], f"{f['S1']:.3f} ± {f['S1_conf']:.3f}",
                         f"{f['ST']:.3f} ± {f['ST_conf']:.3f}"])
        print_table(["factor", "first-order S1 (95% CI)", "total ST (95% CI)"], rows)
    print(f"\n{doc['seconds']:.1f} s")
    if args.json:
        write_json(args.json, doc)
        print(f"wrote {args.json}")
    return 0
