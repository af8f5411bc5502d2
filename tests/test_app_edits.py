"""Editing a scenario in the app: budgets and candidates change the KPIs in the expected
direction, invalid edits show their message next to the table and are kept, the language
switch keeps every input, and the link (query parameters) rebuilds the same scenario."""

from __future__ import annotations

import pytest

from tests.test_app_support import (
    assert_clean,
    budget_box,
    edit_cells,
    editor,
    errors,
    go,
    kpis,
    new_app,
    texts,
    type_budget,
    warnings,
)
from webapp import state
from webapp.scenarios import load_shipped

TRIALS = 60


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_raising_fy2027_budget_in_the_table_raises_projects_and_credits(lang):
    at = new_app(lang, trials=TRIALS)
    before = kpis(at)
    type_budget(at, 2027, "25")
    assert_clean(at)
    after = kpis(at)
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == 25
    assert after["projects_implemented"] > before["projects_implemented"]
    assert after["credits_fy2030_t"] > before["credits_fy2030_t"]
    assert after["spend_oku_yen"] > before["spend_oku_yen"]
    # the change shows on the cards as a difference from the shipped scenario
    assert any(m.delta for m in at.metric)


@pytest.mark.parametrize("typed, value", [("6.5億円", 6.5), ("６．５", 6.5), ("７億円", 7),
                                          ("6.5 億円", 6.5)])
def test_a_budget_typed_with_its_unit_or_full_width_digits_is_read_as_the_number(typed, value):
    at = new_app("en", trials=TRIALS)
    type_budget(at, 2027, typed)
    assert_clean(at)
    assert not errors(at)
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == value
    assert not any("is a range" in t for t in texts(at))  # a plain number, not a range
    go(at, "forecast")
    assert_clean(at)
    assert not warnings(at) and kpis(at)  # the forecast is updated, not blank


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_quick_slider_cut_lowers_spend_and_credits(lang):
    at = new_app(lang, trials=TRIALS)
    before = kpis(at)
    at.slider(key="quick_2027_40").set_value(0.5).run()
    assert_clean(at)
    after = kpis(at)
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == 0.5
    # (the number of projects need not fall: a small year still funds small projects)
    assert after["spend_oku_yen"] < before["spend_oku_yen"]
    assert after["credits_fy2040_t"] < before["credits_fy2040_t"]
    # the table shows the slider's value
    assert budget_box(at, 2027) == "0.5"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("typed, rule", [("-3", ("must never be negative", "負の値")),
                                         ("lots", ("lots", "lots")),
                                         ("triangular(6, 5", ("triangular", "triangular"))])
def test_invalid_budget_shows_message_and_keeps_the_input(lang, typed, rule):
    at = new_app(lang, trials=TRIALS)
    type_budget(at, 2027, typed)
    assert_clean(at)
    messages = errors(at)
    fy = "FY2027" if lang == "en" else "2027年度"
    rule = rule[0] if lang == "en" else rule[1]
    assert any(fy in m and rule in m for m in messages), messages
    kept = at.session_state["_work"]["budget"]["FY2027"]["value"]
    assert str(kept) == typed
    assert budget_box(at, 2027) == typed
    # other pages say the scenario has errors rather than failing
    go(at, "forecast")
    assert_clean(at)
    assert warnings(at)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_invalid_candidate_start_year_shows_message(lang):
    at = new_app(lang, trials=TRIALS)
    ed = editor(at, "candidate_editor")
    row = list(ed.value["id"]).index("mx-waste-heat")
    edit_cells(at, "candidate_editor", {row: {"earliest_start_fy": 2035}})
    assert_clean(at)
    messages = errors(at)
    assert any("mx-waste-heat" in m and "2035" in m for m in messages), messages
    assert at.session_state["_work"]["projects"]["mx-waste-heat"]["earliest_start_fy"] == 2035


def test_dropping_candidates_lowers_spend_and_is_in_the_link():
    at = new_app("en", trials=TRIALS)
    before = kpis(at)
    ids = list(editor(at, "candidate_editor").value["id"])
    drop = ["mx-waste-heat", "ke-geothermal-wellhead", "th-solar-storage"]
    edit_cells(at, "candidate_editor", {ids.index(p): {"include": False} for p in drop})
    assert_clean(at)
    assert sorted(at.session_state["_work"]["exclude_projects"]) == sorted(drop)
    after = kpis(at)
    assert after["spend_oku_yen"] <= before["spend_oku_yen"] + 1e-9
    link = at.query_params.get("changes")
    assert link
    assert sorted(state.decode_changes(link)["exclude_projects"]) == sorted(drop)


