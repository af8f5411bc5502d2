"""The ``jcm`` command itself: every sub-command is listed with its line of help, a run
imports only its own sub-command's module (``jcm validate`` does not wait for Pyomo or the
compiled engine to load), and an unknown or missing command is refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli.commands import HELP_LINES
from cli.main import build_parser, command_of, main
from tests.conftest import BASELINE, REPO_ROOT, run_jcm

HEAVY = ("pyomo", "numba", "simpy", "scipy", "sim.montecarlo", "optimize.solve", "streamlit")


def _imported_after(argv: list[str]) -> tuple[int, list[str]]:
    """Exit status of ``main(argv)`` in a fresh process, and which of :data:`HEAVY` it
    imported."""
    code = ("import contextlib, io, sys\n"
            "from cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            "    try:\n"
            f"        rc = main({argv!r})\n"
            "    except SystemExit as e:\n"
            "        rc = e.code\n"
            f"print(rc, *[m for m in {HEAVY!r} if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rc, *mods = proc.stdout.split()
    return int(rc), mods


def test_help_lists_every_command_with_its_line_of_help():
    proc = run_jcm("--help")
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(proc.stdout.split())
    for name, line in HELP_LINES.items():
        assert f"{name} {line}" in flat, name


def test_each_command_registers_the_help_line_jcm_help_shows():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    shown = {a.dest: a.help for a in sub._choices_actions}
    assert shown == HELP_LINES
    for name in HELP_LINES:  # every command has its real parser, with its own options
        assert sub.choices[name].format_usage().startswith(f"usage: jcm {name}")


@pytest.mark.parametrize("argv, expected", [
    (["validate", "x.toml"], "validate"),
    (["--help"], None),
    ([], None),
    (["bogus", "simulate"], None),
    (["-h", "optimize", "--json", "out.json"], "optimize"),
])
def test_command_of(argv, expected):
    assert command_of(argv) == expected


def test_validate_and_schema_import_nothing_heavy():
    assert _imported_after(["validate", str(BASELINE)]) == (0, [])
    assert _imported_after(["schema", "--format", "json"]) == (0, [])
    assert _imported_after(["--help"]) == (0, [])


@pytest.mark.parametrize("argv", [
    ["optimize", "--candidates", "c.csv", "--budgets", "b.csv", "--time-limit", "0"],
    ["frontier", "--candidates", "c.csv", "--budgets", "b.csv", "--budget-scale", "1:2"],
    ["simulate", str(BASELINE), "--trials", "0"],
    ["report", str(BASELINE), "--trials", "0"],
    ["sensitivity", str(BASELINE), "--trials", "0"],
    ["backtest", "--trials", "0"],
])
def test_a_bad_argument_is_refused_before_the_engines_or_pyomo_load(argv):
    assert _imported_after(argv) == (2, [])


def test_simulate_does_not_import_the_optimizer_or_the_app():
    rc, mods = _imported_after(["simulate", str(BASELINE), "--trials", "3", "--workers", "1"])
    assert rc == 0
    assert "numba" in mods and "sim.montecarlo" in mods  # it did run the simulation
    assert "pyomo" not in mods and "optimize.solve" not in mods and "streamlit" not in mods


def test_unknown_and_missing_commands_are_refused(capsys):
    with pytest.raises(SystemExit) as err:
        main(["bogus"])
    assert err.value.code == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as err:
        main([])
    assert err.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_version_and_hints_for_a_misspelled_or_misplaced_command(capsys):
    with pytest.raises(SystemExit) as err:
        main(["--version"])
    assert err.value.code == 0 and capsys.readouterr().out.startswith("jcm ")
    for argv, words in ((["simulte", str(BASELINE)], "did you mean 'simulate'?"),
                        (["--trials", "5", "simulate", str(BASELINE)],
                         "options go after the command: jcm simulate --trials")):
        with pytest.raises(SystemExit) as err:
            main(argv)
        assert err.value.code == 2
        assert words in capsys.readouterr().err


def test_tables_align_columns_holding_wide_characters(capsys):
    from cli.output import print_table, text_width

    assert text_width("億円") == 4 and text_width("t-CO2") == 5 and text_width("ベトナム") == 8
    print_table(["name", "unit", "value"], [["ベトナム病院", "億円", "12.5"], ["plant", "t", "3"]])
    lines = capsys.readouterr().out.splitlines()
    ends = {text_width(line.rstrip()) for line in lines[2:]}
    assert len(ends) == 1  # the right-aligned numbers end in the same column
    # and the unit column starts in the same column on both rows
    assert text_width(lines[2].split("億円")[0]) == text_width(lines[3].split(" t ")[0]) + 1


def test_an_unreachable_probability_target_is_explained_not_shown_as_a_plain_optimum(capsys):
    code = main(["optimize", str(BASELINE), "--objective", "prob_target",
                 "--target", "credits_fy2030_t", "--target-value", "1e11", "--scenarios", "20",
                 "--resim-trials", "0", "--no-policies", "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "prob_target = 0 " in out and "bound -0" not in out
    assert "no portfolio reaches the target in any scenario" in out
