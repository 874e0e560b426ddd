"""What audit wrote into an output folder, and how a run publishes there safely.

Story and document pages are named after their members, so when a batch changes, the previous
run's pages for stories that no longer exist would stay beside the new index: unlinked, out of
date and easy to mistake for current. Each run records the files it wrote, with their SHA-256,
in `.audit-manifest.json`; the next run removes a recorded file only when it did not write it
again *and* the file is byte-for-byte what audit wrote (a file the user edited is kept). Files
audit never recorded (the user's own, `audit diff` pages) are never touched.

A run into a folder (issue 13):
- holds `.audit-lock` (an exclusive flock, released by the kernel even on kill -9; it names the
  holder's pid), so two runs into one folder cannot interleave: the second one fails at once;
- removes the debris of interrupted runs first: staging folders, PDF job folders and temporary
  files of atomic writes (only audit's own name patterns, only while holding the lock);
- writes everything into a staging folder inside the output folder (`.audit-staging-PID`),
  pre-filled with hard links to the previous run's files so that unchanged pages and cached
  PDFs are recognised there; the writers must replace files (audit.io), never write in place;
- publishes by renaming the changed files into the folder one by one, after a manifest that
  lists both the old and the new checksums (a journal): a run killed while publishing leaves a
  manifest from which the next run cleans up. The final manifest is written last.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from audit.io import atomic_write_text

MANIFEST = ".audit-manifest.json"
LOCK = ".audit-lock"
STAGING_PREFIX = ".audit-staging-"
PDF_JOBS_PREFIX = ".audit-pdf-jobs-"
_TMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")     # audit.io's mkstemp names: .NAME.XXXXXXXX.tmp
_VERSION = 2
Digests = Mapping[str, "str | Iterable[str]"]


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _own_name(name: object) -> bool:
    """Only plain file names inside the folder: a tampered manifest cannot point elsewhere."""
    return (isinstance(name, str) and name not in ("", ".", "..", MANIFEST, LOCK)
            and Path(name).name == name and "\\" not in name)


def _digests(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


def read(out_dir: Path) -> dict[str, frozenset[str]]:
    """{file name: checksums audit left it with} of the previous run (two when a run stopped
    while publishing); empty when there is none or it is unreadable."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    out = {k: _digests(v) for k, v in files.items() if _own_name(k)}
    return {k: v for k, v in out.items() if v}


def retire(out_dir: Path, previous: Digests, keep: Iterable[str]) -> list[str]:
    """Remove files of the previous run not written again and unchanged since; their names."""
    keep = set(keep)
    removed: list[str] = []
    for name, digests in sorted(previous.items()):
        path = Path(out_dir) / name
        if name in keep or not _own_name(name) or not path.is_file() or path.is_symlink():
            continue
        if _sha256(path) in _digests(digests):
            try:
                path.unlink()
            except OSError:
                continue   # left in place: harmless, and retried on the next run
            removed.append(name)
    return removed


def _write(out_dir: Path, files: Mapping[str, frozenset[str] | str]) -> Path:
    entries = {}
    for name, d in sorted(files.items()):
        ds = sorted(_digests(d))
        if ds:
            entries[name] = ds[0] if len(ds) == 1 else ds
    doc = {"version": _VERSION, "note": "files audit wrote here; see audit/report/manifest.py",
           "files": entries}
    return atomic_write_text(Path(out_dir) / MANIFEST, json.dumps(doc, indent=1) + "\n")


def record(out_dir: Path, written: Iterable[Path], also: Digests | None = None) -> Path:
    """Write the manifest of `written` (paths in `out_dir`), plus `also` entries still present."""
    out_dir = Path(out_dir)
    files: dict[str, frozenset[str]] = {n: _digests(d) for n, d in (also or {}).items()
                                        if _own_name(n) and (out_dir / n).is_file()}
    for p in written:
        p = Path(p)
        if p.parent.resolve() == out_dir.resolve() and _own_name(p.name):
            digest = _sha256(p)
            if digest:
                files[p.name] = frozenset([digest])
    return _write(out_dir, files)


# --- the lock ------------------------------------------------------------------------------------

class Busy(Exception):
    """Another run holds the output folder; str() names the folder and the holder's pid."""


_held: dict[Path, int] = {}     # output folders this process holds: locked() is re-entrant


