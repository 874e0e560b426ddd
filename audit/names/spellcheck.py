"""Names a spell-checker turned into English words: "El Father" for El Fasher.

Word statistics protect real words from being called garbled ("Father" is a word), which is
exactly what a spell-checker's damage looks like. So a narrow rule instead: a multi-word mention
seen once in the batch, laid out like a name of its own article (same particles, same number of
words), equal to it but for one word, where the name's word is rare in English, the mention's
word is a common one, and the two are one or two letters apart with the same first letter.
The name must recur (twice in the batch, once in the same article), so a one-off real name
beside it ("Port Said" near "Port Sudan") does not qualify: they differ by more than that.
"""
from __future__ import annotations

from dataclasses import dataclass

import re

from rapidfuzz.distance import Levenshtein

from audit.names.translit import orth, romanisation
from audit.names.verdict import Judged, Resolved
from audit.names.words import is_acronym, zipf

MAX_EDITS = 2
COMMON = 3.0          # the spell-checker's word: at least this common in English
RARE = 2.5            # the name's word: rarer than this
MIN_SEEN = 2          # the name: mentions in the batch
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


def find(results: list[Resolved], texts: dict[str, str]) -> list[SpellHit]:
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
