"""Hostile and extreme input through the ``jcm`` command and the app's upload loader.

Each case of :mod:`tests.hostile_corpus` is refused with exit status 2 and a message naming
the field and the rule (never a traceback), or accepted with its value checked; every case
runs under a time and memory guard. A few run as real subprocesses with OS limits.
"""

from __future__ import annotations

import contextlib
import io
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from sim.errors import InputError
from tests.hostile_corpus import Case, all_cases, guard
from webapp.scenarios import Upload, load_uploads

REPO = Path(__file__).resolve().parent.parent
CASES = all_cases()


def test_the_corpus_is_large():
    assert len(CASES) >= 150


def run_cli(argv: list[str], folder: Path) -> tuple[int, str, str]:
    """``jcm ARGV`` in-process with ``folder`` as working directory."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse refuses a malformed flag
            code = stop.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli(case: Case, tmp_path: Path):
    case.write(tmp_path)
    argv = list(case.argv)
    if argv[0] in ("simulate", "optimize", "frontier") and "--candidates" not in argv:
        argv += ["--trials" if argv[0] == "simulate" else "--scenarios", "20"] \
            if not any(a in argv for a in ("--trials", "--scenarios")) else []
    with guard(seconds=60):
        code, out, err = run_cli(argv, tmp_path)
    assert "Traceback" not in err
    assert code == case.code, f"exit {code}\n{out}\n{err}"
    text = out + err
    for want in case.expect:
        assert want in text, f"{want!r} not in:\n{text}"
    if case.code == 2:
        assert err.startswith("error: ") or "usage:" in err, err
        if case.max_problems is not None:
            assert err.count("error: ") <= case.max_problems, err
    if case.check is not None:
        case.check(tmp_path)


APP_CASES = [c for c in CASES if c.app and c.argv[0] in ("validate", "simulate", "optimize")
             and "s.toml" in c.files]


@pytest.mark.parametrize("case", APP_CASES, ids=[c.name for c in APP_CASES])
def test_app_upload(case: Case, tmp_path: Path):
    """The same files uploaded to the app: a clean refusal, or a scenario with the value."""
    files = [Upload(name, data if isinstance(data, bytes) else data.encode("utf-8"))
             for name, data in case.files.items()]
    with guard(seconds=60):
        try:
            loaded = load_uploads(files, "baseline.toml")
        except InputError as err:
            assert case.code == 2, str(err)
            text = str(err)
            for want in case.expect:
                if not want.startswith(("projects.", "program.", "targets.", "assumptions.",
                                        "countries.", "budget.")):
                    assert want in text or want in ("Shift_JIS", "semicolon", "tab"), text
            return
    assert case.code == 0, f"accepted by the app: {case.name}"
    assert loaded.raw


# --------------------------------------------------------------------------------------------
# real subprocesses with OS limits: what used to hang or exhaust memory
# --------------------------------------------------------------------------------------------
def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


SUBPROCESS = ["market 1e8 disseminating", "first_fy -1000000 simulate", "9,000-row CSV",
              "20,000-deep arrays", "workbook zip bomb", "simulate --trials 1000000000000000"]


@pytest.mark.parametrize("name", SUBPROCESS)
def test_subprocess_within_limits(name: str, tmp_path: Path):
    case = next(c for c in CASES if c.name == name)
    case.write(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "cli.main", *case.argv], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, preexec_fn=_limited,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                               "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ")


def test_scenario_mode_sampling_is_bounded():
    from optimize.scenario_mode import build_problem
    from sim.loader import load_scenario

    scenario = load_scenario(REPO / "scenarios" / "baseline.toml")
    with guard(seconds=10), pytest.raises(InputError, match="--scenarios"):
        build_problem(scenario, n_scenarios=1000, max_cells=10_000)


def test_placeholder_paths_are_not_taken_for_html():
    """``<input>``, the name of a scenario edited in the app, is not a user's HTML."""
    from sim.loader import scenario_from_dict
    from sim.scenario_io import resolve_scenario_dict

    raw = resolve_scenario_dict(REPO / "scenarios" / "baseline.toml")
    assert scenario_from_dict(raw).path == "<input>"
