"""The evaluation report: numbers equal ``jcm simulate --json``, both languages, formats for
people, raw numbers in the workbook, formula-like text neutralised, a small offline page."""

from __future__ import annotations

import io
import json
import re
import string

import pytest
from openpyxl import load_workbook

from report import texts
from report.build import build_report
from report.content import build_content
from report.fmt import number
from sim.loader import load_scenario
from sim.montecarlo import simulate

TRIALS, SEED = 60, 3


def _rows(ws, first_header: str) -> list[dict]:
    """The sheet's table as dicts, from the header row whose first cell is ``first_header``."""
    values = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(values) if r and r[0] == first_header)
    head = values[h]
    return [dict(zip(head, r, strict=False)) for r in values[h + 1:] if any(v is not None
                                                                            for v in r)]


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory, baseline_path):
    from tests.conftest import run_jcm

    tmp = tmp_path_factory.mktemp("report")
    sim_json = tmp / "sim.json"
    res = run_jcm("simulate", baseline_path, "--trials", TRIALS, "--seed", SEED,
                  "--json", sim_json)
    assert res.returncode == 0, res.stderr
    out = {}
    for lang in ("en", "ja"):
        res = run_jcm("report", baseline_path, "--evaluation", "midterm", "--lang", lang,
                      "--trials", TRIALS, "--seed", SEED, "--tornado-trials", 10,
                      "--out", tmp / lang, timeout=300)
        assert res.returncode == 0, res.stderr
        out[lang] = tmp / lang
    return json.loads(sim_json.read_text(encoding="utf-8")), out


def test_workbook_numbers_equal_simulate_json(cli_outputs):
    doc, out = cli_outputs
    wb = load_workbook(out["en"] / "jcm_midterm_FY2027_en.xlsx")
    targets = {r["Indicator"]: r for r in _rows(wb["Targets"], "Type")}
    labels = {"projects_implemented": "Projects implemented",
              "avg_credits_per_demo_fy2030_t": "Average credits per demonstration by FY2030",
              "dissemination_rate": "Dissemination rate"}
    for kid, label in labels.items():
        row, k = targets[label], doc["kpis"][kid]
        assert row["Outlook P10"] == pytest.approx(k["p10"], rel=1e-12, abs=1e-12)
        assert row["Outlook P50"] == pytest.approx(k["p50"], rel=1e-12, abs=1e-12)
        assert row["Outlook P90"] == pytest.approx(k["p90"], rel=1e-12, abs=1e-12)
        assert row["Probability of meeting the target"] == pytest.approx(k["prob_meet"])
    ndc = {r["Indicator"]: r for r in _rows(wb["National goal"], "Indicator")}
    for kid, label in (("credits_fy2030_t", "Credits issued by FY2030"),
                       ("japan_credits_fy2040_t", "Japan's credits by FY2040"),
                       ("ndc_share_fy2030",
                        "All credits as a share of the national JCM goal, FY2030")):
        assert ndc[label]["Mean"] == pytest.approx(doc["kpis"][kid]["mean"], rel=1e-12)
        assert ndc[label]["Outlook P90"] == pytest.approx(doc["kpis"][kid]["p90"], rel=1e-12)
    cost = {r["Indicator"]: r for r in _rows(wb["Cost-effectiveness"], "Indicator")}
    assert cost["Program spend"]["Mean"] == pytest.approx(doc["kpis"]["spend_oku_yen"]["mean"])
    projects = {r["ID"]: r for r in _rows(wb["Projects"], "ID")}
    for p in doc["projects"]:
        got = projects[p["id"]]["Expected credits to FY2040 (t-CO2)"]
        assert got == pytest.approx(p["expected_credits_fy2040_t"], rel=1e-12, abs=1e-9)
    # numbers stay numbers, with formats that show them like the page
    ws = wb["National goal"]
    share_cells = [c for row in ws.iter_rows() for c in row
                   if isinstance(c.value, float) and c.number_format == "0.0%"]
    assert share_cells
    assert any(c.number_format == "#,##0" for row in wb["Targets"].iter_rows() for c in row)


