"""The app answers first (issue 9): the Overview page, cards generic over the model's KPIs,
tables written for people, assumptions and names in the planner's language, Japanese that
reads as the program's own, a colour-blind-safe palette, and the small ones (local icon,
the 100,000 t label, Compare's "edited", the shareable link)."""

from __future__ import annotations

import re

import pytest

from sim.kpis import KPI_DEFS
from tests.test_app_support import ROOT, assert_clean, go, new_app, texts
from webapp import charts, i18n, state

TRIALS = 40
#: KPI ids the model is getting next (labels exist before the ids do).
COMING_KPIS = ("avg_credits_per_demo_fy2030_all_started_t", "projects_meeting_both",
               "dissemination_rate_midterm", "dissemination_rate_final",
               "japan_ndc_share_fy2030", "japan_ndc_share_fy2040")


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def tables_text(at) -> str:
    """Every static table as CSV text, markdown escapes removed (what the planner reads)."""
    return _plain("\n".join(t.value.to_csv() for t in at.table))


def table_with(at, column: str):
    """The static table with a column headed ``column`` (escapes removed)."""
    for tb in at.table:
        df = tb.value.copy()
        df.columns = [_plain(str(c)) for c in df.columns]
        if column in df.columns:
            return df.map(lambda v: _plain(str(v)))
    raise AssertionError(f"no table with a column {column}")


# overview -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_overview_is_the_first_page_and_answers_on_one_screen(lang):
    at = new_app(lang, trials=TRIALS, start="overview")
    assert_clean(at)
    assert at.title[0].value == ("Overview" if lang == "en" else "概要")
    body = texts(at)
    targets = [d.id for d in KPI_DEFS if d.id in ("projects_implemented",
                                                   "avg_credits_per_demo_fy2030_t",
                                                   "dissemination_rate")]
    # a card per target: its probability, a coloured judgement and the Monte Carlo error
    labels = [m.label for m in at.metric]
    for kid in targets:
        assert any(i18n.raw_pair(f"kpi.{kid}")[lang == "ja"] in x for x in labels), kid
    badges = {b.proto.label for b in at.get("badge")} if at.get("badge") else set()
    judgements = {i18n.raw_pair(f"status.{c}")[lang == "ja"] for c in ("green", "amber", "red")}
    assert badges & judgements or any(j in body for j in judgements)
    assert ("Monte Carlo error" in body) if lang == "en" else ("モンテカルロ誤差" in body)
    assert i18n.raw_pair("kpi.ndc_share_fy2030")[lang == "ja"] in body
    # the budget levers beside the main chart
    assert any(s.key and s.key.startswith("ov_2027") for s in at.slider)
    assert len(at.get("plotly_chart")) == 1
    assert ("Nothing yet" in body) if lang == "en" else ("変更はありません" in body)
    other = "will the program meet" if lang == "ja" else "目標は達成できるか"
    assert other not in body


def test_overview_shows_what_changed_and_the_effect():
    at = new_app("en", trials=TRIALS, start="overview")
    before = [m.value for m in at.metric]
    slider = next(s for s in at.slider if s.key.startswith("ov_2027"))
    slider.set_value(6.0).run()
    assert_clean(at)
    body = re.sub(r"\\(.)", r"\1", texts(at))  # markdown escapes removed
    assert "What changed since Baseline" in body
    assert "Budget FY2027: triangular(6, 11.5, 13) → 6 億円" in body
    assert [m.value for m in at.metric] != before or any(m.delta for m in at.metric)
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == 6.0
    assert state.decode_changes(at.query_params["changes"])["budget"]["FY2027"]["value"] == 6.0


def test_every_kpi_has_a_label_in_both_languages():
    for kid in [d.id for d in KPI_DEFS] + list(COMING_KPIS):
        en, ja = i18n.raw_pair(f"kpi.{kid}")
        assert en and ja and en != ja, kid


def test_cards_are_generic_over_the_models_kpis():
    """A KPI the model adds shows on the cards (with its label) without touching the page."""
    from sim.kpis import KpiSummary
    from webapp import cards

    class Fc:
        kpis = (KpiSummary("projects_meeting_both", "x", "projects", 1, 0, 1, 2, 0.1, 1.0,
                           0.6, 0.05, 40, 40),
                KpiSummary("japan_ndc_share_fy2030", "y", "share", 1e-4, 0, 1e-4, 2e-4,
                           1e-5, None, None, None, 40, 40))

    assert [k.id for k in cards.target_kpis(Fc)] == ["projects_meeting_both"]
    assert [k.id for k in cards.share_kpis(Fc)] == ["japan_ndc_share_fy2030"]
    assert "100,000 t-CO2" in cards.kpi_name(Fc.kpis[0], 100_000)


