"""Layouts that keep every card, number, button and link whole at any window width.

Streamlit's columns keep a fixed number of cards to a row however narrow the window, and a
card of fixed height cuts off what does not fit. The grid instead puts as many cards in a
row as fit at a minimum width (Forecast: four at 1440 px with the sidebar open, two at
800 px), makes every card in a row as tall as the tallest (cards are drawn with
``height="stretch"``), and lets a long number or badge wrap instead of ending in "…".
Without the style the cards simply stack, each as wide as the page.

The same style lets the label of every button, download button and page link wrap onto a
second line instead of ending in "…" (Streamlit cuts a label placed straight in a column to
one line), and :func:`side_by_side` puts two parts of a page next to each other while both
fit at a minimum width, one above the other when not.

:data:`STYLE` is one constant of the app (like the script of :mod:`webapp.navguard`): no
text from users or links is ever written into it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

#: Grid of the Forecast page's KPI cards: a 5-digit number with its unit and a judgement
#: badge with the probability fit on one line each at 13 rem (1 rem = 16 px).
KPI_GRID = "kpi_cards"
#: Grid of the Overview's cards, which show a probability (a percentage, a one-word badge).
VERDICT_GRID = "headline_cards"
#: Grid of the Scenario page's impact cards (a probability, or a median with its unit).
IMPACT_GRID = "impact_cards"
#: Grid of the Portfolio page's result figures (st.metric with its label shown): few cards,
#: so they share the whole row (four at 1440 px, two at 1024 and 800 px).
RESULT_GRID = "result_cards"
_MIN_REM = {KPI_GRID: 13, VERDICT_GRID: 11, IMPACT_GRID: 13, RESULT_GRID: 12}
_FIT = {RESULT_GRID}  # empty tracks collapse: the cards stretch over the row
#: Overview: the budget levers (16 rem) beside the chart (at least 26 rem, and nearly all
#: the rest of the row); one above the other, each as wide as the page, on a page narrower
#: than 45 rem (windows below about 1,180 px with the sidebar open).
LEVERS_SPLIT = "levers_and_chart"
#: Forecast: two charts, side by side while each has at least 24 rem (windows from about
#: 1,100 px with the sidebar open), else one above the other.
CHARTS_SPLIT = "two_charts"
#: Scenario: the shipped-scenario picker beside the uploader while both fit.
PICK_SPLIT = "pick_and_upload"
_SPLIT_REM = {  # (flex-grow, flex-basis in rem) of each part
    LEVERS_SPLIT: ((1, 16), (50, 26)),
    CHARTS_SPLIT: ((1, 24), (1, 24)),
    PICK_SPLIT: ((2, 18), (3, 18)),
}

_WRAP = (" { white-space: normal !important; overflow: visible !important;"
         " text-overflow: clip !important; overflow-wrap: anywhere; }")
#: a label wraps between words (a word longer than the line breaks too), but is never made
#: narrower than its longest word: buttons in a row keep their words whole
_WRAP_WORDS = _WRAP.replace("anywhere", "break-word")
_LABELS = ":is([data-testid=\"stButton\"], [data-testid=\"stDownloadButton\"],"\
          " [data-testid=\"stPageLink\"])"

STYLE = "<style>" + "".join(
    f".st-key-{key} {{ display: grid !important; align-items: stretch !important;"
    f" grid-template-columns: repeat({'auto-fit' if key in _FIT else 'auto-fill'},"
    f" minmax(min(100%, {rem}rem), 1fr)); }}"
    f".st-key-{key} [data-testid=\"stMetricValue\"] > div,"
    f" .st-key-{key} [data-testid=\"stMetricValue\"] p,"
    f" .st-key-{key} [data-testid=\"stMetricLabel\"] .stMarkdownEllipsis,"
    f" .st-key-{key} [data-testid=\"stMetricLabel\"] p,"
    f" .st-key-{key} [data-testid=\"stMarkdownContainer\"] span" + _WRAP +
    f".st-key-{key} [data-testid=\"stMetricLabel\"] {{ height: auto !important; }}"
    for key, rem in _MIN_REM.items()
) + "".join(
    f".st-key-{key} {{ display: flex !important; flex-flow: row wrap !important;"
    f" gap: 1rem 3rem !important; align-items: flex-start !important; }}"
    f".st-key-{key} > :nth-child(1) {{ flex: {grow1} 1 {rem1}rem !important;"
    f" min-width: 0; width: auto !important; }}"
    f".st-key-{key} > :nth-child(2) {{ flex: {grow2} 1 {rem2}rem !important;"
    f" min-width: 0; width: auto !important; }}"
    for key, ((grow1, rem1), (grow2, rem2)) in _SPLIT_REM.items()
) + (
    f"{_LABELS} button, {_LABELS} a {{ height: auto !important; }}"
    f"{_LABELS} .stMarkdownEllipsis, {_LABELS} .stMarkdownEllipsis p,"
    f" {_LABELS} a span:not([data-testid=\"stIconMaterial\"]), {_LABELS} a p" + _WRAP_WORDS
) + "</style>"


def style() -> None:
    """Put :data:`STYLE` on the page; ``app.py`` does it once per run, for every page (the
    grids and splits below rely on it)."""
    st.html(STYLE)


def card_grid(key: str) -> DeltaGenerator:
    """A container whose cards (bordered containers or metrics drawn in it) wrap as a grid;
    ``key`` is :data:`KPI_GRID`, :data:`VERDICT_GRID`, :data:`IMPACT_GRID` or
    :data:`RESULT_GRID`."""
    if key not in _MIN_REM:
        raise ValueError(f"no card grid {key!r}")
    return st.container(key=key)


def side_by_side(key: str) -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two containers next to each other while both fit at their minimum width, else one
    above the other (``key``: :data:`LEVERS_SPLIT`, :data:`CHARTS_SPLIT` or
    :data:`PICK_SPLIT`)."""
    if key not in _SPLIT_REM:
        raise ValueError(f"no split {key!r}")
    with st.container(key=key):
        return st.container(), st.container()
