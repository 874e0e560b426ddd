"""Shared helpers for the surface and translation detectors: word tokens with offsets, word
statistics (wordfreq, cached), the shipped data files, and the question every casing and
fragment rule asks first: what comes right before this word?

Written by hand because no library gives raw-text offsets together with the "is this a
sentence start" test that copes with machine-damaged copy ("told AFP. integrated into").
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
import statistics
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator, NamedTuple, TypeVar

import yaml

from audit.types import Document, Span

# A word: letters with inner apostrophes and hyphens ("al-Sudani", "Kata'ib", "counter-attack").
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
OPEN_QUOTES = "“\"‘«„"
CLOSE_QUOTES = "”\"’»"
DASHES = "-–—"
# Languages whose word lists tell an international name ("Reuters") from an English word.
OTHER_LANGS = ("fr", "es", "de", "it", "pt", "nl")


class Token(NamedTuple):
    """A word with its offsets. A named tuple, not a frozen dataclass: every detector makes a
    few thousand per article and a frozen dataclass's constructor took twice as long."""
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


_NEW = tuple.__new__


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    # tuple.__new__ straight: the named tuple's generated __new__ cost a third of the time
    return [_NEW(Token, (*m.span(), m.group())) for m in WORD.finditer(text, start, end)]


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_title(word: str) -> bool:
    """'And', 'Following': capital initial, the rest lower case (not 'US', not 'McCain')."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower() or word in {"A", "I"}


# --- word statistics ---------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "en", large: bool = False) -> float:
    """Zipf frequency of a single word (0 = unknown), case-folded, from wordfreq's shipped lists.

    English uses the large list (rare words matter: is "staffinformed" a word?); other
    languages the small one (words down to zipf ~3), which loads ten times faster and is all
    the comparisons with other languages need, unless `large` asks for the long tail (a
    single untranslated word such as "sinistrés" sits right at zipf 3).
    """
    from wordfreq import zipf_frequency
    wordlist = "best" if lang == "en" or large else "small"
    try:
        if word.isascii() and word.isalpha() and word.islower() and _plain_lookup(lang):
            return _one_token_zipf(word, lang, wordlist)
        return zipf_frequency(word, lang, wordlist=wordlist)
    except LookupError:          # a language wordfreq does not ship
        return 0.0


@lru_cache(maxsize=None)
def _plain_lookup(lang: str) -> bool:
    """Does wordfreq look a lower-case ASCII word up as itself in `lang` (the regex tokenizer,
    no transliteration: every language audit asks about)? Then the word is its one token."""
    from wordfreq.language_info import get_language_info
    info = get_language_info(lang)
    return (info["tokenizer"] == "regex" and info["transliteration"] is None
            and info["lookup_transliteration"] is None)


def _one_token_zipf(word: str, lang: str, wordlist: str) -> float:
    """wordfreq.zipf_frequency(word, lang, wordlist) for a word that is its own single token
    (lower-case ASCII letters, `_plain_lookup` language): wordfreq's arithmetic, without its
    preprocessing and regex tokenizer. Those were most of a lookup's ~40 us, and the detectors
    ask about 200,000 distinct (word, language) pairs per 1,000 articles (fused-word splits
    in a dozen languages), each once per process. Written by hand because wordfreq exposes no
    lookup of an already-tokenised word; tests/test_zipf.py compares it with zipf_frequency
    on every such word of the lists and on words the lists lack."""
    import math

    import wordfreq
    minimum = wordfreq.zipf_to_freq(0.0)
    freqs = wordfreq.get_frequency_dict(lang, wordlist)
    if word not in freqs:
        freq = minimum
    else:
        unrounded = max(1.0 / (1.0 / freqs[word]), minimum)   # wordfreq's 1/sum(1/f) for one token
        freq = 0.0 if unrounded == 0.0 else round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(wordfreq.freq_to_zipf(freq), 2)


@lru_cache(maxsize=50_000)
def international_gap(word: str) -> float:
    """English frequency minus the median frequency in other European languages.

    A name is written the same in every language ("Reuters", "Israel", "Hamas"), so its gap is
    small; an English common word ("state", "guard", "will") is far rarer abroad.
    """
    w = word.lower()
    others = [zipf(w, lang) for lang in OTHER_LANGS]
    return zipf(w, "en") - statistics.median(others)


# --- data files --------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def data(name: str) -> Any:
    """A shipped YAML file under audit/data/ (read once)."""
    path = resources.files("audit") / "data" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=None)
def word_set(name: str, key: str, lower: bool = True) -> frozenset[str]:
    """A list in a data file as a set (lower-cased unless told otherwise)."""
    raw = data(name).get(key) or []
    return frozenset(str(x).lower() if lower else str(x) for x in raw)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Weekday and month names as written ("Monday", "March"): capitalised in mid-sentence by
    rule, so they are never a name to learn or to catch (word_classes.yaml)."""
    d = data("word_classes.yaml")
    return frozenset((d.get("weekday") or []) + (d.get("month") or []))


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    """'fr' -> 'French' for messages (calques.yaml: language_names); the code when unlisted."""
    return str((data("calques.yaml").get("language_names") or {}).get(code, code))


