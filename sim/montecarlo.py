"""Monte Carlo over trials of :mod:`sim.lifecycle`, in batches, on one or more processes.

Trial ``k`` of seed ``s`` always draws from the same streams (keyed by ``(s, k, name)``), so
the results are identical whatever the batch size or number of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sim.lifecycle import Trial
from sim.results import SimulationResults, StageSpan
from sim.scenario import Scenario

_ARRAYS = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t", "dissemination_t")
_INTS = ("start_fy", "main_start_fy", "main_end_fy", "dissemination_cases", "first_case_fy",
         "dissemination_lifetime_t")
_BUDGET = ("budget_committed_oku_yen", "budget_carried_in_oku_yen", "budget_outside_oku_yen")


def _run_batch(scenario: Scenario, seed: int, trials: range) -> dict[str, np.ndarray | list]:
    """Run a contiguous range of trials; trial 0 also records its stage dates."""
    out: dict[str, list] = {
        k: [] for k in (*_ARRAYS, *_INTS, *_BUDGET, "succeeded", "lapsed", "budget")
    }
    events: list = []
    for k in trials:
        trial = Trial(scenario, seed, k, record_events=(k == 0))
        rec = trial.run()
        for name in _ARRAYS:
            out[name].append(getattr(rec, name).astype(np.float32))
        for name in _INTS:
            out[name].append(getattr(rec, name))
        out["succeeded"].append(rec.succeeded)
        out["lapsed"].append(rec.lapsed_oku_yen)
        b = np.array([scenario.budget_mean_oku_yen(int(fy)) for fy in trial.years])
        b[trial.y0 :] = trial.budget.budget
        out["budget"].append(b)
        for name in _BUDGET:
            full = np.zeros(len(trial.years))
            full[trial.y0 :] = getattr(rec, name)
            out[name].append(full)
        if k == 0:
            events = rec.events
    stacked: dict[str, np.ndarray | list] = {k: np.stack(v) if k != "lapsed" else np.array(v)
                                             for k, v in out.items()}
    stacked["events"] = events
    return stacked


def simulate(
    scenario: Scenario,
    n_trials: int,
    seed: int,
    workers: int = 1,
    batch_size: int | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
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
        Processes to use (1 runs in this process).
    batch_size : int, optional
        Trials per batch (default: an even split into about 8 batches per worker).
    progress : callable, optional
        Called as ``progress(done, total)`` after each batch; returning False stops the run
        early (the results then hold the trials finished so far).

    Returns
    -------
    SimulationResults
    """
    if n_trials < 1:
        raise ValueError("n_trials must be at least 1")
    if batch_size is None:
        batch_size = max(1, min(250, -(-n_trials // (8 * max(workers, 1)))))
    batches = [range(a, min(a + batch_size, n_trials)) for a in range(0, n_trials, batch_size)]
    parts: list[dict] = []
    done = 0
    if workers <= 1:
        for b in batches:
            parts.append(_run_batch(scenario, seed, b))
            done += len(b)
            if progress is not None and progress(done, n_trials) is False:
                break
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run_batch, scenario, seed, b) for b in batches]
            for fut, b in zip(futures, batches, strict=True):
                parts.append(fut.result())
                done += len(b)
                if progress is not None and progress(done, n_trials) is False:
                    for f in futures:
                        f.cancel()
                    break
    return _assemble(scenario, seed, parts)


def _assemble(scenario: Scenario, seed: int, parts: list[dict]) -> SimulationResults:
    def cat(name: str) -> np.ndarray:
        return np.concatenate([p[name] for p in parts])

    prog = scenario.program
    events = parts[0]["events"]
    return SimulationResults(
        scenario_name=scenario.name,
        seed=seed,
        years=np.arange(prog.first_fy, prog.horizon_fy + 1),
        as_of_fy=prog.as_of_fy,
        project_ids=tuple(p.id for p in scenario.projects),
        project_kinds=tuple(p.kind.value for p in scenario.projects),
        project_status=tuple(p.status.value for p in scenario.projects),
        spend_oku_yen=cat("spend_oku_yen"),
        credits_t=cat("credits_t"),
        japan_credits_t=cat("japan_credits_t"),
        demo_reductions_t=cat("demo_reductions_t"),
        dissemination_t=cat("dissemination_t"),
        start_fy=cat("start_fy"),
        main_start_fy=cat("main_start_fy"),
        main_end_fy=cat("main_end_fy"),
        succeeded=cat("succeeded"),
        dissemination_cases=cat("dissemination_cases"),
        first_case_fy=cat("first_case_fy"),
        dissemination_lifetime_t=cat("dissemination_lifetime_t"),
        lapsed_oku_yen=cat("lapsed"),
        budget_oku_yen=cat("budget"),
        timeline=tuple(StageSpan(*e) for e in events),
        budget_committed_oku_yen=cat("budget_committed_oku_yen"),
        budget_carried_in_oku_yen=cat("budget_carried_in_oku_yen"),
        budget_outside_oku_yen=cat("budget_outside_oku_yen"),
    )
