"""The fast engine on cases worked out by hand, on its fallback to the SimPy engine, from the
command line, and run as plain Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from sim.fast import run_fast
from sim.montecarlo import simulate
from tests.model_fixtures import (
    HAND_CREDITS_BY_FY,
    HAND_JAPAN_BY_FY,
    HAND_REDUCTIONS_BY_FY,
    HAND_SPEND_BY_FY,
    build,
)

FIELDS = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t",
          "dissemination_t", "start_fy", "main_start_fy", "main_end_fy", "succeeded",
          "dissemination_cases", "first_case_fy", "dissemination_lifetime_t",
          "lapsed_oku_yen", "budget_committed_oku_yen", "budget_carried_in_oku_yen",
          "budget_outside_oku_yen")


def _by_fy(res, name: str) -> dict[int, float]:
    total = getattr(res, name)[:, 0, :].astype(float).mean(axis=0)
    return {int(fy): round(float(v), 6) for fy, v in zip(res.years, total, strict=True) if v}


def test_the_fast_engine_gives_the_hand_worked_demonstration():
    # every trial of the hand-worked case is the same (fixed durations, certain success)
    res = simulate(build(), 5, seed=3, engine="fast")
    assert res.engine == "fast" and res.des_reruns == 0
    assert _by_fy(res, "credits_t") == HAND_CREDITS_BY_FY
    assert _by_fy(res, "japan_credits_t") == HAND_JAPAN_BY_FY
    assert _by_fy(res, "demo_reductions_t") == HAND_REDUCTIONS_BY_FY
    assert _by_fy(res, "spend_oku_yen") == HAND_SPEND_BY_FY
    assert res.start_fy[:, 0].tolist() == [2026] * 5
    assert res.main_end_fy[:, 0].tolist() == [2027] * 5


def _many_open_verifications():
    # monthly monitoring periods each taking 100 months to issue: more verifications open at
    # once than the kernel's pool of verification processes holds
    return build(**{"assumptions.verification_months": 100.0,
                    "assumptions.tpe_verification_months": 0.5,
                    "assumptions.tpe_capacity": 200,
                    "projects.demo.monitoring_period_months": 1.0,
                    "projects.demo.followup_years": 12.0})


def test_a_trial_the_kernel_cannot_hold_is_rerun_by_the_simpy_engine_with_the_same_result():
    sc = _many_open_verifications()
    _, _, rerun = run_fast(sc, 1, range(1, 4))
    assert rerun.all()  # every trial overflows the pool
    fast = simulate(sc, 4, seed=1, engine="fast")
    des = simulate(sc, 4, seed=1, engine="des")
    assert fast.des_reruns == 4
    for name in FIELDS:
        assert np.array_equal(getattr(fast, name), getattr(des, name)), name
    assert fast.credits_t.sum() > 0
    # the same when the engine keeps only the summaries
    small = simulate(sc, 4, seed=1, engine="fast", keep_projects=False)
    assert small.des_reruns == 4
    for name, series in small.program_by_fy.items():
        assert np.array_equal(series, fast.program_series(name)), name
    assert np.array_equal(small.project_credits_fy2030_t, fast.project_credits_to_t(2030))


def test_jcm_simulate_says_which_engine_ran_and_both_give_the_same_json(run_cli, tmp_path):
    out = {}
    for engine in ("fast", "des"):
        path = tmp_path / f"{engine}.json"
        proc = run_cli("simulate", "scenarios/baseline.toml", "--trials", "64", "--engine",
                       engine, "--json", str(path))
        assert proc.returncode == 0, proc.stderr
        assert "Engine: " + ("fast engine" if engine == "fast" else "SimPy engine") \
            in proc.stdout
        out[engine] = json.loads(path.read_text())
    assert out["fast"]["run"]["engine"] == "fast" and out["des"]["run"]["engine"] == "des"
    assert out["fast"]["run"]["des_reruns"] == 0
    assert out["fast"]["kpis"] == out["des"]["kpis"]
    assert out["fast"]["by_fy"] == out["des"]["by_fy"]
    assert out["fast"]["projects"] == out["des"]["projects"]


def test_an_unknown_engine_on_the_command_line_is_refused(run_cli):
    proc = run_cli("simulate", "scenarios/baseline.toml", "--engine", "turbo")
    assert proc.returncode == 2
    assert "--engine" in proc.stderr and "fast" in proc.stderr and "des" in proc.stderr


@pytest.mark.slow
def test_the_kernel_run_as_plain_python_gives_the_compiled_results(repo_root):
    code = (
        "import json, numpy as np\n"
        "from sim.loader import load_scenario\n"
        "from sim.fast import run_fast\n"
        "sc = load_scenario('scenarios/baseline.toml')\n"
        "out, _, rerun = run_fast(sc, 1, range(1, 4))\n"
        "print(json.dumps({k: np.asarray(v).tolist() for k, v in out.items()}))\n"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo_root, env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    plain = json.loads(proc.stdout)
    from sim.loader import load_scenario

    compiled, _, _ = run_fast(load_scenario(repo_root / "scenarios" / "baseline.toml"), 1,
                              range(1, 4))
    for name, value in compiled.items():
        assert np.array_equal(np.asarray(plain[name], dtype=value.dtype), value), name
