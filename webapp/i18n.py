# ruff: noqa: E501 - translation table: Japanese text counts double width
"""Every text the app shows, in Japanese and English, and the number formats.

``t(key, **values)`` returns the text for the current language (``st.session_state["lang"]``,
"ja" or "en"), filled in with ``str.format``. Units are 億円 (100 million JPY) and t-CO2 in
both languages; fiscal years read "FY2030" in English and "2030年度" in Japanese.
"""

from __future__ import annotations

import math

import streamlit as st

from sim.kpis import KPI_DEFS

LANGS = ("ja", "en")
LANG_NAMES = {"ja": "日本語", "en": "English"}
DEFAULT_LANG = "ja"

# key: (English, Japanese)
_T: dict[str, tuple[str, str]] = {
    # app frame ----------------------------------------------------------------------------
    "app.title": ("JCM program planner", "JCM事業 計画支援ツール"),
    "app.subtitle": (
        "NEDO JCM low-carbon technology dissemination promotion program",
        "NEDO 二国間クレジット制度（JCM）等を活用した低炭素技術普及促進事業",
    ),
    "nav.scenario": ("Scenario", "シナリオ"),
    "nav.forecast": ("Forecast", "予測"),
    "nav.portfolio": ("Portfolio", "ポートフォリオ"),
    "nav.compare": ("Compare", "比較"),
    "nav.evaluation": ("Evaluation", "評価"),
    "side.language": ("Language / 言語", "言語 / Language"),
    "side.run": ("Simulation", "シミュレーション"),
    "side.trials": ("Monte Carlo trials", "試行回数（モンテカルロ）"),
    "side.trials_help": (
        "More trials give steadier numbers but take longer (several thousand trials per "
        "second on the built-in scenarios).",
        "試行回数を増やすと結果は安定しますが、計算に時間がかかります（標準のシナリオで毎秒数千試行）。",
    ),
    "side.seed": ("Random seed", "乱数シード"),
    "side.seed_help": (
        "The same seed gives the same random draws for the same project (common random "
        "numbers), so scenarios compare fairly.",
        "同じシードでは同じ案件に同じ乱数が使われます（共通乱数）。シナリオを公平に比較できます。",
    ),
    "side.scenario": ("Scenario in use", "使用中のシナリオ"),
    "side.edited": ("edited", "編集あり"),
    "side.invalid": ("has errors", "エラーあり"),
    "side.link": ("Shareable link", "共有リンク"),
    "side.link_help": (
        "The address in your browser now holds the scenario's changes and the seed: copy it "
        "and send it; a colleague who opens it sees the same results.",
        "ブラウザのアドレス欄に、シナリオの変更内容と乱数シードが入っています。"
        "そのままコピーして送れば、同じ結果を確認できます。",
    ),
    "side.link_inexact": (
        "This scenario cannot be carried in a link exactly; download it as TOML to share it.",
        "このシナリオはリンクでは正確に再現できません。TOMLでダウンロードして共有してください。",
    ),
    "side.link_long": (
        "The changes are too many for a link; download the scenario as TOML to share it.",
        "変更が多すぎてリンクに入りません。TOMLでダウンロードして共有してください。",
    ),
    "err.unexpected": (
        "Something went wrong while drawing this part ({kind}). Your inputs are kept; "
        "try again or change the last input.",
        "この部分の表示中に問題が発生しました（{kind}）。入力内容は保持されています。"
        "もう一度試すか、直前の入力を見直してください。",
    ),
    "err.url": (
        "Part of the link could not be used: {what}.",
        "リンクの一部を使えませんでした：{what}。",
    ),
    "err.url_join": ("; ", "。"),
    # what a link held that could not be used, and what is used instead
    "link.not_int": ("{name}={value} is not a whole number, so {used} is used",
                     "{name}={value} は整数ではないため、{used} を使います"),
    "link.clamped": ("{name}={value} is outside {lo} to {hi}, so {used} is used",
                     "{name}={value} は {lo}〜{hi} の範囲外のため、{used} を使います"),
    "link.lang": ("lang={value} is not a language of the app (ja, en), so the browser's "
                  "language is used",
                  "lang={value} はこのアプリの言語（ja、en）ではないため、ブラウザーの言語を使います"),
    "link.scenario": ("scenario={value} is not a shipped scenario, so {used} is shown",
                      "scenario={value} は収録シナリオではないため、{used} を表示しています"),
    "link.changes": ("the link's edits could not be read ({why}), so {used} is shown without "
                     "them",
                     "リンクの編集内容を読み込めなかったため（{why}）、{used} を編集なしで"
                     "表示しています"),
    "link.pf": ("the link's Portfolio settings could not be read ({why}), so the defaults are "
                "used",
                "リンクのポートフォリオ設定を読み込めなかったため（{why}）、既定値を使います"),
    "link.pf_values": ("the link's Portfolio settings {keys} are not values the page accepts, "
                       "so their defaults are used",
                       "リンクのポートフォリオ設定 {keys} はページで使える値ではないため、"
                       "既定値を使います"),
    "link.too_long": ("longer than {n} characters", "{n} 文字を超えています"),
    "link.too_large": ("too large when unpacked", "展開すると大きすぎます"),
    "link.unreadable": ("not in the form this app writes", "このアプリが作る形式ではありません"),
    "link.not_table": ("not a table of edits", "編集内容の表ではありません"),
    "link.too_deep": ("nested more than {n} levels deep", "{n} 段を超えて入れ子になっています"),
    "link.exclude": ("exclude_projects is not a list of project ids",
                     "exclude_projects が案件IDのリストではありません"),
    "err.problem": ("{field}: {rule}", "{field}：{rule}"),
    "err.more": ("… and {n} more", "…ほか {n} 件"),
    "err.problem_file": ("{file} — {field}: {rule}", "{file} — {field}：{rule}"),
    "err.problem_whole": ("{file}: {rule}", "{file}：{rule}"),
    "err.scenario_invalid": (
        "The edited scenario has errors (see the Scenario page); results are not updated.",
        "編集中のシナリオにエラーがあります（シナリオ画面を参照）。結果は更新されていません。",
    ),
    "err.fix_on_scenario": ("Go to the Scenario page", "シナリオ画面へ"),
    # running ------------------------------------------------------------------------------
    "run.progress": (
        "Simulating {name}: {done} of {total} trials",
        "{name}を計算中：{total} 試行中 {done} 試行完了",
    ),
    "run.stop": ("Stop", "中止"),
    "run.stopped": (
        "The simulation was stopped; results are not updated.",
        "計算を中止しました。結果は更新されていません。",
    ),
    "run.again": ("Run the simulation", "計算を実行"),
    "run.info": (
        "{trials:,} trials, seed {seed}, {seconds:.1f} s",
        "{trials:,} 試行・シード {seed}・{seconds:.1f} 秒",
    ),
    "run.cached": ("from cache", "キャッシュから"),
    # scenario page ------------------------------------------------------------------------
    "sc.title": ("Scenario", "シナリオ"),
    "sc.intro": (
        "Choose a scenario, change budgets or candidates, and see at once what it does to the "
        "chance of meeting each target.",
        "シナリオを選び、予算や候補案件を変更すると、各目標の達成確率への影響がすぐに表示されます。",
    ),
    "sc.pick": ("Shipped scenario", "収録シナリオ"),
    "sc.upload": ("Or upload a scenario", "またはシナリオをアップロード"),
    "sc.upload_help": (
        "A scenario TOML file (it may extend a shipped scenario by file name), and/or "
        "candidate tables as CSV or Excel (.xlsx), one project per row; tables alone are added "
        "to the scenario being edited, and your edits are kept. A TOML file replaces the "
        "scenario being edited (its edits can be brought back). 5 MB at most per file.",
        "シナリオのTOMLファイル（収録シナリオをファイル名で extends できます）、または候補案件の表"
        "（CSV / Excel .xlsx、1行1案件）。表だけの場合は編集中のシナリオに追加され、編集内容はそのまま"
        "残ります。TOMLファイルは編集中のシナリオと置き換わります（元の編集内容には戻せます）。"
        "1ファイル5MBまで。",
    ),
    "sc.upload_added_one": (
        "Added 1 project from {name} to the scenario being edited; your edits are kept.",
        "{name} から 1 件の案件を編集中のシナリオに追加しました。編集内容はそのままです。",
    ),
    "sc.upload_added": (
        "Added {n} projects from {name} to the scenario being edited; your edits are kept.",
        "{name} から {n} 件の案件を編集中のシナリオに追加しました。編集内容はそのままです。",
    ),
    "sc.replaced": (
        "{name} was replaced by this scenario and is kept, with its edits: bring it back at "
        "any time (this one is then kept in turn).",
        "{name} はこのシナリオに置き換えられましたが、編集内容ごと保持しています。いつでも戻せます"
        "（そのときはこのシナリオを保持します）。",
    ),
    "sc.restore": ("Bring it back", "元に戻す"),
    "sc.upload_apply": ("Use the uploaded files", "アップロードしたファイルを使う"),
    "sc.upload_ok": ("Loaded {name}.", "{name} を読み込みました。"),
    "sc.upload_bad": (
        "The upload could not be used. Nothing was changed:",
        "アップロードしたファイルは使えません。現在のシナリオは変更していません：",
    ),
    "sc.uploaded": ("uploaded: {name}", "アップロード：{name}"),
    "sc.reset": ("Undo all edits", "編集をすべて元に戻す"),
    "sc.description": ("About this scenario", "このシナリオについて"),
    "sc.budget": ("Budget by fiscal year", "年度別予算"),
    "sc.budget_help": (
        "億円 per fiscal year. A number, or a range as a distribution such as "
        "triangular(6, 11.5, 13). Leave a cell empty for no budget that year.",
        "年度ごとの予算（億円）。数値、または triangular(6, 11.5, 13) のような分布で入力します。"
        "空欄の年度は予算なしです。",
    ),
    "sc.quick": ("Quick budget change", "予算のクイック変更"),
    "sc.quick_help": (
        "Sets the year's budget to a fixed amount (a range becomes its mean until moved).",
        "その年度の予算を固定額に設定します（分布の場合は動かすまで平均値を表示）。",
    ),
    "sc.quick_range": (
        "{fy} is a range ({text}); moving the slider fixes it.",
        "{fy}は分布（{text}）です。スライダーを動かすと固定額になります。",
    ),
    "sc.budget_large": (
        "{fy}: {value} 億円 is more than ten times the largest budget so far ({past} 億円 in "
        "{past_fy}). Budgets are in 億円 (100 million yen): 11.5 億円 is 1,150 million yen.",
        "{fy}：{value} 億円は、これまでの最大の予算（{past_fy}の {past} 億円）の 10 倍を超えて"
        "います。予算の単位は億円です（11.5 億円 = 11 億 5,000 万円）。",
    ),
    "sc.quick_bad": ("{fy}: fix the value in the table first.", "{fy}：先に表の値を修正してください。"),
    "sc.candidates": ("Projects", "案件"),
    "sc.candidates_help": (
        "Untick 'include' to drop a project. Costs in 億円, reductions in t-CO2/yr; a cell may "
        "hold a number or a distribution. Empty cells take the kind's default.",
        "「含める」を外すと案件を除外します。費用は億円、削減量は t-CO2/年。数値または分布で入力でき、"
        "空欄は事業区分の既定値になります。",
    ),
    "sc.show_all": ("Show started projects too", "実施中・終了案件も表示"),
    "sc.sources": ("Assumptions and their sources", "前提条件と出典"),
    "sc.sources_help": (
        "Every number that is not from the NEDO program summary is an assumption; its source "
        "is given here.",
        "NEDO事業概要に記載のない数値はすべて前提（仮定）であり、その出典をここに示します。",
    ),
    "sc.download": ("Download the edited scenario (TOML)", "編集後のシナリオをダウンロード（TOML）"),
    "sc.impact": ("Effect on the targets", "目標への影響"),
    "sc.impact_help": (
        "Probability of meeting each target: the shipped scenario against your edits (same "
        "seed, so differences come from the edits).",
        "各目標の達成確率：元のシナリオと編集後（同じ乱数シードのため、差は編集によるものです）。",
    ),
    "sc.impact_base": ("shipped", "元のシナリオ"),
    "sc.impact_was": (" (shipped: {value})", "（元：{value}）"),
    "sc.impact_edit": ("edited", "編集後"),
    "sc.no_edits": ("No edits yet.", "まだ編集はありません。"),
    "sc.valid": ("The scenario is valid.", "シナリオに問題はありません。"),
    "sc.invalid": (
        "Please fix these entries (your inputs are kept):",
        "以下の入力を修正してください（入力内容は保持されています）：",
    ),
    "sc.screen_fail": (
        "{n} candidate(s) do not pass the proposal screen: {ids}",
        "提案時の審査基準を満たさない候補：{n} 件（{ids}）",
    ),
    # columns ------------------------------------------------------------------------------
    "col.fy": ("Fiscal year", "年度"),
    "col.budget": ("Budget (億円)", "予算（億円）"),
    "col.budget_mean": ("Mean (億円)", "平均（億円）"),
    "col.source": ("Source", "出典"),
    "col.include": ("Include", "含める"),
    "col.id": ("ID", "ID"),
    "col.name": ("Name", "案件名"),
    "col.kind": ("Kind", "事業区分"),
    "col.status": ("Status", "状況"),
    "col.country": ("Country", "国"),
    "col.technology": ("Technology", "技術"),
    "col.earliest": ("Earliest start", "開始可能年度"),
    "col.latest": ("Latest start", "開始期限年度"),
    "col.design_cost": ("Design cost (億円)", "実証設計費（億円）"),
    "col.main_cost": ("Main cost (億円)", "事業費（億円）"),
    "col.expected_t": ("Expected (t-CO2/yr)", "想定削減量（t-CO2/年）"),
    "col.market": ("Market (replications)", "普及展開の市場（件）"),
    "col.replication_t": ("Per replication (t-CO2/yr)", "普及展開1件の削減量（t-CO2/年）"),
    "col.methodology_needed": ("Methodology needed", "方法論が必要"),
    "col.mandatory": ("Must fund", "必須"),
    "col.forbidden": ("Do not fund", "対象外"),
    "col.field": ("Assumption", "前提条件"),
    "col.value": ("Value", "値"),
    "col.evidence": ("Evidence", "根拠"),
    "ev.assumption": ("assumption (no evidence)", "仮定（根拠データなし）"),
    "ev.jcm": ("JCM data", "JCMの実績データ"),
    "ev.cdm": ("CDM figures (too few JCM cases)", "CDMの実績値（JCMの事例不足）"),
    "ev.cited": ("cited", "出典あり"),
    "col.kpi": ("Indicator", "指標"),
    "col.unit": ("Unit", "単位"),
    "col.p10": ("P10", "P10"),
    "col.p50": ("P50 (median)", "P50（中央値）"),
    "col.p90": ("P90", "P90"),
    "col.mean": ("Mean", "平均"),
    "col.target": ("Target", "目標"),
    "col.prob": ("Probability of meeting the target", "目標達成確率"),
    "col.prob_short": ("P(meet)", "達成確率"),
    "col.se": ("MC std. error", "標準誤差"),
    "col.prob_started": ("Probability started", "開始確率"),
    "col.prob_succeeded": ("Probability of success", "成功確率"),
    "col.credits_2030": ("Credits to FY2030 (t-CO2)", "クレジット～2030年度（t-CO2）"),
    "col.credits_2040": ("Credits to FY2040 (t-CO2)", "クレジット～2040年度（t-CO2）"),
    "col.spend": ("Spend (億円)", "支出（億円）"),
    "col.cost_per_t": ("Cost per t-CO2 (JPY)", "t-CO2あたり費用（円）"),
    "col.prob_dissem": ("Probability of dissemination", "普及展開の確率"),
    "col.scenario": ("Scenario", "シナリオ"),
    "col.diff": ("Difference from {name}", "{name} との差"),
    "col.start_fy": ("Start year", "開始年度"),
    "col.selected": ("Chosen", "採択"),
    "col.plan_current": ("Current plan", "現行計画"),
    "col.plan_proposed": ("Proposal", "提案"),
    "col.spend_fy": ("Spend (億円)", "支出（億円）"),
    # kinds, statuses, stages --------------------------------------------------------------
    "kind.demonstration": ("Demonstration", "実証事業"),
    "kind.methodology": ("Methodology development", "方法論開発事業"),
    "kind.quantification": ("Quantification support", "定量化支援事業"),
    "status.candidate": ("Candidate", "候補"),
    "status.running": ("Running", "実施中"),
    "status.finished": ("Finished", "終了"),
    "stage.design": ("Demonstration design", "実証設計"),
    "stage.waiting for budget": ("Waiting for budget", "予算待ち"),
    "stage.waiting to start": ("Waiting for money or staff", "予算・担当者の空き待ち"),
    "stage.paused: waiting for budget": ("Paused: waiting for budget", "中断：予算待ち"),
    "stage.stopped: no money": ("Stopped: no money", "中止：予算なし"),
    "stage.no money for the demonstration": ("No money for the demonstration",
                                             "実証の予算なし"),
    "stage.build": ("Construction", "設備建設"),
    "stage.operation": ("Demonstration operation", "実証運転"),
    "stage.follow-up": ("Quantification follow-up", "定量化フォローアップ"),
    "stage.development": ("Methodology development", "方法論開発"),
    "stage.JC approval": ("Joint Committee approval", "合同委員会承認"),
    "stage.support": ("Quantification support", "定量化支援"),
    "stage.validation and registration": ("Validation and registration", "妥当性確認・登録"),
    # KPIs ---------------------------------------------------------------------------------
    "unit.projects": ("projects", "件"),
    "unit.t-CO2": ("t-CO2", "t-CO2"),
    "unit.share": ("%", "%"),
    "unit.億円": ("億円", "億円"),
    "unit.JPY/t-CO2": ("JPY/t-CO2", "円/t-CO2"),
    "card.range": ("P10–P90: {lo} – {hi}", "P10–P90：{lo} ～ {hi}"),
    "card.median_range": ("Median · P10–P90: {lo} – {hi}", "中央値・P10～P90：{lo} ～ {hi}"),
    "card.target": ("Target {target}", "目標 {target}"),
    "card.prob": ("P(meet) {prob}", "達成確率 {prob}"),
    "card.no_target": ("no numeric target", "数値目標なし"),
    "status.green": ("likely", "達成見込み"),
    "status.amber": ("at risk", "要注意"),
    "status.red": ("unlikely", "未達見込み"),
    "status.none": ("—", "—"),
    "status.rule": (
        "Green: probability of meeting the target ≥ 80 %; amber: 50–80 %; red: < 50 %.",
        "緑：目標達成確率 80%以上、黄：50～80%、赤：50%未満。",
    ),
    # forecast page ------------------------------------------------------------------------
    "fc.title": ("Forecast", "予測"),
    "fc.intro": (
        "What the portfolio delivers: each target with its range and the probability of "
        "meeting it.",
        "ポートフォリオの成果見通し：各目標の幅（P10～P90）と達成確率。",
    ),
    "fc.kpis": ("Targets and indicators", "目標と指標"),
    "fc.fan": ("Cumulative credits issued", "累積クレジット発行量"),
    "fc.fan_y": ("Cumulative credits (t-CO2)", "累積クレジット（t-CO2）"),
    "fc.band_outer": ("P10–P90", "P10～P90"),
    "fc.band_inner": ("P25–P75", "P25～P75"),
    "fc.median": ("P50 (median)", "P50（中央値）"),
    "fc.mark": (
        "{fy}: P50 {value} = {share} of the national goal ({goal})",
        "{fy}：P50 {value}（国の目標 {goal} の {share}）",
    ),
    "fc.annual": ("Annual credits issued and dissemination reductions", "年度別のクレジット発行量と普及展開による削減量"),
    "fc.annual_credits": ("Credits issued (mean)", "クレジット発行量（平均）"),
    "fc.annual_dissem": ("Dissemination reductions (mean)", "普及展開による削減量（平均）"),
    "fc.annual_y": ("t-CO2 per fiscal year", "t-CO2／年度"),
    "fc.spend": ("Spend against budget", "予算と支出"),
    "fc.spend_y": ("億円 per fiscal year", "億円／年度"),
    "fc.spend_mean": ("Spend (mean)", "支出（平均）"),
    "fc.budget_mean": ("Budget (mean)", "予算（平均）"),
    "fc.gantt": ("Project timeline in a typical trial", "代表的な試行における案件スケジュール"),
    "fc.gantt_help": (
        "Stages of each project in trial 1 of the simulation (one possible future, not a "
        "forecast of dates).",
        "シミュレーションの第1試行における各案件の段階（起こり得る将来の一例であり、日程の予測ではありません）。",
    ),
    "fc.gantt_empty": ("No project stages in this trial.", "この試行では案件の段階がありません。"),
    "fc.projects": ("By project", "案件別"),
    "fc.projects_note": (
        "Probabilities and means over the trials; cost per t-CO2 = expected spend / expected "
        "credits to FY2040.",
        "確率と平均値は全試行による。t-CO2あたり費用＝期待支出÷2040年度までの期待クレジット。",
    ),
    "fc.kpi_table": ("All indicators", "全指標"),
    "fc.axis_fy": ("Fiscal year", "年度"),
    "fc.today": ("simulation start", "計算開始"),
    # downloads ----------------------------------------------------------------------------
    "dl.csv": ("CSV", "CSV"),
    "dl.xlsx": ("Excel", "Excel"),
    "dl.html": ("Chart (HTML)", "グラフ（HTML）"),
    "dl.png_hint": (
        "For a PNG image use the camera icon above the chart.",
        "PNG画像はグラフ右上のカメラアイコンから保存できます。",
    ),
    # compare page -------------------------------------------------------------------------
    "cmp.title": ("Compare scenarios", "シナリオ比較"),
    "cmp.intro": (
        "Two to four scenarios side by side, run with the same seed (common random numbers): "
        "differences come from the scenarios, not from chance.",
        "2～4つのシナリオを並べて比較します。同じ乱数シード（共通乱数）で計算するため、"
        "差は偶然ではなくシナリオの違いによるものです。",
    ),
    "cmp.pick": ("Scenarios to compare", "比較するシナリオ"),
    "cmp.band_note": (
        "Each cell: median [P10 – P90] over the trials, and the chance of meeting each target.",
        "各欄：試行の中央値 [P10 ～ P90]、および各目標の達成確率。",
    ),
    "cmp.current": ("Current scenario", "現在のシナリオ"),
    "cmp.need": ("Choose two to four scenarios.", "シナリオを2～4つ選んでください。"),
    "cmp.kpis": ("Indicators", "指標"),
    "cmp.fan": ("Cumulative credits issued (P10–P90 and median)", "累積クレジット発行量（P10～P90と中央値）"),
    "cmp.diff": ("Differences from {name}", "{name} との差"),
    "cmp.diff_help": (
        "Mean of the per-trial difference ± its standard error; the trials share random numbers, "
        "so the difference is much steadier than either forecast.",
        "試行ごとの差の平均 ± 標準誤差。試行間で乱数を共有しているため、差はそれぞれの予測より安定しています。",
    ),
    "cmp.invalid": ("{name} cannot be run:", "{name} は計算できません："),
    # evaluation page ----------------------------------------------------------------------
    "ev.title": ("Evaluation", "評価"),
    "ev.intro": (
        "Each target, its status as of the evaluation year and the forecast, in the form the "
        "evaluation documents use.",
        "各目標について、評価年度時点の状況と今後の見通しを評価資料の形式で示します。",
    ),
    "ev.which": ("Evaluation", "評価の種類"),
    "ev.midterm": ("Mid-term evaluation", "中間評価"),
    "ev.final": ("Final evaluation", "終了時評価"),
    "ev.as_of": ("{which} ({fy}): status at the end of {fy}", "{which}（{fy}）：{fy}末時点の状況"),
    "ev.col.type": ("Type", "区分"),
    "ev.col.indicator": ("Indicator", "指標"),
    "ev.col.target": ("Target (target year)", "目標値（目標年度）"),
    "ev.target_by": ("{target} ({fy})", "{target}（{fy}）"),
    "ev.col.status": ("Status at end of {fy} (P50 [P10–P90])", "{fy}末の状況（P50［P10～P90］）"),
    "ev.col.status_prob": ("Already met by {fy}", "{fy}末までに達成済みの確率"),
    "ev.col.forecast": ("Forecast for the target year (P50 [P10–P90])", "目標年度の見通し（P50［P10～P90］）"),
    "ev.col.prob": ("Probability of meeting the target", "目標達成確率"),
    "ev.col.judgement": ("Outlook", "達成見通し"),
    "ev.type.output": ("Output", "アウトプット"),
    "ev.type.outcome": ("Outcome", "アウトカム"),
    "ev.type.reference": ("Reference", "参考"),
    "ev.dissem_target": (
        "≥ {amount} per project over dissemination; {count}",
        "普及期間の削減量が1件あたり {amount} 以上；{count}",
    ),
    "ev.count_unset": ("number of projects not set", "件数の定めなし"),
    "ev.ndc": ("Contribution to the national JCM goal", "国のJCM目標への貢献"),
    "ev.note": (
        "Forecasts from {trials:,} Monte Carlo trials (seed {seed}) of scenario '{name}'. P10/P90: "
        "1 in 10 trials falls below/above. Status: green ≥ 80 %, amber 50–80 %, red < 50 % "
        "probability of meeting the target.",
        "シナリオ「{name}」のモンテカルロ {trials:,} 試行（シード {seed}）による見通し。"
        "P10／P90：10回に1回はこれを下回る／上回る値。見通し：目標達成確率 80%以上を緑、50～80%を黄、"
        "50%未満を赤とする。",
    ),
    "ev.download_xlsx": ("Download (Excel)", "ダウンロード（Excel）"),
    "ev.download_html": ("Download (HTML page)", "ダウンロード（HTMLページ）"),
    "ev.doc_title": ("{which}: targets and outlook", "{which}：目標と達成見通し"),
    # portfolio page -----------------------------------------------------------------------
    "pf.title": ("Portfolio", "ポートフォリオ"),
    "pf.intro": (
        "Let the optimizer propose which candidates to fund and when, within each year's budget "
        "and the rules you set.",
        "各年度の予算と設定したルールの範囲内で、どの候補案件をいつ開始するかを最適化により提案します。",
    ),
    "pf.unavailable": (
        "The optimizer is not available in this installation ({why}).",
        "この環境では最適化機能を利用できません（{why}）。",
    ),
    "pf.objective": ("Objective", "目的"),
    "pf.rules": ("Rules", "ルール"),
    "pf.run": ("Propose a portfolio", "ポートフォリオを提案"),
    "pf.time_limit": ("Solver time limit (s)", "計算時間の上限（秒）"),
    "pf.status": ("Solver status", "求解の状況"),
    "pf.chosen": ("Chosen projects and start years", "採択案件と開始年度"),
    "pf.spend": ("Spend against budget by fiscal year", "年度別の予算と支出"),
    "pf.versus": ("Current plan against the proposal", "現行計画と提案の比較"),
    "pf.sheet_chosen": ("portfolio", "ポートフォリオ"),
    "pf.sheet_versus": ("plan vs proposal", "現行計画と提案の比較"),
    "pf.frontier": ("Efficient frontier", "効率的フロンティア"),
    "pf.frontier_run": ("Compute the frontier", "フロンティアを計算"),
    "pf.frontier_x": ("Budget scale (× each year's budget)", "予算倍率（各年度予算に対する倍率）"),
    "pf.none": ("No portfolio yet: press the button.", "まだ提案はありません。ボタンを押してください。"),
    "pf.apply": ("Use the proposal as the current scenario", "提案を現在のシナリオに反映"),
    "pf.applied": (
        "The proposal is now the edited scenario (see the Scenario page).",
        "提案をシナリオに反映しました（シナリオ画面を参照）。",
    ),
}

