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

    ``credits_fy2030_t`` here is the cumulative credits issued to the end of each year.
    """
    r = results
    prog, tg = scenario.program, scenario.targets
    years = np.asarray(r.years)
    demo = r.kind_mask("demonstration")

    cap = np.minimum(years, prog.last_fy)[None, None, :]
    start = r.start_fy[:, :, None]
    started = (start >= prog.first_fy) & (start <= cap)  # (trials, projects, years)
    implemented = started.sum(axis=1).astype(np.float32)

    # demonstrations that entered the demonstration stage by then (and by FY2030 at most)
    main_start = r.main_start_fy[:, demo][:, :, None]
    entered = (main_start >= 0) & (main_start <= np.minimum(years, 2030)[None, None, :])
    cum_demo = np.cumsum(r.credits_t[:, demo, :], axis=2, dtype=np.float64)
    demo_credits = np.where(entered, cum_demo, 0.0).sum(axis=1)
    n_demo = entered.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(n_demo > 0, demo_credits / np.maximum(n_demo, 1), np.nan)

    end = r.main_end_fy[:, demo][:, :, None]
    first = r.first_case_fy[:, demo][:, :, None]
    finished = (end >= 0) & (end <= years[None, None, :])
    with_case = finished & (first >= 0) & (first <= years[None, None, :])
    n_fin = finished.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_fin > 0, with_case.sum(axis=1) / np.maximum(n_fin, 1), np.nan)

    # achieved to date (実績): reductions so far; the KPI itself counts each replication's whole
    # lifetime (普及展開期間全体), so at the horizon this is at most the KPI
    dissem = np.cumsum(r.dissemination_t[:, demo, :], axis=2, dtype=np.float64)
    reached = (dissem >= tg.dissemination_reduction_per_project_t - 1e-9).sum(axis=1)

    return {
        "projects_implemented": implemented,
        "avg_credits_per_demo_fy2030_t": avg.astype(np.float32),
        "dissemination_rate": rate.astype(np.float32),
        "projects_dissemination_100kt": reached.astype(np.float32),
        "credits_fy2030_t": r.cumulative_by_fy(r.credits_t).astype(np.float32),
    }
