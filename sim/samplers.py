"""Every distribution of a scenario sampled from counter-based uniforms
(:func:`sim.ppf.hash_uniform`), so a value depends only on (key, trial, counter) and can be
made on demand, in any order, identically by both engines: a project's parameters are made
only when a trial starts the project.

A distribution becomes a spec ``(code, p0, p1, p2, p3)`` (:func:`spec5_of`); :func:`sample`
draws the value for one (key, trial, field). Each field owns the counters
``field << 20 | j``:

* fixed, uniform, triangular, normal, lognormal, Bernoulli: one uniform through the quantile
  function (:func:`sim.ppf.quantile`);
* normal truncated to [low, high]: the quantile of a uniform share of [F(low), F(high)], by the
  survival function above the mean (as :meth:`sim.distributions.Normal.sample`);
* beta, and pert (a beta on [low, high]): the ratio X / (X + Y) of two gamma variates by
  Marsaglia and Tsang's method (ACM TOMS 26(3), 363–372, 2000); a shape below 1 by
  Gamma(a) = Gamma(a + 1) U^(1/a), and then the ratio in logarithms so that tiny shapes do
  not underflow (with both shapes at least 1 it is taken directly, without logarithms). Each
  try uses two uniforms; the acceptance rate is above 95 %, and their squeeze
  ``u < 1 - 0.0331 x^4`` (which lies below the acceptance bound) accepts most tries without
  a logarithm.
"""

from __future__ import annotations

import math

from sim.distributions import Bernoulli, Beta, Fixed, LogNormal, Normal, Pert, Triangular, Uniform
from sim.jit import njit
from sim.ppf import LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM, hash_uniform, ndtri, quantile

TNORMAL, BETA, BERNOULLI = 5, 6, 7
FIXED = 0
#: Counters per field (a beta's tries are bounded by this; see :func:`_gamma_mt`).
FIELD_SHIFT = 20
#: Tries of one gamma variate before its mean is used (never reached in practice: each try
#: is accepted with probability above 0.95).
MAX_TRIES = 1000
_SQRT_HALF = math.sqrt(0.5)


def spec5_of(dist) -> tuple[int, float, float, float, float]:
    """The spec ``(code, p0, p1, p2, p3)`` :func:`sample` draws ``dist`` from."""
    if isinstance(dist, Fixed):
        return FIXED, float(dist.value), 0.0, 0.0, 0.0
    if isinstance(dist, Uniform):
        return UNIFORM, float(dist.low), float(dist.high), 0.0, 0.0
    if isinstance(dist, Triangular):
        if dist.low == dist.high:
            return FIXED, float(dist.low), 0.0, 0.0, 0.0
        return TRIANGULAR, float(dist.low), float(dist.mode), float(dist.high), 0.0
    if isinstance(dist, Normal):
        if dist.truncated:
            return TNORMAL, float(dist.mu), float(dist.sd), float(dist.low), float(dist.high)
        return NORMAL, float(dist.mu), float(dist.sd), 0.0, 0.0
    if isinstance(dist, LogNormal):
        m, s = dist._log_params()
        return LOGNORMAL, float(m), float(s), 0.0, 0.0
    if isinstance(dist, Pert):
        if dist.high == dist.low:
            return FIXED, float(dist.low), 0.0, 0.0, 0.0
        a, b = dist._ab()
        return BETA, float(a), float(b), float(dist.low), float(dist.high)
    if isinstance(dist, Beta):
        return BETA, float(dist.a), float(dist.b), float(dist.low), float(dist.high)
    if isinstance(dist, Bernoulli):
        return BERNOULLI, float(dist.p), 0.0, 0.0, 0.0
    lo, hi = getattr(dist, "support", (math.nan, math.nan))
    if lo == hi:  # any distribution held at one value (a sensitivity analysis pins them)
        return FIXED, float(lo), 0.0, 0.0, 0.0
    raise TypeError(f"no sampler for {type(dist).__name__}")


@njit(cache=True)
def ndtr(x):
    """Standard normal distribution function."""
    return 0.5 * math.erfc(-x * _SQRT_HALF)


@njit(cache=True)
def _gamma_mt(a, key, trial, base):
    """A Gamma(``a``, 1) variate for ``a`` >= 1 by Marsaglia and Tsang's method, from the
    uniforms at counters ``base``, ``base + 1``, …"""
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    j = base
    for _ in range(MAX_TRIES):
        x = ndtri(hash_uniform(key, trial, j))
        u = hash_uniform(key, trial, j + 1)
        j += 2
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        x2 = x * x
        # the squeeze (accepts below the acceptance bound, no logarithm), then the bound
        if u < 1.0 - 0.0331 * x2 * x2 or math.log(u) < 0.5 * x2 + d - d * v + d * math.log(v):
            return d * v
    return d  # pragma: no cover - acceptance > 0.95 a try


@njit(cache=True)
def _log_gamma(shape, key, trial, base):
    """log of a Gamma(``shape``, 1) variate below shape 1: Gamma(``shape`` + 1) (from the
    uniforms at ``base + 1``, …) times U^(1/``shape``) (U the uniform at ``base``), in
    logarithms, so that tiny shapes do not underflow."""
    boost = math.log(hash_uniform(key, trial, base)) / shape
    return math.log(_gamma_mt(shape + 1.0, key, trial, base + 1)) + boost


@njit(cache=True, inline="always")
def sample(code, p0, p1, p2, p3, key, trial, field):
    """The value of the distribution with spec ``(code, p0, p1, p2, p3)`` for ``field`` of
    ``key`` in ``trial`` (:func:`spec5_of`)."""
    base = field << FIELD_SHIFT
    if code == FIXED:
        return p0
    if code == BETA:  # a, b, low, high
        base_y = base + (1 << (FIELD_SHIFT - 1))
        if p0 >= 1.0 and p1 >= 1.0:  # X / (X + Y), no logarithm needed
            gx = _gamma_mt(p0, key, trial, base)
            share = gx / (gx + _gamma_mt(p1, key, trial, base_y))
        else:
            lx = _log_gamma(p0, key, trial, base) if p0 < 1.0 else math.log(
                _gamma_mt(p0, key, trial, base))
            ly = _log_gamma(p1, key, trial, base_y) if p1 < 1.0 else math.log(
                _gamma_mt(p1, key, trial, base_y))
            share = 1.0 / (1.0 + math.exp(ly - lx))
        return p2 + (p3 - p2) * share
    u = hash_uniform(key, trial, base)
    if code == BERNOULLI:
        return 1.0 if u < p0 else 0.0
    if code == TNORMAL:  # mu, sd, low, high
        zl, zh = (p2 - p0) / p1, (p3 - p0) / p1
        if p2 > p0:  # above the mean: by the survival function
            slo, shi = ndtr(-zl), ndtr(-zh)
            x = p0 - p1 * ndtri(slo - u * (slo - shi))
        else:
            plo, phi = ndtr(zl), ndtr(zh)
            x = p0 + p1 * ndtri(plo + u * (phi - plo))
        return min(max(x, p2), p3)
    if code == UNIFORM or code == TRIANGULAR or code == NORMAL or code == LOGNORMAL:
        return quantile(code, p0, p1, p2, u)
    return math.nan  # pragma: no cover - unknown code