# Portfolio page: objectives, metrics, rules.
_T.update({
    "obj.expected": ("Maximise the expected amount", "期待値を最大化"),
    "obj.cvar": ("Maximise the bad-case average (CVaR)", "下振れ時の平均（CVaR）を最大化"),
    "obj.prob_target": ("Maximise the probability of meeting a target", "目標達成確率を最大化"),
    "obj.min_cost": ("Least cost for an expected amount", "期待値の目標を満たす最小費用"),
    "metric.credits_fy2030": ("Credits issued by FY2030 (t-CO2)", "2030年度までのクレジット発行量（t-CO2）"),
    "metric.demo_credits_fy2030": (
        "Credits issued by demonstrations by FY2030 (t-CO2)",
        "2030年度までの実証事業によるクレジット発行量（t-CO2）"),
    "metric.credits_fy2040": ("Credits issued by FY2040 (t-CO2)", "2040年度までのクレジット発行量（t-CO2）"),
    "metric.japan_credits_fy2030": ("Japan's credits by FY2030 (t-CO2)", "2030年度までの日本取得分（t-CO2）"),
    "metric.japan_credits_fy2040": ("Japan's credits by FY2040 (t-CO2)", "2040年度までの日本取得分（t-CO2）"),
    "metric.reductions_fy2040": (
        "Reductions by FY2040, dissemination included (t-CO2)", "2040年度までの削減量・普及分を含む（t-CO2）"),
    "pf.metric": ("Amount to optimise", "最適化する量"),
    "pf.target_kpi": ("Target", "対象とする目標"),
    "pf.in_sample": ("Optimizer's value (sampled futures, mean)", "最適化での値（サンプル試行の平均）"),
    "pf.out_sample": ("Checked in the full model (mean)", "全体モデルでの検証値（平均）"),
    "pf.sample_note": (
        "The optimizer judges each candidate on sampled futures without budget, staff or "
        "verifier queues; the check re-runs the chosen portfolio in the full model with fresh "
        "random numbers ({trials:,} trials). A large gap means the budget year or queues bind.",
        "最適化は予算・体制・検証機関の待ち行列を考慮しないサンプル試行で各候補を評価します。"
        "検証値は採択案を全体モデルで新たな乱数により再計算した値です（{trials:,} 試行）。"
        "差が大きい場合は、年度予算や待ち行列の制約が効いています。",
    ),
    "pf.frontier_kind": ("Frontier", "フロンティアの種類"),
    "pf.frontier_budget_kind": ("Best value by budget", "予算規模と最良値"),
    "pf.frontier_risk_kind": ("Expected value against bad-case value (CVaR)", "期待値と下振れ時の値（CVaR）"),
    "pf.frontier_cvar": ("Bad-case average, CVaR (t-CO2)", "下振れ時の平均 CVaR（t-CO2）"),
    "pf.frontier_expected": ("Expected amount (t-CO2)", "期待値（t-CO2）"),
    "pf.alpha": ("CVaR level α (share of the better futures left out)", "CVaR水準 α（除外する上振れ側の試行の割合）"),
    "pf.target": ("Target (t-CO2)", "目標（t-CO2）"),
    "pf.per_demo": ("Target per demonstration project", "実証1件あたりの目標"),
    "pf.target_help": (
        "For the probability objective: the amount to reach (per demonstration when ticked: "
        "the program's 5,000 t-CO2 per demonstration by FY2030). For least cost: the expected "
        "amount the portfolio must deliver.",
        "確率目的の場合：達成すべき量（チェック時は実証1件あたり。事業目標は2030年度までに1件あたり"
        "5,000 t-CO2）。最小費用の場合：ポートフォリオが満たすべき期待値。",
    ),
    "pf.min_projects": ("At least this many projects", "最低案件数"),
    "pf.max_country": ("At most per country", "1か国あたりの上限件数"),
    "pf.max_tech": ("At most per technology", "1技術あたりの上限件数"),
    "pf.staff": ("Projects running at once (staff)", "同時実施件数の上限（体制）"),
    "pf.screen_only": ("Only candidates passing the proposal screen", "提案審査基準を満たす候補のみ"),
    "pf.scenarios": ("Sampled futures for the optimizer", "最適化に用いる試行数"),
    "pf.rule_off": ("Leave empty for no limit.", "空欄は制限なし。"),
    "pf.building": (
        "Simulating each candidate's outcomes for each start year ({n} futures)…",
        "各候補・各開始年度の成果をシミュレーション中（{n} 試行）…",
    ),
    "pf.solving": ("Solving…", "求解中…"),
    "pf.objective_value": ("Objective value", "目的関数値"),
    "pf.changed": (
        "The scenario or the settings changed since the last proposal; press the button again.",
        "前回の提案以降にシナリオまたは設定が変わりました。もう一度ボタンを押してください。",
    ),
    "pf.no_candidates": ("The scenario has no candidates to choose from.", "このシナリオには選択できる候補案件がありません。"),
    "pf.error": ("The optimizer could not run: {why}", "最適化を実行できませんでした：{why}"),
    "pf.none_chosen": ("The proposal funds no candidate.", "提案では候補案件を採択しません。"),
    "pf.total_cost": ("Expected cost (億円)", "期待費用（億円）"),
    "pf.value": ("Expected amount (t-CO2)", "期待値（t-CO2）"),
    "pf.frontier_y": ("Best objective value", "最良の目的関数値"),
    "pf.frontier_budget": ("Total budget FY{a}–FY{b} (億円)", "{a}～{b}年度の予算合計（億円）"),
    "pf.frontier_point": ("This proposal", "今回の提案"),
    "pf.plan_note": (
        "Current plan: every included candidate starts as early as budget allows. Proposal: "
        "only the chosen candidates, each in its chosen year. Both simulated in full with the "
        "same seed.",
        "現行計画：含めた候補すべてが予算の許す限り早く開始。提案：採択案件のみを選ばれた年度に開始。"
        "どちらも同じ乱数シードで全体をシミュレーション。",
    ),
    "pf.solver_detail": ("Solver message: {msg}", "ソルバーのメッセージ：{msg}"),
    "pf.diagnosis": ("Why no portfolio fits", "実行可能解がない理由"),
    "pf.stop_note": (
        "The optimizer runs for at most the time limit; it cannot be stopped midway.",
        "最適化は計算時間の上限までで終了します（途中で中止はできません）。",
    ),
})

