"""Which assumption matters most: tornado, Morris screening and Sobol indices of one KPI.

Each evaluation runs the full simulation (:func:`sim.montecarlo.simulate`) of the scenario
with some factors pinned (:mod:`sensitivity.factors`) for ``trials`` trials with the same
seed, so every evaluation sees the same random numbers (common random numbers) and the
differences between evaluations come from the factors alone.

* **Tornado**: each factor at its P10 and at its P90, the others as distributed. For each end
  the KPI's mean (and the probability of meeting its target, where it has one); the swing is
  the difference of the means, its Monte Carlo standard error comes from the per-trial
  (paired) differences, and a swing smaller than twice that error is marked as noise.
* **Morris** (elementary effects, SALib) and **Sobol** (first-order and total indices with
  bootstrap confidence intervals, SALib's Saltelli design) treat the KPI's mean over the
  trials as a function of the factors' quantiles, each over its P5–P95.

Evaluations run on this machine (``workers`` processes) or on a Dask cluster
(``scheduler``, :mod:`sim.distributed`), a chunk of rows per task; each evaluation depends only
on its row and the seed, so the results are the same wherever they ran.

Every size is bounded (:data:`LIMITS`); results are plain dicts ready for JSON.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from sensitivity.factors import Factor, apply, build_factors
from sim.distributed import check_scheduler, cluster_threads, connect, finished
from sim.engines import ENGINES
from sim.errors import InputError
from sim.kpis import KPI_DEFS, kpi_targets, per_trial_kpis
from sim.scenario import Scenario

METHODS = ("tornado", "morris", "sobol")
#: (lowest, highest) of each setting.
LIMITS = {
    "trials": (10, 5000),
    "n": (8, 1024),  # Sobol base samples (a power of two)
    "r": (2, 100),  # Morris trajectories
    "largest": (0, 20),
    "workers": (1, 8),
}
#: The most trials an analysis may run in total (evaluations × trials).
MAX_TOTAL_TRIALS = 3_000_000
#: Default trials per evaluation, by method.
DEFAULT_TRIALS = {"tornado": 300, "morris": 100, "sobol": 60}
DEFAULT_N = 32
DEFAULT_R = 10
#: Tornado ends (quantiles).
LOW_Q, HIGH_Q = 0.1, 0.9
#: Morris and Sobol vary each factor over this quantile range (P5–P95).
Q_RANGE = (0.05, 0.95)


class Cancelled(Exception):
    """The caller's progress function asked to stop."""