# --- position tests ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """Words that end in a full stop without ending a sentence (the ingest stage's list)."""
    raw = data("abbreviations.yaml")
    always = frozenset(str(x) for x in raw.get("never_end") or ())
    maybe = frozenset(str(x) for x in (raw.get("before_number") or []) + (raw.get("may_end") or []))
    return always, maybe


_ABBR_SHAPE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$|^[A-Z]$")  # U.S  a.m  D.C  initials


def word_before(text: str, end: int, floor: int = 0) -> str:
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(OPEN_QUOTES + "([")


def is_abbreviation(word: str) -> bool:
    always, maybe = _abbreviations()
    w = word.rstrip(".")
    return (bool(_ABBR_SHAPE.match(w)) or w in always or w in maybe
            or w.lower() in always or w.lower() in maybe)


_STAMP_PREFIX = re.compile(r"\s*date\s+\d{4}-\d{2}-\d{2}")


def context_before(text: str, pos: int, line_start: int) -> str:
    """What stands right before the word at `pos`, skipping white space:

    'line' (line start), 'sentence' (. ! ? after a normal word), 'abbrev' (after "U.S.", "Gen.",
    an initial, a number or an ellipsis: may or may not end a sentence), 'quoted-end' (sentence
    punctuation then a closing quote: “Why?” he asked), 'colon', 'semicolon',
    'comma', 'quote' (an opening quote or bracket), 'dash', 'close' (a closing bracket or
    quote after no sentence punctuation), 'word' (mid-sentence), 'other'.
    """
    i = pos
    while i > line_start and text[i - 1].isspace():
        i -= 1
    if i <= line_start:
        return "line"
    c = text[i - 1]
    if c.isdigit() and _STAMP_PREFIX.fullmatch(text, line_start, i):
        return "line"                # " date 2023-08-31 In the early hours": an excerpt's stamp
    if i == pos and c in ".!?":
        return "other"               # no space after the stop: "a.m", "U.S", "3.5"
    if c in OPEN_QUOTES and (i - 1 == line_start or not text[i - 2].isalnum()):
        return "quote"
    if c in "([":
        return "quote"
    j = i
    while j > line_start and text[j - 1] in CLOSE_QUOTES + ")]":
        j -= 1
    c2 = text[j - 1] if j > line_start else ""
    if c2 in ".!?…":
        if j < i:
            return "quoted-end"      # “Why?” he asked / “…aggression.” he said
        if c2 == "…" or text[max(line_start, j - 3):j] == "...":
            return "abbrev"
        if c2 != ".":
            return "sentence"
        prev = word_before(text, j, line_start)
        if not prev or prev[:1].isdigit() or is_abbreviation(prev):
            return "abbrev"
        return "sentence"
    if j < i:
        return "close"
    if c == ":":
        return "colon"
    if c == ";":
        return "semicolon"
    if c == ",":
        return "comma"
    if c in DASHES or c in "/|•·*":
        return "dash"
    if c.isalnum() or c in "'’%$":
        return "word"
    return "other"


def content_lines(doc: Document) -> Iterator[Span]:
    """Lines that are not noise and not the document's title. A "title" that is a paragraph of
    prose (an excerpt whose first line is the lead) is content: its damage counts."""
    for ln in doc.lines:
        if doc.is_noise(ln.start, ln.end):
            continue
        if doc.title_span is not None and ln.overlaps(doc.title_span) \
                and not _prose_title(doc.text[ln.start:ln.end]):
            continue
        yield ln


def _prose_title(line: str) -> bool:
    text = line.rstrip()
    return len(text.split()) >= 15 and text[-1:] in ".!?\"”’"


