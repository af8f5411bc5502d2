"""Scenario page: pick or upload a scenario, edit budgets and candidates, see the effect.

Widgets → the edited scenario dictionary (:mod:`webapp.state`) → one validation
(:func:`sim.loader.scenario_from_dict`) and, when valid, one simulation per scenario
(:mod:`webapp.compute`) → the probability of meeting each target, shipped vs edited.
"""

from __future__ import annotations

import copy

import streamlit as st

from sim.errors import InputError, Problem
from sim.screen import screen_candidates
from webapp import cardgrid, cards, compute, editing, i18n, levers, names, state, ui
from webapp.downloads import TOML_MIME
from webapp.i18n import t
from webapp.scenarios import (
    Upload,
    load_shipped,
    load_uploads,
    scenario_text,
    shipped,
    validate,
)
from webapp.tables import sources_table

ss = st.session_state
IMPACT_KPIS = (
    "projects_implemented",
    "avg_credits_per_demo_fy2030_t",
    "dissemination_rate",
    "credits_fy2030_t",
    "credits_fy2040_t",
    "spend_oku_yen",
)


# ------------------------------------------------------------------------------------------
# callbacks (run before the page is drawn)
# ------------------------------------------------------------------------------------------
def _on_pick() -> None:
    rel = ss.get("pick_scenario")
    if rel in shipped():
        try:
            state.set_base(rel, load_shipped(rel), rel, rel)
            _forget_upload_messages()
        except Exception as err:  # noqa: BLE001 - shown, never raised
            ss["_pick_error"] = str(err)


def upload_key() -> str:
    """The uploader's key: a new one after each upload is handled, so the next upload is
    read on its own (files left in the uploader from an upload that failed would be read
    again with it)."""
    return f"upload_{ss.get('_upload_round', 0)}"


def _on_upload() -> None:
    files = ss.get(upload_key()) or []
    _forget_upload_messages()
    if not files:
        return
    ss["_upload_round"] = ss.get("_upload_round", 0) + 1
    uploads = [Upload(f.name, f.getvalue()) for f in files]
    tables_only = not any(u.name.lower().endswith(".toml") for u in uploads)
    try:
        loaded = load_uploads(uploads, ss.get("pick_scenario") or state.DEFAULT_SCENARIO,
                              onto=state.base_raw() if tables_only else None,
                              onto_label=state.label())
        work = _with_added(loaded) if loaded.added is not None else None
    except InputError as err:
        ss["_upload_problems"] = list(err.problems)
        return
    if work is None:
        state.set_base("upload", loaded.raw, t("sc.uploaded", name=loaded.label),
                       loaded.link_base)
        ss["_upload_ok"] = ("sc.upload_ok", {"name": loaded.label})
    else:  # tables added to the scenario being edited: its edits stay
        state.set_base("upload", loaded.raw, t("sc.uploaded", name=loaded.label),
                       ss.get(state.K_LINK_BASE) or loaded.link_base, work=work)
        n = len(loaded.added)
        ss["_upload_ok"] = ("sc.upload_added" if n != 1 else "sc.upload_added_one",
                            {"n": n, "name": loaded.label})
    ss["_upload_notes"] = list(loaded.notes)


def _with_added(loaded) -> dict:
    """The edited scenario with the projects an upload of tables added (raises InputError
    when one of their ids is already a project the planner added by editing)."""
    work = copy.deepcopy(state.work())
    projects = work.setdefault("projects", {})
    clash = [pid for pid in loaded.added if pid in projects]
    if clash:
        raise InputError([Problem(loaded.label, f"projects.{pid}",
                                  "a project with this id is already in the scenario being "
                                  "edited") for pid in clash])
    for pid in loaded.added:
        projects[pid] = copy.deepcopy(loaded.raw["projects"][pid])
    if work.get("name") == state.base_raw().get("name"):
        work["name"] = loaded.raw.get("name", work.get("name"))
    return work


def _forget_upload_messages() -> None:
    for key in ("_upload_problems", "_upload_ok", "_upload_notes"):
        ss.pop(key, None)


def _on_restore() -> None:
    state.restore_replaced()
    _forget_upload_messages()  # they spoke of the scenario just put away
    if ss.get(state.K_BASE) in shipped():
        ss["pick_scenario"] = ss[state.K_BASE]


