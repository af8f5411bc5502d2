"""What the optimizer's metrics, target KPIs and compared policies are called: the names a
command line or a page offers before the optimizer (Pyomo, the simulation) is loaded."""

from __future__ import annotations

#: Metric name -> (description, unit).
METRICS: dict[str, tuple[str, str]] = {
    "credits_fy2030": ("credits issued by the end of FY2030", "t-CO2"),
    "demo_credits_fy2030": (
        "credits issued by demonstrations by the end of FY2030", "t-CO2"),
    "credits_fy2040": ("credits issued by the end of FY2040", "t-CO2"),
    "japan_credits_fy2030": ("Japan's credits by the end of FY2030", "t-CO2"),
    "japan_credits_fy2040": ("Japan's credits by the end of FY2040", "t-CO2"),
    "reductions_fy2040": (
        "reductions by the end of FY2040, dissemination included", "t-CO2"),
}

#: KPI id a planner may name for ``prob_target`` -> (metric, per demonstration).
TARGET_KPIS: dict[str, tuple[str, bool]] = {
    "avg_credits_per_demo_fy2030_t": ("demo_credits_fy2030", True),
    "credits_fy2030_t": ("credits_fy2030", False),
    "credits_fy2040_t": ("credits_fy2040", False),
    "japan_credits_fy2030_t": ("japan_credits_fy2030", False),
    "japan_credits_fy2040_t": ("japan_credits_fy2040", False),
}

#: Plans compared in the full model (:mod:`optimize.policies`) -> what they are.
POLICY_LABELS = {
    "optimizer": "the optimizer's portfolio",
    "proposal_may_slip": "the same portfolio, starts may slip to later years",
    "fund_all": "fund every candidate as early as possible",
    "greedy": "greedy by expected value per 億円",
    "improved": "local search from the best plan in the full model",
}
