"""Shared test helpers. Keep this small: each area's fixtures live in its own test file."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from audit.types import Document, SourceMeta, Span

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def make_doc() -> Callable[..., Document]:
    """Build a Document from text the way ingest does (lines, paragraphs, sentences, title,
    date, dateline, outlet), so offsets in tests are real. Language detection is off unless
    `detect_lang=True` (it loads a model)."""
    from audit.ingest.build import make_document
    from audit.ingest.lang import annotate
    from audit.ingest.settings import LanguageSettings

    def make(text: str, doc_id: str = "doc", outlet: str | None = None, lang: str | None = None,
             detect_lang: bool = False) -> Document:
        doc = make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(outlet=outlet, lang=lang))
        if detect_lang:
            annotate(doc, LanguageSettings())
        else:
            doc.paragraph_langs = [None] * len(doc.paragraphs)
            doc.lang = lang
        return doc
    return make


def _lines_doc(text: str, doc_id: str) -> Document:
    """A document built by hand: one line (and paragraph) per non-empty line of `text`, no
    ingest heuristics, so a test controls exactly which lines the boilerplate stage compares."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Span(pos, pos + len(raw)))
        pos += len(raw) + 1
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, lines=lines,
                    paragraphs=list(lines), title_span=lines[0], lang="en")


@pytest.fixture
def lines_doc() -> Callable[[str, str], Document]:
    """`_lines_doc` for tests (test modules cannot import one another under `.venv/bin/pytest`:
    tests/ is not a package on the path)."""
    return _lines_doc
