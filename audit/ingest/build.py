"""Raw text → Document: structure (lines, paragraphs, sentences) and the article head (title,
date, dateline, outlet). Shared by every input format; language is added separately
(`lang.annotate`) so a batch can be segmented before any model is loaded."""
from __future__ import annotations

from audit.ingest import dateline as datelines
from audit.ingest import segment, sentences
from audit.ingest.dates import iso_timestamp, lone_date
from audit.ingest.decode import IngestError
from audit.types import Document, SourceMeta, Span

_HEAD_PARAGRAPHS = 4   # a dateline opens one of the first few body paragraphs (after captions)


def make_document(doc_id: str, path: str, text: str, source: SourceMeta | None = None, *,
                  title: str | None = None, date: str | None = None, outlet: str | None = None,
                  url: str | None = None, outlet_from: str | None = None) -> Document:
    """Build a Document over `text` (kept exactly). `title`, `date`, `outlet` are metadata given
    by the container (JSONL fields, HTML meta); what is missing is read from the text."""
    source = source or SourceMeta()
    doc = Document(id=doc_id, path=path, text=text, url=url, source=source)
    doc.lines = segment.lines(text)
    if not doc.lines:
        raise IngestError("empty file (only white space)")
    doc.paragraphs = segment.paragraphs(text)
    doc.sentences = sentences.sentences(text, doc.lines)
    _title(doc, title)
    _date(doc, date)
    guess = _dateline(doc)
    _outlet(doc, source, outlet, outlet_from, guess)
    return doc


def _title(doc: Document, title: str | None) -> None:
    first = doc.lines[0]
    if title is None or " ".join(title.split()) == " ".join(doc.slice(first).split()):
        doc.title, doc.title_span = doc.slice(first), first
    else:
        doc.title = " ".join(title.split()) or None


def _date(doc: Document, given: str | None) -> None:
    """Metadata first; else the first ISO timestamp line; else the first line that is a date."""
    found: tuple[str, Span] | None = None
    for ln in doc.lines:
        if (ts := iso_timestamp(doc.slice(ln))):
            found = (ts, ln)
            break
    if found is None:
        for ln in doc.lines[1:]:
            if (d := lone_date(doc.slice(ln))):
                found = (d, ln)
                break
    if found:
        doc.meta["date_span"] = [found[1].start, found[1].end]
    doc.date = given or (found[0] if found else None) or doc.source.date
    if doc.date and not given and not found:
        doc.meta["date_from"] = "config"


def _head_candidates(doc: Document) -> list[Span]:
    """Where a dateline may start: the opening line of each of the first body paragraphs, past
    the title and any date lines (a head block may read "Title / 2023-11-21 / BAGHDAD (AFP) -")."""
    out: list[Span] = []
    li = 0
    for p in doc.paragraphs:
        while li < len(doc.lines) and doc.lines[li].start < p.start:
            li += 1
        for ln in doc.lines[li:]:
            if ln.start >= p.end:
                break
            if ln == doc.title_span or lone_date(doc.slice(ln)):
                continue
            out.append(ln)
            break
        if len(out) == _HEAD_PARAGRAPHS:
            break
    return out


def _dateline(doc: Document) -> str | None:
    """Set doc.dateline (and the date, when it has a year); return the outlet it names."""
    for ln in _head_candidates(doc):
        d = datelines.find(doc.text, ln.start, ln.end)
        if d:
            doc.dateline = Span(d.start, d.end)
            doc.meta["dateline"] = {"kind": d.kind, "place": d.place, "agency": d.agency,
                                    "date": d.partial_date}
            if doc.date is None and d.date:
                doc.date = d.date
            return d.outlet
    return None


def _outlet(doc: Document, source: SourceMeta, given: str | None, given_from: str | None,
            guessed: str | None) -> None:
    """Per-article metadata, then the source's configured outlet, then the text's own credit."""
    kind = (doc.meta.get("dateline") or {}).get("kind")
    for value, origin in ((given, given_from or "metadata"), (source.outlet, "config"),
                          (guessed, "outlet-prefix" if kind == "outlet-prefix" else "dateline")):
        if value:
            doc.outlet, doc.meta["outlet_from"] = value, origin
            return
