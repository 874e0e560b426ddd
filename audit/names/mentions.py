"""Name mentions: runs of capitalised words, with the particles that live inside Arabic and
European names (al-, el-, bin, de ...), cut where they stop being a name.

A mention ends at punctuation, a lower-case word, a possessive ("Iraq’s"), a hyphen before a
lower-case word ("Iran-backed") and a lower→upper hump inside a word, which machine damage
leaves behind ("Hashd al-ShaabiSupported" is the mention "Hashd al-Shaabi"). A hyphen between
capitalised words keeps them together ("Abdul-Malik"); "Israel-Hamas" is split later by the
gazetteer. Titles before a
name ("Iraqi Prime Minister"), capitalised function words ("Nujaba And they") and
sentence-initial common words ("Police sources") are trimmed off.

Written by hand: NER models are heavy and tag garbled names unreliably, which is exactly the
text this stage has to read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Iterable, NamedTuple

from audit.names.translit import romanisation
from audit.names.words import is_acronym, name_data, name_word_list, zipf
from audit.types import Document, Span

_WORD = re.compile(r"[^\W\d_]+(?:['’ʿʾ`][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’][sS]$")
_SPACE_GAP = re.compile(r"[ \t\u00a0'’ʿʾ]+")
_SENTENCE_END = ".!?:;\n"
_OPENERS = "“\"‘«„([—–-"


@dataclass(frozen=True)
class NameTok:
    text: str
    start: int
    end: int
    particle: bool = False


@dataclass(frozen=True)
class NameMention:
    doc_id: str
    toks: tuple[NameTok, ...]
    text: str

    @property
    def start(self) -> int:
        return self.toks[0].start

    @property
    def end(self) -> int:
        return self.toks[-1].end

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The name's own tokens, without particles: ('Hashd', 'Shaabi')."""
        return tuple(t.text for t in self.toks if not t.particle)

    def sub(self, doc_text: str, i: int, j: int) -> "NameMention":
        """The mention made of name tokens i..j-1 (with the particles hyphened to them)."""
        idx = [k for k, t in enumerate(self.toks) if not t.particle]
        lo, hi = idx[i], idx[j - 1]
        while lo > 0 and self.toks[lo - 1].particle:
            lo -= 1
        toks = self.toks[lo:hi + 1]
        return NameMention(self.doc_id, toks, doc_text[toks[0].start:toks[-1].end])


@dataclass(frozen=True)
class NameWords:
    titles: frozenset[str]
    demonyms: frozenset[str]
    function: frozenset[str]
    calendar: frozenset[str]


def name_words(extra_titles: Iterable[str] = (), extra_not_names: Iterable[str] = ()) -> NameWords:
    raw = name_data()
    low = lambda xs: frozenset(str(x).lower() for x in xs)  # noqa: E731
    return NameWords(titles=low([*(raw.get("titles") or []), *extra_titles]),
                     demonyms=low(raw.get("demonyms") or []),
                     function=low([*(raw.get("function_words") or []), *extra_not_names]),
                     calendar=low(raw.get("calendar") or []))


# --- tokens ------------------------------------------------------------------------------------

def _split_humps(text: str, start: int) -> list[tuple[str, int, bool]]:
    """Split 'ShaabiSupported' into ('Shaabi', .., False), ('Supported', .., True): the flag
    says a hard break (a lost space) comes before the part."""
    if text[2:].islower():
        return [(text, start, False)]             # no capital after the second letter: no hump
    hump_prefixes = name_word_list("hump_prefixes")
    cuts = [i for i in range(2, len(text)) if text[i - 1].islower() and text[i].isupper()
            and text[:i] not in hump_prefixes and not text[:i].endswith(("'", "’"))]
    if not cuts or zipf(text.lower()) >= 1.5:     # a word in its own right: NewsHour, YouTube
        return [(text, start, False)]
    parts, prev = [], 0
    for c in cuts + [len(text)]:
        parts.append((text[prev:c], start + prev, bool(prev)))
        prev = c
    return parts


