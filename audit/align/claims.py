"""Numeric claims: what each outlet says a number counts, and where the outlets disagree.

A figure becomes a claim when we can tell what it counts (a class from audit/data/claims.yaml:
troops, attacks, injured, ...) — from the noun after it ("2,500 soldiers", "150 drone attacks"
takes the head noun "attacks"), from a person noun re-classed by the nearest class word of its
own phrase ("66 personnel injured" counts injured; "killed 9,000 people and wounded thousands"
counts killed), from a count noun in its clause ("the death toll rose to 5,300", "lowered to
4,000 the number of dead"), from its predicate ("10,000 were still missing"), from "attacked ...
100 times", or, for an elliptical figure, from the figure before it ("2,500 soldiers in Iraq and
900 in Syria"). Its place is the name after a locative preposition, its hedge the words before it
("about", "at least"; "18,000 to 20,000" is a range), its scope "cumulative" (the sentence says
"since", "so far"), "event" (its own clause names the day) or "projection" ("could reach").

Mentions of one unit become one Claim by scored links (`group_mentions`): how alike their
sentences or clauses are, plus the same aligned group, value, place, counted persons; never
across different places, dates or scopes, and never two different figures of one article.

Discrepancy: a stock (troops stationed) must agree within its hedges; a running total (a death
toll, attacks since October) may grow, so only a later article giving a smaller figure, or
counts of one incident within a day of each other that disagree beyond reporting lag,
contradict. Article dates are kept on every mention, so an editor can tell stale from wrong.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from audit.align.dates import compatible, parse_date
from audit.align.features import BatchIndex, Sentence
from audit.align.normalize import Lexicon, Token, phrase_keys
from audit.align.settings import ClaimSettings
from audit.align.stories import UnionFind
from audit.types import Claim, ClaimMention

INF = math.inf


@dataclass
class ClassSpec:
    name: str
    cumulative: bool
    nouns: set[str]                 # single keys
    with_words: set[tuple[str, ...]]  # key sequences ("lost their homes" -> lost, home)
    times_verbs: set[str]
    with_exact: set[tuple[str, ...]] = field(default_factory=set)  # word for word ("on board", "home to")
    before: set[str] = field(default_factory=set)  # nouns standing before the figure ("magnitude 6.3")


@dataclass
class ClaimLexicon:
    classes: dict[str, ClassSpec]
    noun_class: dict[str, str]      # key -> class
    persons: set[str]
    hedges: list[tuple[tuple[str, ...], str]]   # longest first
    cumulative: list[tuple[str, ...]]
    event: list[tuple[str, ...]]
    place_preps: set[str]
    time_words: set[str]
    tolls: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (key sequence, default class or "")
    projection: list[tuple[str, ...]] = field(default_factory=list)         # "could reach", "feared"
    predicate_skip: set[str] = field(default_factory=set)                    # "10,000 were *still* missing"
    modifier_suffixes: tuple[str, ...] = ()                                  # "separ*ate*", "east*ern*"
    place_particles: frozenset[str] = frozenset()                            # "Deir *el*-Zour"
    auxiliaries: frozenset[str] = frozenset()                                # "20 *were* rescued"
    modifier_words: frozenset[str] = frozenset()                             # "eight *strong* aftershocks"


@dataclass
class Mention:
    doc_id: str
    sent: int                       # sentence index in the batch
    tok: Token
    value: float
    counted: str
    places: tuple[str, ...]         # keys
    where: str                      # display
    hedge: str                      # exact | about | at_least | at_most
    scope: str                      # cumulative | event | ""
    who: str = ""                   # person key when a person noun was re-classed
    who_text: str = ""
    noun_at: int = -1               # index of the counted noun token (-1: inherited)
    date: str | None = None
    when: str = ""                  # the event day word ("friday") of an event figure
    ctx: frozenset[str] = frozenset()  # content keys of the figure's clause, its own number left out
    upper: float = 0.0              # the top of a range ("18,000 to 20,000"), hedge "range"
    dates: tuple = ()               # dates.When of the figure's own clause ("on Monday")
    docs: frozenset[str] = frozenset()  # a figure printed alike in several articles (unit_claims.py):
    #   every article it is in; empty: doc_id alone


def mention_docs(m: Mention) -> frozenset[str]:
    return m.docs or frozenset((m.doc_id,))


def one_article(a: Mention, b: Mention) -> bool:
    """No copy of one and copy of the other are in different articles."""
    da, db = mention_docs(a), mention_docs(b)
    return len(da) == 1 and da == db


def load_claim_lexicon(lex: Lexicon, extra_classes: dict | None = None) -> ClaimLexicon:
    return _load(lex, _freeze(extra_classes or {}))


def _freeze(d):
    if isinstance(d, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in d.items()))
    if isinstance(d, list):
        return tuple(_freeze(v) for v in d)
    return d


def _thaw(t):
    if isinstance(t, tuple) and all(isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str) for x in t) and t:
        return {k: _thaw(v) for k, v in t}
    if isinstance(t, tuple):
        return [_thaw(x) for x in t]
    return t


@lru_cache(maxsize=8)
def _load(lex: Lexicon, extra: tuple) -> ClaimLexicon:
    raw = yaml.safe_load(resources.files("audit.data").joinpath("claims.yaml").read_text(encoding="utf-8")) or {}
    classes_raw = dict(raw.get("classes", {}))
    for name, spec in (_thaw(extra) or {}).items():
        classes_raw[name] = {**classes_raw.get(name, {}), **(spec or {})}

    def keys(words) -> set[str]:
        out = set()
        for w in words or []:
            k = phrase_keys(lex, str(w))
            if k:
                out.add(k[-1])      # head noun of a compound ("mortar round" -> round)
        return out

    def seqs(words) -> set[tuple[str, ...]]:
        return {k for k in (phrase_keys(lex, str(w)) for w in words or []) if k}

    def split_with(words) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
        """(key sequences, exact word sequences): a phrase that keeps a single content word once
        its stop words go ("on board" -> board, "home to" -> home) would match that word anywhere
        ("board members"), so it is matched word for word."""
        keyed, exact = set(), set()
        for w in words or []:
            k, ws = phrase_keys(lex, str(w)), tuple(str(w).lower().split())
            if len(k) == 1 and len(ws) > 1:
                exact.add(ws)
            elif k:
                keyed.add(k)
        return keyed, exact

    classes = {}
    noun_class: dict[str, str] = {}
    for name, spec in classes_raw.items():
        keyed, exact = split_with(spec.get("with"))
        c = ClassSpec(name, bool(spec.get("cumulative", False)), keys(spec.get("nouns")),
                      keyed, keys(spec.get("times_verbs")), exact, keys(spec.get("before")))
        classes[name] = c
        for k in sorted(c.nouns):
            noun_class.setdefault(k, name)
    hedges = [(tuple(str(p).lower().split()), kind) for kind, ps in (raw.get("hedges") or {}).items() for p in ps]
    hedges.sort(key=lambda h: -len(h[0]))
    return ClaimLexicon(
        classes, noun_class, keys(raw.get("persons")), hedges,
        [tuple(str(p).lower().split()) for p in raw.get("cumulative_markers", [])],
        [tuple(str(p).lower().split()) for p in raw.get("event_markers", [])],
        {str(p).lower() for p in raw.get("place_prepositions", [])},
        {str(p).lower() for p in raw.get("time_words", [])},
        [(k, str(entry.get("default") or "")) for entry in raw.get("toll_nouns", []) or []
         for k in sorted(seqs(entry.get("words")), key=len, reverse=True)],
        [tuple(str(p).lower().split()) for p in raw.get("projection_markers", [])],
        {str(p).lower() for p in raw.get("predicate_skip", [])},
        tuple(str(p).lower() for p in raw.get("modifier_suffixes", [])),
        frozenset(str(p).lower() for p in raw.get("place_particles", [])),
        frozenset(str(p).lower() for p in raw.get("auxiliaries", [])),
        frozenset(str(p).lower() for p in raw.get("modifier_words", [])))


# --- extraction ---------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[;:()\[\]—–]|,\s")


def extract(index: BatchIndex, sent: Sentence, cl: ClaimLexicon, s: ClaimSettings) -> list[Mention]:
    text = index.by_id[sent.doc_id].text
    toks = sent.tokens
    nums = [i for i, t in enumerate(toks) if t.kind == "num" and _is_count(text, toks, i, cl)]
    lowers = [t.lower for t in toks]
    sent_scope, _ = _scope([w for t in toks for w in t.lower.split()], cl)
    out: list[Mention] = []
    prev: Mention | None = None
    tops = _ranges(text, toks, nums)
    for n, i in enumerate(nums):
        if i in tops.values():
            continue                                   # the top of "18,000 to 20,000"
        clause_end = nums[n + 1] if n + 1 < len(nums) else len(toks)
        if i in tops:
            clause_end = nums[n + 2] if n + 2 < len(nums) else len(toks)
        clause_start = nums[n - 1] + 1 if n else 0
        counted, who, noun_at = _counted(text, toks, i, clause_start, clause_end, cl, s)
        if not counted and prev is not None and _elliptical(toks, i, cl):
            counted, who = prev.counted, prev.who
        if not counted:
            continue
        spec = cl.classes[counted]
        places, where = _places(text, toks, max(noun_at, i) + 1, clause_end, cl,
                                before=(_clause_start(text, toks, i, clause_start), i) if spec.cumulative else None)
        start = _clause_start(text, toks, i, 0)
        projected = any(_has(lowers[start:i], p) for p in cl.projection)
        # a running total when the sentence says so ("Since mid-October, 150 attacks"); a day's
        # figure when its own clause names the day (not when another clause does)
        scope, when = sent_scope, ""
        if scope != "cumulative":
            scope, when = _scope([w for t in _own_tokens(text, toks, i) for w in t.lower.split()], cl)
        hedge = "range" if i in tops else _hedge(lowers, i, cl)
        m = Mention(sent.doc_id, sent.idx, toks[i], float(toks[i].value or 0), counted, places, where,
                    hedge, "projection" if projected else scope, who,
                    (toks[noun_at].surface if noun_at >= 0 else prev.who_text if prev else "") if who else "", noun_at,
                    index.by_id[sent.doc_id].date, when, _context(text, toks, i),
                    float(toks[tops[i]].value or 0) if i in tops else 0.0, _clause_dates(text, toks, i))
        out.append(m)
        prev = m
    return out


def _ranges(text: str, toks: list[Token], nums: list[int]) -> dict[int, int]:
    """{bottom: top} token indices of ranges: "18,000 to 20,000", "18,000-20,000", "between 18,000
    and 20,000"."""
    out = {}
    for a, b in zip(nums, nums[1:]):
        gap = text[toks[a].end:toks[b].start].strip().lower()
        if b == a + 2 and toks[a + 1].lower == "to" or gap in ("-", "–", "to"):
            out[a] = b
        elif b == a + 2 and toks[a + 1].lower == "and" and a and toks[a - 1].lower == "between":
            out[a] = b
    return {a: b for a, b in out.items() if (toks[b].value or 0) > (toks[a].value or 0)}