def _on_reset() -> None:
    state.reset_work()


def _candidate_edits(key: str, countries: dict[str, str]) -> dict:
    """The candidate editor's edits with countries shown in the interface's language
    mapped back to the scenario's country names."""
    edits = ss.get(key) or {}
    rows = {}
    for row, cells in (edits.get("edited_rows") or {}).items():
        cells = dict(cells)
        if cells.get("country") in countries:
            cells["country"] = countries[cells["country"]]
        rows[row] = cells
    return {**edits, "edited_rows": rows}


def _on_candidate_edit(frame, key: str, countries: dict[str, str]) -> None:
    """Write the candidate table's edits into the scenario as they arrive: a callback runs
    at the start of the next script run, whichever page that run draws."""
    if editing.apply_candidate_edits(state.work(), frame, _candidate_edits(key, countries)):
        state.bump()
        state.edit_arrived()


def _shipped_label(rel: str) -> str:
    """A shipped scenario by its name in the interface's language, with its file."""
    name = names.shipped_name(rel)
    return names.scenario(name) + i18n.paren(rel) if name else rel


# ------------------------------------------------------------------------------------------
# parts of the page
# ------------------------------------------------------------------------------------------
def pick_and_upload() -> None:
    left, right = cardgrid.side_by_side(cardgrid.PICK_SPLIT)  # stacked when narrow
    with left:
        options = shipped()
        if ss.get("pick_scenario") not in options:
            base = ss.get(state.K_LINK_BASE)
            ss["pick_scenario"] = base if base in options else options[0]
        labels = {o: _shipped_label(o) for o in options}  # fixed now: used elsewhere too
        st.selectbox(t("sc.pick"), options, key="pick_scenario", on_change=_on_pick,
                     format_func=labels.get)
        if ss.get(state.K_BASE) == "upload":
            st.caption(state.label())
        st.button(t("sc.reset"), key="reset_edits", on_click=_on_reset,
                  disabled=not state.is_edited(), icon=":material/undo:")
        replaced = state.replaced_label()
        if replaced:
            st.info(ui.md_escape(t("sc.replaced", name=replaced)), icon=":material/history:")
            st.button(t("sc.restore"), key="restore_replaced", on_click=_on_restore,
                      icon=":material/restore:")
    with right:
        st.file_uploader(t("sc.upload"),
                         accept_multiple_files=True, key=upload_key(), on_change=_on_upload,
                         help=t("sc.upload_help"))
        if ss.get("_upload_problems"):
            st.error(t("sc.upload_bad"), icon=":material/error:")
            ui.show_problems(ss["_upload_problems"], with_file=True)
        elif ss.get("_upload_ok"):
            key, words = ss["_upload_ok"]  # drawn in the page's language of the moment
            st.success(ui.md_escape(t(key, **words)), icon=":material/check:")
            if ss.get("_upload_notes"):
                st.caption(ui.md_escape(t("lim.upload_notes", what="; ".join(
                    i18n.rule_text(note) for note in ss["_upload_notes"]))))
    raw = state.work()
    if raw.get("description"):
        with st.expander(t("sc.description")):
            st.text(names.description(str(raw.get("description"))))


def budget_editor() -> None:
    st.subheader(t("sc.budget"), help=t("sc.budget_help"))
    levers.budget_table()


def quick_sliders() -> None:
    st.subheader(t("sc.quick"), help=t("sc.quick_help"))
    levers.budget_sliders("quick", warn_large=False)


def _late_edits(raw: dict, frame, key: str, countries: dict[str, str]) -> None:
    """Edits the callback has not seen (state set directly, as AppTest does): apply them now
    and draw the page again from the scenario. In the browser the callback has already
    applied them and changed the editor's key, so this finds nothing to do."""
    if editing.apply_candidate_edits(raw, frame, _candidate_edits(key, countries)):
        state.bump()
        st.rerun()