def is_headline(text: str) -> bool:
    """A title-case line without final sentence punctuation: a heading, not body text.

    Most content words (longer than three letters) start with a capital.
    """
    return _headline_shape(text, None)


def _headline_shape(text: str, toks: list[Token] | None) -> bool:
    """is_headline, reusing the line's tokens when the caller has them."""
    stripped = text.strip()
    if not stripped or stripped[-1] in ".!?,;" or len(stripped.split()) > 25:
        return False
    words = [t.text for t in (toks if toks is not None else tokens(stripped)) if len(t.text) > 3]
    if not words:
        return True
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.6


_QUOTE_MARK = re.compile('[“«„”»"]')


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted stretches inside [start, end): curly pairs, and straight quotes paired in order."""
    out: list[tuple[int, int]] = []
    opened: int | None = None
    straight: int | None = None
    # only the quote marks are visited (a loop over every character cost casing and residue
    # about a millisecond per 1,000-word article)
    for m in _QUOTE_MARK.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in "“«„":
            opened = i if opened is None else opened
        elif c in "”»" and opened is not None:
            out.append((opened, i + 1))
            opened = None
        elif c == '"':
            if straight is None:
                straight = i
            else:
                out.append((straight, i + 1))
                straight = None
    if opened is not None:
        out.append((opened, end))
    return out


T = TypeVar("T")


def detector_settings(ctx_settings: dict[str, Any], name: str, model: type[T]) -> T:
    """Another detector's settings from the run's config (its defaults when not configured):
    detectors that share work (split points, calque spans) see the same configuration."""
    raw = ((ctx_settings or {}).get("detectors") or {}).get(name) or {}
    key = (name, model, json.dumps(raw, sort_keys=True, default=str))
    if key not in _SETTINGS:
        if len(_SETTINGS) > 256:
            _SETTINGS.clear()
        # validated once per process and configuration: the calque settings' validator
        # compiles the lexicon's classes, ~2 ms each time a detector asked for them per article
        _SETTINGS[key] = model.model_validate(raw)  # type: ignore[attr-defined]
    return _SETTINGS[key]


_SETTINGS: dict[tuple, Any] = {}


# --- required words ------------------------------------------------------------------------------

_SECOND = itemgetter(1)


class LiteralIndex:
    """Which of many required words occur in a text, in one pass (pyahocorasick's automaton,
    overlapping matches included). Rule sets (calques, mt-grammar) read off each rule the words
    one of which every match contains and skip the rules none of whose words is on the line:
    a substring test per word and line cost more than the matching itself."""

    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick
        self._auto = ahocorasick.Automaton()
        for w in set(words):
            self._auto.add_word(w, w)
        if len(self._auto):
            self._auto.make_automaton()

    def present(self, low: str) -> frozenset[str]:
        """The indexed words found in `low` (a lower-case text)."""
        if not len(self._auto):
            return frozenset()
        return frozenset(map(_SECOND, self._auto.iter(low)))    # no Python frame per hit


# --- per-document cache -------------------------------------------------------------------------

_CACHE: dict[tuple[str, str, str], Any] = {}


def per_doc(key: str, doc: Document, make: Callable[[], T]) -> T:
    """Compute something once per (document text, key): detectors share splits and matches."""
    k = (key, doc.id, doc.text)
    if k not in _CACHE:
        if len(_CACHE) > 2000:
            _CACHE.clear()
        _CACHE[k] = make()
    return _CACHE[k]


def doc_tokens(doc: Document, start: int, end: int) -> list[Token]:
    """tokens() of a stretch of a document, computed once per document and stretch: the casing,
    fragment and token-merge rules all walk the same lines (treat the list as read-only)."""
    table: dict[tuple[int, int], list[Token]] = per_doc("tokens", doc, dict)
    key = (start, end)
    if key not in table:
        table[key] = _slice_tokens(doc, start, end)
    return table[key]


def _slice_tokens(doc: Document, start: int, end: int) -> list[Token]:
    """tokens(doc.text, start, end), cut from one scan of the whole text: lines, sentences and
    paragraphs were each tokenised again (three scans of every article). A word the stretch
    cuts in two (a word of the whole text straddling `start` or `end`) is tokenised as before."""
    whole, starts = per_doc("tokens-whole", doc, lambda: _whole_tokens(doc.text))
    i = bisect_left(starts, start)
    j = bisect_left(starts, end, i)
    if i and whole[i - 1].end > start or j > i and whole[j - 1].end > end:
        return tokens(doc.text, start, end)
    return whole[i:j]


def _whole_tokens(text: str) -> tuple[list[Token], list[int]]:
    toks = tokens(text)
    return toks, [t.start for t in toks]


def line_is_headline(doc: Document, span: Span) -> bool:
    """is_headline() of a stretch of a document, once per document and stretch (every rule
    asks it of every line)."""
    table: dict[tuple[int, int], bool] = per_doc("headline", doc, dict)
    key = (span.start, span.end)
    if key not in table:
        table[key] = _headline_shape(doc.text[span.start:span.end],
                                     doc_tokens(doc, span.start, span.end))
    return table[key]


# --- batch word statistics -----------------------------------------------------------------------

@dataclass
class BatchStats:
    """How each word is written across the batch: the evidence for "this is a proper noun".

    `cap_mid[w]` counts capitalised occurrences in the middle of a sentence (where only names are
    capitalised), `lower[w]` lower-case occurrences, `pieces` every word and hyphen part seen.
    Keys are lower-cased words; `cap_docs[w]` lists the documents with a mid-sentence capital.
    """
    cap_mid: dict[str, int]
    lower: dict[str, int]
    cap_docs: dict[str, set[str]]
    spellings: dict[str, dict[str, int]]
    pieces: set[str]


_BATCH: dict[tuple, BatchStats] = {}


def batch_stats(docs: list[Document]) -> BatchStats:
    given = getattr(docs, "batch_stats", None)   # the pipeline's batch view carries them,
    if given is not None:                        # counted once as a reduce (audit/steps.py)
        return given
    # the text itself (its hash is cached by Python), not its length: two test articles of
    # one length and id shared a key and the second got the first one's statistics
    key = tuple((d.id, d.text, tuple(d.noise)) for d in docs)
    if key not in _BATCH:
        if len(_BATCH) > 50:
            _BATCH.clear()
        _BATCH[key] = _count(docs)
    return _BATCH[key]


def _count(docs: list[Document]) -> BatchStats:
    """The batch's counts: each document's, merged (the same whether counted here or in workers)."""
    return merge_stats([_count_doc(d) for d in docs])


def merge_stats(parts: list[BatchStats | None]) -> BatchStats:
    """Word statistics merged in batch order, so the dictionaries iterate as if counted in one
    pass (the reduce of the pipeline's word-statistics step)."""
    cap_mid: dict[str, int] = {}
    lower: dict[str, int] = {}
    cap_docs: dict[str, set[str]] = {}
    spellings: dict[str, dict[str, int]] = {}
    pieces: set[str] = set()
    for p in parts:
        if p is None:
            continue
        for k, n in p.cap_mid.items():
            cap_mid[k] = cap_mid.get(k, 0) + n
        for k, n in p.lower.items():
            lower[k] = lower.get(k, 0) + n
        for k, ids in p.cap_docs.items():
            cap_docs.setdefault(k, set()).update(ids)
        for k, sp in p.spellings.items():
            mine = spellings.setdefault(k, {})
            for w, n in sp.items():
                mine[w] = mine.get(w, 0) + n
        pieces |= p.pieces
    return BatchStats(cap_mid, lower, cap_docs, spellings, pieces)


def _count_doc(doc: Document) -> BatchStats:
    cap_mid: dict[str, int] = {}
    lower: dict[str, int] = {}
    cap_docs: dict[str, set[str]] = {}
    spellings: dict[str, dict[str, int]] = {}
    pieces: set[str] = set()
    for ln in content_lines(doc):
        headline = line_is_headline(doc, ln)
        for tok in doc_tokens(doc, ln.start, ln.end):
            w = tok.text
            if "-" in w or "'" in w or "’" in w:
                pieces.update(p for p in re.split(r"[-'’]", w) if p)
            else:
                pieces.add(w)
            key = w.lower()
            if w.islower():
                lower[key] = lower.get(key, 0) + 1
            elif is_capitalised(w) and not headline:
                if context_before(doc.text, tok.start, ln.start) in ("word", "comma"):
                    cap_mid[key] = cap_mid.get(key, 0) + 1
                    cap_docs.setdefault(key, set()).add(doc.id)
                    sp = spellings.setdefault(key, {})
                    sp[w] = sp.get(w, 0) + 1
    return BatchStats(cap_mid, lower, cap_docs, spellings, pieces)
