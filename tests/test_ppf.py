"""The on-demand random numbers (sim.ppf): the normal quantile against SciPy, each quantile
function against SciPy's, the counter-based uniform, draws conditioned on exceeding a value (a
new partner country's first registration after the simulation start) and Joint Committee
calendars made on demand; and how sim.draws draws a chance whose probability is uncertain."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from sim.distributions import (
    Fixed,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    parse_distribution,
)
from sim.draws import (
    FIRST_REGISTRATION_TRIES,
    _first_registration_block,
    block_stream,
)
from sim.loader import load_scenario
from sim.ppf import (
    MIN_JC_INTERVAL_M,
    hash_uniform,
    jc_calendar,
    jc_decision,
    ndtri,
    quantile,
    sample_above,
    spec_of,
)
from sim.project_params import FIELD_NAMES, project_params
from tests.model_fixtures import build


def test_ndtri_agrees_with_scipy_in_the_body_and_both_tails():
    p = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 20001),
                        np.logspace(-300, -6, 300), 1 - np.logspace(-16, -6, 100)])
    got = np.array([ndtri(x) for x in p])
    want = special.ndtri(p)
    assert np.allclose(got, want, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("dist, frozen", [
    (Uniform(2.0, 5.0), stats.uniform(2.0, 3.0)),
    (Triangular(1.0, 2.0, 4.0), stats.triang(1 / 3, loc=1.0, scale=3.0)),
    (Normal(3.0, 2.0), stats.norm(3.0, 2.0)),
    (LogNormal(16.4, 11.9), None),
])
def test_each_quantile_function_is_scipys(dist, frozen):
    if frozen is None:  # lognormal given by its own mean and sd
        m, s = dist._log_params()
        frozen = stats.lognorm(s, scale=math.exp(m))
    u = np.linspace(0.001, 0.999, 999)
    code, a, b, c = spec_of(dist)
    got = np.array([quantile(code, a, b, c, x) for x in u])
    assert np.allclose(got, frozen.ppf(u), rtol=1e-12)


def test_the_counter_based_uniform_is_reproducible_and_uniform():
    key = np.uint64(0x1234_5678_9ABC_DEF0)
    u = np.array([hash_uniform(key, trial, k) for trial in range(200) for k in range(50)])
    again = np.array([hash_uniform(key, trial, k) for trial in range(200) for k in range(50)])
    assert np.array_equal(u, again)
    assert ((u > 0) & (u < 1)).all()
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert hash_uniform(key, 3, 4) != hash_uniform(key, 4, 3)


def _conditional_cdf(frozen, x0):
    s0 = frozen.sf(x0)
    return lambda x: np.clip((frozen.cdf(x) - frozen.cdf(x0)) / s0, 0.0, 1.0)


@pytest.mark.parametrize("dist, frozen, x0", [
    (Uniform(0.0, 10.0), stats.uniform(0.0, 10.0), 6.0),
    (Triangular(0.0, 4.0, 10.0), stats.triang(0.4, loc=0.0, scale=10.0), 2.0),
    (Triangular(0.0, 4.0, 10.0), stats.triang(0.4, loc=0.0, scale=10.0), 7.0),
    (Normal(0.0, 1.0), stats.norm(0.0, 1.0), 1.5),
    (LogNormal(42.8, 34.1), None, 156.0),
    (LogNormal(42.8, 34.1), None, -12.0),  # no conditioning: the whole distribution
])
def test_draws_above_a_value_follow_the_conditional_distribution(dist, frozen, x0):
    if frozen is None:
        m, s = dist._log_params()
        frozen = stats.lognorm(s, scale=math.exp(m))
    u = np.random.default_rng(7).random(20000)
    x = sample_above(dist, x0, u)
    assert (x > x0).all()
    assert stats.kstest(x, _conditional_cdf(frozen, x0)).pvalue > 1e-3
    # the mean is the conditional mean, E[X | X > x0]
    lo = max(x0, frozen.support()[0])
    want = frozen.expect(lambda v: v, lb=lo, conditional=True)
    assert x.mean() == pytest.approx(want, rel=0.02)


def test_draws_above_stay_exact_far_in_the_tail_and_at_impossible_values():
    d = LogNormal(10.0, 5.0)
    m, s = d._log_params()
    x0 = math.exp(m + s * 8.0)  # P(X > x0) ≈ 6e-16
    u = np.array([1e-9, 0.5, 1 - 1e-9])
    x = sample_above(d, x0, u)
    frozen = stats.lognorm(s, scale=math.exp(m))
    assert (x > x0).all()
    assert np.allclose(x, frozen.isf(u * frozen.sf(x0)), rtol=1e-9)
    assert (sample_above(Uniform(0.0, 1.0), 2.0, np.array([0.3])) == 2.0).all()
    assert (sample_above(Fixed(30.0), 0.0, np.array([0.3, 0.9])) == 30.0).all()
    assert sample_above(Pert(1.0, 2.0, 4.0), 0.0, np.array([0.5])) is None


def test_a_country_signed_long_ago_registers_after_the_start_at_the_conditional_delay():
    # signed April 2013, 156 months before the simulation start (April 2026): the first
    # registration is the delay conditioned on exceeding 156 months, minus 156
    sc = build(**{"countries.Testland.has_registered_projects": False,
                  "countries.Testland.signed": "2013-04",
                  "assumptions.signing_to_first_registration_months": "lognormal(42.8, 34.1)"})
    t = _first_registration_block(sc, "Testland", block_stream(1, 0, "x"), 20000)
    assert (t > 0).all()
    m, s = LogNormal(42.8, 34.1)._log_params()
    frozen = stats.lognorm(s, scale=math.exp(m))
    want = frozen.expect(lambda v: v, lb=156.0, conditional=True) - 156.0
    assert t.mean() == pytest.approx(want, rel=0.03)


def test_a_delay_without_a_quantile_function_is_still_conditioned_by_rejection():
    sc = build(**{"countries.Testland.has_registered_projects": False,
                  "countries.Testland.signed": "2024-04",
                  "assumptions.signing_to_first_registration_months": "pert(6, 30, 60)"})
    t = _first_registration_block(sc, "Testland", block_stream(1, 0, "x"), 4000)
    # 24 months before the start: a delay under 24 months would have registered already
    assert (t > 0).all() and t.max() <= 60 - 24
    assert FIRST_REGISTRATION_TRIES >= 100
    # pert has no quantile function here, so these came from the rejection path
    delay = sc.assumptions.signing_to_first_registration_months
    assert sample_above(delay, 24.0, np.array([0.5])) is None


def test_a_joint_committee_calendar_made_on_demand_is_the_whole_calendar_made_at_once():
    key, end_m = np.uint64(99), 180.0
    code, a, b, c = spec_of(Uniform(0.6, 14.9))
    for trial in range(50):
        cal = jc_calendar(key, trial, code, a, b, c, np.nan, end_m)
        assert cal[-1] > end_m and (cal[:-1] <= end_m).all()
        assert (np.diff(cal) >= MIN_JC_INTERVAL_M).all()
        t = 0.0
        for k, want in enumerate(cal):
            t = jc_decision(key, trial, code, a, b, c, np.nan, k, t)
            assert t == want
    # a fixed first decision is kept; the rest follow it
    cal = jc_calendar(key, 3, code, a, b, c, 2.5, end_m)
    assert cal[0] == 2.5 and cal[1] > 2.5


def test_joint_committee_intervals_follow_their_distribution_and_the_start_falls_in_a_cycle():
    key = np.uint64(7)
    code, a, b, c = spec_of(Triangular(3.0, 6.0, 12.0))
    cals = [jc_calendar(key, trial, code, a, b, c, np.nan, 120.0) for trial in range(3000)]
    gaps = np.concatenate([np.diff(x) for x in cals])
    assert stats.kstest(gaps, stats.triang(1 / 3, loc=3.0, scale=9.0).cdf).pvalue > 1e-3
    first = np.array([x[0] for x in cals])  # a uniform share of one interval: mean 7 / 2
    assert first.mean() == pytest.approx(7.0 / 2, rel=0.05)
    assert len({x[0] for x in cals}) == len(cals)  # trials differ


def test_an_uncertain_chance_is_drawn_at_its_mean_which_is_the_same_distribution(
        baseline_path):
    # u < p with p ~ beta(4.07, 1.93) is true with probability E[p] = 4.07 / 6: the outcomes
    # are drawn as u < E[p]
    sc = load_scenario(baseline_path)
    i = next(k for k, p in enumerate(sc.projects)
             if p.issuance_prob.kind == "beta" and p.issued_t == 0 and not p.registered)
    beta = sc.projects[i].issuance_prob
    n = 200000
    at_mean = project_params(sc, 1).fields(i, ("issues",), np.arange(n))["issues"]
    assert at_mean.dtype == bool
    rng = np.random.default_rng(3)  # drawing the probability first: the same rate
    two_step = rng.random(n) < beta.sample(rng, n)
    se = math.sqrt(0.68 * 0.32 / n)
    assert abs(at_mean.mean() - 4.07 / 6) < 4 * se
    assert abs(two_step.mean() - at_mean.mean()) < 6 * se


def test_a_projects_outcomes_do_not_depend_on_how_its_probabilities_are_written(baseline_path):
    # issuance_prob beta(4.07, 1.93) and its mean, 0.678333…: the same trials, number for number
    sc = load_scenario(baseline_path)
    mean = parse_distribution(repr(4.07 / 6))
    p = sc.projects[-1]
    assert p.issuance_prob.kind == "beta"
    as_mean = sc.model_copy(update={"projects": (*sc.projects[:-1],
                                                 p.model_copy(update={"issuance_prob": mean}))})
    trials = np.arange(0, 300)
    names = FIELD_NAMES
    a, b = project_params(sc, 1), project_params(as_mean, 1)
    for i in range(len(sc.projects)):
        x, y = a.fields(i, names, trials), b.fields(i, names, trials)
        for name in names:
            assert np.array_equal(x[name], y[name]), (i, name)
