"""The compact CVaR rows have the same optimum as the textbook (plain) rows.

The compact form (``optimize.model._cvar_expr``) merges proportional options of a candidate
into one continuous column, merges identical scenarios into one weighted row and bounds η and
the shortfalls u_s. Each of these must leave the optimum unchanged:

* seeded random instances, small and medium, built so that every trick applies (options that
  are multiples of each other, repeated scenarios), solved to proven optimality in both forms:
  the optimal CVaR must agree, and so must the exact CVaR of both portfolios;
* brute force on small random instances given the same structure (hypothesis);
* the compact form really is smaller (otherwise the tests above prove nothing).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimize.model import build_model
from optimize.objectives import evaluate
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from optimize.runner import run_highs
from tests.test_optimize_bruteforce import _compare, instances

FIRST_FY = 2026


def structured_problem(rng: np.random.Generator, n_candidates: int, n_scenarios: int,
                       n_distinct: int) -> PortfolioProblem:
    """Random problem whose later starts deliver a fixed share of the earliest start.

    Scenario values are whole t-CO2 drawn for ``n_distinct`` scenarios and repeated to
    ``n_scenarios`` (so some scenarios are identical); money in 億円 in multiples of 0.5.
    Some candidates get options that are not proportional, some options deliver nothing.
    """
    years = list(range(FIRST_FY, FIRST_FY + 6))
    picks = rng.integers(0, n_distinct, size=n_scenarios)
    picks[:n_distinct] = np.arange(n_distinct)
    common = rng.integers(1, 4, size=n_distinct)
    cands = []
    for i in range(n_candidates):
        own = rng.integers(0, 40, size=n_distinct) * common
        options = []
        n_opts = int(rng.integers(1, 4))
        for o in range(n_opts):
            start = FIRST_FY + o
            length = int(rng.integers(1, 3))
            costs = {y: float(rng.integers(1, 9)) / 2 for y in range(start, start + length)}
            if i % 7 == 3 and o:  # not proportional: drawn afresh
                vals = rng.integers(0, 40, size=n_distinct) * common
            elif i % 11 == 5 and o == n_opts - 1:  # delivers nothing in any scenario
                vals = np.zeros(n_distinct)
            else:
                vals = own * (0.75 ** o)  # exact in binary
            scen = vals[picks].astype(float)
            options.append(Option(start_fy=start, cost_by_fy=costs,
                                  value_mean=float(scen.mean()), value_scenarios=scen))
        cands.append(Candidate(id=f"c{i:02d}", country=f"k{i % 4}", options=tuple(options)))
    fixed = rng.integers(0, 30, size=n_distinct)[picks].astype(float)
    budget = max(2.0, n_candidates * 0.6)
    return PortfolioProblem(
        candidates=tuple(cands),
        budget_by_fy={y: budget for y in years},
        carryover_share=0.5,
        fixed_value_scenarios=fixed,
        fixed_value_mean=float(fixed.mean()),
        rules=Rules(max_per_country=max(1, n_candidates // 5)),
    )


def _optimum(problem: PortfolioProblem, form: str, objective: str, **params):
    """Proven optimum of one form: (solver objective, bound, exact value of the portfolio)."""
    m = build_model(problem, objective, cvar_form=form, **params)
    xs = [m.x[k] for k in range(len(m.jcm.pairs))]
    run = run_highs(m, {"x": xs}, time_limit_s=300.0, mip_gap=0.0)
    assert run.termination == "optimal", run.message
    selected = []
    for (i, o), v in zip(m.jcm.pairs, run.values["x"], strict=True):
        if v > 0.5:
            cand = problem.candidates[i]
            selected.append((cand.id, cand.options[o].start_fy))
    return run.incumbent, run.bound, evaluate(problem, selected, objective, **params)


@pytest.mark.parametrize("n_candidates,n_scenarios,n_distinct,seed", [
    (6, 12, 5, 1),      # small
    (9, 40, 25, 2),     # small, many repeats
    (30, 200, 150, 3),  # medium
])
@pytest.mark.parametrize("alpha", [0.0, 0.9])
def test_compact_and_plain_forms_have_the_same_optimum(n_candidates, n_scenarios,
                                                       n_distinct, seed, alpha):
    rng = np.random.default_rng([2026, seed])
    problem = structured_problem(rng, n_candidates, n_scenarios, n_distinct)
    plain = _optimum(problem, "plain", "cvar", alpha=alpha)
    compact = _optimum(problem, "compact", "cvar", alpha=alpha)
    # the proven optima agree, and so do the exact CVaRs of the two portfolios
    assert compact[0] == pytest.approx(plain[0], rel=1e-7)
    assert compact[1] == pytest.approx(plain[1], rel=1e-7)
    assert compact[2] == pytest.approx(plain[2], rel=1e-7)
    assert compact[2] == pytest.approx(compact[0], rel=1e-7)


def test_weighted_objective_same_optimum_in_both_forms():
    rng = np.random.default_rng([2026, 4])
    problem = structured_problem(rng, 20, 120, 80)
    params = {"weights": {"expected": 1.0, "cvar": 0.5}, "alpha": 0.8}
    plain = _optimum(problem, "plain", "weighted", **params)
    compact = _optimum(problem, "compact", "weighted", **params)
    assert compact[0] == pytest.approx(plain[0], rel=1e-7)
    assert compact[2] == pytest.approx(plain[2], rel=1e-7)


def test_compact_form_merges_options_and_scenarios():
    """Otherwise the comparisons above would compare a form with itself."""
    rng = np.random.default_rng([2026, 5])
    problem = structured_problem(rng, 30, 200, 150)
    plain = build_model(problem, "cvar", cvar_form="plain", alpha=0.9)
    compact = build_model(problem, "cvar", alpha=0.9)
    assert len(plain.cvar_rows) == 200
    assert len(compact.cvar_rows) == 150  # one row per distinct scenario
    merged = sum(1 for i, c in enumerate(problem.candidates)
                 if len(c.options) >= 2 and i % 7 != 3
                 and not (i % 11 == 5 and len(c.options) == 2))
    assert len(compact.y) == merged

    def nonzeros(m):
        return sum(len(row.body.linear_vars) for row in m.cvar_rows.values())

    assert nonzeros(compact) < 0.8 * nonzeros(plain)
    assert compact.eta.lb is not None and compact.eta.ub is not None
    assert all(u.ub is not None for u in compact.u.values())


def test_eta_left_free_when_cvar_is_minimised():
    """A negative CVaR weight: the bounds on η would not be valid, so none are set."""
    rng = np.random.default_rng([2026, 6])
    problem = structured_problem(rng, 5, 10, 10)
    m = build_model(problem, "weighted", weights={"expected": 1.0, "cvar": -0.5}, alpha=0.5)
    assert m.eta.lb is None and m.eta.ub is None


def test_unknown_cvar_form_is_rejected():
    rng = np.random.default_rng([2026, 7])
    problem = structured_problem(rng, 3, 4, 4)
    with pytest.raises(ValueError, match="CVaR form"):
        build_model(problem, "cvar", cvar_form="tight", alpha=0.5)


@st.composite
def structured_instances(draw):
    """Brute-force instances whose options are multiples of the first and scenarios repeat."""
    p = draw(instances(n_scenarios=5))
    picks = np.array(draw(st.lists(st.integers(0, 4), min_size=5, max_size=5)))
    factors = st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0])
    cands = []
    for c in p.candidates:
        first = c.options[0].value_scenarios[picks]
        options = [dataclasses.replace(o, value_scenarios=first * draw(factors) if n else first)
                   for n, o in enumerate(c.options)]
        cands.append(dataclasses.replace(c, options=tuple(options)))
    return dataclasses.replace(p, candidates=tuple(cands),
                               fixed_value_scenarios=p.fixed_value_scenarios[picks])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured_instances(), st.sampled_from([0.0, 0.5, 0.7, 0.8]))
def test_compact_cvar_matches_brute_force_on_structured_instances(p, alpha):
    _compare(p, "cvar", {"alpha": alpha}, diagnose_infeasible=False)
