"""The Portfolio page against the scenario-mode optimizer: objectives, rules, plain-word
solver status (infeasible included), the check in the full simulation, both frontiers, and
applying the proposal to the scenario."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.test_app_support import assert_clean, go, new_app, texts


def portfolio(lang: str = "en", **settings):
    at = new_app(lang, trials=40)
    at.session_state["pf_n"] = 20
    for key, value in settings.items():
        at.session_state[key] = value
    go(at, "portfolio")
    assert_clean(at)
    at.button(key="pf_run").click().run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_probability_objective_with_the_programs_target(lang):
    # under the calibrated delays a demonstration started in FY2026 issues little by FY2030,
    # so no candidate raises the chance of the FY2030 average and the solver rightly funds
    # nothing; the FY2040 credits give the page a portfolio to show
    at = portfolio(lang, pf_objective="prob_target", pf_target_kpi="credits_fy2040_t",
                   pf_target_value_credits_fy2040_t=30000.0)
    body = texts(at)
    assert ("Optimal" in body) if lang == "en" else ("最適解" in body)
    labels = [m.label for m in at.metric]
    assert any("full model" in x or "全体モデル" in x for x in labels)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_impossible_rules_are_explained_in_plain_words(lang):
    at = portfolio(lang, pf_min_projects=200)
    body = texts(at)
    assert ("No portfolio meets every budget and rule" in body) if lang == "en" else \
        ("すべての予算とルールを満たすポートフォリオがありません" in body)


def test_risk_frontier_and_applying_the_proposal():
    at = portfolio("en", pf_objective="cvar")
    at.get("button_group")[0].set_value("risk").run()
    at.button(key="pf_frontier_run").click().run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3
    before = dict(at.session_state["_work"])
    at.button(key="pf_apply").click().run()
    assert_clean(at)
    work = at.session_state["_work"]
    assert work != before and work.get("exclude_projects")
    assert "The proposal is now the edited scenario" in texts(at)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_unreachable_target_is_not_called_optimal(lang):
    """A target no portfolio reaches in any sampled future: the page says the best
    achievable probability is 0 % and shows the best expected amount instead of calling an
    empty portfolio optimal."""
    at = portfolio(lang, pf_objective="prob_target",
                   pf_target_value_avg_credits_per_demo_fy2030_t=10_000_000.0)
    body = texts(at)
    assert not at.success, body
    assert ("best achievable probability is 0 %" in body) if lang == "en" else \
        ("達成確率は最善でも 0% です" in body)
    assert ("highest expected amount reaches" in body) if lang == "en" else \
        ("期待値が最大のポートフォリオでも平均" in body)
    assert "funds no candidate" not in body and "採択しません" not in body
    assert ("per demonstration" in body) if lang == "en" else ("実証1件あたり" in body)


def test_cvar_level_says_which_futures_are_averaged():
    at = portfolio("en", pf_objective="cvar", pf_alpha=0.9)
    label = at.slider(key="pf_alpha").label
    assert "better futures left out" in label
    assert "average of the worst 10%" in texts(at)


def test_portfolio_settings_travel_in_the_link():
    from webapp import state

    at = portfolio("en", pf_objective="cvar", pf_alpha=0.8, pf_n=40)
    pf = state.decode_changes(at.query_params["pf"])
    assert pf["pf_objective"] == "cvar" and pf["pf_alpha"] == 0.8 and pf["pf_n"] == 40
    again = new_app("en", trials=40, pf=at.query_params["pf"])
    go(again, "portfolio")
    assert_clean(again)
    assert again.selectbox(key="pf_objective").value == "cvar"
    assert again.slider(key="pf_alpha").value == 0.8
    hostile = state.encode_changes({"pf_objective": "rm -rf", "pf_alpha": 7, "pf_n": "x",
                                    "pf_time_limit": 30.0})
    third = new_app("en", trials=40, pf=hostile)
    go(third, "portfolio")
    assert_clean(third)
    assert third.selectbox(key="pf_objective").value == "expected"
    assert third.number_input(key="pf_time_limit").value == 30.0


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_portfolio_is_checked_against_simple_policies_in_the_full_model(lang):
    at = portfolio(lang)
    body = texts(at)
    assert ("Checked in the full model" in body) if lang == "en" else ("全体モデルでの確認" in body)
    cells = " ".join(str(v) for tbl in at.table for v in tbl.value.to_numpy().ravel())
    assert ("fund every candidate as early as possible" in cells) if lang == "en" else \
        ("全候補をできるだけ早く採択" in cells)
    assert "→ " in cells  # the plan that is the proposal is marked


@pytest.fixture
def download_files(monkeypatch):
    """What each download button of a run would give, by file name: Streamlit makes a file
    when its button is clicked, so the functions the page hands it are kept and called here."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = {}
    add = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return add(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return made


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_workbooks_name_their_sheets_in_the_pages_language(lang, download_files):
    portfolio(lang)
    sheets = {name: load_workbook(io.BytesIO(download_files[name]())).sheetnames
              for name in ("jcm_portfolio.xlsx", "jcm_plan_vs_proposal.xlsx")}
    if lang == "ja":
        assert sheets == {"jcm_portfolio.xlsx": ["ポートフォリオ"],
                          "jcm_plan_vs_proposal.xlsx": ["現行計画と提案の比較"]}
    else:
        assert sheets == {"jcm_portfolio.xlsx": ["portfolio"],
                          "jcm_plan_vs_proposal.xlsx": ["plan vs proposal"]}
