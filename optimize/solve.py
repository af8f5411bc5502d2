"""Solve a :class:`~optimize.problem.PortfolioProblem` with HiGHS and report honestly.

``status`` is ``optimal`` only when HiGHS proved it (to the requested ``mip_gap``, default
0); at the time limit the best portfolio found is reported with its bound and gap; an
infeasible problem is explained in plain words (:mod:`optimize.diagnose`); a solver failure
is ``error`` with the message. The reported ``objective_value`` is recomputed from the data
for the selected portfolio, and every portfolio is re-checked with :func:`check_solution`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from optimize.check import check_solution, spend_by_fy
from optimize.diagnose import diagnose
from optimize.model import build_model
from optimize.objectives import evaluate, normalize_params, sense
from optimize.problem import PortfolioProblem
from optimize.runner import run_highs

__all__ = ["Solution", "solve", "check_solution", "STATUSES"]

#: Every status a :class:`Solution` can carry.
STATUSES = ("optimal", "time_limit", "infeasible", "error")


@dataclass(frozen=True)
class Solution:
    """Outcome of one optimisation.

    Attributes
    ----------
    status : str
        ``optimal`` (proven by HiGHS), ``time_limit`` (best portfolio found, not proven;
        possibly none), ``infeasible`` or ``error``.
    objective : str
        Objective name (see :mod:`optimize.objectives`).
    objective_value : float or None
        Objective of the selected portfolio, recomputed from the data (``min_cost``: 億円).
    best_bound : float or None
        Best bound HiGHS proved on the objective.
    mip_gap : float or None
        Relative gap |bound − value| / |value| (None without a portfolio or bound).
    selected : list of (str, int)
        ``(candidate id, start_fy)`` pairs, in candidate order.
    spend_by_fy, budget_by_fy : dict[int, float]
        Spend (committed plus selected) and budget per fiscal year, 億円.
    build_seconds, solve_seconds : float
        Time to build the model (including passing it to HiGHS) and to solve it.
    message : str
        The outcome in plain words.
    params : dict
        Objective parameters used.
    diagnosis : tuple of str
        For ``infeasible``: which families need slack and how much.
    """

    status: str
    objective: str
    objective_value: float | None
    best_bound: float | None
    mip_gap: float | None
    selected: list[tuple[str, int]]
    spend_by_fy: dict[int, float]
    budget_by_fy: dict[int, float]
    build_seconds: float
    solve_seconds: float
    message: str
    params: dict = field(default_factory=dict)
    diagnosis: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready dict; fiscal-year keys as ``"FY2027"``, non-finite numbers as None."""

        def num(v):
            return None if v is None or not math.isfinite(v) else float(v)

        return {
            "status": self.status,
            "objective": self.objective,
            "objective_params": {k: v for k, v in self.params.items()},
            "objective_value": num(self.objective_value),
            "best_bound": num(self.best_bound),
            "mip_gap": num(self.mip_gap),
            "selected": [{"id": cid, "start_fy": int(fy)} for cid, fy in self.selected],
            "spend_by_fy": {f"FY{fy}": num(v) for fy, v in self.spend_by_fy.items()},
            "budget_by_fy": {f"FY{fy}": num(v) for fy, v in self.budget_by_fy.items()},
            "build_seconds": self.build_seconds,
            "solve_seconds": self.solve_seconds,
            "message": self.message,
            "diagnosis": list(self.diagnosis),
        }


def _gap(value: float, bound: float | None, direction: str) -> float | None:
    if bound is None or not math.isfinite(bound):
        return None
    diff = (bound - value) if direction == "max" else (value - bound)
    diff = max(diff, 0.0)
    if diff <= 1e-9 * max(1.0, abs(value)):
        return 0.0
    return math.inf if value == 0 else diff / abs(value)


def _selection(problem, model, x_values) -> list[tuple[str, int]]:
    out = []
    for (i, o), v in zip(model.jcm.pairs, x_values, strict=True):
        if v > 0.5:
            cand = problem.candidates[i]
            out.append((cand.id, cand.options[o].start_fy))
    return out


