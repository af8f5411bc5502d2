"""Links that carry something the app cannot use: each part is named with what is used
instead, in the page's language, and everything else in the link is still used."""

from __future__ import annotations

import pytest

from tests.test_app_support import _plain, assert_clean, new_app, warnings
from webapp import state
from webapp.scenarios import load_shipped

EDIT = state.encode_changes({"budget": {"FY2027": 18.0}})


def _warning(at) -> str:
    found = [_plain(w) for w in warnings(at) if "link" in w or "リンク" in w]
    assert len(found) == 1, warnings(at)
    return found[0]


def test_a_bad_seed_is_named_and_the_edits_in_the_link_are_still_used():
    at = new_app("en", trials=20, changes=EDIT, seed="abc")
    assert_clean(at)
    text = _warning(at)
    assert "seed=abc is not a whole number, so 1 is used" in text
    assert "shown" not in text  # the scenario is not replaced: the edit is shown
    assert at.session_state["_work"]["budget"]["FY2027"] == 18.0
    assert at.session_state["seed"] == 1


@pytest.mark.parametrize("lang, words", [
    ("en", ("trials=-5 is outside 10 to", "so 10 is used",
            "seed=99999999999 is outside 0 to 2,147,483,647, so 2,147,483,647 is used")),
    ("ja", ("trials=-5 は 10〜", "10 を使います", "seed=99999999999 は 0〜2,147,483,647 の範囲外")),
])
def test_numbers_out_of_range_are_clamped_with_a_message(lang, words):
    at = new_app(lang, trials=-5, seed="99999999999")
    assert_clean(at)
    text = _warning(at)
    for word in words:
        assert word in text, text
    assert at.session_state["trials"] == state.MIN_TRIALS
    assert at.session_state["seed"] == state.MAX_SEED


@pytest.mark.parametrize("lang, words", [
    ("en", ("the link's edits could not be read (not in the form this app writes)",
            "so baseline.toml is shown without them")),
    ("ja", ("リンクの編集内容を読み込めなかったため（このアプリが作る形式ではありません）",)),
])
def test_unreadable_edits_name_no_python_error(lang, words):
    at = new_app(lang, trials=20, changes="eJzLSM3JyVcozy_KSQEAGgQEXQ")  # zlib, not JSON
    assert_clean(at)
    text = _warning(at)
    for word in words:
        assert word in text, text
    assert "Error" not in text
    assert at.session_state["_work"] == load_shipped("baseline.toml")


def test_a_bad_portfolio_setting_is_named_and_the_good_ones_are_kept():
    pf = state.encode_changes({"pf_alpha": 5, "pf_n": 300, "pf_colour": "blue"})
    at = new_app("en", trials=20, pf=pf)
    assert_clean(at)
    text = _warning(at)
    assert "Portfolio settings pf_alpha, pf_colour are not values the page accepts" in text
    assert at.session_state["_keep_pf_n"] == 300
    assert "_keep_pf_alpha" not in at.session_state


def test_unreadable_portfolio_settings_say_so():
    at = new_app("ja", trials=20, pf="!!!")
    assert_clean(at)
    assert "ポートフォリオ設定を読み込めなかったため" in _warning(at)


def test_a_good_link_has_no_warning():
    at = new_app("en", trials=20, changes=EDIT, seed="7")
    assert_clean(at)
    assert not [w for w in warnings(at) if "link" in w]
    assert at.session_state["_work"]["budget"]["FY2027"] == 18.0


@pytest.mark.parametrize("lang, words", [
    ("en", "lang=xx is not a language of the app (ja, en)"),
    ("ja", "lang=xx はこのアプリの言語（ja、en）ではない")])
def test_an_unknown_language_is_named_in_the_language_then_chosen(lang, words):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_support import APP

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update({"lang": "xx", "trials": "20", "seed": "abc"})
    at.run()
    at.radio(key="lang").set_value(lang).run()
    text = _warning(at)
    assert words in text, text
    # two problems are joined as the language writes sentences
    assert ("。seed=abc" in text) if lang == "ja" else ("; seed=abc" in text), text


_PAGES = ("overview", "scenario", "forecast", "portfolio", "compare", "evaluation",
          "sensitivity")


@pytest.mark.parametrize("here, page, address", [
    # the first page lives at the root only: "/overview" opens on "Page not found"
    ("http://h:8501/overview", "overview", "http://h:8501/?lang=ja"),
    ("http://h:8501/", "overview", "http://h:8501/?lang=ja"),
    ("http://h:8501", "overview", "http://h:8501/?lang=ja"),
    ("http://h:8501/forecast?x=1", "forecast", "http://h:8501/forecast?lang=ja"),
    # the browser's address can lag behind the page drawn: the page drawn wins
    ("http://h:8501/forecast", "overview", "http://h:8501/?lang=ja"),
    ("http://h:8501/", "compare", "http://h:8501/compare?lang=ja"),
    # a proxy's base path is kept
    ("https://example.org/jcm/", "overview", "https://example.org/jcm?lang=ja"),
    ("https://example.org/jcm/scenario", "scenario", "https://example.org/jcm/scenario?lang=ja"),
    ("", "forecast", "/?lang=ja"),  # no browser (tests)
])
def test_the_shareable_link_points_at_the_page_drawn(here, page, address):
    assert state.page_address(here, {"lang": "ja"}, page, _PAGES, "overview") == address
