"""Objective names, their parameters, and the exact value of a given portfolio under each.

The MIP in :mod:`optimize.model` linearises these objectives; the functions here compute the
same quantities directly from a selection, so every reported objective value can be
recomputed from the data and the brute-force tests have an independent reference.

Objectives
----------
``expected``
    fixed_value_mean + Σ value_mean of the selected options (maximised).
``cvar`` (``alpha``, default 0.9)
    Conditional value at risk of the total value: the mean of the worst ``1 - alpha`` share
    of scenarios (maximised).
``prob_target`` (``target``, ``per_demo`` default False)
    Share of scenarios whose total value meets ``target`` (or, with ``per_demo``,
    ``target`` × number of demonstration projects) (maximised).
``min_cost`` (``target``)
    Total cost of the selected options, 億円, with expected value ≥ ``target`` (minimised).
``weighted`` (``weights`` over ``expected``/``cvar``, ``alpha``)
    weights["expected"] × expected + weights["cvar"] × CVaR (maximised).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from optimize.problem import Option, PortfolioProblem

__all__ = [
    "OBJECTIVES",
    "normalize_params",
    "sense",
    "selected_options",
    "scenario_totals",
    "cvar_of",
    "evaluate",
]

#: Objective name -> allowed parameter names.
OBJECTIVES: dict[str, tuple[str, ...]] = {
    "expected": (),
    "cvar": ("alpha",),
    "prob_target": ("target", "per_demo"),
    "min_cost": ("target",),
    "weighted": ("weights", "alpha"),
}

#: Relative tolerance used when deciding whether a scenario meets a target.
TARGET_TOL = 1e-9


def sense(objective: str) -> str:
    """``"min"`` for ``min_cost``, ``"max"`` for every other objective."""
    return "min" if objective == "min_cost" else "max"


def normalize_params(problem: PortfolioProblem, objective: str, params: dict) -> dict:
    """Check the objective name and its parameters; fill defaults.

    Raises
    ------
    ValueError
        For an unknown objective, an unknown or missing parameter, an out-of-range value,
        or a scenario objective on a problem without scenarios.
    """
    if objective not in OBJECTIVES:
        raise ValueError(
            f"unknown objective {objective!r}; choose one of {', '.join(OBJECTIVES)}"
        )
    allowed = OBJECTIVES[objective]
    extra = sorted(set(params) - set(allowed))
    if extra:
        raise ValueError(f"objective {objective!r} takes no parameter(s) {extra}")
    out = dict(params)
    if objective in ("cvar", "weighted"):
        alpha = float(out.get("alpha", 0.9))
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"alpha must satisfy 0 <= alpha < 1, got {alpha}")
        out["alpha"] = alpha
    if objective in ("prob_target", "min_cost"):
        if out.get("target") is None:
            raise ValueError(f"objective {objective!r} needs a target")
        target = float(out["target"])
        if not math.isfinite(target):
            raise ValueError("target must be a finite number")
        out["target"] = target
    if objective == "prob_target":
        out["per_demo"] = bool(out.get("per_demo", False))
    if objective == "weighted":
        weights = dict(out.get("weights") or {})
        bad = sorted(set(weights) - {"expected", "cvar"})
        if bad or not weights:
            raise ValueError("weights must be a dict over 'expected' and 'cvar'")
        out["weights"] = {k: float(weights.get(k, 0.0)) for k in ("expected", "cvar")}
        if not all(math.isfinite(w) for w in out["weights"].values()):
            raise ValueError("weights must be finite numbers")
    needs_scenarios = objective in ("cvar", "prob_target") or (
        objective == "weighted" and out["weights"]["cvar"] != 0.0
    )
    if needs_scenarios and problem.n_scenarios == 0:
        raise ValueError(f"objective {objective!r} needs value scenarios; the problem has none")
    return out


def selected_options(
    problem: PortfolioProblem, selected: Iterable[tuple[str, int]]
) -> list[Option]:
    """The options a selection of ``(id, start_fy)`` pairs refers to (unknown pairs skipped)."""
    by_id = {c.id: c for c in problem.candidates}
    out = []
    for cid, fy in selected:
        cand = by_id.get(cid)
        if cand is None:
            continue
        for opt in cand.options:
            if opt.start_fy == int(fy):
                out.append(opt)
                break
    return out


def scenario_totals(problem: PortfolioProblem, selected: Iterable[tuple[str, int]]) -> np.ndarray:
    """Total value per scenario of the fixed projects plus the selection, shape ``(S,)``."""
    total = problem.fixed_scenarios().copy()
    for opt in selected_options(problem, selected):
        if opt.value_scenarios is not None:
            total = total + opt.value_scenarios
    return total


def cvar_of(totals: np.ndarray, alpha: float) -> float:
    """CVaR at level ``alpha`` (mean of the worst ``1 - alpha`` share) of equally likely values.

    Uses the Rockafellar–Uryasev form max_η η − E[(η − t)^+] / (1 − alpha), whose maximum is
    attained at one of the values, so it is exact also when ``(1 - alpha) S`` is fractional.
    """
    t = np.asarray(totals, dtype=float)
    eta = t[:, None]
    shortfall = np.maximum(eta - t[None, :], 0.0).mean(axis=1)
    return float(np.max(t - shortfall / (1.0 - alpha)))


def evaluate(
    problem: PortfolioProblem, selected: Iterable[tuple[str, int]], objective: str, **params
) -> float:
    """Exact objective value of a selection (for ``min_cost``, its total cost in 億円)."""
    params = normalize_params(problem, objective, params)
    selected = list(selected)
    opts = selected_options(problem, selected)
    expected = problem.fixed_value_mean + sum(o.value_mean for o in opts)
    if objective == "expected":
        return float(expected)
    if objective == "min_cost":
        return float(sum(o.cost_total_oku_yen for o in opts))
    totals = scenario_totals(problem, selected)
    if objective == "cvar":
        return cvar_of(totals, params["alpha"])
    if objective == "prob_target":
        need = params["target"]
        if params["per_demo"]:
            need = need * (problem.fixed_demo_count + sum(o.demo_count for o in opts))
        met = totals >= need - TARGET_TOL * max(1.0, abs(need))
        return float(np.mean(met))
    w = params["weights"]
    value = w["expected"] * expected
    if w["cvar"]:
        value += w["cvar"] * cvar_of(totals, params["alpha"])
    return float(value)
