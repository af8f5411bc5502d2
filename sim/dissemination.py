"""Replications after a successful demonstration (普及展開), for many trials of one project at
once; both engines call it, so they give the same numbers.

Each potential adopter adopts at a Bass (1969) time (:mod:`sim.bass`) after the end of the
demonstration's main stage; the adopters' uniforms are counter-based hashes
(:func:`sim.ppf.hash_uniform`).
Known cases to date condition the adoption times of a demonstration that ended before the
simulation start: with none known, the chance that it disseminates at all is updated by
Bayes' rule; with ``k`` known, ``k`` adopters fall before the start and the rest after it.
Each replication reduces ``replication_t_per_yr`` for ``lifetime_years`` from its adoption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.bass import bass_share, bass_time_years
from sim.jit import njit
from sim.ppf import hash_uniform
from sim.project_params import adoption_key
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

    ``params`` holds the project's ``dissem_u``, ``dissem_prob``, ``bass_p``, ``bass_q``,
    ``market``, ``replication_t_per_yr`` and ``lifetime_years`` per trial; ``y0`` is the
    index of ``as_of_fy`` from ``first_fy`` and ``end_m`` the end of the horizon [months].
    Each trial is :func:`replicate` (which the fast engine calls inside its loop).
    """
    n = len(t_end_m)
    out = Replications(np.zeros(n, dtype=np.int64), np.full(n, -1, dtype=np.int64),
                       np.zeros(n), np.zeros((n, n_years)))
    f = np.ascontiguousarray
    _rows(np.uint64(adoption_key(seed, project.id)), f(trials, dtype=np.int64),
          f(t_end_m, dtype=np.float64), f(params["market"], dtype=np.int64),
          f(params["bass_p"], dtype=np.float64), f(params["bass_q"], dtype=np.float64),
          f(params["dissem_u"], dtype=np.float64), f(params["dissem_prob"], dtype=np.float64),
          f(params["replication_t_per_yr"], dtype=np.float64),
          f(params["lifetime_years"], dtype=np.float64), known_code(project), float(end_m),
          first_fy, y0, n_years, out.cases, out.first_case_fy, out.lifetime_t, out.by_year_t)
    return out


def known_code(project) -> int:
    """The cases known to date as :func:`replicate` takes them: -1 when not given."""
    known = project.dissemination_cases_to_date
    return -1 if known is None else int(known)


@njit(cache=True)
def _rows(key, trials, t_end, market, bass_p, bass_q, dissem_u, dissem_prob, rep_t_per_yr,
          life_years, known, end_m, first_fy, y0, n_years, cases, first_case_fy, lifetime_t,
          by_year_t):
    full = np.zeros(n_years + 1)
    for r in range(len(t_end)):
        c, fy, life = replicate(key, trials[r], t_end[r], market[r], bass_p[r], bass_q[r],
                                dissem_u[r], dissem_prob[r], rep_t_per_yr[r], life_years[r],
                                known, end_m, first_fy, y0, n_years, by_year_t[r], full)
        cases[r] = c
        first_case_fy[r] = fy
        lifetime_t[r] = life


@njit(cache=True)
def conditioned(t_end, known):
    """Whether known cases to date condition a demonstration whose main stage ended at
    ``t_end`` [months from the simulation start]: it ended before the start and its known
    cases (``known``; -1: not given) are given."""
    return t_end < 0 and known >= 0


@njit(cache=True)
def no_replication(t_end, known, dissem_u, dissem_prob):
    """True when :func:`replicate` finds no case whatever the demonstration's market, Bass
    coefficients and lifetime: unconditioned (:func:`conditioned`) and not disseminating, so
    a caller making values on demand need not make those."""
    return not conditioned(t_end, known) and not dissem_u < dissem_prob


