"""Distributions: sampled moments agree with the analytic ones; every written form parses;
``to_text`` round-trips; every bad form raises :class:`DistributionError` saying why.

Moment tolerances. With n independent draws, the sample mean has standard error
sigma / sqrt(n) (sigma from the analytic variance), so the sample mean must lie within
``Z`` = 5 standard errors of the analytic mean (a correct sampler fails this with probability
< 1e-6). The sample variance has standard error sqrt((mu4 - sigma^4) / n), mu4 the fourth
central moment, estimated here from the same draws; the same 5-standard-error rule applies.
With n = 200,000 the tolerance is about 1 % of sigma for the mean, tight enough to catch a
sampler using a wrong parameter (e.g. the log-scale sd instead of the quantity's sd).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.distributions import (
    DISTRIBUTION_HELP,
    Bernoulli,
    Beta,
    Distribution,
    DistributionError,
    Fixed,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    parse_distribution,
)

N = 200_000
Z = 5.0

#: every kind, including truncated normal (one side, both sides, far tail) and scaled beta
CASES: dict[str, Distribution] = {
    "fixed": Fixed(3.5),
    "uniform": Uniform(2.0, 5.0),
    "triangular": Triangular(1.0, 2.0, 6.0),
    "triangular-mode-at-low": Triangular(0.0, 0.0, 1.0),
    "pert": Pert(1.0, 2.0, 6.0),
    "pert-lamb-2": Pert(0.0, 1.0, 10.0, lamb=2.0),
    "normal": Normal(10.0, 3.0),
    "normal-truncated-low": Normal(1.0, 2.0, low=0.0),
    "normal-truncated-both": Normal(5.0, 2.0, low=3.0, high=6.0),
    "normal-truncated-far-upper-tail": Normal(0.0, 1.0, low=9.0),
    "normal-truncated-far-lower-tail": Normal(0.0, 1.0, high=-9.0),
    "lognormal": LogNormal(10.0, 5.0),
    "beta": Beta(2.0, 5.0),
    "beta-scaled": Beta(2.0, 3.0, low=10.0, high=20.0),
    "bernoulli": Bernoulli(0.3),
}


@pytest.mark.parametrize("d", CASES.values(), ids=CASES.keys())
def test_sample_mean_and_variance_match_the_analytic_moments(d: Distribution):
    x = d.sample(np.random.default_rng(20260401), N)
    assert isinstance(x, np.ndarray) and x.shape == (N,)
    assert np.all(np.isfinite(x))
    lo, hi = d.support
    assert x.min() >= lo and x.max() <= hi
    sigma2 = d.variance
    if sigma2 == 0:
        assert np.all(x == d.mean)
        return
    se_mean = math.sqrt(sigma2 / N)
    assert abs(x.mean() - d.mean) <= Z * se_mean, (x.mean(), d.mean, se_mean)
    s2 = x.var(ddof=1)
    mu4 = np.mean((x - x.mean()) ** 4)
    se_var = math.sqrt(max(mu4 - s2**2, 0.0) / N)
    assert abs(s2 - sigma2) <= Z * se_var, (s2, sigma2, se_var)


@pytest.mark.parametrize("d", CASES.values(), ids=CASES.keys())
def test_single_draw_is_a_float_inside_the_support(d: Distribution):
    v = d.sample(np.random.default_rng(1))
    assert isinstance(v, float)
    lo, hi = d.support
    assert lo <= v <= hi


def test_sampling_is_reproducible_from_the_generator_passed():
    d = Pert(1, 2, 6)
    a = d.sample(np.random.default_rng(5), 10)
    b = d.sample(np.random.default_rng(5), 10)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, d.sample(np.random.default_rng(6), 10))


def test_analytic_moments_by_hand():
    # checks the formulas themselves, independently of any sampler
    assert Pert(1, 2, 6).mean == pytest.approx((1 + 4 * 2 + 6) / 6)
    assert Triangular(1, 2, 6).variance == pytest.approx((1 + 36 + 4 - 6 - 2 - 12) / 18)
    assert Uniform(2, 5).variance == pytest.approx(9 / 12)
    assert Beta(2, 3, low=10, high=20).mean == pytest.approx(14.0)
    assert Beta(2, 5).variance == pytest.approx(10 / (49 * 8))
    assert Bernoulli(0.3).variance == pytest.approx(0.21)
    # half-normal: mean sd*sqrt(2/pi), variance sd^2 (1 - 2/pi)
    half = Normal(0, 2, low=0)
    assert half.mean == pytest.approx(2 * math.sqrt(2 / math.pi))
    assert half.variance == pytest.approx(4 * (1 - 2 / math.pi))
    assert LogNormal(10, 5).mean == 10 and LogNormal(10, 5).variance == 25
    assert Pert(3, 3, 3).variance == 0 and Triangular(2, 2, 2).sample(np.random.default_rng()) == 2


def test_degenerate_ranges_sample_their_one_value():
    rng = np.random.default_rng(0)
    for d in (Pert(3, 3, 3), Triangular(2, 2, 2), Uniform(4, 4)):
        assert np.all(d.sample(rng, 5) == d.mean)


# --------------------------------------------------------------------------------------------
# the written forms
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["pert(1, 2, 6)", "pert(low=1, mode=2, high=6)", " PERT ( 1 , 2 , 6 ) ",
          {"dist": "pert", "low": 1, "mode": 2, "high": 6}], Pert(1, 2, 6)),
        (["pert(1, 2, 6, lamb=2)", {"dist": "pert", "low": 1, "mode": 2, "high": 6, "lamb": 2}],
         Pert(1, 2, 6, lamb=2)),
        (["uniform(0.35, 0.9)", "uniform(0.35, high=0.9)",
          {"dist": "uniform", "low": 0.35, "high": 0.9}], Uniform(0.35, 0.9)),
        (["triangular(6, 11.5, 13)", {"dist": "triangular", "low": 6, "mode": 11.5, "high": 13}],
         Triangular(6, 11.5, 13)),
        (["normal(10, 3)", "normal(mean=10, sd=3)", {"dist": "normal", "mean": 10, "sd": 3}],
         Normal(10, 3)),
        (["normal(1, 2, low=0)", {"dist": "normal", "mean": 1, "sd": 2, "low": 0}],
         Normal(1, 2, low=0)),
        (["normal(5, 2, low=3, high=6)", "normal(5, 2, high=6, low=3)"],
         Normal(5, 2, low=3, high=6)),
        (["lognormal(10, 5)", {"dist": "lognormal", "mean": 10, "sd": 5}], LogNormal(10, 5)),
        (["beta(9, 1.5)", {"dist": "beta", "a": 9, "b": 1.5}], Beta(9, 1.5)),
        (["beta(2, 3, low=10, high=20)", {"dist": "beta", "a": 2, "b": 3, "low": 10, "high": 20}],
         Beta(2, 3, low=10, high=20)),
        (["bernoulli(0.3)", "bernoulli(p=0.3)", {"dist": "bernoulli", "p": 0.3}], Bernoulli(0.3)),
        (["fixed(2.5)", {"dist": "fixed", "value": 2.5}, 2.5, "2.5", " 2.5 "], Fixed(2.5)),
        ([1000, 1000.0, "1000", "1_000", "1e3", "1,000".replace(",", "")], Fixed(1000)),
        ([-3, "-3"], Fixed(-3)),
    ],
)
def test_every_written_form_parses_to_the_same_distribution(forms, expected):
    for form in forms:
        d = parse_distribution(form)
        assert d == expected, form
        assert type(d) is type(expected)


def test_a_distribution_passes_through_and_the_table_is_not_changed():
    d = Pert(1, 2, 6)
    assert parse_distribution(d) is d
    table = {"dist": "pert", "low": 1, "mode": 2, "high": 6}
    parse_distribution(table)
    assert table == {"dist": "pert", "low": 1, "mode": 2, "high": 6}


def test_help_lists_every_kind():
    assert set(DISTRIBUTION_HELP) == {
        "fixed", "uniform", "triangular", "pert", "normal", "lognormal", "beta", "bernoulli"}
    for kind, text in DISTRIBUTION_HELP.items():
        if kind != "fixed":
            assert text.startswith(f"{kind}(")


# --------------------------------------------------------------------------------------------
# to_text round trip
# --------------------------------------------------------------------------------------------
ROUND_TRIP = [
    *CASES.values(),
    Fixed(0.1234567891234), Fixed(1e20), Fixed(-2.5e-7), Fixed(0),
    Uniform(0.1234567, 1), Triangular(1e-9, 2.000001, 3e15), Pert(1, 2, 6, lamb=2.5),
    Normal(1, 2, high=7.25), Beta(0.5, 0.5, low=-1, high=1), LogNormal(1e6, 3.3e5),
]


@pytest.mark.parametrize("d", ROUND_TRIP, ids=[d.to_text() for d in ROUND_TRIP])
def test_to_text_round_trips(d: Distribution):
    text = d.to_text()
    assert parse_distribution(text) == d
    assert str(d) == text


def test_to_text_is_readable():
    assert Triangular(12, 18, 30).to_text() == "triangular(12, 18, 30)"
    assert Fixed(0.85).to_text() == "0.85"
    assert Normal(1, 2, low=0).to_text() == "normal(1, 2, low=0)"
    assert Beta(9, 1.5).to_text() == "beta(9, 1.5)"
    assert Pert(1, 2, 6).to_text() == "pert(1, 2, 6)"


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=3, max_size=3))
def test_to_text_round_trips_any_triangular_and_pert(values):
    low, mode, high = sorted(values)
    for d in (Triangular(low, mode, high), Pert(low, mode, high), Uniform(low, high)):
        assert parse_distribution(d.to_text()) == d


# --------------------------------------------------------------------------------------------
# bad forms
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("foo(1, 2)", "unknown distribution 'foo' (known: bernoulli, beta, fixed"),
        ({"dist": "gamma", "a": 1}, "unknown distribution 'gamma'"),
        ("uniform(1, 2, 3)", "uniform takes 2 positional parameters (low, high)"),
        ("triangular(1, 2)", "triangular is missing parameter(s): high"),
        ("uniform()", "uniform is missing parameter(s): low, high"),
        ({"dist": "pert", "low": 1, "high": 6}, "pert is missing parameter(s): mode"),
        ("uniform(2, 1)", "uniform needs low <= high"),
        ("triangular(1, 5, 3)", "triangular needs low <= mode <= high"),
        ("pert(3, 2, 1)", "pert needs low <= mode <= high"),
        ("pert(1, 2, 3, lamb=0)", "pert needs lamb > 0"),
        ("normal(1, 0)", "normal needs sd > 0"),
        ("normal(1, 2, low=5, high=3)", "normal needs low < high"),
        ("normal(0, 1, low=40)", "almost no probability between low=40 and high=inf"),
        ("lognormal(-1, 1)", "lognormal needs mean > 0"),
        ("lognormal(1, 0)", "lognormal needs sd > 0"),
        ("beta(0, 1)", "beta needs a > 0 and b > 0"),
        ("beta(1, 1, low=2, high=1)", "beta needs low < high"),
        ("bernoulli(1.5)", "bernoulli needs 0 <= p <= 1"),
        (float("nan"), "parameter 'value' must be finite, got nan"),
        (float("inf"), "parameter 'value' must be finite, got inf"),
        ("nan", "parameter 'value' must be finite"),
        ("-inf", "parameter 'value' must be finite"),
        ("1e400", "parameter 'value' must be finite"),
        ("uniform(nan, 1)", "parameter 'low' must be finite"),
        ("uniform(0, inf)", "parameter 'high' must be finite"),
        ({"dist": "normal", "mean": float("nan"), "sd": 1}, "parameter 'mean' must be finite"),
        (True, "expected a number or a distribution, got True"),
        (False, "expected a number or a distribution, got False"),
        ({"dist": "bernoulli", "p": True}, "parameter 'p' must be a number, got True"),
        ({"dist": "uniform", "low": "1", "high": 2}, "parameter 'low' must be a number, got '1'"),
        ("", "empty value: expected a number or a distribution"),
        ("   ", "empty value"),
        ("normal(1, 2, scale=3)", "normal has no parameter 'scale' (allowed: mean, sd, low, high)"),
        ({"dist": "uniform", "low": 1, "high": 2, "mode": 1.5}, "uniform has no parameter 'mode'"),
        ("uniform(low=1, 2)", "positional parameter after a keyword parameter"),
        ("uniform(1, 2, low=1)", "uniform: parameter 'low' given twice"),
        ("uniform(1,,2)", "has an empty parameter"),
        ("uniform(a, 2)", "'a' is not a number"),
        ("uniform(1, high=x)", "'x' is not a number"),
        ("abc", "'abc' is neither a number nor a distribution such as 'triangular(1, 2, 4)'"),
        ("pert(1, 2, 6", "is neither a number nor a distribution"),
        ({"low": 1, "high": 2}, "a distribution table needs a 'dist' key"),
        ({"dist": 3}, "a distribution table needs a 'dist' key"),
        ([1, 2], "expected a number or a distribution, got list"),
        (None, "expected a number or a distribution, got NoneType"),
    ],
)
def test_bad_forms_raise_a_clear_distribution_error(value, message):
    with pytest.raises(DistributionError) as err:
        parse_distribution(value)
    assert message in str(err.value)


def test_distribution_error_is_a_value_error():
    # callers (pydantic validators) catch ValueError
    assert issubclass(DistributionError, ValueError)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Fixed(float("nan")), "must be finite"),
        (lambda: Uniform(3, 1), "low <= high"),
        (lambda: Beta(-1, 1), "a > 0"),
        (lambda: Bernoulli(-0.1), "0 <= p <= 1"),
    ],
)
def test_constructors_check_their_parameters(build, message):
    with pytest.raises(DistributionError, match=message):
        build()
