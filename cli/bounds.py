"""Bounds on command-line numbers: one clean message naming the flag and the bound."""

from __future__ import annotations

import math

from sim import limits
from sim.errors import InputError, Problem

CMDLINE = "<command line>"


def check_int(flag: str, value: int | None, lo: int, hi: int) -> None:
    """Refuse an integer flag outside [lo, hi]."""
    if value is not None and not lo <= value <= hi:
        raise InputError.single(CMDLINE, flag, f"must lie between {lo:,} and {hi:,}, got "
                                f"{value:,}")


def check_float(flag: str, value: float | None, lo: float, hi: float, *,
                lo_open: bool = False, hi_open: bool = False) -> None:
    """Refuse a number flag that is NaN, infinite or outside its range."""
    if value is None:
        return
    low_ok = value > lo if lo_open else value >= lo
    high_ok = value < hi if hi_open else value <= hi
    if not (math.isfinite(value) and low_ok and high_ok):
        if lo == 0 and lo_open and not hi_open:
            raise InputError.single(CMDLINE, flag, f"must be a positive finite number, at most "
                                    f"{hi:,g}, got {value!r}")
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise InputError.single(CMDLINE, flag, f"must be a finite number in {left}{lo:g}, "
                                f"{hi:g}{right}, got {value!r}")


def check_seed(value: int) -> None:
    """A root seed is a whole number from 0 to :data:`sim.limits.MAX_SEED`."""
    check_int("--seed", value, 0, limits.MAX_SEED)


def check_work(scenario, trials: int) -> None:
    """Refuse a simulation larger than :data:`sim.limits.MAX_WORK_CELLS` trial × project ×
    year cells, saying how many trials this scenario may run."""
    years = len(scenario.program.years)
    n_p = len(scenario.projects)
    if limits.work_cells(n_p, years, trials) > limits.MAX_WORK_CELLS:
        most = limits.largest_trials(n_p, years)
        raise InputError.single(
            CMDLINE, "--trials",
            f"{trials:,} trials × {n_p} projects × {years} years is more than "
            f"{limits.MAX_WORK_CELLS:,} cells (the limit): use at most {most:,} trials for "
            "this scenario")


def as_options(err: InputError, options: dict[str, str]) -> InputError:
    """``err`` reported against the command line: each problem's field (a settings name
    such as ``trials``) becomes the option that gave it (``options``, e.g. ``{"trials":
    "--tornado-trials"}``; ``--<field>`` otherwise)."""
    return InputError([Problem(CMDLINE, options.get(p.field, "--" + p.field), p.rule)
                       for p in err.problems])


def shorten(items: list[str], most: int = 10) -> str:
    """``a, b, c and 12 more``: a list short enough for one line."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most:,} more" if len(items) > most else "")
