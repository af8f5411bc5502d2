"""Shared limits of the program as SimPy objects: fiscal-year budget and Joint Committees.

Time is in months since 1 April of the scenario's ``as_of_fy``; month 12k is the k-th April.
Third-party-entity capacity and staff capacity are plain :class:`simpy.Resource` objects
created by :mod:`sim.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import simpy
from simpy.events import URGENT

EPS = 1e-9
#: Tolerance on times [months]: a time within it of an April counts as that April.
EPS_T = 1e-7


#: Event priority of the step that serves the queue after an April refill.
LATE = 2
#: A request made this close [months] before an April waits for that April's money.
APRIL_DUE_M = 1e-7


@dataclass(eq=False)
class BudgetRequest:
    """A request for money, waiting or granted.

    ``amount_oku_yen`` is called with the grant time [months] and returns the amount to commit
    then (the first year's part of a stage depends on how much of the year is left).
    ``order`` is the funding order: lower tuples are served first.
    """

    event: simpy.Event
    amount_oku_yen: Callable[[float], float]
    order: tuple
    outside_budget_after_fy_index: int | None = None
    granted_oku_yen: float = 0.0


class FiscalBudget:
    """The program's money by fiscal year, with single-year budgeting (単年度主義).

    Each April the year's budget arrives and what was not committed in the year before
    lapses, except ``carryover_share`` of it. By default only a year's own budget carries over,
    once: carried-over money that is again unspent lapses (``carryover_compounds`` lets it
    carry again). Carried-over money is spent first.

    The April refill happens before anything else at that instant (an event of the highest
    priority), so a request made exactly on 1 April never touches the old year's money.
    Requests made during a year are granted at once if the money is there. Requests waiting
    for money, and every request made at an April instant, are served together at the end of
    that instant in funding order (first fit): continuing parts of stages already under
    contract, then new stages of projects already in the program, then new projects; within
    each, higher scenario priority first, then the order of the scenario file.

    Parameters
    ----------
    env : simpy.Environment
    budget_by_year_oku_yen : list of float
        Budget of fiscal year ``as_of_fy + k`` at index k [億円]; later years get none.
    carryover_share : float
        Share of a year's unspent money usable in the next year, in [0, 1].
    carryover_compounds : bool
        Whether money carried into a year can be carried again.
    """

    def __init__(
        self,
        env: simpy.Environment,
        budget_by_year_oku_yen: list[float],
        carryover_share: float,
        carryover_compounds: bool = False,
    ):
        self.env = env
        self.budget = list(budget_by_year_oku_yen)
        self.carryover_share = carryover_share
        self.carryover_compounds = carryover_compounds
        self.lapsed_oku_yen = 0.0
        n = len(self.budget) + 1
        #: money carried into year k (index from as_of_fy) [億円]
        self.carried_in_oku_yen = [0.0] * n
        #: money committed from year k's budget and carry-over [億円]
        self.committed_oku_yen = [0.0] * n
        #: continuing parts paid outside any budget in year k (contracts after the program)
        self.outside_oku_yen = [0.0] * n
        self._fresh = 0.0  # this year's own budget, uncommitted
        self._carried = 0.0  # carried into this year, uncommitted
        self._year = -1
        self._serving = False  # True from an April refill to the end of that instant
        self._queue: list[BudgetRequest] = []
        self._april(0)
        for k in range(1, n):
            ev = simpy.Event(env)
            ev._ok = True
            ev._value = k
            ev.callbacks.append(lambda e: self._april(e.value))
            env.schedule(ev, URGENT, 12.0 * k - env.now)

    # ------------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        """Index (from ``as_of_fy``) of the fiscal year whose money is current."""
        return self._year

    @property
    def level_oku_yen(self) -> float:
        """Money available now [億円]."""
        return self._fresh + self._carried

    def money_ahead(self) -> bool:
        """Whether this year or a later one has (or may have) uncommitted money."""
        return self.level_oku_yen > EPS or any(b > EPS for b in self.budget[self._year + 1 :])

    def _april(self, k: int) -> None:
        """Year ``k`` starts: lapse, carry over, refill; serve the queue at the instant's end."""
        carry = self.carryover_share * (
            self._fresh + (self._carried if self.carryover_compounds else 0.0)
        )
        self.lapsed_oku_yen += self._fresh + self._carried - carry
        self._year = k
        self._carried = carry
        self._fresh = self.budget[k] if k < len(self.budget) else 0.0
        self.carried_in_oku_yen[k] = carry
        self._serving = True
        ev = simpy.Event(self.env)
        ev._ok = True
        ev._value = None
        ev.callbacks.append(lambda _e: self._serve())
        self.env.schedule(ev, LATE, 0.0)

    def _commit(self, req: BudgetRequest, amount: float) -> None:
        take = min(self._carried, amount)
        self._carried -= take
        self._fresh = max(self._fresh - (amount - take), 0.0)
        self.committed_oku_yen[self._year] += amount
        req.granted_oku_yen = amount
        req.event.succeed(amount)

    def _try(self, req: BudgetRequest) -> bool:
        amount = req.amount_oku_yen(self.env.now)
        after = req.outside_budget_after_fy_index
        if after is not None and self._year > after:
            self.outside_oku_yen[self._year] += amount
            req.granted_oku_yen = amount
            req.event.succeed(amount)
            return True
        if amount <= self.level_oku_yen + EPS:
            self._commit(req, amount)
            return True
        return False

    def _serve(self) -> None:
        self._serving = False
        waiting = sorted(self._queue, key=lambda r: r.order)
        self._queue = [r for r in waiting if not self._try(r)]

    # ------------------------------------------------------------------------------------
    def request(
        self,
        amount_oku_yen: Callable[[float], float],
        order: tuple,
        outside_budget_after_fy_index: int | None = None,
    ) -> BudgetRequest:
        """Ask for money; ``request(...).event`` fires (value: the amount) once committed.

        ``outside_budget_after_fy_index``: in years after that index (from ``as_of_fy``) the
        amount is paid outside the budget (contracts honoured after the program ends).
        """
        req = BudgetRequest(simpy.Event(self.env), amount_oku_yen, order,
                            outside_budget_after_fy_index)
        due = self.env.now >= 12.0 * (self._year + 1) - APRIL_DUE_M
        if self._serving or due or not self._try(req):
            self._queue.append(req)
        return req

    def cancel(self, req: BudgetRequest) -> None:
        """Withdraw a request that has not been granted."""
        if req in self._queue:
            self._queue.remove(req)


class JointCommittee:
    """A partner country's Joint Committee, which decides only at meetings or e-decisions.

    Methodology approvals, registrations and issuances wait for the next decision.
    ``decision()`` returns an event that fires at the next decision time strictly after now.
    The decision times are the trial's own numbers (:mod:`sim.draws`, made on demand by
    :func:`sim.ppf.jc_decision` when the interval has a quantile function), so they do not
    depend on who asks when.

    Parameters
    ----------
    env : simpy.Environment
    decision_times_m : sequence of float
        Increasing decision times [months from the simulation start]; the last one lies after
        the end of the simulation.
    """

    def __init__(self, env: simpy.Environment, decision_times_m):
        self.env = env
        self.decision_times = [float(t) for t in decision_times_m]
        self._events: dict[int, simpy.Event] = {}
        self._k = 0  # decisions before index _k are in the past

    def decision(self) -> simpy.Event:
        """The event of the next decision (strictly after the current time)."""
        now = self.env.now
        times = self.decision_times
        k = self._k
        while k < len(times) and times[k] <= now:
            self._events.pop(k, None)
            k += 1
        if k >= len(times):
            raise RuntimeError("the Joint Committee calendar ends before the simulation does")
        self._k = k
        event = self._events.get(k)
        if event is None:
            event = self.env.timeout(times[k] - now, value=times[k])
            self._events[k] = event
        return event
