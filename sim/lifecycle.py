"""One Monte Carlo trial: every project as a SimPy process through its stages.

Time runs in months from 1 April of ``as_of_fy`` (month 12k is the k-th April after it) to the
end of ``horizon_fy``. Shared limits: the fiscal-year budget (:class:`FiscalBudget`), each
partner country's Joint Committee (:class:`JointCommittee`), third-party-entity capacity and
staff capacity (:class:`simpy.Resource`).

Stages, by kind (see :class:`sim.scenario.Project`):

* demonstration: wait for its earliest start year, a staff slot and the design cost → design
  (may fail) → demonstration cost → build → commissioning (technical success or failure) →
  operation for ``main_months`` → staff released. From commissioning, in parallel: methodology
  approval if one is needed (own drafting, or a methodology project in the same country and
  technology, whichever comes first), TPE validation, registration at the next JC decision,
  then monitoring periods until the end of quantification follow-up; each period's reductions
  are verified by a TPE and issued at the next JC decision, split by Japan's share. After a
  successful demonstration, dissemination follows a Bass curve (:mod:`sim.bass`).
* methodology: development → JC approval, which unlocks demonstrations of that technology in
  that country.
* quantification: support → registration → issuance of the privately financed project's
  credits for the follow-up years.

Each project draws from its own random stream, keyed by (seed, trial, project id), so its
draws do not depend on other projects, batch sizes or workers (common random numbers).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from sim.bass import bass_adoption_times, overlap_by_year
from sim.resources import FiscalBudget, JointCommittee
from sim.scenario import Kind, Project, Scenario, Stage, Status


def stream(seed: int, trial: int, key: str) -> np.random.Generator:
    """The random stream for ``key`` (e.g. ``project:vn-1``) in one trial of one seed."""
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(trial, zlib.crc32(key.encode())))
    return np.random.default_rng(ss)


@dataclass
class TrialRecord:
    """What one trial produced, per project (axis 0) and fiscal year (axis 1).

    Years run from ``program.first_fy`` to ``program.horizon_fy``. Amounts in t-CO2 and 億円.
    """

    spend_oku_yen: np.ndarray
    credits_t: np.ndarray
    japan_credits_t: np.ndarray
    demo_reductions_t: np.ndarray
    dissemination_t: np.ndarray
    start_fy: np.ndarray  # int, -1 if never started
    main_end_fy: np.ndarray  # int, -1 if the main stage never finished
    succeeded: np.ndarray  # bool, main stage succeeded
    dissemination_cases: np.ndarray  # int, replications by the end of the horizon
    first_case_fy: np.ndarray  # int, -1 if none
    events: list[tuple[str, str, float, float]] = field(default_factory=list)
    lapsed_oku_yen: float = 0.0


@dataclass
class _Draws:
    """A project's sampled parameters (drawn up front, in a fixed order)."""

    design_cost: float
    design_months: float
    design_ok: bool
    main_cost: float
    build_months: float
    main_months: float
    main_ok: bool
    meth_months: float
    meth_ok: bool
    expected_t_per_yr: float
    perf: float
    registration_ok: bool
    issues: bool
    japan_share: float
    period_months: float
    followup_months: float
    disseminates: bool
    bass_p: float
    bass_q: float
    market: int
    replication_t_per_yr: float
    lifetime_years: float
    adoption_u: np.ndarray


