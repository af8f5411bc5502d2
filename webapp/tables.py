"""Tables shown and downloaded by the pages, with translated headers.

Each function returns a :class:`pandas.DataFrame` whose column headers are already in the
current language; numbers stay numbers (formatted only by the table widget), so a CSV or Excel
download can be calculated with.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.kpi_status import target_year
from sim.kpis import KpiSummary
from sim.scenario import Scenario
from webapp import i18n, names
from webapp.compute import Forecast
from webapp.i18n import t

GREEN, AMBER = 0.8, 0.5


def light(prob: float | None) -> str:
    """Traffic light of a probability of meeting a target: green, amber, red or none."""
    if prob is None or not math.isfinite(prob):
        return "none"
    if prob >= GREEN:
        return "green"
    if prob >= AMBER:
        return "amber"
    return "red"


def _scaled(k: KpiSummary, x: float | None) -> float | None:
    """Value as shown in tables: shares in %, others as they are."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return 100.0 * x if k.unit == "share" else float(x)


def kpi_table(kpis: tuple[KpiSummary, ...] | list[KpiSummary]) -> pd.DataFrame:
    """Every KPI: P10, P50, P90, mean, target, probability of meeting it, standard error."""
    rows = []
    for k in kpis:
        rows.append({
            t("col.kpi"): i18n.kpi_label(k.id, k.label),
            t("col.unit"): i18n.unit_label(k.unit),
            t("col.p10"): _scaled(k, k.p10),
            t("col.p50"): _scaled(k, k.p50),
            t("col.p90"): _scaled(k, k.p90),
            t("col.mean"): _scaled(k, k.mean),
            t("col.target"): _scaled(k, k.target),
            t("col.prob"): None if k.prob_meet is None else 100.0 * k.prob_meet,
            t("col.se"): _scaled(k, k.std_error),
        })
    return pd.DataFrame(rows)


def project_table(fc: Forecast, scenario: Scenario) -> pd.DataFrame:
    """Per project: chance it starts and succeeds, expected credits, spend, cost per t."""
    by_id = {p.id: p.name for p in scenario.projects}
    rows = []
    for row in fc.report["projects"]:
        rows.append({
            t("col.id"): row["id"],
            t("col.name"): names.project(row["id"], by_id.get(row["id"], "")),
            t("col.kind"): i18n.kind_label(row["kind"]),
            t("col.status"): i18n.status_label(row["status"]),
            t("col.prob_started"): 100.0 * row["prob_started"],
            t("col.prob_succeeded"): 100.0 * row["prob_succeeded"],
            t("col.credits_2030"): row["expected_credits_fy2030_t"],
            t("col.credits_2040"): row["expected_credits_fy2040_t"],
            t("col.spend"): row["expected_spend_oku_yen"],
            t("col.cost_per_t"): row["cost_per_credit_yen"],
            t("col.prob_dissem"): 100.0 * row["prob_disseminated"],
        })
    return pd.DataFrame(rows)


def evidence_of(source: str) -> str:
    """What an assumption rests on, read from its source text: ``assumption`` (no evidence),
    ``jcm`` (JCM records), ``cdm`` (CDM figures standing in for too few JCM cases) or
    ``cited`` (any other citation); see docs/calibration.md."""
    text = source.strip().lower()
    if text.startswith("assumption") or text in ("illustrative", ""):
        return "assumption"
    if text.startswith("jcm"):
        return "jcm"
    if text.startswith("cdm"):
        return "cdm"
    return "cited"


def sources_table(scenario: Scenario, raw: dict) -> pd.DataFrame:
    """Each assumption by what it means, its value as written, and its source as a
    citation, in the current language (the scenario-file key last, for reference)."""
    rows = []
    for path, source in sorted(scenario.sources.items(), key=lambda kv: _source_order(kv[0])):
        rows.append({t("col.field"): names.assumption(path),
                     t("col.value"): _value_at(raw, path) or "—",
                     t("col.source"): names.source(source),
                     t("col.evidence"): t(f"ev.{evidence_of(source)}"),
                     t("col.key"): path})
    return pd.DataFrame(rows)


def _source_order(path: str) -> tuple[int, str]:
    head = path.split(".")[0]
    rank = {"budget": 0, "targets": 1, "program": 2, "assumptions": 3, "defaults": 4,
            "countries": 5, "projects": 6}
    return rank.get(head, 9), path


