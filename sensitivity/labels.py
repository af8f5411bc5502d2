# ruff: noqa: E501 - label table: Japanese text counts double width
"""Readable names, in English and Japanese, of the scenario fields an analysis or a report
shows (instead of field paths), of the project kinds, and of distributions (:func:`describe`).

``FIELD_LABELS[field] = (English, Japanese)``; :func:`field_label` falls back to the field
name with underscores as spaces.
"""

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

FIELD_LABELS: dict[str, tuple[str, str]] = {
    # project fields
    "design_cost_oku_yen": ("design study cost", "実証設計の費用"),
    "design_months": ("design study duration", "実証設計の期間"),
    "design_success_prob": ("chance the design study leads to a demonstration", "実証設計から実証へ進む確率"),
    "main_cost_oku_yen": ("main-stage cost", "本事業の費用"),
    "build_months": ("construction time", "建設期間"),
    "main_months": ("main-stage duration", "本事業の期間"),
    "main_success_prob": ("chance the main stage succeeds", "本事業の成功確率"),
    "methodology_months": ("time to draft a methodology", "方法論の作成期間"),
    "methodology_approval_prob": ("chance the methodology is approved", "方法論の承認確率"),
    "expected_t_per_yr": ("expected reductions per year", "想定削減量（年間）"),
    "performance_ratio": ("performance ratio (actual / expected reductions)", "実績率（実削減量／想定削減量）"),
    "registration_prob": ("chance of validation and registration", "有効化・登録の確率"),
    "issuance_prob": ("chance a registered project ever issues", "登録案件がクレジットを発行する確率"),
    "japan_share": ("Japan's share of the credits", "クレジットの日本取得割合"),
    "monitoring_period_months": ("monitoring period", "モニタリング期間"),
    "followup_years": ("quantification follow-up", "定量化フォローアップ期間"),
    "dissemination_prob": ("chance of any dissemination", "普及が起こる確率"),
    "bass_p": ("Bass innovation coefficient p", "Bass普及モデルの革新係数 p"),
    "bass_q": ("Bass imitation coefficient q", "Bass普及モデルの模倣係数 q"),
    "market_size": ("potential replications (market size)", "普及先の潜在件数（市場規模）"),
    "replication_t_per_yr": ("reductions per replication per year", "普及1件あたりの年間削減量"),
    "replication_lifetime_years": ("lifetime of a replication", "普及設備の寿命"),
    # program-wide assumptions
    "tpe_capacity": ("third-party entities' capacity (projects at once)", "第三者機関の同時対応件数"),
    "staff_limit": ("NEDO staff capacity (projects at once)", "NEDOの同時管理可能件数"),
    "validation_months": ("validation before registration", "登録前の有効化審査期間"),
    "verification_months": ("monitoring end to issuance request", "モニタリング終了から発行申請まで"),
    "tpe_verification_months": ("TPE's verification work", "第三者機関の検証作業期間"),
    "jc_interval_months": ("months between Joint Committee decisions", "合同委員会の決定間隔"),
    "carryover_share": ("budget carry-over share", "予算の繰越割合"),
}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "demonstration": ("demonstrations", "実証事業"),
    "methodology": ("methodology-development projects", "方法論開発事業"),
    "quantification": ("quantification-support projects", "定量化支援事業"),
}

UNITS: dict[str, str] = {
    "oku_yen": "億円", "months": "months", "years": "years", "t_per_yr": "t-CO2/yr",
}


def field_label(field: str, lang: str) -> str:
    """The readable name of a scenario field in ``lang`` ("en" or "ja")."""
    pair = FIELD_LABELS.get(field)
    if pair is None:
        return field.replace("_", " ")
    return pair[1] if lang == "ja" else pair[0]


def kind_label(kind: str, lang: str) -> str:
    """The readable plural name of a project kind."""
    pair = KIND_LABELS.get(kind, (kind, kind))
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
