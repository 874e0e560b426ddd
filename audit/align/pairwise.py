"""Two documents side by side (`audit diff A B`).

The user chose the pair, so it is aligned even when story grouping would not have put the two
together (they are still reported as a story or topic when they are one). `rows` turns the
alignment into the reading order of a two-column page: A's sentences in order, each with its
counterpart(s) in B and the word diff, and B's unmatched sentences slotted in after the
nearest preceding matched one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.align.batch import align_units, story_for
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.align.settings import AlignSettings
from audit.align.stories import group_stories
from audit.types import Alignment, Document, EntityGroup, Finding, SentRef, WordDiff


def align_pair(a: Document, b: Document, entities: list[EntityGroup] | None = None,
               findings: list[Finding] | None = None, settings: AlignSettings | None = None) -> Alignment:
    settings = settings or AlignSettings()
    if a.id == b.id:
        return Alignment()
    index = build_index([a, b], entities or [], load_lexicon(settings.synonyms))
    stories, _ = group_stories(index, settings.stories)
    unit = stories[0] if stories else story_for([a.id, b.id])
    if not stories:
        stories = [unit]
    return align_units(index, stories, [(unit.id, [a.id, b.id])], entities or [], findings or [], settings)


@dataclass
class Row:
    a: SentRef | None
    b: list[SentRef] = field(default_factory=list)
    diffs: list[WordDiff] = field(default_factory=list)
    group_id: str | None = None


def rows(a: Document, b: Document, alignment: Alignment) -> list[Row]:
    """Reading-order rows for a two-column view of A against B."""
    group_of: dict[tuple[str, int], str] = {}
    members: dict[str, list[SentRef]] = {}
    for g in alignment.groups:
        members[g.id] = g.members
        for m in g.members:
            group_of[(m.doc_id, m.start)] = g.id
    diff_of = {(d.a.doc_id, d.a.start, d.b.doc_id, d.b.start): d for d in alignment.diffs}
    out: list[Row] = []
    placed_b: set[int] = set()
    for s in a.content_sentences():
        gid = group_of.get((a.id, s.start))
        ref = SentRef(a.id, s.start, s.end)
        if gid is None:
            out.append(Row(ref))
            continue
        bs = [m for m in members[gid] if m.doc_id == b.id and m.start not in placed_b]
        placed_b.update(m.start for m in bs)
        diffs = [d for m in bs for d in (diff_of.get((a.id, s.start, b.id, m.start)),
                                          diff_of.get((b.id, m.start, a.id, s.start))) if d]
        out.append(Row(ref, bs, diffs, gid))
    return _slot_b(out, b, placed_b)


def _slot_b(out: list[Row], b: Document, placed: set[int]) -> list[Row]:
    """Insert B's unmatched sentences after the row holding the B sentence just before them."""
    result = list(out)
    for s in b.content_sentences():
        if s.start in placed:
            continue
        row = Row(None, [SentRef(b.id, s.start, s.end)])
        at = len(result)
        for k, r in enumerate(result):
            if r.b and r.b[-1].start < s.start:
                at = k + 1
        if not any(r.b for r in result):
            at = len(result)
        result.insert(at, row)
    return result