# Plain-word explanation of each solver status (optimize.solve.STATUSES).
_T.update({
    "solver.optimal": (
        "Optimal: the solver proved no better portfolio exists under these rules.",
        "最適解：このルールの下で、これより良いポートフォリオがないことが証明されました。",
    ),
    "solver.time_limit": (
        "Time limit reached: the best portfolio found is shown, but it is not proven best.",
        "時間切れ：見つかった中で最良のポートフォリオを示しますが、最適とは証明されていません。",
    ),
    "solver.infeasible": (
        "No portfolio meets every budget and rule. Relax a rule or raise a budget.",
        "すべての予算とルールを満たすポートフォリオがありません。ルールを緩めるか予算を増やしてください。",
    ),
    "solver.error": (
        "The solver failed; the message below says why.",
        "ソルバーでエラーが発生しました。理由は下のメッセージを参照してください。",
    ),
})

# report and sensitivity
_T.update({
    "nav.sensitivity": ("Sensitivity", "感度分析"),
    "ev.report_note": (
        "The downloads are the evaluation material (as `jcm report` makes it): targets, the "
        "national-goal contribution, cost-effectiveness, budget use, projects, charts, the "
        "last tornado from the Sensitivity page, the assumptions with their sources, and "
        "what is needed to reproduce every number.",
        "ダウンロードは評価資料（`jcm report` と同じ内容）です：達成目標、国の目標への貢献、費用対効果、"
        "予算執行、案件一覧、図表、感度分析ページで最後に計算したトルネード図、前提条件と出典、数値の再現に必要な情報。",
    ),
    "ev.report_note_no_tornado": (
        "The downloads are the evaluation material (as `jcm report` makes it). Run a tornado on "
        "the Sensitivity page to include which assumption matters most.",
        "ダウンロードは評価資料（`jcm report` と同じ内容）です。感度分析ページでトルネード図を計算すると、"
        "結果を左右する前提条件も資料に含まれます。",
    ),
    "se.title": ("Sensitivity", "感度分析"),
    "se.intro": (
        "Which assumption matters most: every uncertain assumption of the scenario, the "
        "remaining budget years and the capacities are varied through the full simulation, "
        "with the same random numbers in every run.",
        "どの前提条件が結果を最も左右するか：シナリオの不確実な前提条件、残りの年度予算、体制の上限を"
        "シミュレーション全体で変化させます（すべての計算で同じ乱数を使用）。",
    ),
    "se.kpi": ("Indicator", "指標"),
    "se.method": ("Method", "手法"),
    "se.method.tornado": ("Tornado", "トルネード図"),
    "se.method.morris": ("Morris screening", "Morris法"),
    "se.method.sobol": ("Sobol indices", "Sobol指標"),
    "se.method_help.tornado": (
        "Each assumption at its P10 and at its P90 while the others stay as distributed; bars "
        "sorted by swing. A swing within twice its Monte Carlo error is marked as noise.",
        "各前提条件をP10とP90に置き、他は分布のまま計算します。変動幅の大きい順に表示。"
        "変動幅がモンテカルロ誤差の2倍以内のものは誤差の範囲内と表示します。",
    ),
    "se.method_help.morris": (
        "Elementary effects over each assumption's P5–P95 (SALib): a quick screen of many "
        "inputs; μ* is the mean absolute effect on the indicator's mean.",
        "各前提条件のP5～P95の範囲での基本効果（SALib）。多数の入力を素早くふるい分けます。"
        "μ* は指標の平均への効果の絶対値の平均です。",
    ),
    "se.method_help.sobol": (
        "Share of the variance of the indicator's mean due to each assumption alone "
        "(first-order) and with its interactions (total), with 95 % confidence intervals "
        "(SALib, Saltelli sampling). The slowest method.",
        "指標の平均の分散のうち、各前提条件単独による割合（一次）と交互作用を含む割合（総合）を"
        "95%信頼区間付きで示します（SALib、Saltelliサンプリング）。最も時間がかかります。",
    ),
    "se.trials": ("Trials per evaluation", "1回の評価あたりの試行回数"),
    "se.trials_help": (
        "Each evaluation is a full Monte Carlo run with this many trials; more trials give a "
        "smaller Monte Carlo error.",
        "各評価はこの試行回数のモンテカルロ計算です。試行回数を増やすと誤差が小さくなります。",
    ),
    "se.n": ("Base samples (Sobol)", "基本サンプル数（Sobol）"),
    "se.n_help": (
        "Evaluations = base samples × (assumptions + 2).",
        "評価回数 ＝ 基本サンプル数 ×（前提条件の数＋2）。",
    ),
    "se.r": ("Trajectories (Morris)", "軌跡の数（Morris）"),
    "se.r_help": ("Evaluations = trajectories × (assumptions + 1).",
                  "評価回数 ＝ 軌跡の数 ×（前提条件の数＋1）。"),
    "se.size": ("Trials in all", "総試行回数"),
    "se.size_help": ("{factors} assumptions are varied.", "{factors} 個の前提条件を変化させます。"),
    "se.run": ("Run the analysis", "分析を実行"),
    "se.none": ("No analysis yet for these settings: press the button.",
                "この設定での分析はまだありません。ボタンを押してください。"),
    "se.stopped": ("The analysis was stopped; press the button to run it again.",
                   "分析を中止しました。もう一度実行するにはボタンを押してください。"),
    "se.progress": ("Analysing… {done}/{total} evaluations", "分析中… {done}/{total} 回の評価"),
    "se.done": (
        "{trials:,} trials in all, {factors} assumptions, seed {seed}; {seconds:.0f} s.",
        "総試行回数 {trials:,}、前提条件 {factors} 個、乱数シード {seed}、計算時間 {seconds:.0f} 秒。",
    ),
    "se.col.factor": ("Assumption", "前提条件"),
    "se.col.low": ("Value at P10", "P10の値"),
    "se.col.high": ("Value at P90", "P90の値"),
    "se.col.mean_low": ("Mean at P10", "P10での平均"),
    "se.col.mean_high": ("Mean at P90", "P90での平均"),
    "se.col.swing": ("Swing", "変動幅"),
    "se.col.se": ("Monte Carlo error", "モンテカルロ誤差"),
    "se.col.noise": ("Within noise", "誤差の範囲内"),
    "se.col.prob": ("P(meet) at P10 → P90", "達成確率 P10→P90"),
    "se.noise": ("yes", "はい"),
    "se.noise_note": (
        "{n} assumption(s) swing by no more than twice their Monte Carlo error: more trials "
        "per evaluation would be needed to rank them.",
        "{n} 個の前提条件は変動幅がモンテカルロ誤差の2倍以内です。順位付けには試行回数を増やす必要があります。",
    ),
    "se.col.s1": ("First-order index (95 % CI)", "一次指標（95%信頼区間）"),
    "se.col.st": ("Total index (95 % CI)", "総合指標（95%信頼区間）"),
    "se.col.mu_star": ("μ* (mean absolute effect)", "μ*（効果の絶対値の平均）"),
    "se.col.mu_star_ci": ("μ* 95 % CI ±", "μ* 95%信頼区間 ±"),
    "se.col.sigma": ("σ (interactions, non-linearity)", "σ（交互作用・非線形性）"),
    "se.json": ("Download (JSON)", "ダウンロード（JSON）"),
    "se.to_report": (
        "The Evaluation page's downloads now include this tornado.",
        "評価ページのダウンロード資料に、このトルネード図が含まれます。",
    ),
})


