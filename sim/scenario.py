"""The validated scenario: immutable pydantic models of everything a simulation needs.

A scenario file (see :mod:`sim.loader`) is turned into a :class:`Scenario` once, at the
boundary. Unknown keys, wrong types, NaN/inf, negative money or durations, probabilities that
could leave [0, 1], unknown countries or kinds and start years outside the horizon are all
rejected here. Every uncertain quantity is a :class:`sim.distributions.Distribution`.

Units: money in 億円 (``_oku_yen``), emissions in t-CO2 (``_t``), durations in months
(``_months``) or years (``_years``), fiscal years as integers (``fy``; FY2030 = 1 April 2030
to 31 March 2031).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Any, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim import limits
from sim.distributions import Distribution, DistributionError, parse_distribution


def _to_dist(value: Any) -> Distribution:
    try:
        return parse_distribution(value)
    except DistributionError as err:
        raise ValueError(str(err)) from None


def _check_support(lo_allowed: float, hi_allowed: float, what: str):
    def check(d: Distribution) -> Distribution:
        lo, hi = d.support
        if lo < lo_allowed or hi > hi_allowed:
            if d.is_fixed:
                raise ValueError(f"{what}, got {d.to_text()}")
            raise ValueError(f"{what}, but {d.to_text()} can take values in [{lo:g}, {hi:g}]")
        return d

    return check


_SER = PlainSerializer(lambda d: d.to_text() if not d.is_fixed else d.mean, return_type=Any)

#: Any real number or distribution.
Dist = Annotated[Distribution, BeforeValidator(_to_dist), _SER]
#: A quantity that can never be negative (money, durations, tonnes).
NonNeg = Annotated[
    Distribution,
    BeforeValidator(_to_dist),
    AfterValidator(_check_support(0.0, math.inf, "must never be negative")),
    _SER,
]
#: A probability or share: every possible value lies in [0, 1].
Prob = Annotated[
    Distribution,
    BeforeValidator(_to_dist),
    AfterValidator(_check_support(0.0, 1.0, "must be a probability in [0, 1]")),
    _SER,
]

FINITE = ConfigDict(
    extra="forbid",
    frozen=True,
    allow_inf_nan=False,
    arbitrary_types_allowed=True,
    validate_default=True,
)


def _flatten(annotation: Any) -> list[Any]:
    """The annotation and every type inside it (``Optional``, ``Annotated``, unions)."""
    out = [annotation]
    for arg in get_args(annotation):
        out.extend(_flatten(arg))
    return out


class _Model(BaseModel):
    """Base of every scenario model: true/false is accepted only where a yes/no is asked."""

    model_config = FINITE

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if annotation is not bool and annotation is not Any:
                types = _flatten(annotation)
                if Distribution in types:
                    expected = "a number or a distribution"
                elif any(isinstance(t, type) and issubclass(t, str) for t in types):
                    expected = "text"
                else:
                    expected = "a number"
                raise ValueError(f"must be {expected}, not {str(value).lower()}")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any, info: ValidationInfo) -> Any:
        """Every number within the documented bounds of :mod:`sim.limits`."""
        return limits.check_field(info.field_name, value)



class Kind(StrEnum):
    """Sub-program kind of a project."""

    demonstration = "demonstration"  # 実証事業 (with demonstration design)
    methodology = "methodology"  # 方法論開発事業
    quantification = "quantification"  # 定量化支援事業


class Status(StrEnum):
    """Where a project stands at the start of the simulation (1 April of ``as_of_fy``)."""

    candidate = "candidate"
    running = "running"
    finished = "finished"


class Stage(StrEnum):
    """Stage a running project is in."""

    design = "design"  # 実証設計 (demonstrations only)
    main = "main"  # the demonstration / methodology development / quantification support
    followup = "followup"  # 定量化フォローアップ: monitoring and issuance continue


class Program(_Model):
    """Program period, simulation start, horizon and evaluation years (fiscal years)."""

    model_config = FINITE
    first_fy: int = Field(2018, description="first fiscal year of the program")
    last_fy: int = Field(2027, description="last fiscal year of the program (no new starts after)")
    as_of_fy: int = Field(
        2026, description="the simulation starts on 1 April of this fiscal year"
    )
    horizon_fy: int = Field(2040, description="last fiscal year simulated (FY2040 at least)")
    midterm_evaluation_fy: int = Field(2027, description="fiscal year of the mid-term evaluation")
    final_evaluation_fy: int = Field(2028, description="fiscal year of the final evaluation")

    @model_validator(mode="after")
    def _order(self) -> Program:
        if not self.first_fy <= self.last_fy:
            raise ValueError("first_fy must not be after last_fy")
        if not self.first_fy <= self.as_of_fy <= self.last_fy + 1:
            raise ValueError("as_of_fy must lie within the program (or the year after it)")
        if self.horizon_fy < 2040:
            raise ValueError("horizon_fy must be 2040 or later (the FY2040 goal is a KPI)")
        if self.horizon_fy > 2100:
            raise ValueError("horizon_fy must be 2100 or earlier")
        for name in ("midterm_evaluation_fy", "final_evaluation_fy"):
            if not self.first_fy <= getattr(self, name) <= self.horizon_fy:
                raise ValueError(f"{name} must lie between first_fy and horizon_fy")
        return self

    @property
    def years(self) -> list[int]:
        """Every fiscal year from the program's first to the horizon."""
        return list(range(self.first_fy, self.horizon_fy + 1))


