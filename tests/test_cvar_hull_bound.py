"""The mixture (Lagrangian) bound of ``benchmarks/cvar_hull_bound.py``: a hand-worked case
where it lies above the optimum, and brute force on small synthetic problems."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from optimize.problem import Candidate, Option, PortfolioProblem
from tests.test_optimize_bruteforce import brute_force

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def hull():
    sys.path.insert(0, str(BENCH))
    try:
        import bench_optimize
        import cvar_hull_bound
    finally:
        sys.path.remove(str(BENCH))
    return cvar_hull_bound, bench_optimize


def _one_year(cid: str, scenarios: list[float]) -> Candidate:
    option = Option(start_fy=2027, cost_by_fy={2027: 1.0},
                    value_mean=sum(scenarios) / len(scenarios), value_scenarios=scenarios)
    return Candidate(id=cid, country=cid, options=(option,))


def test_mixing_two_portfolios_beats_either(hull):
    """Budget for one of two projects; A delivers (10, 0), B (0, 10) in two equally likely
    scenarios. CVaR_0.5 is the worse scenario: 0 for A, for B and for nothing, so the optimum
    is 0. Half of A plus half of B delivers (5, 5): CVaR 5. The bound is that 5, and no
    formulation's root relaxation can be lower: only branching proves the 0."""
    module, _ = hull
    problem = PortfolioProblem(candidates=(_one_year("a", [10.0, 0.0]),
                                           _one_year("b", [0.0, 10.0])),
                               budget_by_fy={2027: 1.0},
                               fixed_value_scenarios=np.zeros(2))
    assert brute_force(problem, "cvar", {"alpha": 0.5}) == pytest.approx(0.0)
    value, bound, best = module.hull_bound(problem, 0.5, iterations=10, sub_time_limit_s=10)
    assert value == pytest.approx(5.0)
    assert bound == pytest.approx(5.0)
    assert best == pytest.approx(0.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bound_brackets_the_brute_force_optimum(hull, seed):
    """On five synthetic candidates (7,776 choices): best portfolio found ≤ optimum ≤ least
    bound, the mixture value ≤ the least bound, and the two meet (converged)."""
    module, bench = hull
    problem = bench.synthetic_problem(5, seed)
    problem = dataclasses.replace(problem,
                                  fixed_value_scenarios=np.zeros(problem.n_scenarios))
    best_cvar = brute_force(problem, "cvar", {"alpha": 0.9})
    reported = []
    value, bound, best = module.hull_bound(
        problem, 0.9, iterations=40, sub_time_limit_s=10,
        report=lambda *row: reported.append(row))
    tol = 1e-6 * max(1.0, abs(best_cvar))
    assert best <= best_cvar + tol
    assert best_cvar <= bound + tol
    assert best <= value + tol and value <= bound + tol
    assert bound - value <= 1e-5 * max(1.0, abs(value))
    assert [row[0] for row in reported] == list(range(len(reported)))
