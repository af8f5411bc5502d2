"""Replications after a successful demonstration (普及展開), for many trials of one project at
once; both engines call it, so they give the same numbers.

Each potential adopter adopts at a Bass (1969) time (:mod:`sim.bass`) after the end of the
demonstration's main stage; the adopters' uniforms come from :func:`sim.draws.adoption_uniforms`.
Known cases to date condition the adoption times of a demonstration that ended before the
simulation start: with none known, the chance that it disseminates at all is updated by
Bayes' rule; with ``k`` known, ``k`` adopters fall before the start and the rest after it.
Each replication reduces ``replication_t_per_yr`` for ``lifetime_years`` from its adoption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.bass import bass_cdf
from sim.draws import key_hash
from sim.jit import njit
from sim.ppf import hash_uniform
from sim.resources import EPS_T

#: The pre-drawn parameters :func:`disseminate` reads.
DISSEMINATION_FIELDS = ("dissem_u", "dissem_prob", "bass_p", "bass_q", "market",
                        "replication_t_per_yr", "lifetime_years")


@dataclass
class Replications:
    """Per trial (axis 0): cases adopted by the end of the horizon, the FY of the first (-1 if
    none), their whole-lifetime reductions [t-CO2] and their reductions per fiscal year
    [t-CO2] (axis 1: years from ``first_fy``)."""

    cases: np.ndarray
    first_case_fy: np.ndarray
    lifetime_t: np.ndarray
    by_year_t: np.ndarray


def disseminate(project, t_end_m: np.ndarray, params: dict[str, np.ndarray], seed: int,
                trials: np.ndarray, first_fy: int, y0: int, n_years: int,
                end_m: float) -> Replications:
    """Replications of ``project`` in ``trials`` whose main stage ended at ``t_end_m``
    [months from the simulation start; NaN: no dissemination in that trial].

    ``params`` holds the project's pre-drawn ``dissem_u``, ``dissem_prob``, ``bass_p``,
    ``bass_q``, ``market``, ``replication_t_per_yr`` and ``lifetime_years`` per trial;
    ``y0`` is the index of ``as_of_fy`` from ``first_fy`` and ``end_m`` the end of the
    horizon [months].
    """
    n = len(t_end_m)
    out = Replications(np.zeros(n, dtype=np.int64), np.full(n, -1, dtype=np.int64),
                       np.zeros(n), np.zeros((n, n_years)))
    t_end = np.asarray(t_end_m, dtype=float)
    m = params["market"].astype(np.int64)
    bp, bq = params["bass_p"], params["bass_q"]
    go = ~np.isnan(t_end) & (m > 0) & (bp > 0)
    if not go.any():
        return out
    known = project.dissemination_cases_to_date
    disseminates = params["dissem_u"] < params["dissem_prob"]
    before = go & (t_end < 0) & (known is not None)
    f0 = np.zeros(n)
    if before.any():
        f0[before] = bass_cdf(-t_end[before] / 12.0, bp[before], bq[before])
    if known == 0:
        stay = (1.0 - f0) ** m
        pi = params["dissem_prob"]
        den = pi * stay + (1.0 - pi)
        posterior = np.where(den > 0, pi * stay / np.where(den > 0, den, 1.0), 0.0)
        disseminates = np.where(before, params["dissem_u"] < posterior, disseminates)
    keep = go & (disseminates | (before & bool(known)))
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return out
    mk = m[rows]
    # conditioning on the cases known to date (demonstrations ended before the start): -1
    # none, 0 none known (all adopt after the start), k > 0: the first k adopt before it
    mode = -1 if known is None else min(int(known), 1 << 62)
    rep = params["replication_t_per_yr"][rows]
    life = params["lifetime_years"][rows]
    f = np.ascontiguousarray
    cases, first_t, acc = _adoptions(
        np.uint64(key_hash(seed, f"adopt:{project.id}")),
        f(np.asarray(trials)[rows], dtype=np.int64), f(mk, dtype=np.int64),
        f(before[rows]), f(f0[rows]), mode, f(t_end[rows]), f(bp[rows], dtype=np.float64),
        f(bq[rows], dtype=np.float64), f(rep, dtype=np.float64), f(life, dtype=np.float64),
        float(end_m), y0, n_years)
    out.cases[rows] = cases
    has = cases > 0
    fy0 = first_fy + y0
    out.first_case_fy[rows[has]] = fy0 + np.floor((first_t[has] + EPS_T) / 12.0).astype(np.int64)
    out.lifetime_t[rows[has]] = cases[has] * rep[has] * life[has]
    out.by_year_t[rows] = acc
    return out


@njit(cache=True)
def _adoptions(key, trials, counts, cond, f0, known, t_end, bass_p, bass_q, rep_t_per_yr,
               life_years, end_m, y0, n_years):
    """Per row ``r`` (a trial that disseminates): the cases inside the horizon, the first
    one's time [months] and the reductions by fiscal year (axis 1: years from ``first_fy``).

    Adopter ``a`` of row ``r`` has the uniform :func:`sim.ppf.hash_uniform` of (``key``,
    ``trials[r]``, ``a``) for ``a < counts[r]`` (the value
    :func:`sim.draws.adoption_uniforms` gives) and adopts at its Bass (1969) time after
    ``t_end[r]``. In a row conditioned on the cases known to date (``cond[r]``, the
    demonstration ended before the start, where the Bass share ``f0[r]`` had adopted):
    ``known`` 0, every adopter's uniform is moved above ``f0[r]``; ``known`` k > 0, the
    first k below it and the rest above, and when k exceeds the market the missing cases
    adopt at evenly spread shares below ``f0[r]``."""
    n_rows = len(t_end)
    cases = np.zeros(n_rows, np.int64)
    first_t = np.full(n_rows, np.inf)
    acc = np.zeros((n_rows, n_years))
    full = np.zeros(n_years + 1)  # per row: a difference array of replications live all year
    origin = -12.0 * y0
    for r in range(n_rows):
        p, q = bass_p[r], bass_q[r]
        # the Bass share adopted by the end of the horizon: an adopter whose uniform is
        # clearly above it adopts after the horizon (checked exactly for the others)
        tau = max(end_m - t_end[r], 0.0) / 12.0
        e_ = math.exp(-(p + q) * tau)
        u_end = (1.0 - e_) / (1.0 + (q / p) * e_) + 1e-9
        fo = f0[r]
        m = counts[r]
        extra = 0
        if cond[r] and known > m:
            extra = known - m
        rate = rep_t_per_yr[r] / 12.0
        life_m = 12.0 * life_years[r]
        for k in range(n_years + 1):
            full[k] = 0.0
        for e in range(m + extra):
            if e < m:
                u = hash_uniform(key, trials[r], e)
                if cond[r]:
                    if known > 0 and e < known:
                        u = u * fo
                    else:
                        u = fo + u * (1.0 - fo)
            else:
                u = (e - m + 0.5) / extra * fo
            if u > u_end:
                continue
            x = min(u, 1 - 1e-15)
            t = t_end[r] + 12.0 * (-math.log((1.0 - x) / (1.0 + (q / p) * x)) / (p + q))
            if not t < end_m:
                continue
            cases[r] += 1
            if t < first_t[r]:
                first_t[r] = t
            # reductions at ``rate`` from ``start`` to ``stop`` [months from first_fy's
            # April]: the parts of the first and last years it touches, and a count of the
            # whole years between
            start = t - origin
            stop = start + life_m
            k0 = int(math.floor(start / 12.0))
            k1 = int(math.floor(stop / 12.0))
            if k1 < 0 or k0 >= n_years:  # wholly before first_fy or after the horizon
                continue
            if k1 == k0:
                acc[r, k0] += (stop - start) * rate
                continue
            if k0 >= 0:
                acc[r, k0] += (12.0 * (k0 + 1) - start) * rate
            if k1 < n_years:
                acc[r, k1] += (stop - 12.0 * k1) * rate
            full[max(k0 + 1, 0)] += 1.0
            full[min(k1, n_years)] -= 1.0
        live = 0.0
        for k in range(n_years):
            live += full[k]
            if live > 0.0:
                acc[r, k] += live * 12.0 * rate
    return cases, first_t, acc