OPENER = 6   # tokens: a sentence-opening phrase this short dates the main clause ("Late Tuesday, ...")


def _own_tokens(text: str, toks: list[Token], i: int) -> list[Token]:
    """The figure's clause, with a short sentence opener before it ("At 3:30 a.m. Tuesday, the base
    was hit by two rockets")."""
    lo, hi = _clause_start(text, toks, i, 0), _clause_end(text, toks, i, len(toks))
    head = _clause_end(text, toks, 0, len(toks)) if toks else 0
    opener = toks[:head] if 0 < head <= OPENER and head <= lo else []
    return opener + toks[lo:hi]


def _clause_dates(text: str, toks: list[Token], i: int) -> tuple:
    return tuple(t.when for t in _own_tokens(text, toks, i) if t.when is not None)


def _context(text: str, toks: list[Token], i: int) -> frozenset[str]:
    """What the figure's clause says besides the figure: "leaving 66 American personnel injured"
    -> united states, troop, injure. Two figures of one statement share it even when their
    sentences carry other statements too."""
    lo, hi = _clause_start(text, toks, i, 0), _clause_end(text, toks, i, len(toks))
    out = set()
    for t in toks[lo:hi]:
        if t.key and not t.stop and t is not toks[i]:
            out.add(t.key)
            out.update(t.extra)
    return frozenset(out)


