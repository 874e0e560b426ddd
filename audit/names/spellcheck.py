"""Names a spell-checker turned into English words: "El Father" for El Fasher.

Word statistics protect real words from being called garbled ("Father" is a word), which is
exactly what a spell-checker's damage looks like. So a narrow rule instead: a multi-word mention
seen once in the batch, laid out like a name of its own article (same particles, same number of
words), equal to it but for one word, where the name's word is rare in English, the mention's
word is a common one, and the two are one or two letters apart with the same first letter.
The name must recur (twice in the batch, once in the same article), so a one-off real name
beside it ("Port Said" near "Port Sudan") does not qualify: they differ by more than that.

Across outlets (`find_across`): a one-off multi-word spelling grouped with a name that at
least `ACROSS_OUTLETS` other outlets write, equal to it but for one word one letter away, where
the mention's word is a common English word clearly better known than the name's ("Recap
Tayyip Erdogan" beside three outlets' Recep, "Wade Madani" beside seven outlets' Wad). The
name's word may itself be a word English knows (Recep 2.7, Wad 3.1), so the within-article
rarity bar is replaced by the outlets' agreement and a frequency margin.
"""
from __future__ import annotations

from dataclasses import dataclass

import re

from rapidfuzz.distance import Levenshtein

from audit.names.translit import fold, orth, romanisation
from audit.names.verdict import Judged, Resolved
from audit.names.words import is_acronym, zipf

MAX_EDITS = 2
COMMON = 3.0          # the spell-checker's word: at least this common in English
RARE = 2.5            # the name's word: rarer than this
MIN_SEEN = 2          # the name: mentions in the batch
ACROSS_OUTLETS = 2    # across outlets: other outlets writing the name exactly
ACROSS_NAME_MAX = 3.5  # across outlets: the name's word at most this common in English
ACROSS_MARGIN = 0.5   # across outlets: the English word this much more common than the name's
_LEAD = re.compile(r"(?<![\w-])([A-Z][a-z]{1,3})[ -]$")


@dataclass
class SpellHit:
    judged: Judged
    target: Resolved
    spelling: str                 # the name as the article writes it elsewhere
    word: str                     # the English word in the mention
    name_word: str                # the name's word it replaced
    lead: tuple[str, int] | None = None   # a particle before the mention ("El", start)


def _lead(j: Judged, text: str) -> tuple[str, int] | None:
    """A capitalised particle the mention finder left before the name ('El' of 'El Fasher')."""
    m = j.occ.mention
    lead = _LEAD.search(text, max(0, m.start - 6), m.start)
    if lead and lead.group(1).lower() in _particles():
        return lead.group(1), lead.start(1)
    return None


def _shape(j: Judged, text: str) -> tuple:
    """Particles and name tokens in order: ('el', None) for 'El Fasher'."""
    lead = _lead(j, text)
    head = (lead[0].lower(),) if lead else ()
    return head + tuple(t.text.lower() if t.particle else None for t in j.occ.mention.toks)


def _particles() -> frozenset[str]:
    r = romanisation()
    return r.particles | r.hyphen_particles


def _one_off(j: Judged, r: Resolved, seen: dict[str, int], shape: tuple) -> bool:
    toks = j.occ.mention.toks
    return (len(shape) >= 2 and seen[orth(j.text)] == 1 and j.verdict in ("canonical", "unknown")
            and r.entry is None and not any(is_acronym(t.text) for t in toks))


def _replaced(mine: tuple[str, ...], name: tuple[str, ...]) -> tuple[str, str] | None:
    """(word, name word) when the two differ in exactly one token the way a spell-checker
    changes it."""
    diff = [(a, b) for a, b in zip(mine, name) if orth(a) != orth(b)]
    if len(diff) != 1:
        return None
    a, b = diff[0]
    la, lb = orth(a), orth(b)
    if la[:1] != lb[:1] or abs(len(la) - len(lb)) > 1 or len(lb) < 4:
        return None
    if Levenshtein.distance(la, lb) > MAX_EDITS:
        return None
    if zipf(la) < COMMON or zipf(lb) >= RARE:
        return None
    return a, b


def written_elsewhere(results: list[Resolved], outlet) -> dict[tuple[str, ...], set[str]]:
    """Every run of two or more name words in the batch's mentions -> the outlets writing it.
    A name another outlet writes of its own accord ("All-Star Nelson Cruz" beside one outlet's
    Nelson Cruz and Nelsy Cruz) is a second person, not a spell-checker's word."""
    out: dict[tuple[str, ...], set[str]] = {}
    for r in results:
        for j in r.judged:
            names = tuple(orth(n) for n in j.occ.mention.names)
            who = outlet(j.occ.mention.doc_id)[0]
            for a in range(len(names) - 1):
                for b in range(a + 2, len(names) + 1):
                    out.setdefault(names[a:b], set()).add(who)
    return out


