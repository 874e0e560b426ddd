"""Which files make up a batch, and loading them into Documents.

Sources come from config (`sources:`), each with paths that may be files, directories (searched
recursively for supported files, hidden ones skipped) or globs (`**` allowed), relative to the
config file. Document ids are file stems: deterministic, and what gold files refer to. When two
files share a stem, the first in batch order keeps it and the next get `stem~2`, `stem~3`.
A file listed by two sources is loaded once, with the first source's metadata.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from audit.ingest import lang
from audit.ingest.decode import IngestError
from audit.ingest.settings import LanguageSettings
from audit.types import Document, Problem, SourceMeta

READERS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SUPPORTED = ", ".join(READERS)
_GLOB_CHARS = set("*?[")

Progress = Callable[[str], None]


@dataclass
class Input:
    path: Path
    doc_id: str
    source: SourceMeta


def _meta(src: Any) -> SourceMeta:
    return SourceMeta(name=getattr(src, "name", "") or "", outlet=getattr(src, "outlet", None),
                      trust=getattr(src, "trust", 1.0), lang=getattr(src, "lang", None),
                      date=_iso(getattr(src, "date", None)))


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _where(src: Any, i: int, pattern: str) -> str:
    """The config location of a source path ("config.yaml:5:14") when the config knows it."""
    fn = getattr(src, "where", None)
    return (fn(i) if callable(fn) else None) or pattern


def _expand(pattern: str, base: Path) -> tuple[list[Path], str | None]:
    """Files for one configured path, or an error message."""
    p = Path(os.path.expanduser(pattern))
    p = p if p.is_absolute() else base / p
    if _GLOB_CHARS & set(pattern):
        hits = [Path(h) for h in sorted(glob.glob(str(p), recursive=True))]
        files = [h for h in hits if h.is_file() and h.suffix.lower() in READERS]
        if not files:
            return [], ("matches no files" if not hits else f"matches no {SUPPORTED} files")
        return files, None
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS
                       and not any(part.startswith(".") for part in f.relative_to(p).parts))
        return (files, None) if files else ([], f"directory has no {SUPPORTED} files")
    if not p.exists():
        return [], "no such file or directory"
    if p.suffix.lower() not in READERS:
        return [], f"unsupported file type {p.suffix or '(none)'!r} (expected {SUPPORTED})"
    return [p], None


def plan(sources: Iterable[Any], base: Path) -> tuple[list[Input], list[Problem]]:
    """Resolve configured sources to files with ids and metadata, in deterministic order."""
    problems: list[Problem] = []
    seen: set[Path] = set()
    pairs: list[tuple[Path, SourceMeta]] = []
    for src in sources:
        meta = _meta(src)
        for i, pattern in enumerate(getattr(src, "paths", []) or []):
            files, err = _expand(pattern, Path(base))
            if err:
                problems.append(Problem(_where(src, i, pattern), f"source path {pattern!r}: {err}"))
            for f in files:
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    pairs.append((f, meta))
    return _with_ids(pairs), problems


def _with_ids(pairs: Sequence[tuple[Path, SourceMeta]]) -> list[Input]:
    taken: set[str] = set()
    out = []
    for path, meta in pairs:
        out.append(Input(path, unique_id(path.stem, taken), meta))
    return out


def unique_id(stem: str, taken: set[str]) -> str:
    doc_id, n = stem, 1
    while doc_id in taken:
        n += 1
        doc_id = f"{stem}~{n}"
    taken.add(doc_id)
    return doc_id


def read(inp: Input) -> tuple[list[Document], list[Problem]]:
    """One file → its documents; unreadable input becomes a Problem naming the file."""
    kind = READERS.get(inp.path.suffix.lower())
    try:
        if kind == "html":
            from audit.ingest.html import read_html as reader
        elif kind == "jsonl":
            from audit.ingest.jsonl import read_jsonl as reader
        else:
            from audit.ingest.txt import read_txt as reader
        return reader(inp.path, inp.doc_id, inp.source)
    except IngestError as e:
        return [], [Problem(str(inp.path), str(e))]
    except Exception as e:  # noqa: BLE001 - one odd file must not sink the batch
        return [], [Problem(str(inp.path), f"could not read ({type(e).__name__}: {e}); "
                                           "please report this file")]


def load(inputs: Sequence[Input], language: LanguageSettings | None = None,
         progress: Progress | None = None) -> tuple[list[Document], list[Problem]]:
    """Read every input, then detect paragraph languages; `progress(path)` after each file."""
    language = language or LanguageSettings()
    docs: list[Document] = []
    problems: list[Problem] = []
    taken = {inp.doc_id for inp in inputs}
    for inp in inputs:
        got, probs = read(inp)
        for doc in got:
            if doc.id != inp.doc_id and doc.id in taken:   # a JSONL id equal to a file stem
                doc.id = unique_id(doc.id, taken)
            taken.add(doc.id)
            lang.annotate(doc, language)
        docs.extend(got)
        problems.extend(probs)
        if progress:
            progress(str(inp.path))
    return docs, problems


def load_sources(sources: Iterable[Any], language: LanguageSettings | None, base: Path,
                 progress: Progress | None = None) -> tuple[list[Document], list[Problem]]:
    """Documents of the configured sources (paths relative to `base`, the config's folder)."""
    inputs, problems = plan(sources, base)
    docs, more = load(inputs, language, progress)
    return docs, problems + more


def load_paths(paths: Iterable[Path | str], language: LanguageSettings | None = None,
               progress: Progress | None = None) -> tuple[list[Document], list[Problem]]:
    """Documents of files or directories given directly (`audit diff`, `audit eval`)."""
    problems: list[Problem] = []
    pairs: list[tuple[Path, SourceMeta]] = []
    seen: set[Path] = set()
    for p in paths:
        files, err = _expand(str(p), Path.cwd())
        if err:
            problems.append(Problem(str(p), err))
        for f in files:
            if f.resolve() not in seen:
                seen.add(f.resolve())
                pairs.append((f, SourceMeta()))
    docs, more = load(_with_ids(pairs), language, progress)
    return docs, problems + more
