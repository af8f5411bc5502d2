"""The Sensitivity page and the Evaluation page's report downloads in both languages
(AppTest; small trial counts)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.test_app_support import assert_clean, go, new_app, texts

PAGE = "webapp/pages/sensitivity.py"


def _sensitivity(lang: str, **state) -> object:
    at = new_app(lang)
    for k, v in state.items():
        at.session_state[k] = v
    return at.switch_page(PAGE).run()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tornado_runs_and_shows_chart_and_table(lang):
    # a trial count of its own per language: the cache (shared in this process) is empty
    at = _sensitivity(lang, se_trials_tornado=10 if lang == "en" else 12)
    assert_clean(at)
    assert at.title[0].value == ("Sensitivity" if lang == "en" else "感度分析")
    assert not at.get("plotly_chart")  # nothing runs before the button
    at.button(key="se_run").click().run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 1
    table = at.dataframe[0].value
    first = table.columns[0]
    assert first == ("Assumption" if lang == "en" else "前提条件")
    assert len(table) >= 20
    body = texts(at)
    assert ("Monte Carlo error" in body) or ("モンテカルロ誤差" in body)
    # project-scoped factors name the project in the page's language
    from report.names import project_name
    from sim.loader import load_scenario
    from tests.test_app_support import ROOT

    sc = load_scenario(ROOT / "scenarios" / "baseline.toml")
    translated = {p.name: project_name(p.id, p.name, "ja") for p in sc.projects
                  if project_name(p.id, p.name, "ja") != p.name}
    labels = [str(x) for x in table[first]]
    scoped = [x for x in labels if any(x.startswith(f"{n}") or x.startswith(f"{j}")
                                       for n, j in translated.items())]
    assert scoped, labels
    shown = translated.values() if lang == "ja" else translated.keys()
    assert all(any(x.startswith(n) for n in shown) for x in scoped), scoped
    other = "感度分析" if lang == "en" else "Sensitivity"
    assert other not in at.title[0].value
    # the Evaluation page's downloads now carry this tornado, in the session's language
    at = go(at, "evaluation")
    assert_clean(at)
    note = texts(at)
    assert ("this tornado" in note or "last tornado" in note) if lang == "en" else \
        "トルネード図" in note


def test_sobol_bars_with_confidence_intervals():
    at = _sensitivity("en", se_method="sobol", se_trials_sobol=10, se_n=8)
    at.button(key="se_run").click().run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 1
    table = at.dataframe[0].value
    assert list(table.columns) == ["Assumption", "First-order index (95 % CI)",
                                   "Total index (95 % CI)"]
    assert all(re.fullmatch(r"-?\d\.\d{3} ± \d\.\d{3}", v) for v in table.iloc[:, 2] if v)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_evaluation_report_from_a_cached_forecast(lang, baseline_path):
    """The Evaluation page's download: built from the cached forecast with the language
    captured when the page ran (Streamlit calls it later, outside the session)."""
    from sim.loader import load_scenario
    from sim.montecarlo import simulate
    from webapp import downloads
    from webapp.compute import summarise

    sc = load_scenario(baseline_path)
    results = simulate(sc, 20, 1)
    fc = summarise(sc, results, 0.1)
    rep = downloads.evaluation_report(("test", lang), sc, fc, "final", lang, {}, "x", None)
    page = rep.html.decode("utf-8")
    assert f'<html lang="{lang}">' in page
    wb = load_workbook(io.BytesIO(rep.xlsx))
    assert wb.sheetnames[1] == ("Targets" if lang == "en" else "達成目標")
    # the same numbers as the command line's report of the same run
    from report.build import build_report

    direct = build_report(sc, results, "final", lang)
    assert direct.content.tables["targets"].rows == rep.content.tables["targets"].rows
