"""The report's charts in a given language (no app session needed): fan chart of cumulative
credits, annual issuance and dissemination, one trial's timeline, the tornado and the Sobol
or Morris bars. Each chart holds only what it draws (percentiles by fiscal year, one bar trace
per stage), so the page stays small."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from report.texts import tr

NAVY, TEAL, ORANGE, GREY, LIGHT = "#1f4e79", "#2a9d8f", "#e07b39", "#7f8c8d", "#9dc3e6"
FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, Arial, sans-serif"
STAGE_COLOURS = {
    "design": "#9dc3e6", "waiting for budget": "#d9d9d9", "waiting to start": "#ececec",
    "build": "#f4b183", "operation": NAVY, "follow-up": TEAL, "development": "#8e7cc3",
    "JC approval": "#c27ba0", "support": "#6aa84f", "validation and registration": "#ffd966",
}


def _fy(year: int, lang: str) -> str:
    return f"{int(year)}年度" if lang == "ja" else f"FY{int(year)}"


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 15}},
        template="plotly_white", font={"family": FONT, "size": 12}, height=height,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )
    return fig


def _fy_ticks(fig: go.Figure, years: Sequence[int], lang: str, every: int = 2, **where) -> None:
    ticks = [int(y) for y in years if (int(y) - int(years[0])) % every == 0]
    fig.update_xaxes(tickvals=ticks, ticktext=[_fy(y, lang) for y in ticks], **where)


def _r(a: np.ndarray) -> list[float]:
    """Values rounded to whole tonnes (the chart needs no more; the page stays small)."""
    return [round(float(x)) for x in a]


def fan(years: np.ndarray, cumulative: np.ndarray, goals: dict[int, float], lang: str,
        last_fy: int = 2040) -> go.Figure:
    """Cumulative credits: P10–P90 and P25–P75 bands, the median, the national goal marks."""
    keep = years <= last_fy
    x = [int(y) for y in years[keep]]
    p10, p25, p50, p75, p90 = np.percentile(cumulative[:, keep], [10, 25, 50, 75, 90], axis=0)
    fig = go.Figure()
    for lo, hi, name, alpha in ((p10, p90, tr("chart.band_outer", lang), 0.18),
                                (p25, p75, tr("chart.band_inner", lang), 0.32)):
        fig.add_trace(go.Scatter(x=x, y=_r(hi), mode="lines", line={"width": 0},
                                 hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=x, y=_r(lo), mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor=f"rgba(31,78,121,{alpha})",
                                 name=name))
    fig.add_trace(go.Scatter(x=x, y=_r(p50), mode="lines+markers", name=tr("chart.median", lang),
                             line={"color": NAVY, "width": 3}, marker={"size": 5}))
    for k, (fy, goal) in enumerate(sorted(goals.items())):
        if fy not in x:
            continue
        v = float(p50[x.index(fy)])
        share = 100.0 * v / goal
        fig.add_vline(x=fy, line={"color": ORANGE, "dash": "dash", "width": 1.5})
        fig.add_annotation(x=0.01, y=0.97 - 0.09 * k, xref="paper", yref="paper",
                           xanchor="left", yanchor="top", showarrow=False, align="left",
                           bgcolor="rgba(255,255,255,0.9)",
                           text=tr("chart.goal_mark", lang, fy=_fy(fy, lang),
                                   value=f"{v:,.0f} t-CO2",
                                   share=f"{share:.2g}%" if share < 1 else f"{share:.1f}%"))
    _layout(fig, tr("chart.fan", lang))
    fig.update_yaxes(title=tr("chart.fan_y", lang), rangemode="tozero", tickformat=",")
    _fy_ticks(fig, x, lang)
    return fig


def annual(years: np.ndarray, credits: np.ndarray, dissemination: np.ndarray, lang: str,
           last_fy: int = 2040) -> go.Figure:
    """Mean credits issued and dissemination reductions per fiscal year."""
    keep = years <= last_fy
    x = [int(y) for y in years[keep]]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(tr("chart.annual_credits", lang),
                                        tr("chart.annual_dissem", lang)))
    fig.add_trace(go.Bar(x=x, y=_r(credits[keep]), marker_color=NAVY,
                         name=tr("chart.annual_credits", lang)), row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=_r(dissemination[keep]), marker_color=TEAL,
                         name=tr("chart.annual_dissem", lang)), row=2, col=1)
    _layout(fig, tr("chart.annual", lang), height=460)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title=tr("chart.annual_y", lang), tickformat=",", rangemode="tozero")
    _fy_ticks(fig, x, lang, every=4, row=1, col=1)
    _fy_ticks(fig, x, lang, every=4, row=2, col=1)
    return fig


def _date(as_of_fy: int, months: float) -> str:
    d = dt.datetime(as_of_fy, 4, 1) + dt.timedelta(days=float(months) * 30.4375)
    return d.strftime("%Y-%m-%d")


def timeline(spans: Sequence[dict], as_of_fy: int, names: dict[str, str], lang: str,
             last_fy: int = 2040) -> go.Figure:
    """Stages of each project in one trial, one bar trace per stage kind."""
    order: list[str] = []
    for s in spans:
        if s["id"] not in order:
            order.append(s["id"])
    label = {pid: names.get(pid, pid)[:48] for pid in order}
    cap = float(12 * (last_fy + 1 - as_of_fy))
    by_stage: dict[str, list[dict]] = {}
    for s in spans:
        by_stage.setdefault(s["stage"], []).append(s)
    fig = go.Figure()
    for stage, items in by_stage.items():
        base, width, ys = [], [], []
        for s in items:
            a = float(s["start_month"])
            b = min(float(s["end_month"]), cap)
            if not math.isfinite(a) or not math.isfinite(b):
                continue
            b = max(b, a + 0.3)
            base.append(_date(as_of_fy, a))
            width.append(round((b - a) * 30.4375 * 86400000))
            ys.append(label[s["id"]])
        fig.add_trace(go.Bar(x=width, base=base, y=ys, orientation="h",
                             marker_color=STAGE_COLOURS.get(stage, GREY),
                             name=tr(f"stage.{stage}", lang)))
    _layout(fig, tr("chart.timeline", lang), height=max(320, 24 * len(order) + 170))
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=[label[p] for p in order])
    return fig


def _kpi_label(doc: dict, lang: str) -> str:
    from report.content import kpi_name

    return kpi_name(doc["kpi"], doc.get("kpi_label", doc["kpi"]), lang)


def tornado(doc: dict, lang: str, top: int = 15) -> go.Figure:
    """Bars from the base mean to the mean at each factor's P10 and P90, largest swing on top;
    a factor whose swing is within Monte Carlo noise is greyed and marked."""
    factors = [f for f in doc["factors"] if math.isfinite(f.get("swing") or math.nan)][:top]
    base = doc["base"]["mean"]
    names = []
    for f in factors:
        name = f[f"label_{lang}"]
        if f["within_noise"]:
            name += " " + tr("chart.noise", lang)
        names.append(name)
    lo = [f["mean_low"] - base for f in factors]
    hi = [f["mean_high"] - base for f in factors]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=lo, base=base, orientation="h", name=tr("chart.at_p10", lang),
                         marker_color=[GREY if f["within_noise"] else ORANGE for f in factors]))
    fig.add_trace(go.Bar(y=names, x=hi, base=base, orientation="h", name=tr("chart.at_p90", lang),
                         marker_color=[LIGHT if f["within_noise"] else NAVY for f in factors]))
    unit = doc.get("unit", "")
    fmt = ".1%" if unit == "share" else ",.0f"
    fig.add_vline(x=base, line={"color": "#333", "width": 1})
    fig.add_annotation(x=base, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                       text=tr("chart.base", lang, value=format(base, fmt.replace("%", "%"))
                               if unit != "share" else f"{100 * base:.1f}%"))
    _layout(fig, tr("chart.tornado", lang, kpi=_kpi_label(doc, lang)),
            height=max(340, 30 * len(factors) + 170))
    fig.update_layout(barmode="overlay", bargap=0.25, margin={"l": 330})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=fmt, title=unit if unit != "share" else "")
    return fig


def sobol(doc: dict, lang: str, top: int = 15) -> go.Figure:
    """First-order and total Sobol indices with their 95 % confidence intervals."""
    factors = doc["factors"][:top]
    names = [f[f"label_{lang}"] for f in factors]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[f["S1"] for f in factors], orientation="h",
                         name=tr("chart.s1", lang), marker_color=ORANGE,
                         error_x={"type": "data", "array": [f["S1_conf"] for f in factors]}))
    fig.add_trace(go.Bar(y=names, x=[f["ST"] for f in factors], orientation="h",
                         name=tr("chart.st", lang), marker_color=NAVY,
                         error_x={"type": "data", "array": [f["ST_conf"] for f in factors]}))
    _layout(fig, tr("chart.sobol", lang, kpi=_kpi_label(doc, lang)),
            height=max(340, 36 * len(factors) + 170))
    fig.update_layout(barmode="group", margin={"l": 330})
    fig.update_yaxes(autorange="reversed")
    return fig


def morris(doc: dict, lang: str, top: int = 15) -> go.Figure:
    """Morris mu* (mean absolute elementary effect) with its confidence interval."""
    factors = doc["factors"][:top]
    fig = go.Figure(go.Bar(y=[f[f"label_{lang}"] for f in factors],
                           x=[f["mu_star"] for f in factors], orientation="h",
                           marker_color=NAVY,
                           error_x={"type": "data", "array": [f["mu_star_conf"] for f in factors]}))
    _layout(fig, tr("chart.morris", lang, kpi=_kpi_label(doc, lang)),
            height=max(340, 30 * len(factors) + 170))
    fig.update_layout(margin={"l": 330}, showlegend=False)
    fig.update_yaxes(autorange="reversed")
    return fig
