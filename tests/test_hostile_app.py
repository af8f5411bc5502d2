"""The app as a shared server: hostile links and uploads give one escaped message, never a
traceback, never a live link or remote image, and never more work than a session may ask."""

from __future__ import annotations

import base64
import json
import re
import zlib

import pytest

from sim import limits
from tests.hostile_corpus import HEADER, _row, guard
from tests.test_app_support import assert_clean, new_app, texts, warnings
from webapp import state

CSV = "text/csv"
LINK_LIKE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")  # unescaped Markdown link or image


def _packed(obj_text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(obj_text.encode(), 9)).decode().rstrip("=")


@pytest.mark.parametrize("param, value", [
    ("seed", "[Session expired – log in again](https://evil.example/login)"),
    ("seed", "![x](https://evil.example/pixel.png)"),
    ("seed", "https://evil.example/login www.evil.example admin@evil.example"),
    ("trials", "<img src=x onerror=alert(1)>"),
    ("scenario", "[click](javascript:alert(1))"),
    ("scenario", "../../etc/passwd"),
])
def test_query_values_are_shown_escaped(param, value):
    with guard(seconds=120):
        at = new_app("en", **{param: value})
    assert_clean(at)
    shown = "\n".join(warnings(at))
    assert shown, "the bad value is reported"
    assert not LINK_LIKE.search(shown), shown
    assert "://" not in shown and "www." not in shown.lower(), shown  # no bare autolinks
    assert not re.search(r"(?<!\\)<img", shown), shown


@pytest.mark.parametrize("depth", [50, 20_000])
def test_deeply_nested_link_changes_are_refused_on_every_page(depth):
    changes = _packed('{"a":' * depth + "1" + "}" * depth)
    with guard(seconds=120):
        at = new_app("en", changes=changes)
    assert_clean(at)
    assert any("edits could not be read" in w and "nested more than" in w
               for w in warnings(at)), warnings(at)
    at.run()  # the next rerun (another page view) is fine too
    assert_clean(at)


def test_oversized_link_changes_are_refused():
    at = new_app("en", changes="A" * (state.MAX_LINK_CHARS + 1))
    assert_clean(at)
    assert any("edits could not be read" in w and "longer than" in w for w in warnings(at))


def test_link_with_an_out_of_bounds_value_keeps_the_app_up():
    changes = {"projects": {"mx-waste-heat": {"market_size": 1e12, "dissemination_prob": 1}}}
    link = _packed(json.dumps(changes))
    with guard(seconds=120):
        at = new_app("en", changes=link)
    assert_clean(at)
    assert "must be at most 10,000" in texts(at).replace("\\", "")


def test_work_per_run_is_capped_by_scenario_size():
    """A session asking for the most trials on the largest shipped scenario gets fewer: one
    run stays within the app's cell limit (checked in bare mode, without simulating)."""
    import streamlit as st

    from webapp.scenarios import load_shipped

    ss = st.session_state
    ss[state.K_WORK] = load_shipped("many_candidates.toml")
    ss[state.K_LABEL] = "many_candidates.toml"
    ss["trials"] = limits.APP_MAX_TRIALS
    try:
        n = state.trials()
        cur = state.current()
        assert n < limits.APP_MAX_TRIALS
        assert limits.work_cells(len(cur.scenario.projects), len(cur.scenario.program.years),
                                 n) <= limits.APP_MAX_WORK_CELLS
    finally:
        for key in (state.K_WORK, state.K_LABEL, "trials", state.K_VALID):
            ss.pop(key, None)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_cp932_candidate_table_upload(lang):
    data = (HEADER + "\n" + _row("jp-1", name="排熱回収発電", cost="6億円", t="１５００")
            + "\n").encode("cp932")
    at = new_app(lang, trials=20)
    at.file_uploader(key="upload_0").set_value([("候補.csv", data, CSV)]).run()
    assert_clean(at)
    assert not at.session_state["_upload_problems"] if "_upload_problems" in \
        at.session_state else True
    projects = at.session_state["_work"]["projects"]
    assert projects["jp-1"]["name"] == "排熱回収発電"
    assert float(projects["jp-1"]["main_cost_oku_yen"]) == 6.0
    assert "Shift" in texts(at) and "CP932" in texts(at)


def test_deeply_nested_toml_upload_is_refused():
    data = ("a = " + "[" * 20_000 + "]" * 20_000).encode()
    at = new_app("en", trials=20)
    before = at.session_state["_work"]
    at.file_uploader(key="upload_0").set_value([("deep.toml", data, "application/toml")]).run()
    assert_clean(at)
    assert "nested more than" in texts(at).replace("\\", "")
    assert at.session_state["_work"] == before