@njit(cache=True, _nrt=False)
def replicate(key, trial, t_end, m, p, q, dissem_u, dissem_prob, rep_t_per_yr, life_years,
              known, end_m, first_fy, y0, n_years, by_year, full):
    """One trial's replications of a demonstration whose main stage ended at ``t_end``
    [months from the simulation start; NaN: none]: the cases adopted by the end of the
    horizon, the fiscal year of the first (-1 if none) and their whole-lifetime reductions
    [t-CO2]; their reductions by fiscal year (years from ``first_fy``) are added to
    ``by_year`` (``full``: scratch of ``n_years + 1``).

    The demonstration disseminates when ``dissem_u < dissem_prob``. Known cases to date
    (``known``; -1: not given) condition a demonstration that ended before the start, where
    the Bass share ``f0`` had adopted: with none known, the chance that it disseminates at
    all is updated by Bayes' rule and every adopter's uniform is moved above ``f0``; with
    ``k`` known, the first ``k`` adopt before the start and the rest after it (and when ``k``
    exceeds the market the missing cases adopt at evenly spread shares below ``f0``).

    Adopter ``a`` has the uniform :func:`sim.ppf.hash_uniform` of (``key``, ``trial``,
    ``a``) and adopts at its Bass (1969) time after ``t_end``; each replication reduces
    ``rep_t_per_yr`` for ``life_years`` from its adoption."""
    if math.isnan(t_end) or m <= 0 or not p > 0:
        return 0, -1, 0.0
    if no_replication(t_end, known, dissem_u, dissem_prob):
        return 0, -1, 0.0
    before = conditioned(t_end, known)
    fo = 0.0
    if before:
        tau = max(-t_end / 12.0, 0.0)
        fo = bass_share(tau, p, q)
    go = dissem_u < dissem_prob
    if before and known == 0:
        stay = math.pow(1.0 - fo, float(m))
        den = dissem_prob * stay + (1.0 - dissem_prob)
        go = dissem_u < (dissem_prob * stay / den if den > 0 else 0.0)
    if not (go or (before and known > 0)):
        return 0, -1, 0.0
    # the Bass share adopted by the end of the horizon: an adopter whose uniform is clearly
    # above it adopts after the horizon (checked exactly for the others)
    tau = max(end_m - t_end, 0.0) / 12.0
    u_end = bass_share(tau, p, q) + 1e-9
    origin = -12.0 * y0
    extra = known - m if before and known > m else 0
    rate = rep_t_per_yr / 12.0
    life_m = 12.0 * life_years
    for k in range(n_years + 1):
        full[k] = 0.0
    cases = 0
    first_t = math.inf
    for e in range(m + extra):
        if e < m:
            u = hash_uniform(key, trial, e)
            if before:
                if known > 0 and e < known:
                    u = u * fo
                else:
                    u = fo + u * (1.0 - fo)
        else:
            u = (e - m + 0.5) / extra * fo
        if u > u_end:
            continue
        x = min(u, 1 - 1e-15)
        t = t_end + 12.0 * bass_time_years(x, p, q)
        if not t < end_m:
            continue
        cases += 1
        if t < first_t:
            first_t = t
        # reductions at ``rate`` from ``start`` to ``stop`` [months from first_fy's April]:
        # the parts of the first and last years it touches, and a count of the whole years
        # between
        start = t - origin
        stop = start + life_m
        k0 = int(math.floor(start / 12.0))
        k1 = int(math.floor(stop / 12.0))
        if k1 < 0 or k0 >= n_years:  # wholly before first_fy or after the horizon
            continue
        if k1 == k0:
            by_year[k0] += (stop - start) * rate
            continue
        if k0 >= 0:
            by_year[k0] += (12.0 * (k0 + 1) - start) * rate
        if k1 < n_years:
            by_year[k1] += (stop - 12.0 * k1) * rate
        full[max(k0 + 1, 0)] += 1.0
        full[min(k1, n_years)] -= 1.0
    live = 0.0
    for k in range(n_years):
        live += full[k]
        if live > 0.0:
            by_year[k] += live * 12.0 * rate
    if cases == 0:
        return 0, -1, 0.0
    first_fy_case = first_fy + y0 + int(math.floor((first_t + EPS_T) / 12.0))
    return cases, first_fy_case, cases * rep_t_per_yr * life_years
