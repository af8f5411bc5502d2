"""The proposal screen applied at the demonstration-design proposal (expected values).

A demonstration proposal passes when (1) the credits expected within the demonstration's
monitoring period reach ``targets.screen_monitoring_credits_t`` (1,000 t by default) and (2) the
reductions expected once disseminated reach ``targets.screen_disseminated_t_per_yr``
(10,000 t/yr by default). Methodology and quantification-support projects are not screened.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sim.scenario import Kind, Project, Scenario, Targets


@dataclass(frozen=True)
class ScreenResult:
    """One candidate's screen.

    Attributes
    ----------
    monitoring_credits_t : float
        expected reductions [t/yr] × mean performance ratio × operation months / 12 [t].
    disseminated_t_per_yr : float
        mean market size [replications] × mean reductions per replication [t/yr].
    """

    id: str
    kind: str
    monitoring_credits_t: float
    disseminated_t_per_yr: float
    passes: bool
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


def screen_project(project: Project, targets: Targets) -> ScreenResult:
    """Apply the proposal screen to one project using the means of its distributions."""
    credits_t = (
        project.expected_t_per_yr.mean
        * project.performance_ratio.mean
        * project.main_months.mean
        / 12.0
    )
    dissem_t = project.market_size.mean * project.replication_t_per_yr.mean
    reasons: list[str] = []
    if project.kind is Kind.demonstration:
        if credits_t < targets.screen_monitoring_credits_t:
            reasons.append(
                f"{credits_t:,.0f} t in monitoring < {targets.screen_monitoring_credits_t:,.0f} t"
            )
        if dissem_t < targets.screen_disseminated_t_per_yr:
            reasons.append(
                f"{dissem_t:,.0f} t/yr disseminated < {targets.screen_disseminated_t_per_yr:,.0f}"
            )
    return ScreenResult(
        id=project.id,
        kind=project.kind.value,
        monitoring_credits_t=credits_t,
        disseminated_t_per_yr=dissem_t,
        passes=not reasons,
        reasons=tuple(reasons),
    )


def screen_candidates(scenario: Scenario) -> list[ScreenResult]:
    """The screen of every candidate in the scenario, in file order."""
    return [screen_project(p, scenario.targets) for p in scenario.candidates]
