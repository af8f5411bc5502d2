"""Monte Carlo batches on a Dask cluster (``dask.distributed``), for runs that outgrow one
machine.

``--scheduler local`` starts a ``LocalCluster`` of single-threaded worker processes on this
machine; ``--scheduler tcp://HOST:PORT`` connects to a running scheduler (started with
``dask scheduler`` and ``dask worker tcp://HOST:PORT`` on the team's machines, each with this
project installed). The scenario is sent to the workers once; each batch of trials is a task;
finished batches are merged by trial number, so the results are bit-identical to a run on
this machine with the same seed.

Callers that run many simulations (sweeps, scenario grids, the optimizer's sampling) open
one :func:`connect` and pass the client as ``scheduler`` to every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Addresses accepted for ``--scheduler``: ``local`` or PROTOCOL://HOST:PORT.
ADDRESS_RE = re.compile(r"^(tcp|tls|ws|wss|ucx)://[A-Za-z0-9.\-\[\]:_]+:\d{1,5}$")
#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT_S = 10


def check_scheduler(value: str) -> str | None:
    """None if ``value`` is a usable ``--scheduler``; otherwise the rule it breaks."""
    if value == "local" or ADDRESS_RE.match(value):
        return None
    return ("must be 'local' or a Dask scheduler address such as tcp://HOST:8786 "
            "(protocol tcp, tls, ws, wss or ucx; host; port)")


class SchedulerError(RuntimeError):
    """The Dask scheduler could not be started or reached."""


@contextmanager
def connect(scheduler: Any, workers: int = 1) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``: ``"local"`` (a new LocalCluster with
    ``workers`` single-threaded processes, closed on exit), an address (connected, closed on
    exit), or an existing Client (used as is, left open)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise SchedulerError("dask.distributed is not installed") from err
    if isinstance(scheduler, Client):
        yield scheduler
        return
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot reach the Dask scheduler {scheduler}: {err}") from err
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cluster_threads(client: Any) -> int:
    """Worker threads in the cluster (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def finished(client: Any, func: Any, calls: list[tuple]) -> Iterator[tuple[int, Any]]:
    """Submit ``func(*args)`` to the cluster for each ``args`` in ``calls``; yield
    ``(index, result)`` as the tasks finish (any order). Tasks not yet yielded are cancelled
    when the caller stops early (an error, a Stop)."""
    from distributed import as_completed

    futures = [client.submit(func, *args, pure=False) for args in calls]
    pending = {f.key: (k, f) for k, f in enumerate(futures)}
    try:
        for fut in as_completed(futures):
            k, _ = pending.pop(fut.key)
            yield k, fut.result()
            fut.release()
    finally:
        for _, fut in pending.values():
            fut.cancel()


def dask_batches(client: Any, scenario, seed: int, batches: list[range],
                 keep_projects: bool, engine: str = "des") -> Iterator[tuple[range, dict]]:
    """Yield ``(batch, part)`` as the cluster finishes batches (any order)."""
    from sim.montecarlo import _run_batch

    [scenario_f] = client.scatter([scenario], broadcast=True)
    calls = [(scenario_f, seed, b, keep_projects, engine) for b in batches]
    for k, part in finished(client, _run_batch, calls):
        yield batches[k], part
