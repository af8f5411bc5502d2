"""Scenario mode: the optimizer's view of each candidate agrees with the simulation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from optimize.check import check_solution
from optimize.scenario_mode import (
    build_problem,
    metric_by_project,
    optimize_scenario,
    resolve_objective,
    scale_budgets,
)
from optimize.solve import solve
from sim.loader import load_scenario
from sim.montecarlo import simulate
from sim.plan import with_plan, without_limits
from tests.model_fixtures import HAND_CREDITS_BY_FY, build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.toml")


@pytest.fixture(scope="module")
def baseline_problem(baseline):
    return build_problem(baseline, "credits_fy2030", n_scenarios=60, seed=3)


def test_hand_worked_candidate_becomes_one_option_with_hand_values():
    built = build_problem(build(), "credits_fy2040", n_scenarios=4, seed=1)
    (cand,) = built.problem.candidates
    assert [o.start_fy for o in cand.options] == [2026, 2027]
    for opt in cand.options:
        # the same stages shifted by a year, paid year by year: the design (1 億円) and 6 of the
        # demonstration's 18 months in the start year, its other 12 months in the next year;
        # a part after the program (FY2028, no budget) is paid outside it, so it is no cost
        # against a budget; 2,150 t by FY2040
        y = opt.start_fy
        expected = {y: 1.0 + 2.0 * 6 / 18}
        if y + 1 <= 2027:
            expected[y + 1] = 2.0 * 12 / 18
        assert opt.cost_by_fy == pytest.approx(expected)
        assert opt.value_scenarios.tolist() == [sum(HAND_CREDITS_BY_FY.values())] * 4
        assert opt.running_fys == (opt.start_fy, opt.start_fy + 1)
    assert built.problem.fixed_value_mean == 0.0


def test_option_values_are_the_simulated_outcomes_trial_by_trial(baseline, baseline_problem):
    # a candidate that needs no methodology depends on no other project when limits are off
    cand = next(c for c in baseline_problem.problem.candidates
                if c.kind == "demonstration" and not c.requires
                and not baseline.project(c.id).methodology_needed)
    for opt in cand.options:
        alone = with_plan(without_limits(baseline), [(cand.id, opt.start_fy)])
        res = simulate(alone, 60, seed=3)
        j = res.project_ids.index(cand.id)
        simulated = metric_by_project(res, "credits_fy2030")[:, j]
        np.testing.assert_allclose(opt.value_scenarios, simulated)


def test_running_projects_are_fixed_and_committed(baseline, baseline_problem):
    prob = baseline_problem.problem
    assert prob.fixed_projects == sum(p.status.value != "candidate" for p in baseline.projects)
    assert prob.committed_by_fy[2026] > 0  # running projects' next stages
    assert {c.id for c in prob.candidates} == {p.id for p in baseline.candidates}
    assert prob.budget_by_fy[2026] == pytest.approx(11.5)
    assert prob.budget_by_fy[2027] == pytest.approx((6 + 11.5 + 13) / 3)


def test_methodology_precedence_links_demonstrations_to_their_methodology(baseline_problem):
    by_id = {c.id: c for c in baseline_problem.problem.candidates}
    assert by_id["kh-rice-husk"].requires == ("kh-mrv-biomass",)
    assert by_id["ke-geothermal-wellhead"].requires == ("ke-mrv-geothermal",)


def test_more_budget_never_lowers_the_optimum(baseline_problem):
    prob = baseline_problem.problem
    values = []
    for scale in (0.5, 1.0, 1.5, 3.0):
        scaled = scale_budgets(prob, scale)
        sol = solve(scaled, "expected", time_limit_s=60)
        assert sol.status == "optimal"
        assert check_solution(scaled, sol.selected) == []
        values.append(sol.objective_value)
    assert values == sorted(values)


def test_proposal_is_resimulated_out_of_sample(baseline):
    plan = optimize_scenario(baseline, "credits_fy2030", n_scenarios=60, seed=3,
                             resim_trials=40)
    assert plan.solution.status == "optimal"
    assert plan.in_sample == pytest.approx(plan.solution.objective_value)
    assert plan.out_of_sample is not None and plan.out_of_sample > 0
    chosen = {cid for cid, _ in plan.solution.selected}
    assert {p.id for p in plan.planned.candidates} == chosen
    for p in plan.planned.candidates:
        assert p.earliest_start_fy == p.latest_start_fy == dict(plan.solution.selected)[p.id]
    doc = plan.report()
    for key in ("status", "objective", "objective_value", "best_bound", "mip_gap", "selected",
                "spend_by_fy", "budget_by_fy", "build_seconds", "solve_seconds", "kpis",
                "in_sample_objective", "out_of_sample_objective"):
        assert key in doc
    assert set(doc["kpis"]) >= {"projects_implemented", "credits_fy2030_t", "ndc_share_fy2040"}
    assert doc["kpis"]["projects_implemented"]["target"] == 36


def test_forced_and_forbidden_candidates_are_respected(baseline):
    forced = "tz-q-solar-minigrid"
    banned = "vn-q-private-solar"
    changed = baseline.model_copy(update={"projects": tuple(
        p.model_copy(update={"mandatory": p.id == forced, "forbidden": p.id == banned})
        for p in baseline.projects)})
    plan = optimize_scenario(changed, "credits_fy2030", n_scenarios=30, seed=2, resim_trials=0)
    chosen = {cid for cid, _ in plan.solution.selected}
    assert forced in chosen and banned not in chosen


def test_prob_target_takes_a_kpi_id_and_its_target(baseline):
    obj, metric, params = resolve_objective(baseline, "prob_target",
                                            target="avg_credits_per_demo_fy2030_t")
    assert (obj, metric, params) == ("prob_target", "demo_credits_fy2030",
                                     {"target": 5000.0, "per_demo": True})
    with pytest.raises(ValueError, match="target-value"):
        resolve_objective(baseline, "prob_target", target="credits_fy2030_t")
    with pytest.raises(ValueError, match="min_cost needs"):
        resolve_objective(baseline, "min_cost")
    assert resolve_objective(baseline, "reductions_fy2040") == ("expected", "reductions_fy2040", {})


def test_probability_objective_agrees_with_the_kpi_it_names(baseline):
    plan = optimize_scenario(baseline, "prob_target", target="avg_credits_per_demo_fy2030_t",
                             n_scenarios=60, seed=3, resim_trials=60)
    assert plan.solution.status == "optimal"
    kpi = plan.report()["kpis"]["avg_credits_per_demo_fy2030_t"]
    # the out-of-sample objective is the KPI's probability of meeting its target
    assert plan.out_of_sample == pytest.approx(kpi["prob_meet"])
