"""Simulation runs for the pages: one call into :func:`sim.montecarlo.simulate`, cached.

A run is cached (``st.cache_data``) under the scenario's TOML text (its hash), the seed and
the trial count, so redrawing a chart or switching language never re-runs it, and the same
edits give the same results in every session. While a run is going, a progress bar and a
Stop button are shown; Stop ends it and the page says the results were not updated.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from sim.kpi_status import kpis_by_fy
from sim.kpis import KpiSummary, compute_kpis, per_trial_kpis
from sim.montecarlo import simulate
from sim.report_data import annual_series, simulation_report
from sim.results import SimulationResults
from sim.scenario import Scenario
from webapp import names, state
from webapp.i18n import t
from webapp.safe import md_escape

#: Trial count from which the run is split over processes.
PARALLEL_FROM = 200
#: Trials of the first answer after an edit, when the full trial count is above
#: :data:`QUICK_FROM`; the full run then refines it.
QUICK_TRIALS = 500
#: Trial counts up to this are run in full at once (the fast engine answers in about a
#: second).
QUICK_FROM = 5000


@dataclass(frozen=True)
class Forecast:
    """What the pages draw from one run (small enough to cache and copy)."""

    name: str
    seed: int
    trials: int
    seconds: float
    years: np.ndarray
    as_of_fy: int
    kpis: tuple[KpiSummary, ...]
    per_trial: dict[str, np.ndarray]
    by_fy: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    report: dict
    #: Per project (in ``report["projects"]`` order): ``reach_dissemination``, the chance
    #: its dissemination reductions reach the target amount by the horizon.
    by_project: dict[str, np.ndarray] = field(default_factory=dict)

    def kpi(self, kpi_id: str) -> KpiSummary:
        return next(k for k in self.kpis if k.id == kpi_id)

    def year_index(self, fy: int) -> int:
        return int(fy - self.years[0])


def summarise(scenario: Scenario, results: SimulationResults, seconds: float) -> Forecast:
    """Reduce simulation results to what the pages need."""
    series = annual_series(results)
    return Forecast(
        name=scenario.name,
        seed=results.seed,
        trials=results.n_trials,
        seconds=seconds,
        years=np.asarray(results.years),
        as_of_fy=results.as_of_fy,
        kpis=tuple(compute_kpis(results, scenario)),
        per_trial={k: np.asarray(v, dtype=np.float64)
                   for k, v in per_trial_kpis(results, scenario).items()},
        by_fy=kpis_by_fy(results, scenario),
        series={k: np.asarray(v, dtype=np.float32) for k, v in series.items()},
        report=simulation_report(scenario, results),
        by_project={"reach_dissemination": _reach(results, scenario)},
    )


def _reach(results: SimulationResults, scenario: Scenario) -> np.ndarray:
    """Each project's chance that its dissemination reductions reach the target amount."""
    total = results.dissemination_t.sum(axis=2, dtype=np.float64)
    need = scenario.targets.dissemination_reduction_per_project_t
    return (total >= need).mean(axis=0)


class _Miss(Exception):
    """Not in the cache yet."""


@st.cache_data(max_entries=64, max_size="400MB", show_spinner=False)
def _store(key: str, _value: Forecast | None = None) -> Forecast:
    """The cache: a hit returns the stored forecast; a miss raises :class:`_Miss`."""
    if _value is None:
        raise _Miss
    return _value


def workers_for(trials: int) -> int:
    """Processes for a run: up to two (or JCM_APP_WORKERS) once the run is long enough."""
    try:
        most = int(os.environ.get("JCM_APP_WORKERS", "2"))
    except ValueError:
        most = 2
    if trials < PARALLEL_FROM:
        return 1
    return max(1, min(most, os.cpu_count() or 1))


def cache_key(cur: state.Current, seed: int, trials: int) -> str:
    return f"{cur.key}:{seed}:{trials}"


