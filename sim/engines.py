"""The simulation engines' names and how many processes a run of them uses: what a command
line offers and checks before any engine is loaded (:mod:`sim.montecarlo` runs them)."""

from __future__ import annotations

import os

#: The engines: ``fast`` (:mod:`sim.fast`, compiled) and ``des`` (:mod:`sim.lifecycle`, SimPy).
ENGINES = ("fast", "des")

#: Fewest trials per process worth starting one for, with the fast engine (a process costs
#: about as long to start as this many trials take).
FAST_TRIALS_PER_PROCESS = 4096


def default_workers() -> int:
    """The machine's cores (at least 1)."""
    return max(1, os.cpu_count() or 1)


def effective_workers(n_trials: int, workers: int, engine: str) -> int:
    """Processes to use on this machine: the SimPy engine uses ``workers``; the fast engine
    one more process per :data:`FAST_TRIALS_PER_PROCESS` trials, up to ``workers`` (results
    do not depend on it)."""
    if engine != "fast":
        return workers
    return max(1, min(workers, n_trials // FAST_TRIALS_PER_PROCESS))
