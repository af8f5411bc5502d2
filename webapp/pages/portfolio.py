"""Portfolio page: let the optimizer propose which candidates to fund and when.

Widgets → :func:`optimize.scenario_mode.build_problem` (each candidate's sampled outcome per
start year, from the simulation) → :func:`optimize.solve.solve` → the chosen projects, spend
against budget, the current plan against the proposal (both simulated in full), and the
efficient frontier over budget scales. Both steps are cached by the scenario text and the
settings.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from webapp import charts, compute, editing, i18n, state, ui
from webapp.i18n import t
from webapp.scenarios import parse_text, scenario_text, validate
from webapp.tables import compare_table

try:
    from optimize.problem import Rules
    from optimize.scenario_mode import METRICS, build_problem
    from optimize.solve import solve

    AVAILABLE, WHY = True, ""
except Exception as err:  # noqa: BLE001 - the page says so instead of failing
    AVAILABLE, WHY = False, f"{type(err).__name__}: {err}"
    METRICS = {}

OBJECTIVES = ("expected", "cvar", "prob_target", "min_cost")
SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
ss = st.session_state


@st.cache_data(max_entries=8, show_spinner=False)
def _problem(text: str, metric: str, n: int, seed: int, rules: tuple):
    scenario = validate(parse_text(text), "<portfolio>")
    return build_problem(scenario, metric=metric, n_scenarios=n, seed=seed,
                         rules=Rules(**dict(rules)))


@st.cache_data(max_entries=64, show_spinner=False)
def _solve(text: str, metric: str, n: int, seed: int, rules: tuple, objective: str,
           params: tuple, time_limit: float, scale: float = 1.0):
    problem = _problem(text, metric, n, seed, rules).problem
    if scale != 1.0:
        problem = dataclasses.replace(
            problem, budget_by_fy={fy: b * scale for fy, b in problem.budget_by_fy.items()})
    return solve(problem, objective, time_limit_s=time_limit, **dict(params))


def _params(objective: str, alpha: float, target: float, per_demo: bool) -> tuple:
    if objective == "cvar":
        return (("alpha", float(alpha)),)
    if objective == "prob_target":
        return (("per_demo", bool(per_demo)), ("target", float(target)))
    if objective == "min_cost":
        return (("target", float(target)),)
    return ()


def controls(scenario) -> dict:
    """The optimizer settings (kept while the planner visits other pages)."""
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("pf.objective"))
        objective = st.selectbox(t("pf.objective"), OBJECTIVES, label_visibility="collapsed",
                                 format_func={o: t(f"obj.{o}") for o in OBJECTIVES}.get,
                                 **ui.persist("pf_objective", "expected"))
        metric = st.selectbox(t("pf.metric"), list(METRICS),
                              format_func={m: t(f"metric.{m}") for m in METRICS}.get,
                              **ui.persist("pf_metric", "credits_fy2030"))
        alpha = target = None
        per_demo = False
        if objective == "cvar":
            alpha = st.slider(t("pf.alpha"), 0.5, 0.99, step=0.01,
                              **ui.persist("pf_alpha", 0.9))
        if objective in ("prob_target", "min_cost"):
            per_demo = objective == "prob_target" and st.checkbox(
                t("pf.per_demo"), **ui.persist("pf_per_demo", True))
            default = scenario.targets.avg_credits_per_demo_fy2030_t if per_demo else 20000.0
            target = st.number_input(t("pf.target"), min_value=0.0, step=1000.0,
                                     help=t("pf.target_help"),
                                     **ui.persist(f"pf_target_{int(per_demo)}", default))
    with right:
        st.subheader(t("pf.rules"), help=t("pf.rule_off"))
        c1, c2 = st.columns(2)
        with c1:
            min_projects = st.number_input(t("pf.min_projects"), min_value=0, step=1,
                                           **ui.persist("pf_min_projects", None))
            max_country = st.number_input(t("pf.max_country"), min_value=0, step=1,
                                          **ui.persist("pf_max_country", None))
            n = st.number_input(t("pf.scenarios"), min_value=20, max_value=1000, step=20,
                                **ui.persist("pf_n", 100))
        with c2:
            staff = st.number_input(t("pf.staff"), min_value=0, step=1,
                                    **ui.persist("pf_staff", scenario.assumptions.staff_limit))
            max_tech = st.number_input(t("pf.max_tech"), min_value=0, step=1,
                                       **ui.persist("pf_max_tech", None))
            limit = st.number_input(t("pf.time_limit"), min_value=1.0, max_value=600.0,
                                    step=5.0, **ui.persist("pf_time_limit", 20.0))
        screen_only = st.checkbox(t("pf.screen_only"), **ui.persist("pf_screen_only", False))
    rules = tuple(sorted({
        "min_projects": None if min_projects is None else int(min_projects),
        "max_per_country": None if max_country is None else int(max_country),
        "max_per_technology": None if max_tech is None else int(max_tech),
        "staff_limit": None if staff is None else int(staff),
        "screen_only": bool(screen_only),
    }.items()))
    return {
        "metric": metric, "n": int(n), "rules": rules, "objective": objective,
        "params": _params(objective, alpha or 0.9, target or 0.0, per_demo),
        "time_limit": float(limit),
    }


def objective_text(objective: str, value: float | None) -> str:
    """The objective value in its unit: t-CO2, a probability, or 億円."""
    if value is None:
        return "—"
    if objective == "prob_target":
        return i18n.percent(value)
    if objective == "min_cost":
        return i18n.number(value, "億円")
    return i18n.number(value, "t-CO2")


def show_solution(cur: state.Current, req: dict, sol, problem) -> None:
    status_box = {"optimal": st.success, "time_limit": st.warning}.get(sol.status, st.error)
    status_box(t(f"solver.{sol.status}"), icon=":material/info:")
    st.caption(t("pf.solver_detail", msg=sol.message))
    if sol.diagnosis:
        with st.expander(t("pf.diagnosis"), expanded=True):
            for line in sol.diagnosis:
                st.markdown(f"- {line}")
    if sol.status not in ("optimal", "time_limit") or not sol.selected:
        if sol.status in ("optimal", "time_limit"):
            st.info(t("pf.none_chosen"))
        return
    by_id = {c.id: c for c in problem.candidates}
    rows = []
    for cid, fy in sol.selected:
        cand = by_id[cid]
        opt = next(o for o in cand.options if o.start_fy == fy)
        rows.append({
            t("col.id"): cid, t("col.name"): cand.name, t("col.country"): cand.country,
            t("col.kind"): i18n.kind_label(cand.kind), t("col.start_fy"): i18n.fy(fy),
            t("pf.total_cost"): sum(opt.cost_by_fy.values()), t("pf.value"): opt.value_mean,
        })
    df = pd.DataFrame(rows)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("pf.objective_value"), objective_text(req["objective"], sol.objective_value),
              border=True)
    m2.metric(t("col.selected"), f"{len(sol.selected)}", border=True)
    m3.metric(t("pf.total_cost"), f"{df[t('pf.total_cost')].sum():,.1f} 億円", border=True)
    st.subheader(t("pf.chosen"))
    ui.show_table(df, "pf_chosen", "jcm_portfolio", "portfolio", formats={
        t("pf.total_cost"): "{:.2f}", t("pf.value"): "{:,.0f}"})

    years = sorted(fy for fy in sol.budget_by_fy
                   if sol.budget_by_fy[fy] > 0 or sol.spend_by_fy.get(fy, 0) > 1e-9)
    if years:
        ys = np.arange(years[0], years[-1] + 1)
        fig = charts.spend_budget(ys, np.array([sol.spend_by_fy.get(int(y), 0.0) for y in ys]),
                                  np.array([sol.budget_by_fy.get(int(y), 0.0) for y in ys]),
                                  t("pf.spend"), spend_name=t("col.spend_fy"),
                                  budget_name=t("col.budget"))
        ui.chart(fig, "pf_spend", "jcm_portfolio_spend")

    st.subheader(t("pf.versus"))
    st.caption(t("pf.plan_note"))
    planned_raw = editing.with_plan(state.work(), sol.selected)
    planned = state.Current(scenario_text(planned_raw), validate(planned_raw, "<plan>"), ())
    seed, trials = state.seed(), state.trials()
    fc_now = compute.forecast(cur, seed, trials, where="pf_now")
    fc_plan = compute.forecast(planned, seed, trials, where="pf_plan") if fc_now else None
    if fc_now is None or fc_plan is None:
        return
    names = [t("col.plan_current"), t("col.plan_proposed")]
    versus = compare_table(names, [fc_now, fc_plan])
    ui.static_table(versus)
    ui.table_downloads(versus, "pf_versus", "jcm_plan_vs_proposal", "plan vs proposal")
    fig = charts.overlay_fans([(names[0], fc_now.years, fc_now.series["cumulative_credits_t"]),
                               (names[1], fc_plan.years, fc_plan.series["cumulative_credits_t"])],
                              t("cmp.fan"))
    ui.chart(fig, "pf_versus", "jcm_plan_vs_proposal")

    def _apply() -> None:
        state.set_work(planned_raw)
        ss["_pf_applied"] = True

    st.button(t("pf.apply"), key="pf_apply", on_click=_apply, icon=":material/input:")
    if ss.pop("_pf_applied", False):
        st.success(t("pf.applied"))


def frontier(cur: state.Current, req: dict, sol, problem) -> None:
    st.subheader(t("pf.frontier"))
    if st.button(t("pf.frontier_run"), key="pf_frontier_run"):
        ss["_pf_frontier"] = req
    if ss.get("_pf_frontier") != req:
        return
    years = sorted(problem.budget_by_fy)
    prog = cur.scenario.program
    program_years = [y for y in years if y <= prog.last_fy]
    total = sum(problem.budget_by_fy[y] for y in program_years)
    bar = st.progress(0.0)
    points = []
    for k, scale in enumerate(SCALES):
        s = _solve(cur.text, req["metric"], req["n"], state.seed(), req["rules"],
                   req["objective"], req["params"], req["time_limit"], scale)
        if s.objective_value is not None and s.status in ("optimal", "time_limit"):
            points.append((total * scale, s.objective_value))
        bar.progress((k + 1) / len(SCALES))
    bar.empty()
    a, b = (program_years[0], program_years[-1]) if program_years else (prog.as_of_fy,
                                                                         prog.last_fy)
    y_title = {"prob_target": t("col.prob"), "min_cost": t("pf.total_cost")}.get(
        req["objective"], t(f"metric.{req['metric']}"))
    fig = charts.frontier(points, t("pf.frontier_budget", a=a, b=b), y_title,
                          t("pf.frontier"),
                          current=(total, sol.objective_value) if sol.objective_value else None,
                          current_name=t("pf.frontier_point"))
    ui.chart(fig, "pf_frontier", "jcm_frontier")


def main() -> None:
    st.title(t("pf.title"))
    st.caption(t("pf.intro"))
    if not AVAILABLE:
        st.info(t("pf.unavailable", why=WHY), icon=":material/info:")
        return
    cur = ui.require_valid()
    if cur is None:
        return
    if not cur.scenario.candidates:
        st.info(t("pf.no_candidates"))
        return
    req = controls(cur.scenario)
    req = {**req, "text": cur.key, "seed": state.seed()}
    st.caption(t("pf.stop_note"))
    if st.button(t("pf.run"), key="pf_run", type="primary", icon=":material/auto_awesome:"):
        ss["_pf_request"] = req
    asked = ss.get("_pf_request")
    if asked is None:
        st.info(t("pf.none"))
        return
    if asked != req:
        st.info(t("pf.changed"))
        return
    try:
        with st.spinner(t("pf.building", n=req["n"])):
            sp = _problem(cur.text, req["metric"], req["n"], state.seed(), req["rules"])
        with st.spinner(t("pf.solving")):
            sol = _solve(cur.text, req["metric"], req["n"], state.seed(), req["rules"],
                         req["objective"], req["params"], req["time_limit"])
    except ValueError as err:
        st.error(t("pf.error", why=str(err)), icon=":material/error:")
        return
    st.subheader(t("pf.status"))
    ui.guarded(lambda: show_solution(cur, req, sol, sp.problem))
    ui.guarded(lambda: frontier(cur, req, sol, sp.problem))


main()
