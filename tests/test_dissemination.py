"""The replications (:func:`sim.dissemination.disseminate`, trial by trial through the
compiled :func:`~sim.dissemination.replicate` both engines use) against a plain reference
written adopter by adopter and year by year, on random inputs: demonstrations that
end before and after the simulation start, known cases to date (none, some, more than the
market), lifetimes that start before ``first_fy`` or run past the horizon."""

from __future__ import annotations

import math
import types

import numpy as np
import pytest

from sim.bass import bass_cdf
from sim.dissemination import adoption_key, disseminate
from sim.ppf import hash_uniform


def _reference(known, t_end, params, seed, trials, first_fy, y0, n_years, end_m, pid):
    """Every adopter's Bass time and its reductions in each fiscal year, by overlap."""
    n = len(t_end)
    cases = np.zeros(n, dtype=np.int64)
    first = np.full(n, -1, dtype=np.int64)
    by_year = np.zeros((n, n_years))
    for r in range(n):
        t0 = t_end[r]
        m, p, q = int(params["market"][r]), params["bass_p"][r], params["bass_q"][r]
        if math.isnan(t0) or m <= 0 or p <= 0:
            continue
        before = t0 < 0 and known is not None
        f0 = float(bass_cdf(np.array([-t0 / 12.0]), p, q)[0]) if before else 0.0
        pi = params["dissem_prob"][r]
        if before and known == 0:
            stay = (1.0 - f0) ** m
            den = pi * stay + 1.0 - pi
            pi = pi * stay / den if den > 0 else 0.0
        if not (params["dissem_u"][r] < pi or (before and known)):
            continue
        key = np.uint64(adoption_key(seed, pid))
        us = [hash_uniform(key, int(trials[r]), a) for a in range(m)]
        if before:
            us = [u * f0 if (known and a < known) else f0 + u * (1.0 - f0)
                  for a, u in enumerate(us)]
            if known and known > m:
                c = known - m
                us += [(j + 0.5) / c * f0 for j in range(c)]
        rate = params["replication_t_per_yr"][r] / 12.0
        life_m = 12.0 * params["lifetime_years"][r]
        first_t = math.inf
        for u in us:
            x = min(u, 1 - 1e-15)
            t = t0 + 12.0 * (-math.log((1.0 - x) / (1.0 + (q / p) * x)) / (p + q))
            if not t < end_m:
                continue
            cases[r] += 1
            first_t = min(first_t, t)
            start, stop = t + 12.0 * y0, t + 12.0 * y0 + life_m
            for k in range(n_years):
                by_year[r, k] += max(min(stop, 12.0 * (k + 1)) - max(start, 12.0 * k), 0.0) * rate
        if cases[r]:
            first[r] = first_fy + y0 + math.floor((first_t + 1e-9) / 12.0)
    return cases, first, by_year


@pytest.mark.parametrize("case", range(60))
def test_replications_equal_the_adopter_by_adopter_reference(case):
    rng = np.random.default_rng(case)
    n = int(rng.integers(1, 25))
    known = [None, 0, int(rng.integers(1, 12))][case % 3]
    t_end = rng.uniform(-200.0, 200.0, n)
    t_end[rng.random(n) < 0.2] = np.nan
    params = {"dissem_u": rng.random(n), "dissem_prob": rng.random(n),
              "bass_p": rng.uniform(0.001, 0.3, n), "bass_q": rng.uniform(0.0, 0.6, n),
              "market": rng.integers(0, 15, n),
              "replication_t_per_yr": rng.uniform(1.0, 1000.0, n),
              "lifetime_years": rng.choice([0.0, 0.25, 1.0, 3.5, 12.0, 40.0], n)}
    y0 = int(rng.integers(0, 10))
    n_years = y0 + int(rng.integers(1, 20))
    end_m = 12.0 * (n_years - y0)
    trials = np.arange(500, 500 + n) * (case + 1)
    project = types.SimpleNamespace(dissemination_cases_to_date=known, id=f"p{case % 5}")
    got = disseminate(project, t_end, params, 11, trials, 2018, y0, n_years, end_m)
    cases, first, by_year = _reference(known, t_end, params, 11, trials, 2018, y0, n_years,
                                       end_m, project.id)
    assert np.array_equal(got.cases, cases)
    assert np.array_equal(got.first_case_fy, first)
    np.testing.assert_allclose(got.by_year_t, by_year, rtol=1e-12, atol=1e-9)
    # a replication's whole-lifetime reductions: cases × rate × lifetime
    np.testing.assert_allclose(got.lifetime_t, cases * params["replication_t_per_yr"]
                               * params["lifetime_years"], rtol=1e-15)


def test_a_replication_live_across_the_whole_horizon_counts_every_year_in_full():
    """One adopter in a market of one: the years it covers wholly get 12 months of its
    rate, the first and last only their part."""
    project = types.SimpleNamespace(dissemination_cases_to_date=None, id="solo")
    params = {"dissem_u": np.array([0.0]), "dissem_prob": np.array([1.0]),
              "bass_p": np.array([50.0]), "bass_q": np.array([0.0]),
              "market": np.array([1]), "replication_t_per_yr": np.array([120.0]),
              "lifetime_years": np.array([100.0])}
    out = disseminate(project, np.array([6.0]), params, 1, np.array([0]), 2020, 2, 8, 72.0)
    # adoption a fraction of a month after month 6 of the simulation (FY2022's October)
    u = hash_uniform(np.uint64(adoption_key(1, "solo")), 0, 0)
    t = 6.0 + 12.0 * -math.log(1.0 - u) / 50.0
    assert out.cases[0] == 1 and out.first_case_fy[0] == 2022
    assert out.by_year_t[0, :2].tolist() == [0.0, 0.0]
    assert out.by_year_t[0, 2] == pytest.approx((12.0 - t) * 10.0, rel=1e-12)
    assert out.by_year_t[0, 3:].tolist() == [120.0] * 5