def _value_at(raw: dict, path: str) -> str:
    node: object = raw
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return ""
    if isinstance(node, dict):
        node = node.get("value", node.get("jc_interval_months", ""))
    return "" if node is None else str(node)


def _band(values: np.ndarray, unit: str) -> tuple[float, float, float] | None:
    ok = values[np.isfinite(values)]
    if ok.size == 0:
        return None
    p10, p50, p90 = np.percentile(ok, [10, 50, 90])
    return float(p10), float(p50), float(p90)


def _band_text(values: np.ndarray, unit: str) -> str:
    band = _band(values, unit)
    if band is None:
        return "—"
    p10, p50, p90 = band
    return i18n.band(p50, p10, p90, unit)


def evaluation_table(fc: Forecast, scenario: Scenario, eval_fy: int) -> pd.DataFrame:
    """The evaluation view: each target, its status at the end of ``eval_fy``, the forecast
    for its target year, the probability of meeting it, and the outlook (traffic light)."""
    tg = scenario.targets
    spec = [
        ("output", "projects_implemented", float(tg.projects_implemented), "projects"),
        ("outcome", "avg_credits_per_demo_fy2030_t", tg.avg_credits_per_demo_fy2030_t, "t-CO2"),
        ("outcome", "projects_dissemination_100kt",
         None if tg.projects_dissemination_100kt is None
         else float(tg.projects_dissemination_100kt), "projects"),
        ("outcome", "dissemination_rate", tg.dissemination_rate, "share"),
        ("reference", "credits_fy2030_t", None, "t-CO2"),
        ("reference", "ndc_share_fy2030", None, "share"),
        ("reference", "credits_fy2040_t", None, "t-CO2"),
        ("reference", "ndc_share_fy2040", None, "share"),
    ]
    yi = min(max(fc.year_index(eval_fy), 0), len(fc.years) - 1)
    fy_text = i18n.fy(eval_fy)
    rows = []
    for kind, kid, target, unit in spec:
        k = fc.kpi(kid)
        final = fc.per_trial[kid]
        if kid in fc.by_fy:
            now = fc.by_fy[kid][:, yi].astype(np.float64)
        elif kid.startswith("ndc_share"):
            goal = tg.ndc_goal_fy2030_t if kid.endswith("2030") else tg.ndc_goal_fy2040_t
            now = fc.by_fy["credits_fy2030_t"][:, yi].astype(np.float64) / goal
        else:  # cumulative credits to the evaluation year
            now = fc.by_fy["credits_fy2030_t"][:, yi].astype(np.float64)
        if kid == "projects_dissemination_100kt":
            count = (t("ev.count_unset") if target is None
                     else i18n.number(target, "projects"))
            target_text = t("ev.dissem_target", amount=i18n.tonnes(
                tg.dissemination_reduction_per_project_t), count=count)
        elif target is None:
            target_text = "—"
        else:
            target_text = ("≥ " + i18n.number(target, unit))
        met_now = None
        if target is not None:
            ok = np.isfinite(now)
            met_now = float((ok & (now >= target - 1e-9)).mean())
        prob = k.prob_meet
        rows.append({
            t("ev.col.type"): t(f"ev.type.{kind}"),
            t("ev.col.indicator"): i18n.kpi_label(kid, k.label),
            t("ev.col.target"): t("ev.target_by", target=target_text,
                                  fy=i18n.fy(target_year(kid, scenario))).strip(),
            t("ev.col.status", fy=fy_text): _band_text(now, unit),
            t("ev.col.status_prob", fy=fy_text): i18n.percent(met_now),
            t("ev.col.forecast"): _band_text(final, unit),
            t("ev.col.prob"): i18n.percent(prob),
            t("ev.col.judgement"): t(f"status.{light(prob)}"),
        })
    return pd.DataFrame(rows)


def compare_table(names: list[str], forecasts: list[Forecast]) -> pd.DataFrame:
    """KPIs side by side: P50 [P10–P90] and the probability of meeting each target."""
    rows = []
    for j, k0 in enumerate(forecasts[0].kpis):
        label = i18n.kpi_label(k0.id, k0.label)
        rows.append({t("col.kpi"): label, **{
            name: i18n.band(fc.kpis[j].p50, fc.kpis[j].p10, fc.kpis[j].p90, fc.kpis[j].unit)
            for name, fc in zip(names, forecasts, strict=True)}})
        if k0.target is not None:
            rows.append({t("col.kpi"): f"{label} — {t('col.prob')}", **{
                name: i18n.percent(fc.kpis[j].prob_meet)
                for name, fc in zip(names, forecasts, strict=True)}})
    return pd.DataFrame(rows)


