"""Shared fixtures: the repository root, running ``jcm`` as a subprocess, scenario files in tmp.

Also the table of bad scenario inputs (:data:`BAD_CASES`): any test that takes a ``bad_case``
argument runs once per case (see :func:`pytest_generate_tests`), so the in-process loader tests
and the ``jcm validate`` subprocess tests check exactly the same inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BASELINE = REPO_ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Absolute path of the repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def baseline_path() -> Path:
    """Absolute path of ``scenarios/baseline.toml``."""
    return BASELINE


def run_jcm(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cli.main ARGS`` with the repository root as working directory."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_cli("validate", path)`` runs the CLI as a subprocess; returns CompletedProcess."""
    return run_jcm


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """``write_scenario(body, name="s.toml")``: a file extending the real baseline plus ``body``.

    ``{baseline}`` in ``body`` is replaced by the baseline's absolute path.
    """

    def write(body: str, name: str = "s.toml", extends_baseline: bool = True) -> Path:
        head = f'extends = "{BASELINE.as_posix()}"\n' if extends_baseline else ""
        path = tmp_path / name
        path.write_text(head + body.replace("{baseline}", BASELINE.as_posix()), encoding="utf-8")
        return path

    return write


# --------------------------------------------------------------------------------------------
# bad inputs: each must give exactly one message naming the file, the field path and the rule
# --------------------------------------------------------------------------------------------
EXTENDS = 'extends = "{baseline}"\n'
CSV_HEADER = "id,name,country,technology,kind,status,earliest_start_fy,expected_t_per_yr\n"


@dataclass(frozen=True)
class BadCase:
    """A bad scenario: the files to write, and the one problem it must report.

    ``field`` must equal the problem's field path exactly, unless it ends in ``*`` (then the
    field must start with the text before the star). ``rule`` must occur in the message.
    ``file`` is the name of the file the message must name. ``main`` is the file validated.
    """

    id: str
    files: dict[str, str | bytes]
    file: str
    field: str
    rule: str
    main: str = "bad.toml"
    extra_rules: tuple[str, ...] = field(default=())

    def write(self, directory: Path) -> Path:
        """Write the files into ``directory``; return the path of the file to validate."""
        for name, content in self.files.items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content.replace("{baseline}", BASELINE.as_posix()), "utf-8")
        return directory / self.main

    def field_matches(self, actual: str) -> bool:
        if self.field.endswith("*"):
            return actual.startswith(self.field[:-1])
        return actual == self.field


def _bad(id: str, body: str, field: str, rule: str, **kw) -> BadCase:
    """A bad.toml = ``extends`` the real baseline plus ``body``."""
    return BadCase(id, {"bad.toml": EXTENDS + body}, kw.pop("file", "bad.toml"), field, rule, **kw)


SF = "[projects.id-smart-factory]\n"  # a candidate demonstration in the baseline
SF_ = "projects.id-smart-factory."