def test_language_switch_keeps_inputs():
    at = new_app("en", trials=TRIALS)
    at.slider(key="quick_2027_40").set_value(20.0).run()
    at.number_input(key="seed").set_value(7).run()
    go(at, "forecast")
    at.radio(key="lang").set_value("ja").run()
    assert_clean(at)
    assert at.title[0].value == "予測"
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == 20.0
    assert at.session_state["seed"] == 7
    assert "7" in texts(at)  # the run caption names the seed
    go(at, "scenario")
    assert at.slider(key="quick_2027_40").value == 20.0
    assert at.query_params["lang"] == "ja"


def test_link_rebuilds_the_scenario_and_seed():
    base = load_shipped("baseline.toml")
    edited = state.apply_changes(base, {"budget": {"FY2027": 18.0}})
    changes = state.changes_of(base, edited)
    at = new_app("en", trials=TRIALS, seed="5", changes=state.encode_changes(changes))
    assert_clean(at)
    assert at.session_state["_work"]["budget"]["FY2027"] == 18.0
    assert at.session_state["seed"] == 5
    assert at.query_params["changes"] == state.encode_changes(changes)
    first = kpis(at)
    again = new_app("en", trials=TRIALS, seed="5", changes=state.encode_changes(changes))
    assert kpis(again) == first  # same link, same results


@pytest.mark.parametrize("changes", [
    "!!!not-base64",
    "eJzLSM3JyVcozy_KSQEAGgQEXQ",  # valid zlib, but not JSON
    "A" * 7000,  # too long
])
def test_bad_link_falls_back_to_the_shipped_scenario(changes):
    at = new_app("en", trials=TRIALS, changes=changes, scenario="../../etc/passwd",
                 seed="abc")
    assert_clean(at)
    assert warnings(at)
    assert at.session_state["_work"] == load_shipped("baseline.toml")


def test_link_with_a_zip_bomb_is_refused():
    import base64
    import zlib

    bomb = zlib.compress(b"[" + b" " * 3_000_000 + b"]", 9)
    text = base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(ValueError):
        state.decode_changes(text)


def test_link_cannot_name_files_on_the_server():
    hostile = state.encode_changes({"candidates_files": ["/etc/passwd.csv"],
                                    "extends": "/etc/hosts"})
    at = new_app("en", trials=TRIALS, changes=hostile)
    assert_clean(at)
    messages = errors(at)
    assert any("candidates_files" in m for m in messages), messages
    assert any("extends" in m for m in messages), messages


def test_undo_all_edits():
    at = new_app("en", trials=TRIALS)
    at.slider(key="quick_2027_40").set_value(3.0).run()
    assert at.session_state["_work"] != load_shipped("baseline.toml")
    at.button(key="reset_edits").click().run()
    assert_clean(at)
    assert at.session_state["_work"] == load_shipped("baseline.toml")
    assert "changes" not in at.query_params


def test_picking_another_shipped_scenario():
    at = new_app("en", trials=TRIALS)
    at.selectbox(key="pick_scenario").set_value("budget_high.toml").run()
    assert_clean(at)
    assert at.session_state["_work"]["name"] == "High budget"
    assert at.query_params["scenario"] == "budget_high.toml"


@pytest.mark.parametrize("lang, label", [("en", "Program spend** (Mean)"),
                                         ("ja", "**（平均）")])
def test_the_scenario_page_says_its_spend_card_shows_the_mean(lang, label):
    """The Forecast card shows spend's median; the Scenario page's card shows its mean (what
    the budget years add up to) and says so, so the two numbers are not read as one."""
    at = new_app(lang, trials=TRIALS)
    assert_clean(at)
    titles = [str(m.value) for m in at.markdown if "(" in str(m.value) or "（" in str(m.value)]
    assert any(label in title for title in titles), titles


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_emptied_budget_box_is_no_budget_written_out(typed):
    """An emptied box means no budget that year (its placeholder says so): 0 億円, shown in
    the box, carried by the link, never 'nan'."""
    at = new_app("en", trials=TRIALS)
    type_budget(at, 2026, typed)
    assert_clean(at)
    entry = at.session_state["_work"]["budget"]["FY2026"]
    assert entry["value"] == 0.0
    assert budget_box(at, 2026) == "0"
    assert at.text_input(key="budget_source_2026").value != "nan"
    changes = state.decode_changes(at.query_params["changes"])
    assert changes["budget"]["FY2026"]["value"] == 0.0
    assert "nan" not in texts(at).lower().split()
