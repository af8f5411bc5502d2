"""The fast engine (:mod:`sim.fast`, :mod:`sim.fast_kernel`) against the SimPy reference
(:mod:`sim.lifecycle`): from the same pre-drawn numbers both must give the same trial.

* every shipped scenario, through :func:`sim.montecarlo.simulate` with either engine, with and
  without the per-project arrays: every array equal, bit for bit, and the same timeline;
* generated programs (budget shortage, Joint Committee cadence, staff and TPE limits,
  methodologies, running and finished projects with a history, durations on fiscal-year
  boundaries): each trial of :func:`sim.fast.run_fast` equal to :class:`sim.lifecycle.Trial`;
* the fast engine's results do not depend on the batch size or the number of workers;
* the engine is named in the results, and an unknown one is refused.

The timeline of stage dates is recorded by the compiled loop for one trial (trial 0 in a
run); the generated programs compare it, for the first trial of each batch, with the SimPy
engine's ``record_events``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.distributions import parse_distribution
from sim.draws import draw_batch
from sim.errors import InputError
from sim.fast import run_fast
from sim.lifecycle import Trial
from sim.loader import load_scenario, scenario_from_dict
from sim.montecarlo import simulate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.toml")) + sorted((SCENARIOS / "examples").glob("*.toml"))

#: Arrays of :class:`sim.results.SimulationResults` with the per-project arrays kept.
PROJECT_ARRAYS = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t",
                  "dissemination_t")
COMMON_ARRAYS = ("start_fy", "main_start_fy", "main_end_fy", "succeeded",
                 "dissemination_cases", "first_case_fy", "dissemination_lifetime_t",
                 "lapsed_oku_yen", "budget_oku_yen", "budget_committed_oku_yen",
                 "budget_carried_in_oku_yen", "budget_outside_oku_yen")
SUMMARY_ARRAYS = ("project_credits_fy2030_t", "project_credits_fy2040_t",
                  "project_spend_oku_yen", "spend_total_oku_yen")

#: Per-trial outputs of :class:`sim.lifecycle.TrialRecord` and their names in ``run_fast``.
RECORD_FLOATS = {"spend_oku_yen": "spend_oku_yen", "credits_t": "credits_t",
                 "japan_credits_t": "japan_credits_t", "demo_reductions_t": "demo_reductions_t",
                 "dissemination_t": "dissemination_t",
                 "dissemination_lifetime_t": "dissemination_lifetime_t",
                 "lapsed_oku_yen": "lapsed"}
RECORD_INTS = ("start_fy", "main_start_fy", "main_end_fy", "succeeded", "dissemination_cases",
               "first_case_fy")
RECORD_BUDGET = ("budget_committed_oku_yen", "budget_carried_in_oku_yen",
                 "budget_outside_oku_yen")


def _same_array(name: str, a: np.ndarray, b: np.ndarray) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype, (name, a.dtype, b.dtype)
    assert a.shape == b.shape, (name, a.shape, b.shape)
    if not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
        where = np.argwhere(a != b)[:5]
        raise AssertionError(
            f"{name} differs at {where.tolist()}: fast "
            f"{[a[tuple(w)] for w in where]} vs des {[b[tuple(w)] for w in where]}")


def _assert_same_results(fast, des, keep_projects: bool) -> None:
    names = list(COMMON_ARRAYS)
    names += list(PROJECT_ARRAYS) if keep_projects else list(SUMMARY_ARRAYS)
    for name in names:
        a, b = getattr(fast, name), getattr(des, name)
        assert a is not None and b is not None, name
        _same_array(name, a, b)
    if keep_projects:
        assert fast.program_by_fy is None and des.program_by_fy is None
        for name in SUMMARY_ARRAYS:
            assert getattr(fast, name) is None and getattr(des, name) is None, name
    else:
        for name in PROJECT_ARRAYS:
            assert getattr(fast, name) is None and getattr(des, name) is None, name
        assert set(fast.program_by_fy) == set(des.program_by_fy) == set(PROJECT_ARRAYS)
        for name in PROJECT_ARRAYS:
            _same_array(f"program_by_fy[{name}]", fast.program_by_fy[name],
                        des.program_by_fy[name])
    assert fast.timeline == des.timeline
    assert (fast.scenario_name, fast.seed, fast.as_of_fy) == (des.scenario_name, des.seed,
                                                             des.as_of_fy)
    assert fast.project_ids == des.project_ids
    _same_array("years", fast.years, des.years)


# ---- 1. every shipped scenario --------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {p.relative_to(SCENARIOS).as_posix(): load_scenario(p) for p in SHIPPED}


def _trials_for(sc) -> int:
    return 60 if len(sc.projects) > 100 else 120


@pytest.mark.parametrize("keep_projects", [True, False], ids=["projects", "summaries"])
@pytest.mark.parametrize("name", [p.relative_to(SCENARIOS).as_posix() for p in SHIPPED])
def test_shipped_scenarios_give_the_same_results_in_both_engines(shipped, name, keep_projects):
    sc = shipped[name]
    n = _trials_for(sc)
    fast = simulate(sc, n, seed=20260401, keep_projects=keep_projects, engine="fast")
    des = simulate(sc, n, seed=20260401, keep_projects=keep_projects, engine="des")
    assert (fast.engine, des.engine) == ("fast", "des")
    assert des.des_reruns == 0
    assert fast.des_reruns < n // 2  # the compiled loop ran most trials itself
    assert len(fast.timeline) > 0
    _assert_same_results(fast, des, keep_projects)


def test_shipped_scenarios_agree_with_budgets_that_carry_over_and_lapse(shipped):
    # the shipped files carry nothing over; the baseline with carry-over (compounding or not),
    # half its budget and, once, no payments after the program
    sc = shipped["baseline.toml"]
    half = {fy: parse_distribution(0.5 * d.mean) for fy, d in sc.budget_oku_yen.items()}
    for share, compounds, after in ((0.7, False, True), (1.0, True, False)):
        a = sc.assumptions.model_copy(update={"carryover_share": share,
                                              "carryover_compounds": compounds,
                                              "contracts_after_program": after})
        varied = sc.model_copy(update={"assumptions": a, "budget_oku_yen": half})
        fast = simulate(varied, 60, seed=3, engine="fast")
        des = simulate(varied, 60, seed=3, engine="des")
        assert (fast.lapsed_oku_yen > 0).any() or (fast.budget_carried_in_oku_yen > 0).any()
        _assert_same_results(fast, des, keep_projects=True)


def test_shipped_scenarios_agree_with_calendars_and_delays_drawn_up_front(shipped):
    # the baseline's Joint Committee intervals and verification delays have quantile
    # functions, so both are made on demand; as pert they have none and are drawn up front
    sc = shipped["baseline.toml"]
    on_demand = draw_batch(sc, 1, range(0, 4))
    assert on_demand.jc_specs is not None and on_demand.jc_times.shape[2] == 0
    assert on_demand.verify_specs is not None
    a = sc.assumptions.model_copy(update={
        "jc_interval_months": parse_distribution("pert(1, 6, 15)"),
        "verification_months": parse_distribution("pert(6, 12, 30)")})
    varied = sc.model_copy(update={"assumptions": a})
    up_front = draw_batch(varied, 1, range(0, 4))
    assert up_front.jc_specs is None and up_front.jc_times.shape[2] > 0
    assert up_front.verify_specs is None
    fast = simulate(varied, 60, seed=5, engine="fast")
    des = simulate(varied, 60, seed=5, engine="des")
    assert des.des_reruns == 0
    _assert_same_results(fast, des, keep_projects=True)


# ---- 2. generated programs, trial by trial ---------------------------------------------------
AS_OF = 2026


class _Choices:
    """What a generated program's numbers are drawn from. ``aligned``: only whole quarters and
    years, Joint Committee decisions on a fixed calendar, no waiting on TPEs, so that many
    events (stage ends, Aprils, decisions, deadlines) fall on the very same instant."""

    def __init__(self, aligned: bool):
        if aligned:
            self.months = st.sampled_from([0.0, 6.0, 12.0, 12.0, 24.0, 24.0, 36.0])
            self.short = st.sampled_from([0.0, 0.0, 6.0, 12.0])
            self.interval = st.sampled_from([3.0, 6.0, 12.0, 12.0])
            self.first_jc = st.sampled_from([0.0, 6.0, 12.0])
            self.period = st.sampled_from([6.0, 12.0])
            self.followup = st.sampled_from([0.0, 1.0, 2.0])
            self.in_stage = st.sampled_from([0.0, 6.0, 12.0, 1e-6, 12.0000001, 11.9999999,
                                             23.9999999])
            self.money = st.sampled_from([0.1, 0.5, 1.0, 1.2, 2.0, 3.0])
            self.budget = st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0, 3.0])
            self.tpe_work = st.sampled_from([0.0, 6.0, 12.0])
            self.signing = st.sampled_from([12.0, 24.0, 30.0])
        else:
            self.months = st.sampled_from([0.0, 3.0, 6.0, 12.0, 18.0, 24.0, 36.0,
                                           "uniform(2, 20)", "triangular(6, 12, 30)",
                                           "pert(3, 12, 24)", "lognormal(12, 4)"])
            # a pert has no quantile function here, so it takes the pre-drawn path of
            # verification delays and Joint Committee calendars (the others: on demand)
            self.short = st.sampled_from([0.0, 1.0, 2.0, 3.0, 12.0, "uniform(0.5, 4)",
                                          "triangular(1, 2, 6)", "pert(0.5, 1, 3)"])
            self.interval = st.sampled_from([1.0, 3.0, 6.0, 12.0, "uniform(2, 8)",
                                             "triangular(3, 6, 12)", "pert(2, 6, 12)"])
            self.first_jc = st.sampled_from([None, None, 0.0, 0.5, 3.0, 12.0])
            self.period = st.sampled_from([6.0, 12.0, 12.0, "uniform(6, 18)"])
            self.followup = st.sampled_from([0.0, 1.0, 2.0, 3.0, "uniform(0, 3)"])
            self.in_stage = st.sampled_from([0.0, 3.0, 6.0, 12.0, 12.5, 30.0, 1e-6])
            self.money = st.sampled_from([0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0, "uniform(0.2, 2)",
                                          "triangular(0.5, 1, 3)"])
            self.budget = st.sampled_from([0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 6.0,
                                           "uniform(0, 3)", "normal(2, 1, low=0)"])
            self.tpe_work = st.sampled_from([1.0, "triangular(1, 2, 4)"])
            self.signing = st.sampled_from([12.0, 30.0, "uniform(15, 74)"])
        self.prob = st.sampled_from([1.0, 1.0, 0.8, 0.5, 0.0] + ([] if aligned
                                                                   else ["uniform(0.3, 1)"]))


@st.composite
def _project(draw, c: _Choices, k: int, countries: list[str], last_fy: int) -> dict:
    kind = draw(st.sampled_from(["demonstration", "demonstration", "methodology",
                                 "quantification"]))
    statuses = ["running", "finished"] + (["candidate"] * 2 if last_fy >= AS_OF else [])
    status = draw(st.sampled_from(statuses))
    p = {
        "name": f"P{k}", "country": draw(st.sampled_from(countries)),
        "technology": draw(st.sampled_from(["solar", "boiler"])), "kind": kind,
        "status": status, "priority": draw(st.sampled_from([0, 0, 1, 2])),
        "main_cost_oku_yen": draw(c.money), "main_months": draw(c.months),
        "main_success_prob": draw(c.prob),
        "methodology_needed": draw(st.booleans()),
        "methodology_months": draw(c.months),
        "methodology_approval_prob": draw(c.prob),
        "expected_t_per_yr": draw(st.sampled_from([0.0, 1000.0, 1200.0, "uniform(500, 3000)"])),
        "performance_ratio": draw(st.sampled_from([1.0, "triangular(0.5, 0.9, 1.1)"])),
        "registration_prob": draw(c.prob), "issuance_prob": draw(c.prob),
        "japan_share": draw(st.sampled_from([0.5, 0.6, "uniform(0.3, 0.7)"])),
        "monitoring_period_months": draw(c.period),
        "followup_years": draw(c.followup),
    }
    if kind == "demonstration":
        p.update(design_cost_oku_yen=draw(c.money), design_months=draw(c.months),
                 build_months=draw(c.months), design_success_prob=draw(c.prob),
                 dissemination_prob=draw(st.sampled_from([0.0, 0.5, 1.0])),
                 market_size=draw(st.sampled_from([5.0, 40.0])), bass_p=0.05, bass_q=0.4,
                 replication_t_per_yr=500.0,
                 replication_lifetime_years=draw(st.sampled_from([10.0, "uniform(8, 20)"])))
    if status == "candidate":
        earliest = draw(st.integers(AS_OF, last_fy))
        p["earliest_start_fy"] = earliest
        if draw(st.booleans()):
            p["latest_start_fy"] = draw(st.integers(earliest, last_fy))
        return p
    started = draw(st.integers(AS_OF - 4, AS_OF if status == "running" else AS_OF - 1))
    p["started_fy"] = started
    p["spent_oku_yen"] = draw(st.sampled_from([0.0, 1.5]))
    p["registered"] = draw(st.booleans())
    p["issued_t"] = draw(st.sampled_from([0.0, 0.0, 500.0]))
    p["monitored_unissued_t"] = draw(st.sampled_from([0.0, 0.0, 300.0]))
    if kind == "demonstration":
        p["dissemination_cases_to_date"] = draw(st.sampled_from([None, 0, 2]))
    if status == "running":
        stages = ["design", "main", "followup"] if kind == "demonstration" else ["main",
                                                                                 "followup"]
        p["stage"] = draw(st.sampled_from(stages))
        p["months_in_stage"] = draw(c.in_stage)
    else:
        p["finished_fy"] = draw(st.integers(started, AS_OF - 1))
        p["succeeded"] = draw(st.booleans())
        if kind == "demonstration" and draw(st.integers(0, 3)) == 0:
            p["stage"] = "design"
    return p


@st.composite
def programs(draw, aligned: bool = False) -> dict:
    """A small program: a few projects of every kind and status in one or two countries,
    under a tight budget, few staff and TPE slots and a given Joint Committee cadence."""
    c = _Choices(aligned)
    last_fy = draw(st.sampled_from([AS_OF - 1, AS_OF, AS_OF, AS_OF + 1, AS_OF + 2, AS_OF + 3]))
    n_c = draw(st.integers(1, 2))
    countries = {}
    for name in ("Aland", "Bland")[:n_c]:
        country: dict = {}
        if draw(st.booleans()):
            country["jc_interval_months"] = draw(c.interval)
        first = draw(c.first_jc) if not aligned or draw(st.booleans()) else 0.0
        if first is not None:
            country["jc_next_decision_month"] = first
        if draw(st.integers(0, 2)) == 0:
            country["has_registered_projects"] = False
            signed = draw(st.sampled_from([None, "2024-04", "2025-10", "2026-04", "2027-01"]))
            if signed is not None:
                country["signed"] = signed
        countries[name] = country
    names = list(countries)
    n_p = draw(st.integers(1, 7))
    projects = {f"p{k}": draw(_project(c, k, names, last_fy)) for k in range(n_p)}
    budget_years = range(AS_OF - draw(st.integers(0, 1)), max(last_fy, AS_OF) + 1
                         + draw(st.integers(0, 2)))
    return {
        "name": "generated",
        "program": {"first_fy": AS_OF - 4, "last_fy": last_fy, "as_of_fy": AS_OF,
                    "horizon_fy": draw(st.sampled_from([2040, 2040, 2044])),
                    "midterm_evaluation_fy": AS_OF + 1, "final_evaluation_fy": AS_OF + 2},
        "budget": {f"FY{y}": draw(c.budget) for y in budget_years},
        "assumptions": {
            "tpe_capacity": draw(st.integers(1, 2)), "staff_limit": draw(st.integers(1, 3)),
            "validation_months": draw(c.short), "verification_months": draw(c.short),
            "tpe_verification_months": draw(c.tpe_work),
            "jc_interval_months": draw(c.interval),
            "carryover_share": draw(st.sampled_from([0.0, 0.25, 1.0]) | st.floats(0.0, 1.0)),
            "carryover_compounds": draw(st.booleans()),
            "contracts_after_program": draw(st.booleans()),
            "crediting_after_followup_years": draw(st.sampled_from(
                [0.0, 0.0, 1.0] + ([] if aligned else ["uniform(0, 2)"]))),
            "signing_to_first_registration_months": draw(c.signing),
        },
        "countries": countries,
        "projects": projects,
    }


def _assert_trials_agree(sc, seed: int, trials: range) -> np.ndarray:
    """Each trial of ``trials`` by the fast engine equals the SimPy engine's, and so does the
    timeline of the first; returns the trials the fast engine handed to the SimPy engine."""
    fast, timeline, rerun = run_fast(sc, seed, trials, timeline_trial=trials.start)
    draws = draw_batch(sc, seed, trials)
    for r, k in enumerate(trials):
        rec = Trial(sc, seed, k, draws=draws, record_events=(r == 0)).run()
        where = f"seed {seed}, trial {k}"
        if r == 0:
            assert timeline == rec.events, where
        for name, fast_name in RECORD_FLOATS.items():
            want = np.asarray(getattr(rec, name), dtype=fast[fast_name].dtype)  # float32 kept
            np.testing.assert_allclose(fast[fast_name][r], want, rtol=1e-12,
                                       atol=1e-9, err_msg=f"{name}, {where}")
        for name in RECORD_INTS:
            np.testing.assert_array_equal(fast[name][r], getattr(rec, name),
                                          err_msg=f"{name}, {where}")
        y0 = sc.program.as_of_fy - sc.program.first_fy
        for name in RECORD_BUDGET:
            assert not fast[name][r, :y0].any(), (name, where)
            np.testing.assert_allclose(fast[name][r, y0:], getattr(rec, name), rtol=1e-12,
                                       atol=1e-9, err_msg=f"{name}, {where}")
        b = fast["budget"][r, y0:]
        np.testing.assert_array_equal(b, draws.budget_oku_yen[r], err_msg=f"budget, {where}")
    return rerun


def _check_generated(raw: dict, seed: int, first: int) -> None:
    try:
        sc = scenario_from_dict(raw)
    except InputError as err:  # pragma: no cover - the strategies build valid programs
        raise AssertionError(f"generated an invalid program: {err}") from None
    rerun = _assert_trials_agree(sc, seed, range(first, first + 8))
    event(f"trials rerun by SimPy: {int(rerun.sum())}")


_GENERATED = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_GENERATED
@given(raw=programs(), seed=st.integers(0, 2**31 - 1), first=st.integers(1, 1000))
def test_generated_programs_give_the_same_trials_in_both_engines(raw, seed, first):
    # ``first`` up to 1000: some batches straddle the draw blocks' edge at trial 512
    _check_generated(raw, seed, first)


@_GENERATED
@given(raw=programs(aligned=True), seed=st.integers(0, 2**31 - 1), first=st.integers(1, 1000))
def test_generated_programs_with_same_instant_events_give_the_same_trials(raw, seed, first):
    _check_generated(raw, seed, first)


def test_running_contracts_after_the_program_are_paid_outside_the_budget_in_both_engines():
    # the program ended in FY2025 and the simulation starts on 1 April 2026 with no budget;
    # contracts signed within the program are honoured (the default), so the running
    # quantification support's last 6 months (1 億円) are paid outside the budget in FY2026
    # and its support stage ends in FY2026 in every trial
    sc = scenario_from_dict({
        "name": "program-over",
        "program": {"first_fy": 2025, "last_fy": 2025, "as_of_fy": 2026, "horizon_fy": 2040,
                    "midterm_evaluation_fy": 2026, "final_evaluation_fy": 2027},
        "budget": {},
        "assumptions": {"validation_months": 2.0, "verification_months": 1.0,
                        "jc_interval_months": 1.0, "contracts_after_program": True},
        "countries": {"Testland": {}},
        "projects": {"q": {"name": "Q", "country": "Testland", "technology": "t",
                           "kind": "quantification", "status": "running", "started_fy": 2025,
                           "stage": "main", "main_cost_oku_yen": 1.0, "main_months": 6.0,
                           "expected_t_per_yr": 1200.0}},
    })
    fast = simulate(sc, 3, seed=1, engine="fast")
    des = simulate(sc, 3, seed=1, engine="des")
    y = list(des.years).index(2026)
    assert des.budget_outside_oku_yen[:, y].tolist() == [1.0, 1.0, 1.0]
    assert des.main_end_fy[:, 0].tolist() == [2026, 2026, 2026]
    _assert_same_results(fast, des, keep_projects=True)
    _assert_trials_agree(sc, 1, range(1, 9))


def test_a_running_stage_a_hair_short_of_its_end_does_not_stall_the_simulation():
    # 1e-7 months of the design left (just over EPS_T): the trial must still reach the horizon
    # in a bounded number of events (the fast engine runs the same loop, compiled)
    sc = scenario_from_dict({
        "name": "edge", "program": {"first_fy": 2026, "last_fy": 2027, "as_of_fy": 2026,
                                    "horizon_fy": 2040, "midterm_evaluation_fy": 2027,
                                    "final_evaluation_fy": 2028},
        "budget": {"FY2026": 1.0, "FY2027": 1.0},
        "assumptions": {"validation_months": 2.0, "verification_months": 1.0,
                        "jc_interval_months": 3.0},
        "countries": {"Testland": {}},
        "projects": {"d": {"name": "D", "country": "Testland", "technology": "t",
                           "kind": "demonstration", "status": "running", "started_fy": 2026,
                           "stage": "design", "months_in_stage": 23.9999999,
                           "design_cost_oku_yen": 1.0, "design_months": 24.0,
                           "main_cost_oku_yen": 1.0, "main_months": 12.0}},
    })
    trial = Trial(sc, 1, 1)
    steps = 0
    while trial.env.peek() < trial.end_m and steps < 100_000:
        trial.env.step()
        steps += 1
    assert trial.env.peek() >= trial.end_m, f"stalled at month {trial.env.now}"
    # the design ends at once and the demonstration goes on, in both engines
    rec = Trial(sc, 1, 1).run()
    assert rec.main_start_fy[0] == 2026
    _assert_trials_agree(sc, 1, range(1, 5))


# ---- 3. batches and workers ------------------------------------------------------------------
def test_the_fast_engine_gives_the_same_results_whatever_the_batches_and_workers(shipped):
    sc = shipped["baseline.toml"]
    ref = simulate(sc, 40, seed=7, engine="fast", batch_size=40)
    for batch_size, workers in ((1, 1), (7, 1), (512, 1), (7, 2)):
        res = simulate(sc, 40, seed=7, engine="fast", batch_size=batch_size, workers=workers)
        _assert_same_results(res, ref, keep_projects=True)


# ---- 4. the engine is named -----------------------------------------------------------------
def test_results_name_their_engine_and_an_unknown_engine_is_refused(shipped):
    sc = shipped["baseline.toml"]
    for engine in ("fast", "des"):
        res = simulate(sc, 2, seed=1, engine=engine)
        assert res.engine == engine
        assert res.engine_note.strip()
    with pytest.raises(ValueError, match=r"fast.*des|des.*fast") as err:
        simulate(sc, 2, seed=1, engine="simpy-ish")
    assert "simpy-ish" in str(err.value)


# ---- 5. the timeline ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["baseline.toml", "budget_low.toml"])
def test_the_compiled_loop_records_trial_0s_timeline_without_the_simpy_engine(shipped, name,
                                                                           monkeypatch):
    sc = shipped[name]
    want = simulate(sc, 40, seed=4, engine="des", workers=1).timeline
    assert len(want) > 20  # stages of many projects: design, build, waits, registration …

    def no_simpy(self):
        raise AssertionError("the SimPy engine ran a trial")

    monkeypatch.setattr("sim.fast.Trial.run", no_simpy)
    got = simulate(sc, 40, seed=4, engine="fast", workers=1)
    assert got.timeline == want
    assert {s.stage for s in got.timeline} >= {"design", "build", "operation",
                                                "validation and registration"}


def test_a_timeline_that_does_not_fit_is_recorded_by_the_simpy_engine(shipped, monkeypatch):
    sc = shipped["baseline.toml"]
    draws = draw_batch(sc, 4, range(0, 6))
    want = Trial(sc, 4, 2, record_events=True, draws=draws).run().events
    monkeypatch.setattr("sim.fast.timeline_rows", lambda n_projects, n_years: 3)
    out, timeline, rerun = run_fast(sc, 4, range(0, 6), timeline_trial=2)
    assert timeline == want and len(want) > 3
    assert rerun.tolist() == [False, False, True, False, False, False]
