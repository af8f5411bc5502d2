"""The uncertain inputs of a sensitivity analysis ("factors") and how to set one.

Every distribution in a scenario becomes part of a factor: the same field of every project of
one kind forms one factor ("all demonstrations' performance ratio"); the largest projects'
own size fields (design reductions, market size, cost) are factors of their own; each
program-wide assumption (validation, verification, Joint Committee interval) is a factor; so
is each remaining budget year and each capacity (staff, third-party entities).

A factor is set by a quantile ``u`` in (0, 1): every distribution in it is pinned to its own
``u``-quantile (all together, so "P10" means each project's P10). A pinned distribution still
draws from its random stream exactly as the original does and then returns the pinned value,
so every other draw in a trial stays the same (common random numbers across evaluations).
Budget years with a fixed amount vary by ±:data:`BUDGET_RANGE` around it; capacities over
half to one and a half times their value (both stated in the analysis' output).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from sensitivity.labels import describe, field_label, kind_label
from sim.distributions import (
    Bernoulli,
    Beta,
    Distribution,
    Fixed,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
)
from sim.scenario import Project, Scenario, Status

#: Relative range of a fixed budget year in the analysis (±20 %).
BUDGET_RANGE = 0.2
#: Capacities vary from this share of their value ...
CAPACITY_LOW = 0.5
#: ... to this share.
CAPACITY_HIGH = 1.5
#: Project fields that make a project "large"; the largest projects get these as own factors.
OWN_FIELDS = ("expected_t_per_yr", "market_size", "main_cost_oku_yen", "replication_t_per_yr")
#: Number of largest projects with factors of their own (default).
LARGEST_DEFAULT = 3


def quantile(d: Distribution, u: float) -> float:
    """The ``u``-quantile of a distribution (0 < u < 1)."""
    from scipy import stats

    if isinstance(d, Pinned):
        return d.value
    if isinstance(d, Fixed) or d.is_fixed:
        return float(d.mean)
    if isinstance(d, Uniform):
        return d.low + u * (d.high - d.low)
    if isinstance(d, Triangular):
        a, c, b = d.low, d.mode, d.high
        if b == a:
            return a
        f = (c - a) / (b - a)
        if u < f:
            return a + math.sqrt(u * (b - a) * (c - a))
        return b - math.sqrt((1 - u) * (b - a) * (b - c))
    if isinstance(d, Pert):
        if d.high == d.low:
            return d.low
        a, b = d._ab()
        return d.low + (d.high - d.low) * float(stats.beta.ppf(u, a, b))
    if isinstance(d, Beta):
        return d.low + (d.high - d.low) * float(stats.beta.ppf(u, d.a, d.b))
    if isinstance(d, Normal):
        return float(d._frozen().ppf(u)) if d.truncated else float(
            stats.norm.ppf(u, d.mu, d.sd))
    if isinstance(d, LogNormal):
        m, s = d._log_params()
        return float(math.exp(m + s * stats.norm.ppf(u)))
    if isinstance(d, Bernoulli):
        return 0.0 if u < 1 - d.p else 1.0
    # any other distribution: the empirical quantile of a fixed-seed sample
    sample = np.asarray(d.sample(np.random.default_rng(12345), 20001), dtype=float)
    return float(np.quantile(sample, u))


@dataclass(frozen=True)
class Pinned(Distribution):
    """A distribution held at one value that draws its random numbers like ``base``.

    ``sample`` calls ``base.sample`` with the same generator (so the stream advances as in
    the original scenario) and returns ``value``.
    """

    base: Distribution
    value: float
    kind: ClassVar[str] = "pinned"
    params: ClassVar[tuple[str, ...]] = ("value",)

    mean = property(lambda self: self.value)
    variance = property(lambda self: 0.0)
    support = property(lambda self: (self.value, self.value))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        self.base.sample(rng, size)
        return self.value if size is None else np.full(size, self.value)

    def to_text(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class Factor:
    """One input of the analysis.

    Attributes
    ----------
    id : str
        Stable id, e.g. ``demonstration.performance_ratio``, ``project:mx-waste-heat.market_size``,
        ``budget.FY2027``, ``assumptions.staff_limit``.
    kind : str
        ``"dist"`` (distributions pinned at a quantile), ``"budget"`` (a fixed budget year
        scaled), ``"capacity"`` (an integer capacity).
    targets : tuple
        Where it applies: ``("project", index, field)``, ``("budget", fy)``,
        ``("assumption", field)``, ``("country", name)``.
    dists : tuple of Distribution
        The distribution at each target (the fixed value for budget and capacity factors).
    field : str
        The scenario field it varies.
    scope : str
        ``kind:<kind>``, ``project:<id>``, ``budget``, ``program``.
    """

    id: str
    kind: str
    targets: tuple[tuple, ...]
    dists: tuple[Distribution, ...]
    field: str
    scope: str
    project_name: str = ""

    def label(self, lang: str = "en") -> str:
        """What the factor is, in plain words."""
        name = field_label(self.field, lang)
        if self.scope.startswith("kind:"):
            kind = kind_label(self.scope[5:], lang)
            return f"{kind}（全案件）：{name}" if lang == "ja" else f"{kind} (all): {name}"
        if self.scope.startswith("project:"):
            who = self.project_name or self.scope[8:]
            return f"{who}：{name}" if lang == "ja" else f"{who}: {name}"
        if self.scope == "budget":
            fy = self.targets[0][1]
            return f"{fy}年度の予算" if lang == "ja" else f"budget FY{fy}"
        return name

    def value_at(self, u: float) -> float:
        """The value the factor's first target takes at quantile ``u`` (for display)."""
        return _value(self, self.dists[0], u)

    def range_note(self, lang: str = "en") -> str:
        """How the analysis varies it, in plain words."""
        if self.kind == "budget":
            pct = f"{BUDGET_RANGE:.0%}"
            return (f"固定値の ±{pct}（分析上の幅）" if lang == "ja"
                    else f"±{pct} around the fixed amount (analysis range)")
        if self.kind == "capacity":
            return (f"現在値の {CAPACITY_LOW:g}～{CAPACITY_HIGH:g} 倍（分析上の幅）"
                    if lang == "ja"
                    else f"{CAPACITY_LOW:g} to {CAPACITY_HIGH:g} times today's value "
                    "(analysis range)")
        texts = sorted({describe(d, self.field, lang) for d in self.dists})
        shown = "; ".join(texts[:2]) + (" …" if len(texts) > 2 else "")
        return shown if len(texts) == 1 else (
            f"案件により異なる：{shown}" if lang == "ja" else f"differs by project: {shown}")