# forecast: tables for people, the gap, the 100,000 t label ---------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forecast_tables_are_written_for_people(lang):
    at = go(new_app(lang, trials=TRIALS), "forecast")
    assert_clean(at)
    shown = tables_text(at)
    assert not re.search(r"\bNone\b|\bnan\b", shown), shown
    assert "5000.00" not in shown and "5,000" in shown  # the target
    kpis = table_with(at, i18n.raw_pair("col.se")[lang == "ja"])
    implemented = kpis[kpis.iloc[:, 0] == i18n.raw_pair("kpi.projects_implemented")[
        lang == "ja"]].iloc[0]
    for col in ("col.p10", "col.p50", "col.p90", "col.target"):  # counts: whole numbers
        assert re.fullmatch(r"\d+", implemented[i18n.raw_pair(col)[lang == "ja"]]), col
    avg = kpis[kpis.iloc[:, 0] == i18n.raw_pair("kpi.avg_credits_per_demo_fy2030_t")[
        lang == "ja"]].iloc[0]
    assert avg[i18n.raw_pair("col.target")[lang == "ja"]] == "5,000"
    body = texts(at)
    assert "100,000 t-CO2" in body  # the dissemination KPI names its amount
    assert i18n.raw_pair("fc.gap_title")[lang == "ja"] in body
    assert len(at.get("plotly_chart")) >= 6  # fan, two gap charts, annual, spend, timeline


# assumptions, names, Japanese ------------------------------------------------------------
def test_assumptions_by_plain_name_with_citations(monkeypatch):
    from sim.loader import load_scenario
    from webapp.scenarios import load_shipped
    from webapp.tables import sources_table

    monkeypatch.setattr(i18n, "lang", lambda: "en")
    df = sources_table(load_scenario(ROOT / "scenarios" / "baseline.toml"),
                       load_shipped("baseline.toml"))
    first = df.iloc[:, 0].tolist()
    assert not any(re.match(r"^(assumptions|countries|defaults)\.", x) for x in first)
    assert "Azerbaijan — Months between Joint Committee decisions" in first
    assert "Demonstration (default) — Bass diffusion: innovation coefficient p" in first
    sources = " ".join(df.iloc[:, 2])
    assert ".csv" not in sources and "PROGRAM.md" not in sources
    assert "CDM statistics (UNEP DTU CDM pipeline; no JCM data)" in sources
    assert "[assumptions]" not in sources and "jcm_projects" not in sources


def test_assumptions_in_japanese(monkeypatch):
    from sim.loader import load_scenario
    from webapp.scenarios import load_shipped
    from webapp.tables import sources_table

    monkeypatch.setattr(i18n, "lang", lambda: "ja")
    df = sources_table(load_scenario(ROOT / "scenarios" / "baseline.toml"),
                       load_shipped("baseline.toml"))
    first = df.iloc[:, 0].tolist()
    assert "アゼルバイジャン — 合同委員会の決定の間隔（月）" in first
    assert "事業全体" not in first
    sources = " ".join(df.iloc[:, 2])
    assert ".csv" not in sources and "assumption" not in sources
    assert "仮定" in sources and "CDM統計" in sources


def test_japanese_interface_names_the_program_in_japanese():
    at = new_app("ja", trials=TRIALS)
    assert_clean(at)
    body = texts(at)
    assert "基本シナリオ" in body and "Baseline" not in body.replace("baseline.toml", "")
    labels = at.selectbox(key="pick_scenario").options
    assert any("予算減シナリオ" in x for x in labels)
    cand = next(d for d in at.data_editor if d.key.startswith("candidate_editor"))
    assert "セメント工場の廃熱回収発電" in list(cand.value["name"])
    assert "メキシコ" in list(cand.value["country"])
    go(at, "forecast")
    shown = tables_text(at)
    assert "Cement waste-heat recovery power" not in shown
    assert "None" not in shown


def test_validation_and_solver_messages_in_japanese(monkeypatch):
    from sim.errors import Problem
    from webapp import ui

    monkeypatch.setattr(i18n, "lang", lambda: "ja")
    assert i18n.rule_text("a candidate needs earliest_start_fy") == \
        "候補案件には開始可能年度（earliest_start_fy）が必要です"
    where = ui.field_text("row 2 (id x1), column technology")
    assert where == "2行目（ID x1）、列 technology（技術）", where
    text = ui.problem_text(Problem("c.csv", "row 3, column earliest_start_fy",
                                   "a candidate needs earliest_start_fy"), with_file=True)
    assert "column" not in text and "row" not in text and "3行目" in text
    assert i18n.solver_text("optimal: proven by HiGHS") == "最適解：HiGHS が証明"
    assert "予算が 1.50 億円不足" in i18n.solver_text("FY2027 budget short by 1.50 億円")
    assert i18n.raw_pair("stage.validation and registration")[1] == "妥当性確認・登録"
    assert i18n.raw_pair("kpi.dissemination_rate")[1] == "普及案件の割合"  # the document's term
    assert "普及展開" in i18n.raw_pair("kpi.projects_dissemination_100kt")[1]


