"""The machine-readable summary of a simulation (the ``jcm simulate --json`` document).

Field names are a contract other tools rely on:

* ``kpis``: by KPI id, ``{label, unit, mean, p10, p50, p90, std_error, target, prob_meet,
  prob_meet_std_error, n_trials, n_valid, description, document}`` (``document``: the target's
  wording in the NEDO program summary, where the KPI measures one);
* ``output_target``: ``{already_started, max_reachable, target}``: projects started in the
  program's years before the simulation, and the most the listed projects could ever reach;
* ``settings``: the crediting and budget settings the KPIs depend on;
* ``by_fy``: ``years`` and, for each annual series (``spend_oku_yen``, ``credits_t``,
  ``japan_credits_t``, ``demo_reductions_t``, ``dissemination_t``, ``cumulative_credits_t``,
  ``budget_oku_yen``), ``{mean, p10, p50, p90}`` lists aligned with ``years``;
* ``projects``: per project chance of starting and succeeding, expected credits to FY2030
  and FY2040, expected spend, cost per credit;
* ``screen``: each candidate's proposal screen;
* ``timeline``: stage dates of every project in trial 0;
* ``per_trial`` (optional): program totals per trial and fiscal year.
"""

from __future__ import annotations

import numpy as np

from sim.kpis import KPI_DEFS, compute_kpis, output_target_reach
from sim.results import SimulationResults
from sim.scenario import Scenario
from sim.screen import screen_candidates


def _bands(a: np.ndarray) -> dict[str, list[float]]:
    p10, p50, p90 = np.percentile(a, [10, 50, 90], axis=0)
    return {
        "mean": a.mean(axis=0).tolist(),
        "p10": p10.tolist(),
        "p50": p50.tolist(),
        "p90": p90.tolist(),
    }


def annual_series(results: SimulationResults) -> dict[str, np.ndarray]:
    """Program totals per trial and fiscal year, shape (trials, years), by series name."""
    r = results
    out = {
        name: r.program_series(name)
        for name in ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t",
                     "dissemination_t")
    }
    out["cumulative_credits_t"] = np.cumsum(out["credits_t"], axis=1)
    out["budget_oku_yen"] = r.budget_oku_yen
    return out


def simulation_report(
    scenario: Scenario, results: SimulationResults, per_trial: bool = False
) -> dict:
    """Build the JSON-ready summary of a run (see the module docstring)."""
    series = annual_series(results)
    projects = results.project_table()
    defs = {k.id: k for k in KPI_DEFS}
    a = scenario.assumptions
    doc = {
        "scenario": scenario.name,
        "file": scenario.path,
        "run": {"trials": results.n_trials, "seed": results.seed, "engine": results.engine,
                "engine_note": results.engine_note, "des_reruns": results.des_reruns},
        "kpis": {k.id: {**{kk: v for kk, v in k.as_dict().items() if kk != "id"},
                        "description": defs[k.id].description,
                        "document": defs[k.id].document}
                 for k in compute_kpis(results, scenario)},
        "output_target": output_target_reach(scenario),
        "settings": {
            "crediting_after_followup_years_mean": a.crediting_after_followup_years.mean,
            "contracts_after_program": a.contracts_after_program,
            "carryover_share": a.carryover_share,
            "carryover_compounds": a.carryover_compounds,
            "budget_after_last_fy_oku_yen": {
                str(fy): d.mean for fy, d in sorted(scenario.budget_oku_yen.items())
                if fy > scenario.program.last_fy
            },
        },
        "by_fy": {"years": results.years.tolist(),
                  **{name: _bands(a) for name, a in series.items()}},
        "projects": projects,
        "screen": [s.as_dict() for s in screen_candidates(scenario)],
        "timeline": [
            {"id": s.project_id, "stage": s.stage, "start_month": s.start_month,
             "end_month": s.end_month}
            for s in results.timeline
        ],
    }
    if per_trial:
        doc["per_trial"] = {name: a.tolist() for name, a in series.items()}
    return doc
