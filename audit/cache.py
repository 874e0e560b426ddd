"""A content-addressed cache of per-file and per-document results, for incremental re-runs.

An entry's key is a hash of everything its value depends on: the step's name, the code and data
of audit itself (any change to a .py or data file makes a new key space), the settings the step
reads and the exact inputs it was given (file bytes; a document with the recurrence of its lines;
for batch-dependent steps, a fingerprint of the whole batch). A key therefore never returns a
result the current run would not compute, and a re-run redoes only the items whose inputs
changed.

Storage is one SQLite file (`<dir>/cache.sqlite3`, stdlib sqlite3, WAL journal): writes go in
transactions, so an interrupted run leaves whole entries or none (one file per entry cost 1-3 ms
of open/rename each on this machine, seconds per 1,000 articles). Each value carries a SHA-256 of
its pickle; an entry that does not check out, or a database that cannot be read, is a miss and
the run goes on: the cache costs speed, never results. Entries unused for 30 days are dropped
when a run closes the cache.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

_MISS = object()
DB_NAME = "cache.sqlite3"
MAX_AGE_DAYS = 30
_FLUSH_EVERY = 500


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of audit's own source and data files: results computed by other code are not
    reused (a version number would miss edits between releases)."""
    import audit
    root = Path(audit.__file__).parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts:
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
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._touched: list[str] = []
        self.tallies: dict[str, dict[str, int]] = {}

    def tally(self, stage: str, reused: int, computed: int, stale: int = 0) -> None:
        """Count a stage's items reused and computed (`stale`: found in the cache but refused,
        their reads having changed), so a re-run says where its time went (`summary`)."""
        t = self.tallies.setdefault(stage, {"reused": 0, "computed": 0, "stale": 0})
        t["reused"] += reused
        t["computed"] += computed
        t["stale"] += stale

    def summary(self) -> str:
        """One line: per stage, items reused of all (and how many were found but stale)."""
        return "; ".join(f"{k} {t['reused']}/{t['reused'] + t['computed']} reused"
                         + (f" ({t['stale']} stale)" if t["stale"] else "")
                         for k, t in self.tallies.items())

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

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None and self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.folder / DB_NAME, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, "
                           "value BLOB NOT NULL, used REAL NOT NULL)")
                db.execute("BEGIN")
                self._db = db
            except (sqlite3.Error, OSError):
                self._broken()
        return self._db

    def _broken(self) -> None:
        """A cache that cannot be read or written is switched off for the rest of the run."""
        self.errors += 1
        self.folder = None
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def get(self, key: str, default: Any = _MISS) -> Any:
        db = self._conn()
        if db is None:
            return default
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self._broken()
            return default
        if row is None:
            self.misses += 1
            return default
        raw = bytes(row[0])
        try:
            if hashlib.sha256(raw[32:]).digest() != raw[:32]:
                raise ValueError("checksum")
            value = pickle.loads(raw[32:])
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, never a wrong result
            self.errors += 1
            self.misses += 1
            return default
        self.hits += 1
        self._touched.append(key)
        return value

    def put(self, key: str, value: Any) -> None:
        db = self._conn()
        if db is None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            db.execute("INSERT OR REPLACE INTO entries (key, value, used) VALUES (?, ?, ?)",
                       (key, hashlib.sha256(payload).digest() + payload, time.time()))
        except sqlite3.Error:
            self._broken()
            return
        self._pending += 1
        if self._pending >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Commit what was stored so far (a later interruption keeps it)."""
        if self._db is None or not self._pending:
            return
        try:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._pending = 0
        except sqlite3.Error:
            self._broken()

    def close(self) -> None:
        """Commit, drop entries unused for MAX_AGE_DAYS, close."""
        if self._db is None:
            return
        now = time.time()
        try:                                 # in the transaction opened by _conn/flush
            self._db.executemany("UPDATE entries SET used = ? WHERE key = ?", ((now, k) for k in self._touched))
            self._db.execute("DELETE FROM entries WHERE used < ?", (now - MAX_AGE_DAYS * 86400,))
            self._db.execute("COMMIT")
            self._db.close()
        except sqlite3.Error:
            self.errors += 1
        self._db = None

    @staticmethod
    def missing(value: Any) -> bool:
        return value is _MISS
