"""Plotly figures: fan chart, annual bars, spend against budget, Gantt, frontier.

Every figure takes plain arrays and already-translated texts, so it can be drawn in either
language and saved as HTML (or PNG from the chart's camera button).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from webapp import i18n
from webapp.i18n import t

# Okabe & Ito (2008) colours, distinguishable with red-green colour blindness (checked in
# tests/test_app_issue9.py by simulating deuteranopia and protanopia).
NAVY = "#1f4e79"  # the forecast's own line (dark blue)
BLUE = "#0072b2"
SKY = "#56b4e9"
TEAL = "#009e73"  # bluish green
ORANGE = "#e69f00"
VERMILION = "#d55e00"
PURPLE = "#cc79a7"  # reddish purple
YELLOW = "#f0e442"
GREY = "#7f8c8d"
BLACK = "#000000"
PALETTE = (BLUE, ORANGE, TEAL, VERMILION, SKY, PURPLE)
#: Timeline stages, every stage either engine records (sim.fast_kernel.SPAN_NAMES). The five
#: waits are greys apart in lightness, each with its own hatching (:data:`STAGE_PATTERNS`),
#: so they differ by pattern as well as by shade.
STAGE_COLOURS = {
    "design": SKY,
    "waiting to start": "#f7f7f7",
    "no money for the demonstration": "#d1d1d1",
    "waiting for budget": "#adadad",
    "paused: waiting for budget": "#8c8c8c",
    "stopped: no money": "#6b6b6b",
    "build": ORANGE,
    "operation": BLUE,
    "follow-up": TEAL,
    "development": PURPLE,
    "JC approval": VERMILION,
    "support": "#444444",
    "validation and registration": YELLOW,
}
STAGE_PATTERNS = {"waiting for budget": "/", "waiting to start": ".",
                  "paused: waiting for budget": "x", "stopped: no money": "\\",
                  "no money for the demonstration": "-"}
FONT = "Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, Arial, sans-serif"
CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.3, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def _fy_axis(fig: go.Figure, years: Sequence[int], row=None, col=None, every: int = 2) -> None:
    ticks = [int(y) for y in years if (int(y) - int(years[0])) % every == 0]
    fig.update_xaxes(tickvals=ticks, ticktext=[i18n.fy(y) for y in ticks], row=row, col=col)


def fan_chart(
    years: np.ndarray,
    cumulative: np.ndarray,
    as_of_fy: int,
    goals: dict[int, float],
    title: str,
    last_fy: int = 2040,
) -> go.Figure:
    """Cumulative credits by fiscal year: P10–P90 and P25–P75 bands, the median, FY marks.

    ``goals`` maps a fiscal year (2030, 2040) to the national JCM goal in t-CO2; each mark
    says what share of it the median reaches.
    """
    keep = years <= last_fy
    x = years[keep]
    cum = cumulative[:, keep]
    p10, p25, p50, p75, p90 = np.percentile(cum, [10, 25, 50, 75, 90], axis=0)
    fig = go.Figure()
    for lo, hi, name, alpha in ((p10, p90, t("fc.band_outer"), 0.18),
                                (p25, p75, t("fc.band_inner"), 0.32)):
        fig.add_trace(go.Scatter(x=x, y=hi, mode="lines", line={"width": 0},
                                 hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=x, y=lo, mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=f"rgba(31,78,121,{alpha})", name=name,
                                 hovertemplate="%{y:,.0f} t-CO2<extra>" + name + "</extra>"))
    fig.add_trace(go.Scatter(x=x, y=p50, mode="lines+markers", line={"color": NAVY, "width": 3},
                             marker={"size": 5}, name=t("fc.median"),
                             hovertemplate="%{y:,.0f} t-CO2<extra></extra>"))
    for k, (fy, goal) in enumerate(sorted(goals.items())):
        if fy not in set(x.tolist()):
            continue
        value = float(p50[list(x).index(fy)])
        fig.add_vline(x=fy, line={"color": ORANGE, "dash": "dash", "width": 1.5})
        fig.add_annotation(x=fy, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=i18n.fy(fy), font={"size": 12, "color": ORANGE})
        fig.add_annotation(
            x=0.01, y=0.97 - 0.09 * k, xref="paper", yref="paper", xanchor="left",
            yanchor="top", showarrow=False, align="left", bgcolor="rgba(255,255,255,0.9)",
            font={"size": 12, "color": "#333"},
            text=t("fc.mark", fy=i18n.fy(fy), value=i18n.tonnes(value),
                   share=_share_text(value / goal), goal=i18n.tonnes(goal)),
        )
    if x.size and x[0] < as_of_fy:
        fig.add_vline(x=as_of_fy - 0.5, line={"color": GREY, "dash": "dot", "width": 1})
        fig.add_annotation(x=as_of_fy - 0.5, y=0.5, yref="paper", xanchor="right",
                           showarrow=False, text=t("fc.today"), textangle=-90,
                           font={"size": 11, "color": GREY})
    _layout(fig, title)
    fig.update_yaxes(title=t("fc.fan_y"), rangemode="tozero", tickformat=",")
    fig.update_xaxes(title=None)  # the ticks say the fiscal year; a title would meet the legend
    _fy_axis(fig, x)
    return fig


def _share_text(share: float) -> str:
    pct = 100 * share
    if pct >= 1:
        return f"{pct:.1f}%"
    return f"{i18n.plain(pct)}%"


def overlay_fans(runs: Sequence[tuple[str, np.ndarray, np.ndarray]], title: str,
                 last_fy: int = 2040) -> go.Figure:
    """Several scenarios' cumulative credits: each a P10–P90 band and its median."""
    fig = go.Figure()
    for k, (name, years, cum) in enumerate(runs):
        colour = PALETTE[k % len(PALETTE)]
        keep = years <= last_fy
        x = years[keep]
        p10, p50, p90 = np.percentile(cum[:, keep], [10, 50, 90], axis=0)
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        fig.add_trace(go.Scatter(x=x, y=p90, mode="lines", line={"width": 0}, hoverinfo="skip",
                                 showlegend=False, legendgroup=name))
        fig.add_trace(go.Scatter(x=x, y=p10, mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor="rgba({},{},{},0.15)".format(*rgb), hoverinfo="skip",
                                 showlegend=False, legendgroup=name))
        fig.add_trace(go.Scatter(x=x, y=p50, mode="lines", line={"color": colour, "width": 3},
                                 name=name, legendgroup=name,
                                 hovertemplate="%{y:,.0f} t-CO2<extra>" + name + "</extra>"))
    for fy in (2030, 2040):
        fig.add_vline(x=fy, line={"color": GREY, "dash": "dash", "width": 1})
    _layout(fig, title, height=440)
    fig.update_yaxes(title=t("fc.fan_y"), rangemode="tozero", tickformat=",")
    fig.update_xaxes(title=t("fc.axis_fy"))
    if runs:
        _fy_axis(fig, runs[0][1][runs[0][1] <= last_fy])
    return fig


