"""Sensitivity analysis: SALib wiring on Ishigami, the tornado on a scenario whose answer is
known by hand, common random numbers, and ``jcm sensitivity`` as a user runs it."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import tomli_w

from sensitivity import analysis
from sensitivity.factors import Pinned, apply, build_factors, quantile
from sim.distributions import parse_distribution
from sim.kpis import per_trial_kpis
from sim.montecarlo import simulate
from tests.model_fixtures import HAND_WORKED, build

# Ishigami (a=7, b=0.1): published indices (Ishigami and Homma 1990; Saltelli et al. 2008)
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)


def test_sobol_wiring_on_ishigami():
    from SALib.test_functions import Ishigami

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
    res = analysis.sobol_indices(problem, 2048, Ishigami.evaluate, seed=4)
    for k in range(3):
        tol1 = max(0.05, 1.5 * res["S1_conf"][k])
        tolt = max(0.05, 1.5 * res["ST_conf"][k])
        assert abs(res["S1"][k] - ISHIGAMI_S1[k]) < tol1, (k, res["S1"])
        assert abs(res["ST"][k] - ISHIGAMI_ST[k]) < tolt, (k, res["ST"])
    # the order the published values give: x2 > x1 > x3 first-order, x1 > x2 > x3 total
    assert res["S1"][1] > res["S1"][0] > res["S1"][2]
    assert res["ST"][0] > res["ST"][1] > res["ST"][2]


@pytest.mark.parametrize("text", ["uniform(2, 6)", "triangular(1, 2, 8)", "pert(0.8, 3, 14.5)",
                                  "beta(9, 1.5)", "lognormal(5, 2)", "normal(3, 1, low=0)"])
def test_quantile_matches_samples(text):
    d = parse_distribution(text)
    x = np.asarray(d.sample(np.random.default_rng(0), 200_000))
    for u in (0.1, 0.5, 0.9):
        assert quantile(d, u) == pytest.approx(np.quantile(x, u), rel=0.02, abs=0.01)


def test_pinning_keeps_every_other_draw():
    """A factor left as distributed changes nothing; pinning one keeps the others' draws."""
    sc = build(**{"projects.demo.expected_t_per_yr": "uniform(0, 2400)",
                  "projects.demo.performance_ratio": "uniform(0.9, 1.0)"})
    factors = build_factors(sc)
    same = apply(sc, factors, [math.nan] * len(factors))
    a = per_trial_kpis(simulate(sc, 30, 5), sc)["credits_fy2040_t"]
    b = per_trial_kpis(simulate(same, 30, 5), same)["credits_fy2040_t"]
    assert np.array_equal(a, b)
    k = [f.id for f in factors].index("project:demo.expected_t_per_yr")
    u = [math.nan] * len(factors)
    u[k] = 0.5
    pinned = apply(sc, factors, u)
    assert isinstance(pinned.projects[0].expected_t_per_yr, Pinned)
    c = per_trial_kpis(simulate(pinned, 30, 5), pinned)["credits_fy2040_t"]
    # credits = 2,150 t × (E / 1,200) × performance; E pinned at its median 1,200 leaves the
    # same performance draw in each trial, so the ratio to the original is 1,200 / E_k
    perf = c / 2150.0
    assert perf.min() >= 0.9 - 1e-6 and perf.max() <= 1.0 + 1e-6
    e = a / perf / 2150.0 * 1200.0  # each trial's original design reductions
    assert e.min() >= 0.0 and e.max() <= 2400.0 + 1e-3
    assert np.unique(np.round(e, 3)).size == e.size  # drawn, not pinned, in the original


def _hand() -> object:
    return build(**{"projects.demo.expected_t_per_yr": "uniform(0, 2400)",
                    "projects.demo.performance_ratio": "uniform(0.9, 1.0)",
                    "projects.demo.japan_share": "uniform(0.5, 0.7)"})


