"""Which files make up a batch, and loading them into Documents.

Sources come from config (`sources:`), each with paths that may be files, directories (searched
recursively for supported files, hidden ones skipped) or globs (`**` allowed), relative to the
config file. Document ids are file stems: deterministic, and what gold files refer to. When two
files share a stem, the first in batch order keeps it and the next get `stem~2`, `stem~3`.
A file listed by two sources is loaded once, with the first source's metadata.

What is refused, each with a problem line (issue 13): anything but a regular file (a FIFO would
block the read forever), a symbolic link that resolves outside the source roots (a link to
/etc/shadow would land in the reports) unless the source sets `follow_symlinks`, a folder that
cannot be listed, and an article longer than the source's `max_chars`. A run never reads its
own reports: the output folder met inside a source is not walked (nor any folder holding an audit
manifest), and report files directly in the output folder are skipped when a source is (or
contains) it, which only `--force` allows.
"""
from __future__ import annotations

import glob
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from audit.ingest import lang
from audit.ingest.decode import IngestError, check_text, file_kind
from audit.ingest.settings import LanguageSettings
from audit.types import Document, Problem, SourceMeta

READERS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SUPPORTED = ", ".join(READERS)
_GLOB_CHARS = set("*?[")
# Names an audit output folder holds; a folder with one is a report folder, never articles.
REPORT_MARKERS = (".audit-manifest.json", ".audit-lock")
# Names of the files `audit run` writes directly in its output folder.
REPORT_NAMES = re.compile(r"^(?:findings\.json|index\.html|summary\.pdf|(?:story|doc)-.+\.(?:html|pdf))$")
DEFAULT_MAX_CHARS = 1_000_000   # about 100 long articles; see the README ("What audit refuses")
_BYTES_PER_CHAR = 4             # UTF-8 worst case: files above max_chars x 4 bytes are not read

Progress = Callable[[str], None]


@dataclass
class Input:
    path: Path
    doc_id: str
    source: SourceMeta
    max_chars: int | None = None


@dataclass
class _Walk:
    """One configured path being expanded: where links may point, what to skip, what went wrong."""
    roots: list[Path]                       # resolved source roots of the whole batch
    follow: bool = False                    # the source's follow_symlinks
    skip: list[Path] = field(default_factory=list)   # resolved output folder(s)
    root: Path | None = None                # resolved root of the path being expanded
    problems: list[Problem] = field(default_factory=list)

    def note(self, path: Path | str, message: str) -> None:
        self.problems.append(Problem(str(path), message))

    def inside_roots(self, target: Path) -> bool:
        return any(_within(target, r) for r in self.roots)

    def skipped(self, resolved: Path, is_dir: bool = False) -> bool:
        """The output folder met while walking a source is not entered, and a report file
        directly in it is never read; a source folder the user keeps inside it is."""
        if is_dir:
            return resolved in self.skip
        return resolved.parent in self.skip and bool(REPORT_NAMES.match(resolved.name))


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


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


def _absolute(pattern: str, base: Path) -> Path:
    p = Path(os.path.expanduser(pattern))
    return p if p.is_absolute() else Path(base) / p


def root_of(pattern: str, base: Path) -> Path:
    """Where a configured path reads, resolved: a folder itself, a glob's fixed prefix, a file
    (its folder resolved, not the file: a named link to /etc/shadow is still a link out).
    Symbolic links must stay inside these; the output folder must not overlap them."""
    p = _absolute(pattern, base)
    if _GLOB_CHARS & set(pattern):
        fixed = []
        for part in p.parts:
            if _GLOB_CHARS & set(part):
                break
            fixed.append(part)
        p = Path(*fixed) if fixed else Path(base)
    elif not p.is_dir():
        return p.parent.resolve() / p.name
    return p.resolve()


def source_roots(sources: Iterable[Any], base: Path) -> list[tuple[Path, str]]:
    """(resolved root, configured path) of every source path."""
    return [(root_of(pattern, base), pattern) for src in sources
            for pattern in getattr(src, "paths", []) or []]


