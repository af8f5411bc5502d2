"""The planners' web app: ``streamlit run app.py`` (opens the baseline scenario).

This file is the frame around every page: it sets up the session from the link (query
parameters), draws the sidebar (language, trials, seed, the scenario in use and the
shareable link), runs the page the planner chose, and writes the link back into the
address bar. The pages live in ``webapp/pages/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from webapp import cardgrid, i18n, names, navguard, state, ui
from webapp.i18n import t

ICON = Path(__file__).resolve().parent / "webapp" / "static" / "icon.png"

st.set_page_config(
    page_title="JCM planner",
    page_icon=str(ICON),  # shipped with the app: nothing is fetched from outside
    layout="wide",
    initial_sidebar_state="expanded",
)
state.init_session()
state.keep_settings()

# No icons in the navigation: their ligature names would be read out with the titles.
PAGES = (
    ("webapp/pages/overview.py", "nav.overview", "overview"),
    ("webapp/pages/scenario.py", "nav.scenario", "scenario"),
    ("webapp/pages/forecast.py", "nav.forecast", "forecast"),
    ("webapp/pages/portfolio.py", "nav.portfolio", "portfolio"),
    ("webapp/pages/compare.py", "nav.compare", "compare"),
    ("webapp/pages/evaluation.py", "nav.evaluation", "evaluation"),
    ("webapp/pages/sensitivity.py", "nav.sensitivity", "sensitivity"),
)
page = st.navigation(
    [st.Page(path, title=t(title), url_path=url, default=(url == "overview"))
     for path, title, url in PAGES],
    position="sidebar",
)
state.honour_navigation(page.url_path or "overview",
                        {url: path for path, _, url in PAGES})


def sidebar() -> None:
    """Language, run settings, the scenario in use and the shareable link."""
    with st.sidebar:
        navguard.install()
        cardgrid.style()  # every page: labels wrap instead of ending in '…'
        st.caption(t("app.title"))
        st.radio(t("side.language"), options=list(i18n.LANGS), key="lang", horizontal=True,
                 format_func=lambda code: i18n.LANG_NAMES[code])
        st.subheader(t("side.run"))
        st.number_input(t("side.trials"), min_value=state.MIN_TRIALS,
                        max_value=state.MAX_TRIALS, step=100, key="trials",
                        help=t("side.trials_help"))
        if state.trials() < state.requested_trials():
            st.caption(t("lim.trials_capped", n=f"{state.trials():,}"))
        st.number_input(t("side.seed"), min_value=0, max_value=state.MAX_SEED, step=1,
                        key="seed", help=t("side.seed_help"))
        st.subheader(t("side.scenario"))
        cur = state.current()
        note = []
        if state.is_edited():
            note.append(t("side.edited"))
        if cur.scenario is None:
            note.append(t("side.invalid"))
        name = names.scenario(cur.scenario.name) if cur.scenario is not None else state.label()
        sep = "、" if i18n.lang() == "ja" else ", "
        st.markdown(f"**{ui.md_escape(name)}**" + (i18n.paren(sep.join(note)) if note else ""))


def link_note(lk: state.Link) -> None:
    """The shareable link, with a copy button (the code box's own), and what it carries."""
    with st.sidebar:
        st.subheader(t("side.link"))
        if lk.too_long:
            st.caption(t("side.link_long"))
        elif not lk.exact:
            st.caption(t("side.link_inexact"))
        else:
            st.caption(t("side.link_help"))
        if not lk.too_long:
            st.code(state.full_link(lk, [url for _, _, url in PAGES]), language=None,
                    wrap_lines=True)


ui.guarded(sidebar)
if st.session_state.get(state.K_URL_PROBLEMS):
    st.warning(t("err.url", what=ui.md_escape(t("err.url_join").join(state.url_problems()))))
ui.guarded(page.run)
ui.guarded(lambda: link_note(state.sync_url()))