# overview and issue-9 texts
_T.update({
    "nav.overview": ("Overview", "概要"),
    "ov.title": ("Overview", "概要"),
    "ov.intro": (
        "The headline answer: each target with the probability of meeting it, the share of the "
        "national JCM goal, and what changed since the base scenario. Move a budget and watch "
        "the answer change.",
        "主な結果：各目標の達成確率、国のJCM目標に対する割合、元のシナリオからの変更点。"
        "予算を動かすと、結果がその場で変わります。",
    ),
    "ov.headline": ("{name}: will the program meet its targets?", "{name}：目標は達成できるか"),
    "ov.levers": ("Budgets", "予算"),
    "ov.more_edits": ("More edits: Scenario page", "詳しい編集：シナリオ画面"),
    "ov.changed": ("What changed since {base}", "{base} からの変更点"),
    "ov.no_changes": ("Nothing yet: this is the base scenario.", "変更はありません（元のシナリオのままです）。"),
    "ov.refining": (
        "First answer from {quick} trials; refining to {trials} trials…",
        "まず {quick} 試行で表示しています。{trials} 試行に精緻化中…",
    ),
    "ov.first_only": (
        "Results from the first {quick} trials only: the run of {trials} trials was stopped.",
        "最初の {quick} 試行のみの結果です（{trials} 試行の計算は中止しました）。",
    ),
    "sc.budget_of": ("Budget {fy} (億円)", "{fy}予算（億円）"),
    "sc.source_of": ("Source of the budget {fy}", "{fy}予算の出典"),
    "sc.budget_none": ("no budget", "予算なし"),
    "card.prob_label": ("{name}: probability of meeting the target", "{name}：目標達成確率"),
    "card.prob_caption": ("Chance of meeting the target", "目標の達成確率"),
    "card.median_target": (
        "P50 {p50} (P10–P90 {lo}–{hi}) · target {target}",
        "P50 {p50}（P10～P90 {lo}～{hi}）・目標 {target}",
    ),
    "card.mc_prob": (
        "Monte Carlo error ± {se} pt ({trials} trials)",
        "モンテカルロ誤差 ±{se} ポイント（{trials} 試行）",
    ),
    "card.mc_mean": (
        "Monte Carlo error ± {se} ({trials} trials)",
        "モンテカルロ誤差 ±{se}（{trials} 試行）",
    ),
    "card.mc_prob_help": (
        "Standard error of the probability from the trials run, √(p(1−p)/n). Where no trial "
        "or every trial meets the target that is 0, so the rule-of-three 95 % bound 3/n is "
        "shown instead. More trials (sidebar) make it smaller.",
        "実行した試行から求めた確率の標準誤差 √(p(1−p)/n)（n は試行回数）。どの試行も目標を"
        "満たさない、またはすべての試行が満たす場合はこれが 0 になるため、代わりに「3 の法則」"
        "による 95% 上限 3/n を示します。試行回数（サイドバー）を増やすと小さくなります。",
    ),
    "card.mc_mean_help": (
        "Standard error of the mean from the trials run (standard deviation / √n). More trials "
        "(sidebar) make it smaller.",
        "実行した試行から求めた平均の標準誤差（標準偏差 / √n）。試行回数（サイドバー）を増やすと"
        "小さくなります。",
    ),
    "card.goal": ("National JCM goal: {goal}", "国のJCM目標：{goal}"),
    "chg.yes": ("yes", "はい"),
    "chg.no": ("no", "いいえ"),
    "chg.budget": ("Budget {fy}: {old} → {new}", "{fy}予算：{old} → {new}"),
    "chg.dropped": ("Not funded: {names}", "対象外とした案件：{names}"),
    "chg.included": ("Funded again: {names}", "対象に戻した案件：{names}"),
    "chg.field": ("{what}: {old} → {new}", "{what}：{old} → {new}"),
    "kpi.projects_dissemination_100kt.amount": (
        "Demonstrations reaching {amount} of dissemination reductions",
        "普及展開による削減量が {amount} に達する実証件数",
    ),
    "kpi.projects_meeting_both.amount": (
        "Demonstrations meeting both outcome targets (5,000 t-CO2 of credits by FY2030 and "
        "{amount} of dissemination reductions)",
        "両方の成果目標を満たす実証件数（2030年度までのクレジット5,000 t-CO2以上かつ普及展開による削減量 {amount} 以上）",
    ),
    "col.key": ("Scenario-file key", "シナリオファイルの項目名"),
    "fc.gap_title": ("Which projects make the gap", "目標との差を生む案件"),
    "fc.gap_help": (
        "Each demonstration's expected contribution (mean over the trials). The dashed line is "
        "what the target asks for: the per-demonstration target times the expected number of "
        "demonstrations started.",
        "各実証案件の寄与（全試行の平均）。破線は目標が求める量（1件あたり目標×開始する実証の期待件数）です。",
    ),
    "fc.gap_credits": (
        "Credits by FY2030 from each demonstration (expected, t-CO2)",
        "実証案件ごとの2030年度までのクレジット（期待値、t-CO2）",
    ),
    "fc.gap_y": ("t-CO2 by the end of FY2030", "2030年度末までの t-CO2"),
    "fc.gap_total": ("Total", "合計"),
    "fc.gap_others": ("Others", "その他"),
    "fc.gap_need": ("Target {target} × {demos} demonstrations", "目標 {target} × 実証 {demos} 件"),
    "fc.gap_short": ("short by {gap}", "不足 {gap}"),
    "fc.gap_met": ("met on average", "平均では達成"),
    "fc.gap_dissem": (
        "Chance each demonstration reaches {amount} of dissemination reductions (expected count)",
        "各実証案件が普及展開による削減量 {amount} に達する確率（期待件数）",
    ),
    "fc.gap_dissem_y": ("Expected number of demonstrations", "実証の期待件数"),
    "pf.unreachable": (
        "No portfolio reaches the target ({target}) in any of the {n} sampled futures: the best "
        "achievable probability is 0 %.",
        "{n} 通りのサンプル試行のいずれでも、目標（{target}）に届くポートフォリオはありません。"
        "達成確率は最善でも 0% です。",
    ),
    "pf.unreachable_best": (
        "The portfolio with the highest expected amount reaches {value} on average (best "
        "sampled future {best}; target {target}). Choose the objective '{objective}' to see "
        "that portfolio, or lower the target.",
        "期待値が最大のポートフォリオでも平均 {value}（最も良いサンプル試行で {best}、目標 {target}）です。"
        "そのポートフォリオは目的「{objective}」で確認できます。目標を下げることもできます。",
    ),
    "pf.per_demo_suffix": (" per demonstration", "（実証1件あたり）"),
    "pf.alpha_means": (
        "The CVaR is the average of the worst {worst} of the sampled futures.",
        "CVaR は、サンプル試行のうち最も悪い {worst} の平均です。",
    ),
})


