"""Helpers for the app tests (``tests/test_app_*.py``): start the app in AppTest, find
things on a page. Trial counts stay small (query parameter ``trials``) so the suite is quick.
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = {
    "overview": "webapp/pages/overview.py",
    "scenario": "webapp/pages/scenario.py",
    "forecast": "webapp/pages/forecast.py",
    "portfolio": "webapp/pages/portfolio.py",
    "compare": "webapp/pages/compare.py",
    "evaluation": "webapp/pages/evaluation.py",
}
TRIALS = 40
UNEXPECTED = ("Something went wrong", "問題が発生しました")


def new_app(lang: str = "en", trials: int = TRIALS, start: str = "scenario",
            **params: str) -> AppTest:
    """The app opened from a link, run once, then on page ``start`` (the app itself opens
    on the Overview)."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params["trials"] = str(trials)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at if start == "overview" else go(at, start)


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(PAGES[page]).run()


def _plain(markdown: str) -> str:
    """Markdown text with its escapes removed (what the planner reads)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    """The text of every error box, one entry per line."""
    return [line.removeprefix("- ") for e in at.error
            for line in _plain(str(e.value)).splitlines()]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def assert_clean(at: AppTest) -> None:
    """No exception and no "something went wrong" message."""
    assert not at.exception, [e.value for e in at.exception]
    for text in errors(at):
        assert not any(u in text for u in UNEXPECTED), text


def texts(at: AppTest) -> str:
    """Every title, header, markdown, caption and alert on the page, joined."""
    parts = []
    for group in (at.title, at.header, at.subheader, at.markdown, at.caption, at.error,
                  at.warning, at.info, at.success):
        parts.extend(str(e.value) for e in group)
    return "\n".join(parts)


def editor(at: AppTest, prefix: str):
    """The data editor whose key starts with ``prefix`` (keys carry a version number)."""
    return next(d for d in at.data_editor if d.key and d.key.startswith(prefix))


def edit_cells(at: AppTest, prefix: str, edits: dict[int, dict]) -> AppTest:
    """Edit cells of a data editor as the browser would, then rerun."""
    ed = editor(at, prefix)
    at.session_state[ed.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return at.run()


def type_budget(at: AppTest, fy: int, text: str) -> AppTest:
    """Type ``text`` into the budget table's box for ``fy`` (Scenario page) and press Enter."""
    return at.text_input(key=f"budget_value_{fy}").set_value(text).run()


def budget_box(at: AppTest, fy: int) -> str:
    """What the budget table's box for ``fy`` shows."""
    return at.text_input(key=f"budget_value_{fy}").value


def kpis(at: AppTest) -> dict[str, float]:
    """Mean of each KPI of the edited scenario, as the Scenario page last computed it."""
    return dict(at.session_state["_last_kpis"])
