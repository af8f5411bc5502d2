"""Overview page: the headline answer on one screen.

Each target with the probability of meeting it and a coloured judgement, the share of the
national JCM goal, and what changed since the base scenario; below, the budget levers beside
the cumulative-credits chart, so a budget change and its effect are seen together (on a
narrow page, below about 1,180 px windows with the sidebar open, the chart goes below).

Up to :data:`webapp.compute.QUICK_FROM` trials (the default is 2,000) the answer after an
edit is the full run; above it, the first answer comes from the first
:data:`webapp.compute.QUICK_TRIALS` trials and is refined to the full trial count at once
(the cards show the Monte Carlo error of the numbers drawn).
"""

from __future__ import annotations

import streamlit as st

from webapp import cardgrid, cards, changes, charts, compute, levers, names, state, ui
from webapp.i18n import t


def _base_current() -> state.Current | None:
    from webapp.scenarios import scenario_text, validate

    raw = state.base_raw()
    try:
        return state.Current(scenario_text(raw), validate(raw, state.label()), ())
    except Exception:  # noqa: BLE001 - an invalid base has no forecast
        return None


def what_changed() -> None:
    """The edits since the base scenario, one line each."""
    lines = changes.describe(state.base_raw(), state.work())
    base_name = names.scenario(str(state.base_raw().get("name", state.label())))
    st.markdown(f"**{ui.md_escape(t('ov.changed', base=base_name))}**")
    if not lines:
        st.caption(t("ov.no_changes"))
        return
    st.markdown("\n".join(f"- {ui.md_escape(line)}" for line in lines[:12]))
    if len(lines) > 12:
        st.caption(t("err.more", n=len(lines) - 12))


def main() -> None:
    st.title(t("ov.title"))
    st.caption(t("ov.intro"))
    cur = state.current()
    status = st.container()
    top = st.container()
    # the levers beside the chart while both fit, the chart below them when not
    left, right = cardgrid.side_by_side(cardgrid.LEVERS_SPLIT)
    with left:
        st.subheader(t("ov.levers"), help=t("sc.quick_help"))
        ui.guarded(lambda: levers.budget_sliders("ov"))
        st.page_link("webapp/pages/scenario.py", label=t("ov.more_edits"))
        ui.guarded(what_changed)
    if cur.scenario is None:
        with top:
            ui.require_valid()
        return
    seed, trials = state.seed(), state.trials()
    with status:
        fc, refining = compute.first_answer(cur, seed, trials, "overview")
    if fc is None:
        return
    base_cur = _base_current()
    base = None
    runs = [cur]
    if base_cur is not None and base_cur.text != cur.text:
        # the same trials as the edited scenario's answer (common random numbers)
        with status:
            base = compute.forecast(base_cur, seed, fc.trials, "overview_base")
        runs.append(base_cur)
    scenario = cur.scenario
    tg = scenario.targets
    with top:
        st.subheader(t("ov.headline", name=names.scenario(scenario.name)))
        cards.headline(fc, base, cards.goals_by_kpi(fc, tg.ndc_goal_fy2030_t,
                                                    tg.ndc_goal_fy2040_t),
                       tg.dissemination_reduction_per_project_t)
        st.caption(t("status.rule"))
    with right:  # the main chart beside the budget levers
        fig = charts.fan_chart(fc.years, fc.series["cumulative_credits_t"], fc.as_of_fy,
                               {2030: tg.ndc_goal_fy2030_t, 2040: tg.ndc_goal_fy2040_t},
                               t("fc.fan"))
        fig.update_layout(height=400, margin={"t": 50, "b": 40})
        ui.chart(fig, "ov_fan", "jcm_cumulative_credits")
    with status:
        if refining:
            compute.refine(runs, seed, trials, "overview", fc.trials)
        else:
            ui.run_caption(fc)


main()
