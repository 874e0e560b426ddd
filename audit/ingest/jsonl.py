"""JSON Lines: one article per line with `text` and optional `title`, `outlet`, `date`, `url`,
`lang`. A bad line is a Problem naming file:line; the other lines still load."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit.ingest.build import make_document
from audit.ingest.dates import normalise
from audit.ingest.decode import IngestError, decode, read_bytes
from audit.types import Document, Problem, SourceMeta

FIELDS = ("text", "title", "outlet", "date", "url", "lang")


def read_jsonl(path: Path, doc_id: str, source: SourceMeta) -> tuple[list[Document], list[Problem]]:
    dec = decode(read_bytes(path))
    problems = [Problem(str(path), dec.warning)] if dec.warning else []
    docs: list[Document] = []
    for lineno, line in enumerate(dec.text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            doc = _article(_record(line), f"{doc_id}-{lineno}", where, source)
        except IngestError as e:
            problems.append(Problem(where, str(e)))
            continue
        doc.meta.update(encoding=dec.encoding, format="jsonl", line=lineno)
        docs.append(doc)
    if not docs and not problems:
        raise IngestError("no articles (every line is blank)")
    return docs, problems


def _record(line: str) -> dict[str, Any]:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        what = e.msg[:-3] if e.msg.endswith(" at") else e.msg   # "...string starting at"
        raise IngestError(f"invalid JSON: {what} at column {e.colno}") from None
    if not isinstance(rec, dict):
        raise IngestError(f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        raise IngestError("missing 'text' (a string with the article)" if text is None
                          else f"'text' must be a string, got {type(text).__name__}")
    for key in FIELDS[1:]:
        if rec.get(key) is not None and not isinstance(rec[key], str):
            raise IngestError(f"'{key}' must be a string, got {type(rec[key]).__name__}")
    return rec


def _article(rec: dict[str, Any], doc_id: str, where: str, source: SourceMeta) -> Document:
    if not rec["text"].strip():
        raise IngestError("'text' is empty")
    if rec.get("lang") and not source.lang:
        source = SourceMeta(source.name, source.outlet, source.trust, rec["lang"])
    date = normalise(rec["date"]) if rec.get("date") else None
    doc = make_document(doc_id, where, rec["text"], source, title=rec.get("title"), date=date,
                        outlet=rec.get("outlet") or None, url=rec.get("url"), outlet_from="jsonl")
    if rec.get("date") and date is None:
        doc.meta["date_raw"] = rec["date"]
    extra = {k: v for k, v in rec.items() if k not in FIELDS}
    if extra:
        doc.meta["fields"] = extra
    return doc
