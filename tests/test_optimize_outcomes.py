"""Directions of change, every solver outcome, and bad inputs — through the API and the CLI.

* More budget never lowers the optimum; a mandatory candidate is always chosen.
* ``jcm optimize`` exit status per outcome: 0 optimal, 3 time limit, 4 infeasible (message
  names the constraint family), 5 solver error, 2 bad input (message names file, field and
  rule; never a traceback); the JSON contract's field names.
* The wall-clock guard stops a solver that ignores its time limit.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import optimize.solve as solve_module
from cli.main import main as jcm_main
from optimize.model import build_model
from optimize.orlib import read_mknap1, write_spreadsheet
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from optimize.runner import RunResult, run_highs
from optimize.solve import check_solution, solve

REPO_ROOT = Path(__file__).resolve().parents[1]
ORLIB = REPO_ROOT.parent / "shared" / "data" / "orlib"
JSON_FIELDS = {"status", "objective", "objective_value", "best_bound", "mip_gap", "selected",
               "spend_by_fy", "budget_by_fy", "build_seconds", "solve_seconds", "message"}


def jcm(*args, timeout=300) -> subprocess.CompletedProcess:
    """Run ``python -m cli.main ARGS`` from the repository root."""
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CANDIDATES = """id,value,name,country,technology,mandatory,FY2026,FY2027,FY2028
hospital,40,Green hospital,VN,chiller,no,2,3,
boiler,25,Boiler upgrade,TH,boiler,no,1.5,,
solar,30,Rooftop PV,VN,solar,yes,,2,2
datacentre,35,Data centre,LA,chiller,no,,3,1
method,5,Methodology,TH,,no,0.5,,
"""
BUDGETS = "fy,budget_oku_yen\nFY2026,3\nFY2027,5\n2028,3\n"


@pytest.fixture
def sheet(tmp_path):
    return write(tmp_path / "cands.csv", CANDIDATES), write(tmp_path / "budget.csv", BUDGETS)


def random_problem(rng: np.random.Generator, mandatory: bool = False) -> PortfolioProblem:
    """A random problem with options over several start years and some rules."""
    years = list(range(2026, 2026 + int(rng.integers(3, 6))))
    cands = []
    for i in range(int(rng.integers(6, 14))):
        starts = sorted(rng.choice(years[:-1], size=int(rng.integers(1, 3)),
                                   replace=False).tolist())
        options = tuple(Option(s, {y: float(rng.uniform(0.2, 3.0)) for y in (s, s + 1)},
                               float(rng.uniform(0, 50))) for s in starts)
        cands.append(Candidate(f"c{i}", country=str(rng.choice(["VN", "TH", "LA"])),
                               options=options, mandatory=mandatory and i == 0))
    return PortfolioProblem(
        candidates=tuple(cands),
        budget_by_fy={y: float(rng.uniform(1.0, 6.0)) for y in years},
        carryover_share=float(rng.choice([0.0, 0.5])),
        rules=Rules(max_per_country=int(rng.integers(2, 5)),
                    min_projects=int(rng.integers(0, 3))),
    )


# --- directions of change -------------------------------------------------------------------

def test_more_budget_never_lowers_the_optimum():
    rng = np.random.default_rng(20260401)
    for _ in range(8):
        p = random_problem(rng)
        previous, was_feasible = -np.inf, False
        for scale in (0.25, 0.5, 1.0, 1.5, 2.5):
            scaled = dataclasses.replace(
                p, budget_by_fy={y: b * scale for y, b in p.budget_by_fy.items()})
            sol = solve(scaled, diagnose_infeasible=False)
            if sol.status == "infeasible":
                assert not was_feasible, "feasible at a smaller budget, infeasible at a larger"
                continue
            assert sol.status == "optimal", sol.message
            assert check_solution(scaled, sol.selected) == []
            assert sol.objective_value >= previous - 1e-9
            previous, was_feasible = sol.objective_value, True


def test_mandatory_candidate_is_always_chosen():
    rng = np.random.default_rng(7)
    seen = 0
    for _ in range(10):
        p = random_problem(rng, mandatory=True)
        sol = solve(p, diagnose_infeasible=False)
        if sol.status == "optimal":
            seen += 1
            assert "c0" in {cid for cid, _ in sol.selected}
        else:
            assert sol.status == "infeasible"
    assert seen


def test_frontier_through_cli_is_monotone(sheet, tmp_path):
    cands, budgets = sheet
    out = tmp_path / "frontier.json"
    proc = jcm("frontier", "--candidates", cands, "--budgets", budgets,
               "--budget-scale", "0.5:2.0:4", "--json", out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    points = data["points"]
    assert [p["scale"] for p in points] == pytest.approx([0.5, 1.0, 1.5, 2.0])
    values = [p["objective_value"] for p in points if p["status"] == "optimal"]
    assert values == sorted(values) and len(values) >= 3
    for point in points:
        assert JSON_FIELDS <= set(point)
        if point["status"] == "optimal":
            assert "solar" in {s["id"] for s in point["selected"]}  # mandatory
            assert point["budget_by_fy"]["FY2027"] == pytest.approx(5 * point["scale"])


# --- solver outcomes through the CLI ---------------------------------------------------------

def test_optimal_exit_0_and_json_contract(sheet, tmp_path):
    cands, budgets = sheet
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets, "--json", out)
    assert proc.returncode == 0, proc.stderr
    assert "OPTIMAL" in proc.stdout and "Spend vs budget" in proc.stdout
    plan = json.loads(out.read_text())
    assert JSON_FIELDS <= set(plan)
    assert plan["status"] == "optimal" and plan["objective"] == "expected"
    assert set(plan["spend_by_fy"]) == set(plan["budget_by_fy"]) == {"FY2026", "FY2027",
                                                                     "FY2028"}
    assert all(set(s) == {"id", "start_fy"} for s in plan["selected"])
    chosen = {s["id"] for s in plan["selected"]}
    assert "solar" in chosen
    assert plan["objective_value"] == pytest.approx(
        sum({"hospital": 40, "boiler": 25, "solar": 30, "datacentre": 35, "method": 5}[c]
            for c in chosen))
    for fy, spend in plan["spend_by_fy"].items():
        assert spend <= plan["budget_by_fy"][fy] + 1e-9
    assert plan["best_bound"] == pytest.approx(plan["objective_value"])
    assert plan["mip_gap"] == 0.0
    # by hand: solar is mandatory (FY2027 2, FY2028 2), leaving FY2027 3 and FY2028 1, so
    # hospital (75 with method) or datacentre + boiler + method (95)
    assert plan["objective_value"] == 95.0
    assert chosen == {"solar", "datacentre", "boiler", "method"}


def test_min_cost_objective_through_cli(sheet, tmp_path):
    cands, budgets = sheet
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets,
               "--objective", "min_cost", "--target", "60", "--json", out)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text())
    # cheapest way to reach 60 with solar (30, cost 4) forced: + boiler (25, 1.5) + method (5,
    # 0.5) = 60 for 6.0 億円
    assert plan["objective_value"] == pytest.approx(6.0)
    assert {s["id"] for s in plan["selected"]} == {"solar", "boiler", "method"}


def test_weighted_objective_through_cli(sheet, tmp_path):
    cands, budgets = sheet
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets,
               "--objective", "weighted", "--weights", "expected=2,cvar=0", "--json", out)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text())
    assert plan["objective_value"] == pytest.approx(190.0)
    assert plan["objective_params"]["weights"] == {"expected": 2.0, "cvar": 0.0}


def test_infeasible_budget_exit_4_names_the_families(sheet, tmp_path):
    cands, budgets = sheet
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets,
               "--min-projects", "5", "--json", out)
    assert proc.returncode == 4, proc.stderr
    plan = json.loads(out.read_text())
    assert plan["status"] == "infeasible" and plan["selected"] == []
    text = " ".join(plan["diagnosis"])
    assert "FY2026 budget short by" in text and "億円" in text
    assert "5-project minimum" in text
    assert "minimum of 5 projects short by" in text
    assert "INFEASIBLE" in proc.stdout


def test_infeasible_rule_conflict_names_the_rule(sheet, tmp_path):
    cands, _ = sheet
    budgets = write(tmp_path / "big.csv", "fy,budget_oku_yen\n2026,50\n2027,50\n2028,50\n")
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets,
               "--min-projects", "5", "--max-per-country", "1")
    assert proc.returncode == 4
    assert "Even with unlimited money" in proc.stdout
    assert "minimum of 5 projects short by" in proc.stdout or "per country" in proc.stdout


@pytest.mark.skipif(not (ORLIB / "mknapcb1.txt").is_file(), reason="OR-Library data absent")
def test_time_limit_exit_3_reports_incumbent_bound_and_gap(tmp_path):
    hard = read_mknap1(ORLIB / "mknapcb1.txt", prefix="5.100-")[3]  # 5.100-03: ~30 s
    cands, budgets = write_spreadsheet(hard, tmp_path)
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets,
               "--time-limit", "0.5", "--json", out)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    plan = json.loads(out.read_text())
    assert plan["status"] == "time_limit"
    assert plan["selected"], "HiGHS finds an incumbent for this instance within 0.5 s"
    assert plan["mip_gap"] > 0
    assert plan["best_bound"] > plan["objective_value"]
    assert "NOT proven optimal" in plan["message"]
    assert "OPTIMAL (proven)" not in proc.stdout and "TIME LIMIT" in proc.stdout
    assert plan["objective_value"] <= 23534  # the proven optimum


def test_solver_error_exit_5(sheet, tmp_path, monkeypatch, capsys):
    cands, budgets = sheet
    monkeypatch.setattr(solve_module, "run_highs",
                        lambda *a, **k: RunResult(termination="error", message="HiGHS broke"))
    out = tmp_path / "plan.json"
    code = jcm_main(["optimize", "--candidates", str(cands), "--budgets", str(budgets),
                     "--json", str(out)])
    assert code == 5
    plan = json.loads(out.read_text())
    assert plan["status"] == "error" and "HiGHS broke" in plan["message"]
    assert "SOLVER ERROR" in capsys.readouterr().out


def test_runner_reports_solver_exceptions_as_error():
    p = PortfolioProblem((Candidate("a", options=(Option(2026, {2026: 1.0}, 1.0),)),),
                         {2026: 1.0})
    m = build_model(p)
    run = run_highs(m, {"x": list(m.x.values())}, 5.0, options={"time_limit": object()})
    assert run.termination == "error" and not run.has_solution
    assert "TypeError" in run.message


@pytest.mark.skipif(not (ORLIB / "mknapcb1.txt").is_file(), reason="OR-Library data absent")
def test_guard_stops_a_solver_that_ignores_its_time_limit(tmp_path, monkeypatch):
    from optimize.spreadsheet import load_problem

    hard = read_mknap1(ORLIB / "mknapcb1.txt", prefix="5.100-")[3]
    problem = load_problem(*write_spreadsheet(hard, tmp_path))
    m = build_model(problem)
    # HiGHS is told 60 s behind the guard's back; the guard allows 0.3 + 0.5 s
    run = run_highs(m, {"x": list(m.x.values())}, 0.3, options={"time_limit": 60.0},
                    margin_s=0.5)
    assert run.termination == "killed"
    assert run.solve_seconds < 10
    assert "did not stop" in run.message
    # and solve() turns that into an honest time_limit without a portfolio
    monkeypatch.setattr(solve_module, "run_highs", lambda *a, **k: run)
    sol = solve(problem, time_limit_s=0.3)
    assert sol.status == "time_limit" and sol.selected == [] and sol.objective_value is None
    assert "before any feasible portfolio" in sol.message


def test_thread_runner_matches_process_runner():
    """The fallback runner (no fork), run in a fresh interpreter to keep forks clean here."""
    code = (
        "from optimize.problem import *; from optimize.model import build_model;"
        "from optimize.runner import run_highs;"
        "p=PortfolioProblem(tuple(Candidate(f'c{i}',options=(Option(2026,{2026:1.0+i},"
        "10.0-i),)) for i in range(5)),{2026:4.0});"
        "m=build_model(p);r=run_highs(m,{'x':list(m.x.values())},10,use_process=False);"
        "print(r.termination, r.incumbent, [round(v) for v in r.values['x']])"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:2] == ["optimal", "19.0"]  # c0 + c1: cost 3, value 19


def test_unreferenced_candidate_is_read_back():
    """A forbidden single-option candidate sits in no budget row; it must not crash."""
    z = np.zeros(3)
    p = PortfolioProblem(
        (Candidate("c0", options=(Option(2026, {2026: 0.0}, 0.0, z),), forbidden=True),
         Candidate("c1", options=(Option(2026, {2026: 1.0}, 2.0, z + 1),))),
        {2026: 1.0, 2027: 0.0}, fixed_value_scenarios=z)
    for objective, params in (("expected", {}), ("cvar", {"alpha": 0.0}),
                              ("prob_target", {"target": 1.0})):
        sol = solve(p, objective, **params)
        assert sol.status == "optimal", sol.message
        assert sol.selected == [("c1", 2026)]


# --- bad inputs: exit 2, message names file, field and rule, no traceback --------------------

HEADER = "id,value,country,FY2026,FY2027"
GOOD_BUDGET = "fy,budget_oku_yen\n2026,5\n2027,5\n"
#: name -> (candidates text or None, budgets text or None, extra args, words in the message)
BAD_CASES = {
    "missing column": ("id,FY2026\na,1\n", None, [], ["cands.csv", "column value",
                                                         "required column"]),
    "unknown column": (HEADER + ",colour\na,1,VN,1,1,red\n", None, [],
                       ["cands.csv", "column colour", "unknown column"]),
    "text in number": (HEADER + "\na,1,VN,1,1\nb,2,VN,abc,1\n", None, [],
                       ["cands.csv", "row 3, column FY2026", "expected a number"]),
    "nan": (HEADER + "\na,nan,VN,1,1\n", None, [], ["row 2, column value", "finite"]),
    "inf": (HEADER + "\na,1,VN,inf,1\n", None, [], ["row 2, column FY2026", "finite"]),
    "negative cost": (HEADER + "\na,1,VN,-1,1\n", None, [],
                      ["row 2, column FY2026", "must not be negative"]),
    "negative budget": (None, "fy,budget_oku_yen\n2026,-5\n2027,5\n", [],
                        ["budget.csv", "row 2, column budget_oku_yen", "must not be negative"]),
    "duplicate id": (HEADER + "\na,1,VN,1,1\na,2,TH,1,1\n", None, [],
                     ["row 3, column id", "duplicate id"]),
    "empty id": (HEADER + "\n,1,VN,1,1\n", None, [], ["row 2, column id", "empty"]),
    "cost without budget": ("id,value,FY2026,FY2028\na,1,1,2\n",
                            "fy,budget_oku_yen\n2026,5\n2027,5\n", [],
                            ["cands.csv", "row 2, column FY2028", "no row in"]),
    "duplicate fy": (None, "fy,budget_oku_yen\n2026,5\nFY2026,5\n", [],
                     ["budget.csv", "row 3, column fy", "appears twice"]),
    "bad fy": (None, "fy,budget_oku_yen\nnext year,5\n", [],
               ["budget.csv", "row 2, column fy", "fiscal year"]),
    "gap in years": (None, "fy,budget_oku_yen\n2026,5\n2028,5\n", [],
                     ["budget.csv", "column fy", "consecutive"]),
    "empty table": (HEADER + "\n", None, [], ["cands.csv", "no candidate rows"]),
    "empty file": ("", None, [], ["cands.csv", "empty"]),
    "bad mandatory": ("id,value,mandatory,FY2026\na,1,maybe,1\n", None, [],
                      ["row 2, column mandatory", "true/false"]),
    "no cost column": ("id,value\na,1\n", None, [], ["cands.csv", "FY2027"]),
    "missing file": (None, None, ["--candidates", "nowhere.csv"],
                     ["nowhere.csv", "file not found"]),
    "scenario and tables together": (None, None, ["my_scenario.toml"],
                                     ["--candidates", "not both"]),
    "no budgets flag": (None, None, ["--budgets", ""], ["--budgets", "required"]),
    "bad time limit": (None, None, ["--time-limit", "0"], ["--time-limit", "positive"]),
    "cvar without scenarios": (None, None, ["--objective", "cvar"],
                               ["--objective", "needs value scenarios"]),
    "min_cost without target": (None, None, ["--objective", "min_cost"],
                                ["--objective", "needs a target"]),
    "bad weights": (None, None, ["--objective", "weighted", "--weights", "cvar"],
                    ["--weights", "expected=1,cvar=0.5"]),
    "unsupported extension": (None, None, ["--candidates", "cands.txt"],
                              ["cands.txt", "unsupported file type"]),
}


def _bad_case_args(name: str, tmp_path: Path) -> list[str]:
    cands_text, budget_text, extra, _ = BAD_CASES[name]
    cands = write(tmp_path / "cands.csv", cands_text if cands_text is not None
                  else HEADER + "\na,1,VN,1,1\n")
    budgets = write(tmp_path / "budget.csv", budget_text if budget_text is not None
                    else GOOD_BUDGET)
    write(tmp_path / "cands.txt", "id,value\n")
    args = ["optimize", "--candidates", str(cands), "--budgets", str(budgets)]
    extra = [str(tmp_path / e) if e.endswith((".csv", ".txt", ".toml")) else e for e in extra]
    if extra and extra[0].endswith(".toml"):
        return [args[0], extra[0], *args[1:]]
    for flag in ("--candidates", "--budgets"):
        if flag in extra:
            i = extra.index(flag)
            args[args.index(flag) + 1] = extra[i + 1]
            extra = extra[:i] + extra[i + 2:]
    return args + extra


@pytest.mark.parametrize("name", list(BAD_CASES))
def test_bad_input_in_process(name, tmp_path, capsys):
    code = jcm_main(_bad_case_args(name, tmp_path))
    err = capsys.readouterr().err
    assert code == 2, err
    for word in BAD_CASES[name][3]:
        assert word in err, (word, err)


def test_bad_inputs_as_real_processes(tmp_path):
    """Every bad input again as a real ``jcm`` process (in parallel): exit 2, no traceback."""
    def one(name):
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        return name, jcm(*_bad_case_args(name, folder))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, BAD_CASES))
    for name, proc in results:
        assert proc.returncode == 2, (name, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr, name
        for word in BAD_CASES[name][3]:
            assert word in proc.stderr, (name, word, proc.stderr)


def test_bad_budget_scale_exit_2(sheet, capsys):
    cands, budgets = sheet
    proc = jcm("frontier", "--candidates", cands, "--budgets", budgets, "--budget-scale", "1:2")
    assert proc.returncode == 2 and "--budget-scale" in proc.stderr
    assert "Traceback" not in proc.stderr
    for scale in ("a:b:3", "1:2:0", "-1:2:3", "1:2:1000", "1:inf:3"):
        code = jcm_main(["frontier", "--candidates", str(cands), "--budgets", str(budgets),
                         f"--budget-scale={scale}"])
        assert code == 2, scale
        assert "START:STOP:COUNT" in capsys.readouterr().err


# --- Excel workbooks -------------------------------------------------------------------------

def _workbook(path: Path, rows: list[list]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_candidates_and_budgets(tmp_path):
    cands = _workbook(tmp_path / "c.xlsx", [
        ["id", "value", "mandatory", "FY2026", "FY2027"],
        ["a", 10, True, 1, None],
        ["b", 8, "no", 2, 1.5],
        [3, 7, 0, None, 2],
    ])
    budgets = _workbook(tmp_path / "b.xlsx", [["fy", "budget_oku_yen"], ["FY2026", 3],
                                              [2027, 2]])
    out = tmp_path / "plan.json"
    proc = jcm("optimize", "--candidates", cands, "--budgets", budgets, "--json", out)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text())
    # a + b uses FY2026 fully (1 + 2) and 1.5 of FY2027's 2; "3" (FY2027 2) fits with neither b
    assert {s["id"] for s in plan["selected"]} == {"a", "b"}
    assert plan["objective_value"] == 18
    assert [c["id"] for c in plan["selected"]] == ["a", "b"]


def test_invalid_workbook_and_too_many_cells(tmp_path, capsys):
    budgets = write(tmp_path / "b.csv", GOOD_BUDGET)
    fake = write(tmp_path / "fake.xlsx", "this is not a zip file")
    assert jcm_main(["optimize", "--candidates", str(fake), "--budgets", str(budgets)]) == 2
    assert "not a valid Excel workbook" in capsys.readouterr().err
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["id", "value", "FY2026"] + [f"FY{2027 + k}" for k in range(97)])
    for i in range(1100):
        ws.append([f"c{i}", 1] + [0] * 98)
    wb.save(tmp_path / "huge.xlsx")
    proc = jcm("optimize", "--candidates", tmp_path / "huge.xlsx", "--budgets", budgets)
    assert proc.returncode == 2 and "too large" in proc.stderr
    assert "Traceback" not in proc.stderr
    huge_csv = tmp_path / "huge.csv"
    huge_csv.write_text("id,value,FY2026\n" + "".join(f"c{i},1,0\n" for i in range(40000)))
    assert jcm_main(["optimize", "--candidates", str(huge_csv), "--budgets", str(budgets)]) == 2
    assert "too large" in capsys.readouterr().err


# --- problem validation ---------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    (dict(budget_by_fy={2026: 1.0, 2028: 1.0}), "consecutive"),
    (dict(budget_by_fy={2027: 1.0}), "no budget"),
    (dict(budget_by_fy={2026: -1.0}), "negative"),
    (dict(carryover_share=1.5), "carryover_share"),
    (dict(fixed_value_scenarios=np.zeros(4)), "differ in length"),
    (dict(committed_by_fy={2030: 1.0}), "no budget"),
])
def test_problem_rejects_inconsistent_data(kwargs, words):
    cand = Candidate("a", options=(Option(2026, {2026: 1.0}, 1.0, np.zeros(3)),))
    base = dict(candidates=(cand,), budget_by_fy={2026: 1.0})
    with pytest.raises(ValueError, match=words):
        PortfolioProblem(**{**base, **kwargs})


def test_candidate_and_rules_validation():
    opt = Option(2026, {2026: 1.0}, 1.0)
    with pytest.raises(ValueError, match="both mandatory and forbidden"):
        Candidate("a", options=(opt,), mandatory=True, forbidden=True)
    with pytest.raises(ValueError, match="same start year"):
        Candidate("a", options=(opt, opt))
    with pytest.raises(ValueError, match="no funding option"):
        Candidate("a")
    with pytest.raises(ValueError, match="negative"):
        Option(2026, {2026: -1.0}, 1.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Rules(max_share_per_country=1.2)
    with pytest.raises(ValueError, match="unknown candidate"):
        PortfolioProblem((Candidate("a", options=(opt,), requires=("zz",)),), {2026: 1.0})
    with pytest.raises(ValueError, match="duplicate"):
        PortfolioProblem((Candidate("a", options=(opt,)), Candidate("a", options=(opt,))),
                         {2026: 1.0})
    p = PortfolioProblem((Candidate("a", options=(opt,)),), {2026: 1.0})
    with pytest.raises(ValueError, match="unknown objective"):
        solve(p, "maximum_joy")
    with pytest.raises(ValueError, match="needs value scenarios"):
        solve(p, "cvar")


def test_diagnosis_names_staff_and_screen_conflicts():
    opt = Option(2026, {2026: 1.0}, 1.0, running_fys=(2026,))
    cands = tuple(Candidate(f"c{i}", options=(opt,)) for i in range(3))
    p = PortfolioProblem(cands, {2026: 10.0}, rules=Rules(min_projects=3, staff_limit=2))
    sol = solve(p)
    assert sol.status == "infeasible"
    assert "staff limit of 2" in sol.message or "minimum of 3 projects short by 1" in sol.message
    screened = (Candidate("m", options=(opt,), mandatory=True, passes_screen=False),)
    p = PortfolioProblem(screened, {2026: 10.0}, rules=Rules(screen_only=True))
    sol = solve(p)
    assert sol.status == "infeasible"
    assert "mandatory candidate m cannot be funded (it fails the proposal screen)" in sol.message
