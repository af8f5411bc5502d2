"""The app's building blocks without a browser: downloads neutralise formulas, every text has
both languages, editing round-trips, the evaluation status agrees with :mod:`sim.kpis`,
common random numbers make identical scenarios identical, and the app never imports cli."""

from __future__ import annotations

import ast
import io
import re
import string

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from sim.kpi_status import kpis_by_fy, target_year
from sim.kpis import per_trial_kpis
from sim.loader import load_scenario
from sim.montecarlo import simulate
from tests.test_app_support import ROOT
from webapp import downloads, editing, i18n, state
from webapp.compute import summarise
from webapp.scenarios import load_shipped, scenario_text, shipped, validate
from webapp.tables import difference_table

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "plain", "1-2"]


# downloads --------------------------------------------------------------------------------
def test_csv_neutralises_formula_cells():
    df = pd.DataFrame({"name": HOSTILE, "=head": range(len(HOSTILE)), "v": [-1.5] * 7})
    text = downloads.csv_bytes(df).decode("utf-8-sig")
    rows = text.splitlines()
    assert rows[0].startswith("name,'=head")
    assert "'=cmd|" in text and "'+1+1" in text and "'-2+3" in text and "'@SUM" in text
    assert "\nplain,5," in text and "\n1-2,6," in text
    assert ",-1.5" in text  # numbers stay numbers


def test_xlsx_has_no_formulas_and_keeps_numbers():
    df = pd.DataFrame({"name": HOSTILE, "value": [1.0, 2, 3, 4, 5, np.nan, 7]})
    wb = load_workbook(io.BytesIO(downloads.xlsx_bytes({"t": df}, title="=title")))
    ws = wb.active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
    names = [ws.cell(row=r, column=1).value for r in range(4, 4 + len(HOSTILE))]
    assert names[0] == "'=cmd|' /C calc'!A0" and names[5] == "plain"
    assert ws.cell(row=4, column=2).value == 1.0
    assert ws.cell(row=9, column=2).value is None  # NaN written as an empty cell


def test_xlsx_sheet_names_excel_accepts_in_both_languages():
    df = pd.DataFrame({"a": [1]})
    names = ["ポートフォリオ", "計画：比較？", "a/b[1]*", "あ" * 40, "'quoted'", "History",
             "Plan", "plan", "ｐｌａｎ", ""]
    wb = load_workbook(io.BytesIO(downloads.xlsx_bytes({n: df for n in names})))
    got = wb.sheetnames
    assert got[:6] == ["ポートフォリオ", "計画_比較_", "a_b_1__", "あ" * 31, "quoted", "History_"]
    assert got[6:] == ["Plan", "plan (2)", "ｐｌａｎ (3)", "Sheet"]  # Excel ignores case
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 for n in got)


def test_html_report_escapes_text_and_is_self_contained():
    df = pd.DataFrame({"<b>": ["<script>alert(1)</script>"]})
    fig = go.Figure(go.Scatter(x=[1], y=[2]))
    page = downloads.report_html("<title>", [df, "a <i>note</i>", fig]).decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;" in page and "&lt;i&gt;" in page
    assert "plotly" in page.lower() and '<script src="http' not in page


# i18n ---------------------------------------------------------------------------------------
def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", i18n.keys())
def test_every_text_has_both_languages_and_the_same_fields(key):
    en, ja = i18n.raw_pair(key)
    assert en.strip() and ja.strip()
    assert _fields(en) == _fields(ja)


def test_japanese_labels_are_natural_terms():
    ja = {k: i18n.raw_pair(k)[1] for k in i18n.keys()}
    assert ja["col.budget"] == "予算（億円）"
    assert ja["col.fy"] == "年度"
    assert ja["ev.midterm"] == "中間評価" and ja["ev.final"] == "終了時評価"
    # the document's own terms: 普及案件 (a project with ≥ 1 dissemination case), 普及展開
    assert ja["kpi.dissemination_rate"] == "普及案件の割合"
    assert "普及展開" in ja["fc.annual_dissem"]
    assert ja["kpi.projects_implemented"] == "実施件数"
    assert ja["col.prob"] == "目標達成確率"


def test_every_text_key_used_in_the_app_exists():
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "webapp").rglob("*.py")]:
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[A-Za-z0-9_.]+)"', path.read_text()))
    missing = sorted(k for k in used if not i18n.has(k))
    assert not missing


# the link and editing ----------------------------------------------------------------------
def test_changes_round_trip_through_a_link():
    base = load_shipped("baseline.toml")
    edited = state.apply_changes(base, {})
    editing.set_budget(edited, 2027, value="triangular(5, 8, 12)", source="what-if")
    editing.set_field(edited, "mx-waste-heat", "main_cost_oku_yen", "pert(3, 6, 9)")
    editing.set_include(edited, "bd-brick-kiln", False)
    text = state.encode_changes(state.changes_of(base, edited))
    assert len(text) < 1000
    assert state.apply_changes(base, state.decode_changes(text)) == edited
    validate(edited, "t")


