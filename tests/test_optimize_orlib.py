"""Published optima of OR-Library multidimensional knapsack instances, through ``jcm optimize``.

Each instance is written as spreadsheet-mode CSV files (one budget year per knapsack
constraint) and solved by the CLI; the JSON must say ``optimal`` with the published value.
All of mknap1 (7) and four fast mknapcb1 instances run as real subprocesses; mknap2 (48) runs
six instances (one per family) as subprocesses and all 48 through the CLI's ``main`` in
process, which exercises the same parsing, loading, solving and JSON writing without paying
interpreter start-up 48 times.

The data live beside the repository in ``shared/data/orlib`` (never copied into the project);
without them the tests are skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main as jcm_main
from optimize.orlib import read_mknap1, read_mknap2, write_spreadsheet

REPO_ROOT = Path(__file__).resolve().parents[1]
ORLIB = REPO_ROOT.parent / "shared" / "data" / "orlib"
#: mknapcb1 instances HiGHS proves optimal in under a second (median over the file: 3.3 s).
FAST_CB1 = ["5.100-06", "5.100-16", "5.100-18", "5.100-28"]
MKNAP2_SUBPROCESS = ["SENTO1.DAT", "WEING1.DAT", "WEISH01.DAT", "PB1.DAT", "HP1.DAT", "PB6.DAT"]

pytestmark = pytest.mark.skipif(
    not (ORLIB / "known_values.json").is_file(),
    reason=f"OR-Library data not found at {ORLIB} (expected shared/ beside the repository)",
)


def _known() -> dict:
    return json.loads((ORLIB / "known_values.json").read_text())


def _instances(kind: str):
    if not (ORLIB / "known_values.json").is_file():
        return []
    if kind == "mknap1":
        return read_mknap1(ORLIB / "mknap1.txt")
    if kind == "mknap2":
        return read_mknap2(ORLIB / "mknap2.txt")
    return read_mknap1(ORLIB / "mknapcb1.txt", prefix="5.100-")


def _optimum(kind: str, inst) -> float:
    known = _known()
    if kind == "mknap1":
        return known["mknap1.txt"]["optima"][int(inst.name)]
    return known[f"{kind}.txt"]["optima"][inst.name]


def _args(inst, tmp_path: Path) -> list[str]:
    cand, budget = write_spreadsheet(inst, tmp_path / inst.name)
    out = tmp_path / inst.name / "plan.json"
    return ["optimize", "--candidates", str(cand), "--budgets", str(budget),
            "--time-limit", "60", "--json", str(out)]


def _check(plan_path: Path, inst, optimum: float) -> None:
    plan = json.loads(plan_path.read_text())
    assert plan["status"] == "optimal", plan["message"]
    assert plan["objective_value"] == pytest.approx(optimum, rel=1e-9)
    assert plan["mip_gap"] == pytest.approx(0.0, abs=1e-9)
    chosen = {int(s["id"].removeprefix("item")) for s in plan["selected"]}
    assert sum(inst.profits[j] for j in chosen) == pytest.approx(optimum, rel=1e-9)
    for row, cap in zip(inst.weights, inst.capacities, strict=True):
        assert sum(row[j] for j in chosen) <= cap + 1e-9


def _run_subprocess(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)


def _ids(kind, names=None):
    return [i.name for i in _instances(kind) if names is None or i.name in names]


@pytest.mark.parametrize("name", _ids("mknap1"))
def test_mknap1_through_cli_subprocess(name, tmp_path):
    inst = next(i for i in _instances("mknap1") if i.name == name)
    args = _args(inst, tmp_path)
    proc = _run_subprocess(args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    _check(Path(args[-1]), inst, _optimum("mknap1", inst))


@pytest.mark.parametrize("name", _ids("mknap2", MKNAP2_SUBPROCESS))
def test_mknap2_sample_through_cli_subprocess(name, tmp_path):
    inst = next(i for i in _instances("mknap2") if i.name == name)
    args = _args(inst, tmp_path)
    proc = _run_subprocess(args)
    assert proc.returncode == 0, proc.stderr
    _check(Path(args[-1]), inst, _optimum("mknap2", inst))


def test_all_mknap2_through_cli_main(tmp_path, capsys):
    instances = _instances("mknap2")
    assert len(instances) == 48
    for inst in instances:
        args = _args(inst, tmp_path)
        assert jcm_main(args) == 0, inst.name
        _check(Path(args[-1]), inst, _optimum("mknap2", inst))
    capsys.readouterr()


@pytest.mark.parametrize("name", FAST_CB1)
def test_mknapcb1_through_cli_subprocess(name, tmp_path):
    inst = next(i for i in _instances("mknapcb1") if i.name == name)
    args = _args(inst, tmp_path)
    proc = _run_subprocess(args)
    assert proc.returncode == 0, proc.stderr
    _check(Path(args[-1]), inst, _optimum("mknapcb1", inst))


def test_parsers_read_every_instance():
    assert len(_instances("mknap1")) == 7
    assert len(_instances("mknapcb1")) == 30
    known = _known()
    m2 = _instances("mknap2")
    assert [i.name for i in m2] == list(known["mknap2.txt"]["optima"])
    # mknap1 and mknap2 files carry their optimum; it must match known_values.json
    assert [i.optimum for i in _instances("mknap1")] == known["mknap1.txt"]["optima"]
    assert all(i.optimum == known["mknap2.txt"]["optima"][i.name] for i in m2)
    for inst in _instances("mknapcb1"):
        assert len(inst.profits) == 100 and len(inst.capacities) == 5
