"""Each target's value as of every fiscal year, per trial (evaluations and the app).

:func:`sim.kpis.per_trial_kpis` gives each KPI at its target year (end of program, FY2030,
the horizon). An evaluation also asks where a target stands at the end of the evaluation
year, so here every target KPI is counted as of the end of each fiscal year, with the same
definitions: at the KPI's own year the numbers equal :mod:`sim.kpis` (tested), except the
100,000 t count, which here is what was achieved to date and in the KPI the replications' whole
lifetime (so at the horizon it is at most the KPI).
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit
from sim.results import SimulationResults
from sim.scenario import Scenario

#: KPI ids with a status by fiscal year, and the fiscal year each is judged at.
TARGET_KPIS = (
    "projects_implemented",
    "avg_credits_per_demo_fy2030_t",
    "dissemination_rate",
    "projects_dissemination_100kt",
    "credits_fy2030_t",
)


def target_year(kpi_id: str, scenario: Scenario) -> int:
    """The fiscal year at whose end a KPI is judged."""
    prog = scenario.program
    return {
        "projects_implemented": prog.last_fy,
        "avg_credits_per_demo_fy2030_t": 2030,
        "avg_credits_per_demo_fy2030_all_started_t": 2030,
        "dissemination_rate_midterm": prog.midterm_evaluation_fy,
        "dissemination_rate_final": prog.final_evaluation_fy,
        "japan_credits_fy2030_t": 2030,
        "japan_credits_fy2040_t": 2040,
        "japan_ndc_share_fy2030": 2030,
        "japan_ndc_share_fy2040": 2040,
        "dissemination_rate": prog.horizon_fy,
        "projects_dissemination_100kt": prog.horizon_fy,
        "credits_fy2030_t": 2030,
        "credits_fy2040_t": 2040,
        "ndc_share_fy2030": 2030,
        "ndc_share_fy2040": 2040,
    }.get(kpi_id, prog.horizon_fy)


def kpis_by_fy(results: SimulationResults, scenario: Scenario) -> dict[str, np.ndarray]:
    """Target KPIs as of the end of each fiscal year, each of shape (trials, years).

    ``credits_fy2030_t`` here is the cumulative credits issued to the end of each year. The
    counts and sums over projects are made in one compiled pass over trials, projects and
    years (:func:`_by_fy_counts`), not through (trials, projects, years) temporaries: 2,000
    trials of the many-candidates scenario hold 6 million such cells, and the app draws these
    after every edit."""
    r = results
    prog, tg = scenario.program, scenario.targets
    years = np.asarray(r.years, dtype=np.int64)
    demo = r.kind_mask("demonstration")
    impl, demo_credits, n_demo, n_fin, n_case, reached = _by_fy_counts(
        years, prog.first_fy, prog.last_fy, np.ascontiguousarray(r.start_fy, dtype=np.int64),
        np.ascontiguousarray(demo), np.ascontiguousarray(r.main_start_fy, dtype=np.int64),
        np.ascontiguousarray(r.main_end_fy, dtype=np.int64),
        np.ascontiguousarray(r.first_case_fy, dtype=np.int64),
        np.ascontiguousarray(r.credits_t), np.ascontiguousarray(r.dissemination_t),
        float(tg.dissemination_reduction_per_project_t) - 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(n_demo > 0, demo_credits / np.maximum(n_demo, 1), np.nan)
        rate = np.where(n_fin > 0, n_case / np.maximum(n_fin, 1), np.nan)
    return {
        "projects_implemented": impl.astype(np.float32),
        "avg_credits_per_demo_fy2030_t": avg.astype(np.float32),
        "dissemination_rate": rate.astype(np.float32),
        "projects_dissemination_100kt": reached.astype(np.float32),
        "credits_fy2030_t": np.cumsum(r.program_series("credits_t"), axis=1).astype(np.float32),
    }


@njit(cache=True)
def _by_fy_counts(years, first_fy, last_fy, start_fy, demo, main_start_fy, main_end_fy,
                  first_case_fy, credits_t, dissemination_t, reach_t):
    """Per trial and fiscal year ``years[y]`` (each (trials, years)), with the definitions of
    :mod:`sim.kpis` counted at the end of that year:

    * projects started in the program's years by then (from ``first_fy`` to ``years[y]``,
      at most ``last_fy``);
    * over the demonstrations that entered the demonstration stage by then and by FY2030 at
      most: their credits issued to date [t-CO2, float64, summed project after project] and
      their count;
    * demonstrations whose main stage ended by then, and those of them with a first
      replication by then;
    * demonstrations whose replications reduced at least ``reach_t`` [t-CO2] to date:
      achieved to date (実績), where the KPI itself counts each replication's whole lifetime
      (普及展開期間全体), so at the horizon this is at most the KPI."""
    n, n_p = start_fy.shape
    n_y = len(years)
    impl = np.zeros((n, n_y), np.int64)
    credits = np.zeros((n, n_y))
    n_demo = np.zeros((n, n_y), np.int64)
    n_fin = np.zeros((n, n_y), np.int64)
    n_case = np.zeros((n, n_y), np.int64)
    reached = np.zeros((n, n_y), np.int64)
    for t in range(n):
        for p in range(n_p):
            s = start_fy[t, p]
            if s >= first_fy and s <= last_fy:
                for y in range(n_y):
                    if s <= min(years[y], last_fy):
                        impl[t, y] += 1
            if not demo[p]:
                continue
            ms, me, fc = main_start_fy[t, p], main_end_fy[t, p], first_case_fy[t, p]
            cum = 0.0
            diss = 0.0
            for y in range(n_y):
                cum += np.float64(credits_t[t, p, y])
                diss += np.float64(dissemination_t[t, p, y])
                if ms >= 0 and ms <= min(years[y], 2030):
                    credits[t, y] += cum
                    n_demo[t, y] += 1
                if me >= 0 and me <= years[y]:
                    n_fin[t, y] += 1
                    if fc >= 0 and fc <= years[y]:
                        n_case[t, y] += 1
                if diss >= reach_t:
                    reached[t, y] += 1
    return impl, credits, n_demo, n_fin, n_case, reached
