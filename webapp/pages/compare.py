"""Compare page: two to four scenarios side by side with common random numbers.

Every scenario runs with the same seed and trial count; the model keys each random stream
by seed, trial and project id, so a project draws the same luck in every scenario and the
per-trial differences show the effect of the scenario itself.
"""

from __future__ import annotations

import streamlit as st

from sim.errors import InputError
from webapp import charts, compute, i18n, names, state, ui
from webapp.i18n import t
from webapp.scenarios import load_shipped, scenario_text, shipped, validate
from webapp.tables import compare_table, difference_table

CURRENT = "__current__"


def _label(option: str) -> str:
    if option == CURRENT:
        return t("cmp.current") + (i18n.paren(t("side.edited")) if state.is_edited() else "")
    name = names.shipped_name(option)
    return names.scenario(name) + i18n.paren(option) if name else option


def _current_of(option: str) -> state.Current:
    if option == CURRENT:
        return state.current()
    try:
        raw = load_shipped(option)
        text = scenario_text(raw)
        return state.Current(text, validate(raw, option), ())
    except InputError as err:
        return state.Current("", None, tuple(err.problems))


def main() -> None:
    st.title(t("cmp.title"))
    st.caption(t("cmp.intro"))
    options = [CURRENT, *shipped()]
    default = [o for o in (CURRENT, "budget_low.toml", "budget_high.toml") if o in options]
    labels = {o: _label(o) for o in options}  # texts fixed now: format_func runs elsewhere too
    picked = st.multiselect(t("cmp.pick"), options, format_func=labels.get, max_selections=4,
                            **ui.persist("compare_pick", default))
    picked = [p for p in picked if p in options]
    if not 2 <= len(picked) <= 4:
        st.info(t("cmp.need"))
        return
    seed, trials = state.seed(), state.trials()
    status = st.container()
    titles: list[str] = []
    forecasts = []
    currents = {option: _current_of(option) for option in picked}
    valid = [c for c in currents.values() if c.scenario is not None]
    # first answer from fewer trials when any run is missing, refined at once (same trials
    # for every scenario, so the comparison stays fair)
    quick = trials > compute.QUICK_FROM and any(
        compute.cached(c, seed, trials) is None for c in valid)
    count = compute.QUICK_TRIALS if quick else trials
    for option in picked:
        cur = currents[option]
        if cur.scenario is None:
            st.error(t("cmp.invalid", name=_label(option)), icon=":material/error:")
            ui.show_problems(cur.problems, with_file=True)
            continue
        with status:
            fc = compute.forecast(cur, seed, count, where=f"cmp_{len(forecasts)}")
        if fc is None:
            return
        name = names.scenario(cur.scenario.name)
        if option == CURRENT:
            name = name + i18n.paren(t("side.edited")) if state.is_edited() else name
        while name in titles:
            name = f"{name} [{option}]"
        titles.append(name)
        forecasts.append(fc)
    if len(forecasts) < 2:
        return
    if not quick:
        with status:
            st.caption(t("run.info", trials=trials, seed=seed,
                         seconds=sum(f.seconds for f in forecasts)))

    st.subheader(t("cmp.kpis"))
    df = compare_table(titles, forecasts)
    st.caption(t("cmp.band_note"))
    ui.static_table(df)
    ui.table_downloads(df, "compare", "jcm_compare", "compare")

    fig = charts.overlay_fans(
        [(n, f.years, f.series["cumulative_credits_t"]) for n, f in zip(titles, forecasts,
                                                                       strict=True)],
        t("cmp.fan"))
    ui.chart(fig, "compare_fan", "jcm_compare_fan")

    st.subheader(t("cmp.diff", name=ui.md_escape(titles[0])), help=t("cmp.diff_help"))
    diff = difference_table(titles, forecasts)
    st.caption(t("cmp.diff_help"))
    ui.static_table(diff)
    ui.table_downloads(diff, "compare_diff", "jcm_compare_differences", "differences")

    if quick:
        with status:
            compute.refine(valid, seed, trials, "cmp", count)


main()
