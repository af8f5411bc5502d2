"""Targets as of every fiscal year (:func:`sim.kpi_status.kpis_by_fy`): the compiled counting
pass against a plain NumPy transcription of the definitions on real runs, and a hand-made run
whose events land exactly on the year boundaries; a run's program totals are made once and
cannot be changed by a caller."""

from __future__ import annotations

import numpy as np
import pytest

from sim.kpi_status import kpis_by_fy
from sim.loader import load_scenario
from sim.montecarlo import simulate
from sim.results import SimulationResults
from tests.test_app_support import ROOT


def reference_by_fy(r: SimulationResults, scenario) -> dict[str, np.ndarray]:
    """The definitions, written with (trials, projects, years) arrays."""
    prog, tg = scenario.program, scenario.targets
    years = np.asarray(r.years)
    demo = r.kind_mask("demonstration")
    cap = np.minimum(years, prog.last_fy)[None, None, :]
    start = r.start_fy[:, :, None]
    implemented = ((start >= prog.first_fy) & (start <= cap)).sum(axis=1)
    main_start = r.main_start_fy[:, demo][:, :, None]
    entered = (main_start >= 0) & (main_start <= np.minimum(years, 2030)[None, None, :])
    cum_demo = np.cumsum(r.credits_t[:, demo, :], axis=2, dtype=np.float64)
    demo_credits = np.where(entered, cum_demo, 0.0).sum(axis=1)
    n_demo = entered.sum(axis=1)
    end = r.main_end_fy[:, demo][:, :, None]
    first = r.first_case_fy[:, demo][:, :, None]
    finished = (end >= 0) & (end <= years[None, None, :])
    with_case = finished & (first >= 0) & (first <= years[None, None, :])
    n_fin = finished.sum(axis=1)
    dissem = np.cumsum(r.dissemination_t[:, demo, :], axis=2, dtype=np.float64)
    reached = (dissem >= tg.dissemination_reduction_per_project_t - 1e-9).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(n_demo > 0, demo_credits / np.maximum(n_demo, 1), np.nan)
        rate = np.where(n_fin > 0, with_case.sum(axis=1) / np.maximum(n_fin, 1), np.nan)
    return {
        "projects_implemented": implemented.astype(np.float32),
        "avg_credits_per_demo_fy2030_t": avg.astype(np.float32),
        "dissemination_rate": rate.astype(np.float32),
        "projects_dissemination_100kt": reached.astype(np.float32),
        "credits_fy2030_t": np.cumsum(r.credits_t.sum(axis=1, dtype=np.float64),
                                      axis=1).astype(np.float32),
    }


@pytest.mark.parametrize("name", ["baseline.toml", "many_candidates.toml", "budget_low.toml"])
def test_by_fy_equals_the_definitions_written_with_arrays(name):
    scenario = load_scenario(ROOT / "scenarios" / name)
    results = simulate(scenario, 60, 11)
    got, want = kpis_by_fy(results, scenario), reference_by_fy(results, scenario)
    assert got.keys() == want.keys()
    for kid in want:
        np.testing.assert_array_equal(got[kid], want[kid], err_msg=kid)


def _hand_made(scenario) -> SimulationResults:
    """One trial, three demonstrations and a methodology, years FY2018 to FY2040, with every
    event on a boundary: a start in the program's last year and one after it, a demonstration
    entered in FY2030 exactly and one in FY2031, a main stage ending in the year of its first
    replication, replications reaching the 100,000 t mark exactly in FY2035."""
    years = np.arange(2018, 2041)
    n_y = len(years)
    last = scenario.program.last_fy
    need = scenario.targets.dissemination_reduction_per_project_t
    credits = np.zeros((1, 4, n_y), np.float32)
    credits[0, 0, years == 2029] = 3000.0
    credits[0, 0, years == 2031] = 1000.0
    credits[0, 1, years == 2031] = 5000.0   # entered FY2031: never counted in the average
    credits[0, 2, years == 2030] = 2000.0
    diss = np.zeros((1, 4, n_y), np.float32)
    diss[0, 0, years == 2034] = need / 2
    diss[0, 0, years == 2035] = need / 2    # exactly the mark at the end of FY2035
    z = np.zeros((1, 4, n_y), np.float32)
    return SimulationResults(
        scenario_name="hand", seed=0, years=years, as_of_fy=2026,
        project_ids=("a", "b", "c", "m"),
        project_kinds=("demonstration", "demonstration", "demonstration", "methodology"),
        project_status=("candidate",) * 4,
        spend_oku_yen=z, credits_t=credits, japan_credits_t=z, demo_reductions_t=z,
        dissemination_t=diss,
        start_fy=np.array([[2020, 2026, last, last + 1]]),
        main_start_fy=np.array([[2028, 2031, 2030, -1]]),
        main_end_fy=np.array([[2032, 2034, -1, -1]]),
        succeeded=np.ones((1, 4), bool), dissemination_cases=np.array([[2, 0, 0, 0]]),
        first_case_fy=np.array([[2032, -1, -1, -1]]),
        dissemination_lifetime_t=np.array([[need, 0.0, 0.0, 0.0]]),
        lapsed_oku_yen=np.zeros(1), budget_oku_yen=np.zeros((1, n_y)), timeline=())


def test_events_on_the_year_boundaries_count_from_their_own_year():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
    r = _hand_made(scenario)
    by = kpis_by_fy(r, scenario)
    at = {int(fy): i for i, fy in enumerate(r.years)}
    last = scenario.program.last_fy
    impl = by["projects_implemented"][0]
    assert impl[at[2019]] == 0 and impl[at[2020]] == 1 and impl[at[2026]] == 2
    assert impl[at[last]] == 3 and impl[at[2040]] == 3  # the start after the program never
    avg = by["avg_credits_per_demo_fy2030_t"][0]
    assert np.isnan(avg[at[2027]])
    assert avg[at[2029]] == 3000.0           # a entered in FY2028, 3,000 t by FY2029
    assert avg[at[2030]] == (3000.0 + 2000.0) / 2  # c entered in FY2030 itself
    assert avg[at[2031]] == (4000.0 + 2000.0) / 2  # b entered in FY2031: not counted
    rate = by["dissemination_rate"][0]
    assert np.isnan(rate[at[2031]]) and rate[at[2032]] == 1.0  # ended and replicated in FY2032
    assert rate[at[2034]] == 0.5                           # b ended in FY2034 without a case
    reached = by["projects_dissemination_100kt"][0]
    assert reached[at[2034]] == 0 and reached[at[2035]] == 1
    np.testing.assert_array_equal(by["credits_fy2030_t"][0][[at[2029], at[2030], at[2031]]],
                                  [3000.0, 5000.0, 11000.0])
    for kid, want in reference_by_fy(r, scenario).items():
        np.testing.assert_array_equal(by[kid], want, err_msg=kid)


def test_program_totals_are_made_once_and_read_only():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
    r = simulate(scenario, 8, 2)
    a = r.program_series("credits_t")
    assert r.program_series("credits_t") is a
    np.testing.assert_array_equal(a, r.credits_t.sum(axis=1, dtype=np.float64))
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    c = r.project_credits_to_t(2030)
    assert r.project_credits_to_t(2030) is c and not c.flags.writeable
    assert r.spend_by_trial_oku_yen() is r.spend_by_trial_oku_yen()
