"""Headline cards: each target with the probability of meeting it and a coloured judgement,
and the share of the national JCM goal, with the Monte Carlo error of each number.

Cards are generic over :data:`sim.kpis.KPI_DEFS`: every KPI with a target gets a judgement
card and every share of the national goal a share card, in the order the model defines
them, so a KPI added to the model shows here with its label (from :mod:`webapp.i18n`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import streamlit as st

from sim.kpis import KPI_DEFS, KpiSummary
from webapp import cardgrid, i18n
from webapp.compute import Forecast
from webapp.i18n import t
from webapp.tables import light

BADGE = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}
#: KPI ids whose label names the dissemination amount of the scenario (100,000 t by default).
_AMOUNT_LABELS = ("projects_dissemination_100kt", "projects_meeting_both")
_ORDER = {d.id: k for k, d in enumerate(KPI_DEFS)}


def kpi_name(k: KpiSummary, dissemination_t: float | None = None) -> str:
    """The KPI's label in the current language; the dissemination amount spelt out."""
    if k.id in _AMOUNT_LABELS and dissemination_t is not None and i18n.has(
            f"kpi.{k.id}.amount"):
        return t(f"kpi.{k.id}.amount", amount=i18n.tonnes(dissemination_t))
    return i18n.kpi_label(k.id, k.label)


def target_kpis(fc: Forecast) -> list[KpiSummary]:
    """KPIs with a target, in the model's order."""
    return sorted((k for k in fc.kpis if k.target is not None),
                  key=lambda k: _ORDER.get(k.id, len(_ORDER)))


def share_kpis(fc: Forecast) -> list[KpiSummary]:
    """Shares of the national JCM goal, in the model's order."""
    return sorted((k for k in fc.kpis if "ndc_share" in k.id and k.target is None),
                  key=lambda k: _ORDER.get(k.id, len(_ORDER)))


def prob_error(p: float, n: int) -> tuple[float, str]:
    """The Monte Carlo error of a probability ``p`` (0–1) estimated from ``n`` trials, as a
    probability (0–1), and which error it is.

    ``"se"``: the binomial standard error √(p(1−p)/n). Where no trial or every trial met the
    target (p = 0 or 1) that is 0, which would read as "no uncertainty"; then ``"rule_of_three"``:
    3/n (at most 1), the 95 % upper bound on the chance of the outcome no trial showed.
    Examples: p = 0 or 1 from 10 trials → 0.30; p = 0.5 from 100 trials → 0.05.
    """
    if n <= 0 or not math.isfinite(p):
        return math.nan, "none"
    hits = round(p * n)
    if hits <= 0 or hits >= n:
        return min(1.0, 3.0 / n), "rule_of_three"
    return math.sqrt(p * (1.0 - p) / n), "se"


def points_text(pt: float) -> str:
    """Percentage points for a card, never rounded to zero: one decimal from 0.1 pt, else
    two significant digits in plain notation (0.0030)."""
    if not math.isfinite(pt):
        return "—"
    if pt == 0 or pt >= 0.095:
        return f"{pt:.1f}"
    decimals = 1 - math.floor(math.log10(pt))
    return f"{pt:.{decimals}f}"


def mc_error_text(k: KpiSummary, trials: int) -> str:
    """The Monte Carlo error of the probability of meeting the target (:func:`prob_error`,
    in percentage points), or the standard error of the mean where there is no target."""
    if k.prob_meet is not None:
        error, _ = prob_error(k.prob_meet, k.n_trials or trials)
        return t("card.mc_prob", se=points_text(100 * error), trials=f"{trials:,}")
    return t("card.mc_mean", se=mean_error_text(k.std_error, k.unit), trials=f"{trials:,}")


def mc_error_help(k: KpiSummary) -> str:
    """What the Monte Carlo error on a card is (for its help tooltip)."""
    return t("card.mc_prob_help" if k.prob_meet is not None else "card.mc_mean_help")


