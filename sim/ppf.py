"""Random numbers made on demand, identically by both engines: a counter-based uniform and
the inverse distribution functions (quantile functions) of the simple distributions.

Used for the delays of verifications, which a trial needs only for the monitoring periods
that actually happen: drawing them up front for every possible period of every project cost
more than the rest of a fast trial; and for the Joint Committees' decision calendars, which
the fast engine makes only as far as a trial asks (:func:`jc_decision`).

* :func:`hash_uniform`: a uniform in (0, 1) from (key, trial, counter), SplitMix64's
  finaliser (Steele, Lea and Flood 2014); also the adopters' uniforms of
  :func:`sim.dissemination.replicate` and the projects' parameters.
* :func:`ndtri`: the standard normal quantile by Wichura's algorithm AS 241 (PPND16), Applied
  Statistics 37(3), 477–484 (1988), accurate to about 1e-16.
* :func:`quantile`: fixed, uniform, triangular, normal and lognormal quantiles from a spec
  ``(code, a, b, c)`` (:func:`spec_of`); other distributions have no spec and are drawn up
  front instead.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from sim.distributions import Fixed, LogNormal, Normal, Triangular, Uniform
from sim.jit import njit

FIXED, UNIFORM, TRIANGULAR, NORMAL, LOGNORMAL = 0, 1, 2, 3, 4
#: Shortest interval between two Joint Committee decisions [months].
MIN_JC_INTERVAL_M = 0.01

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


@njit(cache=True)
def _mix(x):
    x = x ^ (x >> _S30)
    x = x * _M1
    x = x ^ (x >> _S27)
    x = x * _M2
    return x ^ (x >> _S31)


def key_hash(seed: int, key: str) -> int:
    """A 64-bit key for (seed, purpose): SplitMix64's finaliser of the seed's low 32 bits and
    the CRC-32 of ``key``."""
    return int(_mix(np.uint64(((seed & 0xFFFFFFFF) << 32) | zlib.crc32(key.encode()))))


@njit(cache=True)
def hash_uniform(key, trial, counter):
    """A uniform in (0, 1) for (``key`` (uint64), ``trial``, ``counter``) (non-negative
    integers)."""
    h = _mix(np.uint64(key) ^ (np.uint64(trial) * _GOLDEN))
    h = _mix(h ^ ((np.uint64(counter) + np.uint64(1)) * _M2))
    return (float(h >> _S11) + 0.5) * (1.0 / 9007199254740992.0)


_A = (3.3871328727963666080, 1.3314166789178437745e2, 1.9715909503065514427e3,
      1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
      3.3430575583588128105e4, 2.5090809287301226727e3)
_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
      2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
      5.2264952788528545610e3)
_C = (1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550,
      3.64784832476320460504, 1.27045825245236838258, 2.41780725177450611770e-1,
      2.27238449892691845833e-2, 7.74545014278341407640e-4)
_D = (1.0, 2.05319162663775882187, 1.67638483018380384940, 6.89767334985100004550e-1,
      1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
      1.05075007164441684324e-9)
_E = (6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580,
      2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
      2.71155556874348757815e-5, 2.01033439929228813265e-7)
_F = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1,
      1.48753612908506148525e-2, 7.86869131145613259100e-4, 1.84631831751005468180e-5,
      1.42151175831644588870e-7, 2.04426310338993978564e-15)


@njit(cache=True)
def _poly(c, x):
    return (((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x
             + c[1]) * x + c[0])


@njit(cache=True)
def ndtri(p):
    """Standard normal quantile of ``p`` in (0, 1) (AS 241)."""
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _poly(_A, r) / _poly(_B, r)
    r = p if q < 0 else 1.0 - p
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        r -= 1.6
        z = _poly(_C, r) / _poly(_D, r)
    else:
        r -= 5.0
        z = _poly(_E, r) / _poly(_F, r)
    return -z if q < 0 else z


@njit(cache=True)
def quantile(code, a, b, c, u):
    """The quantile at ``u`` of the distribution with spec ``(code, a, b, c)``."""
    if code == FIXED:
        return a
    if code == UNIFORM:
        return a + (b - a) * u
    if code == TRIANGULAR:  # a = low, b = mode, c = high
        if c == a:
            return a
        f = (b - a) / (c - a)
        if u < f:
            return a + math.sqrt(u * (c - a) * (b - a))
        return c - math.sqrt((1.0 - u) * (c - a) * (c - b))
    if code == NORMAL:  # a = mean, b = sd
        return a + b * ndtri(u)
    return math.exp(a + b * ndtri(u))  # LOGNORMAL: a, b = mean and sd of the log


def spec_of(dist) -> tuple[int, float, float, float] | None:
    """The quantile spec of a distribution, or None when it has none here."""
    if isinstance(dist, Fixed):
        return FIXED, float(dist.value), 0.0, 0.0
    if isinstance(dist, Uniform):
        return UNIFORM, float(dist.low), float(dist.high), 0.0
    if isinstance(dist, Triangular):
        return TRIANGULAR, float(dist.low), float(dist.mode), float(dist.high)
    if isinstance(dist, Normal) and not dist.truncated:
        return NORMAL, float(dist.mu), float(dist.sd), 0.0
    if isinstance(dist, LogNormal):
        m, s = dist._log_params()
        return LOGNORMAL, float(m), float(s), 0.0
    return None


@njit(cache=True)
def verification_delays(key, trial, k, vspec, wspec):
    """Months from the end of a monitoring period to the issuance request for a project's
    ``k``-th verification, and the TPE's own part of them."""
    months = quantile(int(vspec[0]), vspec[1], vspec[2], vspec[3],
                      hash_uniform(key, trial, 2 * k))
    work = quantile(int(wspec[0]), wspec[1], wspec[2], wspec[3],
                    hash_uniform(key, trial, 2 * k + 1))
    return months, min(work, months)


