"""A content-addressed cache of per-document results, for incremental re-runs.

An entry's key is a hash of everything its value depends on: the step's name, the code and data
of audit itself (any change to a .py or data file makes a new key space), the settings the step
reads and the exact inputs it was given (file bytes; a document with the batch statistics it was
shown). A key therefore never returns a result the current run would not compute, and a re-run
redoes only the items whose inputs changed.

Entries are files `<dir>/<2 hex>/<key>.pkl`: a SHA-256 of the payload, then the pickled payload.
Each is written to a temporary file and renamed into place, so an interrupted run leaves whole
entries or none; an entry that does not check out (truncated by a crash of the machine, edited)
is a miss and is rewritten. No fsync: losing the newest entries in a power cut only costs their
recomputation.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

_MISS = object()
DEFAULT_DIR = ".audit-cache"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of audit's own source and data files: results computed by other code are not
    reused (a version number would miss edits between releases)."""
    import audit
    root = Path(audit.__file__).parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix not in (".pyc",) and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class Cache:
    """`get(key)` / `put(key, value)`; a disabled cache (folder None) misses and stores nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.errors = 0

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, *parts: bytes | str) -> str:
        h = hashlib.sha256(code_version().encode())
        for p in parts:
            b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str, default: Any = _MISS) -> Any:
        if self.folder is None:
            return default
        try:
            raw = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return default
        check, payload = raw[:32], raw[32:]
        try:
            if hashlib.sha256(payload).digest() != check:
                raise ValueError("checksum")
            value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, never a wrong result
            self.errors += 1
            self.misses += 1
            return default
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(hashlib.sha256(payload).digest())
                    fh.write(payload)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            self.errors += 1     # a full disk or a read-only cache folder costs speed, not results

    @staticmethod
    def missing(value: Any) -> bool:
        return value is _MISS