BAD_CASES: list[BadCase] = [
    _bad("unknown-top-level-key", "bogus = 1\n", "bogus", "unknown key 'bogus'"),
    _bad("unknown-top-level-key-hint", "budgets = {}\n", "budgets", "did you mean 'budget'?"),
    _bad("unknown-project-field", SF + "expected_t_per_y = 5\n", SF_ + "expected_t_per_y",
         "did you mean 'expected_t_per_yr'?"),
    _bad("unknown-country-field", "[countries.Kenya]\njc_interval = 3\n",
         "countries.Kenya.jc_interval", "did you mean 'jc_interval_months'?"),
    _bad("unknown-assumption", '[assumptions]\nstaf_limit = {value = 3, source = "x"}\n',
         "assumptions.staf_limit", "did you mean 'staff_limit'?"),
    _bad("wrong-type-string-for-int", SF + 'earliest_start_fy = "soon"\n',
         SF_ + "earliest_start_fy", "valid integer"),
    _bad("wrong-type-bool-for-int", '[assumptions]\nstaff_limit = {value = true, source = "x"}\n',
         "assumptions.staff_limit", "must be a number, not true"),
    _bad("wrong-type-bool-for-distribution", SF + "main_cost_oku_yen = false\n",
         SF_ + "main_cost_oku_yen", "must be a number or a distribution, not false"),
    _bad("wrong-type-bool-for-text", SF + "technology = true\n", SF_ + "technology",
         "must be text, not true"),
    _bad("wrong-type-bool-for-optional-distribution",
         "[countries.Kenya]\njc_interval_months = true\n", "countries.Kenya.jc_interval_months",
         "must be a number or a distribution, not true"),
    _bad("wrong-type-not-a-table", "budget = 5\n", "budget", "must be a table"),
    _bad("nan", SF + "expected_t_per_yr = nan\n", SF_ + "expected_t_per_yr", "must be finite"),
    _bad("inf", SF + "main_cost_oku_yen = inf\n", SF_ + "main_cost_oku_yen", "must be finite"),
    _bad("inf-in-targets", "[targets]\ndissemination_rate = inf\n",
         "targets.dissemination_rate", "finite number"),
    _bad("nan-in-distribution", SF + 'market_size = "triangular(1, nan, 3)"\n',
         SF_ + "market_size", "parameter 'mode' must be finite"),
    _bad("nan-budget", "[budget]\nFY2027 = nan\n", "budget.FY2027", "must be finite"),
    _bad("negative-money", SF + "main_cost_oku_yen = -1\n", SF_ + "main_cost_oku_yen",
         "must never be negative, got -1"),
    _bad("negative-budget", '[budget]\nFY2027 = {value = -1, source = "x"}\n', "budget.FY2027",
         "must never be negative"),
    _bad("negative-duration", SF + "main_months = -3\n", SF_ + "main_months",
         "must never be negative, got -3"),
    _bad("cost-distribution-can-go-negative", SF + 'main_cost_oku_yen = "normal(1, 2)"\n',
         SF_ + "main_cost_oku_yen", "must never be negative, but normal(1, 2) can take values"),
    _bad("probability-above-one", SF + "main_success_prob = 1.2\n", SF_ + "main_success_prob",
         "must be a probability in [0, 1]"),
    _bad("probability-below-zero", SF + "issuance_prob = -0.1\n", SF_ + "issuance_prob",
         "must be a probability in [0, 1]"),
    _bad("probability-distribution-leaves-0-1", SF + 'issuance_prob = "uniform(0.5, 1.5)"\n',
         SF_ + "issuance_prob", "uniform(0.5, 1.5) can take values in [0.5, 1.5]"),
    BadCase(
        "duplicate-id-toml-and-csv",
        {"bad.toml": EXTENDS + 'candidates_files = ["dup.csv"]\n',
         "dup.csv": CSV_HEADER + "id-smart-factory,Copy,Kenya,solar,demonstration,candidate,"
                                 "2026,3000\n"},
        "dup.csv", "row 2 (id id-smart-factory), column id",
        "duplicate project id 'id-smart-factory' (also in baseline.toml",
    ),
    BadCase(
        "duplicate-id-within-csv",
        {"bad.toml": EXTENDS + 'candidates_files = ["dup.csv"]\n',
         "dup.csv": CSV_HEADER + "new-a,A,Kenya,solar,demonstration,candidate,2026,3000\n"
                                 "new-a,B,Kenya,solar,demonstration,candidate,2027,3000\n"},
        "dup.csv", "row 3 (id new-a), column id", "duplicate project id 'new-a' (also in dup.csv",
    ),
    BadCase(
        "bad-value-in-csv-after-blank-line",
        {"bad.toml": EXTENDS + 'candidates_files = ["c.csv"]\n',
         "c.csv": CSV_HEADER + ",,,,,,,\nnew-a,A,Kenya,solar,demonstration,candidate,2026,-5\n"},
        "c.csv", "row 3 (id new-a), column expected_t_per_yr", "must never be negative",
    ),
    BadCase(
        "csv-row-with-more-cells-than-headers",
        {"bad.toml": EXTENDS + 'candidates_files = ["c.csv"]\n',
         "c.csv": CSV_HEADER + "new-a,A,Kenya,solar,demonstration,candidate,2026,1,2\n"},
        "c.csv", "row 2, column 9", "a value in a column that has no header",
    ),
    BadCase(
        "csv-row-without-id",
        {"bad.toml": EXTENDS + 'candidates_files = ["c.csv"]\n',
         "c.csv": CSV_HEADER + ",A,Kenya,solar,demonstration,candidate,2026,100\n"},
        "c.csv", "row 2, column id", "required field is missing",
    ),
    _bad("unknown-country", SF + 'country = "Atlantis"\n', SF_ + "country",
         "unknown country 'Atlantis'"),
    _bad("unknown-country-hint", SF + 'country = "Vietnam"\n', SF_ + "country",
         "did you mean 'Viet Nam'?"),
    _bad("unknown-kind", SF + 'kind = "research"\n', SF_ + "kind", "unknown kind 'research'"),
    _bad("unknown-kind-hint", SF + 'kind = "demonstraton"\n', SF_ + "kind",
         "did you mean 'demonstration'?"),
    _bad("unknown-defaults-kind", '[defaults.demo]\nmain_months = 3\n', "defaults.demo",
         "unknown kind 'demo'"),
    _bad("start-year-after-program", SF + "earliest_start_fy = 2030\n",
         SF_ + "earliest_start_fy", "FY2030 is outside the years a candidate can start "
         "(FY2026–FY2027)"),
    _bad("start-year-in-the-past", SF + "earliest_start_fy = 2024\n",
         SF_ + "earliest_start_fy", "FY2024 is outside the years a candidate can start"),
    _bad("latest-start-year-outside", SF + "latest_start_fy = 2028\n",
         SF_ + "latest_start_fy", "FY2028 is outside the years a candidate can start"),
    BadCase("extends-loop", {"a.toml": 'extends = "b.toml"\n', "b.toml": 'extends = "a.toml"\n'},
            "b.toml", "extends", "extends loop: a.toml → b.toml → a.toml", main="a.toml"),
    BadCase("extends-itself", {"bad.toml": 'extends = "bad.toml"\n'}, "bad.toml", "extends",
            "extends loop"),
    BadCase("extends-missing-target", {"bad.toml": 'extends = "nope.toml"\nname = "x"\n'},
            "bad.toml", "extends", "base scenario 'nope.toml' not found"),
    _bad("missing-csv-candidates-file", 'candidates_files = ["nofile.csv"]\n',
         "candidates_files[0]", "candidate table 'nofile.csv' not found"),
    _bad("candidates-file-wrong-type", 'candidates_files = "c.csv"\n', "candidates_files",
         "must be a list of file paths"),
    _bad("malformed-toml", "[budget\nFY2027 = 3\n", "", "not valid TOML",
         extra_rules=("line 2",)),
    _bad("budget-key-not-a-fiscal-year", "[budget]\nnext_year = 5\n", "budget.next_year",
         "keys must be fiscal years like FY2027"),
    _bad("budget-year-outside-horizon", "[budget]\nFY2050 = 5\n", "budget.FY2050",
         "FY2050 lies outside FY2018–FY2040"),
    _bad("sourced-value-without-source", "[budget]\nFY2027 = { value = 5 }\n",
         "budget.FY2027.source", "needs a source"),
    _bad("sourced-value-with-empty-source", SF + 'market_size = { value = 5, source = " " }\n',
         SF_ + "market_size.source", "needs a source"),
    _bad("sourced-value-with-extra-key", '[budget]\nFY2027 = { value = 5, sorce = "x" }\n',
         "budget.FY2027", "unknown key(s) ['sorce']"),
    BadCase(
        "excel-file-not-a-workbook",
        {"bad.toml": EXTENDS + 'candidates_files = ["table.xlsx"]\n',
         "table.xlsx": b"id,name\nnot,a workbook\n"},
        "table.xlsx", "", "not a valid Excel workbook",
    ),
    BadCase(
        "candidate-table-wrong-extension",
        {"bad.toml": EXTENDS + 'candidates_files = ["c.txt"]\n', "c.txt": "id\nx\n"},
        "c.txt", "", "candidate tables must be .csv or .xlsx files",
    ),
    _bad("bad-default-reported-once",
         '[defaults.demonstration]\nmain_cost_oku_yen = {value = -2, source = "x"}\n',
         "defaults.demonstration.main_cost_oku_yen (used by *", "must never be negative"),
    BadCase(
        "bad-value-in-base-file-names-the-base",
        {"base.toml": EXTENDS + SF + "main_months = -1\n",
         "bad.toml": 'extends = "base.toml"\nname = "child"\n'},
        "base.toml", SF_ + "main_months", "must never be negative",
    ),
    BadCase("extends-a-directory", {"bad.toml": 'extends = "sub"\n', "sub/notes.txt": "x"},
            "sub", "", "not a file (a directory?)"),
    BadCase(
        "candidates-file-is-a-directory",
        {"bad.toml": EXTENDS + 'candidates_files = ["t.csv"]\n', "t.csv/notes.txt": "x"},
        "t.csv", "", "not a file (a directory?)",
    ),
    BadCase(
        "bad-value-in-root-file-names-the-root",
        {"root.toml": BASELINE.read_text(encoding="utf-8")
         + '\n[projects.zz-new]\nname = "x"\ncountry = "Atlantis"\ntechnology = "t"\n'
           'kind = "methodology"\nstatus = "candidate"\nearliest_start_fy = 2026\n',
         "bad.toml": 'extends = "root.toml"\n[projects.mn-chp]\nexpected_t_per_yr = 1\n'},
        "root.toml", "projects.zz-new.country", "unknown country 'Atlantis'",
    ),
    _bad("project-id-differs-from-table-name", SF + 'id = "mx-waste-heat"\n', SF_ + "id",
         "the table name is the project's id"),
    _bad("exclude-unknown-project", 'exclude_projects = ["nope"]\n', "exclude_projects",
         "no project with id 'nope' to exclude"),
    _bad("horizon-before-2040", "[program]\nhorizon_fy = 2035\n", "program",
         "horizon_fy must be 2040 or later"),
    _bad("capacity-below-one", '[assumptions]\ntpe_capacity = {value = 0, source = "x"}\n',
         "assumptions.tpe_capacity", "greater than or equal to 1"),
    _bad("jc-interval-zero", '[assumptions]\njc_interval_months = {value = 0, source = "x"}\n',
         "assumptions.jc_interval_months", "must be positive"),
    _bad("bad-distribution-text", SF + 'market_size = "triangle(1, 2, 3)"\n', SF_ + "market_size",
         "unknown distribution 'triangle'"),
    _bad("candidate-with-stage", SF + 'stage = "main"\n', "projects.id-smart-factory",
         "a candidate has no stage or started_fy"),
]


