"""Executors on this machine: in-process (one job) and a pool of worker processes.

An executor maps a pure function over items with one shared (broadcast) value per stage, and
returns the results in the order of the items, so what a run produces never depends on how
many workers computed it. Items travel in chunks (a few documents per task) to keep the cost of
a task small next to its work.

The process pool starts its workers from a fork server that has already imported the pipeline
(`forkserver` preload): a worker is ready in milliseconds instead of re-importing audit, and
unlike plain `fork` it never copies the parent's threads (the progress bar runs one). The shared
value is pickled once per stage into a temporary file that every worker loads once (it can be
the whole batch's word statistics: tens of MB at 10,000 articles, which should not ride along
with every task).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import select
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence

from audit.execution.base import ExecutionError, Executor, chunks, run_chunk

PRELOAD = ["audit.execution.warm"]

_SHARED: dict[str, Any] = {}     # worker side: token -> the stage's shared value (the last one)


def _load_shared(path: str, token: str) -> Any:
    if token not in _SHARED:
        _SHARED.clear()
        with open(path, "rb") as fh:
            _SHARED[token] = pickle.load(fh)
    return _SHARED[token]


def _die_with_client(client: int) -> None:
    """Pool worker initializer: exit when the client process ends, however it ends. A worker
    waits on a task queue whose write end it holds itself, and holds the fork server's
    keep-alive pipe too, so after a client killed with SIGKILL neither would ever see EOF (seen:
    orphaned workers still blocked on their queue 20 minutes later)."""
    def watch() -> None:
        try:
            fd = os.pidfd_open(client)          # readable once the client has exited (Linux)
            select.select([fd], [], [])
        except (AttributeError, OSError):
            while True:
                try:
                    os.kill(client, 0)
                except ProcessLookupError:
                    break
                time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, name="audit-client-watch", daemon=True).start()


def _pool_chunk(fn: Callable, items: list, path: str | None, token: str) -> list:
    shared = _load_shared(path, token) if path else None
    return run_chunk(fn, items, shared)


class SerialExecutor(Executor):
    """Everything in this process: `--jobs 1`, and the reference the parallel runs must equal."""
    kind = "serial"

    def __init__(self) -> None:
        super().__init__(workers=1)

    def map(self, fn: Callable, items: Sequence, shared: Any = None, label: str = "") -> list:
        out = []
        for chunk in chunks(items, 1):
            out += run_chunk(fn, chunk, shared)
            self.tasks_run += 1
            self.advance(len(chunk))
        return out


SHARED_PREFIX = "audit-shared-"


def clean_stale_shared(folder: str | None = None) -> list[str]:
    """Remove the shared-value folders of runs that are gone (a run killed with SIGKILL cannot
    remove its own): each is named after its client's pid, and a folder whose pid no longer
    exists is debris. Returns the folders removed."""
    import shutil
    folder = folder or tempfile.gettempdir()
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(SHARED_PREFIX):
            continue
        pid_text = name[len(SHARED_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        path = os.path.join(folder, name)
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.exists(path):
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:          # another user's process: alive
        return True
    return True


def _stop_forkserver() -> None:
    """End this process's fork server (multiprocessing keeps it until the process exits; the
    next pool starts a new one). Not while another pool of this process may still fork from it."""
    if ProcessExecutor.live:
        return
    from multiprocessing import forkserver
    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)       # private, but the only way short of exiting
    if stop is not None and getattr(server, "_forkserver_pid", None) is not None:
        stop()


class ProcessExecutor(Executor):
    """A local pool of `workers` processes (concurrent.futures)."""
    kind = "processes"
    live = 0                     # pools of this process with workers running (see _stop_forkserver)

    def __init__(self, workers: int, preload: list[str] | None = None):
        super().__init__(workers=workers)
        self.preload = PRELOAD if preload is None else preload
        clean_stale_shared()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"{SHARED_PREFIX}{os.getpid()}-")
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _get_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = mp.get_context("forkserver")
                ctx.set_forkserver_preload(self.preload)
                self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                                 initializer=_die_with_client,
                                                 initargs=(os.getpid(),))
                ProcessExecutor.live += 1
                for _ in range(self.workers):     # spawns the workers (blocks until the fork
                    self._pool.submit(int)        # server has warmed up: seconds)
            return self._pool

    def start(self) -> "ProcessExecutor":
        """Start the workers in the background: they warm up while the client reads the inputs
        (the first map waits for them)."""
        threading.Thread(target=self._get_pool, name="audit-pool-start", daemon=True).start()
        return self

    def _share(self, shared: Any) -> tuple[str | None, str]:
        token = uuid.uuid4().hex
        if shared is None:
            return None, token
        path = os.path.join(self._tmp.name, token)
        with open(path, "wb") as fh:
            pickle.dump(shared, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return path, token

    def map(self, fn: Callable, items: Sequence, shared: Any = None, label: str = "") -> list:
        if not items:
            return []
        path, token = self._share(shared)
        parts = chunks(items, self.chunk_size(len(items)))
        try:
            return self._run(fn, parts, path, token)
        except BrokenProcessPool:
            # a worker died (killed, out of memory, a crash in a C library): one fresh pool
            # retries the stage; a second death is reported, naming the documents in flight
            self._drop_broken()
            try:
                return self._run(fn, parts, path, token)
            except BrokenProcessPool:
                self._drop_broken()
                raise ExecutionError(f"{label or 'a stage'}: a worker process died twice while "
                                     f"working on this batch (out of memory?); rerun with "
                                     f"--jobs 1 to see which document fails") from None
        finally:
            if path:
                os.unlink(path)

    def _run(self, fn: Callable, parts: list[list], path: str | None, token: str) -> list:
        pool = self._get_pool()
        futures = [pool.submit(_pool_chunk, fn, part, path, token) for part in parts]
        out: list = []
        for part, fut in zip(parts, futures):
            out += fut.result()
            self.tasks_run += 1
            self.advance(len(part))
        return out

    def _drop_broken(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool = None
                ProcessExecutor.live -= 1

    def release(self) -> None:
        """Stop the workers and the fork server once the last map step is done: alignment and
        the reports run in the client, and the idle pool (2 workers and the server, about 1.2 GB
        of RSS on the 1,000-article syndication batch) would otherwise stay through them."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            ProcessExecutor.live -= 1
        _stop_forkserver()

    def close(self) -> None:
        self.release()
        self._tmp.cleanup()