def _draw(p: Project, rng: np.random.Generator) -> _Draws:
    def s(d) -> float:
        return float(d.sample(rng))

    def chance(d) -> bool:
        return bool(rng.random() < s(d))

    out = _Draws(
        design_cost=s(p.design_cost_oku_yen),
        design_months=s(p.design_months),
        design_ok=chance(p.design_success_prob),
        main_cost=s(p.main_cost_oku_yen),
        build_months=s(p.build_months),
        main_months=s(p.main_months),
        main_ok=chance(p.main_success_prob),
        meth_months=s(p.methodology_months),
        meth_ok=chance(p.methodology_approval_prob),
        expected_t_per_yr=s(p.expected_t_per_yr),
        perf=s(p.performance_ratio),
        registration_ok=chance(p.registration_prob),
        issues=chance(p.issuance_prob),
        japan_share=s(p.japan_share),
        period_months=max(s(p.monitoring_period_months), 1.0),
        followup_months=12.0 * s(p.followup_years),
        disseminates=chance(p.dissemination_prob),
        bass_p=s(p.bass_p),
        bass_q=s(p.bass_q),
        market=int(round(s(p.market_size))),
        replication_t_per_yr=s(p.replication_t_per_yr),
        lifetime_years=s(p.replication_lifetime_years),
        adoption_u=np.empty(0),
    )
    out.adoption_u = rng.random(out.market) if out.disseminates and out.market > 0 else np.empty(0)
    return out


