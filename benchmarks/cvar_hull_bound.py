"""How far above the optimum any root bound of a CVaR portfolio problem must lie.

For equally likely scenarios, CVaR_alpha of a portfolio's totals is the smallest mean over
tail weights ``w`` (``0 ≤ w_s ≤ 1 / ((1 − alpha) S)``, ``Σ w_s = 1``). So, for every such
``w``, ``max over portfolios of Σ_s w_s · total_s`` (an expected-value MIP with the weights
``w``, solved with every budget and rule row integral) is an upper bound on the best CVaR; the
least of these bounds is the Lagrangian dual, the best CVaR over *mixtures* of feasible
portfolios. A formulation that writes CVaR with the Rockafellar–Uryasev rows (as
``optimize/model.py`` does) over linear rows in the portfolio variables, whatever valid
inequalities it adds, has a relaxation that contains those mixtures with their CVaR, so its
root bound is at least this value: the rest of the gap can only be closed by branching.

The script finds it by column generation: a master LP mixes the portfolios found so far to
maximise CVaR, its dual gives the next weights ``w``, and the weighted MIP gives a bound and a
new portfolio. The master's value and the least bound bracket the dual; they meet when it has
converged. Optionally the CVaR MIP itself is solved to proven optimality, to say how far the
dual lies above the optimum.

Usage::

    .venv/bin/python benchmarks/cvar_hull_bound.py [--size 150] [--seed 1] [--alpha 0.9]
        [--iterations 40] [--sub-time-limit 60] [--optimum-time-limit 600]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_optimize import synthetic_problem  # noqa: E402

from optimize.objectives import cvar_of, scenario_totals  # noqa: E402
from optimize.solve import solve  # noqa: E402


def weighted_problem(problem, w: np.ndarray):
    """The problem whose expected value is the ``w``-weighted total of the scenarios."""
    cands = tuple(
        dataclasses.replace(c, options=tuple(
            dataclasses.replace(o, value_mean=float(w @ o.value_scenarios)) for o in c.options))
        for c in problem.candidates)
    return dataclasses.replace(problem, candidates=cands,
                               fixed_value_mean=float(w @ problem.fixed_scenarios()))


def master(columns: list[np.ndarray], alpha: float) -> tuple[float, np.ndarray]:
    """Best CVaR_alpha over mixtures of the portfolios' scenario totals; the tail weights.

    LP: maximise ``η − Σ u_s / ((1 − alpha) S)`` with ``u_s ≥ η − Σ_j λ_j T_js``, ``Σ λ = 1``.
    Returns the value and the duals of the scenario rows (the weights ``w``).
    """
    totals = np.array(columns)  # portfolios × scenarios
    n_cols, n_s = totals.shape
    k = (1.0 - alpha) * n_s
    cost = np.concatenate([np.zeros(n_cols), np.full(n_s, 1.0 / k), [-1.0]])
    a_ub = np.hstack([-totals.T, -np.eye(n_s), np.ones((n_s, 1))])
    a_eq = np.concatenate([np.ones(n_cols), np.zeros(n_s), [0.0]])[None, :]
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(n_s), A_eq=a_eq, b_eq=[1.0],
                  bounds=[(0, None)] * (n_cols + n_s) + [(None, None)], method="highs")
    if res.status != 0:
        raise RuntimeError(f"master LP: {res.message}")
    w = np.clip(-res.ineqlin.marginals, 0.0, None)
    return -float(res.fun), w / w.sum()


def hull_bound(problem, alpha: float, iterations: int, sub_time_limit_s: float,
               report=None) -> tuple[float, float, float]:
    """Column generation for the mixture bound of CVaR_alpha on ``problem``.

    Returns ``(mixture value, least bound, best CVaR of a portfolio found)``: the dual lies
    between the first two (equal once converged); the third is a feasible CVaR. ``report``,
    if given, is called with ``(iteration, weighted MIP bound, least bound, mixture value,
    CVaR of the new portfolio)`` after every iteration.
    """
    n_s = problem.n_scenarios
    w = np.full(n_s, 1.0 / n_s)  # start from the expected value
    columns, best_bound, best_cvar, value = [], np.inf, -np.inf, -np.inf
    for it in range(iterations):
        sub = solve(weighted_problem(problem, w), "expected", time_limit_s=sub_time_limit_s,
                    diagnose_infeasible=False)
        if sub.best_bound is None or sub.objective_value is None:
            raise RuntimeError(f"weighted MIP failed: {sub.message}")
        best_bound = min(best_bound, sub.best_bound)
        totals = scenario_totals(problem, sub.selected)
        cvar = cvar_of(totals, alpha)
        best_cvar = max(best_cvar, cvar)
        columns.append(totals)
        value, w = master(columns, alpha)
        if report is not None:
            report(it, sub.best_bound, best_bound, value, cvar)
        if best_bound - value <= 1e-6 * abs(value):
            break
    return value, best_bound, best_cvar


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=150, help="candidates (default 150)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic problem (default 1)")
    parser.add_argument("--alpha", type=float, default=0.9)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--sub-time-limit", type=float, default=60.0,
                        help="time limit of each weighted MIP, s (its bound is used)")
    parser.add_argument("--optimum-time-limit", type=float, default=600.0,
                        help="time limit for proving the CVaR optimum, s (0: skip)")
    args = parser.parse_args(argv)
    # HiGHS runs in this process (scipy's master LP) as well as in the optimizer's solves:
    # keep the solves in threads rather than forked processes
    os.environ.setdefault("JCM_OPTIMIZE_RUNNER", "thread")
    problem = synthetic_problem(args.size, args.seed)
    print(f"Synthetic problem: {args.size} candidates, seed {args.seed}, "
          f"{problem.n_scenarios} scenarios, CVaR alpha {args.alpha:g}\n")
    print("| iteration | weighted MIP bound | least bound | mixture (master) | CVaR of the "
          "new portfolio | s |")
    print("|---|---|---|---|---|---|")
    t0 = time.perf_counter()

    def report(it, sub_bound, best_bound, value, cvar):
        print(f"| {it} | {sub_bound:,.2f} | {best_bound:,.2f} | {value:,.2f} | {cvar:,.2f} | "
              f"{time.perf_counter() - t0:.0f} |", flush=True)

    value, best_bound, best_cvar = hull_bound(problem, args.alpha, args.iterations,
                                              args.sub_time_limit, report)
    print(f"\nLagrangian (mixture) bound between {value:,.2f} and {best_bound:,.2f}; best "
          f"portfolio found on the way: CVaR {best_cvar:,.2f}")
    if args.optimum_time_limit > 0:
        opt = solve(problem, "cvar", time_limit_s=args.optimum_time_limit,
                    diagnose_infeasible=False, alpha=args.alpha)
        print(f"CVaR MIP: {opt.status} in {opt.solve_seconds:.1f} s, value "
              f"{opt.objective_value:,.2f}, bound {opt.best_bound:,.2f}")
        if opt.status == "optimal":
            ref = opt.objective_value
            print(f"The mixture bound lies {100 * (value / ref - 1):.3f} % to "
                  f"{100 * (best_bound / ref - 1):.3f} % above the optimum: no root bound of a "
                  "Rockafellar–Uryasev formulation is closer.")
    print(f"\nLoad average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
