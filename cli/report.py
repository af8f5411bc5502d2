"""``jcm report``: the mid-term or final evaluation material as an HTML page and an Excel
workbook, in Japanese or English."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from cli.bounds import as_options, check_int, check_seed, check_work
from cli.commands import HELP_LINES
from cli.output import check_output_folder
from sim import limits
from sim.engines import ENGINES
from sim.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help=HELP_LINES["report"],
        description="Forecast a scenario and write the mid-term or final evaluation material: "
        "the targets in the layout evaluation documents use, the contribution to the "
        "national JCM goal, cost-effectiveness, budget use by fiscal year, the projects, the "
        "charts, a tornado of the assumptions, and everything needed to reproduce the numbers. "
        "The HTML page opens offline.",
    )
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--evaluation", choices=("midterm", "final"), default="midterm",
                   help="which evaluation (default midterm)")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="language (default ja)")
    p.add_argument("--out", default="report", help="output folder (default report/)")
    p.add_argument("--trials", type=int, default=2000, help="Monte Carlo trials (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="root random seed (default 1)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="processes to use (default: up to 2); results do not depend on it")
    p.add_argument("--engine", choices=ENGINES, default="fast",
                   help="fast: the compiled engine (default); des: the SimPy reference; "
                   "same numbers either way")
    p.add_argument("--tornado-kpi", default="credits_fy2030_t",
                   help="KPI of the tornado (default credits_fy2030_t)")
    p.add_argument("--tornado-trials", type=int, default=100,
                   help="trials per tornado evaluation (default 100; 0 leaves the tornado out)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_int("--trials", args.trials, 1, limits.MAX_TRIALS)
    check_int("--workers", args.workers, 1, limits.MAX_WORKERS)
    check_seed(args.seed)
    check_output_folder("--out", args.out, [args.scenario])
    # the simulation, the sensitivity analysis and the writers: imported once the arguments
    # are checked
    from report.build import build_report, write_report
    from report.content import file_sha256
    from sensitivity import analysis
    from sim.loader import load_scenario
    from sim.montecarlo import simulate
    from sim.scenario_io import resolve_scenario_dict

    tornado_settings = None
    if args.tornado_trials:
        try:
            tornado_settings = analysis.settings(
                "tornado", args.tornado_kpi, args.tornado_trials, args.seed,
                workers=min(args.workers, 8), engine=args.engine)
        except InputError as err:
            raise as_options(err, {"trials": "--tornado-trials", "kpi": "--tornado-kpi"}) \
                from None
    scenario = load_scenario(args.scenario)
    check_work(scenario, args.trials)
    data = Path(args.scenario).read_bytes()
    raw = resolve_scenario_dict(args.scenario)
    print(f"Scenario '{scenario.name}' ({args.scenario}): {args.trials} trials, seed {args.seed}")
    results = simulate(scenario, args.trials, args.seed, workers=args.workers,
                       engine=args.engine)
    tornado = None
    if tornado_settings is not None:
        live = sys.stderr.isatty()  # a progress line redrawn in place only on a terminal

        def progress(done: int, total: int) -> bool:
            if live:
                sys.stderr.write(f"\rtornado: {done}/{total} evaluations")
            if done >= total:
                sys.stderr.write("\n" if live else f"tornado: {done}/{total} evaluations\n")
            return True

        tornado = analysis.run(scenario, tornado_settings, progress=progress)
    command = "jcm " + " ".join(shlex.quote(a) for a in (
        "report", args.scenario, "--evaluation", args.evaluation, "--lang", args.lang,
        "--trials", str(args.trials), "--seed", str(args.seed),
        "--tornado-kpi", args.tornado_kpi, "--tornado-trials", str(args.tornado_trials)))
    rep = build_report(scenario, results, args.evaluation, args.lang, raw=raw,
                       scenario_sha256=file_sha256(data), tornado=tornado, command=command)
    try:
        html_path, xlsx_path = write_report(rep, args.out)
    except OSError as err:
        raise InputError.single(args.out, "", f"cannot write the report: {err.strerror}") from None
    print(f"wrote {html_path} ({len(rep.html) / 1e6:.1f} MB)")
    print(f"wrote {xlsx_path}")
    return 0
