"""Budget levers shared by the Overview and Scenario pages: the budget table and the sliders.

Every lever writes into the edited scenario (:mod:`webapp.state`) from its ``on_change``
callback. Streamlit runs a callback at the start of the next script run, whichever page that
run draws, and a text box sends its value at once on Enter or when it loses focus, so an edit
followed immediately by a click on another page is never lost. (The grid editor,
``st.data_editor``, holds an edit back for 150 ms before sending it and drops it when the page
changes in that time; that is why budgets are typed into text boxes, one per fiscal year.)
"""

from __future__ import annotations

import math

import streamlit as st

from sim.errors import Problem
from webapp import editing, i18n, names, state, ui
from webapp.i18n import t

SLIDER_TOP = 40.0  # 億円: well above any budget so far (FY2026: 11.5)
_COLS = [1.0, 1.7, 1.0, 3.6]


def _value_key(fy: int) -> str:
    return f"budget_value_{fy}"


def _source_key(fy: int) -> str:
    return f"budget_source_{fy}"


def _after_edit() -> None:
    """Mark the scenario changed; if the planner had just asked for another page, let the
    frame go there (see :func:`webapp.state.honour_navigation`)."""
    state.bump()
    state.edit_arrived()


def _on_value(fy: int) -> None:
    text = st.session_state.get(_value_key(fy))
    source = st.session_state.get(_source_key(fy))
    raw = state.work()
    entry = editing.budget_entry(raw, fy)
    # a new value no longer carries the old value's citation, unless one was typed
    old_source = entry.get("source") if isinstance(entry, dict) else None
    if source and source != names.source(old_source or ""):
        new_source = source
    else:
        new_source = editing.WHAT_IF_SOURCE
    # an emptied box means no budget that year (its placeholder says so): 0 億円, written
    # out, so that the link carries it and the box shows what the model uses
    value = text if str(text or "").strip() else 0.0
    editing.set_budget(raw, fy, value=value, source=new_source)
    _after_edit()


def _on_source(fy: int) -> None:
    editing.set_budget(state.work(), fy, source=st.session_state.get(_source_key(fy)))
    _after_edit()


def _missing(cell) -> bool:
    """A table cell holding nothing (None, or the NaN a data frame makes of it)."""
    return cell is None or (isinstance(cell, float) and math.isnan(cell))


def budget_table() -> None:
    """One row per fiscal year: the budget as typed (number or distribution), its mean and
    its source, each editable in place."""
    raw = state.work()
    frame = editing.budget_frame(raw)
    head = st.columns(_COLS, vertical_alignment="bottom")
    for col, key in zip(head, ("col.fy", "col.budget", "col.budget_mean", "col.source"),
                        strict=True):
        col.markdown(f"**{t(key)}**")
    large = editing.large_budgets(raw)
    for _, row in frame.iterrows():
        fy = int(str(row["fy"]).removeprefix("FY"))
        vkey, skey = _value_key(fy), _source_key(fy)
        # the boxes always show the scenario (a slider or an undo may have changed it)
        st.session_state[vkey] = "" if _missing(row["value"]) else str(row["value"])
        source = row["source"]
        st.session_state[skey] = "" if _missing(source) else names.source(str(source))
        c = st.columns(_COLS, vertical_alignment="center")
        c[0].markdown(i18n.fy(fy))
        c[1].text_input(t("sc.budget_of", fy=i18n.fy(fy)), key=vkey,
                        label_visibility="collapsed", on_change=_on_value, args=(fy,),
                        placeholder=t("sc.budget_none"))
        mean = row["mean"]
        c[2].markdown("—" if mean is None or mean != mean else f"{mean:,.2f}")
        c[3].text_input(t("sc.source_of", fy=i18n.fy(fy)), key=skey,
                        label_visibility="collapsed", on_change=_on_source, args=(fy,))
        if fy in large:
            large_budget_note(fy, *large[fy])


def large_budget_note(fy: int, mean_oku_yen: float, past_fy: int, past_oku_yen: float) -> None:
    """A warning under a year whose budget is far above every budget so far (a unit slip?)."""
    st.caption(":orange[:material/warning: " + ui.md_escape(t(
        "sc.budget_large", fy=i18n.fy(fy), value=f"{mean_oku_yen:,.1f}",
        past=f"{past_oku_yen:,.1f}", past_fy=i18n.fy(past_fy))) + "]")


def _on_slider(fy: int, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    editing.set_budget(state.work(), fy, value=round(float(value), 2),
                       source=editing.WHAT_IF_SOURCE)
    _after_edit()


def year_problems(raw: dict, fy: int) -> list[Problem]:
    """The validation problems of fiscal year ``fy``'s budget in the edited scenario."""
    key = editing.budget_keys(raw).get(fy, f"FY{fy}")
    field = f"budget.{key}"
    return [p for p in state.current().problems
            if p.field == field or p.field.startswith(field + ".")]


def budget_sliders(prefix: str = "quick", warn_large: bool = True) -> None:
    """A slider per fiscal year from the simulation start to the program's end (億円).

    A year whose budget validation refuses gets no slider: its message instead. A budget far
    above the known years gets a warning (:func:`large_budget_note`) unless ``warn_large``
    is False (the page shows it already, beside the budget table)."""
    raw = state.work()
    first, last, as_of = editing.program_years(raw)
    large = editing.large_budgets(raw) if warn_large else {}
    for fy in range(as_of, last + 1):
        entry = editing.plain(editing.budget_entry(raw, fy))
        mean = editing.mean_of(entry) if entry is not None else 0.0
        problems = year_problems(raw, fy)
        if problems or mean is None or not math.isfinite(mean) or mean < 0:
            lines = [t("sc.quick_bad", fy=i18n.fy(fy))]
            lines += [f":red[:material/error: {ui.md_escape(ui.problem_text(p))}]"
                      for p in problems]
            st.caption("  \n".join(lines))
            continue
        value = round(mean, 1)
        top = float(max(SLIDER_TOP, math.ceil(value / 10) * 10))
        key = f"{prefix}_{fy}_{top:g}"  # a new range is a new slider
        if st.session_state.get(key) != value:
            st.session_state[key] = value
        st.slider(t("sc.budget_of", fy=i18n.fy(fy)), min_value=0.0, max_value=top,
                  step=0.1, key=key, on_change=_on_slider, args=(fy, key), format="%.1f")
        if isinstance(entry, str):
            st.caption(t("sc.quick_range", fy=i18n.fy(fy), text=entry))
        if fy in large:
            large_budget_note(fy, *large[fy])
