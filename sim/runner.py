"""One entry point for running Monte Carlo trials: which engine, how many workers, where.

Commands and pages call :func:`run_trials` (or pass a :class:`RunOptions` on to code that
runs many simulations) instead of choosing an engine and a pool themselves:

* ``engine``: ``"des"`` is the SimPy discrete-event engine (:mod:`sim.lifecycle`, the
  reference); ``"fast"`` is the batch engine, used only where it reproduces the reference
  exactly; None picks the fast engine where it is exact and says why otherwise
  (:func:`choose_engine`).
* ``workers``: processes on this machine (default: the machine's cores).
* ``scheduler``: None (this machine), ``"local"`` (a Dask LocalCluster) or a Dask scheduler
  address (``tcp://HOST:PORT``), or an open ``distributed.Client``
  (:func:`sim.distributed.connect`) shared by many runs.

Results are bit-identical for any worker count, batch size and scheduler.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sim.montecarlo import default_workers, simulate
from sim.results import SimulationResults
from sim.scenario import Scenario

#: Engine names accepted by ``--engine``.
ENGINES = ("fast", "des")
ENGINE_LABELS = {
    "des": "SimPy discrete-event engine (the reference)",
    "fast": "fast batch engine (exact reproduction of the discrete-event engine)",
}


@dataclass(frozen=True)
class RunOptions:
    """How to run trials: ``engine`` (None: fast where exact), ``workers`` (None: the
    machine's cores), ``scheduler`` (None: this machine; see the module docstring)."""

    engine: str | None = None
    workers: int | None = None
    scheduler: Any = None

    @property
    def n_workers(self) -> int:
        return default_workers() if self.workers is None else max(1, int(self.workers))


@dataclass(frozen=True)
class EngineChoice:
    """The engine that runs and why (``reason`` is empty when it is the one asked for and
    exact)."""

    engine: str
    reason: str = ""

    def describe(self) -> str:
        text = f"Engine: {self.engine} — {ENGINE_LABELS[self.engine]}"
        return f"{text}; {self.reason}" if self.reason else text


@dataclass(frozen=True)
class TrialRun:
    """The results of :func:`run_trials`, with the engine used and the wall time [s]."""

    results: SimulationResults
    engine: EngineChoice
    seconds: float


def fast_engine_gap(scenario: Scenario) -> str | None:
    """Why the fast engine cannot run ``scenario`` exactly, or None if it can."""
    try:
        from sim import fastengine
    except ImportError:
        return "the fast engine is not part of this version"
    gap = fastengine.unsupported(scenario)
    return None if gap is None else f"the fast engine is not exact for this scenario ({gap})"


def choose_engine(scenario: Scenario, requested: str | None) -> EngineChoice:
    """The engine to run ``scenario`` with: the fast one only where it is exact."""
    if requested not in (None, *ENGINES):
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    if requested == "des":
        return EngineChoice("des")
    gap = fast_engine_gap(scenario)
    if gap is None:
        return EngineChoice("fast")
    return EngineChoice("des", f"{gap}; ran the reference engine instead"
                        if requested == "fast" else gap)


def run_trials(
    scenario: Scenario,
    n_trials: int,
    seed: int,
    options: RunOptions | None = None,
    *,
    keep_projects: bool = False,
    batch_size: int | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
) -> TrialRun:
    """Run ``n_trials`` trials of ``scenario`` with the engine and workers of ``options``.

    ``keep_projects`` keeps the (trials, projects, years) arrays (see
    :class:`sim.results.SimulationResults`); by default only the summaries are kept.
    """
    opts = options or RunOptions()
    choice = choose_engine(scenario, opts.engine)
    t0 = time.perf_counter()
    if choice.engine == "fast":
        from sim.fastengine import simulate_fast

        results = simulate_fast(scenario, n_trials, seed, workers=opts.n_workers,
                                batch_size=batch_size, progress=progress,
                                keep_projects=keep_projects, scheduler=opts.scheduler)
    else:
        results = simulate(scenario, n_trials, seed, workers=opts.n_workers,
                           batch_size=batch_size, progress=progress,
                           keep_projects=keep_projects, scheduler=opts.scheduler)
    return TrialRun(results, choice, time.perf_counter() - t0)


@contextmanager
def shared_cluster(options: RunOptions | None) -> Iterator[RunOptions]:
    """Options whose scheduler is an open Dask client for the duration (so a sweep, a grid
    or the optimizer's sampling starts or connects to the cluster once); unchanged when the
    runs stay on this machine."""
    opts = options or RunOptions()
    if opts.scheduler is None or not isinstance(opts.scheduler, str):
        yield opts
        return
    from sim.distributed import connect

    with connect(opts.scheduler, opts.n_workers) as client:
        yield replace(opts, scheduler=client)
