"""Listed bad forms found by plain text search, where name mentions cannot find them.

Common-noun mis-renderings: an English word machine translation produced for a name ("hashed
sites" for the Hashd's sites). The gazetteer lists the word per entity with the neighbouring
words that make it wrong; without them the word is left alone.

Listed phrases: foreign and known-bad forms with lower-case words or possessives ("État
islamique", "Lion's Eye") are not capitalised runs, so they are searched for as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from audit.names.gazetteer import Form, Gazetteer
from audit.types import Document

_WINDOW = 40


@dataclass(frozen=True)
class Misrendered:
    doc_id: str
    start: int
    end: int
    text: str
    entry_id: str
    hint: str            # the neighbouring words that matched the context hint


def find(doc: Document, gaz: Gazetteer) -> list[Misrendered]:
    out: list[Misrendered] = []
    text = doc.text
    for entry in gaz.entries.values():
        for mr in entry.common_noun_misrenderings:
            pat = re.compile(rf"(?<![\w\-]){re.escape(mr.word)}(?![\w\-])")
            for m in pat.finditer(text):
                if doc.is_noise(m.start(), m.end()):
                    continue
                hint = _context(text, m.start(), m.end(), mr.context_hint)
                if hint is not None:
                    out.append(Misrendered(doc.id, m.start(), m.end(), m.group(), entry.key, hint))
    return out


def _context(text: str, start: int, end: int, hint: str) -> str | None:
    """The hint words found next to the match, in the same line and sentence; None if absent."""
    if not hint:
        return ""
    lo = max(text.rfind("\n", 0, start) + 1, start - _WINDOW)
    hi = text.find("\n", end)
    hi = min(len(text) if hi < 0 else hi, end + _WINDOW)
    before = re.split(r"[.!?]\s", text[lo:start])[-1]
    after = re.split(r"[.!?](?:\s|$)", text[end:hi])[0]
    pat = re.compile(rf"\b(?:{hint})\b", re.IGNORECASE)
    m = pat.match(after.lstrip()) or pat.search(before[-20:])
    if m is None:
        words_after = after.split()[:3]
        m = pat.search(" ".join(words_after))
    return m.group() if m else None


def find_phrases(doc: Document, gaz: Gazetteer) -> list[tuple[int, int, Form]]:
    """Foreign and known-bad forms as written (case-sensitive), outside noise."""
    compiled = _phrase_pattern(id(gaz), gaz)
    if compiled is None:
        return []
    pattern, forms = compiled
    out = []
    for m in pattern.finditer(doc.text):
        if not doc.is_noise(m.start(), m.end()):
            out.append((m.start(), m.end(), forms[" ".join(m.group().split())]))
    return out


_PATTERNS: dict[int, tuple[re.Pattern, dict[str, Form]] | None] = {}


def _phrase_pattern(key: int, gaz: Gazetteer) -> tuple[re.Pattern, dict[str, Form]] | None:
    """One alternation of every listed foreign and bad form, longest first."""
    if key not in _PATTERNS:
        if len(_PATTERNS) > 8:
            _PATTERNS.clear()
        forms = {" ".join(f.text.split()): f for f in gaz.forms
                 if f.kind in ("foreign", "known_bad")}
        if not forms:
            _PATTERNS[key] = None
        else:
            alts = [r"\s+".join(re.escape(w) for w in t.split())
                    for t in sorted(forms, key=len, reverse=True)]
            _PATTERNS[key] = (re.compile(rf"(?<![\w\-])(?:{'|'.join(alts)})(?![\w\-])"), forms)
    return _PATTERNS[key]