# small ones -----------------------------------------------------------------------------
def _lab(hex_colour: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return r, g, b


def _to_lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


#: Viénot, Brettel & Mollon (1999): dichromat simulation in linear RGB.
_CVD = {
    "protanopia": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
    "deuteranopia": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
}


def _seen(hex_colour: str, kind: str | None) -> tuple[float, float, float]:
    rgb = _lab(hex_colour)
    if kind is not None:
        m = _CVD[kind]
        rgb = tuple(max(0.0, min(1.0, sum(m[i][j] * rgb[j] for j in range(3))))
                    for i in range(3))
    return _to_lab(rgb)


def _min_distance(colours, kind) -> float:
    labs = [_seen(c, kind) for c in colours]
    return min(sum((a - b) ** 2 for a, b in zip(p, q, strict=True)) ** 0.5
               for i, p in enumerate(labs) for q in labs[i + 1:])


@pytest.mark.parametrize("kind", [None, "protanopia", "deuteranopia"])
def test_palettes_stay_apart_for_red_green_colour_blindness(kind):
    assert _min_distance(charts.PALETTE, kind) > 10
    stages = [c for s, c in charts.STAGE_COLOURS.items() if s not in charts.STAGE_PATTERNS]
    assert _min_distance(stages, kind) > 10
    waits = list(charts.STAGE_PATTERNS)
    assert len(set(charts.STAGE_PATTERNS.values())) == len(waits)
    assert _min_distance([charts.STAGE_COLOURS[w] for w in waits], kind) > 10


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_stage_of_the_timeline_has_a_colour_and_a_name(lang, monkeypatch):
    """The Gantt chart's legend names every stage either engine records, in the page's
    language (no engine-side English such as 'paused: waiting for budget')."""
    from sim.fast_kernel import SPAN_NAMES

    monkeypatch.setattr(i18n, "lang", lambda: lang)
    for stage in SPAN_NAMES:
        assert stage in charts.STAGE_COLOURS, stage
        assert i18n.has(f"stage.{stage}"), stage
        label = i18n.stage_label(stage)
        if lang == "ja":
            assert not re.search(r"[A-Za-z]", label), label
        else:
            assert label[0].isupper(), label


@pytest.mark.parametrize("lang, twins", [("en", ["Boiler (P2)", "Boiler (P3)"]),
                                         ("ja", ["Boiler（P2）", "Boiler（P3）"])])
def test_the_timeline_names_projects_and_keeps_same_names_apart(lang, twins, monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: lang)
    spans = [{"id": "P1", "stage": "design", "start_month": 0, "end_month": 6},
             {"id": "P2", "stage": "paused: waiting for budget", "start_month": 3,
              "end_month": 9},
             {"id": "P3", "stage": "build", "start_month": 6, "end_month": 12}]
    fig = charts.gantt(spans, 2025, {"P1": "Solar, Thailand", "P2": "Boiler",
                                     "P3": "Boiler"}, "t")
    rows = [tr.y[0] for tr in fig.data]
    assert rows == ["Solar, Thailand", *twins]
    assert fig.data[1].marker.pattern.shape == "x"


def test_browser_icon_ships_with_the_app():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert ":material/" not in source  # neither the page icon nor the navigation
    assert (ROOT / "webapp" / "static" / "icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_calls_the_current_scenario_edited_only_when_it_is():
    at = go(new_app("en", trials=TRIALS), "compare")
    assert_clean(at)
    assert "edited" not in " ".join(at.table[0].value.columns)
    assert "edited" not in " ".join(at.multiselect(key="compare_pick").options)
    go(at, "overview")
    next(s for s in at.slider if s.key.startswith("ov_2027")).set_value(6.0).run()
    go(at, "compare")
    assert any("edited" in c for c in at.table[0].value.columns)


_HALF_WIDTH_ASIDE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff] ?\([^)]*\)"
                               r"|\([^)]*[\u3040-\u30ff\u4e00-\u9fff][^)]*\)")


