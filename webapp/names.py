# ruff: noqa: E501 - name tables: Japanese text counts double width
"""Names in the planner's language: shipped scenarios, countries, projects, technologies,
sources (as citations) and assumptions (by what they mean, not by their scenario-file key).

The Japanese names of what the shipped scenarios contain are in ``webapp/catalog.toml``; a
name that is not there (an upload, something a planner typed) is shown as written.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from webapp import i18n

CATALOG = Path(__file__).with_name("catalog.toml")

#: Scenario fields by what they mean: key -> (English, Japanese).
FIELDS: dict[str, tuple[str, str]] = {
    "tpe_capacity": ("Third-party entities (TPEs) working at once", "同時に対応できる第三者機関（TPE）数"),
    "staff_limit": ("Projects NEDO staff can manage at once", "NEDO担当者が同時に管理できる案件数"),
    "validation_months": ("Validation time (months)", "妥当性確認の期間（月）"),
    "verification_months": ("Verification time (months)", "検証の期間（月）"),
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
}
_GROUPS: dict[str, tuple[str, str]] = {
    "assumptions": ("Program", "事業全体"),
    "program": ("Program years", "事業期間"),
    "targets": ("Targets", "目標"),
    "budget": ("Budget", "予算"),
}


@functools.cache
def _catalog() -> dict:
    with CATALOG.open("rb") as fh:
        return tomllib.load(fh)


def _ja() -> bool:
    return i18n.lang() == "ja"


@functools.lru_cache(maxsize=64)
def shipped_name(rel: str) -> str | None:
    """The ``name`` a shipped scenario file gives itself (None when it cannot be read)."""
    from sim.errors import InputError
    from webapp.scenarios import load_shipped

    try:
        name = load_shipped(rel).get("name")
    except InputError:
        return None
    return name if isinstance(name, str) and name else None


def scenario(name: str) -> str:
    """A shipped scenario's name in the current language."""
    if not _ja():
        return name
    return _catalog()["scenarios"].get(name, {}).get("ja", name)


def description(text: str) -> str:
    return _catalog()["descriptions"].get(text, text) if _ja() else text


def country(name: str) -> str:
    return _catalog()["countries"].get(name, name) if _ja() else name


def technology(name: str) -> str:
    return _catalog()["technologies"].get(name, name) if _ja() else name


_GENERATED = (
    (re.compile(r"^(.+) demonstration in (.+)$"), "{1}における{0}の実証"),
    (re.compile(r"^JCM methodology for (.+) in (.+)$"), "{1}における{0}のJCM方法論開発"),
    (re.compile(r"^Quantification support: privately financed (.+) in (.+)$"),
     "定量化支援：{1}の民間資金による{0}"),
)


def project(pid: str, name: str | None) -> str:
    """A project's name in the current language (shipped projects; generated names by
    their pattern; anything else as written)."""
    text = "" if name is None else str(name)
    if not _ja():
        return text
    known = _catalog()["projects"].get(pid)
    if known:
        return known
    for pattern, form in _GENERATED:
        m = pattern.match(text)
        if m:
            tech = m.group(1)
            tech = technology(tech) if tech in _catalog()["technologies"] else technology(
                tech[0].lower() + tech[1:])
            return form.format(tech, country(m.group(2)))
    return text


_FILE_CITATIONS = (
    ("priors.csv", "CDM statistics and diffusion literature", "CDM統計・普及モデルの文献"),
    ("jcm_projects.csv", "JCM project records (MOEJ/METI releases)", "JCM案件の公表資料（環境省・経済産業省）"),
    ("jcm_partner_countries.csv", "JCM partner countries (MOFA/METI)", "JCMパートナー国（外務省・経済産業省）"),
    ("jcm_aggregates.csv", "JCM statistics (MOEJ/METI releases)", "JCMの統計（環境省・経済産業省）"),
    ("nedo_projects.csv", "NEDO releases", "NEDO公表資料"),
    ("nedo_program_more.csv", "NEDO releases", "NEDO公表資料"),
    ("nedo_program.csv", "NEDO releases", "NEDO公表資料"),
    ("PROGRAM.md", "NEDO program summary and JCM records", "NEDO事業概要・JCMの記録"),
)