def lang() -> str:
    """The current language code ("ja" or "en")."""
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in."""
    pair = _T.get(key)
    if pair is None:
        text = key.split(".", 1)[-1]
    else:
        text = pair[1] if lang() == "ja" else pair[0]
    return text.format(**values) if values else text


def text_in(language: str, key: str, **values: object) -> str:
    """The text for ``key`` in ``language`` ("en" or "ja"), with ``values`` filled in."""
    pair = _T.get(key)
    text = key.split(".", 1)[-1] if pair is None else pair[1 if language == "ja" else 0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """Whether ``key`` has a translation."""
    return key in _T


def keys() -> list[str]:
    """Every text key (for tests)."""
    return list(_T)


def raw_pair(key: str) -> tuple[str, str]:
    """(English, Japanese) for ``key`` (for tests)."""
    return _T[key]


# formats -------------------------------------------------------------------------------
def fy(year: int) -> str:
    """A fiscal year: "FY2030" or "2030年度"."""
    return f"{int(year)}年度" if lang() == "ja" else f"FY{int(year)}"


def kpi_label(kpi_id: str, fallback: str = "") -> str:
    """The translated label of a KPI."""
    return t(f"kpi.{kpi_id}") if has(f"kpi.{kpi_id}") else (fallback or kpi_id)


def unit_label(unit: str) -> str:
    """The translated unit (億円, t-CO2, %, 件 …)."""
    return t(f"unit.{unit}") if has(f"unit.{unit}") else unit


def kind_label(kind: str) -> str:
    return t(f"kind.{kind}") if has(f"kind.{kind}") else kind


def status_label(status: str) -> str:
    return t(f"status.{status}") if has(f"status.{status}") else status


def stage_label(stage: str) -> str:
    return t(f"stage.{stage}") if has(f"stage.{stage}") else stage


def paren(text: str) -> str:
    """``text`` as an aside after a word: " (edited)" in English, 「（編集あり）」 in Japanese
    (full-width brackets, no space)."""
    return f"（{text}）" if lang() == "ja" else f" ({text})"


def plain(x: float, digits: int = 2) -> str:
    """``x`` to ``digits`` significant digits in plain notation, never scientific
    (0.000064, not 6.4e-05), with thousands separators and no trailing zeros (as ``g``
    writes them); at most ten decimals."""
    if x == 0 or not math.isfinite(x):
        return f"{x:.0f}"
    decimals = min(10, max(0, digits - 1 - math.floor(math.log10(abs(x)))))
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(x: float | None, unit: str = "") -> str:
    """A KPI value in its unit: shares as %, t-CO2 and JPY with thousands separators."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if unit == "share":
        pct = 100.0 * x
        if pct == 0 or abs(pct) >= 10:
            return f"{pct:.0f}%"
        if abs(pct) >= 1:
            return f"{pct:.1f}%"
        return f"{plain(pct)}%"
    if unit == "億円":
        return f"{x:,.1f} 億円"
    if unit == "projects":
        text = f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"
        return f"{text} 件" if lang() == "ja" else text
    if unit == "JPY/t-CO2":
        return f"{x:,.0f} " + unit_label(unit)
    if unit == "t-CO2":
        return f"{x:,.0f} t-CO2"
    return plain(x, 4)