class _Raw(NamedTuple):
    """A word of a line. A named tuple made with tuple.__new__: every word of every content
    line gets one, and a dataclass's constructor was a third of mention extraction."""
    text: str
    start: int
    end: int
    link: str          # how it joins the previous token: "space", "hyphen" or "break"
    possessive: bool


_NEW = tuple.__new__


def _raw_tokens(text: str, start: int, end: int) -> list[_Raw]:
    out: list[_Raw] = []
    prev_end = None
    for m in _WORD.finditer(text, start, end):
        word = whole = m.group()
        ws = m.start()
        # _POSSESSIVE (['’][sS]$) tested by hand: a regular expression call per word
        poss = len(word) > 3 and word[-1] in "sS" and word[-2] in "'’"
        if poss:
            word = word[:-2]
        gap = text[prev_end:ws] if prev_end is not None else None
        if gap is None:
            link = "break"
        elif gap == "-":
            link = "hyphen"
        elif (gap == " " or _SPACE_GAP.fullmatch(gap)) and (out and not out[-1].possessive):
            link = "space"
        else:
            link = "break"
        if word[2:].islower():                    # _split_humps' own first test, inlined
            out.append(_NEW(_Raw, (word, ws, ws + len(word), link, poss)))
        else:
            parts = _split_humps(word, ws)
            for k, (part, ps, hard) in enumerate(parts):
                out.append(_NEW(_Raw, (part, ps, ps + len(part), "break" if hard else link,
                                       poss and k == len(parts) - 1)))
        prev_end = ws + len(whole)
    return out


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


# --- runs --------------------------------------------------------------------------------------

def _runs(raw: list[_Raw]) -> list[list[NameTok]]:
    """Maximal runs of capitalised words joined by spaces, particles and hyphens."""
    r = romanisation()
    runs: list[list[NameTok]] = []
    cur: list[NameTok] = []
    n = len(raw)
    for i, t in enumerate(raw):
        nxt = raw[i + 1] if i + 1 < n else None
        joined_next = nxt is not None and nxt.link != "break" and nxt.text[:1].isupper()
        is_particle = joined_next and (
            (nxt.link == "hyphen" and t.text.lower() in r.hyphen_particles)
            or (nxt.link == "space" and t.text.lower() in r.particles
                and (cur or t.text[:1].isupper())))
        if t.link == "break" or (t.link == "hyphen" and not _is_cap(t.text)):
            if cur:                            # "Iran-backed": the name ends before the hyphen
                runs.append(cur)
            cur = []
        if is_particle:
            cur.append(NameTok(t.text, t.start, t.end, True))
        elif _is_cap(t.text) and len(t.text) > 1:
            cur.append(NameTok(t.text, t.start, t.end))
        else:
            if cur:
                runs.append(cur)
            cur = []
        if t.possessive and cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _sentence_initial(text: str, pos: int, line_start: int) -> bool:
    i = pos
    while i > line_start and (text[i - 1].isspace() or text[i - 1] in _OPENERS):
        i -= 1
    return i <= line_start or text[i - 1] in _SENTENCE_END


def _trim(run: list[NameTok], words: NameWords, text: str, line_start: int,
          keep: Callable[[str], bool], headline: bool) -> list[NameTok]:
    """Cut titles, function words and sentence-initial common words off a run's ends."""
    def droppable_lead(k: int) -> bool:
        if text[run[k].end:run[k].end + 1] == "-" and k + 1 < len(run) \
                and run[k + 1].text.lower() not in words.titles:
            return False                 # hyphened into the name: Amir-Abdollahian
        w = run[k].text.lower()
        if w in words.function or w in words.calendar:
            return True
        if w in words.titles:
            return True
        if w in words.demonyms and k + 1 < len(run) and run[k + 1].text.lower() in words.titles:
            return True
        return False

    lo, hi = 0, len(run)
    while lo < hi and ((run[lo].particle and text[run[lo].end:run[lo].end + 1] != "-")
                       or droppable_lead(lo)):
        lo += 1
    first = run[lo].text if lo < hi else ""
    if first and _sentence_initial(text, run[lo].start, line_start) and not keep(first) \
            and not is_acronym(first) and first.lower() not in romanisation().weak_words \
            and hi - lo == 1 and zipf(first.lower()) >= 4.0:
        lo += 1
    while hi > lo and (run[hi - 1].particle or run[hi - 1].text.lower() in words.function
                       or run[hi - 1].text.lower() in words.calendar):
        hi -= 1
    out = run[lo:hi]
    return _headline_cut(out, keep) if headline else out