def candidate_editor() -> None:
    st.subheader(t("sc.candidates"), help=t("sc.candidates_help"))
    raw = state.work()
    frame = editing.candidate_frame(raw)
    shown = frame.copy()
    shown["kind"] = [i18n.kind_label(k) for k in frame["kind"]]
    shown["name"] = [names.project(pid, n) for pid, n in zip(frame["id"], frame["name"],
                                                              strict=True)]
    countries = sorted(str(c) for c in (raw.get("countries") or {}))
    for c in frame["country"].dropna():
        if c not in countries:
            countries.append(c)
    shown["country"] = [None if c is None else names.country(str(c))
                        for c in frame["country"]]
    back = {names.country(c): c for c in countries}
    text = st.column_config.TextColumn
    key = f"candidate_editor_{state.version()}"
    st.data_editor(
        shown, key=key, hide_index=True, num_rows="fixed", width="stretch",
        on_change=_on_candidate_edit, args=(frame, key, back),
        column_config={
            "include": st.column_config.CheckboxColumn(t("col.include"), width="small"),
            "id": text(t("col.id"), disabled=True),
            "name": text(t("col.name"), width="medium"),
            "kind": text(t("col.kind"), disabled=True),
            "country": st.column_config.SelectboxColumn(t("col.country"),
                                                        options=list(back)),
            "earliest_start_fy": st.column_config.NumberColumn(t("col.earliest"), step=1,
                                                               format="%d"),
            "latest_start_fy": st.column_config.NumberColumn(t("col.latest"), step=1,
                                                             format="%d"),
            "design_cost_oku_yen": text(t("col.design_cost")),
            "main_cost_oku_yen": text(t("col.main_cost")),
            "expected_t_per_yr": text(t("col.expected_t")),
            "market_size": text(t("col.market")),
            "replication_t_per_yr": text(t("col.replication_t")),
            "methodology_needed": st.column_config.CheckboxColumn(t("col.methodology_needed")),
            "mandatory": st.column_config.CheckboxColumn(t("col.mandatory")),
            "forbidden": st.column_config.CheckboxColumn(t("col.forbidden")),
        },
    )
    _late_edits(raw, frame, key, back)
    started = editing.started_ids(raw)
    if started:
        with st.expander(t("sc.show_all")):
            projects = raw["projects"]
            st.dataframe(
                [{t("col.id"): pid,
                  t("col.name"): names.project(pid, editing.plain(projects[pid].get("name"))),
                  t("col.kind"): i18n.kind_label(str(editing.plain(projects[pid].get("kind")))),
                  t("col.status"): i18n.status_label(
                      str(editing.plain(projects[pid].get("status")))),
                  t("col.country"): names.country(
                      str(editing.plain(projects[pid].get("country")) or "")),
                  t("col.start_fy"): _fy_or_dash(editing.plain(projects[pid].get("started_fy")))}
                 for pid in started],
                hide_index=True, width="stretch",
            )


def _fy_or_dash(value) -> str:
    return i18n.fy(value) if isinstance(value, int) and not isinstance(value, bool) else "—"


def impact(cur: state.Current) -> None:
    st.subheader(t("sc.impact"), help=t("sc.impact_help"))
    seed, trials = state.seed(), state.trials()
    status = st.container()
    with status:
        edited, refining = compute.first_answer(cur, seed, trials, "impact_edit")
    if edited is None:
        return
    base_cur = _base_current()
    fc_base = None
    runs = [cur]
    if base_cur is not None and base_cur.text != cur.text:
        with status:  # the same trials as the answer drawn (common random numbers)
            fc_base = compute.forecast(base_cur, seed, edited.trials, where="impact_base")
        if fc_base is None:
            return
        runs.append(base_cur)
    if not refining:
        ss["_last_kpis"] = {k.id: k.mean for k in edited.kpis}
        ss["_last_probs"] = {k.id: k.prob_meet for k in edited.kpis}
    tg = cur.scenario.targets
    with cardgrid.card_grid(cardgrid.IMPACT_GRID):  # as many to a row as fit
        for kid in IMPACT_KPIS:
            impact_card(edited.kpi(kid), None if fc_base is None else fc_base.kpi(kid),
                        tg.dissemination_reduction_per_project_t)
    if fc_base is None:
        st.caption(t("sc.no_edits"))
    with status:
        if refining:
            compute.refine(runs, seed, trials, "impact", edited.trials)
        else:
            ui.run_caption(edited)


