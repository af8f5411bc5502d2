"""Bass diffusion of a demonstrated technology, and reductions binned by fiscal year.

The Bass (1969) model: the share of a market of ``m`` potential adopters that has adopted by
time ``t`` (years since the demonstration ended) is

    F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))

with innovation coefficient ``p`` and imitation coefficient ``q`` [1/yr]. Each potential
adopter's adoption time is an independent draw from F, so the number adopted by ``t`` is
Binomial(m, F(t)) with mean m F(t), the closed form.

Reference: F. M. Bass, "A new product growth for model consumer durables", Management Science
15(5), 215-227 (1969).
"""

from __future__ import annotations

import math

import numpy as np

from sim.jit import njit


@njit(cache=True)
def bass_share(t_years, p, q):
    """F(t) of Bass (1969) for one ``t_years`` >= 0 (compiled: the replications of both
    engines, :func:`sim.dissemination.replicate`, use it)."""
    e = math.exp(-(p + q) * t_years)
    return (1.0 - e) / (1.0 + (q / p) * e)


@njit(cache=True)
def bass_time_years(u, p, q):
    """The adoption time [years] of one uniform ``u`` in [0, 1), the inverse of F: solving
    u = F(t) for t gives t = -ln((1 - u) / (1 + (q/p) u)) / (p + q)."""
    return -math.log((1.0 - u) / (1.0 + (q / p) * u)) / (p + q)


def bass_cdf(t_years: np.ndarray | float, p: float, q: float) -> np.ndarray | float:
    """Cumulative share adopted by ``t_years`` after launch (times before launch count as
    launch), :func:`bass_share` element by element."""
    t = np.maximum(np.asarray(t_years, dtype=float), 0.0)
    out = np.array([bass_share(float(x), float(p), float(q)) for x in t.ravel()])
    return float(out[0]) if t.ndim == 0 else out.reshape(t.shape)


def bass_adoption_times(u: np.ndarray, p: float, q: float) -> np.ndarray:
    """Adoption times [years] for uniform draws ``u`` in [0, 1), :func:`bass_time_years`
    element by element (the inverse of :func:`bass_cdf`)."""
    u = np.asarray(u, dtype=float)
    return np.array([bass_time_years(float(x), float(p), float(q))
                     for x in u.ravel()]).reshape(u.shape)


def overlap_by_year(
    starts_m: np.ndarray, ends_m: np.ndarray, n_years: int, rate_per_month: np.ndarray | float
) -> np.ndarray:
    """Amount accrued in each 12-month bin by intervals [start, end) at a constant rate.

    Parameters
    ----------
    starts_m, ends_m : array
        Interval bounds in months since the start of bin 0.
    n_years : int
        Number of 12-month bins; amounts outside them are dropped.
    rate_per_month : float or array
        Accrual per month of each interval.

    Returns
    -------
    numpy.ndarray
        Shape (n_years,), total accrued in each bin.
    """
    starts = np.asarray(starts_m, dtype=float)
    ends = np.asarray(ends_m, dtype=float)
    rate = np.broadcast_to(np.asarray(rate_per_month, dtype=float), starts.shape)
    edges = np.arange(n_years + 1, dtype=float) * 12.0
    lo = np.clip(starts[:, None], edges[None, :-1], edges[None, 1:])
    hi = np.clip(ends[:, None], edges[None, :-1], edges[None, 1:])
    months = np.maximum(hi - lo, 0.0)
    return (months * rate[:, None]).sum(axis=0)
