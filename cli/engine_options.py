"""The options every simulating command shares: ``--engine``, ``--workers`` and
``--scheduler``.

``add_run_options(parser)`` registers them; ``run_options(args)`` checks them (a bad value
raises :class:`sim.errors.InputError` naming the option and the rule: exit status 2) and
returns the :class:`sim.runner.RunOptions` to pass to :func:`sim.runner.run_trials`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.bounds import check_int
from sim import limits
from sim.distributed import check_scheduler
from sim.engines import ENGINES, FAST_TRIALS_PER_PROCESS, default_workers
from sim.errors import InputError

if TYPE_CHECKING:  # the runner loads the engines: imported when a run is asked for
    from sim.runner import RunOptions

#: Where command-line problems are reported from (as other commands do).
CMDLINE = "<command line>"


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--workers`` and ``--scheduler`` to a sub-command's parser."""
    g = parser.add_argument_group("running the simulation")
    g.add_argument(
        "--engine", choices=ENGINES, default="fast",
        help="fast: the compiled engine (default); des: the SimPy discrete-event reference. "
        "Both give the same numbers for the same seed",
    )
    g.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help=f"processes on this machine, or Dask workers with --scheduler local (default: "
        f"the machine's cores, {default_workers()} here; the fast engine starts one only per "
        f"{FAST_TRIALS_PER_PROCESS:,} trials); results do not depend on it",
    )
    g.add_argument(
        "--scheduler", default=None, metavar="local|tcp://HOST:PORT",
        help="run the trials on Dask: 'local' starts a LocalCluster of --workers processes; "
        "an address sends them to a running dask.distributed scheduler; results are "
        "identical to a run on this machine with the same seed",
    )


def run_options(args: argparse.Namespace) -> RunOptions:
    """The checked run options of a parsed command line."""
    check_int("--workers", args.workers, 1, limits.MAX_WORKERS)
    if args.scheduler is not None:
        rule = check_scheduler(args.scheduler)
        if rule:
            raise InputError.single(CMDLINE, "--scheduler", rule)
    from sim.runner import RunOptions

    return RunOptions(workers=args.workers, scheduler=args.scheduler, engine=args.engine)
