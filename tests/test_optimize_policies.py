"""The optimizer's proposal against simple policies in the full model."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimize.check import spend_by_fy, unspent_by_fy
from optimize.policies import PolicyCheck, fund_all_selection, greedy_selection
from optimize.scenario_mode import ScenarioPlan, build_problem, optimize_scenario
from sim.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def _check(name, diff, se, admissible=True):
    return PolicyCheck(name, (("a", 2026),), False, 1.0 + diff, diff, se, admissible)


def _plan(*policies):
    return ScenarioPlan(None, None, "credits_fy2030", None, 1.0, None, None, tuple(policies))


def test_a_policy_replaces_the_proposal_only_beyond_monte_carlo_error():
    assert _plan(_check("fund_all_earliest", 0.5, 0.3)).recommended is None  # within 2 s.e.
    assert _plan(_check("fund_all_earliest", 5.0, 1.0, admissible=False)).recommended is None
    best = _plan(_check("fund_all_earliest", 3.0, 1.0),
                 _check("greedy_per_oku_yen", 9.0, 1.0)).recommended
    assert best is not None and best.name == "greedy_per_oku_yen"


@pytest.fixture(scope="module")
def baseline_problem():
    return build_problem(load_scenario(ROOT / "scenarios" / "baseline.toml"),
                         n_scenarios=20, seed=1).problem


def test_greedy_keeps_expected_money_and_fund_all_skips_forbidden(baseline_problem):
    prob = baseline_problem
    greedy = greedy_selection(prob)
    assert greedy
    left = unspent_by_fy(prob, spend_by_fy(prob, greedy))
    assert all(v >= -1e-9 for v in left.values())
    everyone = fund_all_selection(prob)
    assert {c for c, _ in everyone} == {c.id for c in prob.candidates if not c.forbidden}
    for cid, fy in everyone:
        assert fy == min(o.start_fy for o in prob.candidate(cid).options)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["baseline", "budget_high"])
def test_the_portfolio_shown_is_not_worse_than_the_simple_policies(name):
    sc = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    plan = optimize_scenario(sc, "credits_fy2030", n_scenarios=60, seed=3, resim_trials=60)
    assert {p.name for p in plan.policies} == {"proposal_may_slip", "fund_all_earliest",
                                               "greedy_per_oku_yen"}
    slip = next(p for p in plan.policies if p.name == "proposal_may_slip")
    assert dict(slip.selected) == dict(plan.solution.selected) and slip.admissible
    shown = plan.recommended
    shown_value = plan.out_of_sample if shown is None else shown.objective
    for p in plan.policies:
        assert p.results.n_trials == plan.results.n_trials
        assert p.results.seed == plan.results.seed  # common random numbers
        if p.admissible:
            assert p.objective <= shown_value + 2 * p.std_error + 1e-6, p.as_dict()
    doc = plan.report()["policy_check"]
    assert doc["recommended"] == ("optimizer" if shown is None else shown.name)
    assert len(doc["policies"]) == 3
