"""Explain an infeasible problem in plain words by re-solving with slack variables.

Two relaxations are solved:

1. every constraint family gets slack, with money far cheaper than breaking a rule — so the
   answer says how much more money each fiscal year would need to keep every rule (and which
   rules cannot be met at any price);
2. budgets kept, only the rules get slack — so the answer says by how much the rules would
   have to give instead.

Each finding reads like "FY2027 budget short by 2.30 億円" or "minimum of 36 projects short
by 4".
"""

from __future__ import annotations

from optimize.model import FAMILIES, build_model
from optimize.problem import PortfolioProblem
from optimize.runner import run_highs

__all__ = ["diagnose", "describe_slack"]

#: Slack below this is treated as zero.
EPS = 1e-6
#: Penalty per unit of rule slack, against 1 per 億円 of extra budget.
RULE_PENALTY = 1000.0


def _count(amount: float) -> str:
    rounded = round(amount)
    return str(int(rounded)) if abs(amount - rounded) < 1e-6 else f"{amount:.2f}"


def describe_slack(problem: PortfolioProblem, family: str, key, amount: float) -> str:
    """One plain-language sentence for ``amount`` of slack on a row of ``family``."""
    rules = problem.rules
    if family == "budget":
        text = f"FY{key} budget short by {amount:.2f} 億円"
        committed = problem.committed_by_fy.get(key, 0.0)
        if committed > problem.budget_by_fy[key]:
            text += (
                f" (already committed spend {committed:.2f} 億円 exceeds the budget "
                f"{problem.budget_by_fy[key]:.2f} 億円)"
            )
        return text
    if family == "min_projects":
        return f"minimum of {rules.min_projects} projects short by {_count(amount)}"
    if family in ("country", "technology"):
        group, kind = key
        if kind == "count":
            limit = rules.max_per_country if family == "country" else rules.max_per_technology
            return (
                f"limit of {limit} projects per {family} exceeded by {_count(amount)} "
                f"in {family} {group}"
            )
        share = (
            rules.max_share_per_country if family == "country"
            else rules.max_share_per_technology
        )
        return (
            f"share limit of {share:.0%} per {family} exceeded by {amount:.2f} projects "
            f"in {family} {group}"
        )
    if family == "mandatory":
        cand = problem.candidate(key)
        why = ""
        if cand.forbidden or (rules.screen_only and not cand.passes_screen):
            why = " (it fails the proposal screen)" if not cand.passes_screen else ""
        return f"mandatory candidate {key} cannot be funded{why}"
    if family == "precedence":
        cid, req, fy = key
        return (
            f"candidate {cid} starting FY{fy} needs {req} selected and started in an "
            f"earlier fiscal year"
        )
    if family == "staff":
        return f"FY{key} staff limit of {rules.staff_limit} projects exceeded by {_count(amount)}"
    if family == "target":
        return f"expected value target {key:g} short by {amount:.6g}"
    return f"{family} {key} short by {amount:.6g}"


def _reasons(problem, objective, params, x_values, model) -> str:
    """Which rules force the spending in the budget-only relaxation."""
    reasons = []
    rules = problem.rules
    chosen = sum(1 for v in x_values if v > 0.5)
    need = (rules.min_projects or 0) - problem.fixed_projects
    if rules.min_projects is not None and need > 0 and chosen <= need:
        reasons.append(f"the {rules.min_projects}-project minimum")
    mandatory = [c.id for c in problem.candidates if c.mandatory]
    if mandatory:
        shown = ", ".join(mandatory[:5]) + (" …" if len(mandatory) > 5 else "")
        reasons.append(f"the mandatory candidates ({shown})")
    if objective == "min_cost":
        reasons.append(f"the expected value target {params['target']:g}")
    if not reasons and any(v > 0 for v in problem.committed_by_fy.values()):
        reasons.append("the spend already committed")
    return (", for " + " and ".join(reasons)) if reasons else ""


def _findings(problem, model, run) -> list[tuple[str, object, float]]:
    out = []
    for (family, key, _var), amount in zip(model.jcm.slacks, run.values.get("slack", []),
                                           strict=True):
        if amount > EPS * max(1.0, abs(amount)):
            out.append((family, key, amount))
    return out


def _relaxed_run(problem, objective, params, relax, weights, time_limit_s):
    model = build_model(problem, objective, relax=relax, slack_weights=weights, **params)
    groups = {
        "x": [model.x[k] for k in range(len(model.jcm.pairs))],
        "slack": [var for _, _, var in model.jcm.slacks],
    }
    return model, run_highs(model, groups, time_limit_s)


def diagnose(
    problem: PortfolioProblem, objective: str, params: dict, time_limit_s: float = 60.0
) -> list[str]:
    """Plain-language reasons why ``problem`` has no feasible portfolio.

    Returns
    -------
    list of str
        Sentences, most useful first; a single sentence saying the diagnosis failed if the
        relaxed problems could not be solved within ``time_limit_s`` each.
    """
    lines: list[str] = []
    weights = {fam: RULE_PENALTY for fam in FAMILIES}
    weights["budget"] = 1.0
    if objective == "min_cost":
        weights["target"] = RULE_PENALTY / max(1.0, abs(params["target"]))
    model, run = _relaxed_run(problem, objective, params, frozenset(FAMILIES), weights,
                              time_limit_s)
    if not run.has_solution:
        return [f"could not work out which rules conflict ({run.termination}) {run.message}"]
    found = _findings(problem, model, run)
    money = [f for f in found if f[0] == "budget"]
    rules = [f for f in found if f[0] != "budget"]
    if rules:
        words = "; ".join(describe_slack(problem, *f) for f in rules)
        lines.append(f"even with unlimited money: {words}")
    if money:
        reason = _reasons(problem, objective, params, run.values["x"], model)
        words = "; ".join(describe_slack(problem, *f) for f in money)
        if rules:
            lines.append(f"coming as close as possible{reason} also needs: {words}")
        else:
            lines.append(f"with every rule kept{reason}: {words}")
    if money:
        rule_fams = frozenset(FAMILIES) - {"budget"}
        rule_weights = dict(weights, **{f: 1.0 for f in rule_fams if f != "target"})
        model_b, run_b = _relaxed_run(problem, objective, params, rule_fams, rule_weights,
                                      time_limit_s)
        if run_b.has_solution:
            found_b = _findings(problem, model_b, run_b)
            if found_b:
                words = "; ".join(describe_slack(problem, *f) for f in found_b)
                lines.append(f"keeping the budgets instead: {words}")
        elif run_b.termination == "infeasible":
            lines.append("keeping the budgets, no change to the rules helps: "
                         "spend already committed exceeds the money available")
    if not lines:
        lines.append("no single constraint family explains it (numerical trouble?)")
    return [line[0].upper() + line[1:] for line in lines]