def _is_count(text: str, toks: list[Token], i: int, cl: ClaimLexicon) -> bool:
    t = toks[i]
    v = t.value
    if v is None or v <= 0:
        return False
    raw = t.surface
    if re.fullmatch(r"(1[89]|20)\d\d", raw):                      # a year
        return False
    around = text[max(0, t.start - 1):t.start] + text[t.end:t.end + 1]
    if ":" in around or "%" in around or "$" in around or "€" in around or "£" in around:
        return False                                                # time, share, money
    if text[max(0, t.start - 2):t.start].rstrip("-")[-1:].isalpha() and text[t.start - 1:t.start] == "-":
        return False                                                # a model number: AC-130
    if raw.lower() in ("one", "a", "an"):
        return False                                                # mostly a determiner
    if i and toks[i - 1].lower in cl.time_words:                   # Oct. 17
        return False
    if i + 1 < len(toks) and toks[i + 1].lower in cl.time_words:   # 17 October
        return False
    return True


def _counted(text: str, toks: list[Token], i: int, lo: int, hi: int, cl: ClaimLexicon,
             s: ClaimSettings) -> tuple[str, str, int]:
    """(class, who, index of the noun) for the number at i, or ("", "", -1)."""
    pre = _before(toks, i, cl)
    if pre[0]:
        return pre
    lo_c, hi_c = max(lo, _clause_start(text, toks, i, lo)), min(hi, _clause_end(text, toks, i, hi))
    if i + 1 < hi_c and toks[i + 1].lower in cl.auxiliaries:
        return _predicate(toks, i, hi_c, cl)           # "20 were rescued by a ship": the figure is a subject
    part = _partitive(text, toks, i, cl, s)
    if part is not None:
        return part
    found, seen = -1, 0
    for j in range(i + 1, min(hi, i + 1 + s.window)):
        t = toks[j]
        if _BOUNDARY.search(text[toks[j - 1].end:t.start]):
            break
        if t.stop or not t.key:
            if t.lower in cl.place_preps and found < 0:
                break
            continue
        if t.key in cl.noun_class or t.key in cl.persons or t.lower == "times":
            found = j
            # compound nouns: the head is the last of a run ("drone attacks", "attack drones");
            # a person noun is a head already ("personnel injured" counts injured personnel)
            while found + 1 < hi and t.key not in cl.persons and toks[found + 1].key in cl.noun_class \
                    and not toks[found + 1].stop:
                found += 1
            break
        seen += 1
        modifier = (t.capital or t.kind in ("acr", "ent") or t.lower.endswith(cl.modifier_suffixes)
                    or "-" in t.surface or t.lower in cl.modifier_words)
        if seen > 2 or not modifier:        # "2,000 U.S. forces", "three separate strikes"; not "10 days"
            break
    hi_limit = hi
    lo, hi = lo_c, hi_c
    if found < 0:
        return _toll(toks, i, lo, hi, cl) if _toll(toks, i, lo, hi, cl)[0] else _predicate(toks, i, hi, cl)
    key = toks[found].key
    if toks[found].lower == "times":
        for c in cl.classes.values():
            if c.times_verbs & {t.key for t in toks[lo:i] if t.key}:
                return c.name, "", found
        return "", "", -1
    if key in cl.persons:
        cls = _nearest_with(toks, i, lo, _conjunction_after(toks, found, hi), cl) \
            or _apposed_predicate(text, toks, hi, hi_limit, cl)
        if cls:
            return cls, key, found
    if key in cl.noun_class:
        return cl.noun_class[key], "", found
    return "", "", -1


