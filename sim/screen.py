"""The proposal screen applied at the demonstration-design proposal (expected values).

The document (達成目標): 実証事業のモニタリング期間で1,000t-CO₂以上のJCMクレジットが発行可能であり、
且つ実証事業終了後の普及展開期間で年間10,000t-CO₂以上の排出削減効果が見込まれる案件のみが原則として
提案可能（実証設計提案時）.

A demonstration proposal passes when (1) the credits expected from its monitoring period reach
``targets.screen_monitoring_credits_t`` (1,000 t by default) and (2) the reductions expected
once disseminated reach ``targets.screen_disseminated_t_per_yr`` (10,000 t/yr by default).

The monitoring period runs from the expected registration to the end of quantification
follow-up (the time NEDO's program monitors the project). The expected registration lies
``registration_delay_months`` after commissioning: the expected TPE validation, half the
country's expected interval between Joint Committee decisions (the mean wait for the next
one), and, when a methodology must be drafted first, whatever of its drafting (started with the
demonstration stage) outlasts the build plus another half interval for its approval. Credits are
expected reductions × mean performance ratio over that window. Methodology and
quantification-support projects are not screened.
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
        expected reductions [t/yr] × mean performance ratio × monitoring months / 12 [t].
    disseminated_t_per_yr : float
        mean market size [replications] × mean reductions per replication [t/yr].
    monitoring_months : float
        expected monitoring period: registration to the end of follow-up [months].
    registration_delay_months : float
        expected commissioning-to-registration delay (see the module docstring) [months].
    """

    id: str
    kind: str
    monitoring_credits_t: float
    disseminated_t_per_yr: float
    passes: bool
    reasons: tuple[str, ...]
    monitoring_months: float = 0.0
    registration_delay_months: float = 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


def registration_delay_months(project: Project, scenario: Scenario) -> float:
    """Expected months from commissioning to registration (see the module docstring)."""
    half_jc = scenario.jc_interval(project.country).mean / 2.0
    delay = scenario.assumptions.validation_months.mean + half_jc
    if project.methodology_needed:
        delay += max(project.methodology_months.mean - project.build_months.mean, 0.0) + half_jc
    return delay


def screen_project(project: Project, scenario: Scenario) -> ScreenResult:
    """Apply the proposal screen to one project using the means of its distributions."""
    targets: Targets = scenario.targets
    delay = registration_delay_months(project, scenario)
    months = max(project.main_months.mean + 12.0 * project.followup_years.mean - delay, 0.0)
    credits_t = project.expected_t_per_yr.mean * project.performance_ratio.mean * months / 12.0
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
        monitoring_months=months,
        registration_delay_months=delay,
    )


def screen_candidates(scenario: Scenario) -> list[ScreenResult]:
    """The screen of every candidate in the scenario, in file order."""
    return [screen_project(p, scenario) for p in scenario.candidates]
