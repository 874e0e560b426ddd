"""Structural cues of one line: its shape (length, sentence punctuation, function-word density
after jusText) and, once the content paragraphs are known, its position (head or tail)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from audit.boilerplate.patterns import generic_outlet_words, stoplist_names
from audit.types import Document, Span

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?…:;](?:[\"'”’»)\]]*)$")
_BULLET = re.compile(r"^(?:[-–—•*·▪●◦‣]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
# A short phrase wholly inside quotes: the subheading style of French and Spanish outlets.
_QUOTED = re.compile(r"^[\"“«‘'„]\s*[^\"“”«»]{2,80}\s*[\"”»’']$")


@dataclass
class LineShape:
    index: int
    span: Span
    text: str
    words: int
    terminal: bool          # ends like a sentence
    stop_density: float | None   # share of function words, None when no stoplist
    bullet: bool
    quoted: bool

    def short_unpunctuated(self, short_words: int) -> bool:
        return self.words <= short_words and not self.terminal and not self.bullet

    def prose(self, prose_words: int) -> bool:
        """Looks like running text: long enough, with ordinary function-word density."""
        dens = self.stop_density if self.stop_density is not None else 0.3
        return self.words >= prose_words and dens >= 0.2


def line_spans(doc: Document) -> list[Span]:
    """The document's non-empty, stripped lines (from ingest, or recomputed if absent)."""
    if doc.lines:
        return list(doc.lines)
    out, pos = [], 0
    for raw in doc.text.split("\n"):
        s = raw.strip()
        if s:
            start = pos + len(raw) - len(raw.lstrip())
            out.append(Span(start, start + len(s)))
        pos += len(raw) + 1
    return out


@lru_cache(maxsize=32)
def stopwords(lang: str | None) -> frozenset[str]:
    """Function words of the language: jusText's stoplist where the data file maps the code,
    else wordfreq's 150 most frequent words; empty when neither knows the language."""
    if not lang:
        return frozenset()
    code = lang.split("-")[0].lower()
    name = stoplist_names().get(code)
    try:
        if name:
            import justext
            return frozenset(w.casefold() for w in justext.get_stoplist(name))
        import wordfreq
        return frozenset(wordfreq.top_n_list(code, 150))
    except Exception:   # unknown language or library missing: the cue is simply skipped
        return frozenset()


def shape(index: int, span: Span, text: str, stops: frozenset[str]) -> LineShape:
    words = _WORD.findall(text)
    dens = None
    if stops and words:
        dens = sum(w.casefold() in stops for w in words) / len(words)
    return LineShape(index, span, text, len(words), bool(_TERMINAL.search(text)), dens,
                     bool(_BULLET.match(text)), bool(_QUOTED.match(text)))


def shapes(doc: Document, spans: list[Span]) -> list[LineShape]:
    stops = stopwords(doc.lang or "en")
    return [shape(i, s, doc.text[s.start:s.end], stops) for i, s in enumerate(spans)]


def title_index(doc: Document, spans: list[Span]) -> int | None:
    """The line holding the document's title, if ingest found one."""
    if doc.title_span is None:
        return None
    for i, s in enumerate(spans):
        if s.overlaps(doc.title_span):
            return i
    return None


def dateline_index(doc: Document, spans: list[Span]) -> int | None:
    if doc.dateline is None:
        return None
    for i, s in enumerate(spans):
        if s.overlaps(doc.dateline):
            return i
    return None


def site_name_words(doc: Document) -> set[str]:
    """Distinctive words of the outlet's name: capitalised words of the configured or detected
    outlet ("Reuters (republished copy)" gives reuters), plus the URL's host label."""
    out = {w.casefold() for n in (doc.outlet, doc.source.outlet) if n for w in _WORD.findall(n)
           if len(w) > 2 and w[0].isupper()}
    if doc.url:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", doc.url).split("/")[0]
        out.add(host.split(".")[0].casefold())
    return out - generic_outlet_words()


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)
