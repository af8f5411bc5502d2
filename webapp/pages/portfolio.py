"""Portfolio page: let the optimizer propose which candidates to fund and when.

Widgets → :func:`optimize.scenario_mode.build_problem` (each candidate's sampled outcome per
start year) and :func:`optimize.scenario_mode.optimize_scenario` (solve, then re-run the
chosen portfolio in the full model with fresh random numbers) → the chosen projects, spend
against budget, the optimizer's value against the full-simulation check, the current plan
against the proposal (both simulated with the app's seed: common random numbers), and the
efficient frontier (best value by budget scale, or expected value against CVaR). Every step
is cached by the scenario text and the settings.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from sim import limits
from webapp import cardgrid, charts, compute, editing, i18n, names, state, ui
from webapp.i18n import t
from webapp.scenarios import parse_text, scenario_text, validate
from webapp.tables import compare_table

try:
    from optimize.objectives import scenario_totals, selected_options
    from optimize.problem import Rules
    from optimize.scenario_mode import (
        METRICS,
        TARGET_KPIS,
        build_problem,
        optimize_scenario,
        risk_frontier,
        scale_budgets,
    )
    from optimize.solve import solve

    AVAILABLE, WHY = True, ""
except Exception as err:  # noqa: BLE001 - the page says so instead of failing
    AVAILABLE, WHY = False, f"{type(err).__name__}: {err}"
    METRICS, TARGET_KPIS = {}, {}

OBJECTIVES = ("expected", "cvar", "prob_target", "min_cost")
SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
ss = st.session_state


def _scenario(text: str):
    return validate(parse_text(text), "<portfolio>")


@st.cache_data(max_entries=8, show_spinner=False)
def _problem(text: str, metric: str, n: int, seed: int, rules: tuple):
    """Each candidate's sampled outcome per start year (the slow step)."""
    return build_problem(_scenario(text), metric=metric, n_scenarios=n, seed=seed,
                         rules=Rules(**dict(rules)), max_cells=limits.APP_MAX_WORK_CELLS)


