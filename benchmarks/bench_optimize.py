"""Benchmark the portfolio optimizer: model build time against solve time.

Synthetic problems with 50, 150 and 300 candidates, 5 start years each, 14 budget years and
500 value scenarios; objectives ``cvar`` (alpha 0.9) and ``expected``. Prints the median over
a few repeats of the build time (Pyomo model plus hand-over to HiGHS) and the solve time,
with the status of every repeat and the median and largest relative gap.

Run::

    .venv/bin/python benchmarks/bench_optimize.py [--repeats 3] [--time-limit 60]
        [--sizes 50 150 300] [--objectives cvar expected] [--mip-gap 0.001]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimize.problem import Candidate, Option, PortfolioProblem, Rules  # noqa: E402
from optimize.solve import solve  # noqa: E402

FIRST_FY = 2026
N_YEARS = 14
N_STARTS = 5
N_SCENARIOS = 500


def synthetic_problem(n: int, seed: int = 0) -> PortfolioProblem:
    """``n`` candidates × 5 start years, 14 budget years, 500 scenarios (units: 億円, t-CO2)."""
    rng = np.random.default_rng(seed)
    years = list(range(FIRST_FY, FIRST_FY + N_YEARS))
    countries = [f"country{k}" for k in range(12)]
    common = rng.lognormal(0.0, 0.3, size=N_SCENARIOS)  # a shock shared by all projects
    cands = []
    for i in range(n):
        base = rng.lognormal(np.log(5000), 0.8)
        own = rng.lognormal(0.0, 0.6, size=N_SCENARIOS) * (rng.random(N_SCENARIOS) > 0.2)
        total_cost = rng.uniform(1.0, 15.0)
        length = int(rng.integers(2, 5))
        options = []
        for k in range(N_STARTS):
            start = FIRST_FY + 1 + k
            share = total_cost / length
            costs = {y: share for y in range(start, start + length) if y in years}
            decay = 0.85 ** k  # a later start delivers less by the horizon
            options.append(Option(
                start_fy=start, cost_by_fy=costs, value_mean=float(base * decay),
                value_scenarios=base * decay * own * common,
                running_fys=tuple(range(start, start + length)),
            ))
        cands.append(Candidate(id=f"c{i:03d}", country=countries[i % len(countries)],
                               options=tuple(options)))
    budget = 0.25 * n * 8.0 / N_YEARS * 1.5  # about a quarter of the candidates fit
    return PortfolioProblem(
        candidates=tuple(cands),
        budget_by_fy={y: budget for y in years},
        carryover_share=0.3,
        rules=Rules(max_per_country=max(2, n // 20)),
    )


def _percent(gap: float | None) -> str:
    """A relative gap as a percentage with three decimals, or a dash when unknown."""
    return "—" if gap is None else f"{100 * gap:.3f}%"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 150, 300])
    parser.add_argument("--objectives", nargs="+", default=["cvar", "expected"])
    parser.add_argument("--mip-gap", type=float, default=0.0,
                        help="relative gap at which the solver may stop (default 0: prove "
                        "optimality)")
    args = parser.parse_args(argv)
    print(f"{N_STARTS} start years, {N_YEARS} budget years, {N_SCENARIOS} scenarios; "
          f"time limit {args.time_limit:g} s per solve; gap tolerance {args.mip_gap:g}; "
          f"median of {args.repeats} repeats")
    print(f"{'cands':>5} {'objective':<9} {'vars':>6} {'build s':>8} {'solve s':>8} "
          f"{'status (all repeats)':<22} {'med gap':>8} {'max gap':>8}")
    for n in args.sizes:
        problem = synthetic_problem(n)
        for objective in args.objectives:
            params = {"alpha": 0.9} if objective == "cvar" else {}
            builds, solves, statuses, gaps = [], [], [], []
            for _ in range(args.repeats):
                sol = solve(problem, objective, time_limit_s=args.time_limit,
                            mip_gap=args.mip_gap, diagnose_infeasible=False, **params)
                builds.append(sol.build_seconds)
                solves.append(sol.solve_seconds)
                statuses.append(sol.status)
                gaps.append(sol.mip_gap)
            status = ",".join(f"{statuses.count(s)}x{s}" for s in sorted(set(statuses)))
            known = [g for g in gaps if g is not None]
            middle = _percent(statistics.median(known) if known else None)
            worst = _percent(max(known, default=None))
            print(f"{n:>5} {objective:<9} {n * N_STARTS:>6} {statistics.median(builds):>8.2f} "
                  f"{statistics.median(solves):>8.2f} {status:<22} {middle:>8} {worst:>8}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
