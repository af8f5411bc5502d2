"""Sensitivity page: which assumption drives a KPI most (tornado, Morris, Sobol).

The planner picks a KPI and a method and presses Run; every uncertain assumption of the
scenario (grouped, see :mod:`sensitivity.factors`), the remaining budget years and the
capacities are varied through the full simulation with common random numbers
(:mod:`sensitivity.analysis`). Results are cached like forecasts; a run shows its progress and
can be stopped.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import streamlit as st

from report import charts as report_charts
from report.content import localised_tornado
from report.fmt import kpi_format, number
from sensitivity import analysis
from sim.kpis import KPI_DEFS
from webapp import i18n, sensitivity_run, state, ui
from webapp.i18n import t

K_GO = "_se_go"


def main() -> None:
    st.title(t("se.title"))
    st.caption(t("se.intro"))
    cur = ui.require_valid()
    if cur is None:
        return
    lang = i18n.lang()
    ids = [k.id for k in KPI_DEFS]
    labels = {k.id: i18n.kpi_label(k.id, k.label) for k in KPI_DEFS}
    c1, c2 = st.columns([3, 2])
    with c1:
        kpi = st.selectbox(t("se.kpi"), ids, format_func=labels.get,
                           **ui.persist("se_kpi", "credits_fy2030_t"))
    with c2:
        method = st.segmented_control(
            t("se.method"), options=list(analysis.METHODS),
            format_func=lambda m: t(f"se.method.{m}"),
            **ui.persist("se_method", "tornado")) or "tornado"
    st.caption(t(f"se.method_help.{method}"))
    lo, hi = analysis.LIMITS["trials"]
    c1, c2, c3 = st.columns(3)
    with c1:
        trials = st.number_input(t("se.trials"), min_value=lo, max_value=hi, step=10,
                                 help=t("se.trials_help"),
                                 **ui.persist(f"se_trials_{method}",
                                              analysis.DEFAULT_TRIALS[method]))
    n, r = analysis.DEFAULT_N, analysis.DEFAULT_R
    with c2:
        if method == "sobol":
            n = st.selectbox(t("se.n"), [8, 16, 32, 64, 128, 256], help=t("se.n_help"),
                             **ui.persist("se_n", analysis.DEFAULT_N))
        elif method == "morris":
            r = st.number_input(t("se.r"), min_value=analysis.LIMITS["r"][0],
                                max_value=analysis.LIMITS["r"][1], help=t("se.r_help"),
                                **ui.persist("se_r", analysis.DEFAULT_R))
    try:
        s = analysis.settings(method, kpi, int(trials), state.seed(), int(n), int(r),
                              workers=None)
    except analysis.InputError as err:
        ui.show_problems(err.problems)
        return
    d, total = analysis.plan_size(cur.scenario, s)
    with c3:
        st.metric(t("se.size"), f"{total:,}", help=t("se.size_help", factors=d))
    key = sensitivity_run.cache_key(cur, s)
    ss = st.session_state
    if st.button(t("se.run"), key="se_run", type="primary", icon=":material/play_arrow:"):
        ss[K_GO] = key
    if ss.get(K_GO) != key and sensitivity_run.cached(cur, s) is None:
        st.info(t("se.none"), icon=":material/info:")
        return
    doc = sensitivity_run.run(cur, s)
    if doc is None:
        ss.pop(K_GO, None)
        return
    # project-scoped factors name their project as the page's language does
    show(localised_tornado(doc, cur.scenario, lang), lang)


def _fmt(x, unit: str) -> str:
    return number(x, "num" if kpi_format(unit) == "dec1" else kpi_format(unit))


def show(doc: dict, lang: str) -> None:
    """Chart and table of one analysis."""
    unit = doc["unit"]
    st.caption(t("se.done", trials=doc["total_trials"], seconds=doc["seconds"],
                 factors=doc["n_factors"], seed=doc["settings"]["seed"]))
    method = doc["method"]
    rows = []
    if method == "tornado":
        fig = report_charts.tornado(doc, lang)
        noise = sum(f["within_noise"] for f in doc["factors"])
        for f in doc["factors"]:
            row = {t("se.col.factor"): f[f"label_{lang}"],
                   t("se.col.low"): number(f["low_value"], "num"),
                   t("se.col.high"): number(f["high_value"], "num"),
                   t("se.col.mean_low"): _fmt(f["mean_low"], unit),
                   t("se.col.mean_high"): _fmt(f["mean_high"], unit),
                   t("se.col.swing"): _fmt(f["swing"], unit),
                   t("se.col.se"): _fmt(f["swing_se"], unit),
                   t("se.col.noise"): t("se.noise") if f["within_noise"] else ""}
            if doc["target"] is not None:
                row[t("se.col.prob")] = (f"{number(f['prob_low'], 'pct')} → "
                                         f"{number(f['prob_high'], 'pct')}")
            rows.append(row)
        st.caption(t("se.noise_note", n=noise))
    elif method == "sobol":
        fig = report_charts.sobol(doc, lang)
        for f in doc["factors"]:
            rows.append({t("se.col.factor"): f[f"label_{lang}"],
                         t("se.col.s1"): _ci(f["S1"], f["S1_conf"]),
                         t("se.col.st"): _ci(f["ST"], f["ST_conf"])})
    else:
        fig = report_charts.morris(doc, lang)
        for f in doc["factors"]:
            rows.append({t("se.col.factor"): f[f"label_{lang}"],
                         t("se.col.mu_star"): _fmt(f["mu_star"], unit),
                         t("se.col.mu_star_ci"): _fmt(f["mu_star_conf"], unit),
                         t("se.col.sigma"): _fmt(f["sigma"], unit)})
    ui.chart(fig, f"se_{method}", f"jcm_sensitivity_{method}_{doc['kpi']}")
    df = pd.DataFrame(rows)
    ui.show_table(df, f"se_{method}", f"jcm_sensitivity_{method}_{doc['kpi']}",
                  t("se.title"), max_rows=40)
    st.download_button(t("se.json"), data=json.dumps(_clean(doc), ensure_ascii=False,
                                                     indent=1).encode("utf-8"),
                       file_name=f"jcm_sensitivity_{method}_{doc['kpi']}.json",
                       mime="application/json", key="dl_se_json", on_click="ignore",
                       icon=":material/download:")
    if method == "tornado":
        st.caption(t("se.to_report"))


def _ci(x: float, half: float) -> str:
    if not (math.isfinite(x) and math.isfinite(half)):
        return ""
    return f"{x:.3f} ± {half:.3f}"


def _clean(obj):
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


main()
