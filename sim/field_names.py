# ruff: noqa: E501 - name table: Japanese text counts double width
"""Scenario fields by what they mean, in English and Japanese: one table for the app, the
sensitivity analysis and the evaluation report (instead of field paths or keys)."""

from __future__ import annotations

#: key -> (English, Japanese); units in brackets where the field has one.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "tpe_capacity": ("Third-party entities (TPEs) working at once", "同時に対応できる第三者機関（TPE）数"),
    "staff_limit": ("Projects NEDO staff can manage at once", "NEDO担当者が同時に管理できる案件数"),
    "validation_months": ("Validation time (months)", "妥当性確認の期間（月）"),
    "verification_months": ("Monitoring end to issuance request (months)", "モニタリング終了から発行申請まで（月）"),
    "jc_interval_months": ("Months between Joint Committee decisions", "合同委員会の決定の間隔（月）"),
    "carryover_share": ("Share of unspent budget carried over", "未執行予算の繰越割合"),
    "design_cost_oku_yen": ("Demonstration design cost (億円)", "実証設計の費用（億円）"),
    "design_months": ("Demonstration design time (months)", "実証設計の期間（月）"),
    "design_success_prob": ("Chance the design leads to a demonstration", "実証設計が実証事業に進む確率"),
    "main_cost_oku_yen": ("Main cost (億円)", "事業費（億円）"),
    "build_months": ("Construction time (months)", "設備建設の期間（月）"),
    "main_months": ("Main stage time (months)", "事業期間（月）"),
    "main_success_prob": ("Chance of technical success", "技術的に成功する確率"),
    "methodology_months": ("Methodology drafting time (months)", "方法論作成の期間（月）"),
    "methodology_approval_prob": ("Chance the methodology is approved", "方法論が承認される確率"),
    "performance_ratio": ("Credits issued / expected reductions", "クレジット発行量／想定削減量"),
    "registration_prob": ("Chance of registration", "登録される確率"),
    "issuance_prob": ("Chance a registered project ever issues credits", "登録案件がクレジット発行に至る確率"),
    "japan_share": ("Japan's share of the credits", "日本政府の取得割合"),
    "monitoring_period_months": ("Monitoring period (months)", "モニタリング期間（月）"),
    "followup_years": ("Quantification follow-up (years)", "定量化フォローアップの期間（年）"),
    "dissemination_prob": ("Chance of dissemination (普及展開)", "普及展開に至る確率"),
    "bass_p": ("Bass diffusion: innovation coefficient p", "Bass普及モデル：革新係数 p"),
    "bass_q": ("Bass diffusion: imitation coefficient q", "Bass普及モデル：模倣係数 q"),
    "replication_lifetime_years": ("Lifetime of a replication (years)", "普及案件の設備耐用年数（年）"),
    "expected_t_per_yr": ("Expected reductions (t-CO2/yr)", "想定削減量（t-CO2/年）"),
    "market_size": ("Market (replications)", "普及市場（件）"),
    "replication_t_per_yr": ("Reductions per replication (t-CO2/yr)", "普及1件あたりの削減量（t-CO2/年）"),
    "first_fy": ("First fiscal year of the program", "事業の開始年度"),
    "last_fy": ("Last fiscal year of the program", "事業の最終年度"),
    "as_of_fy": ("Simulation starts in", "計算の開始年度"),
    "horizon_fy": ("Forecast to", "予測の最終年度"),
    "midterm_evaluation_fy": ("Mid-term evaluation year", "中間評価の年度"),
    "final_evaluation_fy": ("Final evaluation year", "終了時評価の年度"),
    "projects_implemented": ("Target: projects implemented", "目標：実施件数"),
    "avg_credits_per_demo_fy2030_t": (
        "Target: average credits per demonstration by FY2030 (t-CO2)",
        "目標：2030年度までの実証1件あたり平均クレジット（t-CO2）"),
    "dissemination_rate": ("Target: dissemination rate", "目標：普及案件の割合"),
    "dissemination_reduction_per_project_t": (
        "Target: dissemination reductions per project (t-CO2)",
        "目標：1件あたりの普及展開による削減量（t-CO2）"),
    "projects_dissemination_100kt": (
        "Target: projects reaching the dissemination amount", "目標：普及展開の削減量に達する件数"),
    "ndc_goal_fy2030_t": ("National JCM goal by FY2030 (t-CO2)", "国のJCM目標・2030年度まで（t-CO2）"),
    "ndc_goal_fy2040_t": ("National JCM goal by FY2040 (t-CO2)", "国のJCM目標・2040年度まで（t-CO2）"),
    "screen_monitoring_credits_t": (
        "Proposal screen: credits within the monitoring period (t-CO2)",
        "提案審査基準：モニタリング期間内のクレジット（t-CO2）"),
    "screen_disseminated_t_per_yr": (
        "Proposal screen: reductions once disseminated (t-CO2/yr)",
        "提案審査基準：普及展開後の削減量（t-CO2/年）"),
    "tpe_verification_months": ("TPE verification work (months)", "第三者機関の検証作業の期間（月）"),
    "signing_to_first_registration_months": (
        "New partner country: signing to first registration (months)",
        "新しいパートナー国：署名から最初の登録まで（月）"),
    "crediting_after_followup_years": (
        "Participants' own issuance after follow-up (years)",
        "フォローアップ後の参加者による発行の期間（年）"),
    "carryover_compounds": ("Carried-over money may be carried again", "繰越額の再繰越"),
    "contracts_after_program": (
        "Contracts paid to their end after the program", "事業終了後も契約を最後まで支払う"),
    "has_registered_projects": ("Has registered JCM projects", "JCM登録案件の有無"),
    "signed": ("Bilateral document signed (month)", "二国間文書の署名月"),
}

#: Project kinds in the plural, as a group of projects.
KIND_NAMES: dict[str, tuple[str, str]] = {
    "demonstration": ("Demonstrations", "実証事業"),
    "methodology": ("Methodology-development projects", "方法論開発事業"),
    "quantification": ("Quantification-support projects", "定量化支援事業"),
}


def field_name(field: str, lang: str) -> str:
    """The readable name of a scenario field in ``lang`` ("en" or "ja"); the field name with
    spaces for underscores when the table has none."""
    pair = FIELD_NAMES.get(field)
    if pair is None:
        return field.replace("_", " ")
    return pair[1] if lang == "ja" else pair[0]