#: The kinds of bad input the planners named; these also run through a real ``jcm`` process
#: (all cases run through ``cli.main.main`` in-process, which is the same code minus the
#: interpreter start-up of about 0.5 s per run).
SUBPROCESS_CASES = {
    "unknown-top-level-key", "unknown-project-field", "wrong-type-string-for-int", "nan", "inf",
    "negative-money", "negative-duration", "cost-distribution-can-go-negative",
    "probability-above-one", "probability-distribution-leaves-0-1", "duplicate-id-toml-and-csv",
    "duplicate-id-within-csv", "unknown-country", "unknown-kind", "start-year-after-program",
    "extends-loop", "extends-missing-target", "missing-csv-candidates-file", "malformed-toml",
    "budget-key-not-a-fiscal-year", "sourced-value-without-source", "excel-file-not-a-workbook",
}

LISTED_BAD_CASES = [c for c in BAD_CASES if c.id in SUBPROCESS_CASES]
# the table itself: unique ids, and every listed id names a case (fails collection otherwise)
assert len({c.id for c in BAD_CASES}) == len(BAD_CASES), "two BadCase entries share an id"
assert len(LISTED_BAD_CASES) == len(SUBPROCESS_CASES), "SUBPROCESS_CASES names a missing case"


@pytest.fixture(scope="session")
def listed_bad_cases() -> list[BadCase]:
    """The cases of :data:`SUBPROCESS_CASES` (for tests that handle them together)."""
    return LISTED_BAD_CASES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test taking ``bad_case`` once per :data:`BAD_CASES` entry, and one taking
    ``listed_bad_case`` once per :data:`SUBPROCESS_CASES` entry."""
    if "bad_case" in metafunc.fixturenames:
        metafunc.parametrize("bad_case", BAD_CASES, ids=[c.id for c in BAD_CASES])
    if "listed_bad_case" in metafunc.fixturenames:
        metafunc.parametrize("listed_bad_case", LISTED_BAD_CASES,
                             ids=[c.id for c in LISTED_BAD_CASES])


@pytest.fixture(scope="session")
def shipped_scenarios():
    """Every shipped scenario (scenarios/*.toml and scenarios/examples/*.toml), loaded."""
    from sim.loader import load_scenario

    root = Path(__file__).resolve().parent.parent / "scenarios"
    files = sorted(root.glob("*.toml")) + sorted((root / "examples").glob("*.toml"))
    return [load_scenario(f) for f in files]