@njit(cache=True)
def jc_decision(key, trial, code, a, b, c, fixed, k, prev):
    """Decision ``k`` (0, 1, …) [months from the simulation start] of a Joint Committee's
    calendar in trial ``trial``, given decision ``k - 1`` (``prev``; ignored for ``k = 0``).

    The first decision is ``fixed`` when it is a number, else a uniform share of one interval
    (the simulation starts at a random point of the cycle); each later one adds an interval
    of at least :data:`MIN_JC_INTERVAL_M`. Intervals have the quantile spec ``(code, a, b,
    c)``; the uniforms come from :func:`hash_uniform` of ``key`` (the country's), the trial
    and ``k``, so a calendar is the same however far it is made."""
    if k == 0:
        if not math.isnan(fixed):
            return fixed
        return hash_uniform(key, trial, 0) * quantile(code, a, b, c, hash_uniform(key, trial, 1))
    return prev + max(quantile(code, a, b, c, hash_uniform(key, trial, k + 1)),
                      MIN_JC_INTERVAL_M)


@njit(cache=True)
def jc_calendar(key, trial, code, a, b, c, fixed, end_m):
    """The decisions of :func:`jc_decision` up to and including the first after ``end_m``."""
    n = 0
    t = 0.0
    while n == 0 or t <= end_m:
        t = jc_decision(key, trial, code, a, b, c, fixed, n, t)
        n += 1
    out = np.empty(n)
    t = 0.0
    for k in range(n):
        t = jc_decision(key, trial, code, a, b, c, fixed, k, t)
        out[k] = t
    return out


def sample_above(dist, x0: float, u: np.ndarray) -> np.ndarray | None:
    """Values of ``dist`` conditioned on exceeding ``x0``, by the inverse of its survival
    function at ``u * P(X > x0)`` (``u`` uniforms in (0, 1)), so the far tail is as precise as
    the body; None for a distribution without a spec here (drawn by rejection instead).
    Where ``P(X > x0)`` is 0 the values are ``x0`` itself."""
    from scipy.special import ndtr
    from scipy.special import ndtri as ndtri_vec

    spec = spec_of(dist)
    if spec is None:
        return None
    code, a, b, c = spec
    u = np.asarray(u, dtype=float)
    if code == FIXED:
        return np.full(u.shape, a if a > x0 else x0)
    if code == UNIFORM:
        lo = max(a, x0)
        return lo + (b - lo) * u if lo < b else np.full(u.shape, x0)
    if code == TRIANGULAR:  # low a, mode b, high c
        if x0 >= c:
            return np.full(u.shape, x0)
        # survival function S(x) and its inverse
        if x0 <= a:
            s0 = 1.0
        elif x0 < b:
            s0 = 1.0 - (x0 - a) ** 2 / ((c - a) * (b - a))
        else:
            s0 = (c - x0) ** 2 / ((c - a) * (c - b))
        q = u * s0
        tail = (c - b) / (c - a)  # S(mode)
        return np.where(q <= tail, c - np.sqrt(q * (c - a) * (c - b)),
                        a + np.sqrt(np.maximum(1.0 - q, 0.0) * (c - a) * (b - a)))
    if code == NORMAL:  # mean a, sd b
        s0 = ndtr(-(x0 - a) / b)
        if s0 <= 0.0:
            return np.full(u.shape, x0)
        return np.maximum(a - b * ndtri_vec(u * s0), x0)
    # LOGNORMAL: mean a and sd b of the log
    s0 = 1.0 if x0 <= 0.0 else ndtr(-(math.log(x0) - a) / b)
    if s0 <= 0.0:
        return np.full(u.shape, x0)
    return np.maximum(np.exp(a - b * ndtri_vec(u * s0)), x0)
