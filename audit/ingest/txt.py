"""Plain-text articles: the decoded file is the document; the first non-empty line is the title."""
from __future__ import annotations

from pathlib import Path

from audit.ingest.build import make_document
from audit.ingest.decode import decode, read_bytes
from audit.types import Document, Problem, SourceMeta


def read_txt(path: Path, doc_id: str, source: SourceMeta) -> tuple[list[Document], list[Problem]]:
    dec = decode(read_bytes(path))
    doc = make_document(doc_id, str(path), dec.text, source)
    doc.meta.update(encoding=dec.encoding, bom=dec.bom, format="txt")
    problems = [Problem(str(path), dec.warning)] if dec.warning else []
    return [doc], problems
