"""Shared pieces of the pages: problem messages, KPI cards, charts and download buttons.

Nothing here renders user text as HTML: every label goes through Streamlit's escaped
elements. :func:`guarded` runs a part of a page so that an unexpected error shows a short
message instead of a traceback, while Streamlit's own stop/rerun signals pass through.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sim.errors import Problem
from sim.kpis import KpiSummary
from webapp import cardgrid, downloads, i18n, state
from webapp.charts import CHART_CONFIG
from webapp.editing import plain_number
from webapp.i18n import t
from webapp.safe import md_escape
from webapp.tables import light

log = logging.getLogger("jcm.app")
BADGE = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}
_FIELD_NAMES = {
    "budget": "col.budget",
    "earliest_start_fy": "col.earliest",
    "latest_start_fy": "col.latest",
    "main_cost_oku_yen": "col.main_cost",
    "design_cost_oku_yen": "col.design_cost",
    "expected_t_per_yr": "col.expected_t",
    "market_size": "col.market",
    "replication_t_per_yr": "col.replication_t",
    "country": "col.country",
    "name": "col.name",
    "mandatory": "col.mandatory",
    "forbidden": "col.forbidden",
}


def persist(key: str, default: object = None) -> dict:
    """Keep a page widget's value while the planner is on another page.

    Streamlit forgets a widget's value when its page is not shown; this copies it to a
    shadow key on every change and restores it before the widget is drawn. Use as
    ``st.selectbox(..., **persist("k", default))``.
    """
    shadow = f"_keep_{key}"
    ss = st.session_state
    if key not in ss:
        ss[key] = ss.get(shadow, default)
    ss[shadow] = ss[key]

    def _copy() -> None:
        ss[shadow] = ss.get(key)

    return {"key": key, "on_change": _copy}


def guarded(part: Callable[[], None]) -> None:
    """Run ``part``; an unexpected error becomes a short message (details go to the log)."""
    try:
        part()
    except Exception as err:  # noqa: BLE001 - never show a traceback to a planner
        log.exception("app error")
        st.error(t("err.unexpected", kind=type(err).__name__), icon=":material/error:")


def field_text(field: str) -> str:
    """A problem's field path in words: "FY2027 (budget)", "mx-waste-heat — Main cost"."""
    m = re.fullmatch(r"budget\.(FY\d{4}|\d{4})(\..*)?", field, flags=re.IGNORECASE)
    if m:
        fy = int(m.group(1).upper().removeprefix("FY"))
        return f"{t('col.budget')} {i18n.fy(fy)}"
    m = re.fullmatch(r"projects\.([^.]+)\.([A-Za-z_]+)(\..*)?", field)
    if m:
        key = _FIELD_NAMES.get(m.group(2))
        return f"{m.group(1)} — {t(key) if key else _field_words(m.group(2))}"
    m = re.fullmatch(r"(.*column )([A-Za-z_]+)", field)
    if m:  # a table's row and column: the header as in the file, and what it means
        key = _FIELD_NAMES.get(m.group(2))
        words = t(key) if key else _field_words(m.group(2))
        field = m.group(1) + m.group(2) + (f" ({words})" if words != m.group(2) else "")
    if i18n.lang() == "ja":
        from webapp.messages_ja import FIELDS, translate

        return translate(field, FIELDS)
    return field


def _field_words(name: str) -> str:
    """A scenario field by what it means (its key when the app has no name for it)."""
    from webapp.names import FIELDS

    pair = FIELDS.get(name)
    if pair is None:
        col = {"technology": "col.technology", "kind": "col.kind", "status": "col.status",
               "id": "col.id"}.get(name)
        return t(col) if col else name
    return pair[1] if i18n.lang() == "ja" else pair[0]


_SCIENTIFIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+(?![\w.])")


def plain_numbers(text: str) -> str:
    """``text`` with every number in scientific notation written plainly: "got 1e+09" →
    "got 1,000,000,000" (inside parentheses, where commas part a distribution's parameters,
    without thousands separators: "uniform(0, 1000000000)")."""
    def plain(m: re.Match) -> str:
        value = float(m.group(0))
        if not math.isfinite(value):  # 1e400: beyond any float, left as written
            return m.group(0)
        depth = text.count("(", 0, m.start()) - text.count(")", 0, m.start())
        return plain_number(value, separators=depth <= 0)

    return _SCIENTIFIC.sub(plain, text)


def problem_text(p: Problem, with_file: bool = False) -> str:
    """One problem in words: where (file, field) and the rule broken (numbers in plain
    notation, :func:`plain_numbers`)."""
    rule = plain_numbers(i18n.rule_text(p.rule))
    if p.field and with_file:
        return t("err.problem_file", file=p.file, field=field_text(p.field), rule=rule)
    if p.field:
        return t("err.problem", field=field_text(p.field), rule=rule)
    return t("err.problem_whole", file=p.file, rule=rule)


def show_problems(problems: Iterable[Problem], with_file: bool = False,
                  most: int = 12) -> None:
    """The problems as one error box, one line each (names typed by users escaped)."""
    items = list(problems)
    if not items:
        return
    lines = [md_escape(problem_text(p, with_file)) for p in items[:most]]
    if len(items) > most:
        lines.append(md_escape(t("err.more", n=len(items) - most)))
    body = lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
    st.error(body, icon=":material/error:")


def problems_for(problems: Iterable[Problem], prefixes: tuple[str, ...]) -> list[Problem]:
    """The problems whose field starts with one of ``prefixes``."""
    return [p for p in problems if p.field.startswith(prefixes)]


def require_valid() -> state.Current | None:
    """The valid edited scenario; otherwise a message pointing to the Scenario page."""
    cur = state.current()
    if cur.scenario is None:
        st.warning(t("err.scenario_invalid"), icon=":material/warning:")
        st.page_link("webapp/pages/scenario.py", label=t("err.fix_on_scenario"),
                     icon=":material/edit:")
        return None
    return cur


