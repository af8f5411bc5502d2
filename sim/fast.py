"""The fast engine: a batch of trials through the compiled event loop of
:mod:`sim.fast_kernel`, each followed by its replications (:func:`sim.dissemination.replicate`,
which the SimPy engine calls too), from the same random numbers (:mod:`sim.draws`) as the
SimPy engine, with the same results.

Trial 0 records its stage dates (the timeline a Gantt chart shows) as the SimPy engine does
with ``record_events``; a trial the kernel flags as ambiguous (two racing events at the very
same instant, see :mod:`sim.fast_kernel`) is rerun by the SimPy engine. :func:`fast_support`
says when the fast engine cannot run a scenario at all (numba missing), and why.
"""

from __future__ import annotations

import numpy as np

from sim.dissemination import known_code
from sim.draws import BatchDraws, block_pieces, draw_batch, used_countries
from sim.lifecycle import DEADLINE_LEAD_M, Trial, TrialRecord
from sim.scenario import Kind, Scenario, Stage, Status
from sim.summaries import ANNUAL, summarise, year_stop

_KIND = {Kind.demonstration: 0, Kind.methodology: 1, Kind.quantification: 2}
_STATUS = {Status.candidate: 0, Status.running: 1, Status.finished: 2}
_STAGE = {None: 0, Stage.design: 1, Stage.main: 2, Stage.followup: 3}


def fast_support() -> str | None:
    """None when the fast engine can run here; otherwise the reason it cannot."""
    try:
        import numba  # noqa: F401
    except ImportError:  # pragma: no cover - numba is a dependency
        return "numba is not installed, so the compiled event loop is unavailable"
    return None


class _Static:
    """A scenario as the arrays the kernel reads (one per project), plus its history."""

    def __init__(self, sc: Scenario):
        prog, a = sc.program, sc.assumptions
        ps = sc.projects
        n_p = len(ps)
        self.P = n_p
        self.years = np.arange(prog.first_fy, prog.horizon_fy + 1)
        self.n_years = len(self.years)
        self.y0 = prog.as_of_fy - prog.first_fy
        self.end_m = 12.0 * (prog.horizon_fy - prog.as_of_fy + 1)
        self.kind = np.array([_KIND[p.kind] for p in ps], dtype=np.int64)
        self.status = np.array([_STATUS[p.status] for p in ps], dtype=np.int64)
        self.stage0 = np.array([_STAGE[p.stage if p.status is Status.running else None]
                                for p in ps], dtype=np.int64)
        self.elapsed0 = np.array([p.months_in_stage for p in ps], dtype=float)
        self.earliest_m = np.array(
            [12.0 * ((p.earliest_start_fy or prog.as_of_fy) - prog.as_of_fy) for p in ps])
        self.deadline_m = np.array(
            [12.0 * ((p.latest_start_fy or prog.last_fy) - prog.as_of_fy + 1) - DEADLINE_LEAD_M
             for p in ps])
        self.started_fy = np.array([p.started_fy if p.started_fy is not None else -1
                                    for p in ps], dtype=np.int64)
        self.finished_fy = np.array([p.finished_fy if p.finished_fy is not None else -1
                                     for p in ps], dtype=np.int64)
        self.hist_succeeded = np.array([p.succeeded for p in ps], dtype=np.bool_)
        self.hist_registered = np.array([p.registered or p.issued_t > 0 for p in ps],
                                        dtype=np.bool_)
        self.monitored_t = np.array([p.monitored_unissued_t for p in ps], dtype=float)
        self.meth_needed = np.array([p.methodology_needed for p in ps], dtype=np.bool_)
        self.known = np.array([known_code(p) for p in ps] or [-1], dtype=np.int64)
        keys: dict[tuple[str, str], int] = {}
        for p in ps:
            keys.setdefault((p.country, p.technology), len(keys))
        self.meth_key = np.array([keys[(p.country, p.technology)] for p in ps], dtype=np.int64)
        self.n_keys = max(len(keys), 1)
        countries = list(used_countries(sc))
        self.country = np.array([countries.index(p.country) for p in ps], dtype=np.int64)
        order = sorted(range(n_p), key=lambda i: (-ps[i].priority, i))
        self.prank = np.empty(n_p, dtype=np.int64)
        self.prank[order] = np.arange(n_p)
        self.fin_design = np.array([p.status is Status.finished and p.stage is Stage.design
                                    for p in ps], dtype=np.bool_)
        self.first_fy, self.as_of_fy = prog.first_fy, prog.as_of_fy
        # years after this index are paid outside the budget (never, when contracts end
        # with the program)
        self.outside_after = ((prog.last_fy - prog.as_of_fy) if a.contracts_after_program
                              else 2**31)
        self.carry_share = float(a.carryover_share)
        self.compounds = bool(a.carryover_compounds)
        self.staff_cap, self.tpe_cap = int(a.staff_limit), int(a.tpe_capacity)
        self.budget_means = np.array([sc.budget_mean_oku_yen(int(fy)) for fy in self.years])
        self._history(sc)

    def _history(self, sc: Scenario) -> None:
        """What :meth:`sim.lifecycle.Trial._history` records, the same for every trial."""
        rec = Trial.__new__(Trial)
        n_p, n_y = self.P, self.n_years
        rec.sc, rec.years, rec.y0 = sc, self.years, self.y0
        rec.rec = TrialRecord(
            spend_oku_yen=np.zeros((n_p, n_y)), credits_t=np.zeros((n_p, n_y)),
            japan_credits_t=np.zeros((n_p, n_y)), demo_reductions_t=np.zeros((n_p, n_y)),
            dissemination_t=np.zeros((n_p, n_y)), start_fy=np.full(n_p, -1),
            main_start_fy=np.full(n_p, -1), main_end_fy=np.full(n_p, -1),
            succeeded=np.zeros(n_p, dtype=bool), dissemination_cases=np.zeros(n_p, dtype=int),
            first_case_fy=np.full(n_p, -1), dissemination_lifetime_t=np.zeros(n_p))
        for i, p in enumerate(sc.projects):
            Trial._history(rec, i, p)
        self.hist = rec.rec
        h = self.hist
        self.hist_arrays = np.zeros((3, max(n_p, 1), n_y))
        self.hist_arrays[:, :n_p] = (h.spend_oku_yen, h.credits_t, h.japan_credits_t)


