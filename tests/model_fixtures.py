"""Small scenarios whose results can be worked out by hand, built as dictionaries."""

from __future__ import annotations

import copy
from typing import Any

from sim.loader import scenario_from_dict
from sim.scenario import Scenario

#: One demonstration with fixed durations and certain success. Worked by hand (months from
#: 1 April 2026; Joint Committee decisions at 0.5, 1.5, 2.5, ...):
#:   t=0   design starts; its 1 億円 over 6 months all falls in FY2026, committed at once
#:   t=6   design ends; demonstration starts: 2 億円 over 18 months (build 6 + operation 12),
#:         paid year by year: FY2026 6/18 → 0.6667 at t=6, FY2027 12/18 → 1.3333 at t=12
#:   t=12  commissioning; TPE validation 12 → 14; registration at the JC decision at 14.5
#:   t=24  operation ends (main stage ends in FY2027); follow-up 12 months → crediting to 36
#:   monitoring periods [14.5, 26.5] = 12 months → 1,200 t and [26.5, 36] = 9.5 months → 950 t
#:   verification 1.25 months: 27.75 → issued at JC 28.5 (FY2028); 37.25 → JC 37.5 (FY2029)
#:   Japan's share 0.6 → 720 t and 570 t
#:   reductions monitored: FY2027 (months 12-24) 9.5 months = 950 t; FY2028 2.5 + 9.5 = 1,200 t
HAND_WORKED: dict[str, Any] = {
    "name": "hand-worked",
    "program": {"first_fy": 2026, "last_fy": 2027, "as_of_fy": 2026, "horizon_fy": 2040,
                "midterm_evaluation_fy": 2027, "final_evaluation_fy": 2028},
    "budget": {"FY2026": 10.0, "FY2027": 10.0},
    "assumptions": {
        "tpe_capacity": 2, "staff_limit": 5, "validation_months": 2.0,
        "verification_months": 1.25, "jc_interval_months": 1.0, "carryover_share": 0.0,
    },
    "countries": {"Testland": {"jc_next_decision_month": 0.5}},
    "projects": {
        "demo": {
            "name": "Hand-worked demonstration", "country": "Testland", "technology": "t",
            "kind": "demonstration", "status": "candidate", "earliest_start_fy": 2026,
            "design_cost_oku_yen": 1.0, "design_months": 6.0, "design_success_prob": 1.0,
            "main_cost_oku_yen": 2.0, "build_months": 6.0, "main_months": 12.0,
            "main_success_prob": 1.0, "expected_t_per_yr": 1200.0, "performance_ratio": 1.0,
            "registration_prob": 1.0, "issuance_prob": 1.0, "japan_share": 0.6,
            "monitoring_period_months": 12.0, "followup_years": 1.0,
            "dissemination_prob": 0.0,
        }
    },
}

HAND_CREDITS_BY_FY = {2028: 1200.0, 2029: 950.0}
HAND_JAPAN_BY_FY = {2028: 720.0, 2029: 570.0}
HAND_REDUCTIONS_BY_FY = {2027: 950.0, 2028: 1200.0}
HAND_SPEND_BY_FY = {2026: round(1.0 + 2.0 * 6 / 18, 6), 2027: round(2.0 * 12 / 18, 6)}


def build(base: dict[str, Any] | None = None, **changes: Any) -> Scenario:
    """Validate a copy of ``base`` (default: the hand-worked case) with dotted-path changes.

    ``build(**{"projects.demo.main_success_prob": 0.5})`` sets one field.
    """
    raw = copy.deepcopy(base if base is not None else HAND_WORKED)
    for path, value in changes.items():
        node = raw
        *head, last = path.split(".")
        for key in head:
            node = node.setdefault(key, {})
        node[last] = value
    return scenario_from_dict(raw)