def mean_error_text(se: float | None, unit: str) -> str:
    """The standard error of a mean in its unit (:func:`webapp.i18n.number`), except that a
    positive error the unit's format would round to zero is written with two significant
    digits (0.3 t-CO2, 0.042 件), never as "± 0". A count of projects, written bare as a
    value in English, names its unit here (0.026 projects): an error alone on its line would
    otherwise have none."""
    text = i18n.number(se, unit)
    if se is None or not math.isfinite(se) or se <= 0:
        return _with_count_unit(text, unit)
    lead = re.match(r"-?[\d,]+(?:\.\d+)?", text)
    if lead and float(lead.group(0).replace(",", "")) == 0:
        text = points_text(se) + text[lead.end():]
    return _with_count_unit(text, unit)


def _with_count_unit(text: str, unit: str) -> str:
    if unit == "projects" and text != "—" and not text.endswith(i18n.unit_label(unit)):
        return f"{text} {i18n.unit_label(unit)}"
    return text


CARD_HEIGHT: int | str = "stretch"  # as tall as its row of the grid: nothing is cut off


def verdict_card(k: KpiSummary, trials: int, was: KpiSummary | None = None,
                 dissemination_t: float | None = None, height: int | str = CARD_HEIGHT) -> None:
    """A target: the probability of meeting it (big), its judgement as a coloured badge,
    the median with its range, the target, the change from the base scenario and the
    Monte Carlo error."""
    colour = light(k.prob_meet)
    with st.container(border=True, height=height):
        st.markdown(f"**{kpi_name(k, dissemination_t)}**")
        # the big number is a probability, not the indicator (a share target's 35 % would
        # otherwise read as the share itself)
        st.caption(t("card.prob_caption"))
        delta = None
        if was is not None and was.prob_meet is not None and k.prob_meet is not None:
            change = 100 * (k.prob_meet - was.prob_meet)
            delta = f"{change:+.0f} pt" if abs(change) >= 0.5 else None
        st.metric(t("card.prob_label", name=kpi_name(k, dissemination_t)),
                  i18n.percent(k.prob_meet), delta=delta, label_visibility="collapsed")
        st.badge(t(f"status.{colour}"), color=BADGE[colour])
        lo, hi = i18n.range_ends(k.p10, k.p90, k.unit)
        st.caption(t("card.median_target", p50=i18n.number(k.p50, k.unit),
                     lo=i18n.bare(lo, k.unit), hi=i18n.bare(hi, k.unit),
                     target=i18n.number(k.target, k.unit)))
        st.caption(mc_error_text(k, trials), help=mc_error_help(k))


def share_card(k: KpiSummary, goal_t: float | None, trials: int,
               was: KpiSummary | None = None, height: int | str = CARD_HEIGHT) -> None:
    """A share of the national JCM goal: the median share, its range and the goal."""
    with st.container(border=True, height=height):
        st.markdown(f"**{i18n.kpi_label(k.id, k.label)}**")
        delta = None
        if was is not None:
            change = 100 * (k.p50 - was.p50)
            delta = f"{change:+.3f} pt" if abs(change) >= 0.0005 else None
        st.metric(i18n.kpi_label(k.id, k.label), i18n.number(k.p50, "share"), delta=delta,
                  label_visibility="collapsed")
        range_text = i18n.range_caption(k.p10, k.p90, "share")
        goal = f" · {t('card.goal', goal=i18n.tonnes(goal_t))}" if goal_t else ""
        st.caption(range_text + goal)
        st.caption(mc_error_text(k, trials), help=mc_error_help(k))


def headline(fc: Forecast, base: Forecast | None, goals: dict[str, float],
             dissemination_t: float | None) -> None:
    """Every target card, then every national-goal share card, as many to a row as the
    window allows (:mod:`webapp.cardgrid`)."""
    was = {k.id: k for k in base.kpis} if base is not None else {}
    with cardgrid.card_grid(cardgrid.VERDICT_GRID):
        for k in target_kpis(fc):
            verdict_card(k, fc.trials, was.get(k.id), dissemination_t)
        for k in share_kpis(fc):
            share_card(k, goals.get(k.id), fc.trials, was.get(k.id))


def goals_by_kpi(fc: Forecast, ndc_goal_fy2030_t: float, ndc_goal_fy2040_t: float
                 ) -> dict[str, float]:
    """The national goal each share KPI is measured against."""
    return {k.id: (ndc_goal_fy2030_t if "2030" in k.id else ndc_goal_fy2040_t)
            for k in share_kpis(fc)}


def names_of(kpis: Sequence[KpiSummary]) -> list[str]:
    return [k.id for k in kpis]