#: Phrases of generated sources (the calibration's country lines): text, English, Japanese.
_PHRASES = (
    ("JC cadence: default in [assumptions]", "Joint Committee cadence: the program-wide default",
     "合同委員会の開催頻度：全体の既定値"),
    ("no registered project in jcm_projects.csv",
     "no registered project in the JCM project records", "JCM案件の公表資料に登録案件なし"),
    ("registered projects in jcm_projects.csv", "registered projects in the JCM project records",
     "JCM案件の公表資料に登録案件あり"),
    ("(calibration table)", "(calibration table)", "（較正表）"),
    ("JCM data: ", "JCM records: ", "JCMの公表資料："),
    (" Joint Committee meetings, one every ", " Joint Committee meetings, one every ",
     "回の合同委員会、間隔"),
    (" months, electronic decisions between", " months, electronic decisions between",
     "か月、その間に電子決定"),
    ("gaps between Indonesia's decisions ", "gaps between Indonesia's decisions ",
     "インドネシアの決定の間隔 "),
    (" months", " months", "か月"),
    ("middle of the recorded range", "middle of the recorded range", "記録された期間の中間"),
    ("signing month unknown", "signing month unknown", "署名月不明"),
    ("signed ", "bilateral document signed ", "二国間文書の署名 "),
)


def source(text: str) -> str:
    """A source as a citation in the current language.

    Shipped sources come from the catalogue; for any other text, data-file names are
    replaced by the public documents they were compiled from, and "assumption",
    "illustrative" and "what-if" are said in the current language.
    """
    if not text:
        return ""
    known = _catalog()["sources"].get(text)
    if known:
        return known["ja" if _ja() else "en"]
    out = text
    if text.startswith(("JC cadence: ", "JCM data: ")):  # the calibration's country lines
        for phrase, en, ja in _PHRASES:
            out = out.replace(phrase, ja if _ja() else en)
        if _ja():
            out = out.replace("; ", "；")
    for file, en, ja in _FILE_CITATIONS:
        out = out.replace(file, ja if _ja() else en)
    if _ja():
        for word, ja in (("assumption", "仮定"), ("illustrative", "例示"), ("what-if", "試算")):
            out = re.sub(rf"^{word}\b", ja, out, flags=re.IGNORECASE)
        out = out.replace(": ", "：")
    return out


def assumption(path: str) -> str:
    """An assumption's scenario-file key in words:
    ``countries.Azerbaijan.jc_interval_months`` → "Azerbaijan — Months between Joint
    Committee decisions"; ``defaults.demonstration.bass_p`` → "Demonstration (default) —
    Bass diffusion: innovation coefficient p"."""
    parts = path.split(".")
    idx = 1 if _ja() else 0

    def field(name: str) -> str:
        pair = FIELDS.get(name)
        return pair[idx] if pair else name

    if parts[0] == "budget" and len(parts) == 2:
        fy = parts[1].upper().removeprefix("FY")
        year = i18n.fy(int(fy)) if fy.isdigit() else parts[1]
        return f"{_GROUPS['budget'][idx]} — {year}"
    if parts[0] in ("assumptions", "program", "targets") and len(parts) == 2:
        return field(parts[1])
    if parts[0] == "countries" and len(parts) >= 3:
        return f"{country(parts[1])} — {field(parts[-1])}"
    if parts[0] == "countries" and len(parts) == 2:
        return country(parts[1])
    if parts[0] == "defaults" and len(parts) == 3:
        kind = i18n.kind_label(parts[1])
        default = "（既定値）" if _ja() else " (default)"
        return f"{kind}{default} — {field(parts[2])}"
    if parts[0] == "projects" and len(parts) >= 2:
        head = parts[1]
        return head if len(parts) == 2 else f"{head} — {field(parts[-1])}"
    return field(parts[-1]) if parts[-1] in FIELDS else path
