"""The on-demand samplers (:mod:`sim.samplers`) follow their distributions: Kolmogorov–Smirnov
tests against SciPy's distribution functions on 20,000 draws each (deterministic: the draws
are hashes of fixed keys), the means, and the order independence that lets a trial make a
value when it needs it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.distributions import parse_distribution
from sim.samplers import sample, spec5_of

N = 20_000


def _draws(text: str, key: int = 0x1234_5678_9ABC, field: int = 3, n: int = N) -> np.ndarray:
    spec = spec5_of(parse_distribution(text))
    return np.array([sample(*spec, np.uint64(key), k, field) for k in range(n)])


def _scipy(text: str):
    d = parse_distribution(text)
    kind = d.kind
    if kind == "uniform":
        return stats.uniform(d.low, d.high - d.low)
    if kind == "triangular":
        return stats.triang((d.mode - d.low) / (d.high - d.low), d.low, d.high - d.low)
    if kind == "pert":
        a, b = d._ab()
        return stats.beta(a, b, d.low, d.high - d.low)
    if kind == "beta":
        return stats.beta(d.a, d.b, d.low, d.high - d.low)
    if kind == "normal":
        if d.truncated:
            return stats.truncnorm((d.low - d.mu) / d.sd, (d.high - d.mu) / d.sd, d.mu, d.sd)
        return stats.norm(d.mu, d.sd)
    if kind == "lognormal":
        m, s = d._log_params()
        return stats.lognorm(s, scale=math.exp(m))
    raise AssertionError(kind)


CONTINUOUS = [
    "uniform(2, 5)",
    "triangular(6, 9, 18)",
    "triangular(0.5, 0.5, 0.75)",
    "triangular(5.4, 15, 41.8)",
    "pert(0.8, 3, 14.5)",
    "pert(3, 5, 9)",
    "pert(1, 1, 4)",
    "beta(9.13, 0.87)",
    "beta(4.07, 1.93)",
    "beta(2, 4)",
    "beta(0.3, 0.5)",
    "beta(0.05, 3)",
    "beta(2, 3, low=2, high=7)",
    "beta(40, 60)",
    "normal(10, 3)",
    "normal(10, 3, low=0)",
    "normal(1, 1, low=4)",
    "normal(0, 1, low=-1, high=0.5)",
    "normal(5, 2, high=1)",
    "lognormal(16.4, 11.9)",
    "lognormal(42.8, 34.1)",
]


@pytest.mark.parametrize("text", CONTINUOUS)
def test_draws_follow_the_distribution(text):
    x = _draws(text)
    ref = _scipy(text)
    assert stats.kstest(x, ref.cdf).pvalue > 1e-3
    lo, hi = parse_distribution(text).support
    assert (x >= lo).all() and (x <= hi).all()
    assert x.mean() == pytest.approx(ref.mean(), abs=5 * ref.std() / math.sqrt(N))


def test_fixed_and_degenerate_draws_are_the_value():
    assert (_draws("7.5", n=50) == 7.5).all()
    assert (_draws("triangular(3, 3, 3)", n=50) == 3.0).all()
    assert (_draws("pert(2, 2, 2)", n=50) == 2.0).all()


def test_bernoulli_draws_are_zero_or_one_at_its_rate():
    x = _draws("bernoulli(0.3)")
    assert set(np.unique(x)) == {0.0, 1.0}
    assert x.mean() == pytest.approx(0.3, abs=4 * math.sqrt(0.21 / N))


def test_fields_keys_and_trials_give_independent_values():
    a = _draws("beta(2, 4)", field=1, n=5000)
    b = _draws("beta(2, 4)", field=2, n=5000)
    c = _draws("beta(2, 4)", key=99, field=1, n=5000)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.05 and abs(np.corrcoef(a, c)[0, 1]) < 0.05
    # the same (key, trial, field) always gives the same value, whatever was drawn before
    spec = spec5_of(parse_distribution("pert(0.8, 3, 14.5)"))
    first = sample(*spec, np.uint64(5), 17, 4)
    for k in range(40):
        sample(*spec, np.uint64(5), k, 4)
    assert sample(*spec, np.uint64(5), 17, 4) == first


def test_a_distribution_held_at_one_value_draws_that_value():
    from sensitivity.factors import Pinned

    pinned = Pinned(parse_distribution("pert(0.8, 3, 14.5)"), 4.25)
    assert spec5_of(pinned) == (0, 4.25, 0.0, 0.0, 0.0)
    assert sample(*spec5_of(pinned), np.uint64(3), 9, 2) == 4.25


def test_a_distribution_without_a_sampler_is_refused():
    with pytest.raises(TypeError, match="no sampler"):
        spec5_of(object())


def test_a_projects_parameters_do_not_depend_on_the_other_projects(baseline_path):
    """Common random numbers: a project's values are a function of (seed, its id, trial,
    field), so removing other projects, or changing one field of this one, leaves the rest."""
    from sim.loader import load_scenario
    from sim.project_params import FIELD_NAMES, project_params

    sc = load_scenario(baseline_path)
    trials = np.arange(100, 400)
    full = project_params(sc, 5)
    last = len(sc.projects) - 1
    alone = sc.model_copy(update={"projects": (sc.projects[last],)})
    pinned = sc.model_copy(update={"projects": (*sc.projects[:last], sc.projects[last].model_copy(
        update={"main_cost_oku_yen": parse_distribution("4.5")}))})
    names = FIELD_NAMES
    a = full.fields(last, names, trials)
    b = project_params(alone, 5).fields(0, names, trials)
    c = project_params(pinned, 5).fields(last, names, trials)
    for n in names:
        assert np.array_equal(a[n], b[n]), n
        if n != "main_cost":
            assert np.array_equal(a[n], c[n]), n
    assert (c["main_cost"] == 4.5).all() and len(np.unique(a["main_cost"])) > 100
    # another seed: other numbers
    d = project_params(sc, 6).fields(last, ("main_cost",), trials)["main_cost"]
    assert not np.array_equal(a["main_cost"], d)
    # made one at a time (as the SimPy engine makes them) or for many trials: the same
    one = full.fields(last, names, np.array([250]))
    assert [one[n][0] for n in names] == [a[n][150] for n in names]