def _unit_suffix(unit: str) -> str:
    if unit in ("t-CO2", "億円", "JPY/t-CO2"):
        return " " + unit_label(unit)
    if unit == "projects" and lang() == "ja":
        return " 件"
    return ""


def bare(x: float | None, unit: str = "") -> str:
    """A value as :func:`number` writes it, without the unit (shares keep their %)."""
    text = number(x, unit)
    suffix = _unit_suffix(unit)
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


def band(p50: float | None, p10: float | None, p90: float | None, unit: str = "") -> str:
    """"P50 [P10 – P90] unit", the unit written once. A count of projects is whole in
    every trial, so its interpolated P10 is written rounded down and its P90 rounded up
    (the range still holds at least 80 % of the trials): "37 [34 – 39]", not "[34.9 – 39]"."""
    if p50 is None or (isinstance(p50, float) and not math.isfinite(p50)):
        return "—"
    p10, p90 = range_ends(p10, p90, unit)
    return f"{bare(p50, unit)} [{bare(p10, unit)} – {bare(p90, unit)}]{_unit_suffix(unit)}"


def range_ends(p10: float | None, p90: float | None, unit: str
               ) -> tuple[float | None, float | None]:
    """The P10 and P90 as written: a count of projects (whole in every trial) rounded
    outwards, so the range still holds at least 80 % of the trials."""
    if unit != "projects":
        return p10, p90
    lo = None if p10 is None or not math.isfinite(p10) else math.floor(p10 + 1e-9)
    hi = None if p90 is None or not math.isfinite(p90) else math.ceil(p90 - 1e-9)
    return lo, hi


