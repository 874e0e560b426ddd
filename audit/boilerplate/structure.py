"""Structural cues of one line: its shape (length, sentence punctuation, function-word density
after jusText) and, once the content paragraphs are known, its position (head or tail)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from audit.boilerplate.patterns import generic_outlet_words, stoplist_names
from audit.boilerplate.patterns import date_words as _date_words_raw
from audit.types import Document, Span

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?…:;](?:[\"'”’»)\]]*)$")
_BULLET = re.compile(r"^(?:[-–—•*·▪●◦‣]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
# A short phrase wholly inside quotes: the subheading style of French and Spanish outlets.
_QUOTED = re.compile(r"^[\"“«‘'„]\s*[^\"“”«»]{2,80}\s*[\"”»’']$")


# A metadata date stamp some page excerpts open with (" date 2023-12-04 Home page World"): the
# rest of the line is judged without it.
_STAMP = re.compile(r"^date\s+\d{4}-\d{2}-\d{2}\b\s*", re.I)
_NUMBERY = re.compile(r"^\d+(?:st|nd|rd|th)?$|^\d{4}-\d{2}-\d{2}$|^\d{1,2}[:.]\d{2}$", re.I)


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
    letters: bool = True    # has at least one letter (not a counter, a rule or a time alone)
    other_script: float = 0.0    # share of its letters in a script the document does not use
    date_only: bool = False      # nothing but a date or time ("Mon. Jun 24th, 2024", "21:03 WIB")
    other_lang: str | None = None  # its paragraph's language, when not the document's

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


def shape(index: int, span: Span, text: str, stops: frozenset[str],
          scripts: frozenset[str] = frozenset()) -> LineShape:
    words = _WORD.findall(text)
    dens = None
    if stops and words:
        dens = sum(w.casefold() in stops for w in words) / len(words)
    return LineShape(index, span, text, len(words), bool(_TERMINAL.search(text)), dens,
                     bool(_BULLET.match(text)), bool(_QUOTED.match(text)),
                     any(c.isalpha() for c in text), _other_script(text, scripts),
                     is_date_only(words))


def shapes(doc: Document, spans: list[Span]) -> list[LineShape]:
    stops = stopwords(doc.lang or "en")
    scripts = document_scripts(doc.text)
    out = [shape(i, s, doc.text[s.start:s.end], stops, scripts) for i, s in enumerate(spans)]
    for line, lang in zip(out, _paragraph_lang_of_lines(doc, spans)):
        if lang and doc.lang and lang != doc.lang:
            line.other_lang = lang
    return out


def _paragraph_lang_of_lines(doc: Document, spans: list[Span]) -> list[str | None]:
    """The language ingest identified for the paragraph holding each line (None if unknown)."""
    langs = doc.paragraph_langs
    if not langs or len(langs) != len(doc.paragraphs):
        return [None] * len(spans)
    out: list[str | None] = []
    j = 0
    for s in spans:
        while j < len(doc.paragraphs) and doc.paragraphs[j].end < s.start:
            j += 1
        inside = j < len(doc.paragraphs) and doc.paragraphs[j].start <= s.start
        out.append(langs[j] if inside else None)
    return out


def without_stamp(text: str) -> str:
    """The line without a leading metadata date stamp ("date 2023-07-28 AFRICA" -> "AFRICA")."""
    return _STAMP.sub("", text.strip())


@lru_cache(maxsize=4096)
def script_of(c: str) -> str:
    """The script of a letter, from its Unicode name ("LATIN", "CYRILLIC", "ARABIC", "CJK")."""
    try:
        return unicodedata.name(c).split(" ")[0]
    except ValueError:
        return ""


# Letters are counted by script with ASCII letters taken in bulk (C-level regex) and only the
# others named one by one: per character in Python this was a third of the stage's map CPU
# (1,000 generated articles: 10 of 29 s profiled).
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script_counts(text: str) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    latin = len(text) - len(_ASCII_LETTERS.sub("", text))
    if latin:
        counts["LATIN"] = latin
    for c in _NON_ASCII.findall(text):
        if c.isalpha():
            k = script_of(c)
            counts[k] = counts.get(k, 0) + 1
    return counts, sum(counts.values())


def document_scripts(text: str) -> frozenset[str]:
    """Scripts that hold at least a fifth of the document's letters: the page's own writing.
    A menu in Cyrillic or a language switcher in Arabic script on an English page is chrome."""
    counts, total = _script_counts(text)
    return frozenset(k for k, n in counts.items() if total and n / total >= 0.2)


def _other_script(text: str, scripts: frozenset[str]) -> float:
    if not scripts:
        return 0.0
    counts, total = _script_counts(text)
    if not total:
        return 0.0
    return sum(n for k, n in counts.items() if k not in scripts) / total


def is_date_only(words: list[str]) -> bool:
    """Every word a date word (month, weekday, time zone, "date"), a number, an ordinal or a
    time, with a month, a weekday or an ISO date among them: a publication stamp, not text."""
    if not words or len(words) > 12:
        return False
    vocab = date_words()
    anchors = vocab["months"] | vocab["weekdays"]
    anchored = False
    place_ok = len(words) >= 3 and any(w[:1].isdigit() for w in words)
    for i, w in enumerate(words):
        low = w.casefold().rstrip(".")
        if low in anchors or re.match(r"^\d{4}-\d{2}-\d{2}$", low):
            anchored = True
        elif _NUMBERY.match(low) or low in vocab["other"] or low in ("a", "m", "p"):
            continue
        elif not (i == 0 and w[:1].isupper() and place_ok):
            return False     # one place name may open a dated stamp ("Kyiv June 7, 10:43 a.m.")
    return anchored


@lru_cache(maxsize=1)
def date_words() -> dict[str, frozenset[str]]:
    """Month and weekday names in the languages of the pages we read, and the other words a
    date stamp holds (am, pm, time zones), from the data file's `date_words`."""
    raw = _date_words_raw()
    return {k: frozenset(str(w).casefold() for w in raw.get(k) or [])
            for k in ("months", "weekdays", "other")}


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