def _value(f: Factor, d: Distribution, u: float) -> float:
    if f.kind == "budget":
        return float(d.mean) * (1.0 + BUDGET_RANGE * (2.0 * u - 1.0))
    if f.kind == "capacity":
        base = float(d.mean)
        lo = max(1, math.floor(CAPACITY_LOW * base))
        hi = max(lo, math.ceil(CAPACITY_HIGH * base))
        return float(min(hi, lo + math.floor(u * (hi - lo + 1))))
    return quantile(d, u)


def _uncertain(d: Any) -> bool:
    return isinstance(d, Distribution) and not d.is_fixed


def _dist_fields() -> list[str]:
    """Project fields that hold a distribution, in model order."""
    from sim.distributions import Distribution as D

    out = []
    for name, info in Project.model_fields.items():
        meta = getattr(info, "annotation", None)
        if meta is D or "Distribution" in str(meta):
            out.append(name)
    return out


def _size(p: Project) -> float:
    """A project's design reductions per year [t/yr] (to rank the largest)."""
    return float(p.expected_t_per_yr.mean)


def build_factors(scenario: Scenario, largest: int = LARGEST_DEFAULT) -> list[Factor]:
    """Every factor of a scenario (see the module docstring).

    Parameters
    ----------
    largest : int
        How many of the largest projects not yet finished get factors of their own (0–20).
    """
    fields = _dist_fields()
    open_projects = [(i, p) for i, p in enumerate(scenario.projects)
                     if p.status is not Status.finished]
    ranked = sorted(open_projects, key=lambda ip: -_size(ip[1]))[:largest]
    own: set[tuple[int, str]] = set()
    factors: list[Factor] = []
    for i, p in ranked:
        for fld in OWN_FIELDS:
            d = getattr(p, fld)
            if _uncertain(d):
                own.add((i, fld))
                factors.append(Factor(f"project:{p.id}.{fld}", "dist", (("project", i, fld),),
                                      (d,), fld, f"project:{p.id}", p.name))
    group: list[Factor] = []
    kinds = sorted({p.kind.value for p in scenario.projects})
    for kind in kinds:
        for fld in fields:
            targets, dists = [], []
            for i, p in enumerate(scenario.projects):
                d = getattr(p, fld)
                if p.kind.value == kind and _uncertain(d) and (i, fld) not in own:
                    targets.append(("project", i, fld))
                    dists.append(d)
            if targets:
                group.append(Factor(f"{kind}.{fld}", "dist", tuple(targets), tuple(dists),
                                    fld, f"kind:{kind}"))
    factors = group + factors
    a = scenario.assumptions
    for fld in ("validation_months", "verification_months", "tpe_verification_months"):
        d = getattr(a, fld)
        if _uncertain(d):
            factors.append(Factor(f"assumptions.{fld}", "dist", (("assumption", fld),), (d,),
                                  fld, "program"))
    jc_targets: list[tuple] = []
    jc_dists: list[Distribution] = []
    if _uncertain(a.jc_interval_months):
        jc_targets.append(("assumption", "jc_interval_months"))
        jc_dists.append(a.jc_interval_months)
    for name, c in scenario.countries.items():
        if c.jc_interval_months is not None and _uncertain(c.jc_interval_months):
            jc_targets.append(("country", name))
            jc_dists.append(c.jc_interval_months)
    if jc_targets:
        factors.append(Factor("assumptions.jc_interval_months", "dist", tuple(jc_targets),
                              tuple(jc_dists), "jc_interval_months", "program"))
    prog = scenario.program
    for fy in sorted(scenario.budget_oku_yen):
        d = scenario.budget_oku_yen[fy]
        if fy < prog.as_of_fy or fy > prog.last_fy:
            continue
        if _uncertain(d):
            factors.append(Factor(f"budget.FY{fy}", "dist", (("budget", fy),), (d,),
                                  "budget_oku_yen", "budget"))
        elif d.mean > 0:
            factors.append(Factor(f"budget.FY{fy}", "budget", (("budget", fy),), (d,),
                                  "budget_oku_yen", "budget"))
    for fld in ("staff_limit", "tpe_capacity"):
        factors.append(Factor(f"assumptions.{fld}", "capacity", (("assumption", fld),),
                              (Fixed(float(getattr(a, fld))),), fld, "program"))
    return factors


