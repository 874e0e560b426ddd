"""Shared test helpers. Keep this small: each area's fixtures live in its own test file."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from audit.types import Document, SourceMeta

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
