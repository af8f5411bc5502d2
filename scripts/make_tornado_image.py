"""Draw the README's tornado (docs/tornado.png) from a ``jcm sensitivity`` run.

    .venv/bin/python scripts/make_tornado_image.py                 # runs the baseline tornado
    .venv/bin/python scripts/make_tornado_image.py --from t.json   # draws an earlier result

Runs ``jcm sensitivity scenarios/baseline.toml`` at its default settings (tornado of
credits_fy2030_t) unless ``--from`` names its JSON, prints the run time, and draws the top
factors with matplotlib (installed with SALib), English labels.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", help="JSON written by jcm sensitivity --json")
    p.add_argument("--out", default=str(ROOT / "docs" / "tornado.png"))
    p.add_argument("--top", type=int, default=12)
    args = p.parse_args()
    if args.source:
        doc = json.loads(Path(args.source).read_text(encoding="utf-8"))
    else:
        from sensitivity import analysis
        from sim.loader import load_scenario

        scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
        s = analysis.settings("tornado", "credits_fy2030_t")
        t0 = time.perf_counter()
        doc = analysis.run(scenario, s)
        print(f"baseline tornado at defaults ({s.trials} trials per evaluation, "
              f"{doc['n_factors']} factors, {s.workers} workers): "
              f"{time.perf_counter() - t0:.1f} s, {doc['total_trials']:,} trials")
    draw(doc, Path(args.out), args.top)
    print(f"wrote {args.out}")
    return 0


def draw(doc: dict, out: Path, top: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Japanese units (億円) need a CJK font; DejaVu Sans has none
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK JP", "Noto Serif CJK JP"]

    factors = [f for f in doc["factors"] if math.isfinite(f["swing"])][:top][::-1]
    base = doc["base"]["mean"]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(factors) + 1.6), dpi=110)
    for k, f in enumerate(factors):
        noise = f["within_noise"]
        ax.barh(k, f["mean_low"] - base, left=base, color="#bbbbbb" if noise else "#e07b39",
                height=0.6, label="assumption at its P10" if k == len(factors) - 1 else None)
        ax.barh(k, f["mean_high"] - base, left=base, color="#9dc3e6" if noise else "#1f4e79",
                height=0.6, label="assumption at its P90" if k == len(factors) - 1 else None)
    ax.set_yticks(range(len(factors)))
    ax.set_yticklabels([f["label_en"] + (" (within noise)" if f["within_noise"] else "")
                        for f in factors], fontsize=8.5)
    ax.axvline(base, color="#333", linewidth=1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    s = doc["settings"]
    ax.set_xlabel(f"{doc['kpi_label']} (t-CO2), mean of {s['trials']} trials per end; "
                  f"base {base:,.0f}")
    ax.set_title(f"What drives credits by FY2030 — scenario '{doc['scenario']}'", loc="left",
                 fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")


if __name__ == "__main__":
    sys.exit(main())
