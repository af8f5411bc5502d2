"""Loading scenario files in-process: shipped scenarios, ``extends``, candidate tables, bad input.

The bad inputs are the table ``BAD_CASES`` in ``conftest.py``; ``test_cli_validate.py`` runs the
same table through ``jcm validate``.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from sim.distributions import Fixed, Triangular
from sim.errors import InputError
from sim.loader import load_scenario, scenario_from_dict
from sim.scenario import Kind, Scenario, Status

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((REPO / "scenarios").rglob("*.toml"))


def _problems(path: Path) -> list:
    with pytest.raises(InputError) as err:
        load_scenario(path)
    return err.value.problems


def _dump_without(s: Scenario, *, budget_years: tuple[int, ...] = ()) -> dict:
    """Everything a scenario holds except its name, path and the given budget years."""
    d = s.model_dump()
    for key in ("name", "path", "description"):
        d.pop(key)
    for fy in budget_years:
        d["budget_oku_yen"].pop(fy, None)
        d["sources"].pop(f"budget.FY{fy}", None)
    return d


# --------------------------------------------------------------------------------------------
# shipped scenarios
# --------------------------------------------------------------------------------------------
def test_the_shipped_scenarios_are_found():
    names = {p.relative_to(REPO / "scenarios").as_posix() for p in SCENARIOS}
    assert {"baseline.toml", "budget_low.toml", "budget_high.toml",
            "many_candidates.toml"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_shipped_scenario_loads(path: Path):
    s = load_scenario(path)
    assert s.name
    assert s.candidates, "a shipped scenario offers candidates to choose from"
    assert s.countries
    for p in s.projects:
        assert p.country in s.countries


def test_baseline_holds_the_document_facts():
    s = load_scenario(REPO / "scenarios" / "baseline.toml")
    assert s.name == "Baseline"
    assert (s.program.first_fy, s.program.last_fy, s.program.as_of_fy) == (2018, 2027, 2026)
    assert {fy: s.budget_oku_yen[fy].mean for fy in (2023, 2024, 2025, 2026)} == {
        2023: 1.8, 2024: 1.8, 2025: 3.9, 2026: 11.5}
    assert s.budget_oku_yen[2027] == Triangular(6, 11.5, 13)
    assert s.targets.projects_implemented == 36
    assert s.targets.ndc_goal_fy2030_t == 100e6
    assert len(s.countries) == 30
    assert "NEDO program summary" in s.sources["budget.FY2026"]
    assert s.sources["assumptions.staff_limit"].startswith("assumption")
    # a plain value's source is the file that set it
    assert s.sources["program.first_fy"] == "set in baseline.toml"
    # defaults of the project's kind fill what it does not set
    sf = s.project("id-smart-factory")
    assert sf.kind is Kind.demonstration and sf.status is Status.candidate
    assert sf.main_months == Fixed(12)
    assert sf.design_success_prob == Fixed(0.7)
    assert s.project("th-solar-storage").main_cost_oku_yen.to_text() == "pert(2, 5, 12)"
    # the per-country cadence overrides the default one
    assert s.jc_interval("Bangladesh").to_text() == "uniform(0.6, 14.8)"
    assert s.jc_interval("Kenya").to_text() == "uniform(0.6, 14.9)"


# --------------------------------------------------------------------------------------------
# extends: an override changes only what it names
# --------------------------------------------------------------------------------------------
def test_three_line_what_if_changes_only_the_fy2027_budget():
    path = REPO / "scenarios" / "examples" / "fy2027_budget_6.toml"
    assert len(path.read_text(encoding="utf-8").strip().splitlines()) == 3
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    what_if = load_scenario(path)
    assert what_if.budget_oku_yen[2027] == Fixed(6)
    assert base.budget_oku_yen[2027] != Fixed(6)
    assert "what-if" in what_if.sources["budget.FY2027"]
    assert what_if.name == "fy2027_budget_6"  # no name given: the file's stem
    assert _dump_without(what_if, budget_years=(2027,)) == _dump_without(base, budget_years=(2027,))
    assert _dump_without(what_if) != _dump_without(base)  # the comparison can see a change


@pytest.mark.parametrize("key", ["fy2027", '"2027"', '"FY２０２７"', '"ＦＹ2027"'])
def test_a_what_if_overrides_a_base_year_however_it_spells_it(key, write_scenario):
    s = load_scenario(write_scenario(f"[budget]\n{key} = 6\n"))
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    assert s.budget_oku_yen[2027] == Fixed(6)
    assert sorted(s.budget_oku_yen) == sorted(base.budget_oku_yen)  # replaced, not added
    assert s.sources["budget.FY2027"] == "set in s.toml"  # under the year's usual name
    assert _dump_without(s, budget_years=(2027,)) == _dump_without(base, budget_years=(2027,))


def test_one_file_giving_a_year_twice_is_still_refused(write_scenario):
    with pytest.raises(InputError, match="FY2027 is given twice"):
        load_scenario(write_scenario('[budget]\nFY2027 = 6\nfy2027 = 7\n'))


def test_budget_low_differs_from_baseline_only_in_fy2027():
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    low = load_scenario(REPO / "scenarios" / "budget_low.toml")
    assert low.name == "Low budget"
    assert low.budget_mean_oku_yen(2027) == 3.9
    assert _dump_without(low, budget_years=(2027,)) == _dump_without(base, budget_years=(2027,))


def test_override_of_one_project_field_keeps_the_rest(write_scenario):
    path = write_scenario('[projects.mx-waste-heat]\nexpected_t_per_yr = 1234\n')
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    s = load_scenario(path)
    new, old = s.project("mx-waste-heat"), base.project("mx-waste-heat")
    assert new.expected_t_per_yr == Fixed(1234)
    assert new != old
    assert new.model_copy(update={"expected_t_per_yr": old.expected_t_per_yr}) == old
    assert [p for p in s.projects if p.id != "mx-waste-heat"] == [
        p for p in base.projects if p.id != "mx-waste-heat"]


def test_extends_chain_and_list_keys_accumulate(tmp_path: Path, write_scenario):
    (tmp_path / "one.csv").write_text(
        "id,name,country,technology,kind,status,earliest_start_fy\n"
        "m-one,Method one,Kenya,solar,methodology,candidate,2026\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text(
        "id,name,country,technology,kind,status,earliest_start_fy\n"
        "m-two,Method two,Chile,solar,methodology,candidate,2027\n", encoding="utf-8")
    write_scenario('candidates_files = ["one.csv"]\nexclude_projects = ["mn-chp"]\n'
                   "[budget]\nFY2027 = 7\n", name="mid.toml")
    top = tmp_path / "top.toml"
    top.write_text('extends = "mid.toml"\ncandidates_files = ["two.csv"]\n'
                   'exclude_projects = ["cl-mining-ev"]\n[program]\nhorizon_fy = 2050\n',
                   encoding="utf-8")
    s = load_scenario(top)
    ids = [p.id for p in s.projects]
    assert "m-one" in ids and "m-two" in ids
    assert "mn-chp" not in ids and "cl-mining-ev" not in ids
    assert s.budget_mean_oku_yen(2027) == 7
    assert s.program.horizon_fy == 2050 and s.program.first_fy == 2018
    assert s.sources["budget.FY2027"] == "set in mid.toml"
    assert s.sources["program.horizon_fy"] == "set in top.toml"


# --------------------------------------------------------------------------------------------
# candidate tables
# --------------------------------------------------------------------------------------------
CSV_TEMPLATE = (
    "id,name,country,technology,kind,status,earliest_start_fy,expected_t_per_yr,"
    "market_size,replication_t_per_yr,methodology_needed,main_cost_oku_yen,source\n"
    "csv-demo,CSV demo,Kenya,solar PV,demonstration,candidate,2027,2500,"
    '"triangular(5, 20, 60)",800,true,"pert(1, 3, 8)",table test\n'
    "\n"
    "csv-q,CSV quantification,Chile,boilers,quantification,candidate,2026,"
    "{q_expected},,,,,\n"
)


def test_csv_candidates_add_their_projects(tmp_path: Path, write_scenario):
    (tmp_path / "c.csv").write_text(CSV_TEMPLATE.format(q_expected="1500"), "utf-8")
    s = load_scenario(write_scenario('candidates_files = ["c.csv"]\n'))
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    assert len(s.projects) == len(base.projects) + 2
    demo = s.project("csv-demo")
    assert demo.status is Status.candidate and demo.earliest_start_fy == 2027
    assert demo.market_size == Triangular(5, 20, 60)
    assert demo.main_cost_oku_yen.to_text() == "pert(1, 3, 8)"
    assert demo.methodology_needed is True
    assert demo.source == "table test"
    assert demo.main_months == Fixed(12)  # from [defaults.demonstration]
    q = s.project("csv-q")
    assert q.kind is Kind.quantification and q.expected_t_per_yr == Fixed(1500)
    assert q.main_cost_oku_yen == base.project("vn-q-private-solar").main_cost_oku_yen


def test_csv_problem_names_the_row_a_spreadsheet_shows(tmp_path: Path, write_scenario):
    # the blank line counts: csv-q is on line 4 of the file
    (tmp_path / "c.csv").write_text(CSV_TEMPLATE.format(q_expected="-3"), "utf-8")
    [problem] = _problems(write_scenario('candidates_files = ["c.csv"]\n'))
    assert problem.file.endswith("c.csv")
    assert problem.field == "row 4 (id csv-q), column expected_t_per_yr"


def _write_xlsx(path: Path, rows: list[list]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)


XLSX_ROWS = [
    ["id", "name", "country", "technology", "kind", "status", "earliest_start_fy",
     "expected_t_per_yr", "market_size", "replication_t_per_yr", "main_months"],
    ["x-demo", "Excel demo", "Indonesia", "chillers", "demonstration", "candidate", 2026,
     4200.5, "triangular(10, 30, 90)", 900, None],
    [None] * 11,
    ["x-meth", "Excel methodology", "Indonesia", "chillers", "methodology", "candidate", 2027,
     None, None, None, 18],
]


def test_xlsx_candidates_add_their_projects(tmp_path: Path, write_scenario):
    _write_xlsx(tmp_path / "c.xlsx", XLSX_ROWS)
    s = load_scenario(write_scenario('candidates_files = ["c.xlsx"]\n'))
    demo, meth = s.project("x-demo"), s.project("x-meth")
    assert demo.expected_t_per_yr == Fixed(4200.5)
    assert demo.earliest_start_fy == 2026
    assert demo.market_size == Triangular(10, 30, 90)
    assert demo.main_months == Fixed(12)  # empty cell: the kind's default
    assert meth.kind is Kind.methodology and meth.main_months == Fixed(18)
    assert meth.earliest_start_fy == 2027


def test_xlsx_problem_names_the_row(tmp_path: Path, write_scenario):
    rows = [list(r) for r in XLSX_ROWS]
    rows[3][10] = -1
    _write_xlsx(tmp_path / "c.xlsx", rows)
    [problem] = _problems(write_scenario('candidates_files = ["c.xlsx"]\n'))
    assert problem.file.endswith("c.xlsx")
    assert problem.field == "row 4 (id x-meth), column main_months"
    assert "must never be negative" in problem.rule


def test_example_candidate_tables_load():
    s = load_scenario(REPO / "scenarios" / "examples" / "with_candidate_tables.toml")
    kinds = {p.id: p.kind for p in s.candidates}
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    new = set(kinds) - {p.id for p in base.candidates}
    assert len(new) >= 4
    assert any(pid.startswith("xlsx-") for pid in new) and any(pid.startswith("csv-")
                                                                for pid in new)


# --------------------------------------------------------------------------------------------
# bad input: one message naming the file, the field path and the rule
# --------------------------------------------------------------------------------------------
def test_bad_input_names_file_field_and_rule(bad_case, tmp_path: Path):
    problems = _problems(bad_case.write(tmp_path))
    assert len(problems) == 1, [str(p) for p in problems]
    [p] = problems
    assert Path(p.file).name == bad_case.file, str(p)
    assert bad_case.field_matches(p.field), str(p)
    assert bad_case.rule in p.rule, str(p)
    for extra in bad_case.extra_rules:
        assert extra in p.rule, str(p)


def test_every_problem_is_reported_together(write_scenario):
    path = write_scenario(
        "[budget]\nnext = 1\n"
        "[projects.mn-chp]\nmain_cost_oku_yen = -1\n"
        "[projects.cl-mining-ev]\ncountry = \"Atlantis\"\nbogus = 1\n"
    )
    problems = _problems(path)
    fields = sorted(p.field for p in problems)
    assert fields == ["budget.next", "projects.cl-mining-ev.bogus",
                      "projects.mn-chp.main_cost_oku_yen"]
    assert all(Path(p.file).name == "s.toml" for p in problems)
    # the error's text lists each problem on its own line
    assert len(str(InputError(problems)).splitlines()) == 3


def test_true_false_is_accepted_where_a_yes_no_is_asked(write_scenario):
    s = load_scenario(write_scenario("[projects.mn-chp]\nmethodology_needed = true\n"
                                     "mandatory = true\n"))
    assert s.project("mn-chp").methodology_needed and s.project("mn-chp").mandatory


def test_scenario_from_dict_reports_the_given_name():
    with pytest.raises(InputError) as err:
        scenario_from_dict({"name": "x", "budget": {"FY2027": -1}}, shown="<browser>")
    fields = {p.field for p in err.value.problems}
    assert "budget.FY2027" in fields
    assert {p.file for p in err.value.problems} == {"<browser>"}


# --------------------------------------------------------------------------------------------
# the many-candidates scenario and its generator
# --------------------------------------------------------------------------------------------
def test_many_candidates_scenario():
    base = load_scenario(REPO / "scenarios" / "baseline.toml")
    s = load_scenario(REPO / "scenarios" / "many_candidates.toml")
    assert s.name and s.name != base.name
    added = [p for p in s.candidates if p.source.startswith("illustrative (generated")]
    assert len(added) >= 150
    assert len({p.country for p in added}) >= 15
    by_kind = {k: [p for p in added if p.kind is k] for k in Kind}
    assert len(by_kind[Kind.demonstration]) > len(added) / 2
    assert by_kind[Kind.methodology] and by_kind[Kind.quantification]
    # methodology candidates serve demonstrations that need a methodology
    needs = {(p.country, p.technology) for p in by_kind[Kind.demonstration]
             if p.methodology_needed}
    served = {(p.country, p.technology) for p in by_kind[Kind.methodology]}
    assert len(served & needs) >= 5
    assert {p.earliest_start_fy for p in added} <= {2026, 2027}
    # ranges like the baseline's
    for p in by_kind[Kind.demonstration]:
        lo, hi = p.main_cost_oku_yen.support
        assert 0.5 <= lo and hi <= 15
        assert 500 <= p.expected_t_per_yr.mean <= 20_000


def test_generator_is_deterministic_and_matches_the_committed_csv(tmp_path: Path):
    out = tmp_path / "gen.csv"
    script = REPO / "scripts" / "make_many_candidates.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, cwd=tmp_path,
                   capture_output=True, timeout=60)
    committed = REPO / "scenarios" / "many_candidates.csv"
    assert out.read_bytes() == committed.read_bytes(), "rerun scripts/make_many_candidates.py"
    with committed.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 150
    other = tmp_path / "other.csv"
    subprocess.run([sys.executable, str(script), "--out", str(other), "--seed", "7"],
                   check=True, capture_output=True, timeout=60)
    assert other.read_bytes() != committed.read_bytes()


def _zip_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.bin", bytes(300))
    return buf.getvalue()


@pytest.mark.parametrize("data, utf16", [
    ('extends = "baseline.toml"\n'.encode("utf-16"), True),           # with a byte-order mark
    ('extends = "baseline.toml"\n'.encode("utf-16-le"), True),        # without one
    ('extends = "baseline.toml"\n'.encode("utf-16-be"), True),
    ('name = "ベトナム案件"\nextends = "baseline.toml"\n'.encode("utf-16-le"), True),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, False),
    (_zip_bytes(), False),                                            # an .xlsx is a zip
    (bytes(400), False),                                              # zeros only
    (b"[program]\nfirst_fy = 2018\n\x00\x00\x00\x00", False),
])
def test_utf16_is_told_from_binary(data, utf16):
    """A file of binary junk was once called UTF-16 (many zero bytes at its start): UTF-16
    has its zero bytes in rhythm, every other byte."""
    from sim.tables import looks_like_utf16

    assert looks_like_utf16(data) is utf16


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_binary_junk_is_not_called_utf16(tmp_path, suffix, write_scenario):
    junk = tmp_path / f"junk{suffix}"
    junk.write_bytes(_zip_bytes())
    path = junk if suffix == ".toml" else write_scenario(f'candidates_files = ["{junk.name}"]\n')
    with pytest.raises(InputError) as err:
        load_scenario(path)
    text = str(err.value)
    assert "UTF-16" not in text, text
    assert ("binary data" if suffix == ".csv" else "not text at all") in text, text
