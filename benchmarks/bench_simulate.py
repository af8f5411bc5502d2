"""Benchmark the simulation and the optimizer: trials per second of both engines, scaling with
projects and workers, Dask, peak memory, the app's edit-to-answer time, the cost of the random
draws, and the optimizer's sampling, build and solve times.

Run from the repository root (one command for every section)::

    .venv/bin/python benchmarks/bench_simulate.py [--repeats 3] [--sections ...]

Sections (``--help`` lists the options that size them):

* ``engines``: trials per second of the fast engine (compiled, the default) and the SimPy
  engine (``des``) on the baseline and the many-candidates scenario at each ``--trials``
  count, 1 worker each, and the fast/des ratio of the same run. The SimPy engine runs only up
  to ``--des-max-trials`` (its trials per second do not depend on the count; the cap itself is
  run when it is not one of the counts). Each repeat runs every count of both engines, one
  after the other, so that both engines' medians come from the same stretch of time;
* ``pairs``: the fast/des ratio from ``--pairs`` pairs of runs, the SimPy engine
  (``--pair-des-trials``) then the fast engine (``--pair-fast-trials``), each pair run back
  to back: the median and range of the pairs' ratios. The SimPy engine's speed drifts with
  the machine's state more than the fast engine's, so a ratio from runs minutes apart can be
  off; pairs measure both in nearly the same conditions;
* ``projects``: both engines with 20, 100 and 300 projects (the many-candidates scenario cut,
  or its candidates repeated under new ids), the SimPy engine with fewer trials;
* ``workers``: the fast engine with 1 against 2 worker processes at ``--worker-trials``
  (the fast engine starts one process per 4,096 trials, so a second process only from 8,192);
* ``dask``: a Dask LocalCluster of 2 workers (started inside the timing, and already
  running) against 2 local processes, fast engine;
* ``memory``: peak resident memory of the parent and of the largest worker process in a
  summaries-only run (``keep_projects=False``, as ``jcm simulate``) of the many-candidates
  scenario at ``--memory-trials`` trials, fast engine, 2 workers;
* ``app``: a budget edit's time to new KPIs at the app's default trial count
  (``webapp.state.DEFAULT_TRIALS``): the simulation as the app runs it plus
  ``webapp.compute.summarise``, fast engine, timed after the process has imported the app's
  modules and made a small first forecast (as the app has before any edit);
* ``draws``: what the random numbers cost per trial: one stream per (seed, block of 1,024
  trials, project or country) drawn as arrays for the whole block (``sim.draws.draw_batch``;
  verification delays are made on demand inside the engine, so they count in the engine's
  time), against the fast engine's whole time for the same block;
* ``cli``: how long a ``jcm`` command takes from start to exit, as a fresh process (imports
  included): ``--help``, ``validate`` and ``schema`` of the baseline, a bad argument to
  ``simulate`` and to ``optimize`` (refused before the engines or Pyomo load), and a real
  ``simulate`` of ``--cli-trials`` trials; beside a bare ``python -c pass``;
* ``optimize``: ``benchmarks/bench_optimize.py`` (scenario-mode sampling of 150 candidates ×
  5 start years × 500 scenarios with both engines, and the build and solve times of
  synthetic problems).

Each simulation is measured in a fresh Python process (so its peak memory is its own); the
process first runs a few trials (its "first call": importing the engines and loading the
compiled code) and then times the measured run. The median of the repeats is printed. Not a
test: timings depend on the machine and its load (printed with the tables); ratios measured
in the same run are the robust figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "scenarios/baseline.toml"
MANY = "scenarios/many_candidates.toml"
NAMES = {BASELINE: "baseline", MANY: "many candidates"}
#: Trials of the untimed first call in every measuring process.
WARM_TRIALS = 16

# targets: (scenario, trials) -> seconds at most
TARGET_SECONDS = {(BASELINE, 10000): 1.0, (MANY, 10000): 3.0}
TARGET_RATIO = 100.0
TARGET_APP_SECONDS = 2.0
TARGET_MEMORY_MIB = 2048.0


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


def child(spec: dict) -> dict:
    """One measurement, in this (fresh) process; see :func:`measure`."""
    import resource
    import time

    sys.path.insert(0, str(ROOT))
    from sim.loader import load_scenario
    from sim.runner import RunOptions, run_trials

    sc = load_scenario(ROOT / spec["path"])
    if spec.get("projects") is not None:
        sc = with_projects(sc, spec["projects"])
    if spec.get("draws"):
        return _draws_child(sc)
    engine = spec.get("engine", "fast")
    workers = spec.get("workers", 1)
    t0 = time.perf_counter()
    run_trials(sc, WARM_TRIALS, 2, RunOptions(workers=1, engine=engine))
    if spec.get("app"):
        # the app's process has imported its modules and drawn a first forecast (engine and
        # summary loaded) before any edit: that belongs to its first run, not to an edit
        from sim.montecarlo import simulate
        from webapp.compute import summarise, workers_for

        summarise(sc, simulate(sc, WARM_TRIALS, 2, workers=1, engine=engine), 0.0)
    first = time.perf_counter() - t0
    client = ctx = None
    if spec.get("warm_cluster"):
        from sim.distributed import connect

        ctx = connect("local", workers)
        client = ctx.__enter__()
    scheduler = client if client is not None else spec.get("scheduler")
    opts = RunOptions(workers=workers, scheduler=scheduler, engine=engine)
    trials = spec["trials"]
    t0 = time.perf_counter()
    if spec.get("app"):
        res = simulate(sc, trials, 1, workers=workers_for(trials), engine=engine)
        summarise(sc, res, time.perf_counter() - t0)
    else:
        res = run_trials(sc, trials, 1, opts, keep_projects=spec.get("keep", False)).results
    sec = time.perf_counter() - t0
    if ctx is not None:
        ctx.__exit__(None, None, None)
    return {"seconds": sec, "first_s": first, "projects": len(sc.projects),
            "engine": res.engine, "des_reruns": int(getattr(res, "des_reruns", 0) or 0),
            "self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _draws_child(sc) -> dict:
    """Seconds per trial of drawing one block's numbers, and of the fast engine's whole run of
    that block (draws included), median of 5, after a first call."""
    import time

    from sim.draws import BLOCK, draw_batch
    from sim.fast import run_fast

    block = range(BLOCK, 2 * BLOCK)  # a whole block without trial 0 (it records the timeline)
    run_fast(sc, 1, range(BLOCK, BLOCK + 4))
    draw_s, whole_s = [], []
    for _ in range(5):
        t = time.perf_counter()
        draw_batch(sc, 1, block)
        draw_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        run_fast(sc, 1, block)
        whole_s.append(time.perf_counter() - t)
    return {"projects": len(sc.projects), "draw_us": statistics.median(draw_s) / BLOCK * 1e6,
            "whole_us": statistics.median(whole_s) / BLOCK * 1e6}


def measure(**spec) -> dict:
    """Run one measurement in a fresh child process: seconds of the measured run, seconds of
    the first call, projects, engine that ran and peak MiB of the process and of its
    largest child."""
    out = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(runs: list[dict]) -> dict:
    """The median seconds of ``runs`` of one measurement (and of their first calls), the
    most trials rerun by the SimPy engine, and the peak MiB of the process and its child."""
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "first_s": statistics.median(r["first_s"] for r in runs),
            "projects": runs[0]["projects"], "engine": runs[0]["engine"],
            "des_reruns": max(r["des_reruns"] for r in runs), "repeats": len(runs),
            "self_mib": max(r["self_mib"] for r in runs),
            "children_mib": max(r["children_mib"] for r in runs)}


def median_run(repeats: int, **spec) -> dict:
    return summary([measure(**spec) for _ in range(max(repeats, 1))])


def reps(args, trials: int) -> int:
    """Repeats for a run of ``trials`` trials (``--long-repeats`` from 100,000)."""
    return args.long_repeats if trials >= 100000 else args.repeats


def row(*cells) -> None:
    print("| " + " | ".join(str(c) for c in cells) + " |")


def header(*names) -> None:
    row(*names)
    row(*["---"] * len(names))


def load() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f}, {b:.2f}, {c:.2f}"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def engines(args) -> None:
    print("\n### Engines: trials per second, 1 worker\n")
    header("scenario", "projects", "trials", "engine", "repeats", "first call s", "median s",
           "trials/s", "fast/des", "target")
    des_counts = sorted({n for n in args.trials if n <= args.des_max_trials}
                        | {args.des_max_trials})
    for path in (BASELINE, MANY):
        # repeat by repeat, every SimPy count and then every fast count, so that the medians
        # of both engines come from the same stretch of time (the machine's speed drifts)
        runs: dict[tuple[str, int], list[dict]] = {}
        for k in range(max(args.repeats, args.long_repeats, 1)):
            for engine, counts in (("des", des_counts), ("fast", args.trials)):
                for n in counts:
                    if k < (reps(args, n) if engine == "fast" else args.repeats):
                        runs.setdefault((engine, n), []).append(
                            measure(path=path, trials=n, engine=engine))
        des_rate = None
        for n in des_counts:
            r = summary(runs[("des", n)])
            des_rate = n / r["seconds"]
            row(NAMES[path], r["projects"], f"{n:,}", r["engine"], r["repeats"],
                f"{r['first_s']:.2f}", f"{r['seconds']:.2f}", f"{des_rate:,.0f}", "", "")
        for n in args.trials:
            if n > args.des_max_trials:
                row(NAMES[path], "", f"{n:,}", "des", "—", "—", "not run", "as at "
                    f"{des_counts[-1]:,}", "", "")
        for n in args.trials:
            r = summary(runs[("fast", n)])
            rate = n / r["seconds"]
            ratio = rate / des_rate
            target = [f"ratio ≥ {TARGET_RATIO:.0f}×: {met(ratio >= TARGET_RATIO)}"]
            limit = TARGET_SECONDS.get((path, n))
            if limit is not None:
                target.insert(0, f"≤ {limit:g} s: {met(r['seconds'] <= limit)}")
            reruns = f" ({r['des_reruns']} trials rerun by des)" if r["des_reruns"] else ""
            row(NAMES[path], r["projects"], f"{n:,}", r["engine"] + reruns, r["repeats"],
                f"{r['first_s']:.2f}", f"{r['seconds']:.2f}", f"{rate:,.0f}", f"{ratio:.0f}×",
                "; ".join(target))
        sys.stdout.flush()
    print(f"\nfast/des: the fast engine's trials per second over the SimPy engine's at "
          f"{des_counts[-1]:,} trials, same scenario, same run; each repeat runs both engines, "
          f"one after the other. Load average: {load()}")


def pairs(args) -> None:
    print("\n### Paired ratio: the two engines alternately, 1 worker\n")
    header("scenario", "pairs", "des trials", "des trials/s (min to max)", "fast trials",
           "fast trials/s (min to max)", "fast/des per pair: median (min to max)", "target")
    for path in (BASELINE, MANY):
        des_rates, fast_rates = [], []
        for _ in range(args.pairs):
            d = measure(path=path, trials=args.pair_des_trials, engine="des")
            f = measure(path=path, trials=args.pair_fast_trials, engine="fast")
            des_rates.append(args.pair_des_trials / d["seconds"])
            fast_rates.append(args.pair_fast_trials / f["seconds"])
        ratios = [f / d for f, d in zip(fast_rates, des_rates, strict=True)]
        mid = statistics.median(ratios)
        row(NAMES[path], args.pairs, f"{args.pair_des_trials:,}",
            f"{min(des_rates):,.0f} to {max(des_rates):,.0f}", f"{args.pair_fast_trials:,}",
            f"{min(fast_rates):,.0f} to {max(fast_rates):,.0f}",
            f"{mid:.0f}× ({min(ratios):.0f} to {max(ratios):.0f}×)",
            f"ratio ≥ {TARGET_RATIO:.0f}×: {met(mid >= TARGET_RATIO)}")
        sys.stdout.flush()
    print(f"\nEach pair runs the SimPy engine, then the fast engine, each in a fresh process, "
          f"so the two see nearly the same machine. Load average: {load()}")


def projects(args) -> None:
    print("\n### Projects: the many-candidates scenario cut or extended, 1 worker\n")
    header("projects", "engine", "trials", "repeats", "median s", "trials/s",
           "µs per trial and project", "fast/des")
    des_n = min(args.projects_des_trials, args.des_max_trials)
    for n_p in (20, 100, 300):
        d = median_run(args.repeats, path=MANY, trials=des_n, projects=n_p, engine="des")
        f = median_run(args.repeats, path=MANY, trials=args.projects_trials, projects=n_p,
                       engine="fast")
        d_rate, f_rate = des_n / d["seconds"], args.projects_trials / f["seconds"]
        row(n_p, "des", f"{des_n:,}", d["repeats"], f"{d['seconds']:.2f}", f"{d_rate:,.0f}",
            f"{1e6 / d_rate / n_p:.0f}", "")
        row(n_p, "fast", f"{args.projects_trials:,}", f["repeats"], f"{f['seconds']:.2f}",
            f"{f_rate:,.0f}", f"{1e6 / f_rate / n_p:.2f}", f"{f_rate / d_rate:.0f}×")
        sys.stdout.flush()
    print(f"\nLoad average: {load()}")


def workers(args) -> None:
    print("\n### Workers: fast engine, 1 against 2 processes\n")
    header("scenario", "trials", "workers", "processes used", "repeats", "median s",
           "trials/s", "speed-up")
    from sim.engines import effective_workers

    for path in (BASELINE, MANY):
        for n in args.worker_trials:
            one = None
            for w in (1, 2):
                r = median_run(reps(args, n), path=path, trials=n, workers=w, engine="fast")
                one = one or r["seconds"]
                row(NAMES[path], f"{n:,}", w, effective_workers(n, w, "fast"), r["repeats"],
                    f"{r['seconds']:.2f}", f"{n / r['seconds']:,.0f}",
                    f"{one / r['seconds']:.2f}×")
                sys.stdout.flush()
    print(f"\nLoad average: {load()}")


def dask(args) -> None:
    n = args.dask_trials
    print(f"\n### Dask LocalCluster against local processes: baseline, {n:,} trials, "
          "2 workers, fast engine\n")
    header("where", "repeats", "median s", "trials/s")
    for label, kw in (("2 local processes", {}),
                      ("LocalCluster, started in the timing", {"scheduler": "local"}),
                      ("LocalCluster, already running", {"warm_cluster": True})):
        r = median_run(args.repeats, path=BASELINE, trials=n, workers=2, engine="fast", **kw)
        row(label, r["repeats"], f"{r['seconds']:.2f}", f"{n / r['seconds']:,.0f}")
        sys.stdout.flush()
    print(f"\nLoad average: {load()}")


def memory(args) -> None:
    n = args.memory_trials
    print("\n### Peak memory: summaries only (as jcm simulate), fast engine, 2 workers\n")
    header("scenario", "projects", "trials", "runs", "seconds", "parent peak MiB",
           "largest worker peak MiB", f"target < {TARGET_MEMORY_MIB:,.0f} MiB")
    r = median_run(1, path=MANY, trials=n, workers=2, engine="fast")
    worst = max(r["self_mib"], r["children_mib"])
    row(NAMES[MANY], r["projects"], f"{n:,}", 1, f"{r['seconds']:.1f}",
        f"{r['self_mib']:,.0f}", f"{r['children_mib']:,.0f}",
        met(worst < TARGET_MEMORY_MIB))
    print(f"\nLoad average: {load()}")


def app(args) -> None:
    sys.path.insert(0, str(ROOT))
    from sim.engines import effective_workers
    from webapp.compute import workers_for
    from webapp.state import DEFAULT_TRIALS

    n = DEFAULT_TRIALS
    print("\n### App: a budget edit to new KPIs (simulation + webapp.compute.summarise), "
          "fast engine\n")
    header("scenario", "trials", "processes used", "repeats", "first run after start s",
           "edit to answer, median s", f"target ≤ {TARGET_APP_SECONDS:g} s")
    for path in (BASELINE, MANY):
        r = median_run(args.repeats, path=path, trials=n, engine="fast", app=True)
        row(NAMES[path], f"{n:,}", effective_workers(n, workers_for(n), "fast"), r["repeats"],
            f"{r['first_s'] + r['seconds']:.2f}", f"{r['seconds']:.2f}",
            met(r["seconds"] <= TARGET_APP_SECONDS))
        sys.stdout.flush()
    print(f"\nLoad average: {load()}")


def draws(args) -> None:
    print("\n### Random draws per trial (one block of 1,024 trials, one process)\n")
    header("scenario", "projects", "draws µs/trial", "fast engine with its draws µs/trial",
           "draws' share")
    for path in (BASELINE, MANY):
        r = measure(path=path, draws=True)
        row(NAMES[path], r["projects"], f"{r['draw_us']:.0f}", f"{r['whole_us']:.0f}",
            f"{r['draw_us'] / r['whole_us']:.0%}")
    print(f"\nLoad average: {load()}")


def cli(args) -> None:
    import time

    print("\n### The jcm command: start to exit as a fresh process\n")
    header("command", "exit status", "repeats", "median s", "min to max s")
    runs = [
        ("python -c pass (Python alone)", ["-c", "pass"]),
        ("jcm --help", ["-m", "cli.main", "--help"]),
        ("jcm validate baseline", ["-m", "cli.main", "validate", BASELINE]),
        ("jcm schema", ["-m", "cli.main", "schema"]),
        ("jcm simulate --trials 0 (refused)", ["-m", "cli.main", "simulate", BASELINE,
                                               "--trials", "0"]),
        ("jcm optimize --time-limit 0 (refused)",
         ["-m", "cli.main", "optimize", "--candidates", "c.csv", "--budgets", "b.csv",
          "--time-limit", "0"]),
        (f"jcm simulate baseline --trials {args.cli_trials:,} --workers 1",
         ["-m", "cli.main", "simulate", BASELINE, "--trials", str(args.cli_trials),
          "--workers", "1"]),
    ]
    for label, argv in runs:
        secs, codes = [], set()
        for _ in range(max(args.repeats, 1)):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True)
            secs.append(time.perf_counter() - t0)
            codes.add(proc.returncode)
        row(label, "/".join(map(str, sorted(codes))), len(secs),
            f"{statistics.median(secs):.2f}", f"{min(secs):.2f} to {max(secs):.2f}")
        sys.stdout.flush()
    print(f"\nLoad average: {load()}")


def optimize(args) -> None:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "bench_optimize.py"),
           "--repeats", str(args.repeats), "--time-limit", str(args.opt_time_limit)]
    sys.stdout.flush()
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(f"\nLoad average: {load()}")


SECTIONS = {"engines": engines, "pairs": pairs, "projects": projects, "workers": workers,
            "dask": dask, "memory": memory, "app": app, "draws": draws, "cli": cli,
            "optimize": optimize}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import numba
        numba_v = f", numba {numba.__version__}"
    except ImportError:
        numba_v = ", no numba (the fast engine falls back to the SimPy engine)"
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}{numba_v}, "
            f"{platform.system()} {platform.release()}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(json.loads(sys.argv[2]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, nargs="+", default=[1000, 10000, 100000],
                    help="trial counts of the engines section (default 1000 10000 100000)")
    ap.add_argument("--des-max-trials", type=int, default=2000,
                    help="largest trial count run with the SimPy engine (default 2000)")
    ap.add_argument("--pairs", type=int, default=5,
                    help="SimPy/fast pairs of the pairs section (default 5)")
    ap.add_argument("--pair-des-trials", type=int, default=500,
                    help="SimPy-engine trials of each pair (default 500)")
    ap.add_argument("--pair-fast-trials", type=int, default=10000,
                    help="fast-engine trials of each pair (default 10000)")
    ap.add_argument("--projects-trials", type=int, default=10000,
                    help="fast-engine trials of the projects section (default 10000)")
    ap.add_argument("--projects-des-trials", type=int, default=1000,
                    help="SimPy-engine trials of the projects section (default 1000)")
    ap.add_argument("--worker-trials", type=int, nargs="+", default=[10000, 100000],
                    help="trial counts of the workers section (default 10000 100000)")
    ap.add_argument("--dask-trials", type=int, default=10000)
    ap.add_argument("--memory-trials", type=int, default=100000)
    ap.add_argument("--cli-trials", type=int, default=1000,
                    help="trials of the real simulate run of the cli section (default 1000)")
    ap.add_argument("--repeats", type=int, default=3, help="repeats per figure (default 3)")
    ap.add_argument("--long-repeats", type=int, default=1,
                    help="repeats of runs of 100,000 trials or more (default 1)")
    ap.add_argument("--opt-time-limit", type=float, default=60.0,
                    help="solver time limit of the optimize section [s] (default 60)")
    ap.add_argument("--sections", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"Machine: {machine()}")
    print(f"Load average at the start (1, 5, 15 min): {load()}")
    for name in args.sections:
        try:
            SECTIONS[name](args)
        except (RuntimeError, subprocess.CalledProcessError) as err:
            print(f"\nsection {name} failed: {str(err).strip()[-1000:]}")
        sys.stdout.flush()
    print(f"\nLoad average at the end (1, 5, 15 min): {load()}")


if __name__ == "__main__":
    main()
