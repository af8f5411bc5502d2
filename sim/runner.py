"""One entry point for running Monte Carlo trials: how many workers, and where.

Commands and pages call :func:`run_trials` (or pass a :class:`RunOptions` on to code that
runs many simulations) instead of choosing a pool themselves.

* ``engine``: ``"fast"`` (the compiled engine, :mod:`sim.fast`; default) or ``"des"`` (the
  SimPy discrete-event reference, :mod:`sim.lifecycle`); both give the same numbers.

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

from sim.engines import default_workers
from sim.montecarlo import simulate
from sim.results import SimulationResults
from sim.scenario import Scenario


@dataclass(frozen=True)
class RunOptions:
    """How to run trials: ``workers`` (None: the machine's cores), ``scheduler`` (None: this
    machine; see the module docstring)."""

    workers: int | None = None
    scheduler: Any = None
    engine: str = "fast"

    @property
    def n_workers(self) -> int:
        return default_workers() if self.workers is None else max(1, int(self.workers))


@dataclass(frozen=True)
class TrialRun:
    """The results of :func:`run_trials`, with the wall time [s]."""

    results: SimulationResults
    seconds: float


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
    """Run ``n_trials`` trials of ``scenario`` with the workers and scheduler of ``options``.

    ``keep_projects`` keeps the (trials, projects, years) arrays (see
    :class:`sim.results.SimulationResults`); by default only the summaries are kept.
    """
    opts = options or RunOptions()
    t0 = time.perf_counter()
    results = simulate(scenario, n_trials, seed, workers=opts.n_workers,
                       batch_size=batch_size, progress=progress,
                       keep_projects=keep_projects, scheduler=opts.scheduler,
                       engine=opts.engine)
    return TrialRun(results, time.perf_counter() - t0)


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