class Targets(_Model):
    """The program's targets (defaults from the NEDO program summary)."""

    model_config = FINITE
    projects_implemented: int = Field(36, ge=0, description="output target: projects started")
    avg_credits_per_demo_fy2030_t: float = Field(
        5000.0, ge=0, description="average credits issued per demonstration by end of FY2030 [t]"
    )
    dissemination_rate: float = Field(
        0.5, ge=0, le=1, description="share of finished demonstrations with ≥ 1 dissemination case"
    )
    dissemination_reduction_per_project_t: float = Field(
        100_000.0, ge=0, description="dissemination reductions a project should reach [t]"
    )
    projects_dissemination_100kt: int | None = Field(
        None, ge=0, description="number of projects reaching that amount (no number in document)"
    )
    projects_meeting_both: int = Field(
        1, ge=0, description="demonstrations meeting both outcome targets (5,000 t by FY2030 "
        "and 100,000 t over the dissemination period); the document asks for such projects"
    )
    ndc_goal_fy2030_t: float = Field(100e6, gt=0, description="national JCM goal by FY2030 [t]")
    ndc_goal_fy2040_t: float = Field(200e6, gt=0, description="national JCM goal by FY2040 [t]")
    screen_monitoring_credits_t: float = Field(
        1000.0, ge=0, description="proposal screen: credits issuable in the monitoring period [t]"
    )
    screen_disseminated_t_per_yr: float = Field(
        10_000.0, ge=0, description="proposal screen: reductions once disseminated [t/yr]"
    )


class Sourced(_Model):
    """A modelling assumption: its value (number or distribution) and where it comes from."""

    model_config = FINITE
    value: Any
    source: str = Field(min_length=1, description="a citation, or the word 'assumption'")


class Assumptions(_Model):
    """Program-wide modelling assumptions (each with its source, kept in ``Scenario.sources``)."""

    model_config = FINITE
    tpe_capacity: int = Field(4, ge=1, description="validations/verifications TPEs run at once")
    staff_limit: int = Field(12, ge=1, description="projects NEDO staff can manage at once")
    validation_months: NonNeg = Field(description="TPE validation before registration [months]")
    verification_months: NonNeg = Field(
        description="from the end of a monitoring period to the issuance request: the "
        "participants' monitoring report, the TPE's verification and the request [months]"
    )
    tpe_verification_months: NonNeg = Field(
        "triangular(1, 2, 4)",
        description="the part of verification_months a TPE works on it, holding one of the "
        "tpe_capacity slots (at most verification_months) [months]",
    )
    jc_interval_months: NonNeg = Field(
        description="months between Joint Committee decisions (default for every country)"
    )
    carryover_share: float = Field(
        0.0, ge=0, le=1, description="share of a year's unspent budget usable the next year"
    )
    carryover_compounds: bool = Field(
        False,
        description="carried-over money may be carried again (default: only a year's own "
        "budget carries over, once)",
    )
    contracts_after_program: bool = Field(
        True,
        description="stages contracted within the program are paid to their end after last_fy "
        "(multi-year commissioned work); false: years after last_fy pay only from [budget]",
    )
    crediting_after_followup_years: NonNeg = Field(
        0.0,
        description="years the participants go on issuing after NEDO's follow-up ends, counted "
        "in the credit KPIs [years]",
    )
    signing_to_first_registration_months: NonNeg = Field(
        "uniform(15, 74)",
        description="a new partner country's delay from signing the bilateral document to its "
        "first project registration [months] (countries without registered projects)",
    )

    @field_validator("jc_interval_months")
    @classmethod
    def _positive_interval(cls, d: Distribution) -> Distribution:
        if d.support[0] <= 0:
            raise ValueError("must be positive (Joint Committee decisions need time between them)")
        return d


