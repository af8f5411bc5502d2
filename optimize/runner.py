"""Run HiGHS on a built Pyomo model under an outer wall-clock guard.

HiGHS enforces its own ``time_limit``; the guard is for the rare case where it does not stop
(e.g. a long presolve). On POSIX the solve runs in a forked child process — the model is
inherited, not pickled — and the parent kills the child if it overruns
``time_limit_s + margin``. Where ``fork`` is unavailable the solve runs in a worker thread
and the guard asks HiGHS to cancel.

Only plain numbers cross back: termination, incumbent, bound, and the values of the
variables the caller asked for.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass, field

__all__ = ["RunResult", "run_highs", "guard_margin_s", "RUNNER_ENV"]

#: Environment variable choosing the runner: ``process`` (default where fork exists) or
#: ``thread``.
RUNNER_ENV = "JCM_OPTIMIZE_RUNNER"


@dataclass(frozen=True)
class RunResult:
    """What one HiGHS run produced.

    Attributes
    ----------
    termination : str
        ``optimal``, ``time_limit``, ``infeasible``, ``unbounded``, ``interrupted``,
        ``killed`` (outer guard), ``error`` or ``other``.
    has_solution : bool
        Whether a feasible incumbent exists.
    incumbent, bound : float or None
        Objective of the incumbent and the best proven bound (solver's sense).
    values : dict[str, list[float]]
        Values of each requested variable group (empty without a solution).
    translate_seconds, solve_seconds : float
        Time to pass the model to HiGHS and time spent solving (wall clock).
    message : str
        Error text or solver remark; empty when nothing to say.
    """

    termination: str
    has_solution: bool = False
    incumbent: float | None = None
    bound: float | None = None
    values: dict[str, list[float]] = field(default_factory=dict)
    translate_seconds: float = 0.0
    solve_seconds: float = 0.0
    message: str = ""


def guard_margin_s(time_limit_s: float) -> float:
    """Seconds the outer guard waits beyond HiGHS's own time limit."""
    return 5.0 + 0.1 * time_limit_s


_TERMINATION = {
    "convergenceCriteriaSatisfied": "optimal",
    "maxTimeLimit": "time_limit",
    "provenInfeasible": "infeasible",
    "locallyInfeasible": "infeasible",
    "infeasibleOrUnbounded": "infeasible",
    "unbounded": "unbounded",
    "interrupted": "interrupted",
    "error": "error",
}


def _work(model, groups, time_limit_s, mip_gap, options, send, holder):
    """Translate and solve ``model``; report through ``send`` (runs in the worker)."""
    from pyomo.contrib.solver.common.results import SolutionStatus
    from pyomo.contrib.solver.solvers.highs import Highs

    try:
        t0 = time.perf_counter()
        opt = Highs()
        for key in list(opt.config.auto_updates.keys()):
            opt.config.auto_updates[key] = False
        opt.set_instance(model)
        holder["opt"] = opt
        translate = time.perf_counter() - t0
        send(("ready", translate))
        t1 = time.perf_counter()
        res = opt.solve(
            model,
            time_limit=float(time_limit_s),
            rel_gap=float(mip_gap),
            load_solutions=False,
            raise_exception_on_nonoptimal_result=False,
            solver_options=dict(options),
        )
        solve_s = time.perf_counter() - t1
        term = _TERMINATION.get(res.termination_condition.name, "other")
        has = res.solution_status in (SolutionStatus.feasible, SolutionStatus.optimal)
        values = {}
        if has:
            for name, variables in groups.items():
                got = {}
                if variables:
                    got = res.solution_loader.get_vars(vars_to_load=list(variables))
                values[name] = [float(got[v]) for v in variables]
        message = "" if term != "other" else f"solver stopped: {res.termination_condition.name}"
        send(("done", RunResult(
            termination=term,
            has_solution=has,
            incumbent=None if res.incumbent_objective is None else float(res.incumbent_objective),
            bound=None if res.objective_bound is None else float(res.objective_bound),
            values=values,
            translate_seconds=translate,
            solve_seconds=solve_s,
            message=message,
        )))
    except BaseException as err:  # report anything, the parent decides
        first = (str(err).strip().splitlines() or [""])[0]
        send(("done", RunResult(termination="error", message=f"{type(err).__name__}: {first}")))


def _child(conn, *args):
    try:
        _work(*args, conn.send, {})
    finally:
        conn.close()
        os._exit(0)


def _run_process(model, groups, time_limit_s, mip_gap, options, translate_wait_s, margin_s):
    ctx = mp.get_context("fork")
    recv_conn, send_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(send_conn, model, groups, time_limit_s, mip_gap, options),
        daemon=True,
    )
    started = time.perf_counter()
    proc.start()
    send_conn.close()
    translate = 0.0
    try:
        deadline = translate_wait_s
        while True:
            if not recv_conn.poll(deadline):
                proc.kill()
                proc.join()
                waited = time.perf_counter() - started
                return RunResult(
                    termination="killed",
                    translate_seconds=translate,
                    solve_seconds=waited - translate,
                    message=(
                        f"the solver did not stop at its {time_limit_s:g} s time limit and "
                        f"was stopped after {waited:.1f} s"
                    ),
                )
            kind, payload = recv_conn.recv()
            if kind == "ready":
                translate = payload
                deadline = time_limit_s + margin_s
                continue
            proc.join()
            return payload
    except EOFError:
        proc.join()
        return RunResult(
            termination="error",
            message=f"the solver process ended unexpectedly (exit code {proc.exitcode})",
        )
    finally:
        recv_conn.close()