APPOSED = 12   # tokens: how far past its clause a person figure's predicate may stand


def _apposed_predicate(text: str, toks: list[Token], end: int, limit: int, cl: ClaimLexicon) -> str:
    """The class a person figure's predicate gives when an apposition stands between them: "three
    crew members of the Coral Meridian, of Liberian flag, died" (the with-word opens one of the
    next two clauses, before the next figure)."""
    j = end
    for _ in range(2):
        if j >= min(limit, end + APPOSED):
            return ""
        k = j
        while k < limit and (toks[k].stop or toks[k].lower in cl.predicate_skip):
            k += 1
        hits = [h for h in _with_hits(toks, k, min(limit, k + 3), cl) if h[0] == k]
        if hits:
            return hits[0][1]
        j = _clause_end(text, toks, j, limit)
    return ""


def _before(toks: list[Token], i: int, cl: ClaimLexicon) -> tuple[str, str, int]:
    """A class noun standing before the figure: "a magnitude 6.3 earthquake", "of magnitude 6.3"."""
    j = i - 1
    if j >= 0 and toks[j].key:
        for c in cl.classes.values():
            if toks[j].key in c.before:
                return c.name, "", j
    return "", "", -1


def _partitive(text: str, toks: list[Token], i: int, cl: ClaimLexicon, s: ClaimSettings) -> tuple[str, str, int] | None:
    """"rescued 20 of the 23 sailors on board": the first figure counts the second's noun, re-classed
    by the with-word nearest to it (20 rescued, 23 on board). None when the figure is not followed
    by "of" and another figure."""
    if i + 2 >= len(toks) or toks[i + 1].lower not in ("of", "out"):
        return None
    k = i + 2
    while k < len(toks) and k <= i + 4 and toks[k].stop and toks[k].kind != "num":
        k += 1
    if k >= len(toks) or toks[k].kind != "num":
        return None
    nxt = next((n for n in range(k + 1, len(toks)) if toks[n].kind == "num"), len(toks))
    cls, who, noun = _counted(text, toks, k, k, nxt, cl, s)
    if not cls:
        return "", "", -1
    if who:
        lo = _clause_start(text, toks, i, 0)
        near = _nearest_with(toks, i, lo, _conjunction_after(toks, noun, _clause_end(text, toks, k, nxt)), cl)
        return (near or cls), who, noun
    return cls, who, noun


def _conjunction_after(toks: list[Token], j: int, hi: int) -> int:
    """End of the figure's own phrase: the first "and"/"or"/"but" after its noun ("killed more than
    14,000 people | and wounded thousands")."""
    for k in range(j + 1, hi):
        if toks[k].lower in ("and", "or", "but"):
            return k
    return hi


def _with_hits(toks: list[Token], lo: int, hi: int, cl: ClaimLexicon) -> list[tuple[int, str]]:
    """(token index, class) of every `with:` phrase in toks[lo:hi]."""
    ks = [(j, t.key) for j, t in enumerate(toks[lo:hi], lo) if t.key and not t.stop]
    seq = [k for _, k in ks]
    words = [(j, w) for j, t in enumerate(toks[lo:hi], lo) for w in t.lower.split()]
    out = []
    for c in cl.classes.values():
        for w in c.with_words:
            n = len(w)
            for at in range(len(seq) - n + 1):
                if tuple(seq[at:at + n]) == w:
                    out.append((ks[at][0], c.name))
        for w in c.with_exact:
            n = len(w)
            for at in range(len(words) - n + 1):
                if tuple(x for _, x in words[at:at + n]) == w:
                    out.append((words[at][0], c.name))
    return out


def _nearest_with(toks: list[Token], i: int, lo: int, hi: int, cl: ClaimLexicon) -> str:
    """The class whose `with:` word is nearest the figure in its phrase ("56 people killed and 450
    wounded": 56 counts killed)."""
    hits = _with_hits(toks, lo, hi, cl)
    return min(hits, key=lambda h: (abs(h[0] - i), h[0]))[1] if hits else ""


def _predicate(toks: list[Token], i: int, hi: int, cl: ClaimLexicon) -> tuple[str, str, int]:
    """A figure standing for people, its class in the predicate: "about 10,000 were still missing",
    "dozens were killed"."""
    j = i + 1
    while j < hi and j <= i + 4 and (toks[j].stop or toks[j].lower in cl.predicate_skip):
        j += 1
    hits = [h for h in _with_hits(toks, j, min(hi, j + 3), cl) if h[0] == j]
    return (hits[0][1], "", j) if hits else ("", "", -1)


