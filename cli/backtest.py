"""``jcm backtest``: the model at a past cut-off against what the data show happened after it."""

from __future__ import annotations

import argparse

from cli.bounds import check_int, check_seed
from cli.commands import HELP_LINES
from cli.output import check_output_file, print_table, write_json
from sim import limits
from sim.backtest import parse_cutoff, run_backtest
from sim.jcm_data import DATA_ENV, Data


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backtest",
        help=HELP_LINES["backtest"],
        description="Put the model at a past cut-off (the start of a fiscal year) with what "
        "was known then, forecast what the public JCM data show happened later (component "
        "delays, issuance amounts, cumulative JCM issuance) and report, per observable, how "
        "many observations fall inside the model's P10-P90 band (the aim is about 80 %).",
    )
    p.add_argument("--cutoff", default="2016-04",
                   help="cut-off month, the start of a fiscal year: YYYY-04 (default 2016-04)")
    p.add_argument("--trials", type=int, default=1000,
                   help="draws per case and Monte Carlo trials (default 1000, at most "
                   f"{limits.MAX_BACKTEST_TRIALS:,})")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--data", metavar="DIR",
                   help=f"folder with the JCM data (default ${DATA_ENV} or ../shared/data)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.set_defaults(func=run)


def _num(x: float, unit: str) -> str:
    if unit == "months":
        return f"{x:.1f}"
    return f"{x:,.0f}"


def run(args: argparse.Namespace) -> int:
    check_int("--trials", args.trials, 1, limits.MAX_BACKTEST_TRIALS)
    check_seed(args.seed)
    check_output_file("--json", args.json)
    cutoff = parse_cutoff(args.cutoff)
    result = run_backtest(Data.load(args.data), cutoff, args.trials, args.seed)
    report = result.as_dict()
    print(f"Backtest from {report['cutoff']} (model starts 1 April {cutoff.year}): "
          f"{args.trials} draws/trials, seed {args.seed}")
    print()
    rows = []
    for o in report["observables"]:
        cov = "–" if o["coverage"] is None else f"{o['coverage']:.0%}"
        rows.append([o["name"], o["cases"], o["inside"], o["below"], o["above"], cov])
    a = report["all"]
    rows.append(["all", a["cases"], a["inside"], "", "",
                 "–" if a["coverage"] is None else f"{a['coverage']:.0%}"])
    print_table(["observable", "cases", "inside P10-P90", "below", "above", "coverage"], rows)
    print()
    detail = []
    for o in report["observables"]:
        for c in o["cases_detail"]:
            detail.append([o["name"], ", ".join(c["rows"]), c["date"] or "undated",
                           _num(c["observed"], o["unit"]), _num(c["p10"], o["unit"]),
                           _num(c["p50"], o["unit"]), _num(c["p90"], o["unit"]), c["position"],
                           "yes" if c["fitted_on"] else "no"])
    if detail:
        print_table(["observable", "rows", "date", "observed", "P10", "P50", "P90", "where",
                     "fitted on"], detail, title="Cases")
        print()
    print("'fitted on': the case's rows were used to calibrate the defaults (in-sample).")
    if args.json:
        write_json(args.json, report)
        print(f"\nwrote {args.json}")
    return 0