def _cache_key(sc: Scenario) -> int:
    return id(sc)


_STATIC: dict[int, tuple[Scenario, _Static]] = {}


def _static(sc: Scenario) -> _Static:
    hit = _STATIC.get(_cache_key(sc))
    if hit is not None and hit[0] is sc:
        return hit[1]
    st = _Static(sc)
    if len(_STATIC) > 8:
        _STATIC.clear()
    _STATIC[_cache_key(sc)] = (sc, st)
    return st


def run_fast(scenario: Scenario, seed: int, trials: range, draws: BatchDraws | None = None,
             summaries: bool = False, timeline_trial: int = 0
             ) -> tuple[dict[str, np.ndarray], list, np.ndarray]:
    """Trials ``trials`` by the fast engine, stacked along axis 0 as
    :func:`sim.montecarlo._run_batch` stacks them (the (trials, projects, years) arrays of
    spending and reductions as float32, the precision the results keep), with the stage
    dates of trial ``timeline_trial`` (0, as the SimPy engine records them; an empty list if
    not in the range) and a bool array marking the trials rerun by the SimPy engine because
    the kernel flagged them.

    With ``summaries``, the (trials, projects, years) arrays of spending and reductions are
    replaced by their summaries (:func:`sim.summaries.summarise`, the same numbers), made by
    the compiled loop at the end of each trial instead of from arrays kept for the batch."""
    pieces = [trials] if draws is not None else block_pieces(trials)
    parts = [_run_piece(scenario, seed, piece, draws if draws is not None
                        else draw_batch(scenario, seed, piece), summaries, timeline_trial)
             for piece in pieces]
    if len(parts) == 1:
        return parts[0]
    out = {k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]}
    events = next((p[1] for p in parts if p[1]), [])
    return out, events, np.concatenate([p[2] for p in parts])


def timeline_rows(n_projects: int, n_years: int) -> int:
    """Room for the stage dates of one trial: each project's stages, and a pause for each
    year's payment (a trial that needs more is rerun by the SimPy engine)."""
    return n_projects * (n_years + 16) + 16


