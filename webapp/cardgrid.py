"""A wrapping grid for KPI cards, so that every card shows all its text at any window width.

Streamlit's columns keep a fixed number of cards to a row however narrow the window, and a
card of fixed height cuts off what does not fit. The grid instead puts as many cards in a
row as fit at a minimum width (Forecast: four at 1440 px with the sidebar open, two at
800 px), makes every card in a row as tall as the tallest (cards are drawn with
``height="stretch"``), and lets a long number or badge wrap instead of ending in "…".
Without the style the cards simply stack, each as wide as the page.

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
_MIN_REM = {KPI_GRID: 13, VERDICT_GRID: 11, IMPACT_GRID: 13}

STYLE = "<style>" + "".join(
    f".st-key-{key} {{ display: grid !important; align-items: stretch !important;"
    f" grid-template-columns: repeat(auto-fill, minmax(min(100%, {rem}rem), 1fr)); }}"
    f".st-key-{key} [data-testid=\"stMetricValue\"] > div,"
    f" .st-key-{key} [data-testid=\"stMarkdownContainer\"] span"
    " { white-space: normal !important; overflow: visible !important;"
    " text-overflow: clip !important; overflow-wrap: anywhere; }"
    for key, rem in _MIN_REM.items()
) + "</style>"


def card_grid(key: str) -> DeltaGenerator:
    """A container whose cards (bordered containers drawn in it) wrap as a grid; ``key`` is
    :data:`KPI_GRID`, :data:`VERDICT_GRID` or :data:`IMPACT_GRID`."""
    if key not in _MIN_REM:
        raise ValueError(f"no card grid {key!r}")
    st.html(STYLE)
    return st.container(key=key)