def test_japanese_asides_use_full_width_brackets():
    """「事業支出 (平均)」 and 「現在のシナリオ (編集あり)」 once mixed half-width brackets
    into Japanese; the Scenario page's impact cards and the Compare page are checked with
    an edit in place (which is when both asides appear)."""
    at = new_app("ja", trials=TRIALS, start="overview")
    next(s for s in at.slider if s.key.startswith("ov_2027")).set_value(6.0).run()
    seen = []
    for page in ("scenario", "compare"):
        go(at, page)
        assert_clean(at)
        seen.append(texts(at))
        seen.extend(str(c) for tb in at.table for c in tb.value.columns)
        seen.extend(m.label for m in at.metric)
        seen.extend(o for ms in at.multiselect for o in ms.options)
    joined = "\n".join(seen)
    assert "（平均）" in joined and "（編集あり）" in joined
    assert not _HALF_WIDTH_ASIDE.findall(joined), _HALF_WIDTH_ASIDE.findall(joined)


def test_the_shareable_link_box_holds_the_edits():
    at = new_app("en", trials=TRIALS, start="overview")
    next(s for s in at.slider if s.key.startswith("ov_2027")).set_value(6.0).run()
    link = at.code[0].value
    assert "changes=" in link and "trials=40" in link and "lang=en" in link


def test_language_survives_a_run_that_dropped_the_widget():
    """A run that ends without drawing the sidebar drops the radio's value; the language,
    trials and seed come back from their copies (an English session stays English)."""
    session = {"lang": "en", "trials": 500, "seed": 3}
    state.keep_settings(session)
    for key in ("lang", "trials", "seed"):
        del session[key]
    state.keep_settings(session)
    assert session["lang"] == "en" and session["trials"] == 500 and session["seed"] == 3


@pytest.mark.parametrize("page", ["overview", "forecast", "compare"])
@pytest.mark.parametrize("above_quick", [False, True])
def test_first_answer_is_refined_to_the_full_trial_count(page, above_quick):
    """The page the planner ends on is drawn from the full trial count, with no
    "refining" caption left over: up to ``QUICK_FROM`` trials the full count runs at once;
    above it the first answer from ``QUICK_TRIALS`` trials is refined to the full count."""
    from webapp.compute import QUICK_FROM, QUICK_TRIALS

    trials = QUICK_FROM + 500 if above_quick else 150
    at = new_app("en", trials=trials, start="overview")
    if page != "overview":
        go(at, page)
    assert_clean(at)
    body = texts(at)
    assert f"{trials:,} trials" in body, body
    assert "refining" not in body
    assert f"first {QUICK_TRIALS} trials" not in body


@pytest.mark.parametrize("message, japanese", [
    ("'x.csv' was not uploaded with the scenario (upload it together)",
     "「x.csv」がシナリオと一緒に"),
    ("an uploaded scenario may only extend a shipped scenario, by file name (baseline.toml)",
     "組み込みシナリオだけです"),
    ("a candidate's first stage must cost something (design_cost_oku_yen is always 0): the "
     "program funds a project by contracting its first stage", "最初の段階には費用が必要です"),
    ("a candidate has no history (issued_t apply to running or finished projects)",
     "候補案件には実績を指定できません"),
])
def test_upload_and_history_rules_read_in_japanese(message, japanese):
    from webapp.messages_ja import RULES, translate

    assert japanese in translate(message, RULES)


@pytest.mark.parametrize("page, where, seed", [
    ("overview", "overview", 4301), ("forecast", "forecast", 4302), ("compare", "cmp", 4303),
])
def test_a_stopped_refinement_says_the_page_shows_the_first_answer(page, where, seed):
    """Above 5,000 trials a page answers from the first 500, then runs the full count with a
    Stop button. Stop pressed (its value on the run it starts): the page says the run was
    stopped and that it shows the first 500 trials only, no longer that it is refining, and
    offers to run it again."""
    from streamlit.testing.v1 import AppTest

    from tests.test_app_support import APP, PAGES
    from webapp.compute import QUICK_FROM, QUICK_TRIALS

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update(trials=str(QUICK_FROM + 1000), seed=str(seed), lang="en")
    if page != "overview":
        at.switch_page(PAGES[page])
    at.session_state[f"_stop_{where}_full0"] = True
    at.run()
    assert_clean(at)
    body = texts(at)
    assert "The simulation was stopped" in " ".join(w.value for w in at.warning)
    assert f"Results from the first {QUICK_TRIALS} trials only" in body, body
    assert "refining" not in body
    assert [b.label for b in at.button if b.key == f"_again_{where}_full0"] == [
        "Run the simulation"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_target_card_says_its_big_number_is_a_probability(lang):
    """「普及案件の割合」 over 35% read as the share itself: every target card on the
    Overview says its big number is the chance of meeting the target."""
    at = new_app(lang, trials=TRIALS, start="overview")
    captions = [str(c.value) for c in at.caption]
    said = captions.count(i18n.raw_pair("card.prob_caption")[lang == "ja"])
    probability_cards = [m for m in at.metric if m.label.endswith(
        ("probability of meeting the target", "目標達成確率"))]
    assert probability_cards and said == len(probability_cards)