class Country(_Model):
    """A JCM partner country and its Joint Committee cadence."""

    model_config = FINITE
    jc_interval_months: NonNeg | None = Field(
        None, description="months between JC decisions here (default: assumptions)"
    )
    jc_next_decision_month: float | None = Field(
        None, ge=0, description="months from the simulation start to the next JC decision "
        "(default: a random phase within the first interval)"
    )
    has_registered_projects: bool = Field(
        True, description="the country already has registered JCM projects"
    )
    signed: str | None = Field(
        None,
        pattern=r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$",
        description="month the bilateral document was signed, YYYY-MM (for the first "
        "registration delay of a country without registered projects)",
    )
    source: str = Field("assumption", description="where the cadence comes from")

    @field_validator("jc_interval_months")
    @classmethod
    def _positive_interval(cls, d: Distribution | None) -> Distribution | None:
        if d is not None and d.support[0] <= 0:
            raise ValueError("must be positive (Joint Committee decisions need time between them)")
        return d


class Project(_Model):
    """One project: running, finished, or a candidate the program could fund.

    Stage structure by kind: a demonstration has a design stage then the main stage (build,
    then operation with monitoring), then quantification follow-up; a methodology project has
    only the main stage (development) and then needs Joint Committee approval; a
    quantification-support project has the main stage (support) and brings privately financed
    reductions to issuance.
    """

    model_config = FINITE
    id: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="unique id: letters, digits, '-', '_' and '.'",
    )
    name: str = Field(min_length=1, description="readable name shown in tables")
    country: str = Field(description="partner country, one of [countries]")
    technology: str = Field(
        min_length=1, description="technology (methodology projects unlock the same one)"
    )
    kind: Kind = Field(description="sub-program: demonstration, methodology or quantification")
    status: Status = Field(description="candidate, running or finished at as_of_fy")
    source: str = Field("illustrative", description="citation, 'illustrative' or 'assumption'")

    # status details
    earliest_start_fy: int | None = Field(None, description="candidate: first FY it may start")
    latest_start_fy: int | None = Field(None, description="candidate: last FY (default last_fy)")
    started_fy: int | None = Field(None, description="running/finished: FY it started")
    stage: Stage | None = Field(
        None, description="running: current stage; finished: 'design' if it ended at the "
        "design study"
    )
    months_in_stage: float = Field(0.0, ge=0, description="running: months already spent in it")
    issued_t: float = Field(0.0, ge=0, description="credits issued before the simulation [t]")
    spent_oku_yen: float = Field(0.0, ge=0, description="money spent before the simulation")
    succeeded: bool = Field(True, description="finished: whether its main stage succeeded")
    finished_fy: int | None = Field(None, description="finished: FY its main stage ended")
    registered: bool = Field(
        False, description="running/finished: validated and registered by the JC already"
    )
    monitored_unissued_t: float = Field(
        0.0, ge=0, description="running/finished: reductions monitored, not yet issued [t]"
    )
    dissemination_cases_to_date: int | None = Field(
        None, ge=0, description="finished/running: replications known so far (blank: unknown)"
    )
    priority: int = Field(
        0, description="funding order: higher is funded first; ties in scenario order"
    )
    mandatory: bool = Field(False, description="optimizer: must be funded")
    forbidden: bool = Field(False, description="optimizer: must not be funded")

    # stages
    design_cost_oku_yen: NonNeg = Field(0.0, description="demonstration design cost [億円]")
    design_months: NonNeg = Field(0.0, description="demonstration design duration [months]")
    design_success_prob: Prob = Field(1.0, description="chance design leads to a demonstration")
    main_cost_oku_yen: NonNeg = Field(description="main-stage cost [億円]")
    build_months: NonNeg = Field(0.0, description="construction to commissioning [months]")
    main_months: NonNeg = Field(
        description="main stage duration [months] (demonstration: operation after commissioning)"
    )
    main_success_prob: Prob = Field(1.0, description="chance the main stage succeeds")

    # methodology
    methodology_needed: bool = Field(
        False, description="no approved JCM methodology yet for this technology and country"
    )
    methodology_months: NonNeg = Field(0.0, description="drafting a methodology [months]")
    methodology_approval_prob: Prob = Field(1.0, description="chance the JC approves it")

    # credits
    expected_t_per_yr: NonNeg = Field(0.0, description="design estimate of reductions [t/yr]")
    performance_ratio: NonNeg = Field(1.0, description="actual / expected reductions")
    registration_prob: Prob = Field(1.0, description="chance validation and registration succeed")
    issuance_prob: Prob = Field(1.0, description="chance a registered project ever issues")
    japan_share: Prob = Field(0.5, description="Japan's share of issued credits")
    monitoring_period_months: NonNeg = Field(12.0, description="length of a monitoring period")
    followup_years: NonNeg = Field(0.0, description="years issuance continues after main stage")

    # dissemination (Bass 1969)
    dissemination_prob: Prob = Field(0.0, description="chance of any dissemination")
    bass_p: NonNeg = Field(0.03, description="Bass innovation coefficient [1/yr]")
    bass_q: NonNeg = Field(0.38, description="Bass imitation coefficient [1/yr]")
    market_size: NonNeg = Field(0.0, description="potential replications m [count]")
    replication_t_per_yr: NonNeg = Field(0.0, description="reductions per replication [t/yr]")
    replication_lifetime_years: NonNeg = Field(15.0, description="lifetime of a replication")

    @model_validator(mode="after")
    def _status_fields(self) -> Project:
        s = self.status
        if s is Status.candidate:
            if self.earliest_start_fy is None:
                raise ValueError("a candidate needs earliest_start_fy")
            if self.stage is not None or self.started_fy is not None:
                raise ValueError("a candidate has no stage or started_fy (it has not started)")
        else:
            if self.started_fy is None:
                raise ValueError(f"a {s.value} project needs started_fy")
            if self.earliest_start_fy is not None or self.latest_start_fy is not None:
                raise ValueError(f"a {s.value} project has no earliest/latest_start_fy")
        if s is Status.running and self.stage is None:
            raise ValueError("a running project needs stage (design, main or followup)")
        if s is Status.finished and self.finished_fy is None:
            raise ValueError("a finished project needs finished_fy")
        if s is Status.candidate:
            recorded = {
                "registered": self.registered,
                "issued_t": self.issued_t > 0,
                "monitored_unissued_t": self.monitored_unissued_t > 0,
                "dissemination_cases_to_date": self.dissemination_cases_to_date is not None,
            }
            given = [k for k, v in recorded.items() if v]
            if given:
                raise ValueError(
                    f"a candidate has no history ({', '.join(given)} apply to running or "
                    "finished projects)"
                )
            first = self.design_cost_oku_yen if self.kind is Kind.demonstration else (
                self.main_cost_oku_yen
            )
            if first.support[1] <= 0:
                name = ("design_cost_oku_yen" if self.kind is Kind.demonstration
                        else "main_cost_oku_yen")
                raise ValueError(
                    f"a candidate's first stage must cost something ({name} is always 0): the "
                    "program funds a project by contracting its first stage"
                )
        if s is Status.finished and self.stage not in (None, Stage.design):
            raise ValueError(
                "a finished project has no stage, or stage = 'design' if it ended at the "
                "design study without a demonstration"
            )
        if self.stage is Stage.design and self.kind is not Kind.demonstration:
            raise ValueError("only demonstrations have a design stage")
        if (
            self.latest_start_fy is not None
            and self.earliest_start_fy is not None
            and self.latest_start_fy < self.earliest_start_fy
        ):
            raise ValueError("latest_start_fy is before earliest_start_fy")
        if self.bass_p.support[0] <= 0 and self.dissemination_prob.mean > 0:
            raise ValueError("bass_p must be positive when dissemination is possible")
        return self