def test_workbook_in_english_is_english_and_reproducible(cli_outputs):
    _, out = cli_outputs
    wb = load_workbook(out["en"] / "jcm_midterm_FY2027_en.xlsx")
    cjk = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    assert not any(cjk.search(name) for name in wb.sheetnames), wb.sheetnames
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Scenario"] == "Baseline"
    assert summary["Random seed"] == str(SEED)
    assert summary["Monte Carlo trials"] == str(TRIALS)
    assert re.fullmatch(r"[0-9a-f]{64}", summary["Scenario SHA-256"])
    assert summary["Made on (UTC)"] and "jcm-planner" in summary["Tool version"]
    assert "numpy" in summary["Libraries"] and "SALib" in summary["Libraries"]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.strip().lower() in ("nan", "none")), ws.title
    wb_ja = load_workbook(out["ja"] / "jcm_midterm_FY2027_ja.xlsx")
    assert "達成目標" in wb_ja.sheetnames and "前提条件" in wb_ja.sheetnames


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_page_language_size_offline(cli_outputs, lang):
    _, out = cli_outputs
    page = (out[lang] / f"jcm_midterm_FY2027_{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    if lang == "en":
        assert heading == "Mid-term evaluation (FY2027): evaluation material"
        assert "By FY2030, demonstration projects issue JCM credits" in page
    else:
        assert heading == "中間評価（2027年度）評価資料"
        assert "2030年度までに、実証事業により平均5,000t-CO₂/件以上のJCMクレジットを発行" in page
        assert "温室効果ガス削減効果を測定・報告・検証（MRV）" in page
    assert page.count('id="plotly-gz"') == 1  # plotly.js once
    assert len(page.encode("utf-8")) < 2_500_000
    assert not re.search(r"""(src|href)=["']https?://""", page)  # nothing fetched
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert cells and not any(c.strip().lower() in ("nan", "none", "inf") for c in cells)
    assert not any(re.fullmatch(r"-?[\d,]*\d\.\d{6,}", c) for c in cells)  # no raw floats
    assert "priors.csv" not in page and "defaults.demonstration" not in page


#: What the baseline contains: as the scenario writes it, and in Japanese (report/catalog.toml,
#: sim/country_names.py).
NAMED = {
    "scenario": ("Baseline", "基本シナリオ"),
    "candidate": ("Cement waste-heat recovery power", "セメント工場の廃熱回収発電"),
    "running project": ("Hotel and hospital BEMS roll-out (follow-on to the Green Hospital "
                        "demonstration)",
                        "ホテル・病院向けBEMSの展開（グリーンホスピタル実証の後継）"),
    "finished project": ("Inverter chillers for commercial buildings",
                         "商業ビル向けインバーター冷凍機"),
    "technology": ("building energy management", "ビルエネルギー管理（BEMS）"),
    "country": ("Viet Nam", "ベトナム"),
    "source": ("NEDO program summary: actual budget", "NEDO事業概要：予算実績"),
    "calibrated source": ("CDM figures (no JCM data)", "CDM統計（UNEP DTU CDMパイプライン。"),
}


def _page_text(path) -> str:
    """The page without plotly.js (the charts' data stays)."""
    page = path.read_text(encoding="utf-8")
    return re.sub(r'<script id="plotly-gz".*?</script>', "", page, flags=re.S)


def _strings(wb) -> list[str]:
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if isinstance(v, str)]


def test_japanese_report_names_the_scenarios_contents_in_japanese(cli_outputs):
    _, out = cli_outputs
    page = _page_text(out["ja"] / "jcm_midterm_FY2027_ja.html")
    wb = load_workbook(out["ja"] / "jcm_midterm_FY2027_ja.xlsx")
    cells = _strings(wb)
    for what, (en, ja) in NAMED.items():
        assert ja in page, what
        assert any(ja in v for v in cells), what
        assert en not in page, what  # tables, headings and the charts' data
        assert not any(en in v for v in cells), (what, [v for v in cells if en in v][:3])
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True) if r and r[0]}
    assert summary["シナリオ"] == "基本シナリオ"
    projects = {r["ID"]: r for r in _rows(wb["案件"], "ID")}
    cement = projects["mx-waste-heat"]
    assert (cement["案件名"], cement["国"], cement["技術"]) == (
        "セメント工場の廃熱回収発電", "メキシコ", "廃熱回収発電")
    assert projects["th-inverter-chiller-2018"]["技術"] == "インバーター冷凍機"
    items = [r["前提条件"] for r in _rows(wb["前提条件"], "前提条件")]
    assert "インドネシア：合同委員会の決定間隔" in items
    # the tornado names a project's assumption by the project's Japanese name
    factors = [r["前提条件"] for r in _rows(wb["感度分析"], "前提条件")]
    assert any(f.startswith("セメント工場の廃熱回収発電：") for f in factors), factors
    assert not any(f.startswith("Cement") for f in factors)


