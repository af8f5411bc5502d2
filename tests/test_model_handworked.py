"""The simulation against results worked out by hand (see ``model_fixtures.HAND_WORKED``)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from sim.bass import bass_adoption_times, bass_cdf, overlap_by_year
from sim.kpis import compute_kpis
from sim.lifecycle import run_trial
from sim.montecarlo import simulate
from tests.model_fixtures import (
    HAND_CREDITS_BY_FY,
    HAND_JAPAN_BY_FY,
    HAND_REDUCTIONS_BY_FY,
    HAND_SPEND_BY_FY,
    build,
)


def _by_fy(rec_row: np.ndarray, first_fy: int) -> dict[int, float]:
    return {first_fy + i: round(float(v), 6) for i, v in enumerate(rec_row) if v}


def test_single_project_credits_and_years_match_hand_calculation():
    sc = build()
    rec = run_trial(sc, seed=3, trial=0, record_events=True)
    assert _by_fy(rec.credits_t[0], 2026) == HAND_CREDITS_BY_FY
    assert _by_fy(rec.japan_credits_t[0], 2026) == HAND_JAPAN_BY_FY
    assert _by_fy(rec.demo_reductions_t[0], 2026) == HAND_REDUCTIONS_BY_FY
    assert _by_fy(rec.spend_oku_yen[0], 2026) == HAND_SPEND_BY_FY
    assert rec.start_fy[0] == 2026
    assert rec.main_end_fy[0] == 2027
    assert rec.succeeded[0]
    stages = [(s, a, b) for _, s, a, b in rec.events]
    assert stages == [
        ("design", 0.0, 6.0),
        ("build", 6.0, 12.0),
        ("validation and registration", 12.0, 14.5),
        ("operation", 12.0, 24.0),
        ("follow-up", 24.0, 36.0),
    ]


def test_hand_worked_case_is_the_same_in_every_trial_and_seed():
    sc = build()
    res = simulate(sc, n_trials=5, seed=11)
    totals = res.credits_t.sum(axis=(1, 2))
    assert np.allclose(totals, sum(HAND_CREDITS_BY_FY.values()))


@pytest.mark.parametrize("p", [0.3, 0.5, 0.8])
def test_success_probability_scales_the_mean_within_four_standard_errors(p):
    sc = build(**{"projects.demo.main_success_prob": p})
    res = simulate(sc, n_trials=600, seed=5)
    totals = res.credits_t.sum(axis=(1, 2)).astype(float)
    expected = p * sum(HAND_CREDITS_BY_FY.values())
    se = totals.std(ddof=1) / np.sqrt(len(totals))
    assert abs(totals.mean() - expected) <= 4 * se
    # and the outcome is all or nothing: either the whole hand-worked amount or none
    assert set(np.round(np.unique(totals), 3)) <= {0.0, round(sum(HAND_CREDITS_BY_FY.values()), 3)}


def test_stage_that_does_not_fit_the_remaining_budget_starts_next_april():
    # FY2026 has 1.5: the design (1.0) fits; the demonstration's FY2026 part (2.0 × 6/18) does
    # not fit the 0.5 left, so it starts on 1 April 2027 with a 12-month part (1.3333); its last
    # 6 months fall in FY2028, after the program: a contracted stage is paid to its end
    sc = build(**{"budget": {"FY2026": 1.5, "FY2027": 5.0}})
    rec = run_trial(sc, seed=1, trial=0, record_events=True)
    stages = {s: (a, b) for _, s, a, b in rec.events}
    assert stages["waiting for budget"] == (6.0, 12.0)
    assert stages["build"] == (12.0, 18.0)  # starts on 1 April 2027
    assert stages["operation"] == (18.0, 30.0)
    assert _by_fy(rec.spend_oku_yen[0], 2026) == {2026: 1.0, 2027: 1.333333, 2028: 0.666667}
    assert rec.budget_outside_oku_yen[2] == pytest.approx(2.0 * 6 / 18)


def test_unspent_budget_lapses_unless_carried_over():
    # FY2027 has 1.2 < the demonstration's 12-month part 1.3333; FY2028 has no money at all
    base = {"budget": {"FY2026": 1.5, "FY2027": 1.2}}
    lapsing = build(**base)
    rec = run_trial(lapsing, seed=1, trial=0, record_events=True)
    assert rec.spend_oku_yen[0].sum() == pytest.approx(1.0)
    assert ("demo", "no money for the demonstration") in {(p, s) for p, s, *_ in rec.events}
    carrying = build(**base, **{"assumptions.carryover_share": 1.0})
    rec = run_trial(carrying, seed=1, trial=0)
    # 0.5 left in FY2026 carries over: 0.5 + 1.2 = 1.7 >= 1.3333 in April 2027
    assert _by_fy(rec.spend_oku_yen[0], 2026) == {2026: 1.0, 2027: 1.333333, 2028: 0.666667}
    assert rec.budget_carried_in_oku_yen.tolist()[:2] == pytest.approx([0.0, 0.5])


def test_zero_budget_gives_zero_new_projects():
    sc = build(**{"budget": {"FY2026": 0.0, "FY2027": 0.0}})
    res = simulate(sc, n_trials=20, seed=2)
    assert (res.start_fy == -1).all()
    assert res.credits_t.sum() == 0
    kpis = {k.id: k for k in compute_kpis(res, sc)}
    assert kpis["projects_implemented"].mean == 0


def test_methodology_project_unlocks_a_demonstration_that_needs_it():
    needs = build(**{
        "projects.demo.methodology_needed": True,
        "projects.demo.methodology_approval_prob": 0.0,  # its own drafting never succeeds
    })
    assert run_trial(needs, seed=1, trial=0).credits_t.sum() == 0
    with_method = build(**{
        "projects.demo.methodology_needed": True,
        "projects.demo.methodology_approval_prob": 0.0,
        "projects.meth": {
            "name": "Methodology", "country": "Testland", "technology": "t",
            "kind": "methodology", "status": "candidate", "earliest_start_fy": 2026,
            "main_cost_oku_yen": 0.5, "main_months": 6.0, "main_success_prob": 1.0,
            "methodology_approval_prob": 1.0,
        },
    })
    rec = run_trial(with_method, seed=1, trial=0)
    assert rec.credits_t.sum() == pytest.approx(sum(HAND_CREDITS_BY_FY.values()))


def test_staff_limit_delays_the_second_project():
    second = dict(build().project("demo").model_dump(mode="json"))
    second.pop("id")
    changes = {"projects.demo2": second, "program.last_fy": 2028,
               "budget": {"FY2026": 20.0, "FY2027": 20.0, "FY2028": 20.0}}
    free = run_trial(build(**changes, **{"assumptions.staff_limit": 2}), 1, 0, True)
    assert {(pid, s): a for pid, s, a, _ in free.events}[("demo2", "design")] == 0.0
    limited = run_trial(build(**changes, **{"assumptions.staff_limit": 1}), 1, 0, True)
    starts = {(pid, s): a for pid, s, a, _ in limited.events}
    assert starts[("demo", "design")] == 0.0
    # the only staff slot frees when demo's operation ends at t = 24 (1 April 2028)
    assert starts[("demo2", "design")] == 24.0
    assert ("demo2", "waiting to start", 0.0, 24.0) in limited.events
    assert limited.start_fy.tolist() == [2026, 2028]


def test_bass_cdf_matches_the_differential_equation():
    p, q, m = 0.01, 0.3, 500.0
    sol = solve_ivp(lambda t, n: (p + q * n / m) * (m - n), (0, 30), [0.0],
                    dense_output=True, rtol=1e-10, atol=1e-8)
    for t in (1.0, 5.0, 10.0, 20.0, 30.0):
        assert bass_cdf(t, p, q) * m == pytest.approx(sol.sol(t)[0], rel=1e-6)


def test_bass_adoption_times_invert_the_cdf():
    u = np.linspace(0.01, 0.99, 50)
    t = bass_adoption_times(u, 0.03, 0.38)
    assert np.allclose(bass_cdf(t, 0.03, 0.38), u)


def test_simulated_dissemination_cases_follow_the_bass_closed_form():
    m, p, q = 400, 0.02, 0.3
    sc = build(**{
        "projects.demo.dissemination_prob": 1.0, "projects.demo.market_size": m,
        "projects.demo.bass_p": p, "projects.demo.bass_q": q,
        "projects.demo.replication_t_per_yr": 10.0,
    })
    res = simulate(sc, n_trials=200, seed=9)
    # demonstration ends at t = 24 months; horizon ends at 180 months → 13 years of diffusion
    expected = m * bass_cdf(13.0, p, q)
    cases = res.dissemination_cases[:, 0].astype(float)
    sd = np.sqrt(m * bass_cdf(13.0, p, q) * (1 - bass_cdf(13.0, p, q)))
    assert abs(cases.mean() - expected) <= 4 * sd / np.sqrt(len(cases))


def test_overlap_by_year_splits_an_interval_at_april():
    out = overlap_by_year(np.array([6.0]), np.array([30.0]), 4, 2.0)
    assert out.tolist() == [12.0, 24.0, 12.0, 0.0]


def test_running_projects_keep_their_staff_slots_ahead_of_candidates():
    running = dict(build().project("demo").model_dump(mode="json"))
    running.pop("id")
    running.update(status="running", earliest_start_fy=None, started_fy=2026, stage="main",
                   months_in_stage=0.0)
    # the candidate is listed first, yet the running project gets the only slot; the slot
    # frees at t = 18 (FY2027), when the candidate starts
    sc = build(**{"assumptions.staff_limit": 1, "projects.zz-running": running})
    rec = run_trial(sc, 1, 0, True)
    stages = {(pid, s): (a, b) for pid, s, a, b in rec.events}
    assert stages[("zz-running", "build")] == (0.0, 6.0)
    assert stages[("demo", "waiting to start")] == (0.0, 18.0)
    assert rec.start_fy.tolist() == [2027, 2026]
