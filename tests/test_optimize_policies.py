"""The optimizer's proposal against simple funding policies in the full model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from optimize.policies import (
    Aggregate,
    PlanResult,
    choose,
    fund_all_windows,
    greedy_windows,
    planned_scenario,
)
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from optimize.scenario_mode import optimize_scenario
from sim.loader import load_scenario


def _option(fy, cost, value):
    return Option(start_fy=fy, cost_by_fy={fy: cost}, value_mean=value,
                  value_scenarios=np.array([value]), running_fys=(fy,), demo_count=1.0)


def _cand(cid, cost, value, **kw):
    return Candidate(id=cid, name=cid, country="X", technology="t", kind="demonstration",
                     options=(_option(2026, cost, value),), **kw)


def test_greedy_takes_the_best_value_per_oku_yen_that_still_fits():
    # budget 5 with 1 committed → 4 left. Ratios: a 10/1, b 12/3 = 4, c 30/4 = 7.5, d 2/0.5.
    # Greedy: a (1, left 3), c does not fit (4), b (3, left 0), d does not fit
    problem = PortfolioProblem(
        candidates=(_cand("a", 1, 10), _cand("b", 3, 12), _cand("c", 4, 30), _cand("d", 0.5, 2)),
        budget_by_fy={2026: 5.0}, carryover_share=0.0, committed_by_fy={2026: 1.0},
        fixed_projects=0, fixed_staff_by_fy={}, fixed_value_scenarios=np.zeros(1),
        fixed_value_mean=0.0, fixed_demo_count=0.0, rules=Rules())
    assert greedy_windows(problem) == {"a": (2026, 2026), "b": (2026, 2026)}


def test_greedy_funds_mandatory_candidates_first_and_never_forbidden_ones():
    problem = PortfolioProblem(
        candidates=(_cand("a", 1, 10, forbidden=True), _cand("m", 4, 1, mandatory=True),
                    _cand("c", 1, 5)),
        budget_by_fy={2026: 4.5}, carryover_share=0.0, committed_by_fy={},
        fixed_projects=0, fixed_staff_by_fy={}, fixed_value_scenarios=np.zeros(1),
        fixed_value_mean=0.0, fixed_demo_count=0.0, rules=Rules())
    assert greedy_windows(problem) == {"m": (2026, 2026)}


def _plan(name, samples):
    s = np.asarray(samples, dtype=float)
    return PlanResult(name, {}, float(s.mean()), s, Aggregate("mean"))


def test_a_simple_policy_replaces_the_optimizer_only_beyond_monte_carlo_error():
    rng = np.random.default_rng(0)
    base = rng.normal(100.0, 10.0, 400)
    noise = rng.normal(0.0, 1.0, 400)
    # same trials: +0.05 on average is noise; +5 is not
    close = choose([_plan("optimizer", base), _plan("fund_all", base + 0.05 + noise)])
    assert close.name == "optimizer"
    far = choose([opt := _plan("optimizer", base), _plan("fund_all", base + 5 + noise)])
    assert far.name == "fund_all"
    assert opt.std_error_vs_shown == pytest.approx(noise.std() / np.sqrt(400), rel=0.3)


def test_fund_all_keeps_every_candidates_window_and_drops_forbidden_ones(baseline_path):
    sc = load_scenario(baseline_path)
    w = fund_all_windows(sc)
    assert set(w) == {p.id for p in sc.candidates}
    assert w["mn-chp"] == (2027, 2027)
    planned = planned_scenario(sc, {"mn-chp": (2027, 2027)})
    assert [p.id for p in planned.candidates] == ["mn-chp"]


@pytest.mark.parametrize("name", ["baseline.toml", "budget_low.toml", "budget_high.toml",
                                  "many_candidates.toml"])
def test_the_proposal_is_never_worse_than_the_simple_policies_in_the_full_model(
        repo_root, name):
    sc = load_scenario(repo_root / "scenarios" / name)
    plan = optimize_scenario(sc, "credits_fy2030", n_scenarios=200, resim_trials=600,
                             improve_evaluations=2)
    names = [p.name for p in plan.policies]
    assert names[:4] == ["optimizer", "proposal_may_slip", "fund_all", "greedy"]
    shown = plan.shown
    for p in plan.policies:
        if p is not shown:
            assert p.value <= shown.value + 2 * p.std_error_vs_shown + 1e-9, (p.name, name)
    report = plan.report()
    assert report["proposal"]["policy"] == shown.name
    assert {d["policy"] for d in report["policies"]} >= {"optimizer", "fund_all", "greedy"}
    # the slipping portfolio is the optimizer's candidates, each free to start later
    slip = plan.policies[1]
    assert set(slip.windows) == set(plan.policies[0].windows)


def test_a_policy_breaking_a_portfolio_rule_is_reported_but_never_shown(baseline_path):
    from optimize.problem import Rules as R
    from optimize.scenario_mode import build_problem

    sc = load_scenario(baseline_path)
    built = build_problem(sc, "credits_fy2030", 40, 1, R(max_per_country=1))
    plan = optimize_scenario(sc, "credits_fy2030", n_scenarios=40, resim_trials=40,
                             built=built)
    by_name = {p.name: p for p in plan.policies}
    # two Indonesian and two Vietnamese candidates: funding everything breaks the rule
    assert by_name["fund_all"].admissible is False
    assert by_name["optimizer"].admissible is True
    assert plan.shown.admissible
    assert plan.report()["policies"][2]["admissible"] is False


def test_jcm_optimize_prints_and_writes_the_comparison(run_cli, tmp_path):
    out = tmp_path / "plan.json"
    proc = run_cli("optimize", "scenarios/baseline.toml", "--scenarios", "40",
                   "--resim-trials", "60", "--json", out, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "In the full model (60 trials, seed 2, the same for every plan)" in proc.stdout
    assert "fund every candidate as early as possible" in proc.stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["proposal"]["policy"] in ("optimizer", "fund_all", "greedy")
    off = run_cli("optimize", "scenarios/baseline.toml", "--scenarios", "40",
                  "--resim-trials", "20", "--no-policies", timeout=300)
    assert off.returncode == 0 and "In the full model" not in off.stdout
    bad = run_cli("optimize", "scenarios/baseline.toml", "--improve", "-1")
    assert bad.returncode == 2 and "--improve" in bad.stderr
