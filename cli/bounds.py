"""Bounds on command-line numbers: one clean message naming the flag and the bound."""

from __future__ import annotations

import math

from sim import limits
from sim.errors import InputError

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


def shorten(items: list[str], most: int = 10) -> str:
    """``a, b, c and 12 more``: a list short enough for one line."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most:,} more" if len(items) > most else "")
