"""Monte Carlo properties: reproducibility, batch/worker invariance, direction of change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.kpis import compute_kpis
from sim.loader import load_scenario
from sim.montecarlo import simulate

ROOT = Path(__file__).resolve().parents[1]
ARRAYS = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t",
          "dissemination_t", "start_fy", "main_end_fy", "succeeded", "dissemination_cases",
          "first_case_fy", "budget_oku_yen", "lapsed_oku_yen")


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.toml")


def _same(a, b) -> None:
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.timeline == b.timeline


def test_results_do_not_depend_on_batch_size_or_workers(baseline):
    one = simulate(baseline, 24, seed=4, batch_size=24)
    _same(one, simulate(baseline, 24, seed=4, batch_size=1))
    _same(one, simulate(baseline, 24, seed=4, batch_size=7))
    _same(one, simulate(baseline, 24, seed=4, workers=2, batch_size=5))


def test_a_trial_does_not_depend_on_how_many_trials_run(baseline):
    short = simulate(baseline, 5, seed=4)
    long = simulate(baseline, 12, seed=4)
    np.testing.assert_array_equal(short.credits_t, long.credits_t[:5])


def test_another_seed_gives_other_results(baseline):
    a = simulate(baseline, 10, seed=1)
    b = simulate(baseline, 10, seed=2)
    assert not np.array_equal(a.credits_t, b.credits_t)


def _cli_json(tmp_path: Path, name: str, *args: str) -> dict:
    out = tmp_path / name
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "simulate", "scenarios/baseline.toml",
         "--json", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(out.read_text())


def test_same_seed_same_json_and_other_seed_differs(tmp_path):
    a = _cli_json(tmp_path, "a.json", "--trials", "40", "--seed", "7")
    b = _cli_json(tmp_path, "b.json", "--trials", "40", "--seed", "7", "--workers", "1")
    c = _cli_json(tmp_path, "c.json", "--trials", "40", "--seed", "8")
    assert a == b
    assert a["kpis"] != c["kpis"]
    for kid in ("projects_implemented", "avg_credits_per_demo_fy2030_t", "dissemination_rate",
                "projects_dissemination_100kt", "credits_fy2030_t", "credits_fy2040_t",
                "japan_credits_fy2030_t", "japan_credits_fy2040_t", "ndc_share_fy2030",
                "ndc_share_fy2040", "spend_oku_yen", "cost_per_credit_yen"):
        k = a["kpis"][kid]
        for field in ("mean", "p10", "p50", "p90", "std_error"):
            assert field in k, (kid, field)
    assert a["kpis"]["projects_implemented"]["target"] == 36
    assert 0 <= a["kpis"]["projects_implemented"]["prob_meet"] <= 1
    assert a["kpis"]["avg_credits_per_demo_fy2030_t"]["target"] == 5000
    assert a["kpis"]["dissemination_rate"]["target"] == 0.5
    assert len(a["screen"]) == len(load_scenario(ROOT / "scenarios/baseline.toml").candidates)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_more_budget_never_lowers_expected_credits(seed):
    means = []
    for name in ("budget_low", "baseline", "budget_high"):
        sc = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        res = simulate(sc, 150, seed=seed)
        kp = {k.id: k for k in compute_kpis(res, sc)}
        means.append((kp["credits_fy2040_t"].mean, kp["projects_implemented"].mean))
    credits = [m[0] for m in means]
    assert credits == sorted(credits), means
    assert [m[1] for m in means] == sorted(m[1] for m in means)


def test_kpis_agree_with_the_arrays(baseline):
    res = simulate(baseline, 30, seed=3)
    kp = {k.id: k for k in compute_kpis(res, baseline)}
    y30 = res.year_index(2030)
    cum30 = res.credits_t[:, :, : y30 + 1].sum(axis=(1, 2), dtype=np.float64)
    assert kp["credits_fy2030_t"].mean == pytest.approx(cum30.mean())
    assert kp["ndc_share_fy2030"].mean == pytest.approx(cum30.mean() / 100e6)
    assert kp["credits_fy2030_t"].p10 <= kp["credits_fy2030_t"].p50 <= kp["credits_fy2030_t"].p90
    started = ((res.start_fy >= 0) & (res.start_fy <= 2027)).sum(axis=1)
    assert kp["projects_implemented"].mean == pytest.approx(started.mean())
    assert kp["projects_implemented"].prob_meet == pytest.approx((started >= 36).mean())


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_scenario_runs(path):
    sc = load_scenario(path)
    res = simulate(sc, 3, seed=1)
    kp = {k.id: k for k in compute_kpis(res, sc)}
    assert kp["projects_implemented"].mean >= sum(p.status.value != "candidate"
                                                   for p in sc.projects)
    assert np.isfinite(kp["credits_fy2040_t"].mean)


@pytest.mark.parametrize("populate", [False, True], ids=["small", "mapped-at-once"])
def test_the_run_arrays_are_aligned_views_of_one_buffer_filled_by_trial(populate, monkeypatch):
    """The merger lays every array of a run out in one buffer: each array is aligned and keeps
    its own values (a misplaced offset would make two of them overlap), whatever order the
    batches arrive in; a large buffer (here any) is a mapping with its pages provided at
    once."""
    import mmap

    from sim import montecarlo
    from sim.montecarlo import _Merger

    if populate:
        monkeypatch.setattr(montecarlo, "POPULATE_FROM_BYTES", 0)
    merged = _Merger(5)
    rng = np.random.default_rng(3)
    full = {"flag": rng.random((5, 3)) < 0.5, "fy": rng.integers(-1, 2040, (5, 7)).astype(np.int16),
            "x": rng.random((5, 2, 3)), "lapsed": rng.random(5)}
    for b in (range(3, 5), range(0, 3)):  # the later batch first
        merged.add(b, {**{k: v[b.start:b.stop] for k, v in full.items()}, "events": []})
    bases = {id(a.base) for a in merged.arrays.values()}
    assert len(bases) == 1
    root = merged.arrays["x"]
    while isinstance(root, np.ndarray):
        root = root.base
    if isinstance(root, memoryview):
        root = root.obj
    assert isinstance(root, mmap.mmap) == populate
    for name, want in full.items():
        got = merged.arrays[name]
        assert got.dtype == want.dtype and got.shape == want.shape and got.flags.aligned
        assert got.ctypes.data % 64 == merged.arrays["flag"].ctypes.data % 64
        np.testing.assert_array_equal(got, want)
    # writing one array leaves the others as they were
    merged.arrays["flag"][:] = True
    np.testing.assert_array_equal(merged.arrays["fy"], full["fy"])


def test_a_part_holding_the_whole_run_is_taken_as_it_is():
    """A run done in one batch (1,000 trials of the fast engine, say) keeps that batch's arrays
    instead of copying them into a buffer of its own, with its events; a part of only some of
    the run's trials is still copied."""
    from sim.montecarlo import _Merger

    rng = np.random.default_rng(5)
    part = {"x": rng.random((4, 2)), "fy": rng.integers(-1, 2040, 4).astype(np.int16),
            "events": [("p1", "design", 0.0, 6.0)]}
    merged = _Merger(4)
    merged.add(range(0, 4), part)
    assert merged.arrays["x"] is part["x"] and merged.arrays["fy"] is part["fy"]
    assert merged.filled.all() and merged.events == part["events"]
    # a part of only some trials is still copied into the run's own buffer
    merged = _Merger(5)
    merged.add(range(0, 4), part)
    assert merged.arrays["x"] is not part["x"] and not merged.filled[4]
    np.testing.assert_array_equal(merged.arrays["x"][:4], part["x"])
