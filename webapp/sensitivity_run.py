"""Sensitivity analyses for the app: one call into :func:`sensitivity.analysis.run`, cached.

Like forecasts (:mod:`webapp.compute`), a result is cached (``st.cache_data``) under the
scenario's TOML text (its hash), the seed and the analysis settings, so switching language or
page never re-runs it. While it runs, a progress bar and a Stop button are shown; Stop ends
the run and the page says so. The last tornado of a scenario is remembered for the
Evaluation page's downloads.
"""

from __future__ import annotations

import streamlit as st

from sensitivity import analysis
from webapp import state
from webapp.i18n import t

K_LAST_TORNADO = "_sens_last_tornado"


class _Miss(Exception):
    """Not in the cache yet."""


@st.cache_data(max_entries=32, max_size="50MB", show_spinner=False)
def _store(key: str, _value: dict | None = None) -> dict:
    if _value is None:
        raise _Miss
    return _value


def cache_key(cur: state.Current, s: analysis.Settings) -> str:
    return (f"{cur.key}:{s.method}:{s.kpi}:{s.trials}:{s.seed}:{s.n}:{s.r}:{s.largest}")


def cached(cur: state.Current, s: analysis.Settings) -> dict | None:
    try:
        return _store(cache_key(cur, s))
    except _Miss:
        return None


def latest_tornado(scenario_key: str, seed: int) -> dict | None:
    """The last tornado run in this session for this scenario and seed, if still cached."""
    last = st.session_state.get(K_LAST_TORNADO)
    if not last or not last.startswith(f"{scenario_key}:tornado:"):
        return None
    try:
        doc = _store(last)
    except _Miss:
        return None
    return doc if doc.get("settings", {}).get("seed") == seed else None


def run(cur: state.Current, s: analysis.Settings, where: str = "sens") -> dict | None:
    """The analysis from the cache, or run now with a progress bar and Stop.

    Returns None when the user stopped the run (a message says so).
    """
    assert cur.scenario is not None
    key = cache_key(cur, s)
    hit = cached(cur, s)
    if hit is not None:
        if s.method == "tornado":
            st.session_state[K_LAST_TORNADO] = key
        return hit
    ss = st.session_state
    stop_key = f"_stop_{where}"
    if ss.get(stop_key):
        st.warning(t("se.stopped"), icon=":material/stop_circle:")
        return None
    slot = st.empty()
    with slot.container():
        st.button(t("run.stop"), key=stop_key, icon=":material/stop_circle:")
        bar = st.progress(0.0, text=t("se.progress", done=0, total="…"))
    interrupted: list[BaseException] = []

    def progress(done: int, total: int) -> bool:
        try:
            bar.progress(done / total, text=t("se.progress", done=done, total=total))
        except BaseException as err:  # noqa: BLE001 - Streamlit's stop/rerun: end the run
            interrupted.append(err)
            return False
        return True

    try:
        doc = analysis.run(cur.scenario, s, progress=progress)
    except analysis.Cancelled:
        if interrupted:
            raise interrupted[0] from None
        return None
    slot.empty()
    if s.method == "tornado":
        ss[K_LAST_TORNADO] = key
    return _store(key, _value=doc)
