"""A batch's (trials, projects, years) arrays reduced to the summaries a run keeps when it
does not keep per-project arrays (:func:`sim.montecarlo._summarise_batch`), in one compiled
pass over each array.

The sums are float64 and run in the order NumPy's reductions in :mod:`sim.results` run them
(over projects in project order; over years in year order), so they are the same numbers
bit for bit (a test checks it) whether a run keeps its per-project arrays or not.
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit

#: The (trials, projects, years) arrays of spending and reductions that runs summarise.
ANNUAL = ("spend_oku_yen", "credits_t", "japan_credits_t", "demo_reductions_t",
          "dissemination_t")


def year_stop(year_index: int, n_years: int) -> int:
    """The stop of NumPy's slice ``[: year_index + 1]`` on an axis of ``n_years``."""
    return len(range(n_years)[: year_index + 1])


@njit(cache=True)
def _program(a, out):
    """``out[t, y] = sum over projects of a[t, p, y]`` (float64)."""
    n, P, ny = a.shape
    for t in range(n):
        for y in range(ny):
            out[t, y] = 0.0
        for p in range(P):
            for y in range(ny):
                out[t, y] += np.float64(a[t, p, y])


@njit(cache=True)
def _credits_and_program(credits, stop_a, stop_b, to_a, to_b, program):
    """Per project the credits of years ``[0, stop_a)`` and ``[0, stop_b)``, and the program
    totals by year."""
    n, P, ny = credits.shape
    for t in range(n):
        for y in range(ny):
            program[t, y] = 0.0
        for p in range(P):
            sa = 0.0
            sb = 0.0
            for y in range(ny):
                v = np.float64(credits[t, p, y])
                if y < stop_a:
                    sa += v
                if y < stop_b:
                    sb += v
                program[t, y] += v
            to_a[t, p] = sa
            to_b[t, p] = sb


@njit(cache=True)
def _spend(spend, per_project, total, program):
    """Per project the spending of all years, per trial the total, and the program totals."""
    n, P, ny = spend.shape
    for t in range(n):
        for y in range(ny):
            program[t, y] = 0.0
        s_all = 0.0
        for p in range(P):
            s = 0.0
            for y in range(ny):
                v = np.float64(spend[t, p, y])
                s += v
                s_all += v
                program[t, y] += v
            per_project[t, p] = s
        total[t] = s_all


def summarise(arrays: dict[str, np.ndarray], year_2030: int, year_2040: int) -> dict:
    """The summaries of ``arrays`` (``spend_oku_yen``, ``credits_t``, ``japan_credits_t``,
    ``demo_reductions_t``, ``dissemination_t``: float32 (trials, projects, years)), with
    ``year_2030`` and ``year_2040`` the indices of FY2030 and FY2040 on the years axis:

    * ``program:<name>``: sum over projects, float64 (trials, years);
    * ``project_credits_fy2030_t`` (float64) and ``project_credits_fy2040_t`` (float32):
      credits through those years, per project;
    * ``project_spend_oku_yen`` (float32) per project, ``spend_total_oku_yen`` (float64) per
      trial.
    """
    spend, credits = arrays["spend_oku_yen"], arrays["credits_t"]
    n, n_p, ny = credits.shape
    out: dict[str, np.ndarray] = {}
    for name in ("japan_credits_t", "demo_reductions_t", "dissemination_t"):
        program = np.empty((n, ny))
        _program(np.ascontiguousarray(arrays[name]), program)
        out[f"program:{name}"] = program
    to_2030, to_2040, program = np.empty((n, n_p)), np.empty((n, n_p)), np.empty((n, ny))
    _credits_and_program(np.ascontiguousarray(credits), year_stop(year_2030, ny),
                         year_stop(year_2040, ny), to_2030, to_2040, program)
    out["program:credits_t"] = program
    out["project_credits_fy2030_t"] = to_2030
    out["project_credits_fy2040_t"] = to_2040.astype(np.float32)
    per_project, total, program = np.empty((n, n_p)), np.empty(n), np.empty((n, ny))
    _spend(np.ascontiguousarray(spend), per_project, total, program)
    out["program:spend_oku_yen"] = program
    out["project_spend_oku_yen"] = per_project.astype(np.float32)
    out["spend_total_oku_yen"] = total
    return out