def _resolve(path: Path, walk: _Walk) -> Path | None:
    """The real path of a symlink when it may be read, else None (with a problem line)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):   # broken link, or a loop
        walk.note(path, "broken or looping symbolic link; skipped")
        return None
    if not walk.follow and not walk.inside_roots(target):
        walk.note(path, f"symbolic link to {target}, outside the source folders; skipped "
                        "(set follow_symlinks: true on the source to read it)")
        return None
    return target


def _regular(path: Path, walk: _Walk) -> bool:
    """True for a regular file; anything else (FIFO, socket, device) is a problem line."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        walk.note(path, f"cannot read file: {e.strerror or e}")
        return False
    if stat.S_ISREG(mode):
        return True
    walk.note(path, f"not a regular file ({file_kind(mode)}); skipped, only regular files are read")
    return False


def _walk_dir(top: Path, walk: _Walk) -> list[Path]:
    """Supported files under `top` (hidden entries skipped), depth first, links checked."""
    files: list[Path] = []
    stack = [(top, top.resolve())]
    seen = {stack[0][1]}
    while stack:
        folder, folder_real = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except PermissionError:
            walk.note(folder, "cannot list folder: permission denied")
            continue
        except OSError as e:
            walk.note(folder, f"cannot list folder: {e.strerror or e}")
            continue
        if any(e.name in REPORT_MARKERS for e in entries) and folder != top:
            continue                         # an audit report folder: never read as articles
        for e in entries:
            if e.name.startswith("."):
                continue
            path = Path(e.path)
            real = _resolve(path, walk) if e.is_symlink() else folder_real / e.name
            if real is None or walk.skipped(real, e.is_dir()):
                continue
            if e.is_dir():
                if (not e.is_symlink() or walk.follow) and real not in seen:
                    seen.add(real)
                    stack.append((path, real))
            elif path.suffix.lower() in READERS and _regular(path, walk):
                files.append(path)
    return sorted(files)


def _expand(pattern: str, base: Path, walk: _Walk) -> tuple[list[Path], str | None]:
    """Files for one configured path, or an error message; other problems go to `walk`."""
    p = _absolute(pattern, base)
    if _GLOB_CHARS & set(pattern):
        hits = [Path(h) for h in sorted(glob.glob(str(p), recursive=True))]
        files = [h for h in hits if h.suffix.lower() in READERS and _globbed(h, walk)]
        if not files and not walk.problems:
            return [], ("matches no files" if not hits else f"matches no {SUPPORTED} files")
        return files, None
    if p.is_dir():
        if not os.access(p, os.R_OK | os.X_OK):
            return [], "cannot list folder: permission denied"
        files = _walk_dir(p, walk)
        return (files, None) if files or walk.problems else ([], f"directory has no {SUPPORTED} files")
    if not p.exists() and not p.is_symlink():
        return [], "no such file or directory"
    if p.suffix.lower() not in READERS:
        return [], f"unsupported file type {p.suffix or '(none)'!r} (expected {SUPPORTED})"
    real = _resolve(p, walk) if p.is_symlink() else p.resolve()
    if real is None or not _regular(p, walk):
        return [], None
    return [p], None


def _globbed(hit: Path, walk: _Walk) -> bool:
    """A glob hit is read when it is a regular file, not in the output folder, and (when a
    link) resolves inside the source roots."""
    real = _resolve(hit, walk) if hit.is_symlink() else hit.resolve()
    if real is None or real.is_dir() or walk.skipped(real):
        return False
    root = walk.root or real.parent
    below = [d for d in real.parents if root in d.parents]      # folders the glob descended into
    if any(d in walk.skip or any((d / m).exists() for m in REPORT_MARKERS) for d in below):
        return False                         # inside the output folder or another report folder
    return _regular(hit, walk)


