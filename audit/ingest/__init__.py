"""Ingest: files → Documents whose structure is offset ranges into the raw text.

Formats: `.txt` (txt.py), `.html`/`.htm` (html.py, trafilatura), `.jsonl` (jsonl.py). Every
format goes through build.make_document (lines, paragraphs, sentences, title, date, dateline,
outlet) and lang.annotate (paragraph languages). sources.py resolves config paths and ids.
"""
from __future__ import annotations

from audit.ingest.decode import IngestError
from audit.ingest.lang import LanguageIdentifier, identifier
from audit.ingest.settings import LanguageSettings
from audit.ingest.sources import READERS, Input, load, load_paths, load_sources, plan, read

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(READERS)   # ".txt", ".html", ".htm", ".jsonl", ".ndjson"

__all__ = ["IngestError", "Input", "LanguageIdentifier", "LanguageSettings", "SUPPORTED_EXTENSIONS",
           "identifier", "load", "load_paths", "load_sources", "plan", "read"]