def test_tornado_order_on_a_hand_made_scenario():
    """Credits to FY2040 = 2,150 t × (design reductions / 1,200) × performance ratio: the
    design reductions swing most (P10 240 → P90 2,160 t/yr, ratio 9), the performance ratio
    next (0.91 → 0.99), Japan's share and every capacity and budget not at all."""
    sc = _hand()
    # 400 trials: the base mean's Monte Carlo error is about 3 %, so the 15 % check below is
    # five standard errors wide
    s = analysis.settings("tornado", "credits_fy2040_t", trials=400, seed=3, workers=1)
    doc = analysis.run(sc, s)
    ids = [f["id"] for f in doc["factors"]]
    assert ids[:2] == ["project:demo.expected_t_per_yr", "demonstration.performance_ratio"]
    top, second = doc["factors"][0], doc["factors"][1]
    assert top["mean_high"] / top["mean_low"] == pytest.approx(9.0, rel=1e-6)
    assert second["mean_high"] / second["mean_low"] == pytest.approx(0.99 / 0.91, rel=1e-6)
    assert not top["within_noise"] and not second["within_noise"]
    for f in doc["factors"][2:]:
        assert f["swing"] == pytest.approx(0.0, abs=1e-6), f["id"]
        assert f["within_noise"], f["id"]
    assert doc["base"]["mean"] == pytest.approx(2150.0 * 0.95, rel=0.15)


def test_tornado_reports_probability_of_meeting_a_target():
    sc = _hand()
    s = analysis.settings("tornado", "avg_credits_per_demo_fy2030_t", trials=20, workers=1)
    doc = analysis.run(sc, s)
    top = doc["factors"][0]
    assert doc["target"] == 5000.0
    assert top["prob_low"] is not None and 0.0 <= top["prob_low"] <= top["prob_high"] <= 1.0


def test_morris_ranks_the_design_reductions_first():
    sc = _hand()
    s = analysis.settings("morris", "credits_fy2040_t", trials=10, r=4, workers=1)
    doc = analysis.run(sc, s)
    assert doc["factors"][0]["id"] == "project:demo.expected_t_per_yr"
    assert doc["factors"][0]["mu_star"] > 5 * doc["factors"][1]["mu_star"]


def test_settings_are_bounded():
    with pytest.raises(analysis.InputError) as err:
        analysis.settings("sobol", "nope", trials=0, n=100, r=1000)
    text = str(err.value)
    for part in ("unknown KPI 'nope'", "trials", "power of two", "r: must be"):
        assert part in text


def _write_hand(tmp_path):
    raw = dict(HAND_WORKED)
    raw["projects"] = {"demo": {**HAND_WORKED["projects"]["demo"],
                                "expected_t_per_yr": "uniform(0, 2400)",
                                "performance_ratio": "uniform(0.9, 1.0)"}}
    path = tmp_path / "hand.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    return path


def test_cli_tornado_json(run_cli, tmp_path):
    path = _write_hand(tmp_path)
    out = tmp_path / "t.json"
    res = run_cli("sensitivity", path, "--kpi", "credits_fy2040_t", "--method", "tornado",
                  "--trials", "10", "--workers", "1", "--json", out)
    assert res.returncode == 0, res.stderr
    assert "evaluations" in res.stderr  # the progress bar
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["factors"][0]["id"] == "project:demo.expected_t_per_yr"
    assert "Expected reductions (t-CO2/yr)" in res.stdout


@pytest.mark.parametrize("args, words", [
    (["--kpi", "nope"], "unknown KPI 'nope'"),
    (["--trials", "1000000"], "trials: must be a whole number from 10 to 5000"),
    (["--method", "sobol", "--n", "12"], "power of two"),
])
def test_cli_bad_settings(run_cli, tmp_path, args, words):
    res = run_cli("sensitivity", _write_hand(tmp_path), *args)
    assert res.returncode == 2
    assert words in res.stderr
    assert "Traceback" not in res.stderr