def find(results: list[Resolved], texts: dict[str, str], outlet=None) -> list[SpellHit]:
    """`outlet(doc_id)` -> (outlet, trust): when given, a spelling another outlet also writes
    is left alone."""
    elsewhere: dict | None = None          # built on the first candidate only (most batches
                                           # have none)
    seen: dict[str, int] = {}
    for r in results:
        for j in r.judged:
            seen[orth(j.text)] = seen.get(orth(j.text), 0) + 1
    names: dict[str, list[tuple[Judged, Resolved]]] = {}      # by document: the pair must
    for r in results:                                         # share one (was a batch-wide
        if len(r.judged) >= MIN_SEEN:                         # scan per mention: quadratic)
            for j in r.judged:
                if j.verdict in ("canonical", "acceptable"):
                    names.setdefault(j.occ.mention.doc_id, []).append((j, r))
    shapes: dict[int, tuple] = {}       # id of a judged mention -> its _shape, computed once

    def shape_of(k: Judged, doc: str) -> tuple:
        got = shapes.get(id(k))
        if got is None:
            got = shapes[id(k)] = _shape(k, texts[doc])
        return got
    hits = []
    for r in results:
        for j in r.judged:
            doc = j.occ.mention.doc_id
            # _one_off's cheap tests first: most mentions are not one-offs, and the shape of
            # every candidate pair was recomputed per pair (a regex search each)
            if seen[orth(j.text)] != 1 or j.verdict not in ("canonical", "unknown") \
                    or r.entry is not None:
                continue
            shape = shape_of(j, doc)
            if not _one_off(j, r, seen, shape):
                continue
            if outlet is not None:
                if elsewhere is None:
                    elsewhere = written_elsewhere(results, outlet)
                mine = tuple(orth(n) for n in j.occ.mention.names)
                if elsewhere.get(mine, set()) - {outlet(doc)[0]}:
                    continue
            for k, target in names.get(doc, ()):
                if target is r or shape_of(k, doc) != shape:
                    continue
                got = _replaced(tuple(j.occ.mention.names), tuple(k.occ.mention.names))
                if got is not None:
                    theirs = _lead(k, texts[doc])
                    spelled = texts[doc][theirs[1]:k.occ.mention.end] if theirs else k.text
                    hits.append(SpellHit(j, target, spelled, *got, lead=_lead(j, texts[doc])))
                    break
    return hits


def _replaced_across(mine: tuple[str, ...], name: tuple[str, ...]) -> tuple[str, str] | None:
    """(word, name word) when one token differs by one letter and that token turned from a
    name's word into a clearly commoner English word."""
    diff = [(a, b) for a, b in zip(mine, name) if orth(a) != orth(b)]
    if len(diff) != 1:
        return None
    a, b = diff[0]
    la, lb = orth(a), orth(b)
    fa, fb = fold(a), fold(b)          # accents dropped are a house style, not a slip
    if fa[:1] != fb[:1] or len(fb) < 3 or not la.isalpha() or Levenshtein.distance(fa, fb) != 1:
        return None
    za, zb = zipf(la), zipf(lb)
    if za < COMMON or zb >= ACROSS_NAME_MAX or za < zb + ACROSS_MARGIN:
        return None
    return a, b


def _layout(j: Judged) -> tuple:
    return tuple(t.text.lower() if t.particle else None for t in j.occ.mention.toks)


def find_across(results: list[Resolved], outlet) -> list[tuple[SpellHit, int]]:
    """One-off spellings one English word away from a name other outlets agree on, with how
    many other outlets write that name. `outlet(doc_id)` -> (outlet name, trust)."""
    hits = []
    for r in results:
        if len(r.judged) < ACROSS_OUTLETS + 1:
            continue
        writers: dict[str, set[str]] = {}
        first: dict[str, Judged] = {}
        for k in r.judged:
            writers.setdefault(orth(k.text), set()).add(outlet(k.occ.mention.doc_id)[0])
            if k.verdict in ("canonical", "acceptable") and len(k.occ.mention.names) >= 2:
                first.setdefault(orth(k.text), k)
        for j in r.judged:
            names = tuple(j.occ.mention.names)
            if len(names) < 2 or j.verdict not in ("canonical", "unknown", "acceptable") \
                    or j.occ.form is not None or len(writers[orth(j.text)]) != 1 \
                    or any(is_acronym(n) for n in names):
                continue
            own = outlet(j.occ.mention.doc_id)[0]
            for key, k in first.items():
                support = len(writers[key] - {own})
                if support < ACROSS_OUTLETS or len(k.occ.mention.names) != len(names) \
                        or _layout(k) != _layout(j):
                    continue
                got = _replaced_across(names, tuple(k.occ.mention.names))
                if got is not None:
                    hits.append((SpellHit(j, r, k.text, *got), support))
                    break
    return hits