def range_caption(p10: float | None, p90: float | None, unit: str, median: bool = True
                  ) -> str:
    """A card's range line: "Median · P10–P90: lo – hi unit" (the big number above it is the
    median), or without "Median" when it is not; the ends as :func:`range_ends` writes them."""
    lo, hi = range_ends(p10, p90, unit)
    return t("card.median_range" if median else "card.range", lo=bare(lo, unit),
             hi=number(hi, unit))


def tonnes(x: float) -> str:
    """A mass in t-CO2 or Mt-CO2, for chart annotations."""
    if abs(x) >= 1e6:
        mt = x / 1e6
        return f"{mt:,.0f} Mt-CO2" if float(mt).is_integer() else f"{mt:,.1f} Mt-CO2"
    return f"{x:,.0f} t-CO2"


def percent(p: float | None) -> str:
    """A probability as a percentage."""
    if p is None or not math.isfinite(p):
        return "—"
    return f"{100 * p:.0f}%"


def rule_text(rule: str) -> str:
    """A validation rule in the current language (English text kept where no match)."""
    if lang() != "ja":
        return rule
    from webapp.messages_ja import RULES, translate

    return translate(rule, RULES)


# input limits and encodings
_T.update({
    "lim.upload_notes": ("Read as: {what}", "読み込み形式：{what}"),
    "lim.trials_capped": (
        "This scenario runs at most {n} trials per run here (the shared app's limit); the "
        "results use {n}.",
        "このシナリオでは1回あたり最大 {n} 試行までです（共有アプリの上限）。結果は {n} 試行で計算します。",
    ),
    "lim.url_value": ("{name}={value}", "{name}={value}"),
})
def solver_text(message: str) -> str:
    """A solver outcome or diagnosis line (optimize/) in the current language."""
    if lang() != "ja" or not message:
        return message
    from webapp.messages_ja import SOLVER, translate

    parts = [translate(part, SOLVER) for part in message.split("; ")]
    return "；".join(parts)