# ------------------------------------------------------------------------------------------
# KPI cards
# ------------------------------------------------------------------------------------------
def kpi_card(k: KpiSummary, extra: str | None = None, trials: int | None = None,
             dissemination_t: float | None = None) -> None:
    """One KPI: its median, the P10–P90 range, the target, the chance of meeting it, and
    the Monte Carlo error (when ``trials`` is given)."""
    from webapp.cards import kpi_name, mc_error_help, mc_error_text

    label = kpi_name(k, dissemination_t)
    value = i18n.number(k.p50, k.unit)
    if k.unit == "JPY/t-CO2":  # a long unit goes with the label, not the big number
        label = label + i18n.paren(i18n.unit_label(k.unit))
        value = i18n.bare(k.p50, k.unit)
    with st.container(border=True, height="stretch"):  # as tall as its row: never cut off
        st.markdown(f"**{label}**")
        st.metric(label, value, label_visibility="collapsed")
        st.caption(i18n.range_caption(k.p10, k.p90, k.unit))
        if k.target is not None:
            colour = light(k.prob_meet)
            st.badge(f"{t('status.' + colour)} · {t('card.prob', prob=i18n.percent(k.prob_meet))}",
                     color=BADGE[colour])
            st.caption(t("card.target", target=i18n.number(k.target, k.unit)))
        else:
            st.badge(t("card.no_target"), color="gray")
            if extra:
                st.caption(extra)
        if trials:
            st.caption(mc_error_text(k, trials), help=mc_error_help(k))


def kpi_cards(kpis: Iterable[KpiSummary], extras: dict[str, str] | None = None,
              trials: int | None = None, dissemination_t: float | None = None) -> None:
    """A card per KPI, as many to a row as the window allows (:mod:`webapp.cardgrid`)."""
    with cardgrid.card_grid(cardgrid.KPI_GRID):
        for k in kpis:
            kpi_card(k, (extras or {}).get(k.id), trials, dissemination_t)


# ------------------------------------------------------------------------------------------
# charts, tables and downloads
# ------------------------------------------------------------------------------------------
def chart(fig: go.Figure, key: str, filename: str) -> None:
    """Draw a chart with its HTML download (PNG: the chart's own camera button)."""
    config = dict(CHART_CONFIG)
    config["toImageButtonOptions"] = {**CHART_CONFIG["toImageButtonOptions"],
                                      "filename": filename}
    st.plotly_chart(fig, key=key, config=config, width="stretch")
    title = fig.layout.title.text or filename
    st.download_button(t("dl.html"), data=lambda: downloads.figure_html(fig, title),
                       file_name=f"{filename}.html", mime=downloads.HTML_MIME,
                       key=f"dl_{key}_html", on_click="ignore", icon=":material/download:",
                       help=t("dl.png_hint"))


def static_table(df: pd.DataFrame, colours: dict[str, dict[str, str]] | None = None) -> None:
    """A small table shown whole, text wrapped (for evaluation documents).

    Every cell and header is escaped, so nothing in it is read as Markdown; ``colours`` maps
    a column to {cell text: colour} for the app's own status words (e.g. the outlook).
    """
    shown = df.copy()
    shown.columns = [md_escape(c) for c in df.columns]
    for col, orig in zip(shown.columns, df.columns, strict=True):
        paint = (colours or {}).get(orig, {})
        cells = []
        for v in df[orig]:
            text = "—" if v is None or (isinstance(v, float) and v != v) else md_escape(v)
            colour = paint.get(str(v))
            cells.append(f":{colour}[**{text}**]" if colour else text)
        shown[col] = cells
    st.table(shown, hide_index=True)


def table_downloads(df: pd.DataFrame, key: str, filename: str, sheet: str) -> None:
    """CSV and Excel buttons for a table, side by side as wide as their labels (the second
    goes below the first when the row is too narrow for both: no label is ever cut)."""
    with st.container(horizontal=True, wrap=True, gap="small"):
        st.download_button(t("dl.csv"), data=lambda: downloads.csv_bytes(df),
                           file_name=f"{filename}.csv", mime=downloads.CSV_MIME,
                           key=f"dl_{key}_csv", on_click="ignore",
                           icon=":material/download:", width="content")
        st.download_button(t("dl.xlsx"), data=lambda: downloads.xlsx_bytes({sheet: df}),
                           file_name=f"{filename}.xlsx", mime=downloads.XLSX_MIME,
                           key=f"dl_{key}_xlsx", on_click="ignore",
                           icon=":material/download:", width="content")


def show_table(df: pd.DataFrame, key: str, filename: str, sheet: str,
               formats: dict[str, object] | None = None, widths: dict[str, str] | None = None,
               max_rows: int = 20, downloads_too: bool = True) -> None:
    """A table with every row visible (up to ``max_rows``), missing values as "—", numbers
    formatted with ``formats`` (``{"column": "{:,.0f}"}``), and its CSV/Excel downloads."""
    fmt = {c: f for c, f in (formats or {}).items() if c in df.columns}
    styler = df.style.format(fmt, na_rep="—")
    height = 35 * (min(len(df), max_rows) + 1) + 3
    config = {c: st.column_config.Column(c, width=w) for c, w in (widths or {}).items()
              if c in df.columns}
    st.dataframe(styler, hide_index=True, width="stretch", height=height, key=f"tbl_{key}",
                 column_config=config or None)
    if downloads_too:
        table_downloads(df, key, filename, sheet)


def run_caption(fc) -> None:
    st.caption(t("run.info", trials=fc.trials, seed=fc.seed, seconds=fc.seconds))
