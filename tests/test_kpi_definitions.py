"""The KPIs test the targets as the NEDO program summary words them (達成目標), on hand-worked
cases built from ``model_fixtures.HAND_WORKED`` (a demonstration issuing 1,200 t in FY2028 and
950 t in FY2029; its demonstration stage ends on 1 April 2028, the end of FY2027).

アウトプット目標: 「…MRV…手法開発又は削減量の定量化事業（低炭素技術による
市場創出促進事業又は定量化促進事業）の実施 36件。」
アウトカム目標: 「2030年度までに、実証事業により平均5,000t-CO₂/件以上のJCMクレジットを
発行し、且つ実証事業終了後の普及展開期間全体で100,000t-CO₂以上の排出削減効果を達成する
案件の実施を目指す。」
普及: 「終了案件に占める普及案件（1件以上普及）の割合について50%を目指す。」
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.kpis import KPI_DEFS, OUTCOME_TARGET_JA, OUTPUT_TARGET_JA, compute_kpis, per_trial_kpis
from sim.montecarlo import simulate
from tests.model_fixtures import HAND_CREDITS_BY_FY, build

HAND_TOTAL_T = sum(HAND_CREDITS_BY_FY.values())  # 2,150 t, all issued by FY2029


def _demo(**fields) -> dict:
    d = dict(build().project("demo").model_dump(mode="json"))
    d.pop("id")
    d.update(fields)
    return d


def _kpis(sc, trials=4) -> dict[str, np.ndarray]:
    return per_trial_kpis(simulate(sc, trials, seed=1), sc)


def test_every_target_kpi_quotes_the_document():
    by_id = {k.id: k for k in KPI_DEFS}
    assert by_id["projects_implemented"].document == OUTPUT_TARGET_JA
    assert "36件" in OUTPUT_TARGET_JA
    for kid in ("avg_credits_per_demo_fy2030_t", "projects_dissemination_100kt",
                "projects_meeting_both"):
        assert by_id[kid].document == OUTCOME_TARGET_JA
    assert "普及展開期間全体" in OUTCOME_TARGET_JA and "且つ" in OUTCOME_TARGET_JA
    assert "終了案件" in by_id["dissemination_rate"].document


def test_a_design_study_without_a_demonstration_is_not_in_the_per_demonstration_average():
    # "実証事業により平均…/件": a second project whose design study never leads to a
    # demonstration does not count in the document's reading, and does in the strict one
    sc = build(**{"projects.design-only": _demo(design_success_prob=0.0)})
    k = _kpis(sc)
    assert np.allclose(k["avg_credits_per_demo_fy2030_t"], HAND_TOTAL_T / 1)
    assert np.allclose(k["avg_credits_per_demo_fy2030_all_started_t"], HAND_TOTAL_T / 2)


def test_credits_after_fy2030_do_not_count_toward_the_fy2030_average():
    # follow-up of 10 years: periods issued after FY2030 are left out
    sc = build(**{"projects.demo.followup_years": 10.0})
    k = _kpis(sc, 2)
    res = simulate(sc, 2, seed=1)
    y2030 = res.year_index(2030)
    by_2030 = res.credits_t[0, 0, : y2030 + 1].sum()
    assert res.credits_t[0, 0].sum() > by_2030
    assert np.allclose(k["avg_credits_per_demo_fy2030_t"], by_2030)


def _disseminating(per_replication_t: float, **more) -> dict:
    # 10 replications adopting almost at once after the demonstration ends (p large, q 0),
    # each for a 15-year lifetime
    return {"projects.demo.dissemination_prob": 1.0, "projects.demo.market_size": 10.0,
            "projects.demo.bass_p": 10.0, "projects.demo.bass_q": 0.0,
            "projects.demo.replication_t_per_yr": per_replication_t,
            "projects.demo.replication_lifetime_years": 15.0, **more}


def test_dissemination_counts_the_whole_lifetime_not_cut_at_fy2040():
    # 700 t/yr × 10 × 15 years = 105,000 t over the whole period (普及展開期間全体), though only
    # about 91,000 t fall before the end of FY2040
    sc = build(**_disseminating(700.0))
    res = simulate(sc, 3, seed=1)
    assert res.dissemination_t[:, 0, :].sum(axis=1).max() < 100_000
    assert np.allclose(res.dissemination_lifetime_t[:, 0], 105_000.0)
    assert (per_trial_kpis(res, sc)["projects_dissemination_100kt"] == 1).all()


@pytest.mark.parametrize("expected_t, meets", [(1200.0, False), (3000.0, True)])
def test_both_outcome_targets_joined_by_and(expected_t, meets):
    # 且つ: ≥ 5,000 t issued by FY2030 by the same demonstration that reaches 100,000 t
    sc = build(**_disseminating(700.0, **{"projects.demo.expected_t_per_yr": expected_t}))
    res = simulate(sc, 3, seed=1)
    k = per_trial_kpis(res, sc)
    assert (k["projects_meeting_both"] == (1 if meets else 0)).all()
    summary = {s.id: s for s in compute_kpis(res, sc)}["projects_meeting_both"]
    assert summary.target == 1 and summary.prob_meet == (1.0 if meets else 0.0)


def test_dissemination_rate_is_counted_as_of_each_evaluation_year():
    # the demonstration ends on 1 April 2028 (finished in FY2027); its first replication comes
    # in FY2028. Mid-term evaluation FY2027: finished, no case yet → 0 %; final FY2028 → 100 %
    sc = build(**_disseminating(10.0))
    k = _kpis(sc, 3)
    assert np.allclose(k["dissemination_rate_midterm"], 0.0)
    assert np.allclose(k["dissemination_rate_final"], 1.0)
    assert np.allclose(k["dissemination_rate"], 1.0)
    # nothing finished by the evaluation year: no rate, which never counts as meeting 50 %
    early = build(**_disseminating(10.0, **{"program.midterm_evaluation_fy": 2026}))
    assert np.isnan(_kpis(early, 2)["dissemination_rate_midterm"]).all()


def test_a_failed_demonstration_is_a_finished_project_without_dissemination():
    sc = build(**{**_disseminating(10.0),
                  "projects.failed": _demo(main_success_prob=0.0, dissemination_prob=1.0,
                                           market_size=10.0, bass_p=10.0, bass_q=0.0,
                                           replication_t_per_yr=10.0)})
    assert np.allclose(_kpis(sc, 2)["dissemination_rate"], 0.5)


def test_japan_counts_its_share_toward_the_ndc():
    sc = build()
    k = _kpis(sc, 2)
    assert np.allclose(k["japan_credits_fy2030_t"], HAND_TOTAL_T * 0.6)
    assert np.allclose(k["japan_ndc_share_fy2030"], HAND_TOTAL_T * 0.6 / 100e6)
    assert np.allclose(k["ndc_share_fy2030"], HAND_TOTAL_T / 100e6)


def test_the_output_target_counts_every_kind_and_the_history_in_the_program_years():
    hist = {"status": "finished", "started_fy": 2018, "finished_fy": 2019,
            "succeeded": True, "earliest_start_fy": None}
    sc = build(**{
        "program.first_fy": 2018,
        "projects.meth": {"name": "M", "country": "Testland", "technology": "m",
                          "kind": "methodology", "status": "candidate",
                          "earliest_start_fy": 2026, "main_cost_oku_yen": 0.3,
                          "main_months": 6.0},
        "projects.q-2018": {"name": "Q", "country": "Testland", "technology": "q",
                            "kind": "quantification", "main_cost_oku_yen": 0.3,
                            "main_months": 6.0, **hist},
    })
    assert np.allclose(_kpis(sc, 2)["projects_implemented"], 3)


def test_jcm_simulate_json_has_the_new_kpis_and_the_output_targets_reach(run_cli, tmp_path):
    out = tmp_path / "out.json"
    proc = run_cli("simulate", "scenarios/baseline.toml", "--trials", "20", "--workers", "1",
                   "--json", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["kpis"]) == {k.id for k in KPI_DEFS}
    assert doc["kpis"]["projects_implemented"]["document"] == OUTPUT_TARGET_JA
    ot = doc["output_target"]
    assert ot == {"already_started": 26, "max_reachable": 44, "target": 36}
    assert "at most 44 if every listed candidate started" in proc.stdout
    assert "participants' own issuance after it is not counted" in proc.stdout
    assert doc["settings"]["contracts_after_program"] is True
