"""What audit wrote into an output folder, so that a re-run can retire its own stale files.

Story and document pages are named after their members, so when a batch changes, the previous
run's pages for stories that no longer exist would stay beside the new index: unlinked, out of
date and easy to mistake for current. Each run records the files it wrote, with their SHA-256,
in `.audit-manifest.json`; the next run removes a recorded file only when it did not write it
again *and* the file is byte-for-byte what audit wrote (a file the user edited is kept). Files
audit never recorded (the user's own, `audit diff` pages) are never touched.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

from audit.io import atomic_write_text

MANIFEST = ".audit-manifest.json"
_VERSION = 1


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
    return (isinstance(name, str) and name not in ("", ".", "..", MANIFEST)
            and Path(name).name == name and "\\" not in name)


def read(out_dir: Path) -> dict[str, str]:
    """{file name: sha256} of the previous run; empty when there is none or it is unreadable."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if _own_name(k) and isinstance(v, str)}


def retire(out_dir: Path, previous: dict[str, str], keep: Iterable[str]) -> list[str]:
    """Remove files of the previous run not written again and unchanged since; their names."""
    keep = set(keep)
    removed: list[str] = []
    for name, digest in sorted(previous.items()):
        path = Path(out_dir) / name
        if name in keep or not _own_name(name) or not path.is_file() or path.is_symlink():
            continue
        if _sha256(path) == digest:
            try:
                path.unlink()
            except OSError:
                continue   # left in place: harmless, and retried on the next run
            removed.append(name)
    return removed


def record(out_dir: Path, written: Iterable[Path], also: dict[str, str] | None = None) -> Path:
    """Write the manifest of `written` (paths in `out_dir`), plus `also` entries still present."""
    out_dir = Path(out_dir)
    files = {n: d for n, d in (also or {}).items() if (out_dir / n).is_file()}
    for p in written:
        p = Path(p)
        if p.parent.resolve() == out_dir.resolve() and _own_name(p.name):
            digest = _sha256(p)
            if digest:
                files[p.name] = digest
    doc = {"version": _VERSION, "note": "files audit wrote here; see audit/report/manifest.py",
           "files": dict(sorted(files.items()))}
    return atomic_write_text(out_dir / MANIFEST, json.dumps(doc, indent=1) + "\n")