def _run_piece(scenario: Scenario, seed: int, trials: range, d: BatchDraws,
               summaries: bool = False, timeline_trial: int = 0):
    from sim.fast_kernel import SPAN_NAMES, run_rows

    st = _static(scenario)
    n, P, ny = len(trials), st.P, st.n_years
    n_ys = d.budget_oku_yen.shape[1]
    h = st.hist
    shape = (1, 1, 1) if summaries else (n, P, ny)
    spend = np.empty(shape, dtype=np.float32)
    credits = np.empty(shape, dtype=np.float32)
    japan = np.empty(shape, dtype=np.float32)
    demo = np.empty(shape, dtype=np.float32)
    s_shape = (n, P, ny) if summaries else (1, 1, 1)
    s_prog = np.empty((4, s_shape[0], s_shape[2]))
    s_c30 = np.empty(s_shape[:2])
    s_c40 = np.empty(s_shape[:2], dtype=np.float32)
    s_pspend = np.empty(s_shape[:2], dtype=np.float32)
    s_total = np.empty(s_shape[0])
    start_fy = np.repeat(h.start_fy[None].astype(np.int64), n, axis=0)
    main_start_fy = np.repeat(h.main_start_fy[None].astype(np.int64), n, axis=0)
    main_end_fy = np.repeat(h.main_end_fy[None].astype(np.int64), n, axis=0)
    succeeded = np.repeat(h.succeeded[None], n, axis=0)
    diss_t = np.full((n, P), np.nan)
    lapsed = np.zeros(n)
    committed = np.zeros((n, n_ys + 1))
    carried_in = np.zeros((n, n_ys + 1))
    outside = np.zeros((n, n_ys + 1))
    flags = np.zeros(n, dtype=np.int64)
    # replications, made by the compiled loop at the end of each trial
    cases = np.zeros((n, P), dtype=np.int64)
    first_case = np.full((n, P), -1, dtype=np.int64)
    life = np.zeros((n, P))
    diss = np.zeros(shape, dtype=np.float32)
    prog_diss = np.zeros((n, ny) if summaries else (1, 1))
    pr = d.project
    widths = np.array([v.shape[1] for v in d.verify_months], dtype=np.int64)
    offs = np.zeros(P, dtype=np.int64)
    if P:
        offs[1:] = np.cumsum(widths * n)[:-1]
    v_months = np.concatenate([v.ravel() for v in d.verify_months] + [np.zeros(1)])
    v_work = np.concatenate([v.ravel() for v in d.verify_work_months] + [np.zeros(1)])
    # the timeline of one trial: rows of (project, stage code, start, end)
    recording = timeline_trial in trials
    tl = np.zeros((timeline_rows(P, ny) if recording else 1, 4))
    tl_n = np.zeros(2, dtype=np.int64)
    f = np.ascontiguousarray
    run_rows(
        n, P, st.kind, st.status, st.stage0, st.elapsed0, st.earliest_m, st.deadline_m,
        st.started_fy, st.finished_fy, st.hist_succeeded, st.hist_registered, st.monitored_t,
        st.meth_needed, st.meth_key, st.n_keys, st.country, st.prank, st.fin_design,
        st.first_fy, st.as_of_fy, st.y0, ny, st.end_m, st.outside_after, st.carry_share,
        st.compounds, st.staff_cap, st.tpe_cap,
        pr.specs, pr.post, pr.flags, pr.keys, offs, widths, v_months, v_work,
        1 if d.verify_specs is not None else 0,
        d.verify_keys if d.verify_keys is not None else np.zeros(max(P, 1), dtype=np.uint64),
        d.verify_specs if d.verify_specs is not None else np.zeros((2, 4)), trials.start,
        f(d.jc_times), 1 if d.jc_specs is not None else 0,
        d.jc_specs if d.jc_specs is not None else np.zeros((1, 5)),
        d.jc_keys if d.jc_keys is not None else np.zeros(1, dtype=np.uint64),
        f(d.first_registration_m), f(d.budget_oku_yen),
        spend, credits, japan, demo, start_fy, main_start_fy, main_end_fy, succeeded,
        diss_t, lapsed, committed, carried_in, outside, st.hist_arrays, int(summaries),
        year_stop(2030 - st.first_fy, ny), year_stop(2040 - st.first_fy, ny),
        s_prog, s_c30, s_c40, s_pspend, s_total, flags,
        pr.adopt_keys, st.known, cases, first_case, life, diss, prog_diss,
        timeline_trial if recording else -1, tl, tl_n)
    trial_ids = np.arange(trials.start, trials.stop)
    budget = np.repeat(st.budget_means[None], n, axis=0)
    budget[:, st.y0:] = d.budget_oku_yen
    pad = np.zeros((n, st.y0))
    if summaries:
        stacked = {"program:spend_oku_yen": s_prog[0], "program:credits_t": s_prog[1],
                   "program:japan_credits_t": s_prog[2], "program:demo_reductions_t": s_prog[3],
                   "program:dissemination_t": prog_diss, "project_credits_fy2030_t": s_c30,
                   "project_credits_fy2040_t": s_c40, "project_spend_oku_yen": s_pspend,
                   "spend_total_oku_yen": s_total}
    else:
        stacked = {"spend_oku_yen": spend, "credits_t": credits, "japan_credits_t": japan,
                   "demo_reductions_t": demo, "dissemination_t": diss}
    stacked |= {
        "start_fy": start_fy,
        "main_start_fy": main_start_fy, "main_end_fy": main_end_fy,
        "dissemination_cases": cases, "first_case_fy": first_case,
        "dissemination_lifetime_t": life, "succeeded": succeeded, "lapsed": lapsed,
        "budget": budget,
        "budget_committed_oku_yen": np.concatenate([pad, committed[:, :n_ys]], axis=1),
        "budget_carried_in_oku_yen": np.concatenate([pad, carried_in[:, :n_ys]], axis=1),
        "budget_outside_oku_yen": np.concatenate([pad, outside[:, :n_ys]], axis=1),
    }
    events: list = []
    rerun = flags.astype(bool)
    if recording and not rerun[timeline_trial - trials.start]:
        ids = [p.id for p in scenario.projects]
        events = [(ids[int(i)], SPAN_NAMES[int(code)], float(t0), float(t1))
                  for i, code, t0, t1 in tl[: tl_n[0]]]
    for r in np.flatnonzero(rerun):
        k = int(trial_ids[r])
        rec = Trial(scenario, seed, k, record_events=(k == timeline_trial), draws=d).run()
        annual = {name: getattr(rec, name).astype(np.float32)[None] for name in ANNUAL}
        if summaries:
            for name, row in summarise(annual, 2030 - st.first_fy, 2040 - st.first_fy).items():
                stacked[name][r] = row[0]
        else:
            for name in ANNUAL:
                stacked[name][r] = annual[name][0]
        for name in ("start_fy", "main_start_fy", "main_end_fy", "dissemination_cases",
                     "first_case_fy", "dissemination_lifetime_t", "succeeded"):
            stacked[name][r] = getattr(rec, name)
        stacked["lapsed"][r] = rec.lapsed_oku_yen
        for name in ("budget_committed_oku_yen", "budget_carried_in_oku_yen",
                     "budget_outside_oku_yen"):
            stacked[name][r, st.y0:] = getattr(rec, name)
        if k == timeline_trial:
            events = rec.events
    return stacked, events, rerun


