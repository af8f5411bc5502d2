"""Shared limits of the program as SimPy objects: fiscal-year budget and Joint Committees.

Time is in months since 1 April of the scenario's ``as_of_fy``; month 12k is the k-th April.
Third-party-entity capacity and staff capacity are plain :class:`simpy.Resource` objects
created by :mod:`sim.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

EPS = 1e-9


class FiscalBudget(simpy.Container):
    """The program's money for the current fiscal year.

    Each April the year's budget arrives; what was not committed in the year before lapses,
    except ``carryover_share`` of it (単年度主義: single-year budgeting). A stage starts only
    once its whole cost can be committed from the current year's money; a request that does
    not fit waits for the next April. Requests are served first-fit in the order they were
    made, so a small stage is not held up behind a large one that does not fit.

    Parameters
    ----------
    env : simpy.Environment
    budget_by_year_oku_yen : list of float
        Budget of fiscal year ``as_of_fy + k`` at index k [億円]; later years get none.
    carryover_share : float
        Share of a year's unspent money usable in the next year, in [0, 1].
    """

    def __init__(
        self, env: simpy.Environment, budget_by_year_oku_yen: list[float], carryover_share: float
    ):
        super().__init__(env, capacity=float("inf"), init=0.0)
        self.budget = list(budget_by_year_oku_yen)
        self.carryover_share = carryover_share
        self.lapsed_oku_yen = 0.0
        env.process(self._aprils())

    def _do_get(self, event: simpy.resources.container.ContainerGet) -> bool:
        if self._level + EPS >= event.amount:
            self._level = max(self._level - event.amount, 0.0)
            event.succeed()
        return True  # keep looking: first fit, not first come first served

    def _aprils(self):
        for k, amount in enumerate(self.budget):
            if k > 0:
                yield self._env.timeout(12.0)
            carried = self._level * self.carryover_share
            self.lapsed_oku_yen += self._level - carried
            self._level = carried + amount
            self._trigger_get(None)
        yield self._env.timeout(12.0)
        carried = self._level * self.carryover_share
        self.lapsed_oku_yen += self._level - carried
        self._level = 0.0


class JointCommittee:
    """A partner country's Joint Committee, which decides only at meetings or e-decisions.

    Methodology approvals, registrations and issuances wait for the next decision.
    ``decision()`` returns an event that fires at the next decision time after now. Decision
    times are drawn lazily, in order, from the country's own stream, so a country nobody
    waits on costs nothing and the times do not depend on who asks when.

    Parameters
    ----------
    env : simpy.Environment
    draw_interval_months : callable
        Returns the months until the following decision (from the country's random stream).
    first_offset_months : float
        Months until the first decision after the simulation starts.
    """

    def __init__(
        self,
        env: simpy.Environment,
        draw_interval_months: Callable[[], float],
        first_offset_months: float,
    ):
        self.env = env
        self._draw = draw_interval_months
        self.decision_times: list[float] = [float(first_offset_months)]
        self._events: dict[int, simpy.Event] = {}
        self._k = 0  # decisions before index _k are in the past

    def decision(self) -> simpy.Event:
        """The event of the next decision (strictly after the current time)."""
        now = self.env.now
        times = self.decision_times
        k = self._k
        while True:
            while k >= len(times):
                times.append(times[-1] + max(self._draw(), 0.01))
            if times[k] > now:
                break
            self._events.pop(k, None)
            k += 1
        self._k = k
        event = self._events.get(k)
        if event is None:
            event = self.env.timeout(times[k] - now, value=times[k])
            self._events[k] = event
        return event