def cached(cur: state.Current, seed: int, trials: int) -> Forecast | None:
    """The cached forecast, or None."""
    try:
        return _store(cache_key(cur, seed, trials))
    except _Miss:
        return None


def forecast(cur: state.Current, seed: int, trials: int, where: str) -> Forecast | None:
    """The forecast of a valid scenario, from the cache or run now with progress and Stop.

    Parameters
    ----------
    cur : state.Current
        A validated scenario (``cur.scenario`` not None).
    where : str
        A name for this call site, unique on the page (widget keys).

    Returns
    -------
    Forecast or None
        None when the user stopped the run (a message says so, with a button to run again).
    """
    assert cur.scenario is not None
    key = cache_key(cur, seed, trials)
    hit = cached(cur, seed, trials)
    if hit is not None:
        return hit
    ss = st.session_state
    stop_key, stopped_key = f"_stop_{where}", f"_stopped_{where}"
    if ss.get(stop_key):  # Stop was pressed during the last run: that run ended there
        ss[stopped_key] = key
    slot = st.empty()
    with slot.container():
        if ss.get(stopped_key) == key:
            st.warning(t("run.stopped"), icon=":material/stop_circle:")
            if not st.button(t("run.again"), key=f"_again_{where}", type="primary"):
                return None
            ss.pop(stopped_key, None)
        st.button(t("run.stop"), key=stop_key, icon=":material/stop_circle:")
        bar = st.progress(0.0, text=progress_text(cur.scenario.name, 0, trials))
    interrupted: list[BaseException] = []

    def progress(done: int, total: int) -> bool:
        try:
            bar.progress(done / total, text=progress_text(cur.scenario.name, done, total))
        except BaseException as err:  # noqa: BLE001 - Streamlit's stop/rerun: end the run
            interrupted.append(err)
            return False
        return True

    t0 = time.perf_counter()
    results = simulate(cur.scenario, trials, seed, workers=workers_for(trials),
                       progress=progress)
    if interrupted:
        raise interrupted[0]
    fc = summarise(cur.scenario, results, time.perf_counter() - t0)
    slot.empty()
    return _store(key, _value=fc)


def first_answer(cur: state.Current, seed: int, trials: int,
                 where: str) -> tuple[Forecast | None, bool]:
    """The forecast to draw now, and whether it still needs refining.

    The full run when it is cached (or up to :data:`QUICK_FROM` trials); otherwise a quick
    run of the first :data:`QUICK_TRIALS` trials. A trial's random numbers depend only on the
    seed and its number, so the quick run is exactly the first trials of the full one: the
    refined answer only narrows the Monte Carlo error, which the cards show.
    """
    hit = cached(cur, seed, trials)
    if hit is not None or trials <= QUICK_FROM:
        return (hit if hit is not None else forecast(cur, seed, trials, where)), False
    return forecast(cur, seed, QUICK_TRIALS, f"{where}_quick"), True


def progress_text(scenario_name: str, done: int, total: int) -> str:
    """The progress bar's text: the scenario by its name in the page's language, the trial
    counts with thousands separators."""
    return t("run.progress", name=md_escape(names.scenario(scenario_name)), done=f"{done:,}",
             total=f"{total:,}")


def refine(runs: list[state.Current], seed: int, trials: int, where: str, quick: int) -> None:
    """Run the full trial count for each scenario (progress bar and Stop), then draw the
    page again from the cache. Call it last on a page drawn from :func:`first_answer`, whose
    answer came from ``quick`` trials: a caption says it is being refined, and once the
    planner stops the run, that the page shows the first ``quick`` trials only."""
    note = st.empty()
    note.caption(t("ov.refining", quick=f"{quick:,}", trials=f"{trials:,}"))
    for k, cur in enumerate(runs):
        if forecast(cur, seed, trials, f"{where}_full{k}") is None:
            note.caption(t("ov.first_only", quick=f"{quick:,}", trials=f"{trials:,}"))
            return
    st.rerun()
