"""Where the map steps run: this process, a local process pool, or a Dask cluster.

    make_executor(settings, jobs=None, scheduler=None, n_items=0) -> Executor

All executors offer `map(fn, items, shared, label)` returning results in item order (see
base.py). Measured on the 2-core machine with bench/bench_run.py (1,000 articles), the local
process pool beats a Dask LocalCluster (no scheduler round trips, workers forked from a
preloaded server), so it is the default for local runs; `backend: dask` picks the LocalCluster
and `scheduler:` (or `audit run --scheduler`) an existing cluster past this machine.
"""
from __future__ import annotations

import os

from audit.execution import gctune, wordtables
from audit.execution.base import ExecutionError, Executor
from audit.execution.local import ProcessExecutor, SerialExecutor
from audit.execution.settings import ExecutionSettings

__all__ = ["ExecutionError", "ExecutionSettings", "Executor", "ProcessExecutor", "SerialExecutor",
           "make_executor", "SMALL_BATCH"]

wordtables.install()   # wordfreq's tables compact in every process running the stages
gctune.tune()          # few full collections of a heap that holds little garbage

SMALL_BATCH = 40   # documents: below this, starting workers costs more than it saves


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return max(1, os.cpu_count() or 1)


def make_executor(settings: ExecutionSettings | None = None, jobs: int | None = None,
                  scheduler: str | None = None, n_items: int = 0) -> Executor:
    """The executor a run asked for: `scheduler` (flag, else config) means that Dask cluster;
    otherwise `jobs` workers (flag, else config, else every core). A small batch with the
    worker count left at its default runs in this process."""
    settings = settings or ExecutionSettings()
    address = scheduler or settings.scheduler
    chosen = jobs or settings.jobs
    if address:
        from audit.execution.dask import DaskExecutor
        return DaskExecutor(chosen or 1, address, settings.worker_timeout)
    workers = chosen or cores()
    if workers == 1 or (chosen is None and n_items < SMALL_BATCH):
        return SerialExecutor()
    if settings.backend == "dask":
        from audit.execution.dask import DaskExecutor
        return DaskExecutor(workers, None, settings.worker_timeout)
    return ProcessExecutor(workers).start()
