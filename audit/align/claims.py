"""Numeric claims: what each outlet says a number counts, and where the outlets disagree.

A figure becomes a claim when we can tell what it counts (a class from audit/data/claims.yaml:
troops, attacks, injured, ...) — from the noun after it ("2,500 soldiers", "150 drone attacks"
takes the head noun "attacks"), from a person noun re-classed by its clause ("66 personnel
injured" counts injured), from "attacked ... 100 times", or, for an elliptical figure, from the
figure before it in the same sentence ("2,500 soldiers in Iraq and 900 in Syria"). Its place is
the name after a locative preposition, its hedge the words before it ("about", "at least"),
its scope "cumulative" or "event" from the clause's time words.

Mentions become one Claim when they sit in one aligned sentence group with the same class and
place, or, across a story or topic, when class, place, scope and counted persons all agree
(and the place or persons are known: "84 people killed" and "1,200 killed" are not joined on
class alone).

Discrepancy: a stock (troops stationed) must agree within its hedges; a running total
(attacks since October) may grow, so only a later article giving a smaller figure, or same-day
figures that disagree beyond reporting lag, contradict. Article dates are kept on every mention.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from audit.align.features import BatchIndex, Sentence, parse_date
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
    with_words: set[str]
    times_verbs: set[str]


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

    classes = {}
    noun_class: dict[str, str] = {}
    for name, spec in classes_raw.items():
        c = ClassSpec(name, bool(spec.get("cumulative", False)), keys(spec.get("nouns")),
                      keys(spec.get("with")), keys(spec.get("times_verbs")))
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
        {str(p).lower() for p in raw.get("time_words", [])})


# --- extraction ---------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[;:()\[\]—–]|,\s")


def extract(index: BatchIndex, sent: Sentence, cl: ClaimLexicon, s: ClaimSettings) -> list[Mention]:
    text = index.by_id[sent.doc_id].text
    toks = sent.tokens
    nums = [i for i, t in enumerate(toks) if t.kind == "num" and _is_count(text, toks, i, cl)]
    lowers = [t.lower for t in toks]
    scope, when = _scope([w for t in toks for w in t.lower.split()], cl)
    out: list[Mention] = []
    prev: Mention | None = None
    for n, i in enumerate(nums):
        clause_end = nums[n + 1] if n + 1 < len(nums) else len(toks)
        clause_start = nums[n - 1] + 1 if n else 0
        counted, who, noun_at = _counted(text, toks, i, clause_start, clause_end, cl, s)
        if not counted and prev is not None and _elliptical(toks, i, cl):
            counted, who = prev.counted, prev.who
        if not counted:
            continue
        spec = cl.classes[counted]
        places, where = _places(text, toks, (noun_at if noun_at >= 0 else i) + 1, clause_end, cl,
                                before=(_clause_start(text, toks, i, clause_start), i) if spec.cumulative else None)
        m = Mention(sent.doc_id, sent.idx, toks[i], float(toks[i].value or 0), counted, places, where,
                    _hedge(lowers, i, cl), scope, who,
                    (toks[noun_at].surface if noun_at >= 0 else prev.who_text if prev else "") if who else "", noun_at,
                    index.by_id[sent.doc_id].date, when)
        out.append(m)
        prev = m
    return out


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
        modifier = t.capital or t.kind in ("acr", "ent") or t.lower.endswith(_ADJ) or "-" in t.surface
        if seen > 2 or not modifier:        # "2,000 U.S. forces", "three separate strikes"; not "10 days"
            break
    if found < 0:
        return "", "", -1
    key = toks[found].key
    lo, hi = max(lo, _clause_start(text, toks, i, lo)), min(hi, _clause_end(text, toks, i, hi))
    clause = {t.key for t in toks[lo:hi] if t.key}
    if toks[found].lower == "times":
        for c in cl.classes.values():
            if c.times_verbs & {t.key for t in toks[lo:i] if t.key}:
                return c.name, "", found
        return "", "", -1
    for c in cl.classes.values():
        if c.with_words and key in cl.persons and c.with_words & clause:
            return c.name, key, found
    if key in cl.noun_class:
        return cl.noun_class[key], "", found
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


_ADJ = ("ing", "ern", "ed", "ian", "al", "ic", "ive", "ous", "ary", "ate", "ful", "less", "ish", "ese")
_PARTICLES = ("al", "el", "ad", "as", "ar", "de", "la", "le", "bin", "ibn", "abu")


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
        elif armed and (t.stop or t.lower.endswith(_ADJ)):
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
        if _is_name(t, cl) or (t.lower in _PARTICLES and j + 1 < end and _is_name(toks[j + 1], cl)):
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
    n = len(phrase)
    return any(tuple(lowers[k:k + n]) == phrase for k in range(len(lowers) - n + 1))


def _scope(lowers: list[str], cl: ClaimLexicon) -> tuple[str, str]:
    """("cumulative" | "event" | "", the event's day words)."""
    if any(_has(lowers, p) for p in cl.cumulative):
        return "cumulative", ""
    days = [" ".join(p) for p in cl.event if _has(lowers, p)]
    return ("event", ",".join(sorted(days))) if days else ("", "")


# --- grouping -----------------------------------------------------------------------------------

def group_mentions(mentions: list[Mention], sent_group: dict[int, str], unit_of: dict[str, str],
                   cl: ClaimLexicon) -> list[list[int]]:
    """Union-find over mentions: same aligned group (class and place agree), or same topic key."""
    uf = UnionFind(range(len(mentions)))
    by_group: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        g = sent_group.get(m.sent)
        if g:
            by_group.setdefault(g, []).append(k)
    for ks in by_group.values():
        for x in range(len(ks)):
            for y in range(x + 1, len(ks)):
                a, b = mentions[ks[x]], mentions[ks[y]]
                if a.doc_id != b.doc_id and a.counted == b.counted and a.when == b.when and \
                        (a.places == b.places or not a.places or not b.places):
                    uf.union(ks[x], ks[y])
    by_key: dict[tuple, list[int]] = {}
    for k, m in enumerate(mentions):
        if m.scope == "event" or not (m.places or m.who):
            continue
        key = (unit_of.get(m.doc_id, ""), m.counted, m.places, m.who)
        by_key.setdefault(key, []).append(k)
    for ks in by_key.values():
        for k in ks[1:]:
            uf.union(ks[0], k)
    return [g for g in uf.groups() if len({mentions[k].doc_id for k in g}) >= 2]


# --- discrepancy --------------------------------------------------------------------------------

def interval(m: Mention, tol: float) -> tuple[float, float]:
    v = m.value
    return {"exact": (v, v), "about": (v * (1 - tol), v * (1 + tol)), "at_least": (v, INF),
            "at_most": (v * (1 - tol), v)}[m.hedge]


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def discrepancy(ms: list[Mention], cumulative: bool, s: ClaimSettings) -> tuple[bool, str]:
    """(flag, why). Only pairs from different articles are compared."""
    for x in range(len(ms)):
        for y in range(x + 1, len(ms)):
            a, b = ms[x], ms[y]
            if a.doc_id == b.doc_id:
                continue
            ia, ib = interval(a, s.tolerance), interval(b, s.tolerance)
            if not cumulative:
                if _disjoint(ia, ib):
                    return True, "a stock figure that should agree differs beyond its hedges"
                continue
            da, db = parse_date(a.date), parse_date(b.date)
            if da is None or db is None:
                continue
            if abs((da - db).days) <= s.same_day:
                lag = s.cumulative_tolerance
                if _disjoint((ia[0] * (1 - lag), ia[1] * (1 + lag)), (ib[0] * (1 - lag), ib[1] * (1 + lag))):
                    return True, "running totals of the same day disagree beyond reporting lag"
                continue
            (early, _), (late, late_m) = sorted([(ia, a), (ib, b)], key=lambda p: parse_date(p[1].date))
            late_top = late[1] if late[1] < INF else late_m.value     # "at least 2,300" tops out at 2,300
            if late_top < early[0] * (1 - s.cumulative_tolerance):
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
