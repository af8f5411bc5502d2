"""Forecast page: KPI cards, fan chart to FY2040, annual bars, a typical trial's timeline,
and a table per project, for the edited scenario (one cached simulation)."""

from __future__ import annotations

import streamlit as st

from webapp import charts, compute, i18n, state, ui
from webapp.i18n import t
from webapp.tables import kpi_formats, kpi_table, project_table

CARD_KPIS = (
    "projects_implemented",
    "avg_credits_per_demo_fy2030_t",
    "dissemination_rate",
    "projects_dissemination_100kt",
    "credits_fy2030_t",
    "credits_fy2040_t",
    "spend_oku_yen",
    "cost_per_credit_yen",
)


def main() -> None:
    st.title(t("fc.title"))
    st.caption(t("fc.intro"))
    cur = ui.require_valid()
    if cur is None:
        return
    scenario = cur.scenario
    fc = compute.forecast(cur, state.seed(), state.trials(), where="forecast")
    if fc is None:
        return
    ui.run_caption(fc)
    tg = scenario.targets

    st.subheader(t("fc.kpis"))
    share30, share40 = fc.kpi("ndc_share_fy2030"), fc.kpi("ndc_share_fy2040")
    extras = {
        "credits_fy2030_t": f"{i18n.kpi_label('ndc_share_fy2030')}: "
                            f"{i18n.number(share30.p50, 'share')}",
        "credits_fy2040_t": f"{i18n.kpi_label('ndc_share_fy2040')}: "
                            f"{i18n.number(share40.p50, 'share')}",
    }
    ui.kpi_cards([fc.kpi(k) for k in CARD_KPIS], extras)
    st.caption(t("status.rule"))

    fig = charts.fan_chart(fc.years, fc.series["cumulative_credits_t"], fc.as_of_fy,
                           {2030: tg.ndc_goal_fy2030_t, 2040: tg.ndc_goal_fy2040_t},
                           t("fc.fan"))
    ui.chart(fig, "fan", "jcm_cumulative_credits")

    left, right = st.columns(2, gap="large")
    with left:
        bars = charts.annual_bars(fc.years, fc.series["credits_t"].mean(axis=0),
                                  fc.series["dissemination_t"].mean(axis=0), t("fc.annual"))
        ui.chart(bars, "annual", "jcm_annual")
    with right:
        prog = scenario.program
        keep = fc.years <= max(prog.last_fy + 3, prog.as_of_fy + 4)
        spend = charts.spend_budget(fc.years[keep], fc.series["spend_oku_yen"].mean(axis=0)[keep],
                                    fc.series["budget_oku_yen"].mean(axis=0)[keep],
                                    t("fc.spend"))
        ui.chart(spend, "spend", "jcm_spend_budget")

    timeline = fc.report["timeline"]
    if timeline:
        gantt = charts.gantt(timeline, fc.as_of_fy, {}, t("fc.gantt"))
        ui.chart(gantt, "gantt", "jcm_timeline")
        st.caption(t("fc.gantt_help"))
    else:
        st.info(t("fc.gantt_empty"))

    st.subheader(t("fc.projects"))
    st.caption(t("fc.projects_note"))
    df = project_table(fc, scenario)
    pct, num = "{:.0f}%", "{:,.0f}"
    ui.show_table(df, "projects", "jcm_projects", "projects", max_rows=40, formats={
        t("col.prob_started"): pct, t("col.prob_succeeded"): pct, t("col.credits_2030"): num,
        t("col.credits_2040"): num, t("col.spend"): "{:.2f}", t("col.cost_per_t"): num,
        t("col.prob_dissem"): pct,
    }, widths={t("col.name"): "medium"})

    st.subheader(t("fc.kpi_table"))
    kdf = kpi_table(fc.kpis)
    ui.show_table(kdf, "kpis", "jcm_kpis", "KPIs", formats=kpi_formats())


main()