@st.cache_data(max_entries=64, show_spinner=False)
def _plan(text: str, req: tuple, seed: int, resim_trials: int, scale: float = 1.0):
    """Solve (and check in the full model when ``resim_trials`` > 0)."""
    r = dict(req)
    built = _problem(text, r["metric"], r["n"], seed, r["rules"])
    if scale != 1.0:
        built = dataclasses.replace(built, problem=scale_budgets(built.problem, scale))
    return optimize_scenario(
        _scenario(text), r["objective"], metric=r["metric"], target=r["target"],
        target_value=r["target_value"], alpha=r["alpha"], rules=Rules(**dict(r["rules"])),
        n_scenarios=r["n"], seed=seed, resim_trials=resim_trials,
        time_limit_s=r["time_limit"], built=built,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _risk(text: str, req: tuple, seed: int) -> list[dict]:
    r = dict(req)
    built = _problem(text, r["metric"], r["n"], seed, r["rules"])
    return risk_frontier(built, alpha=r["alpha"] or 0.9, points=5,
                         time_limit_s=r["time_limit"])


def controls(scenario) -> tuple:
    """The optimizer settings (kept while the planner visits other pages)."""
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("pf.objective"))
        objective = st.selectbox(t("pf.objective"), OBJECTIVES, label_visibility="collapsed",
                                 format_func={o: t(f"obj.{o}") for o in OBJECTIVES}.get,
                                 **ui.persist("pf_objective", "expected"))
        target = target_value = alpha = None
        metric = "credits_fy2030"
        if objective == "prob_target":
            kpis = list(TARGET_KPIS)
            target = st.selectbox(t("pf.target_kpi"), kpis,
                                  format_func={k: i18n.kpi_label(k) for k in kpis}.get,
                                  **ui.persist("pf_target_kpi", kpis[0]))
            metric = TARGET_KPIS[target][0]
            default = getattr(scenario.targets, target, None)
            target_value = st.number_input(
                t("pf.target"), min_value=0.0, max_value=limits.MAX_TARGET_T, step=1000.0,
                help=t("pf.target_help"), format="%.0f",
                **ui.persist(f"pf_target_value_{target}", default))
        else:
            metric = st.selectbox(t("pf.metric"), list(METRICS),
                                  format_func={m: t(f"metric.{m}") for m in METRICS}.get,
                                  **ui.persist("pf_metric", "credits_fy2030"))
        if objective == "cvar":
            alpha = st.slider(t("pf.alpha"), 0.5, 0.99, step=0.01,
                              **ui.persist("pf_alpha", 0.9))
            st.caption(t("pf.alpha_means", worst=i18n.percent(1.0 - alpha)))
        if objective == "min_cost":
            target_value = st.number_input(t("pf.target"), min_value=0.0,
                                           max_value=limits.MAX_TARGET_T, step=1000.0,
                                           help=t("pf.target_help"), format="%.0f",
                                           **ui.persist("pf_min_cost_target", 20000.0))
    with right:
        st.subheader(t("pf.rules"), help=t("pf.rule_off"))
        c1, c2 = st.columns(2)
        with c1:
            min_projects = st.number_input(t("pf.min_projects"), min_value=0, step=1,
                max_value=limits.MAX_PROJECTS,
                                           **ui.persist("pf_min_projects", None))
            max_country = st.number_input(t("pf.max_country"), min_value=0, step=1,
                max_value=limits.MAX_PROJECTS,
                                          **ui.persist("pf_max_country", None))
            n = st.number_input(t("pf.scenarios"), min_value=20,
                                max_value=limits.APP_MAX_OPT_SCENARIOS, step=20,
                                **ui.persist("pf_n", 100))
        with c2:
            staff = st.number_input(t("pf.staff"), min_value=0, step=1,
                max_value=limits.MAX_PROJECTS,
                                    **ui.persist("pf_staff", scenario.assumptions.staff_limit))
            max_tech = st.number_input(t("pf.max_tech"), min_value=0, step=1,
                max_value=limits.MAX_PROJECTS,
                                       **ui.persist("pf_max_tech", None))
            limit = st.number_input(t("pf.time_limit"), min_value=1.0,
                                    max_value=limits.APP_MAX_TIME_LIMIT_S, step=5.0,
                                    format="%.0f", **ui.persist("pf_time_limit", 20.0))
        screen_only = st.checkbox(t("pf.screen_only"), **ui.persist("pf_screen_only", False))

    def whole(v):
        return None if v is None else int(v)

    rules = tuple(sorted({
        "min_projects": whole(min_projects), "max_per_country": whole(max_country),
        "max_per_technology": whole(max_tech), "staff_limit": whole(staff),
        "screen_only": bool(screen_only),
    }.items()))
    return tuple(sorted({
        "objective": objective, "metric": metric, "target": target,
        "target_value": None if target_value is None else float(target_value),
        "alpha": None if alpha is None else float(alpha), "rules": rules, "n": int(n),
        "time_limit": float(limit),
    }.items()))


def objective_text(objective: str, value: float | None) -> str:
    """The objective value in its unit: t-CO2, a probability, or 億円."""
    if value is None:
        return "—"
    if objective == "prob_target":
        return i18n.percent(value)
    if objective == "min_cost":
        return i18n.number(value, "億円")
    return i18n.number(value, "t-CO2")


def best_expected(plan, r: dict) -> tuple[float, float | None]:
    """When no portfolio can reach a target: the highest expected amount any portfolio
    reaches (the expectation objective, same rules), per demonstration for a
    per-demonstration target, and that portfolio's best sampled future."""
    problem = plan.built.problem
    sol = solve(problem, "expected", time_limit_s=r["time_limit"], diagnose_infeasible=False)
    chosen = sol.selected or []
    totals = scenario_totals(problem, chosen)
    if plan.solution.params.get("per_demo"):
        demos = problem.fixed_demo_count + sum(o.demo_count for o in
                                               selected_options(problem, chosen))
        if demos <= 0:
            return 0.0, None
        totals = totals / demos
    return float(np.mean(totals)), float(np.max(totals)) if totals.size else None


def unreachable(plan, r: dict) -> bool:
    """A probability objective whose best value is 0: no portfolio reaches the target."""
    sol = plan.solution
    return (r["objective"] == "prob_target" and sol.status in ("optimal", "time_limit")
            and (sol.objective_value or 0.0) <= 1e-12)


def show_unreachable(plan, r: dict) -> None:
    """Say plainly that the target cannot be reached, and how close the best portfolio
    comes (instead of calling an empty portfolio optimal)."""
    target = plan.solution.params.get("target", r["target_value"])
    per_demo = bool(plan.solution.params.get("per_demo"))
    unit_target = i18n.number(target, "t-CO2") + (t("pf.per_demo_suffix") if per_demo else "")
    st.warning(t("pf.unreachable", target=unit_target, n=plan.built.n_scenarios),
               icon=":material/block:")
    mean, best = best_expected(plan, r)
    reached = i18n.number(mean, "t-CO2") + (t("pf.per_demo_suffix") if per_demo else "")
    top = "—" if best is None else i18n.number(best, "t-CO2")
    st.info(t("pf.unreachable_best", value=reached, best=top, target=unit_target,
              objective=t("obj.expected")), icon=":material/lightbulb:")


