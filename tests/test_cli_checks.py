"""What every ``jcm`` command checks before it does any work, the same way in every command:
where its output goes (``--json``, ``--output``, ``--out``: not empty, not a folder, in a
folder that exists, never over its own input file), the bounds of ``--seed``, ``--workers``
and ``--trials``, and the size of the simulation; and that its output survives a terminal
or file whose encoding lacks some characters (CP932 on Japanese Windows)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import build_parser, main
from tests.conftest import BASELINE, REPO_ROOT

MANY = REPO_ROOT / "scenarios" / "many_candidates.toml"
SHEET = "id,value,country,FY2026,FY2027\na,1,VN,1,1\n"
BUDGETS = "fy,budget_oku_yen\n2026,5\n2027,5\n"


def _run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _sheet(tmp_path: Path) -> list[str]:
    (tmp_path / "c.csv").write_text(SHEET, encoding="utf-8")
    (tmp_path / "b.csv").write_text(BUDGETS, encoding="utf-8")
    return ["--candidates", str(tmp_path / "c.csv"), "--budgets", str(tmp_path / "b.csv")]


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    """Each command that writes JSON, with arguments that would otherwise run it."""
    return {
        "simulate": ["simulate", str(BASELINE), "--trials", "5", "--workers", "1"],
        "validate": ["validate", str(BASELINE)],
        "optimize": ["optimize", *_sheet(tmp_path), "--time-limit", "5"],
        "frontier": ["frontier", *_sheet(tmp_path), "--budget-scale", "1:2:2"],
        "sensitivity": ["sensitivity", str(BASELINE), "--trials", "10", "--quiet"],
        "backtest": ["backtest", "--trials", "10"],
    }


@pytest.mark.parametrize("command", ["simulate", "validate", "optimize", "frontier",
                                     "sensitivity", "backtest"])
@pytest.mark.parametrize("where, words", [
    ("missing/out.json", ["does not exist"]),
    ("", ["empty"]),
    (".", ["is a folder"]),
])
def test_a_bad_json_path_is_refused_before_any_work(command, where, words, tmp_path, capsys,
                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run([*_commands(tmp_path)[command], "--json", where], capsys)
    assert code == 2, err
    assert err.startswith("error: <command line>: --json: "), err
    for word in words:
        assert word in err
    assert out == ""  # nothing was computed or printed first
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["simulate", "validate"])
def test_json_over_the_input_scenario_is_refused_and_the_file_kept(command, tmp_path, capsys):
    scenario = tmp_path / "mine.toml"
    shutil.copy(BASELINE, scenario)
    before = scenario.read_bytes()
    args = [command, scenario, "--json", tmp_path / "." / "mine.toml"]
    if command == "simulate":
        args += ["--trials", "5"]
    code, out, err = _run(args, capsys)
    assert code == 2 and "is the command's input file" in err, err
    assert scenario.read_bytes() == before


def test_json_over_an_input_table_is_refused(tmp_path, capsys):
    sheet = _sheet(tmp_path)
    code, _, err = _run(["optimize", *sheet, "--json", sheet[1]], capsys)
    assert code == 2 and "--json" in err and "input file" in err
    assert Path(sheet[1]).read_text(encoding="utf-8") == SHEET


def test_schema_output_and_report_out_are_checked_first(tmp_path, capsys):
    code, out, err = _run(["schema", "--output", tmp_path / "no" / "schema.md"], capsys)
    assert code == 2 and "--output" in err and "does not exist" in err and out == ""
    a_file = tmp_path / "taken"
    a_file.write_text("x", encoding="utf-8")
    code, out, err = _run(["report", BASELINE, "--trials", "5", "--out", a_file], capsys)
    assert code == 2 and "--out" in err and "is a file, not a folder" in err and out == ""
    code, out, err = _run(["report", BASELINE, "--trials", "5", "--out", a_file / "sub"], capsys)
    assert code == 2 and "is not a folder" in err and out == ""


@pytest.mark.parametrize("argv, option, words", [
    (["report", BASELINE, "--seed", "-1"], "--seed", ["between 0 and 4,294,967,295"]),
    (["report", BASELINE, "--seed", "4294967296"], "--seed", ["between 0"]),
    (["report", BASELINE, "--workers", "70"], "--workers", ["between 1 and 64"]),
    (["report", BASELINE, "--trials", "0"], "--trials", ["between 1 and 100,000"]),
    (["report", BASELINE, "--tornado-trials", "-5"], "--tornado-trials", ["from 10 to"]),
    (["report", BASELINE, "--tornado-kpi", "nope"], "--tornado-kpi", ["unknown KPI"]),
    (["report", MANY, "--trials", "100000"], "--trials", ["cells", "use at most"]),
    (["backtest", "--seed", "-1"], "--seed", ["between 0"]),
    (["backtest", "--trials", "20001"], "--trials", ["between 1 and 20,000"]),
    (["backtest", "--trials", "-5"], "--trials", ["between 1"]),
    (["optimize", BASELINE, "--workers", "70"], "--workers", ["between 1 and 64"]),
    (["optimize", BASELINE, "--workers", "100000"], "--workers", ["between 1 and 64"]),
    (["simulate", BASELINE, "--workers", "0"], "--workers", ["between 1 and 64"]),
    (["sensitivity", BASELINE, "--trials", "3"], "--trials", ["from 10 to"]),
    (["sensitivity", BASELINE, "--kpi", "nope"], "--kpi", ["unknown KPI"]),
])
def test_numbers_are_bounded_the_same_way_in_every_command(argv, option, words, tmp_path,
                                                           capsys):
    extra = {"report": ["--out", tmp_path / "r"], "sensitivity": ["--quiet"]}.get(argv[0], [])
    code, out, err = _run([*argv, *extra], capsys)
    assert code == 2, (out, err)
    assert f"error: <command line>: {option}: " in err, err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err


def _in_encoding(encoding: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *argv], cwd=REPO_ROOT,
                          capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": encoding})


@pytest.mark.parametrize("encoding", ["cp932", "latin-1"])
def test_output_into_a_narrower_encoding_does_not_fail(encoding):
    proc = _in_encoding(encoding, "validate", str(BASELINE))
    assert proc.returncode == 0, proc.stderr.decode(encoding, "replace")
    assert b"Traceback" not in proc.stderr
    text = proc.stdout.decode(encoding)
    assert "valid" in text and "Proposal screen" in text
    proc = _in_encoding(encoding, "simulate", str(BASELINE), "--trials", "20", "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode(encoding, "replace")
    assert "P(meet)" in proc.stdout.decode(encoding)
    bad = _in_encoding(encoding, "simulate", str(BASELINE), "--trials", "0")
    assert bad.returncode == 2 and b"--trials" in bad.stderr and b"Traceback" not in bad.stderr


def test_every_option_of_every_command_has_help_and_no_stray_percent_signs():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        text = command.format_help()
        assert "%%" not in text and "``" not in text, name
        for action in command._actions:
            assert action.help, (name, action.option_strings or action.dest)
    for name in ("optimize", "frontier"):
        assert "Exit status: 0" in " ".join(sub.choices[name].format_help().split())


def test_spreadsheet_mode_says_how_it_read_a_japanese_excel_csv(tmp_path, capsys):
    cands = tmp_path / "候補.csv"
    cands.write_bytes("id,name,value,country,FY2026,FY2027\n"
                      "a,ベトナム病院,１２,ベトナム,１,１\n"
                      "b,plant,3,VN,1,1\n".encode("cp932"))
    budgets = tmp_path / "予算.csv"
    budgets.write_text("fy;budget_oku_yen\n2026;5\n2027;5\n", encoding="utf-8")
    code, out, err = _run(["optimize", "--candidates", cands, "--budgets", budgets,
                           "--time-limit", "10"], capsys)
    assert code == 0, err
    assert f"note: {cands}: read as Shift_JIS (CP932)" in out
    assert f"note: {budgets}: read as UTF-8, separator" in out
    assert "ベトナム病院" in out  # selected, with its Japanese name
    # the selection table's columns line up in a terminal (wide characters take two columns)
    from cli.output import text_width

    rows = [line for line in out.splitlines()
            if line.startswith(("  id ", "  a ", "  b "))]
    assert len(rows) == 3, out
    assert len({text_width(line[: line.rindex("  ")]) for line in rows}) == 1, rows
