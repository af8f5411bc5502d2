"""The compiled summaries (sim.summaries) are NumPy's reductions of sim.results, bit for bit,
so a run gives the same numbers whether it keeps its per-project arrays or not."""

from __future__ import annotations

import numpy as np
import pytest

from sim.loader import load_scenario
from sim.montecarlo import simulate
from sim.results import credits_to, program_totals, spend_totals
from sim.summaries import summarise, year_stop

NAMES = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t", "dissemination_t")


@pytest.mark.parametrize("n_projects, n_years, i2030, i2040",
                         [(1, 23, 12, 22), (44, 23, 12, 22), (208, 15, 4, 14), (5, 10, 12, 22),
                          (3, 8, -1, 3), (2, 6, -3, 40)])
def test_the_compiled_summaries_are_numpys_reductions_bit_for_bit(n_projects, n_years, i2030,
                                                                    i2040):
    rng = np.random.default_rng(n_projects)
    arrays = {name: (rng.lognormal(3.0, 2.0, (37, n_projects, n_years))
                     * (rng.random((37, n_projects, n_years)) < 0.6)).astype(np.float32)
              for name in NAMES}
    got = summarise(arrays, i2030, i2040)
    for name in NAMES:
        want = program_totals(arrays[name])
        assert got[f"program:{name}"].dtype == want.dtype
        assert np.array_equal(got[f"program:{name}"], want), name
    c = arrays["credits_t"]
    assert np.array_equal(got["project_credits_fy2030_t"], credits_to(c, i2030))
    assert np.array_equal(got["project_credits_fy2040_t"],
                          credits_to(c, i2040).astype(np.float32))
    s = arrays["spend_oku_yen"]
    assert np.array_equal(got["project_spend_oku_yen"],
                          s.sum(axis=2, dtype=np.float64).astype(np.float32))
    assert np.array_equal(got["spend_total_oku_yen"], spend_totals(s))


def test_year_stop_is_numpys_slice():
    for n in (0, 1, 5, 23):
        for i in range(-30, 30):
            assert year_stop(i, n) == len(np.arange(n)[: i + 1])


def test_a_run_without_per_project_arrays_gives_the_full_runs_summaries_exactly(baseline_path):
    sc = load_scenario(baseline_path)
    full = simulate(sc, 40, seed=11, keep_projects=True)
    small = simulate(sc, 40, seed=11, keep_projects=False)
    for name in NAMES:
        assert np.array_equal(small.program_series(name), full.program_series(name)), name
    assert np.array_equal(small.project_credits_to_t(2030), full.project_credits_to_t(2030))
    assert np.array_equal(small.project_credits_fy2040_t,
                          full.project_credits_to_t(2040).astype(np.float32))
    assert np.array_equal(small.spend_by_trial_oku_yen(), full.spend_by_trial_oku_yen())
    assert small.project_table() == full.project_table()
