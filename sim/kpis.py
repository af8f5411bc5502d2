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
    """What a KPI means: ``label`` and ``label_ja`` name it in English and Japanese (the CLI,
    the app and the report all use these); ``document`` quotes the target's wording in the NEDO
    program summary (達成目標) where the KPI measures one."""

    id: str
    label: str
    unit: str
    description: str
    document: str = ""
    label_ja: str = ""


#: The targets as the NEDO program summary words them (達成目標).
OUTPUT_TARGET_JA = (
    "温室効果ガス削減効果を測定・報告・検証（MRV）する手法開発又は削減量の定量化事業"
    "（低炭素技術による市場創出促進事業又は定量化促進事業）の実施 36件。"
)
OUTCOME_TARGET_JA = (
    "2030年度までに、実証事業により平均5,000t-CO₂/件以上のJCMクレジットを発行し、且つ実証事業"
    "終了後の普及展開期間全体で100,000t-CO₂以上の排出削減効果を達成する案件の実施を目指す。"
)
DISSEMINATION_TARGET_JA = "終了案件に占める普及案件（1件以上普及）の割合について50%を目指す。"

KPI_DEFS: tuple[KpiDef, ...] = (
    KpiDef("projects_implemented", "Projects implemented",
           "projects",
           "projects of either sub-program (demonstrations, methodology development, "
           "quantification support) started in the program's years (FY2018–FY2027), history "
           "included (output target)", OUTPUT_TARGET_JA,
           label_ja="実施件数"),
    KpiDef("avg_credits_per_demo_fy2030_t", "Average credits per demonstration by FY2030",
           "t-CO2",
           "credits issued by the end of FY2030 by demonstrations that entered the "
           "demonstration stage (実証事業) by FY2030 / the number of those demonstrations; "
           "design studies that never got a demonstration are not counted (the document's "
           "reading of 実証事業により平均…/件)", OUTCOME_TARGET_JA,
           label_ja="2030年度までの実証1件あたり平均クレジット"),
    KpiDef("dissemination_rate", "Dissemination rate",
           "share",
           "finished demonstrations (demonstration stage ended, successfully or not) with ≥ 1 "
           "dissemination case (普及案件), as a share of finished demonstrations (終了案件), "
           "at the horizon", DISSEMINATION_TARGET_JA,
           label_ja="普及案件の割合"),
    KpiDef("projects_dissemination_100kt",
           "Demonstrations reaching 100,000 t-CO2 of dissemination reductions", "projects",
           "demonstrations whose replications' reductions over the whole dissemination period "
           "(普及展開期間全体: replications adopted by the horizon, each over its whole "
           "lifetime, not cut at FY2040) reach the target amount (100,000 t by default)",
           OUTCOME_TARGET_JA,
           label_ja="普及展開による削減量が100,000 t-CO2に達する実証件数"),
    KpiDef("credits_fy2030_t", "Credits issued by FY2030",
           "t-CO2",
           "cumulative JCM credits issued by the program's projects to the end of FY2030 "
           "(both countries' shares; participants' own issuance after follow-up only as far "
           "as assumptions.crediting_after_followup_years counts it)",
           label_ja="2030年度までのクレジット発行量"),
    KpiDef("credits_fy2040_t", "Credits issued by FY2040",
           "t-CO2",
           "cumulative JCM credits issued to the end of FY2040",
           label_ja="2040年度までのクレジット発行量"),
    KpiDef("japan_credits_fy2030_t", "Japan's credits by FY2030",
           "t-CO2",
           "Japan's share of the credits issued to the end of FY2030 (what counts toward "
           "Japan's NDC)",
           label_ja="2030年度までの日本取得分"),
    KpiDef("japan_credits_fy2040_t", "Japan's credits by FY2040",
           "t-CO2",
           "Japan's share of the credits issued to the end of FY2040",
           label_ja="2040年度までの日本取得分"),
    KpiDef("ndc_share_fy2030", "All credits as a share of the national JCM goal, FY2030",
           "share",
           "all credits issued by FY2030 (both countries) / national goal (about 100 Mt-CO2 "
           "cumulative, public and private together)",
           label_ja="全クレジットの国のJCM目標に対する割合（2030年度）"),
    KpiDef("ndc_share_fy2040", "All credits as a share of the national JCM goal, FY2040",
           "share",
           "all credits issued by FY2040 / national goal (about 200 Mt-CO2 cumulative)",
           label_ja="全クレジットの国のJCM目標に対する割合（2040年度）"),
    KpiDef("spend_oku_yen", "Program spend",
           "億円",
           "money committed to projects, history included, and contracted parts paid after "
           "the program",
           label_ja="事業支出"),
    KpiDef("cost_per_credit_yen", "Cost per credit",
           "JPY/t-CO2",
           "program spend / credits issued by FY2040 (trials with no credits left out)",
           label_ja="クレジット1tあたり費用"),
    KpiDef("avg_credits_per_demo_fy2030_all_started_t",
           "Average credits per demonstration by FY2030 (every demonstration started)", "t-CO2",
           "the strict reading: credits issued by demonstrations by the end of FY2030 / "
           "every demonstration project started in the program, design studies that never got "
           "a demonstration included", OUTCOME_TARGET_JA,
           label_ja="2030年度までの実証1件あたり平均クレジット（開始した全実証）"),
    KpiDef("projects_meeting_both", "Demonstrations meeting both outcome targets",
           "projects",
           "demonstrations that issue ≥ 5,000 t of credits by the end of FY2030 and (且つ) "
           "reach ≥ 100,000 t over the whole dissemination period; P(meet) is the probability "
           "of at least one such project (the target's number, 1 by default)",
           OUTCOME_TARGET_JA,
           label_ja="両方の成果目標を満たす実証件数"),
    KpiDef("dissemination_rate_midterm", "Dissemination rate at the mid-term evaluation",
           "share",
           "the dissemination rate counted at the end of the mid-term evaluation's fiscal year "
           "(finished by then, first case by then)", DISSEMINATION_TARGET_JA,
           label_ja="普及案件の割合（中間評価時点）"),
    KpiDef("dissemination_rate_final", "Dissemination rate at the final evaluation",
           "share",
           "the dissemination rate counted at the end of the final evaluation's fiscal year",
           DISSEMINATION_TARGET_JA,
           label_ja="普及案件の割合（終了時評価時点）"),
    KpiDef("japan_ndc_share_fy2030", "Japan's credits as a share of the national JCM goal, FY2030",
           "share",
           "Japan's credits issued by FY2030 / national goal (Japan counts the credits it "
           "acquires toward its NDC)",
           label_ja="日本取得分の国のJCM目標に対する割合（2030年度）"),
    KpiDef("japan_ndc_share_fy2040", "Japan's credits as a share of the national JCM goal, FY2040",
           "share",
           "Japan's credits issued by FY2040 / national goal",
           label_ja="日本取得分の国のJCM目標に対する割合（2040年度）"),
)