def impact_card(k, was, dissemination_t: float | None = None) -> None:
    """One target: probability of meeting it (or the median), and the change from the
    shipped scenario."""
    spend = k.id == "spend_oku_yen"
    with st.container(border=True, height="stretch"):  # as tall as its row: never cut off
        if k.target is not None:
            title = f"{cards.kpi_name(k, dissemination_t)} — {t('col.prob_short')}"
            st.markdown(f"**{title}**")
            delta = None
            if was is not None:
                change = 100 * ((k.prob_meet or 0.0) - (was.prob_meet or 0.0))
                delta = f"{change:+.0f} pt" if abs(change) >= 0.5 else None
            # the title above says what it is; the hidden label says it to a screen reader
            st.metric(title, i18n.percent(k.prob_meet), delta=delta,
                      label_visibility="collapsed")
            mean = f"{t('col.mean')} {i18n.number(k.mean, k.unit)}"
            if was is not None and abs(k.mean - was.mean) > 1e-9:
                mean += t("sc.impact_was", value=i18n.bare(was.mean, k.unit))
            st.caption(f"{mean} · {t('col.target')} {i18n.number(k.target, k.unit)}")
        else:
            # spend shows its mean (what the budget years add up to) where the Forecast card
            # shows the median: the title says so
            st.markdown(f"**{i18n.kpi_label(k.id)}**"
                        + (i18n.paren(t("col.mean")) if spend else ""))
            now = k.mean if spend else k.p50
            delta = None
            if was is not None:
                digits = 1 if spend else 0
                change = now - (was.mean if spend else was.p50)
                delta = f"{change:+,.{digits}f}" if round(change, digits) != 0 else None
            st.metric(i18n.kpi_label(k.id), i18n.number(now, k.unit), delta=delta,
                      label_visibility="collapsed",
                      delta_color="off" if spend else "normal")
            st.caption(i18n.range_caption(k.p10, k.p90, k.unit, median=not spend))


def _base_current() -> state.Current | None:
    raw = state.base_raw()
    try:
        text = scenario_text(raw)
        return state.Current(text, validate(raw, state.label()), ())
    except Exception:  # noqa: BLE001 - an invalid base has no forecast
        return None


def sources_and_download(cur: state.Current) -> None:
    if cur.scenario is not None:
        with st.expander(t("sc.sources")):
            st.caption(t("sc.sources_help"))
            df = sources_table(cur.scenario, state.work())
            st.dataframe(df, hide_index=True, width="stretch")
            ui.table_downloads(df, "sources", "jcm_sources", "sources")
        failing = [s for s in screen_candidates(cur.scenario) if not s.passes]
        if failing:
            st.info(t("sc.screen_fail", n=len(failing), ids=", ".join(s.id for s in failing)),
                    icon=":material/rule:")
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(
        state.work().get("name", "scenario")))
    st.download_button(t("sc.download"), data=cur.text or "", file_name=f"{name}.toml",
                       mime=TOML_MIME, key="dl_scenario_toml", on_click="ignore",
                       icon=":material/download:", disabled=not cur.text)


def main() -> None:
    st.title(t("sc.title"))
    st.caption(t("sc.intro"))
    ui.guarded(pick_and_upload)
    general = st.container()
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.guarded(budget_editor)
        budget_msgs = st.container()
    with right:
        ui.guarded(quick_sliders)
    impact_box = st.container()
    cand_box = st.container()
    with cand_box:
        ui.guarded(candidate_editor)
        cand_msgs = st.container()
    cur = state.current()
    problems = list(cur.problems)
    with budget_msgs:
        ui.show_problems(ui.problems_for(problems, ("budget",)))
    with cand_msgs:
        ui.show_problems(ui.problems_for(problems, ("projects", "exclude_projects", "row")))
    rest = [p for p in problems
            if not p.field.startswith(("budget", "projects", "exclude_projects", "row"))]
    with general:
        if problems:
            st.error(t("sc.invalid"), icon=":material/error:")
            ui.show_problems(rest)
    with impact_box:
        if cur.scenario is not None:
            ui.guarded(lambda: impact(cur))
    ui.guarded(lambda: sources_and_download(cur))


main()