@dataclass(frozen=True)
class Settings:
    """How to run an analysis (see :data:`LIMITS`)."""

    method: str
    kpi: str
    trials: int
    seed: int = 1
    n: int = DEFAULT_N
    r: int = DEFAULT_R
    largest: int = 3
    workers: int = 1
    engine: str = "fast"
    #: Where the evaluations run: None (this machine, ``workers`` processes), "local" (a Dask
    #: LocalCluster of ``workers`` processes) or a dask.distributed scheduler's address.
    scheduler: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def settings(method: str, kpi: str, trials: int | None = None, seed: int = 1,
             n: int | None = None, r: int | None = None, largest: int = 3,
             workers: int | None = None, source: str = "<settings>",
             engine: str = "fast", scheduler: str | None = None) -> Settings:
    """Checked settings; a bad one raises :class:`InputError` naming the option and rule."""
    problems = []

    def bad(field: str, rule: str) -> None:
        problems.append((field, rule))

    if method not in METHODS:
        bad("method", f"must be one of {', '.join(METHODS)}, not '{method}'")
    ids = [k.id for k in KPI_DEFS]
    if kpi not in ids:
        bad("kpi", f"unknown KPI '{kpi}' (known: {', '.join(ids)})")
    trials = DEFAULT_TRIALS.get(method, 100) if trials is None else trials
    n = DEFAULT_N if n is None else n
    r = DEFAULT_R if r is None else r
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    for name, value in (("trials", trials), ("n", n), ("r", r), ("largest", largest),
                        ("workers", workers)):
        lo, hi = LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            bad(name, f"must be a whole number from {lo} to {hi}, got {value!r}")
    if isinstance(n, int) and n > 0 and n & (n - 1):
        bad("n", f"must be a power of two (Sobol sequence), got {n}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        bad("seed", f"must be a whole number from 0 to {2**32 - 1}, got {seed!r}")
    if engine not in ENGINES:
        bad("engine", f"must be one of {', '.join(ENGINES)}, got {engine!r}")
    if scheduler is not None:
        rule = check_scheduler(scheduler) if isinstance(scheduler, str) else "must be text"
        if rule:
            bad("scheduler", rule)
    if problems:
        raise InputError([_problem(source, f, rule) for f, rule in problems])
    return Settings(method, kpi, trials, seed, n, r, largest, workers, engine, scheduler)


def _problem(source: str, field: str, rule: str):
    from sim.errors import Problem

    return Problem(source, field, rule)


# evaluation --------------------------------------------------------------------------------
_W: dict = {}


def _init(scenario: Scenario, factors: list[Factor], kpi: str, trials: int, seed: int,
          engine: str = "fast") -> None:
    _W.update(scenario=scenario, factors=factors, kpi=kpi, trials=trials, seed=seed,
              engine=engine)


def _eval_rows(rows: np.ndarray) -> np.ndarray:
    """Per-trial KPI values for each row of quantiles, shape (rows, trials)."""
    # the engines load when an evaluation runs, not when the settings are checked
    from sim.montecarlo import simulate

    sc, factors = _W["scenario"], _W["factors"]
    out = np.empty((len(rows), _W["trials"]), dtype=np.float64)
    for j, u in enumerate(rows):
        mod = apply(sc, factors, u)
        res = simulate(mod, _W["trials"], _W["seed"], workers=1, engine=_W["engine"])
        out[j] = per_trial_kpis(res, mod)[_W["kpi"]]
    return out


def _eval_remote(scenario: Scenario, factors: list[Factor], kpi: str, trials: int, seed: int,
                 engine: str, rows: np.ndarray) -> np.ndarray:
    """:func:`_eval_rows` as one Dask task (the worker gets the settings with the task)."""
    _init(scenario, factors, kpi, trials, seed, engine)
    return _eval_rows(rows)


def _evaluate_dask(client: Any, scenario: Scenario, factors: list[Factor],
                   chunks: list[np.ndarray], s: Settings,
                   tick: Callable[[int], None]) -> list[np.ndarray]:
    """Each chunk of rows as a task on the cluster; the results in the chunks' order."""
    scenario_f, factors_f = client.scatter([scenario, factors], broadcast=True)
    calls = [(scenario_f, factors_f, s.kpi, s.trials, s.seed, s.engine, c) for c in chunks]
    out: list[np.ndarray] = [np.empty(0)] * len(chunks)
    for k, values in finished(client, _eval_remote, calls):
        out[k] = values
        tick(len(chunks[k]))
    return out


def evaluate(scenario: Scenario, factors: list[Factor], rows: np.ndarray, s: Settings,
             progress: Callable[[int, int], bool | None] | None = None,
             client: Any = None) -> np.ndarray:
    """Per-trial KPI values at each row of factor quantiles (NaN = left as distributed).

    ``progress(done, total)`` is called as evaluations finish; returning False raises
    :class:`Cancelled`. With a Dask ``client`` the evaluations run on its cluster, a chunk
    of rows per task; every row is evaluated alone with the same seed, so the values do not
    depend on where or in which chunk it ran.
    """
    rows = np.asarray(rows, dtype=np.float64)
    total = len(rows)
    width = s.workers if client is None else cluster_threads(client)
    chunk = max(1, min(8, math.ceil(total / (4 * width))))
    chunks = [rows[a:a + chunk] for a in range(0, total, chunk)]
    out: list[np.ndarray] = []
    done = 0

    def tick(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None and progress(done, total) is False:
            raise Cancelled

    args = (scenario, factors, s.kpi, s.trials, s.seed, s.engine)
    if client is not None:
        out = _evaluate_dask(client, scenario, factors, chunks, s, tick)
    elif s.workers <= 1 or total < 4:
        _init(*args)
        for c in chunks:
            out.append(_eval_rows(c))
            tick(len(c))
    else:
        if s.engine == "fast":  # the workers are forked with the compiled engine in memory
            from sim.fast import load

            load()
        with ProcessPoolExecutor(max_workers=s.workers, initializer=_init,
                                 initargs=args) as pool:
            futures = [pool.submit(_eval_rows, c) for c in chunks]
            try:
                for fut, c in zip(futures, chunks, strict=True):
                    out.append(fut.result())
                    tick(len(c))
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    return np.concatenate(out) if out else np.empty((0, s.trials))


# methods -----------------------------------------------------------------------------------
def _mean(a: np.ndarray) -> float:
    ok = a[np.isfinite(a)]
    return float(ok.mean()) if ok.size else math.nan


def _se(a: np.ndarray) -> float:
    ok = a[np.isfinite(a)]
    return float(ok.std(ddof=1) / math.sqrt(ok.size)) if ok.size > 1 else math.nan


def _prob(a: np.ndarray, target: float | None) -> float | None:
    if target is None:
        return None
    return float((np.isfinite(a) & (a >= target - 1e-9)).mean())


def _factor_info(f: Factor) -> dict:
    return {"id": f.id, "label_en": f.label("en"), "label_ja": f.label("ja"),
            "range_en": f.range_note("en"), "range_ja": f.range_note("ja"),
            "scope": f.scope, "field": f.field}


def _total_trials(method: str, d: int, s: Settings) -> int:
    if method == "tornado":
        evals = 2 * d + 1
    elif method == "morris":
        evals = s.r * (d + 1)
    else:
        evals = s.n * (d + 2)
    return evals * s.trials


def plan_size(scenario: Scenario, s: Settings) -> tuple[int, int]:
    """(number of factors, total trials) an analysis would run."""
    d = len(build_factors(scenario, s.largest))
    return d, _total_trials(s.method, d, s)


def run(scenario: Scenario, s: Settings,
        progress: Callable[[int, int], bool | None] | None = None,
        client: Any = None) -> dict:
    """Run the analysis ``s.method`` on ``scenario``; a JSON-ready dict (module docstring).

    The evaluations run on this machine, or on Dask: on ``client`` (an open
    ``distributed.Client``, left open) or else on ``s.scheduler`` (connected for this run).
    """
    if client is None and s.scheduler is not None:
        with connect(s.scheduler, workers=s.workers) as opened:
            return run(scenario, s, progress, opened)
    factors = build_factors(scenario, s.largest)
    d = len(factors)
    if d == 0:
        raise InputError([_problem(scenario.path or "<scenario>", "",
                                   "the scenario has no uncertain input to analyse")])
    total = _total_trials(s.method, d, s)
    if total > MAX_TOTAL_TRIALS:
        raise InputError([_problem("<settings>", "trials",
                                   f"the analysis would run {total:,} trials in all "
                                   f"(limit {MAX_TOTAL_TRIALS:,}); lower the trials or n/r")])
    kdef = next(k for k in KPI_DEFS if k.id == s.kpi)
    target = kpi_targets(scenario).get(s.kpi)
    t0 = time.perf_counter()
    doc = {
        "scenario": scenario.name, "file": scenario.path, "method": s.method,
        "kpi": s.kpi, "kpi_label": kdef.label, "unit": kdef.unit, "target": target,
        "settings": s.as_dict(), "n_factors": d,
    }
    if s.method == "tornado":
        doc.update(_tornado(scenario, factors, s, target, progress, client))
    elif s.method == "morris":
        doc.update(_morris(scenario, factors, s, progress, client))
    else:
        doc.update(_sobol(scenario, factors, s, progress, client))
    doc["seconds"] = time.perf_counter() - t0
    doc["total_trials"] = total
    return doc


def _tornado(scenario, factors, s, target, progress, client=None) -> dict:
    d = len(factors)
    rows = np.full((2 * d + 1, d), np.nan)
    for k in range(d):
        rows[1 + 2 * k, k] = LOW_Q
        rows[2 + 2 * k, k] = HIGH_Q
    y = evaluate(scenario, factors, rows, s, progress, client)
    base = y[0]
    out = []
    for k, f in enumerate(factors):
        lo, hi = y[1 + 2 * k], y[2 + 2 * k]
        diff = hi - lo
        swing = _mean(hi) - _mean(lo)
        swing_se = _se(diff)
        noise = not math.isfinite(swing) or abs(swing) <= 2.0 * (
            swing_se if math.isfinite(swing_se) else 0.0)
        out.append({
            **_factor_info(f),
            "low_value": f.value_at(LOW_Q), "high_value": f.value_at(HIGH_Q),
            "mean_low": _mean(lo), "mean_high": _mean(hi),
            "se_low": _se(lo), "se_high": _se(hi),
            "prob_low": _prob(lo, target), "prob_high": _prob(hi, target),
            "swing": swing, "swing_se": swing_se, "within_noise": bool(noise),
        })
    out.sort(key=lambda e: -abs(e["swing"]) if math.isfinite(e["swing"]) else 0.0)
    return {"base": {"mean": _mean(base), "std_error": _se(base),
                     "prob_meet": _prob(base, target)},
            "factors": out}


def _problem_spec(factors: list[Factor]) -> dict:
    return {"num_vars": len(factors), "names": [f.id for f in factors],
            "bounds": [[0.0, 1.0]] * len(factors)}


def _to_q(x: np.ndarray) -> np.ndarray:
    lo, hi = Q_RANGE
    return lo + (hi - lo) * x


def _means(y: np.ndarray) -> np.ndarray:
    """Mean over trials of each evaluation; an evaluation with no valid trial gets the mean
    of the others (so the indices stay defined)."""
    with np.errstate(invalid="ignore"):
        m = np.array([_mean(row) for row in y])
    if not np.isfinite(m).any():
        raise InputError([_problem("<settings>", "kpi",
                                   "the KPI has no value in any evaluation (e.g. no "
                                   "demonstration finishes); choose another KPI")])
    m[~np.isfinite(m)] = np.nanmean(m)
    return m


def _morris(scenario, factors, s, progress, client=None) -> dict:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = _problem_spec(factors)
    x = morris_sample.sample(problem, s.r, num_levels=4, seed=s.seed)
    y = _means(evaluate(scenario, factors, _to_q(x), s, progress, client))
    res = morris_analyze.analyze(problem, x, y, num_levels=4, seed=s.seed)
    out = []
    for k, f in enumerate(factors):
        out.append({**_factor_info(f), "mu": float(res["mu"][k]),
                    "mu_star": float(res["mu_star"][k]),
                    "mu_star_conf": float(res["mu_star_conf"][k]),
                    "sigma": float(res["sigma"][k])})
    out.sort(key=lambda e: -e["mu_star"])
    return {"base": {"mean": float(np.mean(y))}, "factors": out, "evaluations": len(y)}


def sobol_indices(problem: dict, n: int, func: Callable[[np.ndarray], np.ndarray],
                  seed: int) -> dict:
    """First-order and total Sobol indices of ``func`` (rows of ``x`` → values) over the
    problem's bounds, with 95 % confidence intervals: SALib's Saltelli design and analysis."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(func(x), dtype=np.float64)
    res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    return {"S1": np.asarray(res["S1"]), "S1_conf": np.asarray(res["S1_conf"]),
            "ST": np.asarray(res["ST"]), "ST_conf": np.asarray(res["ST_conf"]),
            "evaluations": len(y), "mean": float(np.mean(y))}


def _sobol(scenario, factors, s, progress, client=None) -> dict:
    problem = _problem_spec(factors)

    def func(x: np.ndarray) -> np.ndarray:
        return _means(evaluate(scenario, factors, _to_q(x), s, progress, client))

    res = sobol_indices(problem, s.n, func, s.seed)
    out = []
    for k, f in enumerate(factors):
        out.append({**_factor_info(f), "S1": float(res["S1"][k]),
                    "S1_conf": float(res["S1_conf"][k]), "ST": float(res["ST"][k]),
                    "ST_conf": float(res["ST_conf"][k])})
    out.sort(key=lambda e: -e["ST"] if math.isfinite(e["ST"]) else 0.0)
    return {"base": {"mean": res["mean"]}, "factors": out, "evaluations": res["evaluations"]}
