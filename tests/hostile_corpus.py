"""The hostile-input corpus: generated malformed and extreme inputs, each with its outcome.

Every :class:`Case` is a set of files written to a temporary folder, a ``jcm`` command line
and the expected outcome: refused (exit status 2, every ``expect`` text in the messages,
never a traceback) or accepted (exit status 0, then ``check`` verifies the value read). The
same files go through the app's upload loader where that makes sense (``app``).

:func:`guard` bounds the time and address space of one case, so a regression fails instead
of hanging the suite or exhausting the machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sim import limits

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.toml"
CAND = "mx-waste-heat"  # a demonstration candidate of the baseline
DONE = "vn-bems-2019"  # a finished project of the baseline


class GuardTimeout(Exception):
    """Raised inside a case that ran longer than its guard allows."""


@contextlib.contextmanager
def guard(seconds: float = 30.0, extra_mb: int = 1500) -> Iterator[None]:
    """Fail (not hang) when the body runs longer than ``seconds`` or maps more than
    ``extra_mb`` MiB beyond what the process already uses."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = used + extra_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))

    def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
        raise GuardTimeout(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@dataclass
class Case:
    """One hostile input and what must happen to it."""

    name: str
    files: dict[str, bytes | str]
    argv: list[str]
    code: int = 2
    expect: tuple[str, ...] = ()
    check: Callable[[Path], None] | None = None
    app: bool = True  # also through the app's upload loader
    max_problems: int | None = None
    symlinks: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        """Write the files (and symlinks) into ``folder``; ``{baseline}`` is the baseline."""
        for name, data in self.files.items():
            target = folder / name
            if isinstance(data, str):
                target.write_text(data.replace("{baseline}", str(BASELINE)), encoding="utf-8")
            else:
                target.write_bytes(data)
        (folder / "baseline.toml").write_bytes(BASELINE.read_bytes())
        for link, to in self.symlinks.items():
            os.symlink(to, folder / link)


def _scenario(body: str) -> str:
    return 'extends = "baseline.toml"\n' + body + "\n"


def _toml_value(v: object) -> str:
    if isinstance(v, str) and v in ("nan", "inf", "-inf"):
        return v  # bare TOML special floats
    if isinstance(v, str):
        return '"' + v[1:] + '"' if v.startswith("=") else f'"{v}"'
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _refuse(name: str, body: str, *expect: str, argv: str = "validate", **kw) -> Case:
    return Case(name, {"s.toml": _scenario(body)}, [argv, "s.toml"], 2, expect, **kw)


# --------------------------------------------------------------------------------------------
# scenario fields: every bounded number, pushed past its bound and to non-numbers
# --------------------------------------------------------------------------------------------
PROJECT_FIELDS = (
    "design_cost_oku_yen", "main_cost_oku_yen", "design_months", "build_months", "main_months",
    "methodology_months", "monitoring_period_months", "followup_years",
    "replication_lifetime_years", "expected_t_per_yr", "replication_t_per_yr", "market_size",
    "bass_p", "bass_q", "performance_ratio",
)
ASSUMPTION_FIELDS = ("validation_months", "verification_months", "jc_interval_months",
                     "tpe_capacity", "staff_limit")
TARGET_FIELDS = ("projects_implemented", "avg_credits_per_demo_fy2030_t",
                 "dissemination_reduction_per_project_t", "ndc_goal_fy2030_t",
                 "ndc_goal_fy2040_t", "screen_monitoring_credits_t",
                 "screen_disseminated_t_per_yr")
PROGRAM_FIELDS = ("first_fy", "last_fy", "as_of_fy", "horizon_fy", "midterm_evaluation_fy",
                  "final_evaluation_fy")


def field_cases() -> list[Case]:
    out = []
    for f in PROJECT_FIELDS:
        hi = limits.FIELD_MAX[f]
        bad = [hi * 10, 1e308, "nan", "inf", "-inf", "=nan", "lognormal(1, 1e200)",
               f"uniform(0, {hi * 100:g})", "lognormal(1, 1e5)"]
        for i, v in enumerate(bad):
            out.append(_refuse(f"project {f} #{i} {v}", f"[projects.{CAND}]\n{f} = "
                               f"{_toml_value(v)}", f"projects.{CAND}.{f}"))
    for f in ("issued_t", "spent_oku_yen"):
        hi = limits.FIELD_MAX[f]
        for v in (hi * 10, "nan", -1):
            out.append(_refuse(f"finished {f} {v}", f"[projects.{DONE}]\n{f} = "
                               f"{_toml_value(v)}", f"projects.{DONE}.{f}"))
    for f in ASSUMPTION_FIELDS:
        hi = limits.FIELD_MAX[f]
        for v in (hi * 10, "nan", 1e308):
            v = int(v) if f in ("tpe_capacity", "staff_limit") and v == hi * 10 else v
            out.append(_refuse(f"assumption {f} {v}", f"[assumptions]\n{f} = "
                               f"{_toml_value(v)}", f"assumptions.{f}"))
    for f in TARGET_FIELDS:
        hi = limits.FIELD_MAX[f]
        for v in (hi * 10, -1, "nan"):
            v = int(v) if f == "projects_implemented" and v != "nan" else v
            out.append(_refuse(f"target {f} {v}", f"[targets]\n{f} = {_toml_value(v)}",
                               f"targets.{f}"))
    for f in PROGRAM_FIELDS:
        for v in (-1_000_000, 1, 1999, 2101):
            out.append(_refuse(f"program {f} {v}", f"[program]\n{f} = {v}", f"program.{f}",
                               "FY"))
    for f in ("earliest_start_fy", "latest_start_fy"):
        for v in (-1, 1999, 2101, 1e308, "2027-01-01"):
            out.append(_refuse(f"candidate {f} {v}", f"[projects.{CAND}]\n{f} = "
                               f"{_toml_value(v)}", f"projects.{CAND}.{f}"))
    out.append(_refuse("candidate start as a TOML date", f"[projects.{CAND}]\n"
                       "earliest_start_fy = 2027-01-01", "earliest_start_fy", "a date"))
    out.append(_refuse("monitoring period 0", f"[projects.{CAND}]\nmonitoring_period_months = 0",
                       "monitoring_period_months", "at least 1"))
    out.append(_refuse("monitoring period 1e-9", f"[projects.{CAND}]\n"
                       "monitoring_period_months = 1e-9", "monitoring_period_months",
                       "at least 1"))
    out.append(_refuse("market 1e8 disseminating", f"[projects.{CAND}]\nmarket_size = 1e8\n"
                       "dissemination_prob = 1", "market_size", "at most 10,000",
                       argv="simulate"))
    out.append(_refuse("market 1e12", f"[projects.{CAND}]\nmarket_size = 1e12\n"
                       "dissemination_prob = 1", "market_size", argv="optimize"))
    out.append(_refuse("first_fy -1000000 simulate", "[program]\nfirst_fy = -1000000",
                       "program.first_fy", argv="simulate"))
    out.append(_refuse("lognormal overflow simulate", f"[projects.{CAND}]\n"
                       'expected_t_per_yr = "lognormal(1, 1e200)"', "expected_t_per_yr",
                       argv="simulate"))
    out.append(_refuse("expected 1e308 optimize", f"[projects.{CAND}]\nexpected_t_per_yr = 1e308",
                       "expected_t_per_yr", argv="optimize"))
    out.append(_refuse("pert lamb twice", f'[projects.{CAND}]\nmain_months = '
                       '"pert(1,2,3,lamb=1,lamb=8)"', "main_months", "given twice"))
    out.append(_refuse("normal sd negative", f'[projects.{CAND}]\nmain_months = '
                       '"normal(5, -1, low=0)"', "main_months", "sd > 0"))
    out.append(_refuse("assumptions jc interval tiny", "[assumptions]\n"
                       'jc_interval_months = "uniform(0.000001, 0.00001)"',
                       "assumptions.jc_interval_months", "at least 0.5"))
    for v in (0, -1, "uniform(0, 5)", 1e9, 0.01, "uniform(0.1, 5)"):
        out.append(_refuse(f"country jc interval {v}", "[countries.Indonesia]\n"
                           f"jc_interval_months = {_toml_value(v)}",
                           "countries.Indonesia.jc_interval_months"))
    for i, text in enumerate(('<a href="https://evil.example">login</a>', "<img src=x>",
                              "</script>", "<!-- x -->")):
        out.append(_refuse(f"HTML in a project name #{i}", f"[projects.{CAND}]\nname = "
                           f"'{text}'", f"projects.{CAND}.name", "HTML"))
    out.append(_refuse("HTML in the scenario name", "name = '<b onclick=x>n</b>'", "name",
                       "HTML"))
    out.append(_refuse("HTML in a country name", '[countries."<a href=x>Evil</a>"]\n'
                       'source = "x"', "countries.", "HTML"))
    out.append(_refuse("name too long", f"[projects.{CAND}]\nname = \"{'x' * 20_000}\"",
                       "name", "longer than"))
    return out


# --------------------------------------------------------------------------------------------
# budget keys and values
# --------------------------------------------------------------------------------------------
def budget_cases() -> list[Case]:
    out = []
    def overridden(folder: Path) -> None:
        from sim.loader import load_scenario

        s = load_scenario(folder / "s.toml")
        assert s.budget_oku_yen[2027].mean == 100.0  # the base's FY2027 replaced, not kept
        assert sum(fy == 2027 for fy in s.budget_oku_yen) == 1

    # a file that extends the baseline names FY2027 once, spelled unlike the base's key: it
    # overrides the base's year (as the same spelling does), it is not "given twice"
    for key in ("fy2027", '"2027"', '"FY²⁰²⁷"', '"ＦＹ２０２７"', '" FY2027 "', "Fy2027"):
        out.append(Case(f"budget override spelled {key}",
                        {"s.toml": _scenario(f"[budget]\n{key} = 100")},
                        ["validate", "s.toml"], 0, check=overridden))
    for key in ("fy2027", '"2027"', '"ＦＹ２０２７"'):
        out.append(_refuse(f"budget duplicate {key} within an extending file",
                           f"[budget]\nFY2027 = 5\n{key} = 100", "given twice",
                           max_problems=1))
    out.append(Case("budget duplicate within one file",
                    {"s.toml": "[program]\n[budget]\nFY2027 = 5\nfy2027 = 100\n"},
                    ["validate", "s.toml"], 2, ("given twice",), app=False))
    for key in ('"FY27"', '"FY20270"', '"FY2O27"', '"year2027"', '"FY-2027"', '"FY٢٠٢٧x"'):
        out.append(_refuse(f"budget bad key {key}", f"[budget]\n{key} = 1",
                           "fiscal years like FY2027"))
    out.append(_refuse("budget FY1999", "[budget]\nFY1999 = 1", "budget.FY1999", "outside"))
    for v in (1e308, 1e5, "nan", "inf", -1, "lognormal(5, 1e4)", "uniform(0, 1e9)"):
        out.append(_refuse(f"budget value {v}", f"[budget]\nFY2027 = {_toml_value(v)}",
                           "budget.FY2027"))

    def full_width(folder: Path) -> None:
        from sim.loader import load_scenario

        s = load_scenario(folder / "s.toml")
        assert s.budget_oku_yen[2028].mean == 3.0

    out.append(Case("budget full-width key accepted", {"s.toml": _scenario(
        '[budget]\n"ＦＹ２０２８" = 3')}, ["validate", "s.toml"], 0, check=full_width))
    return out


# --------------------------------------------------------------------------------------------
# file structure: nesting, extends, encodings
# --------------------------------------------------------------------------------------------
def _chain(n: int) -> dict[str, str]:
    files = {f"c{i}.toml": f'extends = "c{i + 1}.toml"\n' for i in range(n - 1)}
    files[f"c{n - 1}.toml"] = 'extends = "baseline.toml"\n'
    return files


def structure_cases() -> list[Case]:
    out = [
        Case("20,000-deep arrays", {"s.toml": "a = " + "[" * 20_000 + "]" * 20_000},
             ["validate", "s.toml"], 2, ("nested more than",)),
        Case("20,000-deep inline tables", {"s.toml": "a = " + "{b = " * 20_000 + "1"
                                           + "}" * 20_000}, ["validate", "s.toml"], 2,
             ("nested more than",)),
        Case("20,000-deep dotted table", {"s.toml": "[" + ".".join(["a"] * 20_000) + "]\nx=1"},
             ["validate", "s.toml"], 2, ("nested more than",)),
        Case("11-deep projects", {"s.toml": _scenario(
            f"[projects.{CAND}.name" + ".a" * 10 + "]\nx = 1")},
             ["validate", "s.toml"], 2, ("nested more than",)),
        Case("chain of 1,200 files", _chain(1200), ["validate", "c0.toml"], 2,
             ("extends", "more than 16"), app=False),
        Case("chain of 10 files accepted", _chain(10), ["validate", "c0.toml"], 0, app=False),
        Case("extends itself through a symlink", {"s.toml": 'extends = "me.toml"\n'},
             ["validate", "s.toml"], 2, ("extends loop",), app=False,
             symlinks={"me.toml": "s.toml"}),
        Case("extends a symlink loop", {"s.toml": 'extends = "loop.toml"\n'},
             ["validate", "s.toml"], 2, ("extends",), app=False,
             symlinks={"loop.toml": "loop.toml"}),
        Case("extends a name too long", {"s.toml": f'extends = "{"x" * 300}.toml"\n'},
             ["validate", "s.toml"], 2, ("extends", "too long"), app=False),
        Case("extends empty", {"s.toml": 'extends = ""\n'}, ["validate", "s.toml"], 2,
             ("extends", "is empty"), app=False),
        Case("extends a number", {"s.toml": "extends = 5\n"}, ["validate", "s.toml"], 2,
             ("extends",), app=False),
        Case("candidates file name too long", {"s.toml": _scenario(
            f'candidates_files = ["{"y" * 300}.csv"]')}, ["validate", "s.toml"], 2,
             ("candidates_files[0]",), app=False),
        Case("defaults a string", {"s.toml": _scenario('defaults = "x"')},
             ["validate", "s.toml"], 2, ("defaults", "must be a table"), max_problems=1),
        Case("defaults kind a string", {"s.toml": _scenario('[defaults]\ndemonstration = "x"')},
             ["validate", "s.toml"], 2, ("defaults.demonstration",), max_problems=1),
        Case("projects a string", {"s.toml": "[program]\nprojects = 1\n"},
             ["validate", "s.toml"], 2, ("program.projects",)),
        Case("Shift_JIS TOML", {"s.toml": _scenario('name = "基準"').encode("cp932")},
             ["validate", "s.toml"], 2, ("not a UTF-8", "Shift_JIS")),
        Case("UTF-16 TOML", {"s.toml": _scenario("").encode("utf-16")},
             ["validate", "s.toml"], 2, ("not a UTF-8", "UTF-16")),
        Case("UTF-16 TOML without a byte-order mark", {"s.toml": _scenario("").encode("utf-16-le")},
             ["validate", "s.toml"], 2, ("not a UTF-8", "UTF-16")),
        Case("binary junk", {"s.toml": bytes(range(256)) * 4}, ["validate", "s.toml"], 2,
             ("s.toml",)),
        Case("empty file", {"s.toml": ""}, ["validate", "s.toml"], 2,
             ("s.toml", "the file is empty")),
        Case("whitespace-only file", {"s.toml": " \n\t\n"}, ["validate", "s.toml"], 2,
             ("s.toml", "the file is empty")),
        Case("oversized file", {"s.toml": "# " + "x" * (limits.MAX_FILE_BYTES + 10)},
             ["validate", "s.toml"], 2, ("larger than",)),
    ]

    def bom(folder: Path) -> None:
        from sim.loader import load_scenario

        assert load_scenario(folder / "s.toml").name == "BOM scenario"

    out.append(Case("UTF-8 with BOM accepted", {"s.toml": b"\xef\xbb\xbf" + _scenario(
        'name = "BOM scenario"').encode()}, ["validate", "s.toml"], 0, check=bom))
    many = "".join(f'[projects.p{i}]\nname = "p"\ncountry = "Mexico"\ntechnology = "t"\n'
                   'kind = "demonstration"\nstatus = "candidate"\nearliest_start_fy = 2027\n'
                   "main_cost_oku_yen = 1\n\n" for i in range(limits.MAX_PROJECTS + 1))
    out.append(Case("too many projects", {"s.toml": _scenario(many)}, ["validate", "s.toml"],
                    2, ("projects", f"at most {limits.MAX_PROJECTS}")))
    return out


# --------------------------------------------------------------------------------------------
# candidate tables: CSV encodings and separators, workbooks
# --------------------------------------------------------------------------------------------
HEADER = ("id,name,country,technology,kind,status,earliest_start_fy,expected_t_per_yr,"
          "main_cost_oku_yen,main_success_prob")


def _row(pid: str, name: str = "Test", cost: str = "2", t: str = "1500", fy: str = "2027",
         prob: str = "0.9") -> str:
    return f"{pid},{name},Mexico,solar,demonstration,candidate,{fy},{t},{cost},{prob}"


def _with_table(table_name: str) -> str:
    return _scenario(f'candidates_files = ["{table_name}"]')


def _xlsx(rows: list[list], *, first_sheet_empty: bool = False, far_cell: bool = False,
          formula_cell: str | None = None, far_col: int = 1) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet_empty:
        ws.title = "Notes"
        ws = wb.create_sheet("Data")
    for r in rows:
        ws.append(r)
    if far_cell:
        ws.cell(row=1_048_576, column=far_col).font = Font(bold=True)
    if formula_cell:
        ws[formula_cell] = "=1+1"  # openpyxl saves no cached value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", b"<" + b"a" * (limits.MAX_UNPACKED_BYTES + 10))
    return buf.getvalue()


def _project(folder: Path, pid: str):
    from sim.loader import load_scenario

    return load_scenario(folder / "s.toml").project(pid)


def table_cases() -> list[Case]:
    xl_header = HEADER.split(",")
    xl_row = ["x-1", "Test", "Mexico", "solar", "demonstration", "candidate", 2027, 1500, 2, 0.9]
    out = []

    def cp932(folder: Path) -> None:
        p = _project(folder, "jp-1")
        assert p.name == "排熱回収発電" and p.main_cost_oku_yen.mean == 2.0

    text = HEADER + "\n" + _row("jp-1", name="排熱回収発電") + "\n"
    out.append(Case("CP932 CSV accepted", {"s.toml": _with_table("c.csv"),
                                           "c.csv": text.encode("cp932")},
                    ["validate", "s.toml"], 0, ("Shift_JIS",), check=cp932))
    out.append(Case("UTF-8 BOM CSV accepted", {"s.toml": _with_table("c.csv"),
                                               "c.csv": b"\xef\xbb\xbf" + text.encode()},
                    ["validate", "s.toml"], 0, check=cp932))
    for sep, label in ((";", "semicolon"), ("\t", "tab")):
        out.append(Case(f"{label}-separated CSV accepted", {
            "s.toml": _with_table("c.csv"),
            "c.csv": (text.replace(",", sep)).encode("cp932")},
            ["validate", "s.toml"], 0, (label,), check=cp932))

    def full_width(folder: Path) -> None:
        p = _project(folder, "fw-1")
        assert p.main_cost_oku_yen.mean == 6.0
        assert p.expected_t_per_yr.mean == 6.5
        assert abs(p.main_success_prob.mean - 0.9) < 1e-12
        assert p.earliest_start_fy == 2027

    fw = HEADER + "\n" + _row("fw-1", cost="6億円", t="６．５", fy="２０２７", prob="90%") + "\n"
    out.append(Case("full-width digits and units accepted", {
        "s.toml": _with_table("c.csv"), "c.csv": fw.encode("cp932")},
        ["validate", "s.toml"], 0, check=full_width))
    for cell, col in (("6万円", "main_cost_oku_yen"), ("lots", "expected_t_per_yr"),
                      ("6 months", "main_cost_oku_yen"), ("1e308", "expected_t_per_yr"),
                      ("nan", "main_cost_oku_yen")):
        bad = HEADER + "\n" + _row("b-1", cost=cell if col == "main_cost_oku_yen" else "2",
                                   t=cell if col == "expected_t_per_yr" else "1") + "\n"
        out.append(Case(f"CSV cell {cell!r}", {"s.toml": _with_table("c.csv"),
                                               "c.csv": bad.encode()},
                        ["validate", "s.toml"], 2, (f"column {col}",)))
    big = HEADER + "\n" + "\n".join(_row(f"r-{i}") for i in range(9_000)) + "\n"
    out.append(Case("9,000-row CSV", {"s.toml": _with_table("c.csv"), "c.csv": big},
                    ["validate", "s.toml"], 2, ("too large", f"{limits.MAX_TABLE_ROWS:,} rows")))
    out.append(Case("CSV neither UTF-8 nor CP932", {"s.toml": _with_table("c.csv"),
                                                    "c.csv": b"id,name\nx,\x81\x7f\n"},
                    ["validate", "s.toml"], 2, ("neither UTF-8 nor Shift_JIS",)))
    out.append(Case("UTF-16 CSV", {"s.toml": _with_table("c.csv"),
                                   "c.csv": text.encode("utf-16")},
                    ["validate", "s.toml"], 2, ("UTF-16",)))

    def xl_ok(folder: Path) -> None:
        assert _project(folder, "x-1").expected_t_per_yr.mean == 1500

    out.append(Case("workbook accepted", {"s.toml": _with_table("c.xlsx"),
                                          "c.xlsx": _xlsx([xl_header, xl_row])},
                    ["validate", "s.toml"], 0, check=xl_ok))
    out.append(Case("workbook with a formatted cell at row 1,048,576 accepted", {
        "s.toml": _with_table("c.xlsx"), "c.xlsx": _xlsx([xl_header, xl_row], far_cell=True)},
        ["validate", "s.toml"], 0, check=xl_ok))
    out.append(Case("workbook with a formatted cell at XFD1048576 accepted", {
        "s.toml": _with_table("c.xlsx"),
        "c.xlsx": _xlsx([xl_header, xl_row], far_cell=True, far_col=16_384)},
        ["validate", "s.toml"], 0, check=xl_ok))
    out.append(Case("workbook data on the second sheet", {
        "s.toml": _with_table("c.xlsx"),
        "c.xlsx": _xlsx([xl_header, xl_row], first_sheet_empty=True)},
        ["validate", "s.toml"], 2, ("first sheet", "'Data'")))
    out.append(Case("workbook formula without a saved value", {
        "s.toml": _with_table("c.xlsx"), "c.xlsx": _xlsx([xl_header, xl_row[:7] + [None, 2, 0.9]],
                                                         formula_cell="H2")},
        ["validate", "s.toml"], 2, ("row 2, column expected_t_per_yr", "formula")))
    import datetime as dt

    out.append(Case("workbook date in a year column", {
        "s.toml": _with_table("c.xlsx"),
        "c.xlsx": _xlsx([xl_header, xl_row[:6] + [dt.datetime(2027, 4, 1)] + xl_row[7:]])},
        ["validate", "s.toml"], 2, ("earliest_start_fy", "2027-04-01", "a date")))
    out.append(Case("password-protected workbook", {
        "s.toml": _with_table("c.xlsx"),
        "c.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000},
        ["validate", "s.toml"], 2, ("password-protected",)))
    out.append(Case("workbook zip bomb", {"s.toml": _with_table("c.xlsx"),
                                          "c.xlsx": _zip_bomb()},
                    ["validate", "s.toml"], 2, ("too much data",)))
    out.append(Case("workbook not a zip", {"s.toml": _with_table("c.xlsx"),
                                           "c.xlsx": b"PK\x03\x04 nothing"},
                    ["validate", "s.toml"], 2, ("not a valid Excel workbook",)))
    return out


# --------------------------------------------------------------------------------------------
# command-line flags
# --------------------------------------------------------------------------------------------
def flag_cases() -> list[Case]:
    ok = {"s.toml": _scenario("")}
    flags = [
        ("simulate", ["--seed", "-1"], "--seed"),
        ("simulate", ["--seed", str(2**64)], "--seed"),
        ("simulate", ["--trials", "0"], "--trials"),
        ("simulate", ["--trials", str(10**15)], "--trials"),
        ("simulate", ["--trials", "1e15"], "--trials"),
        ("simulate", ["--trials", "100000"], "more than 50,000,000 cells"),
        ("simulate", ["--workers", "0"], "--workers"),
        ("simulate", ["--workers", "100000"], "--workers"),
        ("optimize", ["--seed", "-1"], "--seed"),
        ("optimize", ["--objective", "cvar", "--alpha", "1.5"], "--alpha"),
        ("optimize", ["--objective", "cvar", "--alpha", "nan"], "--alpha"),
        ("optimize", ["--objective", "cvar", "--alpha", "-0.1"], "--alpha"),
        ("optimize", ["--objective", "prob_target", "--target-value", "nan"], "--target-value"),
        ("optimize", ["--objective", "prob_target", "--target-value", "inf"], "--target-value"),
        ("optimize", ["--objective", "min_cost", "--target-value", "1e21"], "--target-value"),
        ("optimize", ["--objective", "prob_target", "--target", "1e300"], "--target"),
        ("optimize", ["--objective", "weighted", "--weights", "expected=0,cvar=-1"],
         "--weights"),
        ("optimize", ["--objective", "weighted", "--weights", "expected=1e300"], "--weights"),
        ("optimize", ["--objective", "weighted", "--weights", "expected=nan"], "--weights"),
        ("optimize", ["--resim-trials", str(10**12)], "--resim-trials"),
        ("optimize", ["--scenarios", "0"], "--scenarios"),
        ("optimize", ["--scenarios", str(10**9)], "--scenarios"),
        ("optimize", ["--time-limit", "0"], "--time-limit"),
        ("optimize", ["--time-limit", "nan"], "--time-limit"),
        ("optimize", ["--time-limit", "1e9"], "--time-limit"),
        ("optimize", ["--mip-gap", "nan"], "--mip-gap"),
        ("optimize", ["--carryover-share", "nan"], "--carryover-share"),
        ("optimize", ["--max-share-per-country", "nan"], "--max-share-per-country"),
        ("optimize", ["--min-projects", str(10**12)], "--min-projects"),
        ("frontier", ["--budget-scale", "0:1e308:3"], "--budget-scale"),
        ("validate", ["--json", "/nonexistent/dir/out.json"], "does not exist"),
        ("schema", ["--output", "/nonexistent/dir/ref.md"], "does not exist"),
        ("frontier", ["--budget-scale", "0:nan:3"], "--budget-scale"),
        ("frontier", ["--budget-scale", "0:1:1000000"], "--budget-scale"),
    ]
    out = [Case(f"{cmd} {' '.join(a)}", ok, [cmd, *([] if cmd == "schema" else ["s.toml"]),
                                              *a], 2, (flag,), app=False)
           for cmd, a, flag in flags]
    out.append(Case("a device as the scenario", {}, ["validate", "/dev/zero"], 2,
                    ("not a regular file",), app=False))
    return out


# --------------------------------------------------------------------------------------------
# spreadsheet mode
# --------------------------------------------------------------------------------------------
def sheet_cases() -> list[Case]:
    budgets = "fy,budget_oku_yen\n2026,10\n2027,10\n"
    out = []
    for cell, col in (("1e308", "value"), ("nan", "value"), ("-inf", "value"),
                      ("1e13", "value"), ("abc", "value")):
        out.append(Case(f"sheet value {cell}", {"c.csv": f"id,value,FY2026\na,{cell},1\n",
                                                "b.csv": budgets},
                        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 2,
                        (f"row 2, column {col}",), app=False))
    for cell in ("1e308", "-1", "1e7", "inf"):
        out.append(Case(f"sheet cost {cell}", {"c.csv": f"id,value,FY2026\na,5,{cell}\n",
                                               "b.csv": budgets},
                        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 2,
                        ("row 2, column FY2026",), app=False))
    for cell in ("1e308", "1e7"):
        out.append(Case(f"sheet budget {cell}", {"c.csv": "id,value,FY2026\na,5,1\n",
                                                 "b.csv": f"fy,budget_oku_yen\n2026,{cell}\n"},
                        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 2,
                        ("row 2, column budget_oku_yen",), app=False))
    out.append(Case("sheet full-width value and 億円 cost", {
        "c.csv": "id,value,ＦＹ２０２６\na,\"１，２００\",6億円\n".encode("cp932"),
        "b.csv": "fy,budget_oku_yen\n2026,10\n"},
        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 0, ("a",), app=False))
    small = "id,value,FY2026\na,5,1\nb,80,1\n"
    out.append(Case("sheet min_cost target unreachable is infeasible", {
        "c.csv": small, "b.csv": budgets},
        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv", "--objective", "min_cost",
         "--target", "1e11"], 4, ("INFEASIBLE",), app=False))
    out.append(Case("sheet value at its bound is optimal with a matching bound", {
        "c.csv": "id,value,FY2026\na,1e12,1\nb,80,1\n", "b.csv": budgets},
        ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 0,
        ("OPTIMAL", "bound 1e+12"), app=False))
    out.append(Case("sheet budget year 1e308", {"c.csv": "id,value,FY2026\na,5,1\n",
                                                "b.csv": "fy,budget_oku_yen\n1e308,1\n"},
                    ["optimize", "--candidates", "c.csv", "--budgets", "b.csv"], 2,
                    ("column fy",), app=False))
    return out


def all_cases() -> list[Case]:
    """Every case of the corpus."""
    return (field_cases() + budget_cases() + structure_cases() + table_cases() + flag_cases()
            + sheet_cases())
