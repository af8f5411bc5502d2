# ruff: noqa: E501 - label table: Japanese text counts double width
"""Readable names, in English and Japanese, of the scenario fields an analysis or a report
shows (from :mod:`sim.field_names`, the table the app uses too), of the project kinds, and of
distributions (:func:`describe`)."""

from __future__ import annotations

from sim.distributions import (
    Bernoulli,
    Beta,
    Distribution,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
)
from sim.field_names import KIND_NAMES, field_name

UNITS: dict[str, str] = {
    "oku_yen": "億円", "months": "months", "years": "years", "t_per_yr": "t-CO2/yr",
}


def field_label(field: str, lang: str) -> str:
    """The readable name of a scenario field (:mod:`sim.field_names`)."""
    return field_name(field, lang)


def kind_label(kind: str, lang: str) -> str:
    """The readable plural name of a project kind."""
    pair = KIND_NAMES.get(kind, (kind, kind))
    return pair[1] if lang == "ja" else pair[0]


def field_unit(field: str, lang: str = "en") -> str:
    """The unit of a field from its name ("" when it has none)."""
    for suffix, unit in UNITS.items():
        if field.endswith(suffix):
            if lang == "ja":
                return {"months": "か月", "years": "年"}.get(unit, unit)
            return unit
    return ""


def _g(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e5 else f"{x:,.0f}"


def describe(d: Distribution, field: str, lang: str) -> str:
    """A distribution in plain words, with the field's unit."""
    unit = field_unit(field, lang)
    u = f" {unit}" if unit else ""
    ja = lang == "ja"
    if d.is_fixed:
        return f"{_g(d.mean)}{u}"
    if isinstance(d, Uniform):
        return (f"{_g(d.low)}～{_g(d.high)}{u}（一様分布）" if ja
                else f"{_g(d.low)} to {_g(d.high)}{u} (uniform)")
    if isinstance(d, Triangular | Pert):
        name = "三角分布" if isinstance(d, Triangular) else "PERT分布"
        ename = "triangular" if isinstance(d, Triangular) else "PERT"
        return (f"{_g(d.low)}～{_g(d.high)}{u}、最頻値 {_g(d.mode)}（{name}）" if ja
                else f"{_g(d.low)} to {_g(d.high)}{u}, most likely {_g(d.mode)} ({ename})")
    if isinstance(d, Normal):
        return (f"平均 {_g(d.mu)}{u}、標準偏差 {_g(d.sd)}（正規分布）" if ja
                else f"mean {_g(d.mu)}{u}, standard deviation {_g(d.sd)} (normal)")
    if isinstance(d, LogNormal):
        return (f"平均 {_g(d.mu)}{u}、標準偏差 {_g(d.sd)}（対数正規分布）" if ja
                else f"mean {_g(d.mu)}{u}, standard deviation {_g(d.sd)} (lognormal)")
    if isinstance(d, Beta):
        return (f"平均 {_g(d.mean)}（ベータ分布 a={_g(d.a)}, b={_g(d.b)}）" if ja
                else f"mean {_g(d.mean)} (beta distribution a={_g(d.a)}, b={_g(d.b)})")
    if isinstance(d, Bernoulli):
        return f"確率 {_g(d.p)} で発生" if ja else f"happens with probability {_g(d.p)}"
    return d.to_text()
