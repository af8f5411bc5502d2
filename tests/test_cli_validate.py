"""``jcm validate`` and ``jcm schema`` through the command line, as a planner runs them.

Every bad input of ``BAD_CASES`` (conftest.py) must exit with status 2 and print exactly one
``error:`` line naming the file, the field path and the rule, and never a traceback. Every case
runs through the command's entry point ``cli.main.main`` in-process; the kinds of bad input the
planners listed (``SUBPROCESS_CASES``) also run as real ``python -m cli.main`` processes, in
parallel (one per CPU) once per module.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cli.main import main
from cli.schema import render_json, render_markdown, schema_data
from sim.loader import load_scenario
from sim.scenario import Project
from sim.screen import screen_candidates

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((REPO / "scenarios").rglob("*.toml"))


def _assert_clean_failure(proc: subprocess.CompletedProcess, case, path: Path) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    [line] = lines
    assert line.startswith("error: "), line
    where = str(path.parent / case.file)
    assert line.startswith(f"error: {where}: "), line
    text = line.removeprefix(f"error: {where}: ")
    if case.field:
        field, sep, rule = text.partition(": ")
        if case.field.endswith("*"):  # a field path holding ': ' cannot be split off
            assert text.startswith(case.field[:-1]), line
            rule = text
        else:
            assert sep and field == case.field, line
    else:
        rule = text
    assert case.rule in rule, line
    for extra in case.extra_rules:
        assert extra in rule, line
    assert "valid." not in proc.stdout


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory, listed_bad_cases, run_cli):
    """The listed bad cases validated by ``jcm`` processes in parallel: id -> (path, process)."""
    paths = {c.id: c.write(tmp_path_factory.mktemp(c.id)) for c in listed_bad_cases}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {cid: pool.submit(run_cli, "validate", p) for cid, p in paths.items()}
        return {cid: (paths[cid], f.result()) for cid, f in futures.items()}


def test_bad_input_exits_2_with_one_clear_message(bad_case, tmp_path: Path, capsys):
    path = bad_case.write(tmp_path)
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    proc = subprocess.CompletedProcess(["jcm", "validate", str(path)], status, out, err)
    _assert_clean_failure(proc, bad_case, path)


def test_listed_bad_input_through_a_jcm_process(listed_bad_case, bad_runs):
    path, proc = bad_runs[listed_bad_case.id]
    _assert_clean_failure(proc, listed_bad_case, path)


# --------------------------------------------------------------------------------------------
# valid files
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_shipped_scenario_validates(path: Path, run_cli):
    proc = run_cli("validate", path.relative_to(REPO))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    s = load_scenario(path)
    first = proc.stdout.splitlines()[0]
    assert first.startswith(f"{path.relative_to(REPO)}: valid. Scenario '{s.name}'")
    assert f"{len(s.candidates)} candidate projects" in first
    assert "Proposal screen" in proc.stdout
    for p in s.candidates:
        assert p.id in proc.stdout


def test_json_output_holds_the_screen_of_every_candidate(tmp_path: Path, run_cli):
    out = tmp_path / "out.json"
    scenario = REPO / "scenarios" / "examples" / "with_candidate_tables.toml"
    proc = run_cli("validate", scenario, "--json", out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    s = load_scenario(scenario)
    assert data["valid"] is True
    assert data["scenario"] == "Baseline with candidate tables"
    assert data["projects"] == {"finished": 19, "running": 7, "candidate": len(s.candidates)}
    assert [r["id"] for r in data["screen"]] == [p.id for p in s.candidates]
    expected = {r.id: r.as_dict() for r in screen_candidates(s)}
    for row in data["screen"]:
        assert set(row) == {"id", "kind", "monitoring_credits_t", "disseminated_t_per_yr",
                            "passes", "reasons", "monitoring_months",
                            "registration_delay_months"}
        assert row["monitoring_credits_t"] == pytest.approx(
            expected[row["id"]]["monitoring_credits_t"])
        assert row["passes"] == expected[row["id"]]["passes"]
    by_id = {r["id"]: r for r in data["screen"]}
    # worked by hand: 3,000 t/yr x mean performance beta(9.13, 0.87) = 9.13/10 over the monitoring
    # period: registration (commissioning + mean validation + half the mean JC interval) to the
    # end of follow-up (12 months of operation + the follow-up years)
    sf = by_id["id-smart-factory"]
    a = s.assumptions
    delay = a.validation_months.mean + s.jc_interval("Indonesia").mean / 2
    months = 12 + 12 * s.project("id-smart-factory").followup_years.mean - delay
    assert sf["registration_delay_months"] == pytest.approx(delay)
    assert sf["monitoring_months"] == pytest.approx(months)
    assert sf["monitoring_credits_t"] == pytest.approx(3000 * 9.13 / 10 * months / 12)
    # mean market triangular(10, 40, 150) = 200/3 replications x 1,200 t/yr
    assert sf["disseminated_t_per_yr"] == pytest.approx(200 / 3 * 1200)
    assert sf["passes"] is True and sf["reasons"] == []
    assert by_id["csv-sn-mrv-solar-pumps"]["kind"] == "methodology"


def test_a_failing_screen_is_reported_not_refused(tmp_path: Path, run_cli, write_scenario):
    path = write_scenario("[projects.mn-chp]\nexpected_t_per_yr = 100\nmarket_size = 1\n")
    out = tmp_path / "out.json"
    proc = run_cli("validate", path, "--json", out)
    assert proc.returncode == 0, proc.stderr
    row = next(r for r in json.loads(out.read_text("utf-8"))["screen"] if r["id"] == "mn-chp")
    assert row["passes"] is False
    assert len(row["reasons"]) == 2
    assert "mn-chp" in proc.stdout and "FAIL: " in proc.stdout


def test_what_if_and_tables_through_the_cli(tmp_path: Path, run_cli, write_scenario):
    (tmp_path / "c.csv").write_text(
        "id,name,country,technology,kind,status,earliest_start_fy\n"
        "m-new,New methodology,Kenya,solar,methodology,candidate,2027\n", encoding="utf-8")
    path = write_scenario('name = "What-if"\ncandidates_files = ["c.csv"]\n[budget]\nFY2027 = 6\n')
    proc = run_cli("validate", path)
    assert proc.returncode == 0, proc.stderr
    assert "Scenario 'What-if'" in proc.stdout and "19 candidate projects" in proc.stdout
    assert "m-new" in proc.stdout


def test_unwritable_json_path_is_a_clean_error(tmp_path: Path, run_cli):
    out = tmp_path / "no-such-dir" / "out.json"
    proc = run_cli("validate", REPO / "scenarios" / "baseline.toml", "--json", out)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: <command line>: --json: the folder ")
    assert proc.stderr.rstrip().endswith("no-such-dir' does not exist")
    assert proc.stdout == ""  # refused before anything was checked or printed


def test_missing_scenario_file(tmp_path: Path, run_cli):
    proc = run_cli("validate", tmp_path / "nope.toml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"error: {tmp_path / 'nope.toml'}: file not found"


# --------------------------------------------------------------------------------------------
# jcm schema
# --------------------------------------------------------------------------------------------
def test_committed_reference_equals_the_generated_one():
    committed = (REPO / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == render_markdown(schema_data()), (
        "docs/scenario-reference.md is stale: run "
        "`jcm schema --output docs/scenario-reference.md`")


def test_reference_lists_every_field_and_distribution_form():
    text = (REPO / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    for name in Project.model_fields:
        assert f"| `{name}` |" in text, name
    data = schema_data()
    for key in data["top_level_keys"]:
        assert f"| `{key}` |" in text
    for kind, form in data["distributions"].items():
        assert f"| `{kind}` | {form} |" in text
    fields = {f["name"]: f for f in data["sections"]["projects"]["fields"]}
    assert set(fields) == set(Project.model_fields)
    assert fields["main_cost_oku_yen"]["distribution"] == "never negative"
    assert fields["main_cost_oku_yen"]["unit"] == "億円" and fields["main_cost_oku_yen"]["required"]
    assert fields["issuance_prob"]["distribution"] == "within [0, 1]"
    assert fields["japan_share"]["default"] == 0.5
    assert fields["earliest_start_fy"]["distribution"] is None
    assert fields["kind"]["type"] == "one of `demonstration`, `methodology`, `quantification`"
    assert all(f["description"] for f in fields.values()), "every Project field is described"
    assert data["sections"]["targets"]["fields"][0]["constraints"] == ["≥ 0"]
    country = {f["name"]: f for f in data["sections"]["countries"]["fields"]}
    assert country["jc_interval_months"]["distribution"] == "never negative"


def test_schema_command_prints_markdown_and_json(tmp_path: Path, run_cli):
    md = run_cli("schema")
    assert md.returncode == 0, md.stderr
    assert md.stdout == render_markdown(schema_data())
    out = tmp_path / "schema.json"
    js = run_cli("schema", "--format", "json", "--output", out)
    assert js.returncode == 0, js.stderr
    assert out.read_text(encoding="utf-8") == render_json(schema_data())
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["sections"]) == {"program", "targets", "assumptions", "countries",
                                     "projects"}
    bad = run_cli("schema", "--format", "yaml")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
