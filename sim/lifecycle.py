"""One Monte Carlo trial: every project as a SimPy process through its stages.

Time runs in months from 1 April of ``as_of_fy`` (month 12k is the k-th April after it) to the
end of ``horizon_fy``. Shared limits: the fiscal-year budget (:class:`FiscalBudget`), each
partner country's Joint Committee (:class:`JointCommittee`), third-party-entity capacity and
staff capacity (:class:`simpy.Resource`).

Stages, by kind (see :class:`sim.scenario.Project`):

* demonstration: wait for its earliest start year, a staff slot and the first fiscal year's
  part of the design cost → design (may fail) → the first year's part of the demonstration
  cost → build → commissioning (technical success or failure) → operation for
  ``main_months`` → staff released. From the start of the build (the demonstration stage), in
  parallel: methodology drafting if one is needed (own drafting, or a methodology project in
  the same country and technology, whichever is approved first); from commissioning, TPE
  validation, registration at the next JC decision, then monitoring periods until the end of
  quantification follow-up (and of the participants' own crediting after it, if the scenario
  counts it); each period's reductions are verified by a TPE and issued at the next JC
  decision, split by Japan's share. After a demonstration whose main stage succeeded,
  dissemination follows a Bass curve (:mod:`sim.bass`) from the end of the main stage.
* methodology: development → JC approval, which unlocks demonstrations of that technology in
  that country.
* quantification: support → registration → issuance of the privately financed project's
  credits for the follow-up years.

Money (commissioned work, 委託, paid year by year): a stage's cost is spread evenly over its
months and each fiscal year's part is paid from that year's budget. A stage starts only when
its first year's part can be committed; at each later April the next part is requested ahead
of new stages, and a stage whose part cannot be paid pauses (its clock stops) until a later
April pays it. Parts falling after the program's last year are paid outside the budget when
``assumptions.contracts_after_program`` is true (contracts signed within the program are
honoured); new stages after the program need money in ``[budget]`` for those years (a
successor program), and a stage with no money in any later year never starts.

History (running and finished projects) conditions the draws: a project that has issued
credits is registered and issues; a registered project skips validation and registration and
its methodology counts as approved; credits monitored but not yet issued are verified and
issued first; the Bass clock of a finished project runs from the end of its demonstration, and
known dissemination cases to date condition the adoption times (none known: the chance that it
disseminates at all is updated by Bayes' rule).

Every random number is drawn up front (:mod:`sim.draws`), keyed by seed, trial and purpose,
so a project's draws do not depend on other projects, batch sizes or workers (common random
numbers), and the compiled engine (:mod:`sim.fast`) reads the very same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from sim.bass import overlap_by_year
from sim.dissemination import DISSEMINATION_FIELDS, disseminate
from sim.draws import BatchDraws, draw_batch
from sim.resources import EPS_T, FiscalBudget, JointCommittee
from sim.scenario import Kind, Project, Scenario, Stage, Status

#: A candidate's start deadline lies this far [months] before the April that ends its
#: latest start year, so that April's money can never start it (the deadline is exclusive).
DEADLINE_LEAD_M = 1e-6

#: Funding classes, served in this order at each April.
CONTINUING, NEXT_STAGE, NEW_PROJECT = 0, 1, 2


@dataclass
class TrialRecord:
    """What one trial produced, per project (axis 0) and fiscal year (axis 1).

    Years run from ``program.first_fy`` to ``program.horizon_fy``. Amounts in t-CO2 and 億円.
    Budget arrays (``budget_*``) run over the simulated years, from ``as_of_fy``.
    """

    spend_oku_yen: np.ndarray
    credits_t: np.ndarray
    japan_credits_t: np.ndarray
    demo_reductions_t: np.ndarray
    dissemination_t: np.ndarray
    start_fy: np.ndarray  # int, -1 if never started
    main_start_fy: np.ndarray  # int, FY the main stage (the demonstration itself) began; -1 never
    main_end_fy: np.ndarray  # int, -1 if the main stage never finished
    succeeded: np.ndarray  # bool, main stage succeeded
    dissemination_cases: np.ndarray  # int, replications by the end of the horizon
    first_case_fy: np.ndarray  # int, -1 if none
    dissemination_lifetime_t: np.ndarray  # float, whole-lifetime reductions of those cases
    events: list[tuple[str, str, float, float]] = field(default_factory=list)
    lapsed_oku_yen: float = 0.0
    budget_committed_oku_yen: np.ndarray | None = None
    budget_carried_in_oku_yen: np.ndarray | None = None
    budget_outside_oku_yen: np.ndarray | None = None


@dataclass
class _Draws:
    """A project's sampled parameters (drawn up front, in a fixed order), conditioned on its
    recorded history."""

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
    dissem_u: float
    dissem_prob: float
    bass_p: float
    bass_q: float
    market: int
    replication_t_per_yr: float
    lifetime_years: float
    after_followup_months: float
    validation_months: float


def _draws_of(draws: BatchDraws, row: int, i: int) -> _Draws:
    """Project ``i``'s parameters in row ``row`` of the batch (made now, as the fast engine
    makes them: :mod:`sim.project_params`)."""
    return _Draws(**draws.project_values(i, row))


class _Account:
    """The money of one stage under contract: its cost spread evenly over its months.

    ``done`` months of the stage have run and ``paid_to`` months are paid for [months].
    A stage of no duration is paid in one part.
    """

    def __init__(self, cost_oku_yen: float, months: float, done_months: float = 0.0):
        self.cost_oku_yen = cost_oku_yen
        self.total = max(months, 0.0)
        self.done = min(done_months, self.total)
        self.paid_to = self.done
        self.lump_paid = False

    @property
    def rate_oku_yen_per_month(self) -> float:
        return self.cost_oku_yen / self.total if self.total > 0 else 0.0

    def needs_payment(self) -> bool:
        if self.total <= 0:
            return not self.lump_paid
        return self.paid_to - self.done <= EPS_T and self.done < self.total - EPS_T


class Trial:
    """Build and run one trial of a scenario.

    Parameters
    ----------
    scenario : Scenario
    seed, trial : int
        Together they key every random number of this trial (:mod:`sim.draws`).
    record_events : bool
        Keep each project's stage dates (for a timeline of one trial).
    draws : BatchDraws, optional
        Pre-drawn numbers of a batch holding this trial (drawn here when not given).
    """

    def __init__(self, scenario: Scenario, seed: int, trial: int, record_events: bool = False,
                 draws: BatchDraws | None = None):
        self.sc = scenario
        prog = scenario.program
        a = scenario.assumptions
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
            main_start_fy=np.full(n_p, -1),
            main_end_fy=np.full(n_p, -1),
            succeeded=np.zeros(n_p, dtype=bool),
            dissemination_cases=np.zeros(n_p, dtype=int),
            first_case_fy=np.full(n_p, -1),
            dissemination_lifetime_t=np.zeros(n_p),
        )
        if draws is None:
            draws = draw_batch(scenario, seed, range(trial, trial + 1))
        self.draws, self.row = draws, draws.row(trial)
        self.country_index = {c: j for j, c in enumerate(draws.countries)}
        budget = [float(x) for x in draws.budget_oku_yen[self.row]]
        self.budget = FiscalBudget(self.env, budget, a.carryover_share, a.carryover_compounds)
        #: last year index (from as_of_fy) paid from the budget; later parts of contracted
        #: stages are paid outside it (None: always from the budget)
        self.outside_after = (prog.last_fy - prog.as_of_fy) if a.contracts_after_program else None
        n_started = sum(
            p.status is Status.running and p.stage is not Stage.followup for p in scenario.projects
        )
        # running projects keep their slots (priority 0) ahead of candidates (priority 1)
        self.staff = simpy.PriorityResource(self.env, max(a.staff_limit, n_started))
        self.tpe = simpy.Resource(self.env, a.tpe_capacity)
        self._jc: dict[str, JointCommittee] = {}
        self.methodology: dict[tuple[str, str], simpy.Event] = {}
        self.credit_end = np.full(n_p, math.inf)
        #: verifications created so far, per project (the index of the next one's delays)
        self.n_verify = [0] * n_p
        for i, p in enumerate(scenario.projects):
            self.env.process(self._project(i, p, _draws_of(draws, self.row, i)))

    # helpers -------------------------------------------------------------------------------
    def year_index(self, t_months: float) -> int:
        """Index in ``years`` of the fiscal year containing simulation time ``t_months`` (a
        time within :data:`EPS_T` of an April belongs to the year that April starts)."""
        return self.y0 + int(math.floor((t_months + EPS_T) / 12.0))

    def end_year_index(self, t_months: float) -> int:
        """Index of the fiscal year in which something ending at ``t_months`` ended (an end
        exactly on 1 April belongs to the year before)."""
        return self.y0 + int(math.floor((t_months - EPS_T) / 12.0))

    def fy(self, t_months: float) -> int:
        return int(self.years[0]) + self.year_index(t_months)

    def end_fy(self, t_months: float) -> int:
        return int(self.years[0]) + self.end_year_index(t_months)

    @staticmethod
    def months_to_april(t_months: float) -> float:
        """Months from ``t_months`` to the next 1 April (12 on an April itself)."""
        k = math.floor((t_months + EPS_T) / 12.0)
        return 12.0 * (k + 1) - t_months

    def _event(self, pid: str, stage: str, start: float, end: float) -> None:
        if self.record_events:
            self.rec.events.append((pid, stage, start, end))

    def _order(self, i: int, p: Project, cls: int) -> tuple:
        return (cls, -p.priority, i)

    def jc(self, country: str) -> JointCommittee:
        """The country's Joint Committee (made on first use, with its pre-drawn calendar)."""
        committee = self._jc.get(country)
        if committee is None:
            times = self.draws.jc_calendar(self.row, self.country_index[country], self.end_m)
            committee = JointCommittee(self.env, times)
            self._jc[country] = committee
        return committee

    def first_registration_month(self, country: str) -> float:
        """Earliest registration in a country without registered projects [months from the
        simulation start]: signing plus the scenario's delay, conditioned on not having
        happened before the simulation (0 for a country that has registrations)."""
        return float(self.draws.first_registration_m[self.row, self.country_index[country]])

    def _approval(self, p: Project) -> simpy.Event:
        key = (p.country, p.technology)
        if key not in self.methodology:
            self.methodology[key] = self.env.event()
        return self.methodology[key]

    def _approve(self, p: Project) -> None:
        ev = self._approval(p)
        if not ev.triggered:
            ev.succeed(self.env.now)

    def run(self) -> TrialRecord:
        """Run to the end of the horizon and return the record."""
        self.env.run(until=self.end_m)
        b = self.budget
        self.rec.lapsed_oku_yen = b.lapsed_oku_yen
        self.rec.budget_committed_oku_yen = np.array(b.committed_oku_yen[: len(b.budget)])
        self.rec.budget_carried_in_oku_yen = np.array(b.carried_in_oku_yen[: len(b.budget)])
        self.rec.budget_outside_oku_yen = np.array(b.outside_oku_yen[: len(b.budget)])
        return self.rec

    # money ---------------------------------------------------------------------------------
    def _pay(self, i: int, acct: _Account, order: tuple, deadline: simpy.Event | None = None,
             contracted: bool = True):
        """Commit this fiscal year's part of a stage; True once paid, False at the deadline.

        ``contracted``: the stage is under contract, so parts after the program may be paid
        outside the budget (see the module docstring).
        """
        granted_months = [0.0]

        def amount(now: float) -> float:
            if acct.total <= 0:
                return acct.cost_oku_yen
            m = min(acct.total - acct.paid_to, self.months_to_april(now))
            granted_months[0] = m
            return acct.rate_oku_yen_per_month * m

        outside = self.outside_after if contracted else None
        req = self.budget.request(amount, order, outside)
        if deadline is not None:
            res = yield req.event | deadline
            if req.event not in res:
                self.budget.cancel(req)
                return False
        else:
            yield req.event
        if acct.total <= 0:
            acct.lump_paid = True
        else:
            acct.paid_to += granted_months[0]
        if req.granted_oku_yen:
            self.rec.spend_oku_yen[i, self.year_index(self.env.now)] += req.granted_oku_yen
        return True

    def _new_stage_money(self, i: int, p: Project, acct: _Account, what: str):
        """The first part of a new stage of a project in the program; False if no money will
        ever come (no budget in this or any later year)."""
        env = self.env
        t_ask = env.now
        order = self._order(i, p, NEXT_STAGE)
        while True:
            if not self.budget.money_ahead() and acct.cost_oku_yen > 0:
                self._event(p.id, f"no money for the {what}", t_ask, self.end_m)
                return False
            next_april = env.timeout(self.months_to_april(env.now) + EPS_T)
            ok = yield from self._pay(i, acct, order, deadline=next_april, contracted=False)
            if ok:
                break
        if env.now > t_ask + EPS_T:
            self._event(p.id, "waiting for budget", t_ask, env.now)
        return True

    def _advance(self, i: int, p: Project, acct: _Account, months: float):
        """Run ``months`` of a stage, paying each fiscal year's part at its April; the stage
        pauses while a part is unpaid. Returns False if it stops for good (no money in this
        or any later year)."""
        env = self.env
        months = max(months, 0.0)
        while months > EPS_T:
            if acct.needs_payment():
                t_ask = env.now
                outside = self.outside_after is not None and self.budget.year > self.outside_after
                if not outside and not self.budget.money_ahead() and acct.cost_oku_yen > 0:
                    self._event(p.id, "stopped: no money", t_ask, self.end_m)
                    return False
                yield from self._pay(i, acct, self._order(i, p, CONTINUING))
                if env.now > t_ask + EPS_T:
                    self._event(p.id, "paused: waiting for budget", t_ask, env.now)
            step = min(months, acct.paid_to - acct.done)
            if step <= 0.0:  # nothing left to pay: the last hair of the stage just runs
                step = months
            yield env.timeout(step)
            acct.done += step
            months -= step
        return True

    # processes -----------------------------------------------------------------------------
    def _project(self, i: int, p: Project, d: _Draws):
        prog = self.sc.program
        env = self.env
        self._history(i, p)
        if p.registered or p.issued_t > 0:
            if p.methodology_needed:
                self._approve(p)
        if p.status is Status.finished:
            yield from self._finished(i, p, d)
            return
        stage = p.stage if p.status is Status.running else None
        elapsed = p.months_in_stage
        staff_req = None
        acct = None
        if p.status is Status.candidate:
            yield env.timeout(12.0 * (p.earliest_start_fy - prog.as_of_fy))
            latest = p.latest_start_fy or prog.last_fy
            deadline_m = 12.0 * (latest - prog.as_of_fy + 1) - DEADLINE_LEAD_M
            if p.kind is Kind.demonstration:
                acct = _Account(d.design_cost, d.design_months)
            else:
                acct = _Account(d.main_cost, d.main_months)
            t_ask = env.now
            staff_req = yield from self._start_by(i, p, acct, deadline_m)
            if staff_req is None:
                return
            if env.now > t_ask + EPS_T:  # no staff slot or no money in its first year(s)
                self._event(p.id, "waiting to start", t_ask, env.now)
            self.rec.start_fy[i] = self.fy(env.now)
            stage = Stage.design if p.kind is Kind.demonstration else Stage.main
            if stage is Stage.main:
                self.rec.main_start_fy[i] = self.rec.start_fy[i]
            elapsed = 0.0
        elif stage is not Stage.followup:
            staff_req = self.staff.request(priority=0)
            yield staff_req
            if stage is Stage.main:
                self.rec.main_start_fy[i] = self.fy(-elapsed)
        else:
            self.rec.main_start_fy[i] = p.started_fy

        if p.kind is Kind.demonstration:
            yield from self._demonstration(i, p, d, stage, elapsed, staff_req, acct)
        elif p.kind is Kind.methodology:
            yield from self._methodology(i, p, d, stage, elapsed, staff_req, acct)
        else:
            yield from self._quantification(i, p, d, stage, elapsed, staff_req, acct)

    def _start_by(self, i: int, p: Project, acct: _Account, deadline_m: float):
        """Get a staff slot and the first stage's first-year money strictly before the April
        that ends the latest start year; returns the staff request, or None if not."""
        env = self.env
        if env.now >= deadline_m:
            return None
        timeout = env.timeout(deadline_m - env.now)
        staff_req = self.staff.request(priority=1)
        res = yield staff_req | timeout
        if staff_req not in res:
            staff_req.cancel()
            return None
        ok = yield from self._pay(i, acct, self._order(i, p, NEW_PROJECT), deadline=timeout)
        if not ok:
            self.staff.release(staff_req)
            return None
        return staff_req

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
            self.rec.succeeded[i] = p.succeeded
            if p.stage is not Stage.design:  # not a design study that ended there
                self.rec.main_end_fy[i] = p.finished_fy
                self.rec.main_start_fy[i] = p.started_fy

    def _finished(self, i: int, p: Project, d: _Draws):
        """A finished project: follow-up issuance and dissemination may still go on."""
        if not p.succeeded or p.stage is Stage.design:
            return
        if p.kind is Kind.methodology:
            self._approve(p)
            return
        end_m = 12.0 * (p.finished_fy + 1 - self.sc.program.as_of_fy)
        self.credit_end[i] = end_m + d.followup_months + d.after_followup_months
        if p.kind is Kind.demonstration:
            self._disseminate(i, p, d, end_m)
        if self.credit_end[i] > 0:
            yield from self._crediting(i, p, d)

    def _crediting(self, i: int, p: Project, d: _Draws):
        """From now: registration unless the record says it happened, then issuance."""
        if p.registered or p.issued_t > 0:
            if p.monitored_unissued_t > 0 and d.issues:
                self.env.process(self._verify_and_issue(i, p, d, p.monitored_unissued_t,
                                                        self._next_verification(i)))
            yield from self._credit(i, p, d, self.env.now)
        else:
            yield from self._register_and_credit(i, p, d)

    def _demonstration(self, i, p, d: _Draws, stage, elapsed, staff_req, acct):
        env = self.env
        if stage is Stage.design:
            t0 = env.now - elapsed
            if acct is None:  # running in design: the rest of the contract
                acct = _Account(d.design_cost, d.design_months, elapsed)
            ok = yield from self._advance(i, p, acct, d.design_months - elapsed)
            self._event(p.id, "design", t0, env.now)
            if not ok or not d.design_ok:
                self.staff.release(staff_req)
                return
            acct = _Account(d.main_cost, d.build_months + d.main_months)
            got = yield from self._new_stage_money(i, p, acct, "demonstration")
            if not got:
                self.staff.release(staff_req)
                return
            self.rec.main_start_fy[i] = self.fy(env.now)
            stage, elapsed = Stage.main, 0.0
        if stage is Stage.main:
            t_main = env.now - elapsed
            if acct is None:  # running in the demonstration stage: the rest of the contract
                acct = _Account(d.main_cost, d.build_months + d.main_months, elapsed)
            if p.methodology_needed:
                env.process(self._own_methodology(p, d, t_main))
            ok = yield from self._advance(i, p, acct, d.build_months - elapsed)
            t_comm = env.now if elapsed < d.build_months else t_main + d.build_months
            self._event(p.id, "build", t_main, t_comm)
            if not ok:
                self.staff.release(staff_req)
                return
            if d.main_ok:
                env.process(self._crediting(i, p, d))
            ok = yield from self._advance(i, p, acct, d.build_months + d.main_months - max(
                elapsed, d.build_months))
            self._event(p.id, "operation", t_comm, env.now)
            if not ok:  # equipment built; the demonstration never formally ends
                self.staff.release(staff_req)
                return
            self._main_ends(i, p, d, staff_req, d.main_ok)
            if d.main_ok:
                self._disseminate(i, p, d, env.now)
        else:  # follow-up: the main stage ended ``elapsed`` months ago
            end_m = -elapsed
            self.rec.main_end_fy[i] = self.end_fy(end_m)
            self.rec.succeeded[i] = True
            self.credit_end[i] = end_m + d.followup_months + d.after_followup_months
            self._disseminate(i, p, d, end_m)
            yield from self._crediting(i, p, d)

    def _main_ends(self, i: int, p: Project, d: _Draws, staff_req, ok: bool) -> None:
        env = self.env
        self.staff.release(staff_req)
        self.rec.main_end_fy[i] = self.end_fy(env.now)
        self.rec.succeeded[i] = ok
        self.credit_end[i] = env.now + d.followup_months + d.after_followup_months
        if ok and d.followup_months > 0:
            self._event(p.id, "follow-up", env.now, env.now + d.followup_months)

    def _methodology(self, i, p, d: _Draws, stage, elapsed, staff_req, acct):
        env = self.env
        t0 = env.now - elapsed
        if acct is None:
            acct = _Account(d.main_cost, d.main_months, elapsed)
        ok = yield from self._advance(i, p, acct, d.main_months - elapsed)
        self._event(p.id, "development", t0, env.now)
        self.staff.release(staff_req)
        if not ok:
            return
        self.rec.main_end_fy[i] = self.end_fy(env.now)
        if not d.main_ok:
            return
        t1 = env.now
        yield self.jc(p.country).decision()
        self._event(p.id, "JC approval", t1, env.now)
        if d.meth_ok:
            self.rec.succeeded[i] = True
            self._approve(p)

    def _quantification(self, i, p, d: _Draws, stage, elapsed, staff_req, acct):
        env = self.env
        if stage is Stage.followup:
            end_m = -elapsed
            self.rec.main_end_fy[i] = self.end_fy(end_m)
            self.rec.succeeded[i] = True
            self.credit_end[i] = end_m + d.followup_months + d.after_followup_months
            yield from self._crediting(i, p, d)
            return
        t0 = env.now - elapsed
        if acct is None:
            acct = _Account(d.main_cost, d.main_months, elapsed)
        ok = yield from self._advance(i, p, acct, d.main_months - elapsed)
        self._event(p.id, "support", t0, env.now)
        if not ok:
            self.staff.release(staff_req)
            return
        self._main_ends(i, p, d, staff_req, d.main_ok)
        if d.main_ok:
            yield from self._crediting(i, p, d)

    def _own_methodology(self, p: Project, d: _Draws, start: float):
        """Draft a methodology for this demonstration from the start of its demonstration
        stage; approved at a later JC decision."""
        env = self.env
        yield env.timeout(max(start + d.meth_months - env.now, 0.0))
        yield self.jc(p.country).decision()
        if d.meth_ok:
            self._approve(p)

    def _register_and_credit(self, i: int, p: Project, d: _Draws):
        """Methodology approval → TPE validation → JC registration → monitoring and issuance."""
        env = self.env
        t0 = env.now
        if p.methodology_needed:
            yield self._approval(p)
        with self.tpe.request() as req:
            yield req
            yield env.timeout(d.validation_months)
        first = self.first_registration_month(p.country)
        if env.now < first:
            yield env.timeout(first - env.now)
        yield self.jc(p.country).decision()
        self._event(p.id, "validation and registration", t0, env.now)
        if not d.registration_ok:
            return
        if p.monitored_unissued_t > 0 and d.issues:
            env.process(self._verify_and_issue(i, p, d, p.monitored_unissued_t,
                                               self._next_verification(i)))
        yield from self._credit(i, p, d, env.now)

    def _credit(self, i: int, p: Project, d: _Draws, start: float):
        """Monitoring periods from ``start`` [months] to the project's crediting end (known
        once its main stage ends); each period verified and issued."""
        env = self.env
        rate_t_per_month = d.expected_t_per_yr * d.perf / 12.0
        t = start
        if env.now < start:
            yield env.timeout(start - env.now)
        while t < self.credit_end[i] - EPS_T and t < self.end_m:
            period = min(d.period_months, self.credit_end[i] - t)
            yield env.timeout(period)
            amount = rate_t_per_month * period
            yi0, yi1 = self.year_index(t), self.end_year_index(t + period)
            if yi0 == yi1:
                self.rec.demo_reductions_t[i, yi0] += amount
            else:
                self.rec.demo_reductions_t[i, self.y0 :] += overlap_by_year(
                    np.array([t]), np.array([t + period]), len(self.years) - self.y0,
                    rate_t_per_month,
                )
            if d.issues and amount > 0:
                env.process(self._verify_and_issue(i, p, d, amount, self._next_verification(i)))
            t += period

    def _next_verification(self, i: int) -> int:
        k = self.n_verify[i]
        self.n_verify[i] = k + 1
        return k

    def _verify_and_issue(self, i: int, p: Project, d: _Draws, amount_t: float, k: int):
        """Monitoring report, TPE verification (holding a TPE slot only for the TPE's own
        work) and issuance request, then issuance at the next JC decision; ``k`` numbers the
        project's verifications (it picks the pre-drawn delays)."""
        env = self.env
        months, work = self.draws.verification(i, self.row, k)
        yield env.timeout(months - work)
        with self.tpe.request() as req:
            yield req
            yield env.timeout(work)
        yield self.jc(p.country).decision()
        if env.now < self.end_m:
            yi = self.year_index(env.now)
            self.rec.credits_t[i, yi] += amount_t
            self.rec.japan_credits_t[i, yi] += amount_t * d.japan_share

    def _disseminate(self, i: int, p: Project, d: _Draws, t_end: float) -> None:
        """Replications after a successful demonstration (:mod:`sim.dissemination`), from the
        end of its main stage ``t_end`` [months; negative if before the simulation]."""
        params = self.draws.project.fields(i, DISSEMINATION_FIELDS, np.array([self.trial]))
        out = disseminate(p, np.array([t_end]), params, self.seed, np.array([self.trial]),
                          int(self.years[0]), self.y0, len(self.years), self.end_m)
        self.rec.dissemination_cases[i] = out.cases[0]
        if out.cases[0]:
            self.rec.first_case_fy[i] = out.first_case_fy[0]
            self.rec.dissemination_lifetime_t[i] = out.lifetime_t[0]
            self.rec.dissemination_t[i, :] += out.by_year_t[0]


def run_trial(scenario: Scenario, seed: int, trial: int, record_events: bool = False) -> Any:
    """Run one trial and return its :class:`TrialRecord`."""
    return Trial(scenario, seed, trial, record_events).run()
