"""The MIP optimum equals brute-force enumeration on small random instances.

Hypothesis draws instances with up to 12 candidates, 1-3 start options each, 2-5 budget years,
optional carry-over and every rule (minimum projects, per-country/technology count and share
limits, staff limit, screen, mandatory, forbidden, precedence). The brute force below
enumerates every selection and checks it with its own, independent rule checker; money and
values live on exact binary fractions so the comparison can be exact (1e-6 relative).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from optimize.objectives import evaluate
from optimize.problem import Candidate, Option, PortfolioProblem, Rules
from optimize.solve import check_solution, solve

FIRST_FY = 2026
MAX_COMBOS = 4096
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def instances(draw, n_scenarios: int = 0):
    """A random small PortfolioProblem (values integral, money in multiples of 0.5)."""
    n_years = draw(st.integers(2, 5))
    years = list(range(FIRST_FY, FIRST_FY + n_years))
    n = draw(st.integers(1, 12))
    countries = ["A", "B", "C", ""]
    techs = ["solar", "boiler", ""]
    combos = 1
    cands = []
    for i in range(n):
        room = MAX_COMBOS // combos
        k_max = max(0, min(3, room - 1, n_years))
        if k_max == 0:
            break
        k = draw(st.integers(1, k_max))
        combos *= k + 1
        starts = sorted(draw(st.lists(st.sampled_from(years), min_size=k, max_size=k,
                                      unique=True)))
        options = []
        for start in starts:
            length = draw(st.integers(1, 3))
            costs = {y: draw(st.integers(0, 8)) / 2 for y in range(start, start + length)
                     if y in years}
            scen = None
            if n_scenarios:
                scen = np.array(draw(st.lists(st.integers(0, 20), min_size=n_scenarios,
                                              max_size=n_scenarios)), dtype=float)
            options.append(Option(
                start_fy=start, cost_by_fy=costs, value_mean=draw(st.integers(0, 20)),
                value_scenarios=scen, demo_count=draw(st.sampled_from([0.0, 1.0])),
            ))
        mandatory = draw(st.integers(0, 14)) == 0
        forbidden = (not mandatory) and draw(st.integers(0, 14)) == 0
        requires = ()
        if i and draw(st.integers(0, 5)) == 0:
            requires = (f"c{draw(st.integers(0, i - 1))}",)
        cands.append(Candidate(
            id=f"c{i}", country=draw(st.sampled_from(countries)),
            technology=draw(st.sampled_from(techs)), options=tuple(options),
            mandatory=mandatory, forbidden=forbidden,
            passes_screen=draw(st.integers(0, 5)) > 0, requires=requires,
        ))
    n = len(cands)
    def maybe(strategy):  # each rule present about one time in three
        return draw(st.one_of(st.none(), st.none(), strategy))

    rules = Rules(
        min_projects=maybe(st.integers(0, n // 2 + 2)),
        max_per_country=maybe(st.integers(0, 3)),
        max_share_per_country=maybe(st.sampled_from([0.25, 0.5, 0.75])),
        max_per_technology=maybe(st.integers(1, 4)),
        max_share_per_technology=maybe(st.sampled_from([0.5, 0.75])),
        staff_limit=maybe(st.integers(1, 5)),
        screen_only=draw(st.booleans()),
    )
    fixed_scen = None
    if n_scenarios:
        fixed_scen = np.array(draw(st.lists(st.integers(0, 10), min_size=n_scenarios,
                                            max_size=n_scenarios)), dtype=float)
    return PortfolioProblem(
        candidates=tuple(cands),
        budget_by_fy={y: draw(st.integers(0, 24)) / 2 for y in years},
        carryover_share=draw(st.sampled_from([0.0, 0.0, 0.5, 1.0])),
        committed_by_fy={years[0]: draw(st.integers(0, 2)) / 2},
        fixed_projects=draw(st.integers(0, 2)),
        fixed_staff_by_fy={years[0]: draw(st.integers(0, 1))},
        fixed_value_scenarios=fixed_scen,
        fixed_value_mean=draw(st.integers(0, 5)),
        fixed_demo_count=draw(st.sampled_from([0.0, 1.0, 2.0])),
        rules=rules,
    )


# --- an independent reference: feasibility and objectives written out plainly -------------

def _feasible(p: PortfolioProblem, choice: tuple[int, ...], min_expected=None) -> bool:
    r = p.rules
    picked = [(c, c.options[o]) for c, o in zip(p.candidates, choice, strict=True) if o >= 0]
    start = {c.id: opt.start_fy for c, opt in picked}
    for c, o in zip(p.candidates, choice, strict=True):
        if c.mandatory and o < 0:
            return False
        if o >= 0 and (c.forbidden or (r.screen_only and not c.passes_screen)):
            return False
        if o >= 0 and any(q not in start or start[q] >= start[c.id] for q in c.requires):
            return False
    carried = 0.0
    for y, budget in p.budget_by_fy.items():
        spend = p.committed_by_fy.get(y, 0.0) + sum(opt.cost_by_fy.get(y, 0.0)
                                                    for _, opt in picked)
        left = budget + carried - spend
        if left < -1e-9:
            return False
        carried = p.carryover_share * left
    n = len(picked)
    if r.min_projects is not None and p.fixed_projects + n < r.min_projects:
        return False
    for attr, limit, share in (("country", r.max_per_country, r.max_share_per_country),
                               ("technology", r.max_per_technology,
                                r.max_share_per_technology)):
        for key in {getattr(c, attr) for c, _ in picked} - {""}:
            k = sum(1 for c, _ in picked if getattr(c, attr) == key)
            if (limit is not None and k > limit) or (share is not None and k > share * n):
                return False
    if r.staff_limit is not None:
        years = set(p.fixed_staff_by_fy) | {y for _, o in picked for y in o.running_fys}
        for y in years:
            busy = p.fixed_staff_by_fy.get(y, 0) + sum(1 for _, o in picked
                                                        if y in o.running_fys)
            if busy > r.staff_limit:
                return False
    if min_expected is not None:
        if p.fixed_value_mean + sum(o.value_mean for _, o in picked) < min_expected - 1e-9:
            return False
    return True


def _cvar_sorted(totals: np.ndarray, alpha: float) -> float:
    """Mean of the worst (1 - alpha) share, fractional scenario included pro rata."""
    t = np.sort(totals)
    k = (1 - alpha) * len(t)
    whole = int(math.floor(k + 1e-12))
    acc = t[:whole].sum()
    if k - whole > 1e-12:
        acc += (k - whole) * t[whole]
    return float(acc / k)


def _value(p, choice, objective, params) -> float:
    picked = [c.options[o] for c, o in zip(p.candidates, choice, strict=True) if o >= 0]
    if objective == "expected":
        return p.fixed_value_mean + sum(o.value_mean for o in picked)
    if objective == "min_cost":
        return sum(sum(o.cost_by_fy.values()) for o in picked)
    totals = p.fixed_value_scenarios + sum((o.value_scenarios for o in picked),
                                           np.zeros_like(p.fixed_value_scenarios))
    if objective == "cvar":
        return _cvar_sorted(totals, params["alpha"])
    need = params["target"]
    if params.get("per_demo"):
        need *= p.fixed_demo_count + sum(o.demo_count for o in picked)
    return float(np.mean(totals >= need))


def brute_force(p, objective, params):
    """Best objective value over all feasible selections, or None if there is none."""
    best = None
    min_expected = params["target"] if objective == "min_cost" else None
    for choice in itertools.product(*[range(-1, len(c.options)) for c in p.candidates]):
        if not _feasible(p, choice, min_expected):
            continue
        v = _value(p, choice, objective, params)
        if best is None or (v < best if objective == "min_cost" else v > best):
            best = v
    return best


def _selection(p, choice):
    return [(c.id, c.options[o].start_fy) for c, o in zip(p.candidates, choice, strict=True)
            if o >= 0]


def _choice_of(p, selected):
    start = dict(selected)
    return tuple(
        next(i for i, o in enumerate(c.options) if o.start_fy == start[c.id])
        if c.id in start else -1
        for c in p.candidates
    )


def _compare(p, objective, params, **kw):
    best = brute_force(p, objective, params)
    sol = solve(p, objective, time_limit_s=60, **params, **kw)
    if currently_in_test_context():  # hypothesis statistics (--hypothesis-show-statistics)
        event(f"status {sol.status}")
        event(f"{len(sol.selected)} selected" if sol.selected else "none selected")
    if best is None:
        assert sol.status == "infeasible", sol.message
        assert sol.selected == []
        return sol
    assert sol.status == "optimal", sol.message
    assert check_solution(p, sol.selected,
                          min_expected_value=params.get("target")
                          if objective == "min_cost" else None) == []
    assert _feasible(p, _choice_of(p, sol.selected),
                     params["target"] if objective == "min_cost" else None)
    assert sol.objective_value == pytest.approx(best, rel=1e-6, abs=1e-9)
    assert _value(p, _choice_of(p, sol.selected), objective, params) == pytest.approx(
        best, rel=1e-6, abs=1e-9)
    assert sol.best_bound == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert sol.mip_gap == pytest.approx(0.0, abs=1e-6)
    return sol


@SETTINGS
@given(instances())
def test_expected_matches_brute_force(p):
    sol = _compare(p, "expected", {})
    if sol.status == "infeasible":
        assert sol.diagnosis, "an infeasible problem must be explained"


@SETTINGS
@given(instances(n_scenarios=5), st.sampled_from([0.0, 0.5, 0.7, 0.8]))
def test_cvar_matches_brute_force(p, alpha):
    _compare(p, "cvar", {"alpha": alpha}, diagnose_infeasible=False)


@SETTINGS
@given(instances(n_scenarios=4), st.integers(0, 60), st.booleans())
def test_prob_target_matches_brute_force(p, target, per_demo):
    if per_demo:
        target = target // 4
    _compare(p, "prob_target", {"target": float(target), "per_demo": per_demo},
             diagnose_infeasible=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 60))
def test_min_cost_matches_brute_force(p, target):
    _compare(p, "min_cost", {"target": float(target)}, diagnose_infeasible=False)


@settings(max_examples=60, deadline=None)
@given(instances(), st.data())
def test_check_solution_agrees_with_reference(p, data):
    """check_solution flags a selection exactly when the reference checker rejects it."""
    for _ in range(5):
        choice = tuple(data.draw(st.integers(-1, len(c.options) - 1)) for c in p.candidates)
        problems = check_solution(p, _selection(p, choice))
        assert (problems == []) == _feasible(p, choice), problems


def test_cvar_formulas_agree():
    """The R-U form used for reporting equals the sorted-tail definition."""
    from optimize.objectives import cvar_of

    rng = np.random.default_rng(7)
    for _ in range(50):
        totals = rng.integers(0, 100, size=rng.integers(1, 12)).astype(float)
        alpha = float(rng.choice([0.0, 0.3, 0.5, 0.75, 0.9]))
        assert cvar_of(totals, alpha) == pytest.approx(_cvar_sorted(totals, alpha))


def test_evaluate_matches_reference_on_fixed_example():
    p = PortfolioProblem(
        candidates=(
            Candidate("a", options=(Option(2026, {2026: 1.0}, 3.0, np.array([1.0, 5.0])),)),
            Candidate("b", options=(Option(2027, {2027: 2.0}, 4.0, np.array([4.0, 0.0]),
                                           demo_count=0.0),)),
        ),
        budget_by_fy={2026: 1.0, 2027: 2.0},
        fixed_value_scenarios=np.array([0.0, 1.0]),
        fixed_value_mean=1.0,
        fixed_demo_count=1.0,
    )
    sel = [("a", 2026), ("b", 2027)]
    assert evaluate(p, sel, "expected") == 8.0
    assert evaluate(p, sel, "min_cost", target=0.0) == 3.0
    assert evaluate(p, sel, "cvar", alpha=0.5) == 5.0
    assert evaluate(p, sel, "prob_target", target=6.0) == 0.5
    assert evaluate(p, sel, "prob_target", target=3.0, per_demo=True) == 0.5
    assert evaluate(p, sel, "weighted", weights={"expected": 1.0, "cvar": 2.0},
                    alpha=0.5) == 18.0


# --- one rule at a time, made to bind: every family must change some optimum ----------------

def _seeded_problem(rng: np.random.Generator, family: str) -> PortfolioProblem:
    """A random instance where only ``family`` is active (and tight enough to matter)."""
    years = list(range(FIRST_FY, FIRST_FY + int(rng.integers(2, 5))))
    n = int(rng.integers(4, 8))
    cands = []
    for i in range(n):
        k = int(rng.integers(1, 3)) if family in ("precedence", "carryover", "staff") else 1
        starts = sorted(rng.choice(years, size=min(k, len(years)), replace=False).tolist())
        options = tuple(
            Option(start, {y: float(rng.integers(1, 7)) / 2
                           for y in range(start, start + int(rng.integers(1, 3))) if y in years},
                   float(rng.integers(1, 20)))
            for start in starts
        )
        cands.append(Candidate(
            id=f"c{i}", country=str(rng.choice(["A", "B"])),
            technology=str(rng.choice(["solar", "boiler"])), options=options,
            mandatory=family == "mandatory" and i == int(rng.integers(0, n)),
            forbidden=family == "forbidden" and rng.random() < 0.3,
            passes_screen=not (family == "screen" and rng.random() < 0.4),
            requires=(f"c{i - 1}",) if family == "precedence" and i and rng.random() < 0.5
            else (),
        ))
    rules = {
        "min_projects": Rules(min_projects=int(rng.integers(2, 4))),
        "country": Rules(max_per_country=1),
        "country_share": Rules(max_share_per_country=0.5),
        "technology": Rules(max_per_technology=1),
        "technology_share": Rules(max_share_per_technology=0.5),
        "staff": Rules(staff_limit=1),
        "screen": Rules(screen_only=True),
    }.get(family, Rules())
    return PortfolioProblem(
        candidates=tuple(cands),
        budget_by_fy={y: float(rng.integers(2, 9)) / 2 for y in years},
        carryover_share=0.5 if family == "carryover" else 0.0,
        rules=rules,
    )


def _without(p: PortfolioProblem, family: str) -> PortfolioProblem:
    import dataclasses

    cands = tuple(dataclasses.replace(c, mandatory=False, forbidden=False, passes_screen=True,
                                      requires=()) for c in p.candidates)
    return dataclasses.replace(p, candidates=cands, rules=Rules(), carryover_share=0.0)


@pytest.mark.parametrize("family", [
    "carryover", "precedence", "staff", "min_projects", "country", "country_share",
    "technology", "technology_share", "mandatory", "forbidden", "screen",
])
def test_each_rule_family_matches_brute_force(family):
    rng = np.random.default_rng([2026, *map(ord, family)])
    changed = 0
    for _ in range(12):
        p = _seeded_problem(rng, family)
        _compare(p, "expected", {}, diagnose_infeasible=False)
        if brute_force(p, "expected", {}) != brute_force(_without(p, family), "expected", {}):
            changed += 1
    assert changed, f"the {family} rule never changed the optimum: the test is too weak"
