"""Read OR-Library multidimensional knapsack instances and write them as spreadsheet tables.

Used to validate the optimizer against published optima (tests and benchmarks); the data
files themselves live outside the project (``shared/data/orlib``). Formats (J.E. Beasley's
OR-Library): ``mknap1``/``mknapcb*`` — K, then per problem ``n m opt``, n profits, m rows of
n weights, m capacities; ``mknap2`` — blocks ``problem NAME.DAT`` followed by ``m n``,
n profits, m capacities, m×n weights and the known optimum.

An instance becomes a spreadsheet problem with one candidate per item (value = profit) and
one fiscal year per knapsack constraint: constraint k → column ``FY(2026+k)``, budget of that
year = capacity. Without carry-over that is exactly ``max p·x s.t. R x ≤ b``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Knapsack", "read_mknap1", "read_mknap2", "write_spreadsheet", "FIRST_FY"]

FIRST_FY = 2026


@dataclass(frozen=True)
class Knapsack:
    """One 0-1 multidimensional knapsack instance: max p·x s.t. weights·x ≤ capacities."""

    name: str
    profits: list[float]
    weights: list[list[float]]  # m rows of n
    capacities: list[float]
    optimum: float | None


def _numbers(text: str) -> list[float]:
    return [float(t) for t in text.split()]


def read_mknap1(path: str | Path, prefix: str = "") -> list[Knapsack]:
    """Instances of an ``mknap1``/``mknapcb`` file, named ``prefix + index`` (0-based)."""
    nums = _numbers(Path(path).read_text())
    pos = 1
    out = []
    for k in range(int(nums[0])):
        n, m, opt = int(nums[pos]), int(nums[pos + 1]), nums[pos + 2]
        pos += 3
        profits = nums[pos:pos + n]
        pos += n
        weights = [nums[pos + r * n: pos + (r + 1) * n] for r in range(m)]
        pos += m * n
        caps = nums[pos:pos + m]
        pos += m
        out.append(Knapsack(f"{prefix}{k:02d}", profits, weights, caps, opt or None))
    return out


def read_mknap2(path: str | Path) -> list[Knapsack]:
    """Instances of ``mknap2.txt`` (the commented WEING1 example in the header is skipped)."""
    text = Path(path).read_text()
    blocks = re.split(r"^\s*problem\s+(\S+)\s*$", text, flags=re.MULTILINE)
    out = []
    for name, body in zip(blocks[1::2], blocks[2::2], strict=True):
        body = re.sub(r"\+{3,}", " ", body)
        nums = _numbers(body)
        m, n = int(nums[0]), int(nums[1])
        pos = 2
        profits = nums[pos:pos + n]
        pos += n
        caps = nums[pos:pos + m]
        pos += m
        weights = [nums[pos + r * n: pos + (r + 1) * n] for r in range(m)]
        pos += m * n
        optimum = nums[pos] if pos < len(nums) else None
        out.append(Knapsack(name, profits, weights, caps, optimum))
    return out


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def write_spreadsheet(inst: Knapsack, folder: str | Path) -> tuple[Path, Path]:
    """Write ``candidates.csv`` and ``budgets.csv`` for ``inst`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    years = [FIRST_FY + k for k in range(len(inst.capacities))]
    cand = folder / "candidates.csv"
    with cand.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "value"] + [f"FY{y}" for y in years])
        for j, p in enumerate(inst.profits):
            w.writerow([f"item{j}", _num(p)] + [_num(row[j]) for row in inst.weights])
    budget = folder / "budgets.csv"
    with budget.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["fy", "budget_oku_yen"])
        for y, cap in zip(years, inst.capacities, strict=True):
            w.writerow([y, _num(cap)])
    return cand, budget