class Trial:
    """Build and run one trial of a scenario.

    Parameters
    ----------
    scenario : Scenario
    seed, trial : int
        Together they key every random stream of this trial.
    record_events : bool
        Keep each project's stage dates (for a timeline of one trial).
    """

    def __init__(self, scenario: Scenario, seed: int, trial: int, record_events: bool = False):
        self.sc = scenario
        prog = scenario.program
        self.env = simpy.Environment()
        self.seed, self.trial = seed, trial
        self.record_events = record_events
        self.years = np.arange(prog.first_fy, prog.horizon_fy + 1)
        self.y0 = prog.as_of_fy - prog.first_fy  # year index of simulation time 0
        self.end_m = 12.0 * (prog.horizon_fy - prog.as_of_fy + 1)
        n_p, n_y = len(scenario.projects), len(self.years)
        z = np.zeros((n_p, n_y))
        self.rec = TrialRecord(
            spend_oku_yen=z.copy(),
            credits_t=z.copy(),
            japan_credits_t=z.copy(),
            demo_reductions_t=z.copy(),
            dissemination_t=z.copy(),
            start_fy=np.full(n_p, -1),
            main_end_fy=np.full(n_p, -1),
            succeeded=np.zeros(n_p, dtype=bool),
            dissemination_cases=np.zeros(n_p, dtype=int),
            first_case_fy=np.full(n_p, -1),
        )
        brng = stream(seed, trial, "budget")
        budgets = scenario.budget_oku_yen
        budget = [
            float(budgets[fy].sample(brng)) if fy in budgets else 0.0
            for fy in range(prog.as_of_fy, prog.horizon_fy + 1)
        ]
        self.budget = FiscalBudget(self.env, budget, scenario.assumptions.carryover_share)
        n_started = sum(
            p.status is Status.running and p.stage is not Stage.followup for p in scenario.projects
        )
        # running projects keep their slots (priority 0) ahead of candidates (priority 1)
        self.staff = simpy.PriorityResource(
            self.env, max(scenario.assumptions.staff_limit, n_started)
        )
        self.tpe = simpy.Resource(self.env, scenario.assumptions.tpe_capacity)
        self._jc: dict[str, JointCommittee] = {}
        self.methodology: dict[tuple[str, str], simpy.Event] = {}
        self.rng: list[np.random.Generator] = []
        for i, p in enumerate(scenario.projects):
            rng = stream(seed, trial, f"project:{p.id}")
            self.rng.append(rng)
            self.env.process(self._project(i, p, _draw(p, rng)))

    # helpers -------------------------------------------------------------------------------
    def year_index(self, t_months: float) -> int:
        """Index in ``years`` of the fiscal year containing simulation time ``t_months``."""
        return self.y0 + int(t_months // 12.0)

    def fy(self, t_months: float) -> int:
        return int(self.years[0]) + self.year_index(t_months)

    def _event(self, pid: str, stage: str, start: float, end: float) -> None:
        if self.record_events:
            self.rec.events.append((pid, stage, start, end))

    def jc(self, country: str) -> JointCommittee:
        """The country's Joint Committee (made on first use, from the country's own stream)."""
        committee = self._jc.get(country)
        if committee is None:
            crng = stream(self.seed, self.trial, f"jc:{country}")
            interval = self.sc.jc_interval(country)
            first = float(crng.uniform(0.0, 1.0) * interval.sample(crng))
            if self.sc.countries[country].jc_next_decision_month is not None:
                first = self.sc.countries[country].jc_next_decision_month
            committee = JointCommittee(
                self.env, lambda d=interval, r=crng: float(d.sample(r)), first
            )
            self._jc[country] = committee
        return committee

    def _approval(self, p: Project) -> simpy.Event:
        key = (p.country, p.technology)
        if key not in self.methodology:
            self.methodology[key] = self.env.event()
        return self.methodology[key]

    def _approve(self, p: Project) -> None:
        ev = self._approval(p)
        if not ev.triggered:
            ev.succeed(self.env.now)

    def _spend(self, i: int, cost: float):
        """Commit ``cost`` 億円 from the current year's budget (waits for a later April)."""
        if cost > 0:
            yield self.budget.get(cost)
            self.rec.spend_oku_yen[i, self.year_index(self.env.now)] += cost

    def run(self) -> TrialRecord:
        """Run to the end of the horizon and return the record."""
        self.env.run(until=self.end_m)
        self.rec.lapsed_oku_yen = self.budget.lapsed_oku_yen
        return self.rec

    # processes -----------------------------------------------------------------------------
    def _project(self, i: int, p: Project, d: _Draws):
        prog = self.sc.program
        env = self.env
        self._history(i, p)
        if p.status is Status.finished:
            yield from self._finished(i, p, d)
            return
        stage = p.stage if p.status is Status.running else None
        elapsed = p.months_in_stage
        staff_req = None
        if p.status is Status.candidate:
            yield env.timeout(12.0 * (p.earliest_start_fy - prog.as_of_fy))
            deadline = 12.0 * ((p.latest_start_fy or prog.last_fy) - prog.as_of_fy + 1)
            staff_req = self.staff.request(priority=1)
            first_cost = d.design_cost if p.kind is Kind.demonstration else d.main_cost
            t_ask = env.now
            got = yield from self._start_by(i, staff_req, first_cost, deadline)
            if not got:
                return
            if env.now > t_ask:  # no staff slot or no money in its first year(s)
                self._event(p.id, "waiting to start", t_ask, env.now)
            self.rec.start_fy[i] = self.fy(env.now)
            stage = Stage.design if p.kind is Kind.demonstration else Stage.main
            elapsed = 0.0
        elif stage is not Stage.followup:
            staff_req = self.staff.request(priority=0)
            yield staff_req

        if p.kind is Kind.demonstration:
            yield from self._demonstration(i, p, d, stage, elapsed, staff_req)
        elif p.kind is Kind.methodology:
            yield from self._methodology(i, p, d, stage, elapsed, staff_req)
        else:
            yield from self._quantification(i, p, d, stage, elapsed, staff_req)

    def _start_by(self, i: int, staff_req, cost: float, deadline: float):
        """Get a staff slot and the first stage's money before ``deadline``; False if not."""
        env = self.env
        timeout = env.timeout(max(deadline - env.now, 0.0))
        res = yield staff_req | timeout
        if staff_req not in res:
            staff_req.cancel()
            return False
        if cost > 0:
            get = self.budget.get(cost)
            res = yield get | timeout
            if get not in res:
                get.cancel()
                self.staff.release(staff_req)
                return False
            self.rec.spend_oku_yen[i, self.year_index(env.now)] += cost
        return True

    def _history(self, i: int, p: Project) -> None:
        """Put what was spent and issued before the simulation into the years before it."""
        if p.status is Status.candidate:
            return
        self.rec.start_fy[i] = p.started_fy
        last = (p.finished_fy if p.finished_fy is not None else self.sc.program.as_of_fy - 1)
        last = max(min(last, self.sc.program.as_of_fy - 1), p.started_fy)
        first_i, last_i = p.started_fy - int(self.years[0]), last - int(self.years[0])
        if p.spent_oku_yen > 0:
            span = last_i - first_i + 1
            self.rec.spend_oku_yen[i, first_i : last_i + 1] += p.spent_oku_yen / span
        if p.issued_t > 0:
            self.rec.credits_t[i, max(self.y0 - 1, 0)] += p.issued_t
            self.rec.japan_credits_t[i, max(self.y0 - 1, 0)] += p.issued_t * p.japan_share.mean
        if p.status is Status.finished:
            self.rec.main_end_fy[i] = p.finished_fy
            self.rec.succeeded[i] = p.succeeded

    def _finished(self, i: int, p: Project, d: _Draws):
        """A finished project: follow-up issuance and dissemination may still go on."""
        if not p.succeeded:
            return
        if p.kind is Kind.methodology:
            self._approve(p)
            return
        end_m = 12.0 * (p.finished_fy + 1 - self.sc.program.as_of_fy)
        crediting_end = end_m + d.followup_months
        if p.kind is Kind.demonstration:
            self._disseminate(i, p, d, max(end_m, 0.0))
        if crediting_end > 0:
            yield from self._credit(i, p, d, 0.0, crediting_end)

    def _demonstration(self, i, p, d: _Draws, stage, elapsed, staff_req):
        env = self.env
        t0 = env.now
        if stage is Stage.design:
            yield env.timeout(max(d.design_months - elapsed, 0.0))
            self._event(p.id, "design", t0 - elapsed, env.now)
            if not d.design_ok:
                self.staff.release(staff_req)
                return
            t_ask = env.now
            yield from self._spend(i, d.main_cost)
            if env.now > t_ask:
                self._event(p.id, "waiting for budget", t_ask, env.now)
            stage, elapsed = Stage.main, 0.0
        if stage is Stage.main:
            t_main = env.now - elapsed
            commissioning = t_main + d.build_months
            main_end = commissioning + d.main_months
            if p.methodology_needed:
                env.process(self._own_methodology(p, d, max(env.now, t_main)))
            yield env.timeout(max(commissioning - env.now, 0.0))
            self._event(p.id, "build", t_main, env.now)
            if d.main_ok:
                env.process(self._register_and_credit(i, p, d, main_end + d.followup_months))
            yield env.timeout(max(main_end - env.now, 0.0))
            self._event(p.id, "operation", commissioning, env.now)
            self.staff.release(staff_req)
            self.rec.main_end_fy[i] = self.fy(env.now - 1e-9)
            self.rec.succeeded[i] = d.main_ok
            if d.main_ok:
                self._disseminate(i, p, d, env.now)
                if d.followup_months > 0:
                    self._event(p.id, "follow-up", env.now, env.now + d.followup_months)
        else:  # follow-up: registered, monitoring goes on
            self.rec.succeeded[i] = True
            yield from self._credit(i, p, d, env.now, env.now + max(d.followup_months - elapsed, 0))

    def _methodology(self, i, p, d: _Draws, stage, elapsed, staff_req):
        env = self.env
        t0 = env.now - elapsed
        yield env.timeout(max(d.main_months - elapsed, 0.0))
        self._event(p.id, "development", t0, env.now)
        self.staff.release(staff_req)
        self.rec.main_end_fy[i] = self.fy(env.now - 1e-9)
        if not d.main_ok:
            return
        t1 = env.now
        yield self.jc(p.country).decision()
        self._event(p.id, "JC approval", t1, env.now)
        if d.meth_ok:
            self.rec.succeeded[i] = True
            self._approve(p)

    def _quantification(self, i, p, d: _Draws, stage, elapsed, staff_req):
        env = self.env
        if stage is Stage.followup:
            self.rec.succeeded[i] = True
            yield from self._credit(i, p, d, env.now, env.now + max(d.followup_months - elapsed, 0))
            return
        t0 = env.now - elapsed
        yield env.timeout(max(d.main_months - elapsed, 0.0))
        self._event(p.id, "support", t0, env.now)
        self.staff.release(staff_req)
        self.rec.main_end_fy[i] = self.fy(env.now - 1e-9)
        self.rec.succeeded[i] = d.main_ok
        if d.main_ok:
            yield from self._register_and_credit(i, p, d, env.now + d.followup_months)

    def _own_methodology(self, p: Project, d: _Draws, start: float):
        """Draft a methodology for this demonstration, approved at a later JC decision."""
        env = self.env
        yield env.timeout(max(start - env.now, 0.0) + d.meth_months)
        yield self.jc(p.country).decision()
        if d.meth_ok:
            self._approve(p)

    def _register_and_credit(self, i: int, p: Project, d: _Draws, crediting_end: float):
        """Methodology approval → TPE validation → JC registration → monitoring and issuance."""
        env = self.env
        t0 = env.now
        if p.methodology_needed:
            yield self._approval(p)
        with self.tpe.request() as req:
            yield req
            yield env.timeout(float(self.sc.assumptions.validation_months.sample(self.rng[i])))
        yield self.jc(p.country).decision()
        self._event(p.id, "validation and registration", t0, env.now)
        if not d.registration_ok:
            return
        yield from self._credit(i, p, d, env.now, crediting_end)

    def _credit(self, i: int, p: Project, d: _Draws, start: float, end: float):
        """Monitoring periods from ``start`` to ``end`` [months]; each verified and issued."""
        env = self.env
        rate_t_per_month = d.expected_t_per_yr * d.perf / 12.0
        t = start
        if env.now < start:
            yield env.timeout(start - env.now)
        while t < end - 1e-9 and t < self.end_m:
            period = min(d.period_months, end - t)
            yield env.timeout(period)
            amount = rate_t_per_month * period
            yi0, yi1 = self.year_index(t), self.year_index(t + period - 1e-9)
            if yi0 == yi1:
                self.rec.demo_reductions_t[i, yi0] += amount
            else:
                self.rec.demo_reductions_t[i, self.y0 :] += overlap_by_year(
                    np.array([t]), np.array([t + period]), len(self.years) - self.y0,
                    rate_t_per_month,
                )
            if d.issues and amount > 0:
                env.process(self._verify_and_issue(i, p, d, amount))
            t += period

    def _verify_and_issue(self, i: int, p: Project, d: _Draws, amount_t: float):
        env = self.env
        with self.tpe.request() as req:
            yield req
            months = float(self.sc.assumptions.verification_months.sample(self.rng[i]))
            yield env.timeout(months)
        yield self.jc(p.country).decision()
        if env.now < self.end_m:
            yi = self.year_index(env.now)
            self.rec.credits_t[i, yi] += amount_t
            self.rec.japan_credits_t[i, yi] += amount_t * d.japan_share

    def _disseminate(self, i: int, p: Project, d: _Draws, t_end: float) -> None:
        """Replications after a successful demonstration, by Bass (1969) adoption times."""
        if not d.disseminates or d.market <= 0 or d.bass_p <= 0:
            return
        times_m = t_end + 12.0 * bass_adoption_times(d.adoption_u, d.bass_p, d.bass_q)
        inside = times_m < self.end_m
        self.rec.dissemination_cases[i] = int(inside.sum())
        if inside.any():
            self.rec.first_case_fy[i] = self.fy(float(times_m[inside].min()))
            n = len(self.years) - self.y0
            self.rec.dissemination_t[i, self.y0 :] += overlap_by_year(
                times_m[inside], times_m[inside] + 12.0 * d.lifetime_years, n,
                d.replication_t_per_yr / 12.0,
            )


def run_trial(scenario: Scenario, seed: int, trial: int, record_events: bool = False) -> Any:
    """Run one trial and return its :class:`TrialRecord`."""
    return Trial(scenario, seed, trial, record_events).run()
