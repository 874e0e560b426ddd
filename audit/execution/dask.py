"""Executor on Dask distributed: a LocalCluster, or an existing cluster past this machine.

The client (the `audit run` process) reads and parses the inputs and ships documents to the
workers inside the tasks, so workers need audit installed but no shared disk. The stage's shared
value is scattered once to every worker (`broadcast=True`). Tasks are retried when a worker
dies (Dask reschedules them; `retries` covers errors raised by a dying worker's task), and the
client never waits forever: with no worker connected for `worker_timeout` seconds the run stops
with an error naming the scheduler.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from audit.execution.base import ExecutionError, Executor, chunks, run_chunk

CONNECT_TIMEOUT = "5s"


class DaskExecutor(Executor):
    kind = "dask"

    def __init__(self, workers: int, address: str | None = None, worker_timeout: float = 60.0):
        super().__init__(workers=workers)
        self.address = address
        self.worker_timeout = worker_timeout
        self._cluster = None
        self._client = self._connect()
        if address:
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def _connect(self):
        import dask
        from distributed import Client, LocalCluster
        dask.config.set({"distributed.comm.timeouts.connect": CONNECT_TIMEOUT,
                         "distributed.scheduler.allowed-failures": 3})
        if self.address is None:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            return Client(self._cluster)
        try:
            return Client(self.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise ExecutionError(f"{self.address}: cannot reach the Dask scheduler ({_reason(e)})") from None

    def map(self, fn: Callable, items: Sequence, shared: Any = None, label: str = "") -> list:
        if not items:
            return []
        from distributed import wait
        client = self._client
        try:
            shared_f = client.scatter(shared, broadcast=True, hash=False,
                                      timeout=self.worker_timeout) if shared is not None else None
        except TimeoutError:                 # scatter needs a worker to hold the value
            raise self._no_workers(label) from None
        parts = chunks(items, self.chunk_size(len(items)))
        futures = [client.submit(run_chunk, fn, part, shared_f, pure=False, retries=2) for part in parts]
        try:
            pending = set(futures)
            alone_since: float | None = None
            while pending:
                try:
                    done, pending = wait(list(pending), timeout=2, return_when="FIRST_COMPLETED")
                except TimeoutError:          # nothing finished in 2 s: check on the workers
                    done = set()
                for f in done:
                    self.advance(len(parts[futures.index(f)]))
                alone_since = self._watch_workers(alone_since, label)
            out: list = []
            for f in futures:
                out += f.result()
                self.tasks_run += 1
            return out
        except ExecutionError:
            raise
        except Exception as e:   # KilledWorker: a task took down workers again and again
            if type(e).__name__ == "KilledWorker":
                raise ExecutionError(f"{self.address or 'local Dask cluster'}: workers died while "
                                     f"running {label or 'a stage'} ({e})") from None
            raise
        finally:
            client.cancel(futures)
            if shared_f is not None:
                client.cancel(shared_f)

    def _watch_workers(self, alone_since: float | None, label: str) -> float | None:
        """Raise when the scheduler has had no worker for `worker_timeout` seconds."""
        try:
            n = len(self._client.scheduler_info().get("workers", {}))
        except Exception:  # noqa: BLE001 - the scheduler itself went away
            n = 0
        if n:
            return None
        now = time.monotonic()
        if alone_since is None:
            return now
        if now - alone_since > self.worker_timeout:
            raise self._no_workers(label)
        return alone_since

    def _no_workers(self, label: str) -> ExecutionError:
        return ExecutionError(f"{self.address or 'local Dask cluster'}: no worker connected for "
                              f"{self.worker_timeout:g} s during {label or 'a stage'}; "
                              f"start workers with `dask worker {self.address or 'ADDRESS'}`")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _reason(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) < 160 else text[:157] + "..."
