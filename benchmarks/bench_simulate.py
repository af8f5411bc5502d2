"""Benchmark the simulation: trials per second and peak memory by scenario, trial count,
project count, worker count and scheduler, and the cost of random draws per trial.

Run from the repository root (one command for every section)::

    .venv/bin/python benchmarks/bench_simulate.py [--trials 1000 10000] [--repeats 3]
        [--sections engines projects workers dask memory app] [--des-max-trials 2000]

Sections:

* ``engines``: the discrete-event engine on the baseline and the many-candidates scenario at
  each trial count (only up to ``--des-max-trials``: its trials per second do not
  depend on the count);
* ``projects``: trials per second with 20, 100 and 300 projects (the many-candidates
  scenario cut or its candidates repeated under new ids);
* ``workers``: 1 against 2 worker processes;
* ``dask``: a Dask LocalCluster of 2 workers (started inside the timing, and already
  running) against 2 local processes;
* ``memory``: peak resident memory of a summaries-only run (``keep_projects=False``, as
  ``jcm simulate``) of the many-candidates scenario at ``--memory-trials`` trials;
* ``app``: a budget edit's time to new KPIs at the app's default trial count (simulation
  plus the pages' summaries, as :mod:`webapp.compute` does);
* ``draws``: what random numbers cost per trial, in this process: today's keyed stream per
  (seed, trial, project) with scalar draws (a floor for any engine that reproduces today's
  results), against one stream per (seed, project, block of 1,000 trials) drawing arrays
  (the floor of an engine vectorised across trials, with a new stream layout).

Each measurement runs in a fresh Python process (so its peak memory is its own) and prints
the median of the repeats. Not a test: timings depend on the machine and its load; ratios
measured in the same run are the robust figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "scenarios/baseline.toml"
MANY = "scenarios/many_candidates.toml"

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from sim.loader import load_scenario
from sim.runner import RunOptions, run_trials
sys.path.insert(0, {bench!r})
from bench_simulate import with_projects
sc = load_scenario({path!r})
if {projects!r} is not None:
    sc = with_projects(sc, {projects!r})
opts = RunOptions(workers={workers}, scheduler={scheduler!r})
client = None
if {warm_cluster!r}:
    from sim.distributed import connect
    ctx = connect("local", {workers})
    client = ctx.__enter__()
    opts = RunOptions(workers={workers}, scheduler=client)
t0 = time.perf_counter()
run = run_trials(sc, {trials}, 1, opts, keep_projects={keep!r})
if {app!r}:
    from webapp.compute import summarise
    summarise(sc, run.results, 0.0)
sec = time.perf_counter() - t0
if client is not None:
    ctx.__exit__(None, None, None)
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": sec, "projects": len(sc.projects), "engine": "des",
                   "self_mib": rss_kb / 1024, "children_mib": kids_kb / 1024}}))
"""


def with_projects(scenario, n: int):
    """The scenario with ``n`` projects: its first ``n``, or its candidates repeated under new
    ids until there are ``n``."""
    projects = list(scenario.projects[:n])
    cands = list(scenario.candidates)
    k = 0
    while len(projects) < n:
        c = cands[k % len(cands)]
        projects.append(c.model_copy(update={"id": f"{c.id}-r{k // len(cands) + 1}"}))
        k += 1
    return scenario.model_copy(update={"projects": tuple(projects)})


def measure(path: str, trials: int, workers: int = 1,
            scheduler: str | None = None, projects: int | None = None, keep: bool = False,
            app: bool = False, warm_cluster: bool = False) -> dict:
    """Run one simulation in a child process; seconds, projects, engine and peak MiB."""
    code = _CHILD.format(root=str(ROOT), bench=str(ROOT / "benchmarks"), path=str(ROOT / path),
                         trials=trials, workers=workers, scheduler=scheduler,
                         projects=projects, keep=keep, app=app, warm_cluster=warm_cluster)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_run(repeats: int, **kw) -> dict:
    runs = [measure(**kw) for _ in range(max(repeats, 1))]
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "projects": runs[0]["projects"], "engine": runs[0]["engine"],
            "peak_mib": max(max(r["self_mib"], r["children_mib"]) for r in runs),
            "self_mib": max(r["self_mib"] for r in runs)}


def row(*cells) -> None:
    print("| " + " | ".join(str(c) for c in cells) + " |")


def header(*names) -> None:
    row(*names)
    row(*["---"] * len(names))


def engines(args) -> None:
    print("\n### The discrete-event engine (1 worker)\n")
    header("scenario", "projects", "trials", "engine", "median s", "trials/s", "peak MiB")
    for path in (BASELINE, MANY):
        for n in args.trials:
            if n > args.des_max_trials:
                continue
            r = median_run(args.repeats if n <= 2000 else 1, path=path, trials=n)
            row(path, r["projects"], n, "des", f"{r['seconds']:.2f}",
                f"{n / r['seconds']:.0f}", f"{r['peak_mib']:.0f}")