# policies checked in the full model
_T.update({
    "pf.policies": ("Checked in the full model", "全体モデルでの確認"),
    "pf.policies_help": (
        "The optimizer plans with expected costs and without queues for verifiers, staff and "
        "Joint Committees. Its portfolio is therefore re-run in the full model next to simple "
        "policies, with the same random numbers; a policy becomes the proposal only when it "
        "does better by more than twice the Monte Carlo error and keeps every portfolio rule.",
        "最適化は費用の期待値で計画し、第三者機関・人員・合同委員会の待ちを含みません。そこで最適化の"
        "ポートフォリオを単純な方針と同じ乱数で全体モデルにより再計算し、モンテカルロ誤差の2倍を超えて"
        "上回り、かつすべてのポートフォリオ条件を満たす方針だけを提案とします。"),
    "pf.policy": ("Plan", "計画"),
    "pf.policy_value": ("Objective in the full model", "全体モデルでの目的関数値"),
    "pf.policy_se": ("MC error vs the proposal", "提案との差のMC誤差"),
    "pf.policy_ok": ("Keeps the portfolio rules", "ポートフォリオ条件を満たす"),
    "pf.policy_yes": ("yes", "はい"),
    "pf.policy_no": ("no (not eligible)", "いいえ（対象外）"),
    "pf.policy_wins": (
        "In the full model, {policy} does better than the optimizer's portfolio beyond Monte "
        "Carlo error: it is the proposal compared and applied below.",
        "全体モデルでは「{policy}」が最適化のポートフォリオをモンテカルロ誤差を超えて上回るため、"
        "以下ではこれを提案として比較・適用します。"),
    "policy.optimizer": ("the optimizer's portfolio", "最適化によるポートフォリオ"),
    "policy.proposal_may_slip": ("the same portfolio, starts may slip to later years",
                                 "同じポートフォリオ（開始年度の後ろ倒しを許容）"),
    "policy.fund_all": ("fund every candidate as early as possible",
                        "全候補をできるだけ早く採択"),
    "policy.greedy": ("greedy by expected value per 億円", "1億円あたり期待値の高い順に採択"),
    "policy.improved": ("local search in the full model", "全体モデルでの局所探索"),
})


# KPI names: one table for the CLI, the app and the report (sim.kpis.KPI_DEFS)
_T.update({f"kpi.{k.id}": (k.label, k.label_ja) for k in KPI_DEFS})
