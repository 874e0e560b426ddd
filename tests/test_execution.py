"""A worker that dies mid-run is survived or reported, never waited on: a pool worker killed with
SIGKILL while it works (local pool and a Dask LocalCluster) costs a retry, and a task that takes
down every worker it meets ends the stage with an ExecutionError naming it. The shared-value
folders of a client killed with SIGKILL are removed by the next run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psutil
import pytest

from audit.execution import ExecutionError, ProcessExecutor
from audit.execution.local import SHARED_PREFIX, clean_stale_shared

ITEMS = list(range(24))


def slow_square(item: int, shared: int | None) -> int:
    time.sleep(0.15)
    return item * item + (shared or 0)


def suicide(item: int, shared: object) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return item


def _kill_a_worker_once_busy(pids, killed: list[int]) -> None:
    """SIGKILL one worker as soon as the pool has started working (within 30 s)."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        found = pids()
        if found:
            time.sleep(0.5)                     # mid-task: each chunk takes about a second
            os.kill(found[0], signal.SIGKILL)
            killed.append(found[0])
            return
        time.sleep(0.05)


def test_a_pool_worker_killed_mid_run_is_survived():
    ex = ProcessExecutor(2, preload=[])
    killed: list[int] = []

    def pids() -> list[int]:
        pool = ex._pool
        return sorted(pool._processes) if pool is not None and pool._processes else []

    with ex:
        killer = threading.Thread(target=_kill_a_worker_once_busy, args=(pids, killed))
        killer.start()
        out = ex.map(slow_square, ITEMS, 1, "squares")
        killer.join()
    assert killed, "no worker was killed"
    assert out == [i * i + 1 for i in ITEMS]


def test_a_task_that_kills_every_worker_is_reported_not_retried_forever():
    t0 = time.monotonic()
    with ProcessExecutor(2, preload=[]) as ex:
        with pytest.raises(ExecutionError, match="suicides: a worker process died twice"):
            ex.map(suicide, ITEMS, None, "suicides")
    assert time.monotonic() - t0 < 60


def test_a_dask_worker_killed_mid_run_is_survived():
    pytest.importorskip("distributed")
    from audit.execution.dask import DaskExecutor
    ex = DaskExecutor(2)
    killed: list[int] = []
    worker_pids = sorted(ex._client.run(os.getpid).values())

    with ex:
        killer = threading.Thread(target=_kill_a_worker_once_busy, args=(lambda: worker_pids, killed))
        killer.start()
        out = ex.map(slow_square, ITEMS, 1, "squares")
        killer.join()
    assert killed and killed[0] in worker_pids
    assert out == [i * i + 1 for i in ITEMS]


def test_shared_folders_of_dead_clients_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                           # a pid that no longer runs
    stale = tmp_path / f"{SHARED_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{SHARED_PREFIX}{os.getpid()}-def"
    other = tmp_path / "audit-notes"
    for d in (stale, live, other):
        d.mkdir()
        (d / "x").write_bytes(b"shared value")
    assert clean_stale_shared(str(tmp_path)) == [str(stale)]
    assert not stale.exists() and live.exists() and other.exists()


def test_a_pool_names_its_shared_folder_after_its_client_and_removes_it():
    with ProcessExecutor(2, preload=[]) as ex:
        folder = ex._tmp.name
        assert os.path.basename(folder).startswith(f"{SHARED_PREFIX}{os.getpid()}-")
        assert os.path.dirname(folder) == tempfile.gettempdir()
        assert ex.map(slow_square, ITEMS[:4], 2, "squares") == [i * i + 2 for i in ITEMS[:4]]
    assert not os.path.exists(folder)


def _pool_processes() -> list[psutil.Process]:
    """This process's fork server and the workers it forked (not multiprocessing's resource
    tracker, which lives as long as this process)."""
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            if "forkserver" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def test_release_ends_the_workers_and_the_fork_server_and_the_pool_still_maps():
    with ProcessExecutor(2, preload=[]) as ex:
        assert ex.map(slow_square, ITEMS[:4], 1, "squares") == [i * i + 1 for i in ITEMS[:4]]
        running = _pool_processes()
        assert len(running) == 3                        # the fork server and two workers
        ex.release()
        gone, alive = psutil.wait_procs(running, timeout=10)
        assert not alive and not _pool_processes()
        assert ex.map(slow_square, ITEMS[:4], 2, "squares") == [i * i + 2 for i in ITEMS[:4]]
        assert len(_pool_processes()) == 3              # started again on demand
    psutil.wait_procs(_pool_processes(), timeout=10)
    assert not _pool_processes()


def test_importing_the_execution_layer_raises_the_young_collection_threshold():
    """Every process running the stages (client, fork server, Dask workers with the warm
    preload) imports audit.execution, which sets the collector's threshold (gctune.py)."""
    import gc

    from audit.execution import gctune
    gc.set_threshold(700, 10, 10)
    try:
        gctune.tune()
        assert gc.get_threshold() == (gctune.YOUNG, 10, 10)
    finally:
        gctune.tune()
