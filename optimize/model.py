"""Build the portfolio MIP as a Pyomo ``ConcreteModel``, one builder per constraint family.

Decision variables: binary ``x[k]`` for every (candidate, option) pair ``k`` — fund the
candidate with that option; at most one option per candidate. Rows are assembled as
:class:`~pyomo.core.expr.numeric_expr.LinearExpression` objects straight from coefficient
lists, which keeps the build fast (a few hundred thousand non-zeros per second).

Every builder takes ``relax``: the set of constraint families that get a non-negative slack
variable (used by :mod:`optimize.diagnose` to explain infeasibility). Families:
``budget``, ``min_projects``, ``country``, ``technology``, ``mandatory``, ``precedence``,
``staff``, ``target``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pe
from pyomo.core.expr.numeric_expr import LinearExpression

from optimize.objectives import normalize_params
from optimize.problem import PortfolioProblem

__all__ = [
    "CVAR_FORMS",
    "FAMILIES",
    "ModelIndex",
    "build_model",
    "add_variables",
    "add_choice_constraints",
    "add_budget_constraints",
    "add_rule_constraints",
    "add_expected_objective",
    "add_cvar_objective",
    "add_prob_target_objective",
    "add_min_cost_objective",
    "add_weighted_objective",
    "add_slack_objective",
]

#: Ways of writing the CVaR rows (see :func:`_cvar_expr`); the first is the default.
CVAR_FORMS = ("compact", "plain")

#: Constraint families that can be relaxed with slack variables.
FAMILIES = (
    "budget",
    "min_projects",
    "country",
    "technology",
    "mandatory",
    "precedence",
    "staff",
    "target",
)


@dataclass
class ModelIndex:
    """Bookkeeping attached to the model as ``model.jcm``.

    Attributes
    ----------
    pairs : list of (int, int)
        ``pairs[k] = (candidate index, option index)`` for variable ``x[k]``.
    ks_of : list of list of int
        Variable indices of each candidate's options.
    slacks : list of (str, object, VarData)
        ``(family, key, slack variable)`` for every relaxed row.
    """

    pairs: list[tuple[int, int]]
    ks_of: list[list[int]]
    slacks: list = field(default_factory=list)


def _lin(coefs, variables, constant=0.0):
    return LinearExpression(
        constant=float(constant), linear_coefs=list(coefs), linear_vars=list(variables)
    )


def _add_row(m, family, key, coefs, variables, lb=None, ub=None, relax=frozenset()):
    """Add ``lb <= Σ coefs·vars <= ub`` to the ConstraintList ``m.rows_<family>``.

    With ``family in relax`` a non-negative slack loosens the row in the needed direction.
    """
    coefs, variables = list(coefs), list(variables)
    if family in relax:
        slack = m.slack.add()
        slack.setlb(0.0)
        m.jcm.slacks.append((family, key, slack))
        coefs.append(1.0 if lb is not None else -1.0)
        variables.append(slack)
    if not variables:
        if (lb is None or lb <= 1e-9) and (ub is None or ub >= -1e-9):
            return
        variables, coefs = [m.zero], [0.0]  # an empty row HiGHS will find infeasible
    name = f"rows_{family}"
    if m.component(name) is None:
        m.add_component(name, pe.ConstraintList())
    m.component(name).add((lb, _lin(coefs, variables), ub))


def add_variables(m, problem: PortfolioProblem) -> None:
    """Binary ``x[k]`` per (candidate, option); forbidden or screened-out ones fixed at 0."""
    pairs, ks_of = [], []
    for i, cand in enumerate(problem.candidates):
        ks_of.append(list(range(len(pairs), len(pairs) + len(cand.options))))
        pairs.extend((i, o) for o in range(len(cand.options)))
    m.jcm = ModelIndex(pairs=pairs, ks_of=ks_of)
    m.x = pe.Var(range(len(pairs)), domain=pe.Binary)
    m.slack = pe.VarList(domain=pe.NonNegativeReals)
    m.zero = pe.Var(bounds=(0.0, 0.0))
    screen = problem.rules.screen_only
    for i, cand in enumerate(problem.candidates):
        if cand.forbidden or (screen and not cand.passes_screen):
            for k in ks_of[i]:
                m.x[k].setub(0)


def _option(problem, m, k):
    i, o = m.jcm.pairs[k]
    return problem.candidates[i].options[o]


def add_choice_constraints(m, problem: PortfolioProblem) -> None:
    """At most one option per candidate: Σ_o x[i,o] ≤ 1.

    Written for single-option candidates too, so that every ``x`` reaches the solver even
    when it appears in no other row (its value must still be read back).
    """
    for ks in m.jcm.ks_of:
        _add_row(m, "choice", None, [1.0] * len(ks), [m.x[k] for k in ks], ub=1.0)


def add_budget_constraints(m, problem: PortfolioProblem, relax=frozenset()) -> None:
    """Fiscal-year budgets with carry-over.

    ``unspent[y] = budget[y] + carryover_share·unspent[y-1] − committed[y] − Σ cost·x``,
    ``unspent ≥ 0``; with ``budget`` relaxed, ``extra`` money may be added to a year.
    """
    years = problem.years
    m.unspent = pe.Var(years, domain=pe.NonNegativeReals)
    cost_rows = {fy: ([], []) for fy in years}
    for k in range(len(m.jcm.pairs)):
        for fy, cost in _option(problem, m, k).cost_by_fy.items():
            if cost:
                cost_rows[fy][0].append(cost)
                cost_rows[fy][1].append(m.x[k])
    share = problem.carryover_share
    for n, fy in enumerate(years):
        coefs, variables = list(cost_rows[fy][0]), list(cost_rows[fy][1])
        coefs.append(1.0)
        variables.append(m.unspent[fy])
        if n and share:
            coefs.append(-share)
            variables.append(m.unspent[years[n - 1]])
        rhs = problem.budget_by_fy[fy] - problem.committed_by_fy.get(fy, 0.0)
        if "budget" in relax:  # extra money: Σ ... − extra = rhs
            extra = m.slack.add()
            m.jcm.slacks.append(("budget", fy, extra))
            coefs.append(-1.0)
            variables.append(extra)
        _add_row(m, "budget", fy, coefs, variables, lb=rhs, ub=rhs)


def _add_group_limits(m, problem, attr, limit, share, relax):
    groups: dict[str, list[int]] = {}
    for i, cand in enumerate(problem.candidates):
        key = getattr(cand, attr)
        if key:
            groups.setdefault(key, []).append(i)
    all_ks = range(len(m.jcm.pairs))
    for key, members in sorted(groups.items()):
        ks = [k for i in members for k in m.jcm.ks_of[i]]
        if limit is not None and limit < len(members):
            _add_row(m, attr, (key, "count"), [1.0] * len(ks), [m.x[k] for k in ks],
                     ub=float(limit), relax=relax)
        if share is not None:
            inside = set(ks)
            coefs = [(1.0 - share) if k in inside else -share for k in all_ks]
            _add_row(m, attr, (key, "share"), coefs, [m.x[k] for k in all_ks], ub=0.0,
                     relax=relax)


def add_rule_constraints(m, problem: PortfolioProblem, relax=frozenset()) -> None:
    """Minimum projects, per-country/technology limits, mandatory, precedence, staff.

    Screen and forbidden candidates are handled as variable bounds in :func:`add_variables`.
    Country and technology limits count selected candidates only (an empty country or
    technology is exempt); the share limits compare with the number of selected candidates.
    """
    rules = problem.rules
    xs = [m.x[k] for k in range(len(m.jcm.pairs))]
    if rules.min_projects is not None:
        need = rules.min_projects - problem.fixed_projects
        if need > 0:
            _add_row(m, "min_projects", None, [1.0] * len(xs), xs, lb=float(need), relax=relax)
    _add_group_limits(m, problem, "country", rules.max_per_country,
                      rules.max_share_per_country, relax)
    _add_group_limits(m, problem, "technology", rules.max_per_technology,
                      rules.max_share_per_technology, relax)
    for i, cand in enumerate(problem.candidates):
        if cand.mandatory:
            ks = m.jcm.ks_of[i]
            _add_row(m, "mandatory", cand.id, [1.0] * len(ks), [m.x[k] for k in ks], lb=1.0,
                     relax=relax)
    index = {c.id: i for i, c in enumerate(problem.candidates)}
    for i, cand in enumerate(problem.candidates):
        for req in cand.requires:
            j = index[req]
            req_opts = problem.candidates[j].options
            for o, opt in enumerate(cand.options):
                earlier = [m.jcm.ks_of[j][p] for p, ro in enumerate(req_opts)
                           if ro.start_fy < opt.start_fy]
                k = m.jcm.ks_of[i][o]
                _add_row(m, "precedence", (cand.id, req, opt.start_fy),
                         [1.0] + [-1.0] * len(earlier),
                         [m.x[k]] + [m.x[e] for e in earlier], ub=0.0, relax=relax)
    if rules.staff_limit is not None:
        running: dict[int, list[int]] = {fy: [] for fy in problem.fixed_staff_by_fy}
        for k in range(len(m.jcm.pairs)):
            for fy in _option(problem, m, k).running_fys:
                running.setdefault(fy, []).append(k)
        for fy in sorted(running):
            cap = rules.staff_limit - problem.fixed_staff_by_fy.get(fy, 0)
            ks = running[fy]
            if len(ks) <= cap:
                continue
            _add_row(m, "staff", fy, [1.0] * len(ks), [m.x[k] for k in ks], ub=float(cap),
                     relax=relax)


def _expected_expr(m, problem):
    ks = range(len(m.jcm.pairs))
    return _lin([_option(problem, m, k).value_mean for k in ks], [m.x[k] for k in ks],
                problem.fixed_value_mean)


def _scenario_matrix(m, problem) -> np.ndarray:
    """Value per (variable, scenario), shape ``(K, S)``."""
    rows = [_option(problem, m, k).value_scenarios for k in range(len(m.jcm.pairs))]
    if not rows:
        return np.zeros((0, problem.n_scenarios))
    return np.vstack(rows)


#: Largest relative difference at which two options' scenario values count as proportional.
PROPORTIONAL_RTOL = 1e-12


def _proportional_groups(values: np.ndarray, ks: list[int]) -> list[tuple[list[int], list[float]]]:
    """Split the options ``ks`` of one candidate into groups with proportional scenario values.

    Returns ``(members, factors)`` per group: ``values[k] == factor · values[members[0]]`` for
    every member, to within :data:`PROPORTIONAL_RTOL` of the largest value. Options whose
    scenario values are all zero are left out (they add nothing to any scenario).
    """
    groups: list[tuple[list[int], list[float]]] = []
    for k in ks:
        v = values[k]
        scale = float(np.max(np.abs(v))) if v.size else 0.0
        if scale == 0.0:
            continue
        for members, factors in groups:
            ref = values[members[0]]
            c = float(v @ ref) / float(ref @ ref)
            if np.max(np.abs(v - c * ref)) <= PROPORTIONAL_RTOL * scale:
                members.append(k)
                factors.append(c)
                break
        else:
            groups.append(([k], [1.0]))
    return groups


def _cvar_expr(m, problem, alpha, form="compact", bounded=True):
    """Add the Rockafellar–Uryasev rows for CVaR_alpha; return the CVaR expression.

    ``η − Σ_s w_s u_s / ((1 − α) S)`` with ``u_s ≥ η − total_s``, ``u_s ≥ 0``.

    ``form="plain"`` writes one row per scenario over every ``x`` (the textbook form).
    ``form="compact"`` (default) writes the same programme with fewer non-zeros; the
    optimum is unchanged:

    * options of a candidate whose scenario values are proportional (e.g. a later start
      delivering a fixed share of an earlier one) enter the scenario rows through one
      continuous ``y = Σ factor·x`` per group, so a row holds one entry per candidate
      instead of one per option;
    * identical scenarios share one row, weighted by their count ``w_s``;
    * with ``bounded``: η lies between the smallest and largest total any selection can
      reach (an optimal η is one of the scenario totals) and
      ``u_s ≤ η_max − (smallest total of scenario s)``. Only valid when CVaR is maximised
      (a positive weight), hence the switch.
    """
    values = _scenario_matrix(m, problem)
    fixed = problem.fixed_scenarios()
    n_s = fixed.size
    if form == "plain":
        m.eta = pe.Var()
        m.u = pe.Var(range(n_s), domain=pe.NonNegativeReals)
        m.cvar_rows = pe.ConstraintList()
        xs = [m.x[k] for k in range(values.shape[0])]
        for s in range(n_s):
            col = values[:, s]
            nz = np.flatnonzero(col)
            coefs = col[nz].tolist() + [1.0, -1.0]
            variables = [xs[k] for k in nz] + [m.u[s], m.eta]
            m.cvar_rows.add((-float(fixed[s]), _lin(coefs, variables), None))
        weight = 1.0 / ((1.0 - alpha) * n_s)
        return _lin([1.0] + [-weight] * n_s, [m.eta] + [m.u[s] for s in range(n_s)])
    if form != "compact":
        raise ValueError(f"unknown CVaR form {form!r}; choose 'compact' or 'plain'")

    # columns of the scenario rows: a single x, or the y of a proportional group
    m.y = pe.VarList()
    m.y_rows = pe.ConstraintList()
    columns, coef_rows = [], []
    lo = fixed.astype(float).copy()
    hi = fixed.astype(float).copy()
    for ks in m.jcm.ks_of:
        usable = [k for k in ks if m.x[k].ub != 0]
        # what the candidate adds to each scenario in the model, per choice (none: 0)
        reach = [np.zeros(n_s)]
        for members, factors in _proportional_groups(values, usable):
            reach.extend(f * values[members[0]] for f in factors)
            if len(members) == 1:
                columns.append(m.x[members[0]])
            else:
                y = m.y.add()
                y.setlb(min(0.0, *factors))
                y.setub(max(0.0, *factors))
                m.y_rows.add((0.0, _lin([1.0] + [-f for f in factors],
                                        [y] + [m.x[k] for k in members]), 0.0))
                columns.append(y)
            coef_rows.append(values[members[0]])
        reach = np.vstack(reach)
        lo += reach.min(axis=0)
        hi += reach.max(axis=0)
    coef = np.vstack(coef_rows) if coef_rows else np.zeros((0, n_s))
    # identical scenarios (same coefficients, same fixed value) share a row
    table = np.vstack([coef, fixed[None, :]]).T
    unique, first, counts = np.unique(table, axis=0, return_index=True, return_counts=True)
    order = np.argsort(first)  # keep the scenarios' original order
    rows, counts, first = unique[order], counts[order], first[order]
    n_u = rows.shape[0]
    m.eta = pe.Var()
    m.u = pe.Var(range(n_u), domain=pe.NonNegativeReals)
    if bounded:
        eta_lo, eta_hi = float(lo.min()), float(hi.max())
        m.eta.setlb(eta_lo)
        m.eta.setub(eta_hi)
        for j in range(n_u):
            m.u[j].setub(max(0.0, eta_hi - float(lo[first[j]])))
    m.cvar_rows = pe.ConstraintList()
    for j in range(n_u):
        nz = np.flatnonzero(rows[j, :-1])
        coefs = rows[j, nz].tolist() + [1.0, -1.0]
        variables = [columns[c] for c in nz] + [m.u[j], m.eta]
        m.cvar_rows.add((-float(rows[j, -1]), _lin(coefs, variables), None))
    weight = 1.0 / ((1.0 - alpha) * n_s)
    return _lin([1.0] + [-weight * float(c) for c in counts],
                [m.eta] + [m.u[j] for j in range(n_u)])


def add_expected_objective(m, problem: PortfolioProblem) -> None:
    """Maximise fixed_value_mean + Σ value_mean·x."""
    m.objective = pe.Objective(expr=_expected_expr(m, problem), sense=pe.maximize)


def add_cvar_objective(
    m, problem: PortfolioProblem, alpha: float, form: str = "compact"
) -> None:
    """Maximise CVaR_alpha of the total value (Rockafellar & Uryasev 2000 linearisation).

    ``form``: ``compact`` (default) or ``plain``; both have the same optimum (see
    :func:`_cvar_expr`).
    """
    m.objective = pe.Objective(expr=_cvar_expr(m, problem, alpha, form), sense=pe.maximize)


def add_prob_target_objective(
    m, problem: PortfolioProblem, target: float, per_demo: bool = False
) -> None:
    """Maximise the share of scenarios whose total value meets the target (SAA).

    Row per scenario: Σ a_k x_k ≥ b_s − M_s (1 − z_s), with a_k = value_k,s
    (− target·demo_count_k if ``per_demo``) and b_s = target (· fixed_demo_count) − fixed_s.
    M_s = b_s − (smallest possible Σ a x), from the data; scenarios that can never meet the
    target get z_s = 0, those that always do need no row.
    """
    values = _scenario_matrix(m, problem)
    fixed = problem.fixed_scenarios()
    n_s = fixed.size
    if per_demo:
        demo = np.array([_option(problem, m, k).demo_count for k in range(values.shape[0])])
        coef = values - target * demo[:, None]
        rhs = target * problem.fixed_demo_count - fixed
    else:
        coef = values
        rhs = target - fixed
    lo = np.zeros(n_s)
    hi = np.zeros(n_s)
    for ks in m.jcm.ks_of:
        usable = [k for k in ks if m.x[k].ub != 0]
        if usable:
            block = coef[usable]
            lo += np.minimum(block.min(axis=0), 0.0)
            hi += np.maximum(block.max(axis=0), 0.0)
    m.z = pe.Var(range(n_s), domain=pe.Binary)
    m.target_rows = pe.ConstraintList()
    xs = [m.x[k] for k in range(values.shape[0])]
    for s in range(n_s):
        big_m = rhs[s] - lo[s]
        if big_m <= 0:
            continue  # met whatever is chosen
        if rhs[s] > hi[s] + 1e-9 * max(1.0, abs(rhs[s])):
            m.z[s].setub(0)  # can never be met
            continue
        nz = np.flatnonzero(coef[:, s])
        coefs = coef[nz, s].tolist() + [-big_m]
        variables = [xs[k] for k in nz] + [m.z[s]]
        m.target_rows.add((rhs[s] - big_m, _lin(coefs, variables), None))
    m.objective = pe.Objective(
        expr=_lin([1.0 / n_s] * n_s, [m.z[s] for s in range(n_s)]), sense=pe.maximize
    )


def add_min_cost_objective(
    m, problem: PortfolioProblem, target: float, relax=frozenset()
) -> None:
    """Minimise the total cost of the selection, 億円, with expected value ≥ ``target``."""
    ks = range(len(m.jcm.pairs))
    xs = [m.x[k] for k in ks]
    means = [_option(problem, m, k).value_mean for k in ks]
    _add_row(m, "target", target, means, xs, lb=target - problem.fixed_value_mean, relax=relax)
    costs = [_option(problem, m, k).cost_total_oku_yen for k in ks]
    m.objective = pe.Objective(expr=_lin(costs, xs), sense=pe.minimize)


def add_weighted_objective(
    m, problem: PortfolioProblem, weights: dict, alpha: float, form: str = "compact"
) -> None:
    """Maximise weights["expected"]·expected + weights["cvar"]·CVaR_alpha."""
    expr = weights.get("expected", 0.0) * _expected_expr(m, problem)
    if weights.get("cvar", 0.0):
        cvar = _cvar_expr(m, problem, alpha, form, bounded=weights["cvar"] > 0)
        expr = expr + weights["cvar"] * cvar
    m.objective = pe.Objective(expr=expr, sense=pe.maximize)


def add_slack_objective(m, weights: dict[str, float]) -> None:
    """Minimise the weighted sum of slack (diagnosis of an infeasible problem)."""
    coefs = [weights.get(fam, 1.0) for fam, _, _ in m.jcm.slacks]
    variables = [var for _, _, var in m.jcm.slacks]
    m.objective = pe.Objective(expr=_lin(coefs, variables), sense=pe.minimize)


def build_model(
    problem: PortfolioProblem,
    objective: str = "expected",
    relax: frozenset[str] | None = None,
    slack_weights: dict[str, float] | None = None,
    cvar_form: str = "compact",
    **params,
) -> pe.ConcreteModel:
    """Build the MIP for ``problem`` and ``objective`` (see :mod:`optimize.objectives`).

    Parameters
    ----------
    relax : frozenset of str, optional
        Families (see :data:`FAMILIES`) that get slack variables. When given, the objective
        is replaced by the weighted slack sum (``slack_weights``, default 1 per unit).
    cvar_form : str
        How the CVaR rows are written: ``compact`` (default) or ``plain`` (one row per
        scenario over every option, the textbook form); the optimum is the same.
    **params
        Objective parameters (``alpha``, ``target``, ``per_demo``, ``weights``).
    """
    params = normalize_params(problem, objective, params)
    relax = frozenset(relax or ())
    unknown = relax - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown constraint families {sorted(unknown)}")
    if cvar_form not in CVAR_FORMS:
        raise ValueError(f"unknown CVaR form {cvar_form!r}; choose one of {CVAR_FORMS}")
    m = pe.ConcreteModel(name="jcm_portfolio")
    add_variables(m, problem)
    add_choice_constraints(m, problem)
    add_budget_constraints(m, problem, relax)
    add_rule_constraints(m, problem, relax)
    if relax:
        if objective == "min_cost":
            ks = range(len(m.jcm.pairs))
            _add_row(m, "target", params["target"],
                     [_option(problem, m, k).value_mean for k in ks], [m.x[k] for k in ks],
                     lb=params["target"] - problem.fixed_value_mean, relax=relax)
        add_slack_objective(m, slack_weights or {})
    elif objective == "expected":
        add_expected_objective(m, problem)
    elif objective == "cvar":
        add_cvar_objective(m, problem, params["alpha"], cvar_form)
    elif objective == "prob_target":
        add_prob_target_objective(m, problem, params["target"], params["per_demo"])
    elif objective == "min_cost":
        add_min_cost_objective(m, problem, params["target"])
    else:
        add_weighted_objective(m, problem, params["weights"], params["alpha"], cvar_form)
    return m
