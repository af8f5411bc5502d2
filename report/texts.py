# ruff: noqa: E501 - translation table: Japanese text counts double width
"""Every text of the evaluation report, in English and Japanese.

The report is built outside any app session, so its language is an argument, never a
global: ``tr(key, lang, **values)``. The targets keep the program document's wording
(達成目標); the English is a close translation of it.
"""

from __future__ import annotations

from sim.kpis import KPI_DEFS

LANGS = ("ja", "en")

# key: (English, Japanese)
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("{which} ({fy}): evaluation material", "{which}（{fy}）評価資料"),
    "program": (
        "NEDO JCM low-carbon technology dissemination promotion program",
        "二国間クレジット制度（JCM）等を活用した低炭素技術普及促進事業",
    ),
    "which.midterm": ("Mid-term evaluation", "中間評価"),
    "which.final": ("Final evaluation", "終了時評価"),
    "intro": (
        "Forecast of scenario '{name}' from {trials} Monte Carlo trials (seed {seed}), made on "
        "{date}. P10 / P90: one trial in ten falls below / above. Outlook: likely at a "
        "probability of meeting the target of 80 % or more, at risk from 50 % to 80 %, "
        "unlikely below 50 %.",
        "シナリオ「{name}」のモンテカルロ {trials} 試行（乱数シード {seed}）による見通し（{date} 作成）。"
        "P10／P90：10回に1回はこれを下回る／上回る値。判定：目標達成確率 80%以上を「達成見込み」、"
        "50～80%を「要注意」、50%未満を「未達見込み」とする。",
    ),
    # sections
    "sec.targets": ("Targets and outlook", "達成目標と達成見通し"),
    "sec.ndc": ("Contribution to the national JCM goal", "国のJCM目標への貢献"),
    "sec.cost": ("Cost-effectiveness", "費用対効果"),
    "sec.budget": ("Budget use by fiscal year", "年度別の予算執行"),
    "sec.projects": ("Projects", "案件一覧"),
    "sec.charts": ("Charts", "図表"),
    "sec.sensitivity": ("Which assumption matters most", "結果を左右する前提条件"),
    "sec.assumptions": ("Assumptions and their sources", "前提条件と出典"),
    "sec.reproduce": ("How to reproduce these numbers", "数値の再現方法"),
    "sheet.summary": ("Summary", "概要"),
    "sheet.targets": ("Targets", "達成目標"),
    "sheet.ndc": ("National goal", "国の目標への貢献"),
    "sheet.cost": ("Cost-effectiveness", "費用対効果"),
    "sheet.budget": ("Budget by FY", "年度別予算"),
    "sheet.projects": ("Projects", "案件"),
    "sheet.sensitivity": ("Sensitivity", "感度分析"),
    "sheet.assumptions": ("Assumptions", "前提条件"),
    # targets table
    "col.type": ("Type", "区分"),
    "col.goal": ("Target (as the program document words it)", "目標（事業概要の記載）"),
    "col.indicator": ("Indicator", "指標"),
    "col.target": ("Target value", "目標値"),
    "col.target_fy": ("Judged at", "評価時点"),
    "col.status": ("Status at end of {fy} (P50)", "{fy}末の実績見込み（P50）"),
    "col.status_prob": ("Met by end of {fy}", "{fy}末までの達成確率"),
    "col.p10": ("Outlook P10", "見通し P10"),
    "col.p50": ("Outlook P50", "見通し P50"),
    "col.p90": ("Outlook P90", "見通し P90"),
    "col.prob": ("Probability of meeting the target", "達成確率"),
    "col.judgement": ("Outlook", "判定"),
    "col.unit": ("Unit", "単位"),
    "col.mean": ("Mean", "平均"),
    "col.se": ("Monte Carlo std. error", "モンテカルロ標準誤差"),
    "type.output": ("Output target", "アウトプット目標"),
    "type.outcome": ("Outcome target", "アウトカム目標"),
    "judge.green": ("likely", "達成見込み"),
    "judge.amber": ("at risk", "要注意"),
    "judge.red": ("unlikely", "未達見込み"),
    "end_of": ("end of {fy}", "{fy}末"),
    "target.at_least": ("≥ {value}", "{value}以上"),
    "target.dissem": ("≥ {amount} per project; {count}", "1件あたり {amount}以上；{count}"),
    "target.both": (
        "≥ {credits} of credits by FY2030 and ≥ {amount} of dissemination reductions per project; {count}",
        "1件あたり 2030年度までのクレジット {credits}以上かつ普及による削減量 {amount}以上；{count}",
    ),
    "target.count_unset": ("number of projects not set", "件数の定めなし"),
    "target.at_least_one": ("at least one project", "1件以上"),
    # the program document's targets (達成目標)
    "goal.output": (
        "Implementation of {n} projects that develop methods to measure, report and verify (MRV) "
        "greenhouse-gas reductions or quantify reductions (market creation through low-carbon "
        "technology, or quantification promotion)",
        "温室効果ガス削減効果を測定・報告・検証（MRV）する手法開発又は削減量の定量化事業"
        "（低炭素技術による市場創出促進事業又は定量化促進事業）の実施 {n}件",
    ),
    "goal.outcome_credits": (
        "By FY2030, demonstration projects issue JCM credits of on average 5,000 t-CO2 or more per project",
        "2030年度までに、実証事業により平均5,000t-CO₂/件以上のJCMクレジットを発行",
    ),
    "goal.outcome_dissem": (
        "Projects that achieve reductions of 100,000 t-CO2 or more over the whole dissemination "
        "period after the demonstration",
        "実証事業終了後の普及展開期間全体で100,000t-CO₂以上の排出削減効果を達成する案件の実施",
    ),
    "goal.outcome_both": (
        "By FY2030, issue on average 5,000 t-CO2 or more of JCM credits per project through "
        "demonstrations, and implement projects that achieve reductions of 100,000 t-CO2 or more "
        "over the whole dissemination period after the demonstration",
        "2030年度までに、実証事業により平均5,000t-CO₂/件以上のJCMクレジットを発行し、且つ実証事業終了後の"
        "普及展開期間全体で100,000t-CO₂以上の排出削減効果を達成する案件の実施を目指す",
    ),
    "goal.dissem_rate": (
        "Aim for 50 % of finished projects to be dissemination cases (at least one replication)",
        "終了案件に占める普及案件（1件以上普及）の割合について50%を目指す",
    ),
    "unit.projects": ("projects", "件"),
    "unit.share": ("%", "%"),
    "unit.t-CO2": ("t-CO2", "t-CO2"),
    "unit.億円": ("億円 (100 million JPY)", "億円"),
    "unit.JPY/t-CO2": ("JPY/t-CO2", "円/t-CO2"),
    "ndc.goal": ("National JCM goal: about {g30} by FY2030 and {g40} by FY2040 (public and private together).",
                 "国のJCM目標：官民連携で2030年度までの累積 {g30} 程度、2040年度までの累積 {g40} 程度。"),
    # budget table
    "col.fy": ("Fiscal year", "年度"),
    "col.budget": ("Budget, mean (億円)", "予算・平均（億円）"),
    "col.spend": ("Spend, mean (億円)", "支出・平均（億円）"),
    "col.spend_p10": ("Spend P10 (億円)", "支出 P10（億円）"),
    "col.spend_p90": ("Spend P90 (億円)", "支出 P90（億円）"),
    "col.use": ("Share of budget used", "予算執行率"),
    "col.unspent": ("Unspent, mean (億円)", "未執行・平均（億円）"),
    "col.basis": ("Basis", "区分"),
    "basis.actual": ("record", "実績"),
    "basis.forecast": ("forecast", "見通し"),
    # projects table
    "col.id": ("ID", "ID"),
    "col.name": ("Name", "案件名"),
    "col.country": ("Country", "国"),
    "col.technology": ("Technology", "技術"),
    "col.kind": ("Kind", "事業区分"),
    "col.pstatus": ("Status", "状況"),
    "col.prob_started": ("Probability started", "開始確率"),
    "col.prob_succeeded": ("Probability of success", "成功確率"),
    "col.credits_2030": ("Expected credits to FY2030 (t-CO2)", "期待クレジット～2030年度（t-CO2）"),
    "col.credits_2040": ("Expected credits to FY2040 (t-CO2)", "期待クレジット～2040年度（t-CO2）"),
    "col.pspend": ("Expected spend (億円)", "期待支出（億円）"),
    "col.cost_per_t": ("Cost per t-CO2 (JPY)", "t-CO2あたり費用（円）"),
    "col.prob_dissem": ("Probability of dissemination", "普及確率"),
    "kind.demonstration": ("Demonstration", "実証事業"),
    "kind.methodology": ("Methodology development", "方法論開発事業"),
    "kind.quantification": ("Quantification support", "定量化支援事業"),
    "status.candidate": ("Candidate", "候補"),
    "status.running": ("Running", "実施中"),
    "status.finished": ("Finished", "終了"),
    # charts
    "chart.fan": ("Cumulative credits issued (P10–P90, P25–P75, median)", "累積クレジット発行量（P10～P90、P25～P75、中央値）"),
    "chart.fan_y": ("t-CO2 (cumulative)", "t-CO2（累積）"),
    "chart.band_outer": ("P10–P90", "P10～P90"),
    "chart.band_inner": ("P25–P75", "P25～P75"),
    "chart.median": ("Median", "中央値"),
    "chart.goal_mark": ("{fy}: median {value} = {share} of the national goal", "{fy}：中央値 {value}＝国の目標の {share}"),
    "chart.annual": ("Credits issued and dissemination reductions per fiscal year (mean)", "年度別のクレジット発行量と普及による削減量（平均）"),
    "chart.annual_credits": ("Credits issued", "クレジット発行量"),
    "chart.annual_dissem": ("Dissemination reductions", "普及による削減量"),
    "chart.annual_y": ("t-CO2 per year", "t-CO2/年"),
    "chart.timeline": ("Timeline of each project in one trial", "1試行における各案件の工程"),
    "chart.tornado": ("{kpi}: mean at each assumption's P10 and P90", "{kpi}：各前提条件をP10・P90とした場合の平均"),
    "chart.at_p10": ("assumption at its P10", "前提条件がP10"),
    "chart.at_p90": ("assumption at its P90", "前提条件がP90"),
    "chart.base": ("base {value}", "基準 {value}"),
    "chart.noise": ("(within Monte Carlo noise)", "（モンテカルロ誤差の範囲内）"),
    "chart.sobol": ("{kpi}: Sobol indices (95 % confidence interval)", "{kpi}：Sobol感度指標（95%信頼区間）"),
    "chart.s1": ("first-order", "一次"),
    "chart.st": ("total", "総合"),
    "chart.morris": ("{kpi}: Morris screening (mean absolute elementary effect)", "{kpi}：Morris法によるスクリーニング（基本効果の絶対値の平均）"),
    "chart.fy": ("Fiscal year", "年度"),
    "stage.design": ("design", "実証設計"),
    "stage.waiting for budget": ("waiting for budget", "予算待ち"),
    "stage.paused: waiting for budget": ("paused: waiting for budget", "中断：予算待ち"),
    "stage.stopped: no money": ("stopped: no money", "中止：予算なし"),
    "stage.no money for the demonstration": ("no money for the demonstration", "実証の予算なし"),
    "stage.waiting to start": ("waiting to start", "開始待ち"),
    "stage.build": ("build", "建設"),
    "stage.operation": ("operation", "運転"),
    "stage.follow-up": ("follow-up", "フォローアップ"),
    "stage.development": ("development", "方法論開発"),
    "stage.JC approval": ("JC approval", "合同委員会承認"),
    "stage.support": ("support", "定量化支援"),
    "stage.validation and registration": ("validation and registration", "有効化・登録"),
    # sensitivity table
    "col.factor": ("Assumption", "前提条件"),
    "col.low_value": ("Value at P10", "P10の値"),
    "col.high_value": ("Value at P90", "P90の値"),
    "col.mean_low": ("Mean at P10", "P10での平均"),
    "col.mean_high": ("Mean at P90", "P90での平均"),
    "col.prob_low": ("P(meet) at P10", "P10での達成確率"),
    "col.prob_high": ("P(meet) at P90", "P90での達成確率"),
    "col.swing": ("Swing", "変動幅"),
    "col.swing_se": ("Monte Carlo error of the swing", "変動幅のモンテカルロ誤差"),
    "col.noise": ("Within noise", "誤差の範囲内"),
    "col.range": ("Range analysed", "分析した範囲"),
    "yes": ("yes", "はい"),
    "sens.note": (
        "Tornado of {kpi}: each assumption at its P10 and at its P90 while every other one "
        "stays as distributed ({trials} trials per end, seed {seed}, the same random numbers "
        "throughout). A swing no larger than twice its Monte Carlo error is marked as within noise.",
        "{kpi}のトルネード図：各前提条件をP10とP90に置き、他の前提条件は分布のまま計算（各端 {trials} 試行、"
        "乱数シード {seed}、全計算で同じ乱数）。変動幅がそのモンテカルロ誤差の2倍以下のものは誤差の範囲内と表示。",
    ),
    "sens.none": ("No sensitivity analysis was run for this report.", "この資料では感度分析を行っていません。"),
    # assumptions
    "col.item": ("Assumption", "前提条件"),
    "col.value": ("Value", "値"),
    "col.source": ("Source", "出典"),
    "item.budget": ("Budget {fy}", "{fy}の予算"),
    "item.country": ("{country}: months between Joint Committee decisions", "{country}：合同委員会の決定間隔"),
    "item.default": ("{kind}: {field}", "{kind}：{field}"),
    "item.other_countries": ("Other partner countries: months between Joint Committee decisions", "その他のパートナー国：合同委員会の決定間隔"),
    "value.default": ("as the program-wide assumption", "全体の前提と同じ"),
    # reproduction
    "rep.scenario": ("Scenario", "シナリオ"),
    "rep.file": ("Scenario file", "シナリオファイル"),
    "rep.hash": ("Scenario SHA-256", "シナリオのSHA-256"),
    "rep.evaluation": ("Evaluation", "評価"),
    "rep.trials": ("Monte Carlo trials", "試行回数"),
    "rep.seed": ("Random seed", "乱数シード"),
    "rep.date": ("Made on (UTC)", "作成日時（UTC）"),
    "rep.tool": ("Tool version", "ツールのバージョン"),
    "rep.libraries": ("Libraries", "ライブラリ"),
    "rep.command": ("Command", "コマンド"),
    "rep.language": ("Language", "言語"),
    "rep.how": (
        "Run the command below with the same scenario file (its SHA-256 must match), trials and "
        "seed: every number comes out the same.",
        "同じシナリオファイル（SHA-256が一致すること）、試行回数、乱数シードで下のコマンドを実行すると、"
        "すべての数値が同じになります。",
    ),
    "charts.need_js": (
        "The charts need a browser from 2023 or later (they are stored compressed in this page).",
        "図の表示には2023年以降のブラウザが必要です（図はこのページ内に圧縮して格納されています）。",
    ),
}

# KPI names: one table for the CLI, the app and the report (sim.kpis.KPI_DEFS)
TEXTS.update({f"kpi.{k.id}": (k.label, k.label_ja) for k in KPI_DEFS})


def tr(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` ("ja" or "en"), with ``values`` filled in."""
    pair = TEXTS.get(key)
    if pair is None:
        text = key.split(".", 1)[-1]
    else:
        text = pair[1] if lang == "ja" else pair[0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in TEXTS