def annual_bars(years: np.ndarray, credits: np.ndarray, dissemination: np.ndarray,
                title: str, last_fy: int = 2040) -> go.Figure:
    """Mean credits issued and dissemination reductions per fiscal year, one panel each."""
    keep = years <= last_fy
    x = years[keep]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(t("fc.annual_credits"), t("fc.annual_dissem")))
    fig.add_trace(go.Bar(x=x, y=credits[keep], marker_color=NAVY, name=t("fc.annual_credits"),
                         hovertemplate="%{y:,.0f} t-CO2<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=dissemination[keep], marker_color=TEAL,
                         name=t("fc.annual_dissem"),
                         hovertemplate="%{y:,.0f} t-CO2<extra></extra>"), row=2, col=1)
    _layout(fig, title, height=480)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title=t("fc.annual_y"), tickformat=",", rangemode="tozero",
                     title_font={"size": 12})
    fig.update_annotations(font={"size": 13})
    fig.update_xaxes(tickangle=0)
    _fy_axis(fig, x, row=2, col=1, every=4)
    _fy_axis(fig, x, row=1, col=1, every=4)
    return fig


def spend_budget(years: np.ndarray, spend: np.ndarray, budget: np.ndarray, title: str,
                 spend_name: str | None = None, budget_name: str | None = None,
                 extra: tuple[str, np.ndarray] | None = None) -> go.Figure:
    """Spend per fiscal year as bars against the budget as a line (億円)."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=years, y=budget, name=budget_name or t("fc.budget_mean"),
                         marker_color="#b4c7dc", hovertemplate="%{y:,.2f} 億円<extra></extra>"))
    fig.add_trace(go.Bar(x=years, y=spend, name=spend_name or t("fc.spend_mean"),
                         marker_color=NAVY, hovertemplate="%{y:,.2f} 億円<extra></extra>"))
    if extra is not None:
        fig.add_trace(go.Bar(x=years, y=extra[1], name=extra[0], marker_color=ORANGE,
                             hovertemplate="%{y:,.2f} 億円<extra></extra>"))
    _layout(fig, title, height=480)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(title=t("fc.spend_y"), rangemode="tozero", title_font={"size": 12})
    fig.update_xaxes(title=t("fc.axis_fy"), tickangle=0)
    _fy_axis(fig, years, every=1 if len(years) <= 8 else 2)
    return fig


def _month_date(as_of_fy: int, months: float) -> dt.datetime:
    """1 April of ``as_of_fy`` plus ``months`` (fractional months as 30.44 days)."""
    start = dt.datetime(as_of_fy, 4, 1)
    return start + dt.timedelta(days=float(months) * 30.4375)


def gantt(timeline: Sequence[dict], as_of_fy: int, names: dict[str, str], title: str,
          last_fy: int = 2040) -> go.Figure:
    """Stages of each project in one trial as horizontal bars by date."""
    fig = go.Figure()
    order: list[str] = []
    for span in timeline:
        if span["id"] not in order:
            order.append(span["id"])
    label = {pid: names.get(pid, pid) for pid in order}
    seen: dict[str, int] = {}
    for text in label.values():
        seen[text] = seen.get(text, 0) + 1
    label = {pid: (text if seen[text] == 1 else text + i18n.paren(pid))
             for pid, text in label.items()}
    shown: set[str] = set()
    end_cap = dt.datetime(last_fy + 1, 3, 31)
    for span in timeline:
        start = _month_date(as_of_fy, span["start_month"])
        end = min(_month_date(as_of_fy, span["end_month"]), end_cap)
        if end <= start:
            end = start + dt.timedelta(days=10)
        stage = span["stage"]
        name = i18n.stage_label(stage)
        ms = (end - start).total_seconds() * 1000.0
        fig.add_trace(go.Bar(
            x=[ms], base=[start], y=[label[span["id"]]], orientation="h",
            marker={"color": STAGE_COLOURS.get(stage, GREY),
                    "line": {"color": "#555555", "width": 0.5},
                    "pattern": {"shape": STAGE_PATTERNS.get(stage, ""), "fgcolor": "#555555",
                                "size": 6}},
            name=name, legendgroup=stage,
            showlegend=stage not in shown,
            hovertemplate=(f"{label[span['id']]}<br>{name}<br>"
                           f"{start:%Y-%m} – {end:%Y-%m}<extra></extra>"),
        ))
        shown.add(stage)
    height = max(320, 28 * len(order) + 160)
    _layout(fig, title, height=height)
    fig.update_layout(barmode="overlay", bargap=0.3,
                      legend={"orientation": "h", "y": -0.12, "yanchor": "top"})
    first = dt.datetime(as_of_fy, 4, 1)
    years = sorted({(_month_date(as_of_fy, sp["start_month"]).year) for sp in timeline} |
                   {min(_month_date(as_of_fy, sp["end_month"]), end_cap).year
                    for sp in timeline} | {first.year})
    ticks = list(range(min(years) - 1, max(years) + 1))
    fig.update_xaxes(type="date", title=None,
                     tickvals=[dt.datetime(y, 4, 1) for y in ticks],
                     ticktext=[i18n.fy(y) for y in ticks])
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=[label[p] for p in order])
    fig.add_vline(x=dt.datetime(as_of_fy, 4, 1).timestamp() * 1000, line={"color": GREY,
                  "dash": "dot", "width": 1})
    return fig


def frontier(points: Sequence[tuple[float, float]], x_title: str, y_title: str,
             title: str, current: tuple[float, float] | None = None,
             current_name: str = "") -> go.Figure:
    """An efficient frontier: best objective value against budget (or risk)."""
    fig = go.Figure()
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", line={"color": NAVY, "width": 3},
                             marker={"size": 8}, name=title))
    if current is not None:
        fig.add_trace(go.Scatter(x=[current[0]], y=[current[1]], mode="markers",
                                 marker={"size": 13, "color": ORANGE, "symbol": "diamond"},
                                 name=current_name))
    _layout(fig, title, height=400)
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title, tickformat=",")
    return fig


def contribution_waterfall(labels: Sequence[str], values: Sequence[float], total_name: str,
                           title: str, y_title: str, need: float | None = None,
                           need_name: str = "", gap_text: str = "", most: int = 12,
                           others_name: str = "others", unit: str = "t-CO2") -> go.Figure:
    """Each project's contribution as a step of a waterfall, the total, and the target line.

    The ``most`` largest contributions are shown one by one (largest first), the rest as
    one step; ``need`` draws the amount the target asks for, with ``gap_text`` beside it.
    """
    pairs = sorted(zip(labels, values, strict=True), key=lambda p: -p[1])
    shown = [p for p in pairs[:most] if p[1] > 0]
    rest = sum(v for _, v in pairs[len(shown):])
    x = [name for name, _ in shown]
    y = [float(v) for _, v in shown]
    if rest > 0:
        x.append(others_name)
        y.append(float(rest))
    total = float(sum(values))
    fmt = ",.0f" if unit != "projects" else ",.2f"
    fig = go.Figure(go.Waterfall(
        x=[*x, total_name], y=[*y, total], measure=["relative"] * len(y) + ["total"],
        connector={"line": {"color": "#999999", "width": 1}},
        increasing={"marker": {"color": BLUE}}, totals={"marker": {"color": NAVY}},
        decreasing={"marker": {"color": VERMILION}},
        text=[format(v, fmt) for v in [*y, total]], textposition="outside",
        hovertemplate="%{x}<br>%{y:" + fmt + "}<extra></extra>",
    ))
    if need is not None and need > 0:
        fig.add_hline(y=need, line={"color": VERMILION, "dash": "dash", "width": 2})
        fig.add_annotation(x=1.0, xref="paper", xanchor="right", y=need, yanchor="bottom",
                           showarrow=False, text=f"{need_name}: {format(need, fmt)}"
                           + (f" — {gap_text}" if gap_text else ""),
                           font={"size": 12, "color": VERMILION},
                           bgcolor="rgba(255,255,255,0.85)")
    _layout(fig, title, height=480)
    top = max([total, need or 0.0, *y]) if y else max(total, need or 0.0)
    fig.update_yaxes(title=y_title, tickformat=",", range=[0, top * 1.18 if top > 0 else 1])
    fig.update_xaxes(tickangle=-35, automargin=True)
    fig.update_layout(showlegend=False, margin={"b": 140})
    return fig