def test_typed_cells():
    assert editing.typed("12") == 12 and editing.typed("1.5") == 1.5
    assert editing.typed("1,000") == 1000 and editing.typed("1,5") == "1,5"
    assert editing.typed(" triangular(1, 2, 3) ") == "triangular(1, 2, 3)"
    assert editing.typed("") is None and editing.typed(None) is None
    # a number typed with the column's unit or full-width digits (as uploaded tables are read)
    assert editing.typed("6.5億円", "budget_oku_yen") == 6.5
    assert editing.typed("６．５", "budget_oku_yen") == 6.5
    assert editing.typed("１，２００ t", "expected_t_per_yr") == 1200
    # anything else is kept as typed, for the field's own rule to judge
    assert editing.typed("６億５０００万円", "budget_oku_yen") == "６億５０００万円"
    assert editing.typed("6億円", "expected_t_per_yr") == "6億円"


def test_budget_editor_writes_what_was_typed():
    raw = load_shipped("baseline.toml")
    frame = editing.budget_frame(raw)
    row = list(frame["fy"]).index("FY2027")
    assert editing.apply_budget_edits(raw, frame, {"edited_rows": {row: {"value": "abc"}}})
    assert raw["budget"]["FY2027"] == {"value": "abc", "source": editing.WHAT_IF_SOURCE}
    editing.apply_budget_edits(raw, frame, {"edited_rows": {row: {"value": None}}})
    assert "FY2027" not in raw["budget"]


def test_plan_dictionary_funds_only_the_chosen_candidates():
    raw = load_shipped("baseline.toml")
    planned = editing.with_plan(raw, [("mx-waste-heat", 2027)])
    scenario = validate(planned, "plan")
    assert [p.id for p in scenario.candidates] == ["mx-waste-heat"]
    assert scenario.project("mx-waste-heat").earliest_start_fy == 2027


def test_every_shipped_scenario_opens():
    for rel in shipped():
        validate(load_shipped(rel), rel)


# results ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def baseline_run():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
    return scenario, simulate(scenario, 40, 3)


def test_status_by_fy_agrees_with_sim_kpis_at_each_target_year(baseline_run):
    scenario, results = baseline_run
    by_fy = kpis_by_fy(results, scenario)
    final = per_trial_kpis(results, scenario)
    for kid in ("projects_implemented", "avg_credits_per_demo_fy2030_t",
                "dissemination_rate", "credits_fy2030_t"):
        yi = results.year_index(target_year(kid, scenario))
        np.testing.assert_allclose(by_fy[kid][:, yi], final[kid], rtol=1e-5, atol=1e-3)
    # achieved to date never exceeds the whole-lifetime count
    kid = "projects_dissemination_100kt"
    yi = results.year_index(target_year(kid, scenario))
    assert (by_fy[kid][:, yi] <= final[kid] + 1e-6).all()


def test_status_never_decreases_over_the_years(baseline_run):
    scenario, results = baseline_run
    by_fy = kpis_by_fy(results, scenario)
    for kid in ("projects_implemented", "projects_dissemination_100kt", "credits_fy2030_t"):
        assert np.all(np.diff(by_fy[kid], axis=1) >= -1e-6)


def test_same_seed_gives_common_random_numbers(baseline_run):
    scenario, results = baseline_run
    again = simulate(scenario, 40, 3)
    a, b = summarise(scenario, results, 0.0), summarise(scenario, again, 0.0)
    for kid, values in a.per_trial.items():
        np.testing.assert_array_equal(values, b.per_trial[kid])
    diff = difference_table(["A", "B"], [a, b])
    assert all(str(v).startswith(("+0 ", "+0.0", "+0.000 ", "—")) for v in diff["B"]), diff


def test_cache_key_is_the_scenario_text():
    raw = load_shipped("baseline.toml")
    text = scenario_text(raw)
    assert validate(raw, "x") == validate(raw, "x")
    assert scenario_text(state.apply_changes(raw, {})) == text


