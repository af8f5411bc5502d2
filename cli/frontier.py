"""``jcm frontier``: how the best portfolio changes as every fiscal-year budget is scaled.

::

    jcm frontier --candidates my_sheet.csv --budgets my_budget.csv \\
        --budget-scale 0.5:2.0:7 [--objective expected] [--time-limit S] [--json frontier.json]

``--budget-scale START:STOP:COUNT`` solves COUNT problems with every budget multiplied by
evenly spaced factors from START to STOP. Takes the same options as ``jcm optimize``; with a
scenario file the candidates are sampled once and every point reuses them, and
``--risk-points K`` adds the expected-vs-CVaR frontier (``risk_frontier`` in the JSON: each
point's CVaR weight, expected value, CVaR and portfolio).

Exit status: 0 when every point is optimal or infeasible (an infeasible point is an answer:
that budget is too small), 3 when any point hit the time limit, 5 on a solver error, 2 bad
input. ``--json`` writes ``{"objective", "objective_params", "points": [...]}``; each point
holds ``scale`` and every field ``jcm optimize --json`` writes (``status``,
``objective_value``, ``selected``, ``spend_by_fy``, ``budget_by_fy``, …).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from cli.commands import HELP_LINES
from cli.optimize import (
    CMDLINE,
    _fmt,
    add_common_arguments,
    prepare,
    solve_prepared,
)
from cli.output import write_json
from sim.errors import InputError

MAX_POINTS = 200


def parse_scale(text: str) -> list[float]:
    """Parse ``START:STOP:COUNT`` into the list of budget factors."""
    parts = text.split(":")
    rule = "expected START:STOP:COUNT, e.g. 0.5:2.0:7 (factors 0 to 100, 1 ≤ COUNT ≤ 200)"
    if len(parts) != 3:
        raise InputError.single(CMDLINE, "--budget-scale", rule)
    try:
        start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise InputError.single(CMDLINE, "--budget-scale", rule) from None
    if not (math.isfinite(start) and math.isfinite(stop)) \
            or not (0 <= start <= 100 and 0 <= stop <= 100):
        raise InputError.single(CMDLINE, "--budget-scale", rule)
    if not 1 <= count <= MAX_POINTS:
        raise InputError.single(CMDLINE, "--budget-scale", rule)
    return [float(v) for v in np.linspace(start, stop, count)]


def add_parser(sub) -> None:
    """Register ``jcm frontier``."""
    p = sub.add_parser(
        "frontier",
        help=HELP_LINES["frontier"],
        description="How the best portfolio changes as every fiscal-year budget is scaled: "
        "one solve per factor of --budget-scale. Takes the options of jcm optimize; with a "
        "scenario file the candidates are sampled once and every point reuses them.",
        epilog="Exit status: 0 when every point is optimal or infeasible (an infeasible point "
        "is an answer: that budget is too small), 3 when any point hit the time limit, 5 on "
        "a solver error, 2 bad input.",
    )
    add_common_arguments(p)
    p.add_argument("--budget-scale", required=True, metavar="START:STOP:COUNT",
                   help="budget factors, e.g. 0.5:2.0:7")
    p.add_argument("--risk-points", type=int, default=5, metavar="K",
                   help="scenario mode: points on the expected-vs-CVaR frontier (default 5; "
                   "0 skips it)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``jcm frontier``; returns the exit status."""
    scales = parse_scale(args.budget_scale)
    if not 0 <= args.risk_points <= MAX_POINTS:
        raise InputError.single(CMDLINE, "--risk-points", f"must lie between 0 and {MAX_POINTS}")
    prep = prepare(args)
    points = []
    print(f"{'scale':>7} {'status':<11} {'objective':>14} {'projects':>8} {'gap':>8}  seconds")
    for scale in scales:
        if prep.scenario is not None:
            from optimize.scenario_mode import scale_budgets

            scaled = scale_budgets(prep.problem, scale)
        else:
            scaled = dataclasses.replace(
                prep.problem,
                budget_by_fy={fy: b * scale for fy, b in prep.problem.budget_by_fy.items()})
        sol = solve_prepared(prep, args, scaled)
        point = {"scale": scale, **sol.to_dict()}
        points.append(point)
        gap = "—" if sol.mip_gap is None else f"{100 * sol.mip_gap:.2f}%"
        print(f"{scale:>7.3g} {sol.status:<11} {_fmt(sol.objective_value):>14} "
              f"{len(sol.selected):>8} {gap:>8}  {sol.build_seconds + sol.solve_seconds:.2f}")
        if sol.status not in ("optimal",):
            print(f"        {sol.message}")
    doc = {
        "objective": prep.objective,
        "objective_params": prep.params,
        "mode": prep.mode,
        "points": points,
    }
    statuses = {p["status"] for p in points}
    if prep.built is not None and args.risk_points > 0:
        from optimize.scenario_mode import risk_frontier

        alpha = prep.params.get("alpha", 0.9 if args.alpha is None else args.alpha)
        risk = risk_frontier(prep.built, alpha=alpha, points=args.risk_points,
                             time_limit_s=args.time_limit)
        print(f"\nExpected vs CVaR (alpha {alpha:g}) of {prep.built.metric}:")
        print(f"{'CVaR weight':>11} {'status':<11} {'expected':>14} {'CVaR':>14} {'projects':>8}")
        for r in risk:
            print(f"{r['cvar_weight']:>11.2f} {r['status']:<11} {_fmt(r.get('expected')):>14} "
                  f"{_fmt(r.get('cvar')):>14} {len(r['selected']):>8}")
        doc["metric"] = prep.built.metric
        doc["risk_frontier"] = {"alpha": alpha, "points": risk}
        statuses |= {r["status"] for r in risk}
    if args.json:
        write_json(args.json, doc)
    if "error" in statuses:
        return 5
    if "time_limit" in statuses:
        return 3
    return 0
