"""Running trials: summaries instead of per-project arrays, workers, Dask, run options."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from sim.kpis import per_trial_kpis
from sim.loader import load_scenario
from sim.montecarlo import simulate
from sim.report_data import simulation_report
from sim.runner import RunOptions, run_trials

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.toml")


@pytest.fixture(scope="module")
def full(baseline):
    return simulate(baseline, 30, seed=4, batch_size=7)


def _same_summary(a, b, scenario) -> None:
    ka, kb = per_trial_kpis(a, scenario), per_trial_kpis(b, scenario)
    for k in ka:
        np.testing.assert_array_equal(ka[k], kb[k], err_msg=k)
    ra, rb = simulation_report(scenario, a), simulation_report(scenario, b)
    for part in ("kpis", "by_fy", "timeline"):
        assert ra[part] == rb[part], part
    for x, y in zip(ra["projects"], rb["projects"], strict=True):
        for k, v in x.items():
            if isinstance(v, float):
                assert y[k] == pytest.approx(v, rel=1e-6, abs=1e-9), (x["id"], k)
            else:
                assert y[k] == v, (x["id"], k)


def test_summaries_give_the_same_kpis_and_report_as_the_full_arrays(baseline, full):
    small = simulate(baseline, 30, seed=4, batch_size=11, keep_projects=False)
    assert not small.has_project_arrays and small.credits_t is None
    assert small.n_trials == 30
    _same_summary(full, small, baseline)
    np.testing.assert_array_equal(small.program_series("credits_t"),
                                  full.program_series("credits_t"))


def test_summaries_do_not_depend_on_batch_size_or_workers(baseline):
    a = simulate(baseline, 20, seed=9, batch_size=20, keep_projects=False)
    b = simulate(baseline, 20, seed=9, batch_size=3, workers=2, keep_projects=False)
    for name in ("project_credits_fy2030_t", "project_credits_fy2040_t",
                 "project_spend_oku_yen", "spend_total_oku_yen", "start_fy", "first_case_fy",
                 "budget_oku_yen", "lapsed_oku_yen"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name, arr in a.program_by_fy.items():
        np.testing.assert_array_equal(arr, b.program_by_fy[name], err_msg=name)


def test_per_project_views_need_the_arrays(baseline):
    small = simulate(baseline, 2, seed=1, keep_projects=False)
    with pytest.raises(ValueError, match="keep_projects"):
        small.project_credits_to_t(2035)


def test_stopping_early_keeps_the_finished_trials_in_order(baseline, full):
    calls = []

    def progress(done, total):
        calls.append(done)
        return done < 14

    part = simulate(baseline, 30, seed=4, batch_size=7, progress=progress)
    assert calls == [7, 14]
    assert part.n_trials == 14
    np.testing.assert_array_equal(part.credits_t, full.credits_t[:14])


def test_dask_local_cluster_gives_the_same_results_as_this_machine(baseline, full):
    dask = simulate(baseline, 30, seed=4, workers=2, scheduler="local", batch_size=4)
    for name in ("spend_oku_yen", "credits_t", "japan_credits_t", "dissemination_t",
                 "start_fy", "main_end_fy", "first_case_fy", "budget_oku_yen",
                 "lapsed_oku_yen", "dissemination_lifetime_t"):
        np.testing.assert_array_equal(getattr(dask, name), getattr(full, name), err_msg=name)
    assert dask.timeline == full.timeline


def test_run_trials_reports_its_wall_time(baseline):
    run = run_trials(baseline, 3, 1, RunOptions(workers=1))
    assert run.results.n_trials == 3 and run.seconds > 0


@pytest.mark.parametrize("args, option", [
    (["--workers", "0"], "--workers"),
    (["--scheduler", "my-cluster"], "--scheduler"),
    (["--scheduler", "tcp://host"], "--scheduler"),
])
def test_bad_run_options_name_the_option_and_exit_2(args, option, capsys):
    code = main(["simulate", str(ROOT / "scenarios" / "baseline.toml"), "--trials", "2", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert option in err and "Traceback" not in err


def test_simulate_says_where_it_ran(capsys):
    code = main(["simulate", str(ROOT / "scenarios" / "baseline.toml"), "--trials", "4",
                 "--workers", "1"])
    assert code == 0
    assert "4 trials, seed 1" in capsys.readouterr().out


def test_optimizer_sampling_on_dask_matches_this_machine(baseline):
    from optimize.scenario_mode import build_problem

    here = build_problem(baseline, n_scenarios=8, seed=2).problem
    there = build_problem(baseline, n_scenarios=8, seed=2,
                          run=RunOptions(workers=2, scheduler="local")).problem
    np.testing.assert_array_equal(here.fixed_scenarios(), there.fixed_scenarios())
    for a, b in zip(here.candidates, there.candidates, strict=True):
        assert [o.start_fy for o in a.options] == [o.start_fy for o in b.options]
        for oa, ob in zip(a.options, b.options, strict=True):
            np.testing.assert_array_equal(oa.value_scenarios, ob.value_scenarios)
            assert oa.cost_by_fy == ob.cost_by_fy


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.integers(1, 9), workers=st.integers(1, 2), keep=st.booleans())
def test_any_batch_size_and_worker_count_give_the_same_kpis(baseline, full, batch, workers,
                                                            keep):
    other = simulate(baseline, 30, seed=4, batch_size=batch, workers=workers,
                     keep_projects=keep)
    a, b = per_trial_kpis(full, baseline), per_trial_kpis(other, baseline)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def test_simulate_runs_on_a_local_dask_cluster_from_the_command_line(tmp_path, capsys):
    out_dask, out_here = tmp_path / "dask.json", tmp_path / "here.json"
    args = ["simulate", str(ROOT / "scenarios" / "baseline.toml"), "--trials", "6",
            "--seed", "3"]
    assert main([*args, "--scheduler", "local", "--workers", "1", "--json",
                 str(out_dask)]) == 0
    assert "Dask scheduler local" in capsys.readouterr().out
    assert main([*args, "--workers", "1", "--json", str(out_here)]) == 0
    import json
    a, b = json.loads(out_dask.read_text()), json.loads(out_here.read_text())
    for part in ("kpis", "by_fy", "projects", "timeline"):
        assert a[part] == b[part], part


def test_a_sensitivity_sweep_on_dask_matches_this_machine(tmp_path, capsys):
    """The sweep's evaluations sent to a LocalCluster (a chunk of rows per task) give the
    tornado of this machine, value for value; the JSON says where it ran."""
    out_dask, out_here = tmp_path / "dask.json", tmp_path / "here.json"
    args = ["sensitivity", str(ROOT / "scenarios" / "baseline.toml"), "--trials", "10",
            "--largest", "0", "--seed", "5", "--quiet"]
    assert main([*args, "--scheduler", "local", "--workers", "2", "--json",
                 str(out_dask)]) == 0
    assert "on Dask scheduler local" in capsys.readouterr().out
    assert main([*args, "--workers", "1", "--json", str(out_here)]) == 0
    import json
    a, b = json.loads(out_dask.read_text()), json.loads(out_here.read_text())
    assert a["settings"]["scheduler"] == "local" and b["settings"]["scheduler"] is None
    assert a["factors"] and a["factors"] == b["factors"]
    assert a["base"] == b["base"]


@pytest.mark.parametrize("value", ["my-cluster", "tcp://host", "ftp://host:1"])
def test_a_bad_sensitivity_scheduler_names_the_option(value, capsys):
    code = main(["sensitivity", str(ROOT / "scenarios" / "baseline.toml"),
                 "--scheduler", value, "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--scheduler" in err and "Traceback" not in err