def solve(
    problem: PortfolioProblem,
    objective: str = "expected",
    time_limit_s: float = 60.0,
    mip_gap: float = 0.0,
    diagnose_infeasible: bool = True,
    **params,
) -> Solution:
    """Choose the portfolio that optimises ``objective`` under budgets and rules.

    Parameters
    ----------
    problem : PortfolioProblem
    objective : str
        ``expected``, ``cvar``, ``prob_target``, ``min_cost`` or ``weighted``.
    time_limit_s : float
        HiGHS time limit, seconds (an outer guard stops the solver shortly after).
    mip_gap : float
        Relative gap at which HiGHS may stop and call the result optimal (0: prove it).
    diagnose_infeasible : bool
        Re-solve with slack to explain infeasibility (two more solves).
    **params
        Objective parameters: ``alpha``, ``target``, ``per_demo``, ``weights``.

    Raises
    ------
    ValueError
        For an unknown objective or bad parameters.
    """
    params = normalize_params(problem, objective, params)
    if not time_limit_s > 0 or not math.isfinite(time_limit_s):
        raise ValueError(f"time_limit_s must be a positive number, got {time_limit_s}")
    if not 0.0 <= mip_gap < 1.0:
        raise ValueError(f"mip_gap must satisfy 0 <= mip_gap < 1, got {mip_gap}")
    direction = sense(objective)
    t0 = time.perf_counter()
    model = build_model(problem, objective, **params)
    build_py = time.perf_counter() - t0
    options = {"mip_feasibility_tolerance": 1e-9} if objective == "prob_target" else {}
    run = run_highs(model, {"x": [model.x[k] for k in range(len(model.jcm.pairs))]},
                    time_limit_s, mip_gap, options)
    common = dict(
        objective=objective,
        budget_by_fy=dict(problem.budget_by_fy),
        build_seconds=build_py + run.translate_seconds,
        solve_seconds=run.solve_seconds,
        params=params,
    )
    min_target = params["target"] if objective == "min_cost" else None

    if run.termination == "infeasible":
        lines = diagnose(problem, objective, params, time_limit_s) if diagnose_infeasible else []
        message = "infeasible: no portfolio meets every budget and rule"
        if lines:
            message += ". " + ". ".join(lines)
        return Solution(status="infeasible", objective_value=None, best_bound=None,
                        mip_gap=None, selected=[], spend_by_fy=spend_by_fy(problem, []),
                        message=message, diagnosis=tuple(lines), **common)

    if not run.has_solution:
        if run.termination in ("time_limit", "killed", "interrupted"):
            message = (run.message + "; " if run.message else "") + (
                f"time limit of {time_limit_s:g} s reached before any feasible portfolio "
                "was found"
            )
            status = "time_limit"
        else:
            status = "error"
            message = f"solver error ({run.termination}): {run.message or 'no solution'}"
        return Solution(status=status, objective_value=None,
                        best_bound=_finite_or_none(run.bound), mip_gap=None, selected=[],
                        spend_by_fy=spend_by_fy(problem, []), message=message, **common)

    selected = _selection(problem, model, run.values["x"])
    value = evaluate(problem, selected, objective, **params)
    bound = _finite_or_none(run.bound)
    gap = _gap(value, bound, direction)
    violations = check_solution(problem, selected, min_expected_value=min_target)
    notes = []
    if run.incumbent is not None and abs(run.incumbent - value) > 1e-6 * max(1.0, abs(value)):
        notes.append(f"the solver's own objective was {run.incumbent:.10g}")
    proven_gap = max(mip_gap, 1e-6)
    if violations:
        status = "error"
        message = "the solver returned a portfolio that breaks: " + "; ".join(violations)
    elif run.termination == "optimal" and gap is not None and gap > proven_gap * 1.01:
        # a proof the data does not bear out: numerical trouble, never called optimal
        status = "error"
        message = (f"the solver called the portfolio optimal, but its value {value:.6g} and "
                   f"its bound {bound:.6g} disagree (numerical trouble; check the size of "
                   "the values and costs)")
    elif run.termination == "optimal":
        status = "optimal"
        message = "optimal: proven by HiGHS"
        if mip_gap > 0:
            message += f" to within the requested relative gap of {mip_gap:g}"
    else:
        status = "time_limit"
        reason = run.message or f"time limit of {time_limit_s:g} s reached"
        gap_text = "unknown" if gap is None else f"{gap:.2%}"
        message = (
            f"{reason}: best portfolio found, NOT proven optimal (gap {gap_text}, "
            f"bound {bound if bound is not None else 'unknown'})"
        )
    if notes:
        message += " (" + "; ".join(notes) + ")"
    return Solution(status=status, objective_value=value, best_bound=bound, mip_gap=gap,
                    selected=selected, spend_by_fy=spend_by_fy(problem, selected),
                    message=message, **common)


def _finite_or_none(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)