def _contains(seq: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in seq
    return any(tuple(seq[k:k + n]) == phrase for k in range(len(seq) - n + 1))


def _toll(toks: list[Token], i: int, lo: int, hi: int, cl: ClaimLexicon) -> tuple[str, str, int]:
    """A figure named by a count noun in its clause: "the death toll rose above 5,300", "put the
    number of confirmed dead at 5,300", "lowered to 4,000 the number of dead". The class is the
    counted word next to the noun (up to two words away), else the noun's default ("toll")."""
    ks = [(j, t.key) for j, t in enumerate(toks[lo:hi], lo) if t.key and not t.stop and j != i]
    seq = [k for _, k in ks]
    for phrase, default in cl.tolls:
        n = len(phrase)
        for at in range(len(seq) - n + 1):
            if tuple(seq[at:at + n]) != phrase:
                continue
            near = seq[max(0, at - 1):at][::-1] + seq[at + n:at + n + 2]
            cls = next((cl.noun_class[k] for k in near if k in cl.noun_class), "") or default
            if cls in cl.classes:
                return cls, "", ks[at][0]
    return "", "", -1


def _clause_start(text: str, toks: list[Token], i: int, lo: int) -> int:
    """First token of the figure's clause: back from it to a comma, semicolon or bracket."""
    j = i
    while j > lo and not _BOUNDARY.search(text[toks[j - 1].end:toks[j].start]):
        j -= 1
    return j


def _clause_end(text: str, toks: list[Token], i: int, hi: int) -> int:
    j = i + 1
    while j < hi and not _BOUNDARY.search(text[toks[j - 1].end:toks[j].start]):
        j += 1
    return j


def _elliptical(toks: list[Token], i: int, cl: ClaimLexicon) -> bool:
    """'... and 900 in Syria': the number is followed by a place, not a noun."""
    return i + 1 < len(toks) and toks[i + 1].lower in cl.place_preps


def _places(text: str, toks: list[Token], start: int, end: int, cl: ClaimLexicon,
            before: tuple[int, int] | None = None) -> tuple[tuple[str, ...], str]:
    """The figure's place: the first locative group after it ("in Iraq and neighbouring Syria");
    failing that, one earlier in its clause ("forces in Iraq were attacked 100 times ... and
    Syria"), with names coordinated after the figure."""
    found = _place_group(text, toks, start, end, cl)
    if not found and before is not None:
        found = _place_group(text, toks, before[0], before[1], cl)
        for j in range(start, min(end - 1, start + 6)) if found else ():
            if toks[j].lower in ("and", "or") and _is_name(toks[j + 1], cl):
                found.append(_name_run(text, toks, j + 1, end, cl)[:2])
                break
    keys = tuple(sorted({k for k, _ in found}))
    return keys, " and ".join(dict.fromkeys(text[a:b] for _, (a, b) in found))


def _place_group(text, toks, start, end, cl) -> list[tuple[str, tuple[int, int]]]:
    out: list[tuple[str, tuple[int, int]]] = []
    j, armed = start, False
    while j < end:
        t = toks[j]
        if out and _BOUNDARY.search(text[toks[j - 1].end:t.start]) and not t.lower in ("and", "or"):
            break
        if t.lower in cl.place_preps and not out:
            armed = True
        elif t.lower in ("and", "or") and out:
            armed = True
        elif armed and _is_name(t, cl):
            key, span, nxt = _name_run(text, toks, j, end, cl)
            if nxt < end and _is_noun(toks[nxt], cl):      # "in US strikes": a modifier, not a place
                armed, j = False, nxt
                continue
            out.append((key, span))
            armed, j = False, nxt
            continue
        elif armed and (t.stop or t.lower.endswith(cl.modifier_suffixes)):
            pass                                           # "in the", "in eastern", "and neighbouring"
        elif out:
            break
        else:
            armed = False
        j += 1
    return out


def _is_noun(t: Token, cl: ClaimLexicon) -> bool:
    return t.key in cl.noun_class or t.key in cl.persons


def _is_name(t: Token, cl: ClaimLexicon) -> bool:
    """Entity mentions, acronyms and name keys (capitalised words never written in lower case
    in the batch: "Following" in a garbled sentence is not a place)."""
    return (t.kind in ("ent", "acr") or (t.kind == "word" and t.key[:1] in ("~", "@"))) \
        and t.lower not in cl.time_words


def _name_run(text, toks, j, end, cl) -> tuple[str, tuple[int, int], int]:
    """A multi-word place ("Deir el-Zour", "Ain al-Asad"): name tokens and particles with nothing
    but spaces, hyphens or apostrophes between them."""
    ks, first = [], j
    while j < end:
        if j > first and re.search(r"[^\s\-'’]", text[toks[j - 1].end:toks[j].start]):
            break
        t = toks[j]
        if _is_name(t, cl) or (t.lower in cl.place_particles and j + 1 < end and _is_name(toks[j + 1], cl)):
            if j > first and re.search(r"['’]s$", toks[j - 1].surface):
                ks, first = [], j           # "South Sudan's Abyei": the place is the last name
            if t.key:
                ks.append(t.key)
            j += 1
        else:
            break
    return " ".join(ks), (toks[first].start, toks[j - 1].end), j


def _hedge(lowers: list[str], i: int, cl: ClaimLexicon) -> str:
    for words, kind in cl.hedges:
        n = len(words)
        if i - n >= 0 and tuple(lowers[i - n:i]) == words:
            return kind
    return "exact"


def _has(lowers: list[str], phrase: tuple[str, ...]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in lowers
    return f" {' '.join(phrase)} " in f" {' '.join(lowers)} "


def _scope(lowers: list[str], cl: ClaimLexicon) -> tuple[str, str]:
    """("cumulative" | "event" | "", the event's day words)."""
    if any(_has(lowers, p) for p in cl.cumulative):
        return "cumulative", ""
    days = [" ".join(p) for p in cl.event if _has(lowers, p)]
    return ("event", ",".join(sorted(days))) if days else ("", "")


# --- grouping -----------------------------------------------------------------------------------

def group_mentions(mentions: list[Mention], sent_group: dict[int, str], sim, cl: ClaimLexicon,
                   s: ClaimSettings, candidates: list[tuple[int, int]] = (), leads: set[int] | None = None,
                   split: dict | None = None) -> list[list[int]]:
    """Mentions of one unit that state one figure, joined strongest link first.

    Two mentions of one class in different articles are weighed by how alike their sentences are
    (`sim`, a sentences.SentenceSim: the aligner's score, which already sees through
    translation, names, numbers and dates) or, when a sentence carries several statements, their
    clauses, plus evidence that they count the same thing: the same aligned group, the same
    counted persons, the same place, the same value (weighted by how rare the figure is). They never join when their places or their dates differ, and a claim
    never holds two different figures from one article ("56 killed at the hospital" and "14,000
    killed in the war" in one scraped sentence stay apart).
    Candidates: pairs in one aligned group, one (class, value), (class, place) or (class, persons),
    and the sentence pairs the aligner scored; so the cost follows the matches, not all pairs.
    A mention printed in several articles (`docs`, unit_claims.py) is one figure from the start;
    `leads` and `split` then come from every copy (lead_figures, split_places)."""
    by_sent: dict[int, list[int]] = {}
    for k, m in enumerate(mentions):
        by_sent.setdefault(m.sent, []).append(k)
    pairs: set[tuple[int, int]] = set()
    blocks: dict[tuple, list[int]] = {}
    leads = lead_figures(mentions, cl) if leads is None else leads
    for k, m in enumerate(mentions):
        g = sent_group.get(m.sent)
        if g:
            blocks.setdefault(("group", g, m.counted), []).append(k)
        if k in leads:
            blocks.setdefault(("lead", m.counted), []).append(k)
        blocks.setdefault(("value", m.counted, round(m.value, 3)), []).append(k)
        if m.places:
            blocks.setdefault(("place", m.counted, m.places), []).append(k)
        if m.who:
            blocks.setdefault(("who", m.counted, m.who), []).append(k)
    for ks in blocks.values():       # (a figure printed in several articles counts each copy)
        if sum(len(mention_docs(mentions[k])) for k in ks) <= s.max_block:
            pairs.update((a, b) for x, a in enumerate(ks) for b in ks[x + 1:])
    for sa, sb in candidates:
        for a in by_sent.get(sa, ()):
            for b in by_sent.get(sb, ()):
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    split = SplitPlaces(split_places(mentions) if split is None else split)
    edges = []
    for a, b in pairs:
        sc = link_score(mentions[a], mentions[b], sent_group, sim, s, split)
        if sc > 0 and a in leads and b in leads:
            sc += LEAD_BONUS
        if sc >= s.link:
            edges.append((sc, a, b))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    return _join(mentions, edges, s.tolerance)


LEAD_BONUS = 0.1    # added to the link of two articles' first running totals of one class


def lead_figures(mentions: list[Mention], cl: ClaimLexicon) -> set[int]:
    """Each article's first figure of each running-total class (dead, injured, displaced...):
    what its lead reports as the toll. Outlets of one event lead with the toll of their hour in
    their own words ("has climbed to 39", "killed at least 78 people"), so two such figures
    are one claim (their difference a discrepancy or a running total) on weaker sentence
    evidence than two figures from the background."""
    first: dict[tuple[str, str], int] = {}
    for k, m in enumerate(mentions):
        if not cl.classes[m.counted].cumulative or m.scope == "projection":
            continue
        key = (m.doc_id, m.counted)
        j = first.get(key)
        if j is None or (m.sent, m.tok.start) < (mentions[j].sent, mentions[j].tok.start):
            first[key] = k
    return set(first.values())


def split_places(mentions: list[Mention]) -> dict[tuple[str, str], frozenset[str]]:
    """(article, class) -> the places its figures of that class name, for articles whose figures
    of one class name two or more places: those articles split the count by place."""
    seen: dict[tuple[str, str], set[str]] = {}
    for m in mentions:
        for d in mention_docs(m):
            seen.setdefault((d, m.counted), set()).update(m.places)
    return {k: frozenset(v) for k, v in seen.items() if len(v) >= 2}


class SplitPlaces(dict):
    """split_places, asked per mention: the places split apart in any article it is in."""

    def __init__(self, split: dict):
        super().__init__(split)
        self._of: dict[int, frozenset[str]] = {}

    def of(self, m: Mention) -> frozenset[str]:
        if not m.docs:
            return self.get((m.doc_id, m.counted), frozenset())
        got = self._of.get(id(m))
        if got is None:
            got = self._of[id(m)] = frozenset().union(*(self.get((d, m.counted), frozenset()) for d in m.docs))
        return got


def _places_differ(a: Mention, b: Mention, split: dict | None) -> bool:
    """Two figures count different places: both name known places, none shared, and (when
    `split` is given) one of the articles itself counts the other's place apart.

    Outlets name the place of one toll at different grains ("39 dead in Brazil", "78 dead in Rio
    Grande do Sul", "73 dead in Ishikawa" / "the Japanese toll"); only an article that gives a
    figure for each place ("2,500 in Iraq and 900 in Syria") shows the figures are different
    ones. On the real dev fold the unconditional veto kept apart toll pairs of N stories."""
    if not (a.places and b.places) or set(a.places) & set(b.places) or \
            not all(k[:1] == "@" for k in (*a.places, *b.places)):
        return False                                # (a garbled place may be the same place)
    if split is None:
        return True
    if not isinstance(split, SplitPlaces):
        split = SplitPlaces(split)
    return bool(split.of(a) & set(b.places) or split.of(b) & set(a.places))


def link_score(a: Mention, b: Mention, sent_group: dict[int, str], sim, s: ClaimSettings,
               split: dict | None = None) -> float:
    """How sure we are that two mentions state one figure (0 when they cannot)."""
    if a.counted != b.counted or one_article(a, b):
        return 0.0
    if _places_differ(a, b, split):
        return 0.0                                  # troops in Iraq, troops in Syria
    if (a.scope == "projection") != (b.scope == "projection"):
        return 0.0                                  # "could reach 20,000" is not a count
    if {a.scope, b.scope} == {"cumulative", "event"}:
        return 0.0                                  # 150 attacks since October, eleven on Saturday
    if not compatible(a.dates, b.dates):
        return 0.0                                  # killed on Monday, killed on Friday
    dated = "event" in (a.scope, b.scope)           # a day's figure: the sentences' dates count;
    sent = sim(a.sent, b.sent) if dated else sim.plain(a.sent, b.sent)   # a running total may be
    base = max(sent, sim.clause(a.sent, b.sent, a.ctx, b.ctx, dated))   # restated on another day
    if base <= 0:
        return 0.0
    ga, gb = sent_group.get(a.sent), sent_group.get(b.sent)
    bonus = s.group_bonus if ga and ga == gb else 0.0
    if _same_value(a, b, s.tolerance):
        bonus += s.value_bonus * sim.value_weight(max(a.value, b.value))
    if a.places and a.places == b.places:
        bonus += s.place_bonus
    if a.who and a.who == b.who:
        bonus += s.who_bonus
    return base + bonus


def _join(mentions: list[Mention], edges: list[tuple[float, int, int]], tol: float) -> list[list[int]]:
    """Union along the edges, refusing a join that would give one article two different figures
    (a headline's rounded "11,000" and the body's "11,300" are one figure; "56" and "14,000" are
    not)."""
    uf = UnionFind(range(len(mentions)))
    values: dict[int, dict[str, list[float]]] = {k: {d: [mentions[k].value] for d in mention_docs(mentions[k])}
                                                 for k in range(len(mentions))}
    for _, a, b in edges:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        va, vb = values[ra], values[rb]
        small, big = (va, vb) if len(va) <= len(vb) else (vb, va)
        if any(not _close(x, y, tol) for d, xs in small.items() for x in xs for y in big.get(d, ())):
            continue
        uf.union(ra, rb)
        merged = {d: list(xs) for d, xs in va.items()}
        for d, ys in vb.items():
            merged.setdefault(d, []).extend(ys)
        values[uf.find(ra)] = merged
    return [g for g in uf.groups() if len({d for k in g for d in mention_docs(mentions[k])}) >= 2]


# --- discrepancy --------------------------------------------------------------------------------

def interval(m: Mention, tol: float) -> tuple[float, float]:
    v = m.value
    if m.hedge == "range":
        return v, max(v, m.upper)
    return {"exact": (v, v), "about": (v * (1 - tol), v * (1 + tol)), "at_least": (v, INF),
            "at_most": (v * (1 - tol), v)}[m.hedge]


def count_interval(m: Mention, tol: float) -> tuple[float, float]:
    """A running total's "at least 56" is the count reported so far (the hedge says the final
    toll may be higher), so it is compared as 56; "about 56" too: the reporting-lag tolerance
    is its slack. Only a range keeps its width."""
    return interval(m, tol) if m.hedge == "range" else (m.value, m.value)


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def _same_value(a: Mention, b: Mention, tol: float) -> bool:
    """The same figure: equal within tolerance, or one inside the other's range ("18,000 to
    20,000" holds 20,000). A hedge ("at least 3") does not make every larger figure the same."""
    if a.hedge == "range" or b.hedge == "range":
        ia, ib = interval(a, tol), interval(b, tol)
        return not _disjoint(ia, ib)
    return _close(a.value, b.value, tol)


def _close(x: float, y: float, tol: float) -> bool:
    return abs(x - y) <= tol * max(x, y)


def _apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two intervals (0 when they overlap)."""
    return max(0.0, b[0] - a[1], a[0] - b[1])


def discrepancy(ms: list[Mention], cumulative: bool, s: ClaimSettings) -> tuple[bool, str]:
    """(flag, why). Only pairs from different articles are compared.

    A stock (troops stationed) must agree within its hedges. A running total (a death toll, attacks
    since October) may grow with time, so a larger figure in a later article is not a
    contradiction; but two outlets reporting the count of one incident within `same_day` days
    must agree within reporting lag, and a later article must not give a smaller figure."""
    if all(m.scope == "projection" for m in ms):
        return False, "projections (what a figure could reach) are estimates, not counts"
    # mentions alike in value, hedge and date are compared once (a figure printed by hundreds of
    # outlets): two of them never disagree, and a pair is compared when its two kinds of figure
    # stand in different articles
    uniq: dict[tuple, tuple[Mention, set[str]]] = {}
    for m in ms:
        k = (m.value, m.hedge, m.upper, m.date)
        if k in uniq:
            uniq[k][1].add(m.doc_id)
        else:
            uniq[k] = (m, {m.doc_id})
    kinds = list(uniq.values())
    for x in range(len(kinds)):
        for y in range(x + 1, len(kinds)):
            (a, docs_a), (b, docs_b) = kinds[x], kinds[y]
            if len(docs_a) == 1 and docs_a == docs_b:
                continue
            if not cumulative:
                if _disjoint(interval(a, s.tolerance), interval(b, s.tolerance)):
                    return True, "a stock figure that should agree differs beyond its hedges"
                continue
            da, db = parse_date(a.date), parse_date(b.date)
            if da is None or db is None:
                continue
            ia, ib = count_interval(a, s.tolerance), count_interval(b, s.tolerance)
            lag = s.cumulative_tolerance
            if abs((da - db).days) <= s.same_day:
                if _apart(ia, ib) > lag * max(ia[0], ib[0]):
                    return True, (f"counts of one incident reported within {s.same_day} day(s) of each other "
                                  "disagree beyond reporting lag")
                continue
            (early, _), (late, _) = sorted([(ia, da), (ib, db)], key=lambda p: p[1])
            if late[1] < early[0] * (1 - lag):
                return True, "a later article gives a smaller running total"
    if cumulative:
        return False, "a running total: figures that grow with the article date are consistent"
    return False, "figures agree within their hedges"


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def about_text(ms: list[Mention], flag: bool, why: str, cumulative: bool) -> str:
    m0 = ms[0]
    where = next((m.where for m in ms if m.where), "")
    who = next((m.who_text for m in ms if m.who_text), "")
    if who.lower() == m0.counted:
        who = ""                                     # "passengers", not "passengers (passengers)"
    head = m0.counted + (f" ({who})" if who else "") + (f" in {where}" if where else "")
    vals = sorted({m.value for m in ms})
    dates = sorted({(m.date or "")[:10] for m in ms if m.date})
    span = f"{_fmt(vals[0])}" if len(vals) == 1 else f"{_fmt(vals[0])}–{_fmt(vals[-1])}"
    kind = "running total" if cumulative else "stock figure"
    when = f"; article dates {dates[0]}..{dates[-1]}" if len(dates) > 1 else ("; one dated article" if dates else "; dates unknown")
    return f"{head}: {span} ({kind}){when}. " + ("Discrepancy: " if flag else "") + why + "."


def make_claims(mentions: list[Mention], groups: list[list[int]], cl: ClaimLexicon, s: ClaimSettings,
                group_of_sent: dict[int, str]) -> list[Claim]:
    """Claims with their discrepancy verdicts (story ids are set by the caller)."""
    out = []
    for g in groups:
        ms = sorted((mentions[k] for k in g), key=lambda m: (m.doc_id, m.tok.start))
        spec = cl.classes.get(ms[0].counted)
        cumulative = bool(spec and spec.cumulative)
        flag, why = discrepancy(ms, cumulative, s)
        cms = [ClaimMention(m.doc_id, m.tok.start, m.tok.end, m.value, m.tok.surface, m.counted, m.where, m.date)
               for m in ms]
        gids = {group_of_sent.get(m.sent) for m in ms}
        gid = gids.pop() if len(gids) == 1 else None
        cid = "claim-" + hashlib.sha1("|".join(f"{m.doc_id}:{m.tok.start}" for m in ms).encode()).hexdigest()[:10]
        out.append(Claim(cid, "", about_text(ms, flag, why, cumulative), cms,
                         group_id=gid, discrepancy=flag))
    return sorted(out, key=lambda c: (c.mentions[0].doc_id, c.mentions[0].start))