class Scenario(_Model):
    """A complete, validated scenario."""

    model_config = FINITE
    name: str = Field(min_length=1)
    description: str = ""
    program: Program = Program()
    targets: Targets = Targets()
    budget_oku_yen: dict[int, NonNeg] = Field(
        description="budget per fiscal year [億円]; years not listed have none"
    )
    assumptions: Assumptions
    countries: dict[str, Country]
    projects: tuple[Project, ...]
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="where each assumption comes from, by dotted field path",
    )
    path: str = Field("", description="file the scenario was loaded from")

    @model_validator(mode="after")
    def _consistency(self) -> Scenario:
        prog = self.program
        for fy in self.budget_oku_yen:
            if not prog.first_fy <= fy <= prog.horizon_fy:
                raise ValueError(
                    f"budget_oku_yen: FY{fy} lies outside FY{prog.first_fy}–FY{prog.horizon_fy}"
                )
        seen: set[str] = set()
        for p in self.projects:
            if p.id in seen:
                raise ValueError(f"projects: duplicate project id '{p.id}'")
            seen.add(p.id)
        return self

    # convenient views -------------------------------------------------------------------
    @property
    def candidates(self) -> tuple[Project, ...]:
        """Projects not yet started."""
        return tuple(p for p in self.projects if p.status is Status.candidate)

    def project(self, project_id: str) -> Project:
        """The project with that id."""
        for p in self.projects:
            if p.id == project_id:
                return p
        raise KeyError(project_id)

    def budget_mean_oku_yen(self, fy: int) -> float:
        """Expected budget of a fiscal year [億円] (0 where none is set)."""
        d = self.budget_oku_yen.get(fy)
        return 0.0 if d is None else d.mean

    def jc_interval(self, country: str) -> Distribution:
        """Months between Joint Committee decisions in ``country``."""
        c = self.countries[country].jc_interval_months
        return c if c is not None else self.assumptions.jc_interval_months
