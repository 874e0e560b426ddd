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
line of one or two words) appear in any one of them, and lines above and below it are printed
by them (at least `shared_support` of their trigrams): it sits inside the stretch the copies
share. Lines outside that stretch are not judged: excerpts and pickups start and stop in different
places.

On the real-text folds (414 excerpts, few true copies) the sandwich rule fires on 35 lines, 5 of
them gold noise: the outlets' own rewrites of a paragraph look the same. It is therefore a
learned feature of the line model (features.py: `unprinted_by_copies`), weighed with the line's
shape, never a verdict of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from audit.boilerplate.batch import BatchIndex, _trigrams

PROSE_KEY_CHARS = 40      # lines this long (normalised) find candidate copies


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
    (a bounded sample per line), copies from its memoised judgement, so the work is linear in
    the batch for a fixed sample size; trigrams are computed only for articles with copies."""
    st = st or NeighbourSettings()
    near = [_copies_of(index, d) for d in range(len(index.docs))]
    tri: dict[int, tuple[list[frozenset[int]], frozenset[int]]] = {}
    return [_unprinted(index, d, near[d], tri, st) for d in range(len(index.docs))]


def _copies_of(index: BatchIndex, d: int) -> list[int]:
    keys = {k for k in index.line_keys(d) if len(k) >= PROSE_KEY_CHARS}
    seen: set[int] = set()
    for k in keys:
        holders = index.by_line.get(k, [])
        if len(holders) < 2:
            continue
        step = max(1, len(holders) // index.sample)
        seen.update(e for e in holders[::step][:index.sample + 1] if e != d)
    return sorted(e for e in seen if index.copies(d, e))


def _trigram_lines(index: BatchIndex, d: int, memo: dict
                   ) -> tuple[list[frozenset[int]], frozenset[int]]:
    if d not in memo:
        text = index.docs[d].text
        lines = [_trigrams(text[s.start:s.end]) for s in index.lines[d]]
        memo[d] = (lines, frozenset().union(*lines))
    return memo[d]


def _unprinted(index: BatchIndex, d: int, near: list[int], memo: dict,
               st: NeighbourSettings) -> Unprinted:
    out = Unprinted(neighbours=[index.docs[e].id for e in near])
    if not near:
        return out
    lines, _ = _trigram_lines(index, d, memo)
    keys = index.line_keys(d)
    others = [(_trigram_lines(index, e, memo)[1], set(index.line_keys(e))) for e in near]
    support = [_support(t, k, others) for t, k in zip(lines, keys)]
    printed = [s is not None and s >= st.shared_support for s in support]
    above = np.cumsum(printed)
    below = np.cumsum(printed[::-1])[::-1]
    for j, (s, k) in enumerate(zip(support, keys)):
        if s is None or s >= st.max_support:
            continue
        if above[j] - printed[j] > 0 and below[j] - printed[j] > 0:
            out.lines[k] = out.neighbours
    return out


def _support(tri: frozenset[int], key: str,
             others: list[tuple[frozenset[int], set[str]]]) -> float | None:
    """Share of the line's trigrams that one copy prints (a line of one or two words: 1.0
    when a copy prints the same line); None for a line too short to have a key."""
    if not key:
        return None
    if any(key in keys for _, keys in others):
        return 1.0
    if not tri:
        return 0.0
    return max(len(tri & all_) for all_, _ in others) / len(tri)