def projects(args) -> None:
    print("\n### Projects (1 worker)\n")
    header("projects", "trials", "engine ran", "median s", "trials/s")
    for n_p in (20, 100, 300):
        r = median_run(args.repeats, path=MANY, trials=args.small_trials, projects=n_p)
        row(n_p, args.small_trials, r["engine"], f"{r['seconds']:.2f}",
            f"{args.small_trials / r['seconds']:.0f}")


def workers(args) -> None:
    print("\n### Workers\n")
    header("scenario", "trials", "workers", "median s", "trials/s", "speed-up")
    for path in (BASELINE, MANY):
        one = None
        for w in (1, 2):
            r = median_run(args.repeats, path=path, trials=args.small_trials, workers=w)
            one = one or r["seconds"]
            row(path, args.small_trials, w, f"{r['seconds']:.2f}",
                f"{args.small_trials / r['seconds']:.0f}", f"{one / r['seconds']:.2f}×")


def dask(args) -> None:
    print("\n### Dask LocalCluster against local processes (2 workers)\n")
    header("scenario", "trials", "where", "median s", "trials/s")
    n = args.small_trials
    for label, kw in (("2 local processes", {}),
                      ("LocalCluster, started in the timing", {"scheduler": "local"}),
                      ("LocalCluster, already running", {"warm_cluster": True})):
        r = median_run(args.repeats, path=BASELINE, trials=n, workers=2, **kw)
        row(BASELINE, n, label, f"{r['seconds']:.2f}", f"{n / r['seconds']:.0f}")


def memory(args) -> None:
    print("\n### Peak memory, summaries only (as jcm simulate), 2 workers\n")
    header("scenario", "projects", "trials", "median s", "parent MiB", "peak MiB (any process)")
    n = args.memory_trials
    r = median_run(1, path=MANY, trials=n, workers=2)
    row(MANY, r["projects"], n, f"{r['seconds']:.1f}", f"{r['self_mib']:.0f}",
        f"{r['peak_mib']:.0f}")


def app(args) -> None:
    print("\n### App: a budget edit to new KPIs (simulation + page summaries)\n")
    from webapp.state import DEFAULT_TRIALS

    header("scenario", "trials", "workers", "median s")
    for w in (1, 2):
        r = median_run(args.repeats, path=BASELINE, trials=DEFAULT_TRIALS, workers=w, keep=True,
                       app=True)
        row(BASELINE, DEFAULT_TRIALS, w, f"{r['seconds']:.2f}")


def draws(args) -> None:
    print("\n### Random draws per trial (one process)\n")
    import time

    from sim.lifecycle import _draw, stream
    from sim.loader import load_scenario

    header("scenario", "projects", "keyed scalar draws µs/trial",
           "whole SimPy trial µs/trial", "vectorised draws µs/trial")
    block = 1000
    for path in (BASELINE, MANY):
        sc = load_scenario(ROOT / path)
        after = sc.assumptions.crediting_after_followup_years
        n = 100
        t = time.perf_counter()
        for k in range(n):
            for p in sc.projects:
                _draw(p, stream(1, k, f"project:{p.id}"), after)
        keyed = (time.perf_counter() - t) / n
        from sim.lifecycle import Trial
        t = time.perf_counter()
        for k in range(n):
            Trial(sc, 1, k).run()
        whole = (time.perf_counter() - t) / n
        fields = ("design_cost_oku_yen", "design_months", "design_success_prob",
                  "main_cost_oku_yen", "build_months", "main_months", "main_success_prob",
                  "methodology_months", "methodology_approval_prob", "expected_t_per_yr",
                  "performance_ratio", "registration_prob", "issuance_prob", "japan_share",
                  "monitoring_period_months", "followup_years", "dissemination_prob",
                  "bass_p", "bass_q", "market_size", "replication_t_per_yr",
                  "replication_lifetime_years")
        t = time.perf_counter()
        for p in sc.projects:
            rng = stream(1, 0, f"block:project:{p.id}")
            for f in fields:
                getattr(p, f).sample(rng, block)
            rng.random((block, 6))  # the chance draws and a few adoption times
        vec = (time.perf_counter() - t) / block
        row(path, len(sc.projects), f"{keyed * 1e6:.0f}", f"{whole * 1e6:.0f}",
            f"{vec * 1e6:.1f}")


SECTIONS = {"engines": engines, "projects": projects, "workers": workers, "dask": dask,
            "memory": memory, "app": app, "draws": draws}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--des-max-trials", type=int, default=1000,
                    help="largest trial count run with the SimPy engine (default 1000)")
    ap.add_argument("--small-trials", type=int, default=1000,
                    help="trials for the projects, workers and dask sections")
    ap.add_argument("--memory-trials", type=int, default=100000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sections", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    print("Machine: see README 'Speed' (figures depend on load; ratios in one run are robust)")
    for name in args.sections:
        SECTIONS[name](args)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