def _run_thread(model, groups, time_limit_s, mip_gap, options, translate_wait_s, margin_s):
    box: queue.Queue = queue.Queue()
    holder: dict = {}
    worker = threading.Thread(
        target=_work,
        args=(model, groups, time_limit_s, mip_gap, options, box.put, holder),
        daemon=True,
    )
    worker.start()
    started = time.perf_counter()
    deadline = translate_wait_s
    while True:
        try:
            kind, payload = box.get(timeout=deadline)
        except queue.Empty:
            opt = holder.get("opt")
            try:
                opt._solver_model.cancelSolve()
            except Exception:  # noqa: BLE001 - best effort
                pass
            try:
                kind, payload = box.get(timeout=10.0)
            except queue.Empty:
                waited = time.perf_counter() - started
                return RunResult(
                    termination="killed",
                    message=(
                        f"the solver did not stop at its {time_limit_s:g} s time limit and "
                        f"was abandoned after {waited:.1f} s"
                    ),
                )
        if kind == "ready":
            deadline = time_limit_s + margin_s
            continue
        return payload


def run_highs(
    model,
    groups: dict[str, list],
    time_limit_s: float,
    mip_gap: float = 0.0,
    options: dict | None = None,
    translate_wait_s: float = 600.0,
    use_process: bool | None = None,
    margin_s: float | None = None,
) -> RunResult:
    """Solve ``model`` with HiGHS under an outer wall-clock guard.

    Parameters
    ----------
    model : pyomo ConcreteModel
        A linear (mixed-integer) model with one active objective.
    groups : dict[str, list of VarData]
        Variables whose values to return, by group name.
    time_limit_s : float
        HiGHS time limit, seconds; the guard allows :func:`guard_margin_s` more.
    mip_gap : float
        Relative MIP gap at which HiGHS may stop and call the incumbent optimal.
    options : dict, optional
        Further HiGHS options.
    translate_wait_s : float
        How long passing the model to HiGHS may take before the guard gives up.
    use_process : bool, optional
        Force the forked-process (True) or thread (False) runner; default: process where
        ``fork`` exists, unless the environment variable ``JCM_OPTIMIZE_RUNNER`` says
        ``thread`` (e.g. for a host process where forking is unwelcome). Do not mix both
        in one process: a fork after HiGHS ran in a thread inherits HiGHS's thread pool
        half-alive.
    margin_s : float, optional
        Guard margin beyond ``time_limit_s``; default :func:`guard_margin_s`.
    """
    if margin_s is None:
        margin_s = guard_margin_s(time_limit_s)
    if use_process is None:
        thread = os.environ.get(RUNNER_ENV, "").strip().lower() == "thread"
        use_process = not thread and "fork" in mp.get_all_start_methods()
    runner = _run_process if use_process else _run_thread
    return runner(
        model, groups, time_limit_s, mip_gap, options or {}, translate_wait_s, margin_s
    )
