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
from sim.draws import adoption_uniforms
from sim.jit import njit
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
    u = adoption_uniforms(seed, np.asarray(trials)[rows], f"adopt:{project.id}", mk)
    owner = np.repeat(np.arange(len(rows)), mk)
    rank = np.arange(len(u)) - np.repeat(np.cumsum(mk) - mk, mk)
    fo = f0[rows][owner]
    cond = before[rows][owner]
    if known == 0:
        u = np.where(cond, fo + u * (1.0 - fo), u)
    elif known:
        k = min(known, 1 << 62)
        u = np.where(cond, np.where(rank < k, u * fo, fo + u * (1.0 - fo)), u)
        extra_rows = np.flatnonzero(before[rows] & (known > mk))
        if len(extra_rows):
            counts = known - mk[extra_rows]
            parts_u, parts_owner = [u], [owner]
            for r, c in zip(extra_rows, counts, strict=True):
                parts_u.append((np.arange(c) + 0.5) / c * f0[rows][r])
                parts_owner.append(np.full(c, r))
            u = np.concatenate(parts_u)
            owner = np.concatenate(parts_owner)
            order = np.argsort(owner, kind="stable")
            u, owner = u[order], owner[order]
    if len(u) == 0:
        return out
    rep = params["replication_t_per_yr"][rows]
    life = params["lifetime_years"][rows]
    cases, first_t, acc = _adoptions(
        np.ascontiguousarray(u, dtype=np.float64), np.ascontiguousarray(owner, dtype=np.int64),
        np.ascontiguousarray(t_end[rows]), np.ascontiguousarray(bp[rows], dtype=np.float64),
        np.ascontiguousarray(bq[rows], dtype=np.float64), np.ascontiguousarray(rep, dtype=float),
        np.ascontiguousarray(life, dtype=float), float(end_m), y0, n_years)
    out.cases[rows] = cases
    has = cases > 0
    fy0 = first_fy + y0
    out.first_case_fy[rows[has]] = fy0 + np.floor((first_t[has] + EPS_T) / 12.0).astype(np.int64)
    out.lifetime_t[rows[has]] = cases[has] * rep[has] * life[has]
    out.by_year_t[rows] = acc
    return out


@njit(cache=True)
def _adoptions(u, owner, t_end, bass_p, bass_q, rep_t_per_yr, life_years, end_m, y0, n_years):
    """Adoption times (Bass inverse) of each adopter ``e`` of row ``owner[e]``; per row the
    cases inside the horizon, the first time [months] and the reductions by fiscal year."""
    n_rows = len(t_end)
    cases = np.zeros(n_rows, np.int64)
    first_t = np.full(n_rows, np.inf)
    acc = np.zeros((n_rows, n_years))
    origin = -12.0 * y0
    # per row, the Bass share adopted by the end of the horizon: an adopter whose uniform is
    # clearly above it adopts after the horizon (checked exactly for the others)
    u_end = np.empty(n_rows)
    for r in range(n_rows):
        p, q = bass_p[r], bass_q[r]
        tau = max(end_m - t_end[r], 0.0) / 12.0
        e_ = math.exp(-(p + q) * tau)
        u_end[r] = (1.0 - e_) / (1.0 + (q / p) * e_) + 1e-9
    for e in range(len(u)):
        r = owner[e]
        if u[e] > u_end[r]:
            continue
        x = min(u[e], 1 - 1e-15)
        p, q = bass_p[r], bass_q[r]
        t = t_end[r] + 12.0 * (-math.log((1.0 - x) / (1.0 + (q / p) * x)) / (p + q))
        if not t < end_m:
            continue
        cases[r] += 1
        if t < first_t[r]:
            first_t[r] = t
        start = t - origin
        end = t + 12.0 * life_years[r] - origin
        rate = rep_t_per_yr[r] / 12.0
        # only the years [start, end) overlaps add anything (one more each side, for safety)
        k_lo = max(int(math.floor(start / 12.0)) - 1, 0)
        k_hi = min(int(math.floor(end / 12.0)) + 2, n_years)
        for k in range(k_lo, k_hi):
            lo = min(max(start, 12.0 * k), 12.0 * (k + 1))
            hi = min(max(end, 12.0 * k), 12.0 * (k + 1))
            if hi > lo:
                acc[r, k] += (hi - lo) * rate
    return cases, first_t, acc