@contextmanager
def locked(out_dir: Path) -> Iterator[list[str]]:
    """Hold the output folder's lock; yields the debris of interrupted runs it removed.

    flock, not a pid file: the kernel releases it when the holder dies (even by kill -9), so a
    stale lock file never blocks a run. O_NOFOLLOW: a planted symlink is not truncated."""
    out_dir = Path(out_dir)
    key = out_dir.resolve()
    if key in _held:
        yield []
        return
    path = out_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise Busy(f"{out_dir}: another audit run ({holder}) is writing this output folder; "
                   "wait for it to finish, or choose another output folder") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode() + b"\n", 0)
        _held[key] = fd
        yield clean_debris(out_dir)
    finally:
        _held.pop(key, None)
        os.close(fd)     # releases the lock; the file stays (removing it would race a waiter)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {int(info['pid'])} on {info.get('host', '?')}, started {info.get('started', '?')}"
    except (OSError, ValueError, KeyError, TypeError):
        return "pid unknown"


def holder_pid(out_dir: Path) -> int | None:
    """The pid recorded in the folder's lock file (the current or last holder), for tests/tools."""
    try:
        return int(json.loads((Path(out_dir) / LOCK).read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clean_debris(out_dir: Path) -> list[str]:
    """Remove what interrupted runs left (their staging and PDF job folders, temporary files of
    atomic writes); only audit's own name patterns. Call while holding the lock."""
    removed = []
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return []
    for e in entries:
        try:
            if e.name.startswith((STAGING_PREFIX, PDF_JOBS_PREFIX)) and e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            elif _TMP.match(e.name) and e.is_file(follow_symlinks=False):
                os.unlink(e.path)
            else:
                continue
        except OSError:
            continue
        removed.append(e.name)
    return sorted(removed)


# --- staging and publishing ----------------------------------------------------------------------

@dataclass
class Published:
    written: list[Path] = field(default_factory=list)   # final paths in the output folder
    removed: list[str] = field(default_factory=list)    # stale files of the previous run
    errors: list[str] = field(default_factory=list)     # one line each


class Stage:
    """A staging folder inside `out_dir` for one run's files (see the module docstring)."""

    def __init__(self, out_dir: Path, previous: Mapping[str, frozenset[str]]):
        self.out = Path(out_dir)
        self.previous = dict(previous)
        self.dir = self.out / f"{STAGING_PREFIX}{os.getpid()}"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir()
        for name in self.previous:          # unchanged pages and cached PDFs are seen as such
            src = self.out / name
            if src.is_file() and not src.is_symlink():
                try:
                    os.link(src, self.dir / name)
                except OSError:               # no hard links on this file system: a copy
                    try:
                        shutil.copy2(src, self.dir / name)
                    except OSError:
                        pass                  # then the file is rendered again

    def show(self, text: str) -> str:
        """A message about a staged file, naming its place in the output folder instead."""
        return text.replace(str(self.dir), str(self.out))

    def publish(self, staged: Iterable[Path], *, complete: bool = True, force: bool = False,
                protect: Iterable[Path] = ()) -> Published:
        """Rename the staged files into the output folder (journal manifest first, final one
        last); retire the previous run's stale files when the run is `complete`. A file audit
        did not write is replaced only with `force`; a file in `protect` (the batch's inputs)
        never."""
        res = Published()
        protect = {Path(p).resolve() for p in protect}
        staged = [Path(p) for p in staged]
        res.errors += [f"{self.show(str(p))}: not published (only files directly in the output "
                       "folder are)" for p in staged if p.parent != self.dir]
        new = {p.name: _sha256(p) for p in staged if p.parent == self.dir}
        new = {n: d for n, d in new.items() if d and _own_name(n)}
        journal = {n: _digests(self.previous.get(n, ())) | {d} for n, d in new.items()}
        _write(self.out, {**self.previous, **journal})
        for name in sorted(new):
            err = self._move(name, force, protect)
            if err:
                res.errors.append(err)
            else:
                res.written.append(self.out / name)
        if complete and not res.errors:
            res.removed = retire(self.out, self.previous, new)
        done = {n: frozenset([new[n]]) for n in (p.name for p in res.written)}
        kept = {n: d for n, d in self.previous.items() if n not in done and (self.out / n).is_file()}
        _write(self.out, {**(kept if res.errors or not complete else {}), **done})
        return res

    def _move(self, name: str, force: bool, protect: set[Path]) -> str | None:
        src, dst = self.dir / name, self.out / name
        try:
            same = os.path.samestat(os.stat(src), os.stat(dst))
        except OSError:
            same = False
        if same:
            return None                     # unchanged: the hard link of the previous file
        if dst.resolve() in protect:
            return f"{dst}: is an input of this batch; not replaced by a report file"
        if os.path.lexists(dst) and name not in self.previous and not force:
            return (f"{dst}: exists and was not written by audit; not replaced "
                    "(move it away, or run with --force)")
        try:
            os.replace(src, dst)
        except OSError as e:
            return f"{dst}: cannot write ({e.strerror or e})"
        return None

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
