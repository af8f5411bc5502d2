"""Benchmark the portfolio optimizer: scenario-mode sampling, model build and solve times.

Sampling: ``optimize.scenario_mode.build_problem`` on the many-candidates scenario cut to its
26 fixed projects and its first 150 candidates, each allowed to start in any of 5 fiscal
years (the program's last year moved to FY2031 with the FY2026 budget in the added years,
every candidate's start years FY2027 to FY2031), with 500 scenarios: one simulation of the
limit-free scenario per start year plus one without candidates, all with
``keep_projects``. Timed with the fast engine at 500 scenarios and, for the ratio, with the
SimPy engine at ``--des-scenarios`` scenarios (both engines give the same numbers for the
same trials; the time per scenario is compared). The sampled problem is then solved
(objectives ``cvar`` and ``expected``).

Synthetic problems with 50, 150 and 300 candidates, 5 start years each, 14 budget years and
500 value scenarios; objectives ``cvar`` (alpha 0.9) and ``expected``. Prints the median over
a few repeats of the build time (Pyomo model plus hand-over to HiGHS) and the solve time,
with the status of every repeat and the median and largest relative gap.

Run (also part of ``benchmarks/bench_simulate.py``, section ``optimize``)::

    .venv/bin/python benchmarks/bench_optimize.py [--repeats 3] [--time-limit 60]
        [--sizes 50 150 300] [--objectives cvar expected] [--mip-gap 0.001]
        [--parts sampling synthetic] [--des-scenarios 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimize.problem import Candidate, Option, PortfolioProblem, Rules  # noqa: E402
from optimize.solve import solve  # noqa: E402

FIRST_FY = 2026
N_YEARS = 14
N_STARTS = 5
N_SCENARIOS = 500
#: Scenario-mode sampling: candidates, start years (the first is this FY) and scenarios.
SAMPLE_CANDIDATES = 150
SAMPLE_FIRST_START = 2027
ROOT = Path(__file__).resolve().parents[1]


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


def sampling_scenario(n_candidates: int = SAMPLE_CANDIDATES, n_starts: int = N_STARTS):
    """The many-candidates scenario with its fixed projects and its first ``n_candidates``
    candidates, each free to start in any of ``n_starts`` fiscal years from
    :data:`SAMPLE_FIRST_START` (the program's last year moved to the last of them)."""
    from sim.loader import load_scenario
    from sim.scenario import Scenario, Status

    sc = load_scenario(ROOT / "scenarios" / "many_candidates.toml")
    last = SAMPLE_FIRST_START + n_starts - 1
    fixed = [p for p in sc.projects if p.status is not Status.candidate]
    cands = [p.model_copy(update={"earliest_start_fy": SAMPLE_FIRST_START,
                                  "latest_start_fy": last})
             for p in sc.candidates[:n_candidates]]
    budget = dict(sc.budget_oku_yen)
    for fy in range(sc.program.last_fy + 1, last + 1):  # the FY2026 budget in the new years
        budget[fy] = sc.budget_oku_yen[sc.program.as_of_fy]
    data = sc.model_copy(update={
        "program": sc.program.model_copy(update={"last_fy": last}),
        "projects": tuple(fixed + cands),
        "budget_oku_yen": budget,
    })
    return Scenario.model_validate(data.model_dump())


def sampling(args) -> None:
    """Time ``build_problem`` (sampling and assembly) with both engines, then solve."""
    from optimize.scenario_mode import build_problem
    from sim.engines import effective_workers
    from sim.runner import RunOptions

    sc = sampling_scenario()
    # the first call loads the compiled engine; untimed (the same in any long-lived process)
    t0 = time.perf_counter()
    build_problem(sampling_scenario(5), n_scenarios=8, run=RunOptions(workers=1))
    first = time.perf_counter() - t0
    print(f"\n### Scenario-mode sampling: {len(sc.candidates)} candidates × {N_STARTS} start "
          f"years, {len(sc.projects)} projects, 1 worker\n")
    print("| engine | scenarios | simulations | repeats | median s | s per scenario | "
          "fast/des | target |")
    print("|---|---|---|---|---|---|---|---|")
    rates, problems = {}, {}
    for engine, n in (("des", args.des_scenarios), ("fast", N_SCENARIOS)):
        times = []
        repeats = 1 if engine == "des" else args.repeats
        for _ in range(repeats):
            t0 = time.perf_counter()
            sp = build_problem(sc, n_scenarios=n, run=RunOptions(workers=1, engine=engine))
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        rates[engine] = med / n
        problems[engine] = sp
        ratio = f"{rates['des'] / rates['fast']:.0f}×" if engine == "fast" else ""
        target = f"in seconds: {med:.1f} s" if engine == "fast" else ""
        print(f"| {engine} | {n} | {len(sp.start_years) + 1} | {repeats} | {med:.2f} | "
              f"{med / n:.4f} | {ratio} | {target} |", flush=True)
    print(f"\nFirst call in this process (loading the compiled engine, a small sampling): "
          f"{first:.2f} s. The fast engine uses 1 process for {N_SCENARIOS} trials "
          f"(effective_workers: {effective_workers(N_SCENARIOS, 2, 'fast')} of 2).")
    problem = problems["fast"].problem
    n_opts = sum(len(c.options) for c in problem.candidates)
    print(f"\n### Solving the sampled problem ({len(problem.candidates)} candidates, {n_opts} "
          f"options, {N_SCENARIOS} scenarios, time limit {args.time_limit:g} s, gap "
          f"{args.mip_gap:g}, 1 run each)\n")
    print("| objective | build s | solve s | status | gap |")
    print("|---|---|---|---|---|")
    for objective in args.objectives:
        params = {"alpha": 0.9} if objective == "cvar" else {}
        sol = solve(problem, objective, time_limit_s=args.time_limit, mip_gap=args.mip_gap,
                    diagnose_infeasible=False, **params)
        print(f"| {objective} | {sol.build_seconds:.2f} | {sol.solve_seconds:.2f} | "
              f"{sol.status} | {_percent(sol.mip_gap)} |", flush=True)
    print(f"\nLoad average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


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
    parser.add_argument("--parts", nargs="+", choices=["sampling", "synthetic"],
                        default=["sampling", "synthetic"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="seeds of the synthetic problems' generator (default 0); each "
                        "seed is a different problem of every size")
    parser.add_argument("--des-scenarios", type=int, default=50,
                        help="scenarios sampled with the SimPy engine for the ratio (default 50)")
    args = parser.parse_args(argv)
    if "sampling" in args.parts:
        sampling(args)
    if "synthetic" not in args.parts:
        return 0
    print(f"\n### Synthetic problems\n\n{N_STARTS} start years, {N_YEARS} budget years, "
          f"{N_SCENARIOS} scenarios; "
          f"time limit {args.time_limit:g} s per solve; gap tolerance {args.mip_gap:g}; "
          f"median of {args.repeats} repeats")
    print("\n| candidates | seed | objective | options | build s | solve s | status (all repeats) "
          "| median gap | largest gap |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, seed in ((n, seed) for n in args.sizes for seed in args.seeds):
        problem = synthetic_problem(n, seed)
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
            print(f"| {n} | {seed} | {objective} | {n * N_STARTS} | "
                  f"{statistics.median(builds):.2f} | "
                  f"{statistics.median(solves):.2f} | {status} | {middle} | {worst} |",
                  flush=True)
    print(f"\nLoad average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