KPI_IDS: tuple[str, ...] = tuple(k.id for k in KPI_DEFS)


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
    """Demonstrations that entered the demonstration stage (実証事業) by the end of FY2030,
    per trial [count]: the denominator of the per-demonstration credit target."""
    s = results.main_start_fy[:, results.kind_mask("demonstration")]
    return ((s >= 0) & (s <= 2030)).sum(axis=1)


def _dissemination_rate(r: SimulationResults, demo: np.ndarray, by_fy: int) -> np.ndarray:
    """Finished demonstrations with a case, over finished demonstrations, counted at the end
    of ``by_fy`` (NaN where none has finished)."""
    end = r.main_end_fy[:, demo]
    finished = (end >= 0) & (end <= by_fy)
    case = r.first_case_fy[:, demo]
    with_case = finished & (case >= 0) & (case <= by_fy)
    n_fin = finished.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_fin > 0, with_case.sum(axis=1) / np.maximum(n_fin, 1), np.nan)


def output_target_reach(scenario: Scenario) -> dict[str, int]:
    """What the listed projects can reach on the output target at most: projects already
    started in the program's years, and those plus every running project and every candidate
    that may start by the program's last year (if all were funded)."""
    prog = scenario.program
    started = sum(
        1 for p in scenario.projects
        if p.started_fy is not None and prog.first_fy <= p.started_fy <= prog.last_fy
    )
    possible = sum(
        1 for p in scenario.candidates
        if p.earliest_start_fy <= min(p.latest_start_fy or prog.last_fy, prog.last_fy)
    )
    return {"already_started": started, "max_reachable": started + possible,
            "target": scenario.targets.projects_implemented}


