"""Skip work a re-run would repeat: article pages whose inputs are unchanged are not rendered
again, pages whose bytes are unchanged are not rewritten, and PDFs whose HTML is unchanged are not
laid out again.

WeasyPrint layout is the report stage's largest cost (about 0.15 s a page); each PDF's source
HTML is hashed (SHA-256, with the audit version) into `.audit-pdf-cache.json`, and a PDF is laid
out again only when that hash changed or the file is gone or no longer what audit wrote (its
print HTML costs about 10 ms to render: the exact key is cheaper than any other). Article pages
are the next cost (1,000 of them took 4-5 s of CPU at 1k), so each one's key is computed from
what it shows (page_key: the document, its findings, provenance, label, title, settings, the
templates' bytes) before any of its view-model is built, and recorded with the page's checksum
in `.audit-page-cache.json`. The cache files are advisory: unreadable means render everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from audit.io import _file_mode, atomic_write_text

CACHE = ".audit-pdf-cache.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_if_changed(path: Path, text: str) -> Path:
    """Write `text` atomically unless the file already holds exactly these bytes.

    A temp file and a rename, like audit.io's atomic writes, but without an fsync per page:
    at about 9 ms an fsync on this machine, 10,000 article pages spent 90 s waiting on the
    disk. A page is never seen half-written (the rename is atomic); after a power cut a page
    may be lost, and the next run writes it again from the same findings."""
    data = text.encode("utf-8")
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return path
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _read_cache(path: Path) -> dict:
    """A cache file's entries; unreadable or malformed reads as empty (render everything)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path, entries: dict) -> Path | None:
    try:
        return atomic_write_text(path, json.dumps(entries, indent=0, sort_keys=True) + "\n")
    except OSError:
        return None   # only a cache: the next run renders again


def _file_sha(path: Path) -> str | None:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return None


class PdfCache:
    def __init__(self, out_dir: Path):
        from audit import __version__
        self.path = Path(out_dir) / CACHE
        self.salt = __version__.encode()
        self.entries: dict[str, dict[str, str]] = _read_cache(self.path)

    def key(self, html: str) -> str:
        return _sha(self.salt + html.encode("utf-8"))

    def fresh(self, html: str, pdf: Path) -> bool:
        e = self.entries.get(Path(pdf).name)
        return bool(isinstance(e, dict) and e.get("html") == self.key(html)
                    and e.get("pdf") and e.get("pdf") == _file_sha(Path(pdf)))

    def record(self, jobs: list[tuple[str, Path]]) -> None:
        for html, pdf in jobs:
            digest = _file_sha(Path(pdf))
            if digest:
                self.entries[Path(pdf).name] = {"html": self.key(html), "pdf": digest}
        _write_cache(self.path, self.entries)


PAGE_CACHE = ".audit-page-cache.json"


@lru_cache(maxsize=8)
def templates_digest(folder: str) -> str:
    """SHA-256 over every file of the templates folder (names and bytes): a page key changes
    with any template, macro, stylesheet or script a page may include."""
    h = hashlib.sha256()
    root = Path(folder)
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _finding_row(f: Any) -> list[Any]:
    return [f.kind, f.start, f.end, f.severity, f.message, f.suggestion, f.detector, f.text,
            f.evidence]


def page_key(base: str, doc: Any, findings: list[Any], provenance: Any, shown: list[Any]) -> str:
    """Key of an article page from its inputs: `base` (audit version, settings, templates,
    batch name), the document, its findings in order, its provenance and `shown` (label, slug,
    title, PDF link: batch-wide choices the page prints). JSON with sorted keys; a value JSON
    cannot write is written by str(), so an unusual value costs a render, never a stale page."""
    src = doc.source
    data = [base, doc.id, doc.text, doc.path, doc.url, doc.date, doc.lang, doc.outlet,
            [src.name, src.outlet, src.lang], doc.title,
            [[n.start, n.end, getattr(n, "kind", None)] for n in doc.noise], list(doc.removed),
            [_finding_row(f) for f in findings], provenance, shown]
    return _sha(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))


class PageCache:
    """{page name: [key, checksum of the page written]} of the previous run. A page is fresh when
    its key is the recorded one and the file in the folder is still the one recorded (an edited
    or deleted page is rendered again)."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / PAGE_CACHE
        self.out = Path(out_dir)
        self.old = _read_cache(self.path)
        self.new: dict[str, list[str]] = {}

    def fresh(self, name: str, key: str) -> bool:
        e = self.old.get(name)
        if not (isinstance(e, list) and len(e) == 2 and e[0] == key):
            return False
        if _file_sha(self.out / name) != e[1]:
            return False
        self.new[name] = e
        return True

    def put(self, name: str, key: str, text: str) -> None:
        self.new[name] = [key, _sha(text.encode("utf-8"))]

    def save(self) -> Path | None:
        return _write_cache(self.path, self.new) if self.new else None