def apply(scenario: Scenario, factors: list[Factor], u: np.ndarray | list[float]) -> Scenario:
    """The scenario with each factor ``k`` set to quantile ``u[k]`` (NaN: left as is)."""
    projects = list(scenario.projects)
    project_updates: dict[int, dict[str, Any]] = {}
    budget = dict(scenario.budget_oku_yen)
    assumption_updates: dict[str, Any] = {}
    countries = dict(scenario.countries)
    for f, uk in zip(factors, u, strict=True):
        if uk is None or not math.isfinite(float(uk)):
            continue
        uk = float(uk)
        for target, d in zip(f.targets, f.dists, strict=True):
            value = _value(f, d, uk)
            if f.kind == "capacity":
                assumption_updates[target[1]] = int(value)
                continue
            pinned = Pinned(d, value)
            where = target[0]
            if where == "project":
                project_updates.setdefault(target[1], {})[target[2]] = pinned
            elif where == "budget":
                budget[target[1]] = pinned
            elif where == "assumption":
                assumption_updates[target[1]] = pinned
            elif where == "country":
                countries[target[1]] = countries[target[1]].model_copy(
                    update={"jc_interval_months": pinned})
    for i, upd in project_updates.items():
        projects[i] = projects[i].model_copy(update=upd)
    return scenario.model_copy(update={
        "projects": tuple(projects),
        "budget_oku_yen": budget,
        "assumptions": scenario.assumptions.model_copy(update=assumption_updates),
        "countries": countries,
    })
