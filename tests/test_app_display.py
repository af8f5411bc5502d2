"""What the KPI cards and the budget levers show a planner.

A probability's Monte Carlo error never reads "± 0.0 pt" (with 10 trials a probability of
0 % is very uncertain); a budget is written in plain notation with thousands separators
(never ``1e+09``) and a budget that validation refuses gets its message instead of a
slider; no label on the Scenario and Forecast pages is a raw identifier (hidden labels are
read out by screen readers).
"""

from __future__ import annotations

import math
import re

import pytest

from sim.kpis import KpiSummary
from tests.test_app_support import (
    assert_clean,
    budget_box,
    errors,
    go,
    new_app,
    texts,
    type_budget,
)
from webapp import cards, editing, i18n, ui

RAW_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


# the Monte Carlo error of a probability ---------------------------------------------------
@pytest.mark.parametrize("p, n, error, kind", [
    (0.0, 10, 0.30, "rule_of_three"),  # no trial met the target: 3/10
    (1.0, 10, 0.30, "rule_of_three"),  # every trial met it: 3/10
    (0.5, 100, 0.05, "se"),  # √(0.5 · 0.5 / 100) = 0.05
    (0.1, 10, math.sqrt(0.009), "se"),  # √(0.1 · 0.9 / 10) = 0.0949
    (0.0, 2, 1.0, "rule_of_three"),  # 3/2, at most 1
])
def test_prob_error_is_never_zero(p, n, error, kind):
    got, how = cards.prob_error(p, n)
    assert got == pytest.approx(error) and how == kind


@pytest.mark.parametrize("pt, text", [(30.0, "30.0"), (5.0, "5.0"), (0.1, "0.1"),
                                      (0.05, "0.050"), (0.003, "0.0030"), (1e-5, "0.000010")])
def test_points_text_never_rounds_to_zero(pt, text):
    assert cards.points_text(pt) == text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_card_error_text_with_ten_trials(lang, monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: lang)
    none_met = KpiSummary("dissemination_rate", "x", "share", 0.1, 0.0, 0.1, 0.2, 0.03, 0.5,
                          0.0, 0.0, 10, 10)
    assert cards.mc_error_text(none_met, 10) == i18n.t("card.mc_prob", se="30.0", trials="10")
    half = KpiSummary("dissemination_rate", "x", "share", 0.5, 0.2, 0.5, 0.8, 0.03, 0.5,
                      0.5, 0.05, 100, 100)
    assert cards.mc_error_text(half, 100) == i18n.t("card.mc_prob", se="5.0", trials="100")