def show_plan(cur: state.Current, req: tuple, plan) -> None:
    sol, r = plan.solution, dict(req)
    if unreachable(plan, r):
        show_unreachable(plan, r)
        st.caption(t("pf.solver_detail", msg=i18n.solver_text(sol.message)))
        return
    status_box = {"optimal": st.success, "time_limit": st.warning}.get(sol.status, st.error)
    status_box(t(f"solver.{sol.status}"), icon=":material/info:")
    st.caption(t("pf.solver_detail", msg=i18n.solver_text(sol.message)))
    if sol.diagnosis:
        with st.expander(t("pf.diagnosis"), expanded=True):
            st.markdown("\n".join(f"- {ui.md_escape(i18n.solver_text(line))}"
                                   for line in sol.diagnosis))
    if sol.status not in ("optimal", "time_limit") or not sol.selected:
        if sol.status in ("optimal", "time_limit"):
            st.info(t("pf.none_chosen"))
        return
    by_id = {c.id: c for c in plan.built.problem.candidates}
    rows = []
    for cid, fy in sol.selected:
        cand = by_id[cid]
        opt = next(o for o in cand.options if o.start_fy == fy)
        rows.append({
            t("col.id"): cid, t("col.name"): names.project(cid, cand.name),
            t("col.country"): names.country(cand.country),
            t("col.kind"): i18n.kind_label(cand.kind), t("col.start_fy"): i18n.fy(fy),
            t("pf.total_cost"): sum(opt.cost_by_fy.values()), t("pf.value"): opt.value_mean,
        })
    df = pd.DataFrame(rows)
    figures = (
        (t("pf.in_sample"), objective_text(r["objective"], plan.in_sample)),
        (t("pf.out_sample"), objective_text(r["objective"], plan.out_of_sample)),
        (t("col.selected"), f"{len(sol.selected)}"),
        (t("pf.total_cost"), i18n.number(float(df[t("pf.total_cost")].sum()), "億円")),
    )
    with cardgrid.card_grid(cardgrid.RESULT_GRID):  # as many to a row as fit, never cut
        for label, value in figures:
            st.metric(label, value, border=True, height="stretch")
    trials = 0 if plan.results is None else plan.results.n_trials
    st.caption(t("pf.sample_note", trials=trials))
    policies(plan)
    st.subheader(t("pf.chosen"))
    shown = df.copy()
    shown[t("pf.total_cost")] = [f"{v:,.2f}" for v in df[t("pf.total_cost")]]
    shown[t("pf.value")] = [f"{v:,.0f}" for v in df[t("pf.value")]]
    ui.static_table(shown)
    ui.table_downloads(df, "pf_chosen", "jcm_portfolio", t("pf.sheet_chosen"))

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
    if plan.shown is not None and plan.shown.name != "optimizer":
        planned_raw = editing.with_windows(state.work(), plan.shown.windows)
    else:
        planned_raw = editing.with_plan(state.work(), sol.selected)
    planned = state.Current(scenario_text(planned_raw), validate(planned_raw, "<plan>"), ())
    seed, trials = state.seed(), state.trials()
    fc_now = compute.forecast(cur, seed, trials, where="pf_now")
    fc_plan = compute.forecast(planned, seed, trials, where="pf_plan") if fc_now else None
    if fc_now is None or fc_plan is None:
        return
    plans = [t("col.plan_current"), t("col.plan_proposed")]
    versus = compare_table(plans, [fc_now, fc_plan])
    st.caption(t("cmp.band_note"))
    ui.static_table(versus)
    ui.table_downloads(versus, "pf_versus", "jcm_plan_vs_proposal", t("pf.sheet_versus"))
    fig = charts.overlay_fans([(plans[0], fc_now.years, fc_now.series["cumulative_credits_t"]),
                               (plans[1], fc_plan.years, fc_plan.series["cumulative_credits_t"])],
                              t("cmp.fan"))
    ui.chart(fig, "pf_versus", "jcm_plan_vs_proposal")

    def _apply() -> None:
        state.set_work(planned_raw)
        ss["_pf_applied"] = True

    st.button(t("pf.apply"), key="pf_apply", on_click=_apply, icon=":material/input:")


