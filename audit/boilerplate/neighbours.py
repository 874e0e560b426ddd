"""Copies of one story as evidence: a line that the other versions of the story print around
but not themselves is likely this outlet's own chrome, caption or teaser.

Wire pickups and scrapes of one story share most of their running text; what one outlet slips
between two shared paragraphs ("READ ALSO: ...", a photo caption, a promo) no other copy
prints. Boilerplate runs before story grouping, so the neighbourhood is built here from the
articles' own word trigrams: an explicit batch reduce beside the recurrence index (batch.py).

Neighbours are the copies the recurrence index already judges (batch.py, `BatchIndex.copies`:
most of the text shared verbatim, or the unshared lines close in word trigrams), among the
articles that share a running-text line with this one (a bounded, evenly spaced sample of them
for a line held by very many). A line of an article is *unprinted by its copies* when it has
neighbours, less than `max_support` of the line's word trigrams (its normalised text, for a
line of one or two words) appear in them, and running-text lines above and below it are
printed by them (at least `shared_support` of their trigrams): it sits inside the stretch the
copies share. Lines outside that stretch are not judged (excerpts and pickups start and stop
in different places), and the classifier counts the cue only in the body, between the first
and last content paragraphs (headlines, stamps and bylines differ between copies anyway).

What it is worth is not measured on real copy: the 414 real-text excerpts hold two pairs of
true copies and no such line (a looser neighbourhood, MinHash LSH over trigram sets at
containment 0.3, found 15 articles with near-copies and 7 sandwiched lines, 1 of them gold
noise: outlets rewrite paragraphs). So it is a cue with a prior weight
(`weights.unprinted_by_copies`, a quarter of it on past-tense narrative), not a learned feature
and never a verdict of its own. On the generated 1,000-article syndication feed it changes no
line's verdict; the reduce costs 0.3 s CPU there (bench_boilerplate: for_doc 2.0 s).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from audit.boilerplate.batch import BatchIndex

PROSE_KEY_CHARS = 40      # lines this long (normalised) find candidate copies
MAX_COPIES = 10           # copies enough to judge a line by (the first found in batch order)


@dataclass
class NeighbourSettings:
    max_support: float = 0.2         # a line below this share is not printed by the copies
    shared_support: float = 0.5      # a line at or above it is printed by them


@dataclass
class Unprinted:
    """Per document: line key -> ids of its copies, which print the lines around it but not
    it (the evidence names them)."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    neighbours: list[str] = field(default_factory=list)


def unprinted_lines(index: BatchIndex, st: NeighbourSettings | None = None) -> list[Unprinted]:
    """The reduce, after the recurrence index is built: for each document, the lines its
    copies print around but not themselves. Candidate pairs come from the index's line table
    (a bounded sample per line), copies from its memoised judgement and at most `MAX_COPIES`
    of them per document, so the work is linear in the batch; trigrams come from the index
    (computed there for the pairs it judged)."""
    st = st or NeighbourSettings()
    return [_unprinted_memo(index, d, _copies_of(index, d), st) for d in range(len(index.docs))]


def _unprinted_memo(index: BatchIndex, d: int, near: list[int], st: NeighbourSettings
                    ) -> Unprinted:
    """`_unprinted`, read from the index's memo when an earlier run judged this document with
    the same copies (it reads only their lines and ids: memo.py); without copies there is
    nothing to judge or store."""
    memo = index.memo
    if memo is None or not near:
        return _unprinted(index, d, near, st)
    got = memo.unprinted_get(d, near)
    if isinstance(got, Unprinted):
        return got
    got = _unprinted(index, d, near, st)
    memo.unprinted_put(d, near, got)
    return got


def _copies_of(index: BatchIndex, d: int) -> list[int]:
    keys = sorted({k for k in index.line_keys(d) if len(k) >= PROSE_KEY_CHARS})
    seen: set[int] = set()
    for k in keys:
        holders = index.by_line.get(k, [])
        if len(holders) < 2:
            continue
        step = max(1, len(holders) // index.sample)
        seen.update(e for e in holders[::step][:index.sample + 1] if e != d)
    out = []
    for e in sorted(seen):
        if index.copies(d, e):
            out.append(e)
            if len(out) >= MAX_COPIES:
                break
    return out


def _unprinted(index: BatchIndex, d: int, near: list[int], st: NeighbourSettings
               ) -> Unprinted:
    out = Unprinted(neighbours=[index.docs[e].id for e in near])
    if not near:
        return out
    lines, _ = index.trigrams(d)
    keys = index.line_keys(d)
    printed_keys = set().union(*(index.line_keys(e) for e in near))
    printed_tri = frozenset().union(*(index.trigrams(e)[1] for e in near))
    support = [_support(t, k, printed_keys, printed_tri) for t, k in zip(lines, keys)]
    printed = [s is not None and s >= st.shared_support and len(k) >= PROSE_KEY_CHARS
               for s, k in zip(support, keys)]
    above = np.cumsum(printed)
    below = np.cumsum(printed[::-1])[::-1]
    for j, (s, k) in enumerate(zip(support, keys)):
        if s is None or s >= st.max_support:
            continue
        if above[j] - printed[j] > 0 and below[j] - printed[j] > 0:
            out.lines[k] = out.neighbours
    return out


def _support(tri: frozenset[int], key: str, printed_keys: set[str],
             printed_tri: frozenset[int]) -> float | None:
    """Share of the line's trigrams that the copies print (a line of one or two words: 1.0
    when a copy prints the same line); None for a line too short to have a key."""
    if not key:
        return None
    if key in printed_keys:
        return 1.0
    if not tri:
        return 0.0
    return len(tri & printed_tri) / len(tri)
