"""Evaluation page: mid-term and final evaluation view (中間評価・終了時評価).

Each target, its status at the end of the evaluation year (``program.midterm_evaluation_fy``
or ``program.final_evaluation_fy``) and the forecast for its target year, as a table in the
form evaluation documents use. The downloads are the evaluation material of :mod:`report`
(the same as ``jcm report``) in the session's language: a self-contained HTML page and an
Excel workbook, with the tornado of the Sensitivity page when one was run for this scenario.
"""

from __future__ import annotations

import copy

import streamlit as st

from webapp import charts, compute, downloads, i18n, names, sensitivity_run, state, ui
from webapp.i18n import t
from webapp.tables import evaluation_table


def main() -> None:
    st.title(t("ev.title"))
    st.caption(t("ev.intro"))
    cur = ui.require_valid()
    if cur is None:
        return
    scenario = cur.scenario
    prog = scenario.program
    choice = st.segmented_control(
        t("ev.which"), options=["midterm", "final"],
        format_func={c: _named(t("ev." + c), _fy(prog, c)) for c in ("midterm", "final")}.get,
        **ui.persist("eval_which", "midterm"),
    ) or "midterm"
    fc = compute.forecast(cur, state.seed(), state.trials(), where="evaluation")
    if fc is None:
        return
    eval_fy = _fy(prog, choice)
    which = t(f"ev.{choice}")
    st.subheader(t("ev.as_of", which=which, fy=i18n.fy(eval_fy)))
    df = evaluation_table(fc, scenario, eval_fy)
    outlook = {t(f"status.{c}"): ui.BADGE[c] for c in ("green", "amber", "red")}
    ui.static_table(df, colours={t("ev.col.judgement"): outlook})
    note = t("ev.note", trials=fc.trials, seed=fc.seed,
             name=ui.md_escape(names.scenario(scenario.name)))
    st.caption(note)

    fan = charts.fan_chart(fc.years, fc.series["cumulative_credits_t"], fc.as_of_fy,
                           {2030: scenario.targets.ndc_goal_fy2030_t,
                            2040: scenario.targets.ndc_goal_fy2040_t}, t("fc.fan"))
    lang = i18n.lang()  # read now: the download runs after the page, outside the session
    tornado = sensitivity_run.latest_tornado(cur.key, fc.seed)
    key = (cur.key, fc.seed, fc.trials, choice, lang,
           None if tornado is None else st.session_state.get(sensitivity_run.K_LAST_TORNADO))
    raw = copy.deepcopy(state.work())

    def make():
        return downloads.evaluation_report(key, scenario, fc, choice, lang, raw, cur.text,
                                           tornado)

    stem = f"jcm_evaluation_{choice}_FY{eval_fy}_{lang}"
    # side by side, each as wide as its label; the second below the first when both do not fit
    with st.container(horizontal=True, wrap=True, gap="small"):
        st.download_button(
            t("ev.download_xlsx"), data=lambda: make().xlsx, file_name=f"{stem}.xlsx",
            mime=downloads.XLSX_MIME, key="dl_eval_xlsx", on_click="ignore",
            icon=":material/download:", type="primary", width="content",
        )
        st.download_button(
            t("ev.download_html"), data=lambda: make().html, file_name=f"{stem}.html",
            mime=downloads.HTML_MIME, key="dl_eval_html", on_click="ignore",
            icon=":material/download:", width="content",
        )
    st.caption(t("ev.report_note") if tornado is not None else t("ev.report_note_no_tornado"))
    ui.chart(fan, "eval_fan", f"jcm_evaluation_fan_FY{eval_fy}")


def _named(which: str, fy: int) -> str:
    return f"{which}（{i18n.fy(fy)}）" if i18n.lang() == "ja" else f"{which} ({i18n.fy(fy)})"


def _fy(prog, choice: str) -> int:
    return prog.midterm_evaluation_fy if choice == "midterm" else prog.final_evaluation_fy


main()
