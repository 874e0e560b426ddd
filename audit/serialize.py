"""findings.json: the run as versioned JSON (schema: docs/findings-schema.md).

It is the machine-readable twin of the HTML report and holds enough to rebuild the RunResult
(`from_json`), so reports can be re-rendered and other tools can read a run without importing
audit. Offsets are character offsets (Python str indices, i.e. Unicode code points) into each
document's `text`, which is included verbatim. `write_file` streams it to disk (one row at a
time, atomically); `to_json` gives the same data as one dict.

Versioning: `schema_version` is "MAJOR.MINOR". Adding a field bumps MINOR, and readers ignore
fields they do not know; renaming, removing or changing the meaning of a field bumps MAJOR, and
`from_json` refuses a MAJOR it does not know.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path, PurePath
from typing import IO, Any, Iterable

from audit import __version__
from audit.types import (AlignedGroup, Alignment, Claim, ClaimMention, Document, EntityGroup, Finding,
                         Mention, Problem, RunResult, SentRef, SourceMeta, Span, Story, WordDiff,
                         family_of)

SCHEMA_VERSION = "1.0"
TOOL_NAME = "audit"

# Document fields written as [start, end] pairs or lists of pairs.
_SPAN_FIELDS = ("title_span", "dateline")
_SPAN_LIST_FIELDS = ("lines", "paragraphs", "sentences", "noise")
_DOC_PLAIN = ("id", "path", "outlet", "date", "title", "lang", "url", "text", "original", "removed",
              "paragraph_langs")


class SchemaError(ValueError):
    """findings.json that this version cannot read."""


# --- writing -------------------------------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """Plain JSON values for the free-form dicts (evidence, meta, settings, provenance)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, Span):
        return [value.start, value.end]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "item"):              # numpy scalars
        return jsonable(value.item())
    return str(value)


def _pair(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _document(doc: Document, provenance: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(doc, k) for k in _DOC_PLAIN}
    out["removed"] = list(doc.removed)
    out["paragraph_langs"] = list(doc.paragraph_langs)
    out["words"] = doc.word_count()
    for k in _SPAN_FIELDS:
        out[k] = _pair(getattr(doc, k))
    for k in _SPAN_LIST_FIELDS:
        out[k] = [[s.start, s.end] for s in getattr(doc, k)]
    src = doc.source
    out["source"] = {"name": src.name, "outlet": src.outlet, "trust": src.trust, "lang": src.lang}
    out["meta"] = jsonable(doc.meta)
    out["provenance"] = jsonable(provenance) if provenance is not None else None
    return out


def _finding(f: Finding) -> dict[str, Any]:
    """Field by field, in Finding's field order (what asdict() gave): asdict() deep-copies the
    evidence only for jsonable() to rebuild it, and that copy was 75 % of writing findings.json
    (cProfile of the 1k report stage: 11.6 of 15.5 s profiled)."""
    d = {name: getattr(f, name) for name in _FINDING_FIELDS}
    d["evidence"] = jsonable(f.evidence or {})   # a Span in evidence becomes [start, end], not a dict
    d["family"] = family_of(f.kind)
    return d


_FINDING_FIELDS = [x.name for x in fields(Finding)]


def _entity(e: EntityGroup) -> dict[str, Any]:
    return {"id": e.id, "canonical": e.canonical, "source": e.source,
            "mentions": [{"doc_id": m.doc_id, "start": m.start, "end": m.end, "text": m.text}
                         for m in e.mentions],
            "verdicts": dict(e.verdicts), "spellings": e.spellings()}


def _sent(r: SentRef) -> dict[str, Any]:
    return {"doc_id": r.doc_id, "start": r.start, "end": r.end}


def _alignment_rows(a: Alignment) -> list[tuple[str, Iterable[dict[str, Any]]]]:
    """The alignment's sections as lazy rows: a batch's groups and word diffs are built one row
    at a time while findings.json is written, never all at once (a giant story's diffs are most
    of the file)."""
    return [
        ("stories", ({"id": s.id, "kind": s.kind, "doc_ids": list(s.doc_ids), "label": s.label,
                      "near_copies": jsonable(s.near_copies)} for s in a.stories)),
        ("groups", ({"id": g.id, "story_id": g.story_id, "members": [_sent(m) for m in g.members],
                     "score": g.score, "doc_ids": g.doc_ids()} for g in a.groups)),
        ("claims", ({"id": c.id, "story_id": c.story_id, "about": c.about, "group_id": c.group_id,
                     "discrepancy": c.discrepancy, "mentions": [jsonable(m) for m in c.mentions]}
                    for c in a.claims)),
        ("diffs", ({"a": _sent(d.a), "b": _sent(d.b), "ops": [[op, text] for op, text in d.ops],
                    "marks": jsonable(d.marks)} for d in a.diffs)),
    ]


def _alignment(a: Alignment) -> dict[str, Any]:
    return {k: list(rows) for k, rows in _alignment_rows(a)}


def to_json(result: RunResult, generated_at: str | None = None) -> dict[str, Any]:
    """The whole run as a JSON-ready dict (`json.dumps(..., ensure_ascii=False)` it)."""
    when = generated_at or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "run": {"name": result.name, "generated_at": when, "settings": jsonable(result.settings),
                "timings": jsonable(result.timings)},
        "problems": [{"where": p.where, "message": p.message, "stage": p.stage} for p in result.problems],
        "documents": [_document(d, result.provenance.get(d.id)) for d in result.documents],
        "findings": [_finding(f) for f in result.findings],
        "entities": [_entity(e) for e in result.entities],
        **_alignment(result.alignment),
    }


