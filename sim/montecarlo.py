"""Monte Carlo over trials of :mod:`sim.lifecycle`, in batches, on one or more processes or on
a Dask cluster.

Trial ``k`` of seed ``s`` always draws from the same streams (keyed by ``(s, k, name)``), so
the results are identical whatever the batch size, the number of workers or where the
batches run. Each finished batch is written into arrays allocated once for the whole run (by
trial number, so the order in which batches finish does not matter) and then dropped; with
``keep_projects=False`` a batch is reduced in its worker to what the KPIs and the report need
(per-trial program totals and per-project scalars), which keeps 100,000 trials of a
200-project scenario within a few hundred MiB.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import numpy as np

from sim.draws import BLOCK, block_pieces, draw_batch
from sim.engines import ENGINES, effective_workers
from sim.lifecycle import Trial
from sim.results import SimulationResults, StageSpan
from sim.scenario import Scenario
from sim.summaries import ANNUAL, summarise

_INTS = ("start_fy", "main_start_fy", "main_end_fy", "dissemination_cases", "first_case_fy",
         "dissemination_lifetime_t")
_BUDGET = ("budget_committed_oku_yen", "budget_carried_in_oku_yen", "budget_outside_oku_yen")
#: Fiscal-year arrays stored as int16 in summaries (a year or -1).
_FY_INTS = ("start_fy", "main_start_fy", "main_end_fy", "first_case_fy")

#: Largest default batch [trials].
MAX_BATCH = 250


def _run_batch(scenario: Scenario, seed: int, trials: range,
               keep_projects: bool = True, engine: str = "des") -> dict[str, np.ndarray | list]:
    """Run a contiguous range of trials with ``engine`` ("fast" or "des"); trial 0 also
    records its stage dates.

    With ``keep_projects=False`` the (trials, projects, years) arrays are reduced here, in the
    worker, to the summaries :class:`SimulationResults` documents.
    """
    if engine == "fast":
        from sim.fast import run_fast

        # the annual arrays come as float32, or already summarised
        stacked, events, rerun = run_fast(scenario, seed, trials, summaries=not keep_projects)
    else:
        stacked, events = _run_des(scenario, seed, trials)
        rerun = np.zeros(len(trials), dtype=bool)
    stacked["des_rerun"] = rerun
    if not keep_projects:
        stacked = _summarise_batch(scenario, stacked)
    stacked["events"] = events
    return stacked


def _run_des(scenario: Scenario, seed: int, trials: range) -> tuple[dict, list]:
    """Trials by the SimPy engine, stacked."""
    out: dict[str, list] = {
        k: [] for k in (*ANNUAL, *_INTS, *_BUDGET, "succeeded", "lapsed", "budget")
    }
    events: list = []
    prog = scenario.program
    years = np.arange(prog.first_fy, prog.horizon_fy + 1)
    y0 = prog.as_of_fy - prog.first_fy
    means = np.array([scenario.budget_mean_oku_yen(int(fy)) for fy in years])
    for piece in block_pieces(trials):
        draws = draw_batch(scenario, seed, piece)
        for k in piece:
            trial = Trial(scenario, seed, k, record_events=(k == 0), draws=draws)
            rec = trial.run()
            for name in ANNUAL:
                out[name].append(getattr(rec, name).astype(np.float32))
            for name in _INTS:
                out[name].append(getattr(rec, name))
            out["succeeded"].append(rec.succeeded)
            out["lapsed"].append(rec.lapsed_oku_yen)
            b = means.copy()
            b[y0:] = trial.budget.budget
            out["budget"].append(b)
            for name in _BUDGET:
                full = np.zeros(len(years))
                full[y0:] = getattr(rec, name)
                out[name].append(full)
            if k == 0:
                events = rec.events
    stacked = {k: np.stack(v) if k != "lapsed" else np.array(v) for k, v in out.items()}
    return stacked, events


def _summarise_batch(scenario: Scenario, part: dict) -> dict:
    """Replace a batch's (trials, projects, years) arrays by the summaries
    (:func:`sim.summaries.summarise`)."""
    first = scenario.program.first_fy
    if ANNUAL[0] in part:  # not summarised by the engine already
        part.update(summarise({name: part.pop(name) for name in ANNUAL}, 2030 - first,
                              2040 - first))
    for name in _FY_INTS:
        part[name] = part[name].astype(np.int16)
    part["dissemination_cases"] = part["dissemination_cases"].astype(np.int32)
    return part


def default_batch_size(n_trials: int, workers: int, engine: str = "des") -> int:
    """SimPy engine: about 8 batches per worker, at most :data:`MAX_BATCH` trials each. Fast
    engine: a draw block (:data:`sim.draws.BLOCK` trials), or an even split over the workers
    when that is smaller, so batches rarely share a block."""
    if engine == "fast":
        return max(1, min(BLOCK, -(-n_trials // max(workers, 1))))
    return max(1, min(MAX_BATCH, -(-n_trials // (8 * max(workers, 1)))))


def simulate(
    scenario: Scenario,
    n_trials: int,
    seed: int,
    workers: int = 1,
    batch_size: int | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
    keep_projects: bool = True,
    scheduler: Any = None,
    engine: str = "fast",
) -> SimulationResults:
    """Run ``n_trials`` trials of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    n_trials : int
        Number of Monte Carlo trials (≥ 1).
    seed : int
        Root seed; with the trial number it keys every random stream.
    workers : int
        Processes to use (1 runs in this process); with ``scheduler="local"`` the number of
        Dask workers to start (ignored for a running cluster).
    batch_size : int, optional
        Trials per batch (default: an even split into about 8 batches per worker).
    progress : callable, optional
        Called as ``progress(done, total)`` after each batch; returning False stops the run
        early (the results then hold the trials finished so far, in trial order).
    keep_projects : bool
        Keep the (trials, projects, years) arrays (the optimizer and the app's per-project
        views need them); False keeps only the summaries (see :class:`SimulationResults`).
    scheduler : str, optional
        None runs here (``workers`` processes); ``"local"`` starts a Dask ``LocalCluster``
        with ``workers`` single-threaded workers; ``"tcp://HOST:PORT"`` (or another Dask
        address) sends the batches to that running ``dask.distributed`` scheduler; a
        ``distributed.Client`` (from :func:`sim.distributed.connect`) is used as is.
    engine : str
        ``"fast"`` (the compiled engine of :mod:`sim.fast`; the SimPy engine if it cannot run
        here, see :func:`resolve_engine`) or ``"des"`` (the SimPy reference). Both give the
        same numbers.

    Returns
    -------
    SimulationResults
    """
    if n_trials < 1:
        raise ValueError("n_trials must be at least 1")
    engine, note = resolve_engine(engine)
    if scheduler is not None:
        from sim.distributed import cluster_threads, connect, dask_batches

        with connect(scheduler, workers) as client:
            if batch_size is None:
                batch_size = default_batch_size(n_trials, cluster_threads(client), engine)
            batches = _batches(n_trials, batch_size)
            merged = _merge(dask_batches(client, scenario, seed, batches, keep_projects,
                                         engine), n_trials, progress)
    else:
        workers = effective_workers(n_trials, workers, engine)
        if batch_size is None:
            batch_size = default_batch_size(n_trials, workers, engine)
        batches = _batches(n_trials, batch_size)
        merged = _merge(_local_batches(workers, scenario, seed, batches, keep_projects,
                                       engine), n_trials, progress)
    return merged.results(scenario, seed, engine, note)


def resolve_engine(requested: str) -> tuple[str, str]:
    """The engine that will run and a sentence saying which and why."""
    if requested not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {requested!r}")
    if requested == "des":
        return "des", "SimPy engine (the reference), as asked"
    from sim.fast import fast_support

    reason = fast_support()
    if reason is not None:
        return "des", f"SimPy engine: the fast engine cannot run here ({reason})"
    return "fast", ("fast engine (compiled; the SimPy engine reruns any trial the compiled "
                    "loop cannot settle exactly: two racing events at one instant, more "
                    "verifications open at once than it holds, or a recorded timeline longer "
                    "than its room)")


def _batches(n_trials: int, batch_size: int) -> list[range]:
    return [range(a, min(a + batch_size, n_trials)) for a in range(0, n_trials, batch_size)]


def _merge(stream, n_trials: int, progress) -> _Merger:
    """Merge the parts a stream yields as they come; stop early if ``progress`` says so."""
    merged = _Merger(n_trials)
    done = 0
    try:
        for b, part in stream:
            merged.add(b, part)
            done += len(b)
            if progress is not None and progress(done, n_trials) is False:
                break
    finally:
        stream.close()
    return merged


def _local_batches(workers: int, scenario: Scenario, seed: int, batches: list[range],
                   keep_projects: bool, engine: str = "des") -> Iterator[tuple[range, dict]]:
    """Yield ``(batch, part)`` as batches finish, here or on ``workers`` processes."""
    if workers <= 1:
        for b in batches:
            yield b, _run_batch(scenario, seed, b, keep_projects, engine)
        return
    if engine == "fast":  # the workers are forked with the compiled engine in memory
        from sim.fast import load

        load()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # at most a few batches queued per worker, so finished parts do not pile up
        pending: dict = {}
        todo = iter(batches)
        try:
            while True:
                while len(pending) < 2 * workers:
                    b = next(todo, None)
                    if b is None:
                        break
                    pending[pool.submit(_run_batch, scenario, seed, b, keep_projects,
                                        engine)] = b
                if not pending:
                    return
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    b = pending.pop(fut)
                    yield b, fut.result()
        finally:
            for fut in pending:
                fut.cancel()


#: From this size [bytes] a run's buffer is mapped with all its pages at once (_buffer).
POPULATE_FROM_BYTES = 64 * 2**20


def _buffer(nbytes: int) -> np.ndarray:
    """A writable uint8 buffer of ``nbytes`` for a run's arrays, which the run fills whole.

    NumPy backs an allocation this large with huge pages where the operating system offers
    them, so filling it costs a few page faults instead of one per 4 KiB (12 ms of a 280 ms
    run of 10,000 baseline trials, 33 MB). From ``POPULATE_FROM_BYTES`` the faults cost more
    than that (the system may compact memory to find each huge page: filling the 330 MB of
    100,000 baseline trials took 420 to 810 ms), so the buffer is an anonymous mapping whose
    pages the system provides in one call (``MAP_POPULATE``; 110 to 130 ms), where the
    platform has it."""
    populate = getattr(mmap, "MAP_POPULATE", None)
    if nbytes < POPULATE_FROM_BYTES or populate is None:
        return np.empty(max(nbytes, 1), dtype=np.uint8)
    mapped = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(mapped, dtype=np.uint8)


class _Merger:
    """Arrays for the whole run, filled by trial number as batches arrive."""

    def __init__(self, n_trials: int):
        self.n = n_trials
        self.arrays: dict[str, np.ndarray] = {}
        self.filled = np.zeros(n_trials, dtype=bool)
        self.events: list = []

    def _allocate(self, part: dict) -> None:
        """The run's arrays, shaped after a first part, as views of one buffer (each at a
        64-byte boundary): :func:`_buffer`."""
        layout = []
        size = 0
        for name, value in part.items():
            if name == "events":
                continue
            value = np.asarray(value)
            shape = (self.n, *value.shape[1:])
            nbytes = int(np.prod(shape)) * value.dtype.itemsize
            layout.append((name, value.dtype, shape, size, nbytes))
            size += -(-nbytes // 64) * 64
        buf = _buffer(size)
        for name, dtype, shape, at, nbytes in layout:
            self.arrays[name] = buf[at : at + nbytes].view(dtype).reshape(shape)

    def add(self, b: range, part: dict) -> None:
        if not self.arrays and b.start == 0 and b.stop == self.n:
            # one part holds the whole run: its arrays are the run's, not copied
            self.arrays = {k: np.asarray(v) for k, v in part.items() if k != "events"}
            self.filled[:] = True
            self.events = part["events"]
            return
        if not self.arrays:
            self._allocate(part)
        for name, value in part.items():
            if name == "events":
                continue
            value = np.asarray(value)
            if name not in self.arrays:
                self.arrays[name] = np.empty((self.n, *value.shape[1:]), dtype=value.dtype)
            self.arrays[name][b.start : b.stop] = value
        self.filled[b.start : b.stop] = True
        if b.start == 0:
            self.events = part["events"]

    def results(self, scenario: Scenario, seed: int, engine: str = "des",
                engine_note: str = "") -> SimulationResults:
        a = self.arrays
        if not self.filled.all():  # stopped early: the trials finished so far
            keep = np.flatnonzero(self.filled)
            a = {k: v[keep] for k, v in a.items()}
        prog = scenario.program
        program_by_fy = ({name: a[f"program:{name}"] for name in ANNUAL}
                         if f"program:{ANNUAL[0]}" in a else None)
        return SimulationResults(
            scenario_name=scenario.name,
            seed=seed,
            years=np.arange(prog.first_fy, prog.horizon_fy + 1),
            as_of_fy=prog.as_of_fy,
            project_ids=tuple(p.id for p in scenario.projects),
            project_kinds=tuple(p.kind.value for p in scenario.projects),
            project_status=tuple(p.status.value for p in scenario.projects),
            spend_oku_yen=a.get("spend_oku_yen"),
            credits_t=a.get("credits_t"),
            japan_credits_t=a.get("japan_credits_t"),
            demo_reductions_t=a.get("demo_reductions_t"),
            dissemination_t=a.get("dissemination_t"),
            start_fy=a["start_fy"],
            main_start_fy=a["main_start_fy"],
            main_end_fy=a["main_end_fy"],
            succeeded=a["succeeded"],
            dissemination_cases=a["dissemination_cases"],
            first_case_fy=a["first_case_fy"],
            dissemination_lifetime_t=a["dissemination_lifetime_t"],
            lapsed_oku_yen=a["lapsed"],
            budget_oku_yen=a["budget"],
            timeline=tuple(StageSpan(*e) for e in self.events),
            budget_committed_oku_yen=a["budget_committed_oku_yen"],
            budget_carried_in_oku_yen=a["budget_carried_in_oku_yen"],
            budget_outside_oku_yen=a["budget_outside_oku_yen"],
            program_by_fy=program_by_fy,
            project_credits_fy2030_t=a.get("project_credits_fy2030_t"),
            project_credits_fy2040_t=a.get("project_credits_fy2040_t"),
            project_spend_oku_yen=a.get("project_spend_oku_yen"),
            spend_total_oku_yen=a.get("spend_total_oku_yen"),
            engine=engine,
            engine_note=engine_note,
            des_reruns=int(a["des_rerun"].sum()) if "des_rerun" in a else 0,
        )