def difference_table(names: list[str], forecasts: list[Forecast]) -> pd.DataFrame:
    """Mean per-trial difference from the first scenario ± its standard error (paired)."""
    ref = forecasts[0]
    rows = []
    for k0 in ref.kpis:
        row = {t("col.kpi"): i18n.kpi_label(k0.id, k0.label)}
        a = ref.per_trial[k0.id]
        for name, fc in zip(names[1:], forecasts[1:], strict=True):
            b = fc.per_trial[k0.id]
            n = min(a.size, b.size)
            d = b[:n] - a[:n]
            d = d[np.isfinite(d)]
            if d.size == 0:
                row[name] = "—"
                continue
            scale = 100.0 if k0.unit == "share" else 1.0
            mean = float(d.mean()) * scale
            se = float(d.std(ddof=1) / math.sqrt(d.size)) * scale if d.size > 1 else 0.0
            unit = "pt" if k0.unit == "share" else i18n.unit_label(k0.unit)
            row[name] = (
                f"{mean:+,.{_digits(mean)}f} ± {se:,.{_digits(se)}f} {unit}"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _digits(x: float) -> int:
    ax = abs(x)
    if ax >= 100:
        return 0
    if ax >= 1:
        return 1
    return 3


def kpi_formats() -> dict[str, object]:
    """Number formats of the KPI table: by the size of each value."""

    def fmt(x: float) -> str:
        if x != x:
            return "—"
        ax = abs(x)
        return f"{x:,.0f}" if ax >= 100 else f"{x:,.2f}" if ax >= 1 else f"{x:.3g}"

    cols = [t("col.p10"), t("col.p50"), t("col.p90"), t("col.mean"), t("col.target"),
            t("col.se")]
    return {**{c: fmt for c in cols}, t("col.prob"): "{:.0f}%"}



# ------------------------------------------------------------------------------------------
# tables as shown: numbers written for people (downloads keep the numbers)
# ------------------------------------------------------------------------------------------
def _whole_or_one(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"


def value_text(x: float | None, unit: str, whole: bool = False) -> str:
    """A KPI value in a table cell: counts as whole numbers (``whole``: rounded, as for
    percentiles of a count), t-CO2 and JPY with thousands separators, shares in %, 億円 to
    one decimal; "—" when missing."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if unit == "projects":
        return f"{round(x):,.0f}" if whole else _whole_or_one(x)
    return i18n.bare(x, unit)


def error_text(x: float | None, unit: str) -> str:
    """A Monte Carlo standard error: two significant figures, in the value's unit."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if unit == "share":
        return f"{i18n.plain(100 * x)} pt"
    ax = abs(x)
    return f"{x:,.0f}" if ax >= 100 else i18n.plain(x)


def shown_kpi_table(kpis) -> pd.DataFrame:
    """The KPI table as text for people (see :func:`kpi_table` for the numbers)."""
    rows = []
    for k in kpis:
        rows.append({
            t("col.kpi"): i18n.kpi_label(k.id, k.label),
            t("col.unit"): i18n.unit_label(k.unit),
            t("col.p10"): value_text(k.p10, k.unit, whole=True),
            t("col.p50"): value_text(k.p50, k.unit, whole=True),
            t("col.p90"): value_text(k.p90, k.unit, whole=True),
            t("col.mean"): value_text(k.mean, k.unit),
            t("col.target"): value_text(k.target, k.unit),
            t("col.prob"): i18n.percent(k.prob_meet),
            t("col.se"): error_text(k.std_error, k.unit),
        })
    return pd.DataFrame(rows)


def shown_project_table(df: pd.DataFrame) -> pd.DataFrame:
    """The project table (:func:`project_table`) as text for people."""
    out = df.copy()
    pct = (t("col.prob_started"), t("col.prob_succeeded"), t("col.prob_dissem"))
    whole = (t("col.credits_2030"), t("col.credits_2040"), t("col.cost_per_t"))
    for col in out.columns:
        if col in pct:
            out[col] = [("—" if v is None or v != v else f"{v:.0f}%") for v in df[col]]
        elif col in whole:
            out[col] = [("—" if v is None or v != v else f"{v:,.0f}") for v in df[col]]
        elif col == t("col.spend"):
            out[col] = [("—" if v is None or v != v else f"{v:,.2f}") for v in df[col]]
    return out