def _split_at_titles(run: list[NameTok]) -> list[list[NameTok]]:
    """"AFAD President Younes Sezer" is two names: an office inside a run, with a name of two or
    more words after it, ends the organisation and starts the person (name_words.yaml
    `mid_run_titles`; the title itself is dropped)."""
    titles = _mid_titles()
    for k in range(1, len(run) - 2):
        t = run[k]
        rest = [x for x in run[k + 1:] if not x.particle]
        if not t.particle and t.text.lower() in titles and len(rest) >= 2:
            return [run[:k]] + _split_at_titles(run[k + 1:])
    return [run]


@lru_cache(maxsize=1)
def _mid_titles() -> frozenset[str]:
    return frozenset(w.lower() for w in name_word_list("mid_run_titles"))


def _headline_cut(run: list[NameTok], keep: Callable[[str], bool]) -> list[NameTok]:
    """In a Title Case line every word is capitalised: keep only the longest stretch of words
    that are not common English words."""
    best: list[NameTok] = []
    cur: list[NameTok] = []
    for t in run:
        if t.particle or keep(t.text) or zipf(t.text.lower()) < 3.5:
            cur.append(t)
        else:
            best, cur = (cur if len(cur) > len(best) else best), []
    best = cur if len(cur) > len(best) else best
    while best and best[-1].particle:
        best = best[:-1]
    return best


def _is_headline(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    if not words or text.rstrip()[-1:] in ".!?,;":
        return False
    return sum(1 for w in words if w[:1].isupper()) / len(words) >= 0.6


def _content_lines(doc: Document) -> list[Span]:
    lines = doc.lines or [Span(0, len(doc.text))]
    return [ln for ln in lines if not doc.is_noise(ln.start, ln.end)]


def extract(doc: Document, words: NameWords, keep: Callable[[str], bool] = lambda w: False,
            join: Callable[[str], bool] = lambda s: False) -> list[NameMention]:
    """All name mentions in the document's content lines, in text order.

    `keep(word)`: words known to be names (the gazetteer's), never trimmed as common words.
    `join(text)`: whether two mentions around a lower-case connector form one known name
    ("Islamic Resistance" + "in" + "Iraq").
    """
    out: list[NameMention] = []
    text = doc.text
    for ln in _content_lines(doc):
        headline = _is_headline(text[ln.start:ln.end])
        found = []
        for whole in _runs(_raw_tokens(text, ln.start, ln.end)):
            for run in _split_at_titles(whole):
                run = _trim(run, words, text, ln.start, keep, headline)
                if run and any(not t.particle for t in run):
                    found.append(NameMention(doc.id, tuple(run), text[run[0].start:run[-1].end]))
        out.extend(_join_connected(found, text, join))
    return out


@lru_cache(maxsize=1)
def _connector() -> re.Pattern[str]:
    """What may stand between two runs of one name: a connector between single spaces."""
    words = "|".join(re.escape(w) for w in name_word_list("join_connectors"))
    return re.compile(rf" (?:{words}) ")


def _join_connected(found: list[NameMention], text: str, join: Callable[[str], bool]
                    ) -> list[NameMention]:
    out: list[NameMention] = []
    for m in found:
        if out and _connector().fullmatch(text[out[-1].end:m.start]):
            joined = text[out[-1].start:m.end]
            if join(joined):
                out[-1] = NameMention(m.doc_id, out[-1].toks + m.toks, joined)
                continue
        out.append(m)
    return out
