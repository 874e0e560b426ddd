"""What every executor offers the pipeline: `map(fn, items, shared)` in item order."""
from __future__ import annotations

from typing import Any, Callable, Sequence


class ExecutionError(RuntimeError):
    """The run could not be carried out where it was asked to (scheduler unreachable, workers
    gone); the message names the address or the stage. The CLI exits with code 2."""


def chunks(items: Sequence, size: int) -> list[list]:
    return [list(items[i:i + size]) for i in range(0, len(items), max(1, size))]


def run_chunk(fn: Callable, items: list, shared: Any) -> list:
    """One task: `fn(item, shared)` for each item of a chunk (module level, so it pickles)."""
    return [fn(item, shared) for item in items]


class Executor:
    """Maps pure functions over items; results come back in the items' order."""
    kind = "executor"

    def __init__(self, workers: int):
        self.workers = workers
        self.tasks_run = 0
        self.progress: Callable[[int], None] | None = None

    def chunk_size(self, n: int) -> int:
        """About four tasks per worker (work evens out), at most 32 items a task (memory
        and a dead worker's lost work stay small)."""
        return max(1, min(32, -(-n // (self.workers * 4))))

    def advance(self, n: int) -> None:
        if self.progress:
            self.progress(n)

    def map(self, fn: Callable, items: Sequence, shared: Any = None, label: str = "") -> list:
        raise NotImplementedError

    def release(self) -> None:
        """The map steps are over for now: give back the workers' memory. The executor stays
        usable (a later `map` starts workers again). A no-op for executors without workers of
        their own."""

    def close(self) -> None:
        """Release workers (a no-op for executors without any)."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