# architecture ----------------------------------------------------------------------------------
def test_the_app_never_imports_cli():
    for path in [ROOT / "app.py", *(ROOT / "webapp").rglob("*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "cli" for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "cli", path


def test_no_unsafe_html_anywhere_in_the_app():
    for path in [ROOT / "app.py", *(ROOT / "webapp").rglob("*.py")]:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path
        if path.name == "navguard.py":  # the one script: a constant of the app
            assert text.count("st.html(") == 1 and "st.html(SCRIPT," in text
            continue
        if path.name == "cardgrid.py":  # the one style: a constant of the app
            assert text.count("st.html(") == 1 and "st.html(STYLE)" in text
            continue
        assert "st.html(" not in text, path


def test_card_grid_style_is_a_style_and_nothing_else():
    from webapp.cardgrid import STYLE

    assert STYLE.startswith("<style>") and STYLE.endswith("</style>")
    assert STYLE.count("<") == 2 and "script" not in STYLE.lower()
    assert "@import" not in STYLE and "url(" not in STYLE  # nothing fetched


def test_streamlit_settings():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["maxUploadSize"] <= 5
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["browser"]["gatherUsageStats"] is False


def test_portfolio_link_settings_of_every_json_type_are_checked_not_crashed():
    """A hand-edited link may put a list or an object where a name belongs (unhashable, so a
    lookup in a dict would raise): every such value is left out, valid names are kept."""
    from optimize.names import METRICS, TARGET_KPIS
    from webapp import pflink

    for value in ([], {}, ["credits_fy2030"], {"a": 1}, None, "x", 1e308, True, -1):
        assert pflink.clean({key: value for key in pflink._CHECKS}).get("pf_metric") is None
    good = {"pf_metric": next(iter(METRICS)), "pf_target_kpi": next(iter(TARGET_KPIS))}
    assert pflink.clean(good) == good


@pytest.mark.parametrize("x, unit, text", [
    (6.4e-7, "share", "0.000064%"),      # a Monte Carlo error on the Japan-share card
    (0.0042, "share", "0.42%"),
    (0.05, "share", "5.0%"),
    (1.5e-9, "", "0.0000000015"),  # at most ten decimals
    (123456.0, "", "123,456"),
])
def test_numbers_are_never_written_in_scientific_notation(x, unit, text):
    """The Forecast once wrote a Monte Carlo error as 「±6.4e-05%」."""
    assert i18n.number(x, unit) == text


@pytest.mark.parametrize("exponent", range(-12, 13))
@pytest.mark.parametrize("unit", ["share", "", "t-CO2", "億円", "projects"])
def test_no_unit_writes_an_exponent(exponent, unit):
    from webapp import cards, tables

    for mantissa in (1.0, 6.4, -3.3):
        x = mantissa * 10.0 ** exponent
        for text in (i18n.number(x, unit), tables.error_text(abs(x), unit),
                     cards.mean_error_text(abs(x), unit)):
            assert not re.search(r"\de[+-]?\d", text), (x, unit, text)


@pytest.mark.parametrize("lang, p10, p90, text", [
    ("ja", 34.9, 38.2, "37 [34 – 39] 件"),  # the Compare page once wrote 「37 [34.9 – 39] 件」
    ("en", 34.9, 38.2, "37 [34 – 39]"),
    ("en", 35.0, 39.0, "37 [35 – 39]"),
])
def test_a_project_count_band_is_whole(lang, p10, p90, text, monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: lang)
    assert i18n.band(37.0, p10, p90, "projects") == text


def test_a_project_count_band_holds_its_trials():
    """Rounding outwards keeps at least 80 % of the trials inside the written range."""
    rng = np.random.default_rng(3)
    counts = rng.binomial(60, 0.6, size=997).astype(float)
    p10, p50, p90 = np.percentile(counts, [10, 50, 90])
    text = i18n.band(p50, p10, p90, "projects")
    lo, hi = (float(x) for x in re.findall(r"\[(\S+) – (\S+)\]", text)[0])
    assert lo.is_integer() and hi.is_integer()
    assert np.mean((counts >= lo) & (counts <= hi)) >= 0.8


@pytest.mark.parametrize("fy, value, flagged", [
    (2027, 1000.0, (1000.0, 2026, 11.5)),  # 1e3 typed: no warning once
    (2027, 115.0, None),                   # exactly ten times FY2026's 11.5: not flagged
    (2027, 115.5, (115.5, 2026, 11.5)),
    (2026, 40.0, (40.0, 2025, 3.9)),       # the year itself is left out of the comparison
    (2026, 39.0, None),
    (2025, 1000.0, None),                  # a year already past is what it is
])
def test_a_budget_far_above_every_known_year_is_flagged(fy, value, flagged):
    raw = load_shipped("baseline.toml")
    editing.set_budget(raw, fy, value=value, source="what-if")
    assert editing.large_budgets(raw).get(fy) == flagged
    assert editing.large_budgets(load_shipped("baseline.toml")) == {}


@pytest.mark.parametrize("lang, words", [("en", "more than ten times"), ("ja", "10 倍を超えて")])
def test_a_budget_typed_in_the_wrong_unit_gets_a_warning(lang, words):
    from tests.test_app_support import go, new_app, texts, type_budget

    at = new_app(lang, trials=40)
    assert words not in texts(at)
    type_budget(at, 2027, "1e3")
    assert texts(at).count(words) == 1  # beside the budget table, not again by the sliders
    assert not at.exception
    at = go(at, "overview")
    assert words in texts(at)