def write_json(result: RunResult, fh: IO[str], generated_at: str | None = None) -> None:
    """`to_json(result)` written to an open text file piece by piece: one document, finding or
    alignment row at a time, so a batch's findings.json (73 MB for 1,000 articles of one story)
    is never built as one dict and one string in memory. `json.load` of the file equals
    `to_json(result)`."""
    head = to_json(RunResult(result.name, [], [], settings=result.settings, timings=result.timings,
                             problems=result.problems), generated_at)
    sections: list[tuple[str, Iterable[Any]]] = [
        ("problems", head["problems"]),
        ("documents", (_document(d, result.provenance.get(d.id)) for d in result.documents)),
        ("findings", (_finding(f) for f in result.findings)),
        ("entities", (_entity(e) for e in result.entities)),
        *_alignment_rows(result.alignment),
    ]
    fh.write("{\n")
    for k in ("schema_version", "tool", "run"):
        fh.write(f" {json.dumps(k)}: {json.dumps(head[k], ensure_ascii=False)},\n")
    for n, (key, rows) in enumerate(sections):
        fh.write(f" {json.dumps(key)}: [")
        sep = "\n  "
        for row in rows:
            fh.write(sep)
            fh.write(json.dumps(row, ensure_ascii=False))
            sep = ",\n  "
        fh.write("\n ]" if sep != "\n  " else "]")
        fh.write(",\n" if n < len(sections) - 1 else "\n")
    fh.write("}\n")


def write_file(result: RunResult, path: Path, generated_at: str | None = None) -> Path:
    """findings.json at `path`, streamed into a temporary file that then replaces it (readers
    see the old file or the new one, never half of one)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            write_json(result, fh, generated_at)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- reading -------------------------------------------------------------------------------------

def check_version(data: dict[str, Any]) -> tuple[int, int]:
    raw = str(data.get("schema_version", ""))
    try:
        major, minor = (int(x) for x in raw.split(".", 1))
    except ValueError:
        raise SchemaError(f"findings.json: schema_version {raw!r} is not MAJOR.MINOR") from None
    ours = int(SCHEMA_VERSION.split(".")[0])
    if major != ours:
        raise SchemaError(f"findings.json: schema_version {raw} is not readable by audit {__version__} "
                          f"(reads {ours}.x)")
    return major, minor


def _span(pair: list[int] | None) -> Span | None:
    return None if pair is None else Span(int(pair[0]), int(pair[1]))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Only the keys the dataclass has: newer minor versions may add fields we don't know."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _read_document(d: dict[str, Any]) -> tuple[Document, Any]:
    plain = {k: d.get(k) for k in _DOC_PLAIN if k in d}
    plain["removed"] = list(d.get("removed") or [])
    plain["paragraph_langs"] = list(d.get("paragraph_langs") or [])
    spans = {k: _span(d.get(k)) for k in _SPAN_FIELDS}
    span_lists = {k: [Span(int(a), int(b)) for a, b in d.get(k) or []] for k in _SPAN_LIST_FIELDS}
    source = SourceMeta(**_known(SourceMeta, d.get("source") or {}))
    doc = Document(**plain, **spans, **span_lists, source=source, meta=dict(d.get("meta") or {}))
    return doc, d.get("provenance")


def _read_alignment(data: dict[str, Any]) -> Alignment:
    def ref(r: dict[str, Any]) -> SentRef:
        return SentRef(**_known(SentRef, r))
    return Alignment(
        stories=[Story(**_known(Story, s)) for s in data.get("stories") or []],
        groups=[AlignedGroup(**{**_known(AlignedGroup, g), "members": [ref(m) for m in g["members"]]})
                for g in data.get("groups") or []],
        claims=[Claim(**{**_known(Claim, c), "mentions": [ClaimMention(**_known(ClaimMention, m))
                                                           for m in c["mentions"]]})
                for c in data.get("claims") or []],
        diffs=[WordDiff(ref(x["a"]), ref(x["b"]), [(int(op), t) for op, t in x["ops"]], x.get("marks") or [])
               for x in data.get("diffs") or []],
    )


def from_json(data: dict[str, Any]) -> RunResult:
    """Rebuild a RunResult from `to_json` output (of any 1.x schema)."""
    check_version(data)
    docs, provenance = [], {}
    for d in data.get("documents") or []:
        doc, prov = _read_document(d)
        docs.append(doc)
        if prov is not None:
            provenance[doc.id] = prov
    findings = [Finding(**_known(Finding, f)) for f in data.get("findings") or []]
    entities = [EntityGroup(**{**_known(EntityGroup, e),
                               "mentions": [Mention(**_known(Mention, m)) for m in e.get("mentions") or []]})
                for e in data.get("entities") or []]
    run = data.get("run") or {}
    return RunResult(name=run.get("name", ""), documents=docs, findings=findings, entities=entities,
                     alignment=_read_alignment(data),
                     problems=[Problem(**_known(Problem, p)) for p in data.get("problems") or []],
                     provenance=provenance, settings=run.get("settings") or {},
                     timings=run.get("timings") or {})
