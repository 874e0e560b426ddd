"""Sentence normalisation for cross-outlet matching.

Two outlets rarely say a thing in the same words: names are spelled differently ("Qateb" /
"Kataib"), numbers are written differently ("2,500" / "2500" / "2.500" / "two thousand five
hundred"), words are inflected or swapped for synonyms ("soldiers" / "troops"). Each token gets a
*key* that is equal whenever an editor would say the words are the same:

- entity mentions from the name detector become one token per entity group ("@<group id>");
- numbers become "#<value>";
- paraphrase phrases from audit/data/synonyms.yaml become "=<group key>";
- names (capitalised words never seen in lower case in the batch) become a phonetic key
  ("~KTB") from anyascii folding + metaphone, so alignment works before, or without, the name
  detector;
- other words become a stem (hand-written suffix stripping: no stemmer ships with the stack, and
  matching only needs inflections folded together, not linguistically correct stems).

Stop words and punctuation are kept in the token list (claims need "at least", "in") but are
marked `stop` and never used as anchors.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import jellyfish
import yaml
from anyascii import anyascii

from audit.align.dates import DateLexicon, find_dates, load_dates, parse_date
from audit.types import Document, EntityGroup, Span

# digits with thousands separators (comma, dot, thin/no-break space) or a decimal part
_NUM = r"\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+(?!\d)|(?:[\u00a0\u202f]\d{3})+)(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(
    r"(?P<acr>(?:[A-Za-z]\.){2,})"                       # U.S., a.m.
    r"|(?P<dec>(?:1[89]|20)\d0s|['’]\d0s)(?![\w])"        # 1970s, '70s
    r"|(?P<time>\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?|\d{1,2}\s?[AaPp]\.[Mm]\.)"  # 3:30 a.m., 10 p.m.
    rf"|(?P<num>(?:{_NUM}))(?P<ord>st|nd|rd|th)?(?![\w])"  # 2,500  35th
    r"|(?P<word>[^\W\d_]+(?:['’ʼ][^\W\d_]+)*)",          # Kata'ib, Iran’s
    re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")       # factionsWhose -> factions Whose
_APOS = re.compile(r"['’ʼʾʿ`]")
COMMON_ZIPF = 3.0   # wordfreq Zipf frequency of a common English word (about once per 10^6 words)


@dataclass(slots=True)
class Token:
    start: int                 # offsets into the document text
    end: int
    surface: str
    kind: str                  # word | num | acr | ent | ord
    key: str                   # normalised key; "" for stop words
    lower: str = ""
    value: float | None = None  # numbers
    stop: bool = False
    capital: bool = False
    anchor: bool = False         # a paraphrase of a name ("Iran-backed", "U.S."): pins an event like a name
    extra: tuple[str, ...] = ()  # more keys (a date's coarser grains: "%2023-11", "%2023")
    when: Any = None             # dates.When of a date token


@dataclass(eq=False)
class Lexicon:
    """Everything normalisation knows, loaded from synonyms.yaml (+ config extras)."""
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    units: dict[str, float]
    multipliers: dict[str, float]
    weak_numbers: frozenset[str]
    time_words: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()      # keys of event words ("=strik", "flood")
    habitual: frozenset[str] = frozenset()    # keys of words marking background ("long", "often")
    frame: frozenset[str] = frozenset()       # keys of attribution and title words ("=say", "official")
    light: frozenset[str] = frozenset()       # keys of light verbs ("conduct", "carri")
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)  # key sequence -> group key
    first: dict[str, int] = field(default_factory=dict)               # first key -> longest phrase

    def add_group(self, words: list[str]) -> None:
        """Register a paraphrase group; the first entry names it."""
        if not words:
            return
        key = "=" + "_".join(_phrase_keys(str(words[0]), self.stopwords, keep_case=False))
        for w in words:
            seq = tuple(_phrase_keys(str(w), self.stopwords, keep_case=True))
            if seq:
                self.phrases[seq] = key
                self.first[seq[0]] = max(self.first.get(seq[0], 0), len(seq))


def _phrase_keys(text: str, stop: frozenset[str], keep_case: bool) -> list[str]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group("acr") or (keep_case and m.group("word") and _is_acronym(m.group("word"))):
            out.append(_acr_key(m.group()))
        elif m.group("word"):
            out.append(stem(_strip_possessive(m.group().lower())))
        else:
            out.append(m.group().lower())
    return out


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and len(word) <= 5


def _acr_key(text: str) -> str:
    return text.replace(".", "").upper()


def _strip_possessive(w: str) -> str:
    return re.sub(r"['’ʼ]s$", "", w)


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    """Fold inflections together: attacks/attacked/attacking -> attack, injuries/injury -> injuri.

    Hand-written suffix stripping (see module docstring); short words are left alone so that
    stop words and acronyms keep their identity.
    """
    if len(w) <= 3 or not w.isalpha():
        return w
    for suf, rep in (("ies", "i"), ("ied", "i"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"),
                     ("shes", "sh"), ("ings", ""), ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""),
                     ("s", "")):
        if w.endswith(suf) and not (suf == "s" and w[-2:] in ("ss", "us", "is")):
            base = w[: len(w) - len(suf)] + rep
            if len(base) >= 3 and re.search(r"[aeiouy]", base):
                w = base
                break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
        w = w[:-1]                      # stopped -> stop, planned -> plan
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


@lru_cache(maxsize=100_000)
def name_key(word: str) -> str:
    """Phonetic key of a name: folding + metaphone (Qateb/Kataib/Kata'ib -> KTB)."""
    folded = _APOS.sub("", anyascii(word)).lower()
    folded = re.sub(r"[^a-z]", "", folded)
    if not folded:
        return "~" + word.lower()
    return "~" + (jellyfish.metaphone(folded) or folded)


@lru_cache(maxsize=100_000)
def _common(word: str) -> bool:
    from wordfreq import zipf_frequency
    return zipf_frequency(word, "en") >= COMMON_ZIPF


def _data(name: str) -> dict:
    return yaml.safe_load(resources.files("audit.data").joinpath(name).read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=8)
def _load_lexicon(extra: tuple[tuple[str, ...], ...] = ()) -> Lexicon:
    raw = _data("synonyms.yaml")
    nums = raw.get("numbers", {})
    lex = Lexicon(
        stopwords=frozenset(str(w).lower() for w in raw.get("stopwords", [])),
        abbreviations=frozenset(str(w).lower() for w in raw.get("abbreviations", [])),
        units={str(k): float(v) for k, v in nums.get("units", {}).items()},
        multipliers={str(k): float(v) for k, v in nums.get("multipliers", {}).items()},
        weak_numbers=frozenset(str(w) for w in nums.get("weak", [])),
        time_words=frozenset(str(w).lower() for w in raw.get("time_words", [])),
    )
    for group in list(raw.get("groups", [])) + [list(g) for g in extra]:
        lex.add_group([str(w) for w in group])
    lex.events, lex.habitual, lex.frame, lex.light = (
        _word_keys(lex, raw.get(name) or []) for name in ("events", "habitual", "frame", "light"))
    return lex


def _word_keys(lex: Lexicon, words: Iterable[Any]) -> frozenset[str]:
    """Keys of a data list's words as the same words are keyed in an article (after the
    paraphrase groups are known: "shell" keys as the strike group). An entry must key as one
    token (a word, or a phrase of a paraphrase group), or it would list its parts."""
    keys = (phrase_keys(lex, str(w)) for w in words)
    return frozenset(k[0] for k in keys if len(k) == 1)


def load_lexicon(extra_synonyms: Iterable[Iterable[str]] = ()) -> Lexicon:
    return _load_lexicon(tuple(tuple(str(w) for w in g) for g in extra_synonyms))


def parse_number(text: str) -> float:
    """'2,500' / '2.500' / '2 500' / '2500' / '2.5' -> float. A dot or comma followed by exactly
    three digits is a thousands separator (news copy translated from French/Spanish writes 2.500)."""
    t = text.replace("\u00a0", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        return float(t.replace(".", "").replace(",", "."))
    return float(t.replace(",", "."))


class Normalizer:
    """Turns sentences of one batch into token keys. Built once per batch: it needs the batch's
    lower-case vocabulary (to tell names from common words) and the entity mention spans."""

    def __init__(self, docs: list[Document], entities: list[EntityGroup], lexicon: Lexicon):
        self.lex = lexicon
        self.lower_vocab: set[str] = set()
        self.inner_caps: set[str] = set()       # capitalised inside a sentence somewhere: names
        for d in docs:
            self.lower_vocab.update(w.lower() for w in re.findall(r"(?<![\w'’])[a-z][a-z'’]+", d.text))
            self.inner_caps.update(w.lower() for w in re.findall(r"(?<=[a-z,;] )[A-Z][a-z'’]+", d.text))
        self._first = -1
        self._refs: dict[str, object] = {}
        self._words: dict[str, tuple] = {}      # surface -> (kind, key, lower, stop, capital)
        self._seen: dict[tuple, tuple[int, list[Token]]] = {}   # see tokens()
        self.dates: DateLexicon = load_dates()
        self.mentions: dict[str, list[tuple[int, int, str]]] = {}
        for g in entities:
            key = self._entity_key(g)
            for m in g.mentions:
                self.mentions.setdefault(m.doc_id, []).append((m.start, m.end, key))
        for lst in self.mentions.values():
            lst.sort()

    def _entity_key(self, g: EntityGroup) -> str:
        """'@<group id>', or the paraphrase key when a spelling of the entity is a synonyms.yaml
        phrase ("US", "American" -> united states), so the entity keys like the words it
        replaces wherever the name detector did not see a mention ("U.S.")."""
        for text in dict.fromkeys([g.canonical, *(m.text for m in g.mentions)]):
            ks = phrase_keys(self.lex, text) if text else ()
            if len(ks) == 1 and ks[0].startswith("="):
                return ks[0]
        return "@" + g.id

    # --- sentences -------------------------------------------------------------------------

    def units(self, doc: Document) -> list[Span]:
        """Content sentences, re-joined where a naive splitter cut after an abbreviation."""
        out: list[Span] = []
        for s in doc.content_sentences():
            if out and self._cut_too_early(doc.text, out[-1], s):
                out[-1] = Span(out[-1].start, s.end)
            else:
                out.append(s)
        return out

    def _cut_too_early(self, text: str, prev: Span, nxt: Span) -> bool:
        if "\n" in text[prev.end:nxt.start]:
            return False
        head = text[prev.start:prev.end].rstrip()
        if not head.endswith("."):
            return False
        following = text[nxt.start:nxt.end].lstrip()
        if following[:1].islower():
            return True
        last = re.search(r"(\w+)\.$", head)
        if not last:
            return False
        word = last.group(1)
        return len(word) == 1 or word.lower() in self.lex.abbreviations

    # --- tokens ----------------------------------------------------------------------------

    def tokens(self, doc: Document, span: Span) -> list[Token]:
        """All tokens of [span) with keys; entity mentions become one token each.

        They are a function of the sentence's text, its entity mentions (relative to it) and its
        article's date: a sentence printed again (a story reprinted by hundreds of outlets) takes
        its first copy's tokens, moved to its own offsets. On bench_run's giant batch (22,401
        sentences, 228 distinct texts) tokenising was half of the alignment stage's time."""
        ms = self._mentions_in(doc.id, span)
        key = (doc.text[span.start:span.end], tuple((a - span.start, b - span.start, k) for a, b, k in ms),
               self._ref(doc))
        seen = self._seen.get(key)
        if seen is not None:
            at, toks = seen
            d = span.start - at
            return [Token(t.start + d, t.end + d, t.surface, t.kind, t.key, t.lower, t.value, t.stop,
                          t.capital, t.anchor, t.extra, t.when) for t in toks]
        toks = self._tokens(doc, span)
        self._seen[key] = (span.start, toks)
        return toks

    def _tokens(self, doc: Document, span: Span) -> list[Token]:
        raw = self._raw_tokens(doc, span)
        raw = self._numbers(raw)
        raw = self._dates(raw, self._ref(doc))
        self._first = raw[0].start if raw else -1
        return self._phrases(raw)

    def _ref(self, doc: Document):
        if doc.id not in self._refs:
            self._refs[doc.id] = parse_date(doc.date)
        return self._refs[doc.id]

    def _dates(self, toks: list[Token], ref) -> list[Token]:
        """Date expressions become one token whose keys are the resolved date at each grain."""
        found = find_dates(toks, ref, self.dates)
        if not found:
            return toks
        out, pos = [], 0
        for i, j, when in found:
            out += toks[pos:i]
            keys = when.keys()
            part = toks[i:j]
            out.append(Token(part[0].start, part[-1].end, " ".join(t.surface for t in part), "date",
                             keys[0] if keys else "", lower=" ".join(t.lower for t in part),
                             capital=part[0].capital, extra=keys[1:], when=when))
            pos = j
        return out + toks[pos:]

    def _raw_tokens(self, doc: Document, span: Span) -> list[Token]:
        out: list[Token] = []
        pos = span.start
        for ms, me, key in self._mentions_in(doc.id, span):
            out += self._lex_tokens(doc.text, pos, ms)
            out.append(Token(ms, me, doc.text[ms:me], "ent", key, lower=key, capital=True))
            pos = me
        out += self._lex_tokens(doc.text, pos, span.end)
        return out

    def _mentions_in(self, doc_id: str, span: Span) -> list[tuple[int, int, str]]:
        lst = self.mentions.get(doc_id)
        if not lst:
            return []
        out, last = [], span.start
        for ms, me, key in lst[bisect_left(lst, (span.start, -1, "")):]:
            if ms >= span.end:
                break
            if me <= span.end and ms >= last:
                out.append((ms, me, key))
                last = me
        return out

    def _lex_tokens(self, text: str, start: int, end: int) -> list[Token]:
        out: list[Token] = []
        for m in _TOKEN.finditer(text, start, end):
            if m.group("acr"):
                out.append(Token(m.start(), m.end(), m.group(), "acr", _acr_key(m.group()),
                                 lower=m.group().lower().replace(".", ""), capital=True))
            elif m.group("time"):
                # a time of day: outlets in other time zones write it differently; never content
                out.append(Token(m.start(), m.end(), m.group(), "time", "", lower=m.group().lower(), stop=True))
            elif m.group("dec"):
                digits = m.group("dec").strip("'’s")
                year = int(digits) if len(digits) == 4 else 1900 + int(digits)
                out.append(Token(m.start(), m.end(), m.group(), "dec", f"%{year}s", value=year,
                                 lower=m.group().lower()))
            elif m.group("num"):
                if m.group("ord"):
                    out.append(Token(m.start(), m.end(), m.group(), "ord", m.group().lower(),
                                     lower=m.group().lower()))
                else:
                    v = parse_number(m.group("num"))
                    out.append(Token(m.start(), m.end(), m.group(), "num", _num_key(v), value=v,
                                     lower=m.group()))
            else:
                out += self._word_tokens(m.group(), m.start())
        return out

    def _word_tokens(self, word: str, at: int) -> list[Token]:
        out = []
        pieces = _CAMEL.split(word) if _CAMEL.search(word) else [word]
        off = at
        for p in pieces:
            out.append(self._word(p, off))
            off += len(p)
        return out

    def _word(self, w: str, at: int) -> Token:
        known = self._words.get(w)
        if known is None:
            if _is_acronym(w):
                known = ("acr", w, w.lower(), False, True)
            else:
                low = _strip_possessive(w.lower())
                stop = low in self.lex.stopwords
                known = ("word", "" if stop else stem(low), low, stop, w[:1].isupper())
            self._words[w] = known
        kind, key, low, stop, cap = known
        return Token(at, at + len(w), w, kind, key, low, None, stop, cap)

    def _numbers(self, toks: list[Token]) -> list[Token]:
        """Fold runs of number words ("five dozen", "two hundred and fifty", "a dozen") and
        digits with a multiplier ("2.5 million") into number tokens."""
        lex, out, i, n = self.lex, [], 0, len(toks)
        while i < n:
            j, total, current = i, 0.0, 0.0
            while j < n and toks[j].kind == "word":
                w = toks[j].lower
                nxt = toks[j + 1].lower if j + 1 < n and toks[j + 1].kind == "word" else ""
                if w in lex.units and (w not in lex.weak_numbers or nxt in lex.multipliers):
                    current += lex.units[w]
                elif w in lex.multipliers and j > i:
                    m = lex.multipliers[w]
                    if m >= 1000:
                        total, current = total + (current or 1) * m, 0.0
                    else:
                        current = (current or 1) * m
                elif w == "and" and j > i and toks[j - 1].lower == "hundred" and nxt in lex.units:
                    pass
                else:
                    break
                j += 1
            if j > i:
                out.append(_num_token(toks[i:j], total + current))
                i = j
            elif toks[i].kind == "num" and i + 1 < n and toks[i + 1].lower in lex.multipliers:
                out.append(_num_token(toks[i:i + 2], (toks[i].value or 0) * lex.multipliers[toks[i + 1].lower]))
                i += 2
            else:
                out.append(toks[i])
                i += 1
        return out

    def _phrases(self, toks: list[Token]) -> list[Token]:
        """Replace paraphrase phrases by their group key, longest match first; then key names."""
        lex, out, i = self.lex, [], 0
        seq = [_phrase_seq(t) for t in toks]
        while i < len(toks):
            n = lex.first.get(seq[i], 0)
            hit = None
            for k in range(min(n, len(toks) - i), 0, -1):
                g = lex.phrases.get(tuple(seq[i:i + k]))
                if g and toks[i].kind not in ("num", "date") and not (k == 1 and toks[i].kind == "ent"):
                    hit = (k, g)
                    break
            if hit:
                k, g = hit
                a, b = toks[i], toks[i + k - 1]
                part = toks[i:i + k]
                named = any(t.kind in ("ent", "acr") or t.key[:1] in ("~", "@") for t in part)
                out.append(Token(a.start, b.end, " ".join(t.surface for t in part), "word", g,
                                 lower=" ".join(t.lower for t in part), capital=a.capital, anchor=named))
                i += k
                continue
            out.append(self._name(toks[i]))
            i += 1
        return out

    def _name(self, t: Token) -> Token:
        """A capitalised word is a name unless the batch also writes it in lower case, or it only
        ever opens a sentence and is a common English word ("Witnesses said ...")."""
        if t.kind == "word" and t.capital and not t.stop and t.lower not in self.lower_vocab \
                and t.lower not in self.lex.time_words:
            if not (t.start == self._first and t.lower not in self.inner_caps and _common(t.lower)):
                t.key = name_key(t.lower)
        return t


def phrase_keys(lexicon: Lexicon, text: str) -> tuple[str, ...]:
    """Content keys of a short lower-case phrase from a data file ("service member", "drones"),
    exactly as the same words would be keyed in an article."""
    norm = _phrase_normalizer(lexicon)
    toks = norm._phrases(norm._numbers(norm._lex_tokens(text, 0, len(text))))
    return tuple(content_keys(toks))


@lru_cache(maxsize=8)
def _phrase_normalizer(lexicon: Lexicon) -> "Normalizer":
    return Normalizer([], [], lexicon)


def _num_token(toks: list[Token], v: float) -> Token:
    return Token(toks[0].start, toks[-1].end, " ".join(t.surface for t in toks), "num", _num_key(v),
                 value=v, lower=_num_key(v)[1:])


def _phrase_seq(t: Token) -> str:
    """What a token is matched as inside paraphrase phrases. A one-word entity mention still takes
    part in phrases ("Iranian-backed" -> pro-Iran); alone it keeps its entity key."""
    if t.kind == "ent":
        words = t.surface.split()
        return stem(_strip_possessive(words[0].lower())) if len(words) == 1 else t.key
    if t.kind in ("acr", "num", "ord", "date", "dec", "time"):
        return t.key
    return stem(t.lower)


def _num_key(v: float) -> str:
    return "#" + (str(int(v)) if float(v).is_integer() else f"{v:g}")


def content_keys(tokens: list[Token]) -> list[str]:
    """The keys that carry meaning: no stop words, no punctuation, no bare ordinals."""
    out = []
    for t in tokens:
        if t.key and not t.stop:
            out.append(t.key)
            if t.extra:
                out += t.extra
    return out
