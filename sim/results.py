"""Simulation results: per trial, project and fiscal year, with units in every field name."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StageSpan:
    """One stage of one project in the recorded trial, as fiscal-year-aware month offsets.

    ``start_month`` and ``end_month`` count months from 1 April of the scenario's ``as_of_fy``
    (negative for a stage that began before the simulation).
    """

    project_id: str
    stage: str
    start_month: float
    end_month: float


@dataclass(frozen=True)
class SimulationResults:
    """Everything a Monte Carlo run produced.

    Arrays of shape (trials, projects, years) hold amounts per fiscal year; ``years`` runs from
    the program's first fiscal year to the horizon. Amounts before ``as_of_fy`` are history
    from the scenario file (spend spread over the years a project ran; credits issued before
    the simulation are put in the year before ``as_of_fy``).

    Attributes
    ----------
    spend_oku_yen : float32 array (trials, projects, years)
        Money committed to each project's stages [億円].
    credits_t : float32 array (trials, projects, years)
        JCM credits issued [t-CO2].
    japan_credits_t : float32 array (trials, projects, years)
        Japan's share of the credits issued [t-CO2].
    demo_reductions_t : float32 array (trials, projects, years)
        Reductions monitored at the project itself, issued or not [t-CO2].
    dissemination_t : float32 array (trials, projects, years)
        Reductions by replications after the demonstration [t-CO2].
    start_fy : int array (trials, projects)
        Fiscal year the project started; -1 if it never did.
    main_start_fy : int array (trials, projects)
        Fiscal year its main stage began (a demonstration: the demonstration itself, 実証事業,
        after the design study); -1 if it never did.
    main_end_fy : int array (trials, projects)
        Fiscal year its main stage ended; -1 if it never did within the horizon.
    succeeded : bool array (trials, projects)
        The main stage succeeded (a methodology: approved by the Joint Committee).
    dissemination_cases : int array (trials, projects)
        Replications adopted by the end of the horizon [count].
    first_case_fy : int array (trials, projects)
        Fiscal year of the first replication; -1 if none.
    dissemination_lifetime_t : float array (trials, projects)
        Reductions of the replications adopted by the horizon over their whole lifetime, not
        cut at the horizon (普及展開期間全体) [t-CO2].
    lapsed_oku_yen : float array (trials,)
        Budget that lapsed unspent from ``as_of_fy`` to the horizon [億円].
    budget_oku_yen : float array (trials, years)
        The budget each trial drew for each fiscal year [億円] (0 where none is set).
    timeline : tuple of StageSpan
        Stage dates of every project in trial 0 (a typical trial for a Gantt chart).
    budget_committed_oku_yen, budget_carried_in_oku_yen, budget_outside_oku_yen : float arrays
        (trials, years): money committed from each simulated year's budget and carry-over,
        money carried into it, and contracted parts paid outside any budget after the
        program [億円]; zero before ``as_of_fy``.

    A run made with ``keep_projects=False`` (see :func:`sim.montecarlo.simulate`) holds no
    (trials, projects, years) arrays (they are None); it holds instead, reduced in the workers
    as each batch finished, what the KPIs, the report and the project table need:

    program_by_fy : dict of float64 arrays (trials, years)
        Program totals per fiscal year of ``spend_oku_yen``, ``credits_t``,
        ``japan_credits_t``, ``demo_reductions_t`` and ``dissemination_t``.
    project_credits_fy2030_t, project_credits_fy2040_t : arrays (trials, projects)
        Credits issued by each project to the end of FY2030 (float64) and FY2040 (float32).
    project_spend_oku_yen : float32 array (trials, projects)
        Money committed to each project over all years [億円].
    spend_total_oku_yen : float64 array (trials,)
        Program spend of each trial [億円].

    ``engine`` names the engine that ran ("fast" or "des"), ``engine_note`` says why, and
    ``des_reruns`` counts the trials the fast engine handed to the SimPy engine.

    The accessors (:meth:`program_series`, :meth:`project_credits_to_t`,
    :meth:`spend_by_trial_oku_yen`) give the same numbers either way.
    """

    scenario_name: str
    seed: int
    years: np.ndarray
    as_of_fy: int
    project_ids: tuple[str, ...]
    project_kinds: tuple[str, ...]
    project_status: tuple[str, ...]
    spend_oku_yen: np.ndarray | None
    credits_t: np.ndarray | None
    japan_credits_t: np.ndarray | None
    demo_reductions_t: np.ndarray | None
    dissemination_t: np.ndarray | None
    start_fy: np.ndarray
    main_start_fy: np.ndarray
    main_end_fy: np.ndarray
    succeeded: np.ndarray
    dissemination_cases: np.ndarray
    first_case_fy: np.ndarray
    dissemination_lifetime_t: np.ndarray
    lapsed_oku_yen: np.ndarray
    budget_oku_yen: np.ndarray
    timeline: tuple[StageSpan, ...]
    budget_committed_oku_yen: np.ndarray | None = None
    budget_carried_in_oku_yen: np.ndarray | None = None
    budget_outside_oku_yen: np.ndarray | None = None
    program_by_fy: dict[str, np.ndarray] | None = None
    project_credits_fy2030_t: np.ndarray | None = None
    project_credits_fy2040_t: np.ndarray | None = None
    project_spend_oku_yen: np.ndarray | None = None
    spend_total_oku_yen: np.ndarray | None = None
    engine: str = "des"
    engine_note: str = ""
    des_reruns: int = 0

    @property
    def n_trials(self) -> int:
        return int(self.start_fy.shape[0])

    @property
    def has_project_arrays(self) -> bool:
        """Whether the (trials, projects, years) arrays were kept."""
        return self.credits_t is not None

    def _kept(self, key: tuple, make) -> np.ndarray:
        """The reduction ``make()`` of the per-project arrays, made once per run and kept
        read-only (the KPIs, the report and the app's series each ask for the same program
        totals: 16 sums of the (trials, projects, years) arrays for one forecast of the app)."""
        memo = self.__dict__.setdefault("_reductions", {})
        if key not in memo:
            value = make()
            value.setflags(write=False)
            memo[key] = value
        return memo[key]

    def _need_projects(self, what: str) -> None:
        if not self.has_project_arrays:
            raise ValueError(f"{what} needs the per-project arrays: simulate with "
                             "keep_projects=True")

    def program_series(self, name: str) -> np.ndarray:
        """Program total per trial and fiscal year of one annual array, float64 (trials,
        years); ``name`` is one of ``spend_oku_yen``, ``credits_t``, ``japan_credits_t``,
        ``demo_reductions_t``, ``dissemination_t``."""
        if self.has_project_arrays:
            return self._kept(("program", name), lambda: program_totals(getattr(self, name)))
        assert self.program_by_fy is not None
        return self.program_by_fy[name]

    def project_credits_to_t(self, fy: int) -> np.ndarray:
        """Credits issued by each project to the end of ``fy``, float64 (trials, projects)."""
        if self.has_project_arrays:
            return self._kept(("credits_to", fy),
                              lambda: credits_to(self.credits_t, self.year_index(fy)))
        if fy == 2030 and self.project_credits_fy2030_t is not None:
            return self.project_credits_fy2030_t
        if fy == 2040 and self.project_credits_fy2040_t is not None:
            return self.project_credits_fy2040_t.astype(np.float64)
        self._need_projects(f"credits by project to FY{fy}")
        raise AssertionError  # unreachable

    def spend_by_trial_oku_yen(self) -> np.ndarray:
        """Program spend of each trial [億円], float64 (trials,)."""
        if self.has_project_arrays:
            return self._kept(("spend",), lambda: spend_totals(self.spend_oku_yen))
        assert self.spend_total_oku_yen is not None
        return self.spend_total_oku_yen

    def year_index(self, fy: int) -> int:
        """Index of fiscal year ``fy`` along the year axis."""
        return int(fy - self.years[0])

    def kind_mask(self, kind: str) -> np.ndarray:
        """Bool array over projects of the given kind."""
        return np.array([k == kind for k in self.project_kinds])

    def project_table(self) -> list[dict]:
        """Per project: chance it starts and succeeds, expected credits to the end of FY2030
        and FY2040 [t-CO2], expected spend [億円] and cost per credit to FY2040 [JPY/t]."""
        if self.has_project_arrays:  # the same reductions as the workers' summaries
            c30 = self.project_credits_to_t(2030).mean(axis=0)
            c40 = self.project_credits_to_t(2040).astype(np.float32).mean(axis=0,
                                                                          dtype=np.float64)
            spend = self.spend_oku_yen.sum(axis=2, dtype=np.float64).astype(np.float32).mean(
                axis=0, dtype=np.float64)
        else:
            c30 = self.project_credits_fy2030_t.mean(axis=0)
            c40 = self.project_credits_fy2040_t.mean(axis=0, dtype=np.float64)
            spend = self.project_spend_oku_yen.mean(axis=0, dtype=np.float64)
        rows = []
        for j, pid in enumerate(self.project_ids):
            c = float(c40[j])
            s = float(spend[j])
            rows.append({
                "id": pid,
                "kind": self.project_kinds[j],
                "status": self.project_status[j],
                "prob_started": float((self.start_fy[:, j] >= 0).mean()),
                "prob_succeeded": float(self.succeeded[:, j].mean()),
                "expected_credits_fy2030_t": float(c30[j]),
                "expected_credits_fy2040_t": c,
                "expected_spend_oku_yen": s,
                "cost_per_credit_yen": (s * 1e8 / c) if c > 0 else None,
                "prob_disseminated": float((self.dissemination_cases[:, j] > 0).mean()),
            })
        return rows


# Reductions shared by the full arrays and the workers' summaries, so both give the same bits.
def program_totals(array: np.ndarray) -> np.ndarray:
    """Sum over projects of a (trials, projects, years) array, float64 (trials, years)."""
    return array.sum(axis=1, dtype=np.float64)


def credits_to(credits_t: np.ndarray, year_index: int) -> np.ndarray:
    """Per project, the sum over years up to ``year_index`` (inclusive), float64."""
    return credits_t[:, :, : year_index + 1].sum(axis=2, dtype=np.float64)


def spend_totals(spend_oku_yen: np.ndarray) -> np.ndarray:
    """Sum over projects and years, float64 (trials,)."""
    return spend_oku_yen.sum(axis=(1, 2), dtype=np.float64)
