"""Budget, start-deadline, funding-order and history mechanics, each worked out by hand.

Every case starts from ``model_fixtures.HAND_WORKED`` (one demonstration: design 6 months for
1 億円, then a demonstration of 2 億円 over build 6 + operation 12 months; Joint Committee
decisions at 0.5, 1.5, 2.5, ... months after 1 April 2026) and changes what the case is about.
Times are months from 1 April 2026.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.bass import bass_cdf
from sim.errors import InputError
from sim.kpis import per_trial_kpis
from sim.lifecycle import run_trial
from sim.montecarlo import simulate
from tests.model_fixtures import HAND_CREDITS_BY_FY, build


def _stages(rec) -> dict[tuple[str, str], tuple[float, float]]:
    return {(pid, s): (a, b) for pid, s, a, b in rec.events}


def _demo(**fields) -> dict:
    d = dict(build().project("demo").model_dump(mode="json"))
    d.pop("id")
    d.update(fields)
    return d


# ---- money at the turn of the fiscal year ----------------------------------------------------
def test_a_design_ending_exactly_on_1_april_cannot_use_the_lapsed_old_year_money():
    # design 12 months: 1 億円 committed in FY2026, ends exactly at t = 12 (1 April 2027).
    # FY2026 leaves 9 億円 unspent, which lapses at that instant; FY2027 has nothing, so the
    # demonstration never starts (and nothing is spent in FY2027)
    sc = build(**{"projects.demo.design_months": 12.0,
                  "budget": {"FY2026": 10.0, "FY2027": 0.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert rec.spend_oku_yen[0].tolist()[:2] == [1.0, 0.0]
    assert rec.main_start_fy[0] == -1
    assert rec.budget_committed_oku_yen[:2].tolist() == [1.0, 0.0]
    assert rec.lapsed_oku_yen == pytest.approx(9.0)
    assert ("demo", "no money for the demonstration") in _stages(rec)


def test_a_design_ending_on_a_later_1_april_cannot_use_the_old_years_leftover():
    # design 24 months (0 → 24, paid 0.5 in FY2026 and 0.5 in FY2027); the program runs to
    # FY2028, whose budget is zero. The design ends exactly on 1 April 2028, the moment
    # FY2027's 9.5 億円 leftover lapses: the demonstration must not start on that money
    sc = build(**{"projects.demo.design_months": 24.0, "program.last_fy": 2028,
                  "budget": {"FY2026": 10.0, "FY2027": 10.0, "FY2028": 0.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert rec.spend_oku_yen[0].tolist()[:3] == pytest.approx([0.5, 0.5, 0.0])
    assert rec.main_start_fy[0] == -1
    assert rec.lapsed_oku_yen == pytest.approx(19.0)


def test_the_april_refill_comes_before_a_request_at_that_instant():
    # the same design, with FY2027 money: the demonstration starts at exactly t = 12 and its
    # first part (12 of 18 months) is paid from FY2027, not from FY2026's leftover
    sc = build(**{"projects.demo.design_months": 12.0,
                  "budget": {"FY2026": 10.0, "FY2027": 2.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert _stages(rec)[("demo", "build")] == (12.0, 18.0)
    assert rec.spend_oku_yen[0].tolist()[:2] == pytest.approx([1.0, 2.0 * 12 / 18])
    assert rec.main_start_fy[0] == 2027


# ---- the latest start year is exclusive --------------------------------------------------------
def test_a_candidate_never_starts_after_its_latest_start_year():
    # no money in FY2026 for the design; plenty in FY2027. With earliest = latest = FY2026 (what
    # every optimizer plan sets) the deadline is the end of FY2026, before FY2027's money
    sc = build(**{"projects.demo.latest_start_fy": 2026,
                  "budget": {"FY2026": 0.5, "FY2027": 10.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert rec.start_fy[0] == -1
    assert rec.spend_oku_yen.sum() == 0.0
    # without the limit it starts on 1 April 2027
    free = run_trial(build(**{"budget": {"FY2026": 0.5, "FY2027": 10.0}}), 1, 0)
    assert free.start_fy[0] == 2027


def test_a_candidate_waiting_for_staff_does_not_start_after_the_program():
    # the only staff slot is held by a running demonstration whose operation ends exactly at
    # t = 24 (1 April 2028); the candidate may start in FY2027, the program's last year, so
    # it never starts, even though FY2028 has money
    running = _demo(status="running", earliest_start_fy=None, started_fy=2026, stage="main",
                    months_in_stage=0.0, main_months=18.0)
    sc = build(**{"assumptions.staff_limit": 1, "projects.zz-running": running,
                  "projects.demo.earliest_start_fy": 2027,
                  "budget": {"FY2026": 10.0, "FY2027": 10.0, "FY2028": 10.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert _stages(rec)[("zz-running", "operation")] == (6.0, 24.0)
    assert rec.start_fy.tolist() == [-1, 2026]


def test_no_candidate_ever_starts_after_its_latest_start_year_in_shipped_scenarios(
        shipped_scenarios):
    for sc in shipped_scenarios:
        res = simulate(sc, n_trials=30, seed=4)
        for j, p in enumerate(sc.projects):
            if p.status.value != "candidate":
                continue
            latest = p.latest_start_fy or sc.program.last_fy
            s = res.start_fy[:, j]
            assert ((s == -1) | ((s >= p.earliest_start_fy) & (s <= latest))).all(), (
                sc.name, p.id)


# ---- funding order -----------------------------------------------------------------------------
def _two_candidates(**b_fields) -> dict:
    # FY2026 has no money; FY2027 has 1.2 億円, enough for one 1-億円 design only.
    # "b" asks from t = 0 (earliest FY2026), "a" only from April 2027; "a" is listed first.
    return {
        "projects.demo.earliest_start_fy": 2027,
        "projects.b": _demo(earliest_start_fy=2026, **b_fields),
        "budget": {"FY2026": 0.0, "FY2027": 1.2},
    }


def test_requests_waiting_at_april_are_served_in_scenario_order_not_request_order():
    rec = run_trial(build(**_two_candidates()), 1, 0)
    # a (listed first) is funded although b asked a year earlier
    assert rec.start_fy.tolist() == [2027, -1]


def test_scenario_priority_comes_before_scenario_order():
    rec = run_trial(build(**_two_candidates(priority=1)), 1, 0)
    assert rec.start_fy.tolist() == [-1, 2027]


def test_continuing_contracts_are_paid_before_new_projects():
    # a running demonstration needs 1.3333 of FY2027 to go on; the candidate (listed first,
    # asking on 1 April 2027 too) would take 1 of the 1.5 available: the running one is paid
    running = _demo(status="running", earliest_start_fy=None, started_fy=2026, stage="main",
                    months_in_stage=0.0)
    sc = build(**{"projects.demo.earliest_start_fy": 2027, "projects.zz-running": running,
                  "budget": {"FY2026": 10.0, "FY2027": 1.5}})
    rec = run_trial(sc, 1, 0, record_events=True)
    st = _stages(rec)
    assert st[("zz-running", "operation")] == (6.0, 18.0)
    assert ("zz-running", "paused: waiting for budget") not in st
    assert rec.start_fy.tolist() == [-1, 2026]
    assert rec.spend_oku_yen[1].tolist()[:2] == pytest.approx([2.0 * 12 / 18, 2.0 * 6 / 18])


# ---- multi-year commissioned work --------------------------------------------------------------
def test_a_later_year_short_of_money_pauses_the_stage_until_a_later_april_pays():
    # the demonstration's FY2027 part (12 months, 1.3333) does not fit FY2027's 1.0, so the
    # stage stops on 1 April 2027 and goes on from 1 April 2028, when FY2028 pays it
    sc = build(**{"program.last_fy": 2028,
                  "budget": {"FY2026": 10.0, "FY2027": 1.0, "FY2028": 10.0}})
    rec = run_trial(sc, 1, 0, record_events=True)
    st = _stages(rec)
    assert st[("demo", "build")] == (6.0, 12.0)
    assert st[("demo", "paused: waiting for budget")] == (12.0, 24.0)
    assert st[("demo", "operation")] == (12.0, 36.0)
    assert rec.main_end_fy[0] == 2028  # ends on 1 April 2029, the end of FY2028
    assert rec.spend_oku_yen[0].tolist()[:3] == pytest.approx([1 + 2 / 3, 0.0, 4 / 3])


def test_contracts_after_the_program_are_paid_only_if_the_scenario_says_so():
    # the demonstration starts on 1 April 2027 (FY2026 cannot pay its first part); its last 6
    # months fall in FY2028, after the program, which has no budget
    base = {"budget": {"FY2026": 1.5, "FY2027": 5.0}}
    honoured = run_trial(build(**base), 1, 0, record_events=True)
    assert honoured.main_end_fy[0] == 2028
    assert honoured.budget_outside_oku_yen[2] == pytest.approx(2 / 3)
    unpaid = run_trial(build(**base, **{"assumptions.contracts_after_program": False}), 1, 0,
                       record_events=True)
    assert unpaid.main_end_fy[0] == -1  # the stage stops for good on 1 April 2028
    assert _stages(unpaid)[("demo", "stopped: no money")] == (24.0, 180.0)


# ---- carry-over --------------------------------------------------------------------------------
@pytest.mark.parametrize("compounds, starts", [(False, False), (True, True)])
def test_carried_over_money_does_not_compound_unless_the_scenario_says_so(compounds, starts):
    # FY2026 1.0, nothing after; all unspent money may carry over. The candidate may start
    # only in FY2028 (a 6-month design of 0.9). Carried into FY2027: 1.0; into FY2028: nothing
    # (FY2027 had no budget of its own) unless carried money compounds
    sc = build(**{"program.last_fy": 2028,
                  "projects.demo.earliest_start_fy": 2028,
                  "projects.demo.design_cost_oku_yen": 0.9,
                  "assumptions.carryover_share": 1.0,
                  "assumptions.carryover_compounds": compounds,
                  "budget": {"FY2026": 1.0}})
    rec = run_trial(sc, 1, 0)
    carried = rec.budget_carried_in_oku_yen[:3].tolist()
    assert carried == pytest.approx([0.0, 1.0, 1.0 if compounds else 0.0])
    assert bool(rec.start_fy[0] == 2028) is starts


# ---- the budget is never overspent ---------------------------------------------------------
def _assert_budget_kept(sc, res) -> None:
    """No fiscal year spends more than its budget plus what carry-over allows (plus contracted
    parts paid outside any budget after the program)."""
    prog, share = sc.program, sc.assumptions.carryover_share
    y0 = prog.as_of_fy - prog.first_fy
    spend = res.spend_oku_yen.sum(axis=1, dtype=np.float64)[:, y0:]
    budget = res.budget_oku_yen[:, y0:]
    outside = res.budget_outside_oku_yen[:, y0:]
    prev = np.concatenate([np.zeros((budget.shape[0], 1)), budget[:, :-1]], axis=1)
    if sc.assumptions.carryover_compounds:
        prev = np.cumsum(budget, axis=1) - budget  # at most everything before
    allowed = budget + share * prev + outside
    assert (spend <= allowed + 1e-6).all(), np.argwhere(spend > allowed + 1e-6)[:5]
    if share == 0:
        assert (spend <= budget + outside + 1e-6).all()
    after = np.arange(prog.as_of_fy, prog.horizon_fy + 1) > prog.last_fy
    assert (outside[:, ~after] == 0).all()


def test_no_trial_overspends_a_year_in_shipped_scenarios(shipped_scenarios):
    for sc in shipped_scenarios:
        _assert_budget_kept(sc, simulate(sc, n_trials=25, seed=8))


def test_no_trial_overspends_a_year_with_carry_over(shipped_scenarios):
    for sc in shipped_scenarios[:2]:
        for compounds in (False, True):
            a = sc.assumptions.model_copy(update={"carryover_share": 0.6,
                                                  "carryover_compounds": compounds})
            varied = sc.model_copy(update={"assumptions": a})
            _assert_budget_kept(varied, simulate(varied, n_trials=20, seed=3))


# ---- history conditions the draws ----------------------------------------------------------
def _finished_demo(**fields) -> dict:
    return _demo(status="finished", earliest_start_fy=None, started_fy=2020, finished_fy=2021,
                 succeeded=True, **fields)


def test_a_project_that_has_issued_keeps_issuing():
    # issuance_prob 0: a new project would never issue; one that has issued 500 t must go on
    sc = build(**{"program.first_fy": 2018, "projects.demo.earliest_start_fy": 2026,
                  "projects.old": _finished_demo(issued_t=500.0, registered=True,
                                                 issuance_prob=0.0, followup_years=8.0)})
    res = simulate(sc, n_trials=40, seed=2)
    j = sc.projects.index(sc.project("old"))
    y0 = sc.program.as_of_fy - sc.program.first_fy
    future = res.credits_t[:, j, y0:].sum(axis=1)
    assert (future > 0).all()
    # ended FY2021 + 8 follow-up years → crediting to 1 April 2030: four 12-month periods from
    # 1 April 2026 of 1,200 t each
    assert np.allclose(future, 4 * 1200.0)


def test_monitored_but_unissued_credits_are_issued_first():
    # registered running project in follow-up with 500 t monitored: TPE verification 1.25
    # months, then the JC decision at 1.5 → 500 t issued in FY2026
    running = _demo(status="running", earliest_start_fy=None, started_fy=2023,
                    stage="followup", months_in_stage=0.0, followup_years=0.0,
                    registered=True, monitored_unissued_t=500.0)
    sc = build(**{"program.first_fy": 2023, "projects.r": running,
                  "projects.demo.earliest_start_fy": 2026})
    rec = run_trial(sc, 1, 0)
    j = sc.projects.index(sc.project("r"))
    assert rec.credits_t[j].tolist()[3] == pytest.approx(500.0)
    assert rec.credits_t[j].sum() == pytest.approx(500.0)


def test_a_running_demonstration_in_follow_up_disseminates_and_counts_as_finished():
    running = _demo(status="running", earliest_start_fy=None, started_fy=2023,
                    stage="followup", months_in_stage=6.0, registered=True,
                    dissemination_prob=1.0, market_size=50.0, bass_p=0.2, bass_q=0.3,
                    replication_t_per_yr=100.0)
    sc = build(**{"program.first_fy": 2023, "projects.r": running})
    res = simulate(sc, n_trials=20, seed=1)
    j = sc.projects.index(sc.project("r"))
    assert (res.main_end_fy[:, j] == 2025).all()  # ended 6 months before 1 April 2026
    assert (res.dissemination_cases[:, j] > 0).all()
    rate = per_trial_kpis(res, sc)["dissemination_rate"]
    # the new demonstration has no dissemination; the running one always does: 1/2 or 1/1
    assert set(np.round(rate, 6)) <= {0.5, 1.0}
    assert (rate >= 0.5).all()


def test_a_finished_projects_bass_clock_runs_from_when_its_demonstration_ended():
    m, p, q = 300, 0.02, 0.3
    old = _finished_demo(dissemination_prob=1.0, market_size=float(m), bass_p=p, bass_q=q,
                         replication_t_per_yr=10.0)
    sc = build(**{"program.first_fy": 2018, "projects.old": old})
    res = simulate(sc, n_trials=200, seed=9)
    j = sc.projects.index(sc.project("old"))
    # ended 1 April 2022; horizon ends 1 April 2041: 19 years of diffusion (not 15)
    f = bass_cdf(19.0, p, q)
    cases = res.dissemination_cases[:, j].astype(float)
    assert abs(cases.mean() - m * f) <= 4 * np.sqrt(m * f * (1 - f)) / np.sqrt(len(cases))
    assert (res.first_case_fy[:, j] < 2026).mean() > 0.9  # the first cases came before 2026


def test_no_known_cases_lower_the_chance_of_dissemination_by_bayes_rule():
    m, p, q, pi = 5, 0.05, 0.3, 0.6
    old = _finished_demo(dissemination_prob=pi, market_size=float(m), bass_p=p, bass_q=q,
                         replication_t_per_yr=10.0, dissemination_cases_to_date=0)
    sc = build(**{"program.first_fy": 2018, "projects.old": old})
    res = simulate(sc, n_trials=800, seed=4)
    j = sc.projects.index(sc.project("old"))
    stay = (1 - bass_cdf(4.0, p, q)) ** m  # no case in the 4 years since April 2022
    posterior = pi * stay / (pi * stay + 1 - pi)
    # every adopter of a disseminating project adopts after 1 April 2026, and by the horizon
    # (15 more years) nearly all have: the share with any case ≈ the posterior
    any_case = (res.dissemination_cases[:, j] > 0).astype(float)
    assert (res.first_case_fy[:, j][any_case > 0] >= 2026).all()
    f_rest = 1 - (1 - (bass_cdf(19.0, p, q) - bass_cdf(4.0, p, q)) / (1 - bass_cdf(4.0, p, q))) ** m
    expected = posterior * f_rest
    se = np.sqrt(expected * (1 - expected) / len(any_case))
    assert abs(any_case.mean() - expected) <= 4 * se
    assert expected < pi - 0.1  # the update matters here


def test_known_cases_are_kept():
    old = _finished_demo(dissemination_prob=0.01, market_size=10.0, bass_p=0.01, bass_q=0.1,
                         replication_t_per_yr=10.0, dissemination_cases_to_date=3)
    sc = build(**{"program.first_fy": 2018, "projects.old": old})
    res = simulate(sc, n_trials=30, seed=4)
    j = sc.projects.index(sc.project("old"))
    assert (res.dissemination_cases[:, j] >= 3).all()
    assert (res.first_case_fy[:, j] <= 2025).all()


def test_a_registered_running_project_skips_validation_and_registration():
    running = _demo(status="running", earliest_start_fy=None, started_fy=2025, stage="main",
                    months_in_stage=6.0, registered=True, methodology_needed=True,
                    methodology_approval_prob=0.0)
    sc = build(**{"program.first_fy": 2025, "projects.r": running,
                  "projects.demo.earliest_start_fy": 2027})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert ("r", "validation and registration") not in _stages(rec)
    j = sc.projects.index(sc.project("r"))
    # commissioned at t = 0: monitoring 0 → 12 → 1,200 t verified by 13.25, issued at 13.5
    assert rec.credits_t[j].tolist()[2] == pytest.approx(1200.0)


# ---- methodology, new countries, crediting after follow-up --------------------------------
def test_own_methodology_drafting_starts_with_the_demonstration_stage():
    # drafting 8 months from the build start (t = 6) → 14 → approved at the JC at 14.5; then
    # validation 14.5 → 16.5 and registration at the next decision, 17.5 (drafting from
    # commissioning would give 20.5 → 22.5 → 23.5)
    sc = build(**{"projects.demo.methodology_needed": True,
                  "projects.demo.methodology_months": 8.0})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert _stages(rec)[("demo", "validation and registration")] == (12.0, 17.5)


def test_a_new_partner_country_registers_only_after_its_first_registration_delay():
    # signed April 2026, no registered projects, 30 months to the first registration:
    # registration waits for t = 30, then the next JC decision at 30.5
    sc = build(**{"countries.Testland.has_registered_projects": False,
                  "countries.Testland.signed": "2026-04",
                  "assumptions.signing_to_first_registration_months": 30.0})
    rec = run_trial(sc, 1, 0, record_events=True)
    assert _stages(rec)[("demo", "validation and registration")] == (12.0, 30.5)


def test_crediting_after_follow_up_counts_only_when_the_scenario_says_so():
    # one more year after follow-up: a third monitoring period [36, 48] → 1,200 t more
    sc = build(**{"assumptions.crediting_after_followup_years": 1.0})
    res = simulate(sc, n_trials=2, seed=1)
    assert res.credits_t[0].sum() == pytest.approx(sum(HAND_CREDITS_BY_FY.values()) + 1200 - 0)


# ---- refused ---------------------------------------------------------------------------------
def test_a_candidate_whose_first_stage_is_free_is_refused():
    with pytest.raises(InputError, match="first stage must cost something"):
        build(**{"projects.demo.design_cost_oku_yen": 0.0})


def test_a_candidate_with_a_history_is_refused():
    with pytest.raises(InputError, match="a candidate has no history"):
        build(**{"projects.demo.issued_t": 10.0})


# ---- generated scenarios: the budget and the start deadline hold in every trial -----------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_money = st.sampled_from([0.0, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0, 6.0])
_months = st.sampled_from([0.0, 3.0, 6.0, 9.0, 12.0, 18.0, 24.0])


@st.composite
def _generated(draw):
    """A small program with budget shortage, cadence and capacity limits drawn at random;
    durations land on fiscal-year boundaries often (multiples of 3 months)."""
    n = draw(st.integers(1, 5))
    projects = {}
    for k in range(n):
        kind = draw(st.sampled_from(["demonstration", "methodology", "quantification"]))
        earliest = draw(st.integers(2026, 2028))
        p = {"name": f"P{k}", "country": "Testland", "technology": f"t{k % 2}",
             "kind": kind, "status": "candidate", "earliest_start_fy": earliest,
             "latest_start_fy": draw(st.integers(earliest, 2028)),
             "main_cost_oku_yen": draw(_money) + 0.1, "main_months": draw(_months),
             "expected_t_per_yr": 1000.0, "priority": draw(st.integers(0, 2))}
        if kind == "demonstration":
            p.update(design_cost_oku_yen=draw(_money) + 0.1, design_months=draw(_months),
                     build_months=draw(_months), design_success_prob=0.8)
        projects[f"p{k}"] = p
    share = draw(st.sampled_from([0.0, 0.5, 1.0]))
    return {
        "name": "generated",
        "program": {"first_fy": 2026, "last_fy": 2028, "as_of_fy": 2026, "horizon_fy": 2040,
                    "midterm_evaluation_fy": 2027, "final_evaluation_fy": 2028},
        "budget": {f"FY{y}": draw(_money) for y in (2026, 2027, 2028)},
        "assumptions": {
            "tpe_capacity": draw(st.integers(1, 3)), "staff_limit": draw(st.integers(1, 4)),
            "validation_months": 2.0, "verification_months": 1.0,
            "jc_interval_months": draw(st.sampled_from([1.0, 3.0, 12.0])),
            "carryover_share": share, "carryover_compounds": draw(st.booleans()),
            "contracts_after_program": draw(st.booleans()),
        },
        "countries": {"Testland": {}},
        "projects": projects,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_generated())
def test_generated_programs_never_overspend_or_start_late(raw):
    from sim.loader import scenario_from_dict

    sc = scenario_from_dict(raw)
    res = simulate(sc, n_trials=6, seed=5)
    _assert_budget_kept(sc, res)
    for j, p in enumerate(sc.projects):
        s = res.start_fy[:, j]
        assert ((s == -1) | ((s >= p.earliest_start_fy) & (s <= p.latest_start_fy))).all()
        # a demonstration stage never begins before its project started
        m = res.main_start_fy[:, j]
        assert ((m == -1) | (m >= s)).all()