def per_trial_kpis(results: SimulationResults, scenario: Scenario) -> dict[str, np.ndarray]:
    """Every KPI's value in every trial, shape (trials,) each."""
    prog, tg = scenario.program, scenario.targets
    r = results
    demo = r.kind_mask("demonstration")
    started_in_program = (r.start_fy >= prog.first_fy) & (r.start_fy <= prog.last_fy)
    y2030 = r.year_index(2030)
    y2040 = r.year_index(2040)
    cum = np.cumsum(r.program_series("credits_t"), axis=1)
    cum_jp = np.cumsum(r.program_series("japan_credits_t"), axis=1)
    credits_2030 = r.project_credits_to_t(2030)
    main_start = r.main_start_fy[:, demo]
    entered = (main_start >= 0) & (main_start <= 2030)
    demo_credits_2030 = np.where(entered, credits_2030[:, demo], 0.0).sum(axis=1)
    n_demo = entered.sum(axis=1)
    demo_started = started_in_program[:, demo]
    n_demo_all = demo_started.sum(axis=1)
    demo_credits_2030_all = np.where(demo_started, credits_2030[:, demo], 0.0).sum(axis=1)
    lifetime = r.dissemination_lifetime_t[:, demo]
    reach_100kt = lifetime >= tg.dissemination_reduction_per_project_t - 1e-9
    both = reach_100kt & (credits_2030[:, demo] >= tg.avg_credits_per_demo_fy2030_t - 1e-9)
    spend = r.spend_by_trial_oku_yen()
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_demo = np.where(n_demo > 0, demo_credits_2030 / np.maximum(n_demo, 1), np.nan)
        avg_all = np.where(n_demo_all > 0, demo_credits_2030_all / np.maximum(n_demo_all, 1),
                           np.nan)
        cost = np.where(cum[:, y2040] > 0, spend * 1e8 / cum[:, y2040], np.nan)
    return {
        "projects_implemented": started_in_program.sum(axis=1).astype(float),
        "avg_credits_per_demo_fy2030_t": avg_demo,
        "dissemination_rate": _dissemination_rate(r, demo, prog.horizon_fy),
        "projects_dissemination_100kt": reach_100kt.sum(axis=1).astype(float),
        "credits_fy2030_t": cum[:, y2030],
        "credits_fy2040_t": cum[:, y2040],
        "japan_credits_fy2030_t": cum_jp[:, y2030],
        "japan_credits_fy2040_t": cum_jp[:, y2040],
        "ndc_share_fy2030": cum[:, y2030] / tg.ndc_goal_fy2030_t,
        "ndc_share_fy2040": cum[:, y2040] / tg.ndc_goal_fy2040_t,
        "spend_oku_yen": spend,
        "cost_per_credit_yen": cost,
        "avg_credits_per_demo_fy2030_all_started_t": avg_all,
        "projects_meeting_both": both.sum(axis=1).astype(float),
        "dissemination_rate_midterm": _dissemination_rate(r, demo, prog.midterm_evaluation_fy),
        "dissemination_rate_final": _dissemination_rate(r, demo, prog.final_evaluation_fy),
        "japan_ndc_share_fy2030": cum_jp[:, y2030] / tg.ndc_goal_fy2030_t,
        "japan_ndc_share_fy2040": cum_jp[:, y2040] / tg.ndc_goal_fy2040_t,
    }


def kpi_targets(scenario: Scenario) -> dict[str, float | None]:
    """The target of each KPI (None where the program sets none)."""
    tg = scenario.targets
    return {
        "projects_implemented": float(tg.projects_implemented),
        "avg_credits_per_demo_fy2030_t": tg.avg_credits_per_demo_fy2030_t,
        "avg_credits_per_demo_fy2030_all_started_t": tg.avg_credits_per_demo_fy2030_t,
        "dissemination_rate": tg.dissemination_rate,
        "dissemination_rate_midterm": tg.dissemination_rate,
        "dissemination_rate_final": tg.dissemination_rate,
        "projects_dissemination_100kt": (
            None if tg.projects_dissemination_100kt is None
            else float(tg.projects_dissemination_100kt)
        ),
        "projects_meeting_both": float(tg.projects_meeting_both),
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
