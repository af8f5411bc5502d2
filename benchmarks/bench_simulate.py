"""Benchmark the simulation: trials per second and peak memory, per scenario and worker count.

Run from the repository root::

    .venv/bin/python benchmarks/bench_simulate.py [--trials 2000] [--repeats 3]

Each measurement runs in a fresh Python process so its peak resident memory is its own.
Prints the median of the repeats. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from sim.loader import load_scenario
from sim.montecarlo import simulate
sc = load_scenario({path!r})
t0 = time.perf_counter()
res = simulate(sc, {trials}, seed=1, workers={workers})
sec = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": sec, "projects": len(sc.projects),
                   "peak_mib": max(rss_kb, kids_kb) / 1024}}))
"""


def measure(path: Path, trials: int, workers: int) -> dict:
    """Run one simulation in a child process; seconds, project count and peak MiB."""
    code = _CHILD.format(root=str(ROOT), path=str(path), trials=trials, workers=workers)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scenarios", nargs="*",
                    default=["scenarios/baseline.toml", "scenarios/many_candidates.toml"])
    ap.add_argument("--workers", nargs="*", type=int, default=[1, 2])
    args = ap.parse_args()
    print(f"{'scenario':32} {'projects':>8} {'workers':>7} {'trials':>7} {'median s':>9} "
          f"{'trials/s':>9} {'peak MiB':>9}")
    for name in args.scenarios:
        path = ROOT / name
        if not path.exists():
            print(f"{name}: not found, skipped")
            continue
        for w in args.workers:
            runs = [measure(path, args.trials, w) for _ in range(args.repeats)]
            sec = statistics.median(r["seconds"] for r in runs)
            peak = max(r["peak_mib"] for r in runs)
            print(f"{name:32} {runs[0]['projects']:>8} {w:>7} {args.trials:>7} {sec:>9.2f} "
                  f"{args.trials / sec:>9.1f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