def test_english_report_keeps_the_names_as_written(cli_outputs):
    _, out = cli_outputs
    page = _page_text(out["en"] / "jcm_midterm_FY2027_en.html")
    wb = load_workbook(out["en"] / "jcm_midterm_FY2027_en.xlsx")
    cells = _strings(wb)
    for what, (en, ja) in NAMED.items():
        if what == "calibrated source":  # the English page words it in plain words
            continue
        assert en in page and any(en in v for v in cells), what
        assert ja not in page and not any(ja in v for v in cells), what
    projects = {r["ID"]: r for r in _rows(wb["Projects"], "ID")}
    cement = projects["mx-waste-heat"]
    assert (cement["Name"], cement["Country"], cement["Technology"]) == (
        "Cement waste-heat recovery power", "Mexico", "waste heat recovery")


def test_names_not_in_the_catalogue_stay_as_written(baseline_path):
    sc = load_scenario(baseline_path)
    own = sc.project("mx-waste-heat").model_copy(update={"name": "Our own idea"})
    typed = own.model_copy(update={"id": "our-own", "technology": "our technology"})
    sc = sc.model_copy(update={"name": "Uploaded scenario", "projects": (
        *(p for p in sc.projects if p.id != "mx-waste-heat"), typed)})
    c = build_content(sc, simulate(sc, 20, 1), "midterm", "ja")
    assert "シナリオ「Uploaded scenario」" in c.intro
    rows = {r[0]: r for r in c.tables["projects"].rows}
    assert rows["our-own"][1:4] == ["Our own idea", "メキシコ", "our technology"]


def test_formula_like_text_is_neutralised(baseline_path):
    sc = load_scenario(baseline_path)
    first = sc.projects[0].model_copy(update={"name": "=HYPERLINK(\"http://x\")"})
    sc = sc.model_copy(update={"projects": (first, *sc.projects[1:])})
    rep = build_report(sc, simulate(sc, 20, 1), "final", "en")
    wb = load_workbook(io.BytesIO(rep.xlsx))
    names = [r["Name"] for r in _rows(wb["Projects"], "ID")]
    assert names[0] == "'=HYPERLINK(\"http://x\")"
    assert "=HYPERLINK(&quot;http://x&quot;)" in rep.html.decode("utf-8")


def test_missing_target_rows_are_left_out(baseline_path):
    """Rows whose KPI the simulation does not report are not invented."""
    sc = load_scenario(baseline_path)
    c = build_content(sc, simulate(sc, 20, 1), "midterm", "en")
    indicators = [r[2] for r in c.tables["targets"].rows]
    from sim.kpis import KPI_DEFS

    ids = {k.id for k in KPI_DEFS}
    assert ("projects_meeting_both" in ids) == any("both outcome" in i for i in indicators)
    assert len(indicators) == len(set(indicators))


def test_number_formats_for_people():
    assert number(float("nan"), "t") == "" and number(None, "pct") == ""
    assert number(231.8761019193209, "t") == "232"
    assert number(0.154, "pct") == "15.4%"
    assert number(1234567.8, "jpy") == "1,234,568"
    assert number(22.0, "dec1") == "22" and number(22.37, "dec1") == "22.4"
    assert number(3549.19, "num") == "3,549" and number(0.7129, "num") == "0.713"


def test_every_report_text_in_both_languages():
    fields = string.Formatter()
    for key, (en, ja) in texts.TEXTS.items():
        assert en.strip() and ja.strip(), key
        names_en = {f for _, f, _, _ in fields.parse(en) if f}
        names_ja = {f for _, f, _, _ in fields.parse(ja) if f}
        assert names_en == names_ja, key


def test_cli_report_bad_input(run_cli, baseline_path, tmp_path):
    res = run_cli("report", baseline_path, "--trials", "0", "--out", tmp_path)
    assert res.returncode == 2 and "trials" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("report", tmp_path / "missing.toml", "--out", tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = run_cli("report", baseline_path, "--tornado-kpi", "nope", "--out", tmp_path)
    assert res.returncode == 2 and "unknown KPI" in res.stderr


@pytest.mark.parametrize("lang, count", [("en", "12,345 trials per end"),
                                         ("ja", "各端 12,345 試行")])
def test_tornado_note_writes_the_trial_count_with_separators(lang, count):
    """The report's tornado note writes its trial count as the app does ("12,345")."""
    from report.content import _sensitivity

    tornado = {"unit": "t-CO2", "kpi": "credits_fy2030_t", "kpi_label": "Credits",
               "settings": {"trials": 12345, "seed": 1}, "factors": [], "target": None}
    assert count in _sensitivity(tornado, lang).note
