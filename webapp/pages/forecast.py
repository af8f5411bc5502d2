"""Forecast page: KPI cards, fan chart to FY2040, which projects make the gap to each target,
annual bars, a typical trial's timeline, and a table per project, for the edited scenario
(one cached simulation; the first answer after an edit from fewer trials, refined at once)."""

from __future__ import annotations

import streamlit as st

from webapp import cardgrid, charts, compute, i18n, names, state, ui
from webapp.i18n import t
from webapp.tables import kpi_table, project_table, shown_kpi_table, shown_project_table

#: KPIs left off the cards (they are in the table below): shares are written on the credit
#: cards, and the model's diagnostics are not headline numbers.
NOT_ON_CARDS = ("ndc_share_fy2030", "ndc_share_fy2040")


def _short(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, "…" marking the cut."""
    return text if len(text) <= most else text[: most - 1] + "…"


def gap_charts(fc: compute.Forecast, scenario) -> None:
    """Which projects make the gap: each project's expected credits to FY2030 against the
    per-demonstration target, and each project's chance of reaching the dissemination
    amount against the count target."""
    tg = scenario.targets
    rows = [r for r in fc.report["projects"] if r["kind"] == "demonstration"]
    if not rows:
        return
    by_id = {p.id: p for p in scenario.projects}
    labels = [names.project(r["id"], by_id[r["id"]].name if r["id"] in by_id else r["id"])
              for r in rows]
    most = 16 if i18n.lang() == "ja" else 28  # Japanese characters are twice as wide
    short = [_short(x, most) for x in labels]
    demos = sum(r["prob_started"] for r in rows)
    credits = [r["expected_credits_fy2030_t"] for r in rows]
    need = tg.avg_credits_per_demo_fy2030_t * demos
    have = sum(credits)
    gap = (t("fc.gap_short", gap=i18n.number(need - have, "t-CO2")) if need > have
           else t("fc.gap_met"))
    st.subheader(t("fc.gap_title"), help=t("fc.gap_help"))
    fig = charts.contribution_waterfall(
        short, credits, t("fc.gap_total"), t("fc.gap_credits"), t("fc.gap_y"), need=need,
        need_name=t("fc.gap_need", target=i18n.number(tg.avg_credits_per_demo_fy2030_t,
                                                       "t-CO2"), demos=f"{demos:.1f}"),
        gap_text=gap, others_name=t("fc.gap_others"))
    ui.chart(fig, "gap_credits", "jcm_gap_credits_fy2030")
    reach = fc.by_project.get("reach_dissemination")
    if reach is not None and len(reach) == len(fc.report["projects"]):
        index = {r["id"]: k for k, r in enumerate(fc.report["projects"])}
        chances = [float(reach[index[r["id"]]]) for r in rows]
        target = tg.projects_dissemination_100kt
        amount = i18n.tonnes(tg.dissemination_reduction_per_project_t)
        expected = sum(chances)
        gap2 = ""
        if target is not None:
            gap2 = (t("fc.gap_short", gap=f"{target - expected:.2f}") if target > expected
                    else t("fc.gap_met"))
        fig2 = charts.contribution_waterfall(
            short, chances, t("fc.gap_total"), t("fc.gap_dissem", amount=amount),
            t("fc.gap_dissem_y"), need=None if target is None else float(target),
            need_name=t("col.target"), gap_text=gap2, others_name=t("fc.gap_others"),
            unit="projects")
        ui.chart(fig2, "gap_dissem", "jcm_gap_dissemination")


def main() -> None:
    st.title(t("fc.title"))
    st.caption(t("fc.intro"))
    cur = ui.require_valid()
    if cur is None:
        return
    scenario = cur.scenario
    seed, trials = state.seed(), state.trials()
    status = st.container()
    with status:
        fc, refining = compute.first_answer(cur, seed, trials, "forecast")
    if fc is None:
        return
    tg = scenario.targets

    st.subheader(t("fc.kpis"))
    extras = {}
    for kid, share in (("credits_fy2030_t", "ndc_share_fy2030"),
                       ("credits_fy2040_t", "ndc_share_fy2040")):
        if any(k.id == share for k in fc.kpis):
            extras[kid] = (f"{i18n.kpi_label(share)}: "
                           f"{i18n.number(fc.kpi(share).p50, 'share')}")
    shown = [k for k in fc.kpis if k.id not in NOT_ON_CARDS]
    ui.kpi_cards(shown, extras, trials=fc.trials,
                 dissemination_t=tg.dissemination_reduction_per_project_t)
    st.caption(t("status.rule"))

    fig = charts.fan_chart(fc.years, fc.series["cumulative_credits_t"], fc.as_of_fy,
                           {2030: tg.ndc_goal_fy2030_t, 2040: tg.ndc_goal_fy2040_t},
                           t("fc.fan"))
    ui.chart(fig, "fan", "jcm_cumulative_credits")

    left, right = cardgrid.side_by_side(cardgrid.CHARTS_SPLIT)  # stacked when narrow
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

    ui.guarded(lambda: gap_charts(fc, scenario))

    timeline = fc.report["timeline"]
    if timeline:
        by_id = {p.id: p for p in scenario.projects}
        most = 24 if i18n.lang() == "ja" else 40  # Japanese characters are twice as wide
        labels = {}
        for span in timeline:
            pid = span["id"]
            text = names.project(pid, by_id[pid].name if pid in by_id else pid)
            labels[pid] = _short(text, most)
        gantt = charts.gantt(timeline, fc.as_of_fy, labels, t("fc.gantt"))
        ui.chart(gantt, "gantt", "jcm_timeline")
        st.caption(t("fc.gantt_help"))
    else:
        st.info(t("fc.gantt_empty"))

    st.subheader(t("fc.projects"))
    st.caption(t("fc.projects_note"))
    df = project_table(fc, scenario)
    ui.static_table(shown_project_table(df))
    ui.table_downloads(df, "projects", "jcm_projects", "projects")

    st.subheader(t("fc.kpi_table"))
    kdf = kpi_table(fc.kpis)
    ui.static_table(shown_kpi_table(fc.kpis))
    ui.table_downloads(kdf, "kpis", "jcm_kpis", "KPIs")
    with status:
        if refining:
            compute.refine([cur], seed, trials, "forecast", fc.trials)
        else:
            ui.run_caption(fc)


main()