def policies(plan) -> None:
    """The optimizer's portfolio against simple policies in the full model; the proposal is
    the best of them beyond Monte Carlo error (:mod:`optimize.policies`)."""
    if not plan.policies or plan.shown is None:
        return
    shown = plan.shown
    objective = plan.solution.objective
    sign = -1.0 if objective == "min_cost" else 1.0  # min_cost is compared as negated spend
    st.subheader(t("pf.policies"), help=t("pf.policies_help"))
    rows = []
    for p in plan.policies:
        rows.append({
            t("pf.policy"): ("→ " if p is shown else "") + t(f"policy.{p.name}"),
            t("pf.policy_value"): objective_text(objective, sign * p.value),
            t("pf.policy_se"): "" if p.std_error_vs_shown is None
            else f"± {p.std_error_vs_shown:,.3g}",
            t("col.selected"): len(p.windows),
            t("pf.policy_ok"): t("pf.policy_yes") if p.admissible else t("pf.policy_no"),
        })
    ui.static_table(pd.DataFrame(rows))
    if shown.name != "optimizer":
        st.warning(t("pf.policy_wins", policy=t(f"policy.{shown.name}")),
                   icon=":material/info:")


def frontier(cur: state.Current, req: tuple, plan) -> None:
    st.subheader(t("pf.frontier"))
    kinds = {"budget": t("pf.frontier_budget_kind"), "risk": t("pf.frontier_risk_kind")}
    kind = st.segmented_control(t("pf.frontier_kind"), list(kinds), format_func=kinds.get,
                                **ui.persist("pf_frontier_kind", "budget")) or "budget"
    if st.button(t("pf.frontier_run"), key="pf_frontier_run"):
        ss["_pf_frontier"] = (req, kind)
    if ss.get("_pf_frontier") != (req, kind):
        return
    r, seed = dict(req), state.seed()
    if kind == "risk":
        with st.spinner(t("pf.solving")):
            points = _risk(cur.text, req, seed)
        xy = [(p["cvar"], p["expected"]) for p in points if "expected" in p]
        fig = charts.frontier(xy, t("pf.frontier_cvar"), t("pf.frontier_expected"),
                              t("pf.frontier"))
        ui.chart(fig, "pf_frontier", "jcm_risk_frontier")
        return
    problem = plan.built.problem
    prog = cur.scenario.program
    program_years = [y for y in sorted(problem.budget_by_fy) if y <= prog.last_fy]
    total = sum(problem.budget_by_fy[y] for y in program_years)
    bar = st.progress(0.0)
    xy = []
    for k, scale in enumerate(SCALES):
        s = _plan(cur.text, req, seed, 0, scale).solution
        if s.objective_value is not None and s.status in ("optimal", "time_limit"):
            xy.append((total * scale, s.objective_value))
        bar.progress((k + 1) / len(SCALES))
    bar.empty()
    a, b = (program_years[0], program_years[-1]) if program_years else (prog.as_of_fy,
                                                                         prog.last_fy)
    y_title = {"prob_target": t("col.prob"), "min_cost": t("pf.total_cost")}.get(
        r["objective"], t(f"metric.{r['metric']}"))
    value = plan.solution.objective_value
    fig = charts.frontier(xy, t("pf.frontier_budget", a=a, b=b), y_title, t("pf.frontier"),
                          current=(total, value) if value is not None else None,
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
    if ss.pop("_pf_applied", False):
        st.success(t("pf.applied"), icon=":material/check:")
    req = controls(cur.scenario)
    asked_for = (cur.key, state.seed(), state.trials(), req)
    st.caption(t("pf.stop_note"))
    if st.button(t("pf.run"), key="pf_run", type="primary", icon=":material/auto_awesome:"):
        ss["_pf_request"] = asked_for
    asked = ss.get("_pf_request")
    if asked is None:
        st.info(t("pf.none"))
        return
    if asked != asked_for:
        st.info(t("pf.changed"))
        return
    try:
        with st.spinner(t("pf.building", n=dict(req)["n"])):
            _problem(cur.text, dict(req)["metric"], dict(req)["n"], state.seed(),
                     dict(req)["rules"])
        with st.spinner(t("pf.solving")):
            plan = _plan(cur.text, req, state.seed(), state.trials())
    except ValueError as err:
        st.error(t("pf.error", why=ui.md_escape(str(err))), icon=":material/error:")
        return
    st.subheader(t("pf.status"))
    ui.guarded(lambda: show_plan(cur, req, plan))
    ui.guarded(lambda: frontier(cur, req, plan))


main()