def plan(sources: Iterable[Any], base: Path, exclude: Sequence[Path] = ()
         ) -> tuple[list[Input], list[Problem]]:
    """Resolve configured sources to files with ids and metadata, in deterministic order.
    Folders in `exclude` (the output folder) are never read."""
    sources = list(sources)
    problems: list[Problem] = []
    seen: set[Path] = set()
    pairs: list[tuple[Path, SourceMeta, int | None]] = []
    roots = [r for r, _ in source_roots(sources, Path(base))]
    skip = [Path(x).resolve() for x in exclude]
    for src in sources:
        meta = _meta(src)
        limit = getattr(src, "max_chars", DEFAULT_MAX_CHARS)
        for i, pattern in enumerate(getattr(src, "paths", []) or []):
            walk = _Walk(roots, bool(getattr(src, "follow_symlinks", False)), skip,
                         root=root_of(pattern, Path(base)))
            files, err = _expand(pattern, Path(base), walk)
            if err:
                problems.append(Problem(_where(src, i, pattern), f"source path {pattern!r}: {err}"))
            problems.extend(walk.problems)
            for f in files:
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    pairs.append((f, meta, limit))
    return _with_ids(pairs), problems


def _with_ids(pairs: Sequence[tuple[Path, SourceMeta, int | None]]) -> list[Input]:
    taken: set[str] = set()
    return [Input(path, unique_id(path.stem, taken), meta, limit) for path, meta, limit in pairs]


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
        _check_size(inp, kind)
        if kind == "html":
            from audit.ingest.html import read_html as reader
        elif kind == "jsonl":
            from audit.ingest.jsonl import read_jsonl as reader
        else:
            from audit.ingest.txt import read_txt as reader
        docs, problems = reader(inp.path, inp.doc_id, inp.source)
    except IngestError as e:
        return [], [Problem(str(inp.path), str(e))]
    except Exception as e:  # noqa: BLE001 - one odd file must not sink the batch
        return [], [Problem(str(inp.path), f"could not read ({type(e).__name__}: {e}); "
                                           "please report this file")]
    return _admissible(docs, problems, inp.max_chars)


def _check_size(inp: Input, kind: str | None) -> None:
    """A single-article file too large for max_chars is refused before it is read."""
    if inp.max_chars is None or kind == "jsonl":     # JSONL: many articles, checked one by one
        return
    try:
        size = os.stat(inp.path).st_size
    except OSError:
        return                                       # the reader names the problem
    if size > inp.max_chars * _BYTES_PER_CHAR:
        raise IngestError(f"file has {size:,} bytes, more than max_chars ({inp.max_chars:,} "
                          "characters) allows; skipped (raise max_chars on its source to audit it)")


def _admissible(docs: list[Document], problems: list[Problem], max_chars: int | None
                ) -> tuple[list[Document], list[Problem]]:
    """Drop articles holding NUL characters or longer than max_chars, with a problem line each."""
    keep = []
    for doc in docs:
        try:
            check_text(doc.text)
        except IngestError as e:
            problems.append(Problem(doc.path, str(e)))
            continue
        if max_chars is not None and len(doc.text) > max_chars:
            problems.append(Problem(doc.path, f"article has {len(doc.text):,} characters, more than "
                                              f"max_chars ({max_chars:,}); skipped (raise max_chars "
                                              "on its source to audit it)"))
            continue
        keep.append(doc)
    return keep, problems


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
    """Documents of files or directories given directly (`audit diff`, `audit eval`); links
    must stay inside the given paths, as in a configured source."""
    paths = [str(p) for p in paths]
    problems: list[Problem] = []
    pairs: list[tuple[Path, SourceMeta, int | None]] = []
    seen: set[Path] = set()
    roots = [root_of(p, Path.cwd()) for p in paths]
    for p in paths:
        walk = _Walk(roots, root=root_of(p, Path.cwd()))
        files, err = _expand(p, Path.cwd(), walk)
        if err:
            problems.append(Problem(p, err))
        problems.extend(walk.problems)
        for f in files:
            if f.resolve() not in seen:
                seen.add(f.resolve())
                pairs.append((f, SourceMeta(), DEFAULT_MAX_CHARS))
    docs, more = load(_with_ids(pairs), language, progress)
    return docs, problems + more