#: A one-project scenario that goes through every compiled function (run by :func:`load`).
_TINY = {
    "name": "compile",
    "program": {"first_fy": 2026, "last_fy": 2027, "as_of_fy": 2026, "horizon_fy": 2040},
    "budget": {"FY2026": 10.0, "FY2027": 10.0},
    "assumptions": {"validation_months": 2.0, "verification_months": 1.0,
                    "jc_interval_months": 1.0},
    "countries": {"Testland": {}},
    "projects": {"demo": {
        "name": "demo", "country": "Testland", "technology": "t", "kind": "demonstration",
        "status": "candidate", "earliest_start_fy": 2026, "design_cost_oku_yen": 1.0,
        "design_months": 6.0, "main_cost_oku_yen": 2.0, "build_months": 6.0,
        "main_months": 12.0, "expected_t_per_yr": 1000.0, "followup_years": 1.0,
        "dissemination_prob": 1.0, "market_size": 5.0, "replication_t_per_yr": 10.0}},
}
_LOADED = False


def load() -> None:
    """Compile, or load from numba's disk cache, every function of the fast engine in this
    process (a few hundred milliseconds when cached), so that processes forked from it for a
    run start with the machine code already in memory."""
    global _LOADED
    if _LOADED or fast_support() is not None:
        return
    from sim.loader import scenario_from_dict

    _compile_all(scenario_from_dict(_TINY, "<compile>"))
    _LOADED = True


def _compile_all(sc: Scenario) -> None:
    """Run every compiled function of a fast run once: the engine and the summaries."""
    out, _, _ = run_fast(sc, 1, range(0, 3))  # trial 0 records the timeline
    summarise({name: out[name] for name in ANNUAL}, 12, 22)


def warm() -> float:
    """Compile the fast engine (numba caches the machine code on disk, so later processes
    load it in a fraction of a second) by running two trials of a small built-in scenario;
    returns the seconds it took."""
    import time
    from pathlib import Path

    from sim.loader import load_scenario

    t0 = time.perf_counter()
    _compile_all(load_scenario(Path(__file__).resolve().parents[1] / "scenarios"
                               / "baseline.toml"))
    return time.perf_counter() - t0


if __name__ == "__main__":  # python -m sim.fast: compile the engine ahead of its first use
    print(f"fast engine ready ({warm():.1f} s)")