@pytest.mark.parametrize("se, unit, text", [
    (0.3, "t-CO2", "0.3 t-CO2"),  # "0 t-CO2" in the unit's own format
    (0.042, "", "0.042"),
    (0.02, "億円", "0.020 億円"),  # "0.0 億円" in the unit's own format
    (1234.0, "t-CO2", "1,234 t-CO2"),  # large enough: the unit's format
    (0.0, "t-CO2", "0 t-CO2"),  # a true zero (every trial equal) stays zero
    (0.026, "projects", "0.026 projects"),  # a count, bare as a value in English
    (1.5, "projects", "1.5 projects"),
])
def test_a_mean_error_is_never_rounded_to_zero(se, unit, text, monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    assert cards.mean_error_text(se, unit) == text


@pytest.mark.parametrize("se, text", [(0.026, "0.026 件"), (2.0, "2 件"), (0.0, "0 件")])
def test_a_count_error_names_its_unit_once_in_japanese(se, text, monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: "ja")
    assert cards.mean_error_text(se, "projects") == text


def test_card_errors_say_what_they_are(monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    prob = KpiSummary("dissemination_rate", "x", "share", 0.1, 0.0, 0.1, 0.2, 0.03, 0.5,
                      0.0, 0.0, 10, 10)
    assert "3/n" in cards.mc_error_help(prob)
    mean = KpiSummary("credits_fy2030_t", "x", "t-CO2", 0.1, 0.0, 0.1, 0.2, 0.03, None,
                      None, None, 10, 10)
    assert "mean" in cards.mc_error_help(mean)


def _cards(node) -> list[list]:
    """The elements of every KPI card (a block holding a metric) under ``node``."""
    kids = getattr(node, "children", None)
    if not isinstance(kids, dict):
        return []
    elements = list(kids.values())
    if any(type(e).__name__ == "Metric" for e in elements):
        return [elements]
    return [card for e in elements for card in _cards(e)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forecast_cards_at_ten_trials_show_an_honest_error(lang):
    """Each target card's error agrees with its probability: 3/n where no trial or every
    trial met the target, else √(p(1−p)/n); "± 0.0" nowhere."""
    at = go(new_app(lang, trials=10), "forecast")
    assert_clean(at)
    prob = re.compile(r"(?:P\(meet\)|達成確率) (\d+)%")
    error = re.compile(r"± ?([\d.]+) ?(?:pt|ポイント)")
    checked = []
    for card in _cards(at.main):
        words = [str(getattr(e, "value", "")) for e in card]
        p = next((int(m.group(1)) / 100 for w in words for m in [prob.search(w)] if m), None)
        se = next((m.group(1) for w in words for m in [error.search(w)] if m), None)
        if p is None:
            continue
        want = 0.3 if p in (0.0, 1.0) else math.sqrt(p * (1 - p) / 10)
        assert se == f"{100 * want:.1f}", (words, se)
        checked.append(p)
    assert len(checked) >= 3 and {0.0, 1.0} & set(checked), checked
    assert not re.search(r"±\s?0\.0\s?(pt|ポイント)", texts(at))


# budgets in plain notation; no slider for a refused budget ---------------------------------
@pytest.mark.parametrize("x, text", [(1e9, "1,000,000,000"), (1_000_000_000, "1,000,000,000"),
                                     (11.5, "11.5"), (1234.5, "1,234.5"), (6.0, "6"),
                                     (-3, "-3"), (1e-6, "0.000001"), (0.5, "0.5")])
def test_plain_number(x, text):
    assert editing.plain_number(x) == text
    assert editing.typed(text, "budget_oku_yen") == x  # the box reads back what it shows


def test_messages_write_numbers_plainly():
    assert ui.plain_numbers("must be at most 10,000 億円, got 1e+09") == \
        "must be at most 10,000 億円, got 1,000,000,000"
    # inside a distribution's parentheses commas part the parameters: no separators there
    assert ui.plain_numbers("uniform(0, 1e9) reaches 1e+09") == \
        "uniform(0, 1000000000) reaches 1,000,000,000"
    assert ui.plain_numbers("FY2027 x1e5 1e400") == "FY2027 x1e5 1e400"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("typed", ["1000000000", "1e9"])
def test_refused_budget_is_plain_and_has_no_slider(lang, typed):
    at = type_budget(new_app(lang), 2027, typed)
    assert_clean(at)
    assert budget_box(at, 2027) == "1,000,000,000"
    fy27 = "FY2027" if lang == "en" else "2027年度"
    assert any(fy27 in m and "1,000,000,000" in m for m in errors(at)), errors(at)
    shown = texts(at) + "\n".join(errors(at))
    assert not SCIENTIFIC.search(shown), SCIENTIFIC.search(shown)
    sliders = [s.label for s in at.slider]
    assert any("2026" in s for s in sliders), sliders  # a valid year keeps its slider
    assert not any("2027" in s for s in sliders), sliders
    # the slider's place says why: the validation message
    assert any("2027" in c.value and "1,000,000,000" in c.value for c in at.caption)
    go(at, "overview")
    assert_clean(at)
    assert not any("2027" in s.label for s in at.slider)
    assert any("1,000,000,000" in c.value for c in at.caption)


# labels: words, not identifiers -----------------------------------------------------------
def _labels(node) -> list[tuple[str, str]]:
    """(element type, label) of every element under ``node`` that has a label."""
    out = []
    label = getattr(node, "label", None)
    if isinstance(label, str):
        out.append((type(node).__name__, label))
    kids = getattr(node, "children", None)
    for kid in kids.values() if isinstance(kids, dict) else ():
        out.extend(_labels(kid))
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", ["scenario", "forecast"])
def test_no_label_is_a_raw_id(page, lang):
    at = new_app(lang)
    type_budget(at, 2027, "9")  # the Scenario page's cards then show changes too
    if page != "scenario":
        go(at, page)
    assert_clean(at)
    labels = _labels(at.main) + _labels(at.sidebar)
    assert sum(kind == "Metric" for kind, _ in labels) >= 6, labels
    raw = [(kind, label) for kind, label in labels
           if not label.strip() or RAW_ID.fullmatch(label.strip())]
    assert not raw, raw


@pytest.mark.parametrize("key, values", [
    ("run.info", {"seed": 1, "seconds": 1.2}),
    ("ev.note", {"seed": 1, "name": "Baseline"}),
    ("pf.sample_note", {}),
    ("se.done", {"factors": 8, "seed": 1, "seconds": 40.0}),
])
@pytest.mark.parametrize("language, count", [("en", "12,345 trials"), ("ja", "12,345 試行")])
def test_trial_counts_are_written_with_thousands_separators(key, values, language, count):
    """Every page writes a trial count the same way ("12,345 trials"), in both languages;
    the Compare page's run line once wrote "12345 trials" beside the Overview's "12,345"."""
    text = i18n.text_in(language, key, trials=12345, **values)
    if key == "se.done" and language == "ja":
        count = "総試行回数 12,345"
    elif key == "ev.note":
        count = "12,345 Monte Carlo trials" if language == "en" else "12,345 試行"
    assert count in text, text


@pytest.mark.parametrize("language, expected", [
    ("en", "Simulating Low budget: 3,072 of 15,000 trials"),
    ("ja", "予算減シナリオを計算中：15,000 試行中 3,072 試行完了"),
])
def test_the_progress_bar_names_the_scenario_in_the_page_language(language, expected,
                                                                   monkeypatch):
    """The progress bar once read 「Low budget を計算中：15000 試行中 3072 試行完了」."""
    from webapp import compute

    monkeypatch.setattr(i18n, "lang", lambda: language)
    assert compute.progress_text("Low budget", 3072, 15000) == expected


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_says_whether_it_is_a_median_or_a_mean(lang):
    """The Scenario page's spend card (mean, 44.7) and the Forecast card (median, 43.6) once
    read as one number disagreeing; so did the Portfolio's mean beside a table of medians."""
    from tests.test_app_support import go, new_app, texts

    median = "Median · P10–P90" if lang == "en" else "中央値・P10～P90"
    at = new_app(lang, trials=40, start="forecast")
    cards = [str(c.value) for c in at.caption if re.search(r"P10[–～]P90[:：]", str(c.value))]
    assert cards and all(c.startswith(median) for c in cards), cards
    # a count of projects is whole at both ends of its range
    counts = [c for c in cards if c.endswith("件") or re.search(r"P90: [\d,]+ – [\d,]+$", c)]
    assert counts and not any(re.search(r"\d\.\d", c) for c in counts), counts
    go(at, "compare")
    assert i18n.raw_pair("cmp.band_note")[lang == "ja"] in texts(at)
