"""The optimizer's input: candidates, their funding options, rules and fiscal-year budgets.

These frozen dataclasses know nothing about the simulation. A scenario run (or a planner's
spreadsheet) fills them in; :mod:`optimize.model` turns them into a mixed-integer programme.

Units: money in 億円 (oku yen, 100 million JPY), values in whatever the objective measures
(usually t-CO2 of credits), fiscal years as ints such as ``2027``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Option", "Candidate", "Rules", "PortfolioProblem"]


def _finite(value: float, what: str) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return value


def _scenario_array(values, what: str) -> np.ndarray | None:
    if values is None:
        return None
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D array (one value per scenario)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} holds NaN or infinite values")
    arr = arr.copy()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Option:
    """One way to fund a candidate: a start year and the spend it causes per fiscal year.

    Attributes
    ----------
    start_fy : int
        Fiscal year in which the project starts (e.g. ``2027``).
    cost_by_fy : dict[int, float]
        Spend per fiscal year, 億円; every value finite and non-negative.
    value_mean : float
        Expected value the option delivers (e.g. t-CO2 of credits by the target year).
    value_scenarios : numpy.ndarray or None
        Sampled value per scenario, shape ``(S,)``; the same ``S`` for every option of a
        problem. Required by the ``cvar`` and ``prob_target`` objectives.
    running_fys : tuple[int, ...]
        Fiscal years in which the project occupies a staff slot. Defaults to the years with
        a positive cost.
    demo_count : float
        How much the option adds to the count of demonstration projects (1 for a
        demonstration, 0 for methodology or quantification work).
    """

    start_fy: int
    cost_by_fy: dict[int, float]
    value_mean: float
    value_scenarios: np.ndarray | None = None
    running_fys: tuple[int, ...] | None = None
    demo_count: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "start_fy", int(self.start_fy))
        costs = {}
        for fy, cost in dict(self.cost_by_fy).items():
            cost = _finite(cost, f"cost in FY{fy}")
            if cost < 0:
                raise ValueError(f"cost in FY{fy} must not be negative, got {cost}")
            costs[int(fy)] = cost
        object.__setattr__(self, "cost_by_fy", costs)
        object.__setattr__(self, "value_mean", _finite(self.value_mean, "value_mean"))
        object.__setattr__(
            self, "value_scenarios", _scenario_array(self.value_scenarios, "value_scenarios")
        )
        if self.running_fys is None:
            running = tuple(sorted(fy for fy, c in costs.items() if c > 0))
        else:
            running = tuple(sorted({int(fy) for fy in self.running_fys}))
        object.__setattr__(self, "running_fys", running)
        demo = _finite(self.demo_count, "demo_count")
        if demo < 0:
            raise ValueError(f"demo_count must not be negative, got {demo}")
        object.__setattr__(self, "demo_count", demo)

    @property
    def cost_total_oku_yen(self) -> float:
        """Total spend over all fiscal years, 億円."""
        return float(sum(self.cost_by_fy.values()))


@dataclass(frozen=True)
class Candidate:
    """A project that may be funded with at most one of its options.

    Attributes
    ----------
    id : str
        Unique identifier.
    name, country, technology, kind : str
        Descriptive fields; an empty ``country`` or ``technology`` is exempt from the
        per-country or per-technology limits.
    options : tuple[Option, ...]
        The ways to fund it; start years must be distinct.
    mandatory, forbidden : bool
        Must (must not) be funded. Not both.
    passes_screen : bool
        Whether it passes the proposal screen (only matters with ``Rules.screen_only``).
    requires : tuple[str, ...]
        Ids of candidates (e.g. a methodology-development project) that must be selected and
        start in a strictly earlier fiscal year than this one.
    """

    id: str
    name: str = ""
    country: str = ""
    technology: str = ""
    kind: str = ""
    options: tuple[Option, ...] = ()
    mandatory: bool = False
    forbidden: bool = False
    passes_screen: bool = True
    requires: tuple[str, ...] = ()

    def __post_init__(self):
        if not str(self.id).strip():
            raise ValueError("candidate id must not be empty")
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "requires", tuple(str(r) for r in self.requires))
        if not self.options:
            raise ValueError(f"candidate {self.id!r} has no funding option")
        for opt in self.options:
            if not isinstance(opt, Option):
                raise ValueError(f"candidate {self.id!r}: options must be Option instances")
        starts = [o.start_fy for o in self.options]
        if len(set(starts)) != len(starts):
            raise ValueError(f"candidate {self.id!r} has two options with the same start year")
        if self.mandatory and self.forbidden:
            raise ValueError(f"candidate {self.id!r} is both mandatory and forbidden")
        if self.id in self.requires:
            raise ValueError(f"candidate {self.id!r} requires itself")


@dataclass(frozen=True)
class Rules:
    """Portfolio rules; ``None`` switches a rule off.

    Attributes
    ----------
    min_projects : int or None
        Minimum number of projects (running fixed projects count toward it).
    max_per_country, max_per_technology : int or None
        Maximum number of selected candidates per country (technology).
    max_share_per_country, max_share_per_technology : float or None
        Maximum share (0..1) of the selected candidates in one country (technology).
    staff_limit : int or None
        Maximum number of projects running in any fiscal year (fixed ones included).
    screen_only : bool
        Only candidates that pass the proposal screen may be selected.
    """

    min_projects: int | None = None
    max_per_country: int | None = None
    max_share_per_country: float | None = None
    max_per_technology: int | None = None
    max_share_per_technology: float | None = None
    staff_limit: int | None = None
    screen_only: bool = False

    def __post_init__(self):
        for name in ("min_projects", "max_per_country", "max_per_technology", "staff_limit"):
            value = getattr(self, name)
            if value is not None:
                if int(value) != value or value < 0:
                    raise ValueError(f"{name} must be a non-negative whole number, got {value}")
                object.__setattr__(self, name, int(value))
        for name in ("max_share_per_country", "max_share_per_technology"):
            value = getattr(self, name)
            if value is not None:
                value = _finite(value, name)
                if not 0.0 <= value <= 1.0:
                    raise ValueError(f"{name} must lie between 0 and 1, got {value}")
                object.__setattr__(self, name, value)


@dataclass(frozen=True)
class PortfolioProblem:
    """Everything the optimizer needs: candidates, money per fiscal year and the rules.

    Attributes
    ----------
    candidates : tuple[Candidate, ...]
        Candidate projects; ids unique.
    budget_by_fy : dict[int, float]
        Budget per fiscal year, 億円; the years must be consecutive and cover every year in
        which a candidate or a committed project spends.
    carryover_share : float
        Share (0..1) of a year's unspent money that is available in the next year.
    committed_by_fy : dict[int, float]
        Spend already committed by running projects, 億円.
    fixed_projects : int
        Running projects that count toward ``Rules.min_projects``.
    fixed_staff_by_fy : dict[int, int]
        Staff slots already taken per fiscal year by running projects.
    fixed_value_scenarios : numpy.ndarray or None
        Value already delivered by the running projects per scenario, shape ``(S,)``.
    fixed_value_mean : float
        Expected value already delivered by the running projects.
    fixed_demo_count : float
        Demonstration projects among the running ones.
    rules : Rules
        Portfolio rules.
    """

    candidates: tuple[Candidate, ...]
    budget_by_fy: dict[int, float]
    carryover_share: float = 0.0
    committed_by_fy: dict[int, float] = field(default_factory=dict)
    fixed_projects: int = 0
    fixed_staff_by_fy: dict[int, int] = field(default_factory=dict)
    fixed_value_scenarios: np.ndarray | None = None
    fixed_value_mean: float = 0.0
    fixed_demo_count: float = 0.0
    rules: Rules = field(default_factory=Rules)

    def __post_init__(self):
        cands = tuple(self.candidates)
        object.__setattr__(self, "candidates", cands)
        ids = [c.id for c in cands]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate candidate ids: {', '.join(dupes)}")
        known = set(ids)
        for c in cands:
            missing = [r for r in c.requires if r not in known]
            if missing:
                raise ValueError(f"candidate {c.id!r} requires unknown candidate(s) {missing}")

        budget = {}
        for fy, b in dict(self.budget_by_fy).items():
            b = _finite(b, f"budget in FY{fy}")
            if b < 0:
                raise ValueError(f"budget in FY{fy} must not be negative, got {b}")
            budget[int(fy)] = b
        if not budget:
            raise ValueError("budget_by_fy must hold at least one fiscal year")
        years = sorted(budget)
        if years != list(range(years[0], years[-1] + 1)):
            gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
            raise ValueError(
                "budget years must be consecutive; missing " + ", ".join(f"FY{y}" for y in gaps)
            )
        object.__setattr__(self, "budget_by_fy", dict(sorted(budget.items())))

        share = _finite(self.carryover_share, "carryover_share")
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"carryover_share must lie between 0 and 1, got {share}")
        object.__setattr__(self, "carryover_share", share)

        committed = {}
        for fy, c in dict(self.committed_by_fy).items():
            c = _finite(c, f"committed spend in FY{fy}")
            if c < 0:
                raise ValueError(f"committed spend in FY{fy} must not be negative")
            if int(fy) not in budget and c > 0:
                raise ValueError(f"committed spend in FY{fy}, a year with no budget")
            committed[int(fy)] = c
        object.__setattr__(self, "committed_by_fy", committed)

        for c in cands:
            for o in c.options:
                outside = [fy for fy, v in o.cost_by_fy.items() if v > 0 and fy not in budget]
                if outside:
                    raise ValueError(
                        f"candidate {c.id!r} (start FY{o.start_fy}) spends in "
                        f"FY{outside[0]}, a year with no budget"
                    )

        if int(self.fixed_projects) != self.fixed_projects or self.fixed_projects < 0:
            raise ValueError("fixed_projects must be a non-negative whole number")
        object.__setattr__(self, "fixed_projects", int(self.fixed_projects))
        staff = {}
        for fy, n in dict(self.fixed_staff_by_fy).items():
            if int(n) != n or n < 0:
                raise ValueError(f"fixed staff in FY{fy} must be a non-negative whole number")
            staff[int(fy)] = int(n)
        object.__setattr__(self, "fixed_staff_by_fy", staff)
        object.__setattr__(
            self, "fixed_value_mean", _finite(self.fixed_value_mean, "fixed_value_mean")
        )
        demo = _finite(self.fixed_demo_count, "fixed_demo_count")
        if demo < 0:
            raise ValueError("fixed_demo_count must not be negative")
        object.__setattr__(self, "fixed_demo_count", demo)

        fixed = _scenario_array(self.fixed_value_scenarios, "fixed_value_scenarios")
        object.__setattr__(self, "fixed_value_scenarios", fixed)
        sizes = {
            o.value_scenarios.size
            for c in cands
            for o in c.options
            if o.value_scenarios is not None
        }
        if fixed is not None:
            sizes.add(fixed.size)
        if len(sizes) > 1:
            raise ValueError(f"value_scenarios differ in length across options: {sorted(sizes)}")
        if sizes:
            lacking = [
                c.id for c in cands for o in c.options if o.value_scenarios is None
            ]
            if lacking:
                raise ValueError(
                    f"candidate {lacking[0]!r} has an option without value_scenarios while "
                    "others have them; give every option the same number of scenarios"
                )
        if not isinstance(self.rules, Rules):
            raise ValueError("rules must be a Rules instance")

    @property
    def years(self) -> list[int]:
        """The budget fiscal years in order."""
        return list(self.budget_by_fy)

    @property
    def n_scenarios(self) -> int:
        """Number of value scenarios (0 when the problem has none)."""
        if self.fixed_value_scenarios is not None:
            return int(self.fixed_value_scenarios.size)
        for c in self.candidates:
            for o in c.options:
                if o.value_scenarios is not None:
                    return int(o.value_scenarios.size)
        return 0

    def fixed_scenarios(self) -> np.ndarray:
        """Value of the running projects per scenario (zeros when not given)."""
        if self.fixed_value_scenarios is not None:
            return np.asarray(self.fixed_value_scenarios, dtype=float)
        return np.zeros(self.n_scenarios)

    def candidate(self, cid: str) -> Candidate:
        """The candidate with id ``cid``."""
        for c in self.candidates:
            if c.id == cid:
                return c
        raise KeyError(cid)
