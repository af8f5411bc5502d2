"""Every page of the app renders in both languages with no exception (AppTest)."""

from __future__ import annotations

import pytest

from tests.test_app_support import assert_clean, go, new_app, texts

TITLES = {
    "overview": ("Overview", "概要"),
    "scenario": ("Scenario", "シナリオ"),
    "forecast": ("Forecast", "予測"),
    "portfolio": ("Portfolio", "ポートフォリオ"),
    "compare": ("Compare scenarios", "シナリオ比較"),
    "evaluation": ("Evaluation", "評価"),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", list(TITLES))
def test_page_renders(page, lang):
    at = new_app(lang)
    assert_clean(at)
    if page != "scenario":
        go(at, page)
        assert_clean(at)
    title = TITLES[page][0 if lang == "en" else 1]
    assert at.title[0].value == title
    body = texts(at)
    other = ("Effect on the targets", "Overview") if lang == "ja" else ("目標への影響", "概要")
    assert not any(o in body for o in other)  # nothing left in the other language


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forecast_shows_cards_charts_and_tables(lang):
    at = go(new_app(lang), "forecast")
    assert_clean(at)
    assert len(at.metric) >= 8
    charts = at.get("plotly_chart")
    assert len(charts) >= 4  # fan, annual, spend, timeline
    assert len(at.table) >= 2  # projects, indicators (shown whole, numbers for people)
    assert any(b.label in ("CSV",) for b in at.get("download_button"))
    body = texts(at)
    assert ("Targets and indicators" if lang == "en" else "目標と指標") in body


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_evaluation_midterm_and_final(lang):
    at = go(new_app(lang), "evaluation")
    assert_clean(at)
    table = at.table[0].value
    assert len(table) == 8
    assert ("2027" in at.subheader[0].value)
    at.get("button_group")[0].set_value("final").run()
    assert_clean(at)
    assert "2028" in at.subheader[0].value
    labels = {b.label for b in at.get("download_button")}
    assert ("Download (Excel)" if lang == "en" else "ダウンロード（Excel）") in labels
    notes = " ".join(c.value for c in at.caption)
    # the scenario is named in the session's language
    assert ("Baseline" in notes) if lang == "en" else ("基本シナリオ" in notes and
                                                       "Baseline" not in notes)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_compare_three_scenarios(lang):
    at = go(new_app(lang), "compare")
    assert_clean(at)
    compare = at.table[0].value
    assert compare.shape[1] == 4  # indicator + three scenarios
    assert len(at.table) == 2  # indicators side by side; differences
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_portfolio_proposes_a_plan(lang):
    at = new_app(lang)
    at.session_state["pf_n"] = 20
    at.session_state["pf_time_limit"] = 20.0
    go(at, "portfolio")
    assert_clean(at)
    at.button(key="pf_run").click().run()
    assert_clean(at)
    assert at.success, texts(at)  # "Optimal: …" in plain words
    assert len(at.table) == 3  # simple policies; chosen projects; plan vs proposal (whole)
    at.button(key="pf_frontier_run").click().run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3  # spend, plan vs proposal, frontier
