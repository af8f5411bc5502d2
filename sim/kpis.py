"""The program's KPIs from simulation results: per-trial values, then summaries.

Each KPI is computed per trial, then summarised by its mean, P10, P50, P90 and the Monte Carlo
standard error of the mean (sample standard deviation / sqrt(trials)); where the program has a
target, also the probability of meeting it (share of trials at or above the target) and that
probability's standard error. KPI ids are a contract used in JSON output.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from sim.results import SimulationResults
from sim.scenario import Scenario


@dataclass(frozen=True)
class KpiDef:
    """What a KPI means."""

    id: str
    label: str
    unit: str
    description: str


KPI_DEFS: tuple[KpiDef, ...] = (
    KpiDef("projects_implemented", "Projects implemented", "projects",
           "projects started by the end of the program (output target)"),
    KpiDef("avg_credits_per_demo_fy2030_t", "Average credits per demonstration by FY2030", "t-CO2",
           "credits issued by demonstrations by the end of FY2030 / demonstrations started"),
    KpiDef("dissemination_rate", "Dissemination rate", "share",
           "share of demonstrations whose main stage ended that reach ≥ 1 dissemination case by "
           "the horizon"),
    KpiDef("projects_dissemination_100kt", "Demonstrations reaching the dissemination amount",
           "projects",
           "demonstrations whose dissemination reductions by the horizon reach the target "
           "amount (100,000 t by default)"),
    KpiDef("credits_fy2030_t", "Credits issued by FY2030", "t-CO2",
           "cumulative JCM credits issued by the program's projects to the end of FY2030"),
    KpiDef("credits_fy2040_t", "Credits issued by FY2040", "t-CO2",
           "cumulative JCM credits issued to the end of FY2040"),
    KpiDef("japan_credits_fy2030_t", "Japan's credits by FY2030", "t-CO2",
           "Japan's share of the credits issued to the end of FY2030"),
    KpiDef("japan_credits_fy2040_t", "Japan's credits by FY2040", "t-CO2",
           "Japan's share of the credits issued to the end of FY2040"),
    KpiDef("ndc_share_fy2030", "Share of the national JCM goal, FY2030", "share",
           "credits issued by FY2030 / national goal (about 100 Mt-CO2 cumulative)"),
    KpiDef("ndc_share_fy2040", "Share of the national JCM goal, FY2040", "share",
           "credits issued by FY2040 / national goal (about 200 Mt-CO2 cumulative)"),
    KpiDef("spend_oku_yen", "Program spend", "億円",
           "money committed to projects over the program, history included"),
    KpiDef("cost_per_credit_yen", "Cost per credit", "JPY/t-CO2",
           "program spend / credits issued by FY2040 (trials with no credits left out)"),
)


@dataclass(frozen=True)
class KpiSummary:
    """Summary of one KPI over the trials (NaN trials, e.g. no demonstration finished, left out).

    ``target`` and ``prob_meet`` are None where the program sets no target.
    """

    id: str
    label: str
    unit: str
    mean: float
    p10: float
    p50: float
    p90: float
    std_error: float
    target: float | None
    prob_meet: float | None
    prob_meet_std_error: float | None
    n_trials: int
    n_valid: int

    def as_dict(self) -> dict:
        return asdict(self)


def demos_started(results: SimulationResults, scenario: Scenario) -> np.ndarray:
    """Demonstrations started by the end of the program, per trial [count]."""
    s = results.start_fy[:, results.kind_mask("demonstration")]
    return ((s >= 0) & (s <= scenario.program.last_fy)).sum(axis=1)


def per_trial_kpis(results: SimulationResults, scenario: Scenario) -> dict[str, np.ndarray]:
    """Every KPI's value in every trial, shape (trials,) each."""
    prog, tg = scenario.program, scenario.targets
    r = results
    demo = r.kind_mask("demonstration")
    started_in_program = (r.start_fy >= 0) & (r.start_fy <= prog.last_fy)
    y2030 = r.year_index(2030)
    y2040 = r.year_index(2040)
    cum = r.cumulative_by_fy(r.credits_t)
    cum_jp = r.cumulative_by_fy(r.japan_credits_t)
    demo_credits_2030 = r.credits_t[:, demo, : y2030 + 1].sum(axis=(1, 2), dtype=np.float64)
    n_demo = demos_started(r, scenario)
    finished_demo = (r.main_end_fy[:, demo] >= 0)
    with_case = finished_demo & (r.dissemination_cases[:, demo] > 0)
    dissem_total = r.dissemination_t[:, demo, :].sum(axis=2, dtype=np.float64)
    spend = r.spend_oku_yen.sum(axis=(1, 2), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_demo = np.where(n_demo > 0, demo_credits_2030 / np.maximum(n_demo, 1), 0.0)
        n_fin = finished_demo.sum(axis=1)
        rate = np.where(n_fin > 0, with_case.sum(axis=1) / np.maximum(n_fin, 1), np.nan)
        cost = np.where(cum[:, y2040] > 0, spend * 1e8 / cum[:, y2040], np.nan)
    return {
        "projects_implemented": started_in_program.sum(axis=1).astype(float),
        "avg_credits_per_demo_fy2030_t": avg_demo,
        "dissemination_rate": rate,
        "projects_dissemination_100kt": (
            dissem_total >= tg.dissemination_reduction_per_project_t
        ).sum(axis=1).astype(float),
        "credits_fy2030_t": cum[:, y2030],
        "credits_fy2040_t": cum[:, y2040],
        "japan_credits_fy2030_t": cum_jp[:, y2030],
        "japan_credits_fy2040_t": cum_jp[:, y2040],
        "ndc_share_fy2030": cum[:, y2030] / tg.ndc_goal_fy2030_t,
        "ndc_share_fy2040": cum[:, y2040] / tg.ndc_goal_fy2040_t,
        "spend_oku_yen": spend,
        "cost_per_credit_yen": cost,
    }


def kpi_targets(scenario: Scenario) -> dict[str, float | None]:
    """The target of each KPI (None where the program sets none)."""
    tg = scenario.targets
    return {
        "projects_implemented": float(tg.projects_implemented),
        "avg_credits_per_demo_fy2030_t": tg.avg_credits_per_demo_fy2030_t,
        "dissemination_rate": tg.dissemination_rate,
        "projects_dissemination_100kt": (
            None if tg.projects_dissemination_100kt is None
            else float(tg.projects_dissemination_100kt)
        ),
    }


def summarise(values: np.ndarray, target: float | None, kdef: KpiDef) -> KpiSummary:
    """Summarise one KPI's per-trial values (see the module docstring)."""
    n = len(values)
    ok = values[np.isfinite(values)]
    m = len(ok)
    nan = math.nan
    if m:
        p10, p50, p90 = (float(x) for x in np.percentile(ok, [10, 50, 90]))
        se = float(ok.std(ddof=1) / math.sqrt(m)) if m > 1 else nan
        mean = float(ok.mean())
    else:
        p10 = p50 = p90 = se = mean = nan
    prob = prob_se = None
    if target is not None:
        meets = np.isfinite(values) & (values >= target - 1e-9)
        prob = float(meets.mean())
        prob_se = float(math.sqrt(prob * (1 - prob) / n))
    return KpiSummary(kdef.id, kdef.label, kdef.unit, mean, p10, p50, p90, se, target, prob,
                      prob_se, n, m)


def compute_kpis(results: SimulationResults, scenario: Scenario) -> list[KpiSummary]:
    """All KPIs of a run, in the order of :data:`KPI_DEFS`."""
    values = per_trial_kpis(results, scenario)
    targets = kpi_targets(scenario)
    return [summarise(values[k.id], targets.get(k.id), k) for k in KPI_DEFS]
