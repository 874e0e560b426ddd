"""The alignment stage end to end: index, stories, per-unit sentence groups, near-copies, claims
and word diffs (the package docstring gives the order of work)."""
from __future__ import annotations

import hashlib

from audit.align.claims import load_claim_lexicon
from audit.align.copies import near_copies, rank_key
from audit.align.definitions import definition_groups, group_id
from audit.align.diffs import Marker, diff_pair
from audit.align.features import BatchIndex, build_index
from audit.align.normalize import load_lexicon
from audit.align.sentences import UnitAlignment, align_unit
from audit.align.unit_claims import unit_claims
from audit.align.settings import AlignSettings
from audit.align.stories import group_stories, story_id
from audit.types import (AlignedGroup, Alignment, Claim, Document, EntityGroup, Finding, SentRef, Story)


def align_batch(docs: list[Document], entities: list[EntityGroup], findings: list[Finding],
                settings: AlignSettings) -> Alignment:
    """Line the outlets up: which documents tell one story, which of their sentences say the
    same thing, where their figures disagree and how their wording differs. This is what an
    editor compares copies by; a batch of one document gives an empty Alignment."""
    if not settings.enabled or len(docs) < 2:
        return Alignment()
    index = build_index(docs, entities, load_lexicon(settings.synonyms))
    stories, _ = group_stories(index, settings.stories)
    units = _units(stories, settings.stories.max_unit_docs, settings.stories.max_story_docs)
    return align_units(index, stories, units, entities, findings, settings)


def align_units(index: BatchIndex, stories: list[Story], units: list[tuple[str, list[str]]],
                entities: list[EntityGroup], findings: list[Finding], settings: AlignSettings) -> Alignment:
    """Everything after story grouping, for given alignment units (unit id, document ids)."""
    by_story = {st.id: st for st in stories}
    home = Homes(stories)
    groups: list[AlignedGroup] = []
    group_of_sent: dict[int, str] = {}
    unit_of: dict[str, str] = {}
    cl = load_claim_lexicon(load_lexicon(settings.synonyms), settings.claims.classes)
    claims: list[Claim] = []
    for uid, doc_ids in units:
        for d in doc_ids:
            unit_of.setdefault(d, uid)
        unit = align_unit(index, doc_ids, settings.sentences)
        sents, clusters = unit.sents, unit.clusters
        unit_groups = []
        for members, score in zip(clusters, unit.group_scores):
            refs = [SentRef(sents[m].doc_id, sents[m].span.start, sents[m].span.end) for m in members]
            refs.sort(key=lambda r: (r.doc_id, r.start))
            gid = "group-" + hashlib.sha1("|".join(f"{r.doc_id}:{r.start}" for r in refs).encode()).hexdigest()[:10]
            g = AlignedGroup(gid, home({r.doc_id for r in refs}, uid), refs, score)
            unit_groups.append((g, [sents[m].idx for m in members]))
        for g, idxs in unit_groups:
            groups.append(g)
            for i in idxs:
                group_of_sent[i] = g.id
        groups += _definition_groups(index, doc_ids, uid, home, group_of_sent)
        claims += _unit_claims(index, doc_ids, unit, group_of_sent, cl, settings)
        target = by_story.get(uid)
        for nc in near_copies(index, doc_ids, [idxs for _, idxs in unit_groups], settings.stories.near_copy):
            st = by_story.get(home({nc["doc"], nc["source"] or nc["doc"], *nc.get("pair", [])}, uid)) or target
            if st is not None:
                st.near_copies.append({k: v for k, v in nc.items() if k != "pair"})
    for c in claims:
        c.story_id = home({m.doc_id for m in c.mentions}, unit_of.get(c.mentions[0].doc_id, ""))
    claims.sort(key=lambda c: (c.mentions[0].doc_id, c.mentions[0].start))
    diffs = _diffs(index, groups, entities, findings, settings) if settings.diffs.enabled else []
    groups.sort(key=lambda g: (g.story_id, g.members[0].doc_id, g.members[0].start))
    return Alignment(stories=stories, groups=groups, claims=claims, diffs=diffs)


def _units(stories: list[Story], max_docs: int, max_story: int = 1000) -> list[tuple[str, list[str]]]:
    """Topics, and stories outside any topic; a topic too large to align whole is split into its
    stories (its background then goes unaligned, which is cheaper than quadratic), and a story
    larger than `max_story` into slices of that many articles in batch order."""
    topics = [st for st in stories if st.kind == "topic"]
    in_topic = {d for t in topics for d in t.doc_ids}
    units = []
    for t in topics:
        if len(t.doc_ids) <= max_docs:
            units.append((t.id, t.doc_ids))
        else:
            units += [(st.id, st.doc_ids) for st in stories
                      if st.kind == "story" and set(st.doc_ids) <= set(t.doc_ids)]
    units += [(st.id, st.doc_ids) for st in stories if st.kind == "story" and not set(st.doc_ids) & in_topic]
    return [(uid, ids[i:i + max_story]) for uid, ids in units for i in range(0, len(ids), max_story)]


class Homes:
    """The smallest story or topic holding a set of documents; looked up through one of the
    documents' own stories, so the cost follows how many stories a document is in, not the batch."""

    def __init__(self, stories: list[Story]):
        self.of_doc: dict[str, list[tuple[int, int, str, frozenset[str]]]] = {}
        for n, st in enumerate(stories):
            entry = (len(st.doc_ids), n, st.id, frozenset(st.doc_ids))
            for d in st.doc_ids:
                self.of_doc.setdefault(d, []).append(entry)
        for lst in self.of_doc.values():
            lst.sort()

    def __call__(self, doc_ids: set[str], default: str) -> str:
        if not doc_ids:
            return default
        first = next(iter(doc_ids))
        for _, _, sid, members in self.of_doc.get(first, ()):
            if doc_ids <= members:
                return sid
        return default


def _definition_groups(index: BatchIndex, doc_ids: list[str], uid: str, home: "Homes",
                       group_of_sent: dict[int, str]) -> list[AlignedGroup]:
    """Names the unit's outlets define alike (definitions.py), unless the sentences saying so are
    already one group."""
    out = []
    for refs, sents, score in definition_groups(index, doc_ids, uid):
        if len({group_of_sent.get(i) for i in sents}) == 1 and sents[0] in group_of_sent:
            continue
        out.append(AlignedGroup(group_id(refs), home({r.doc_id for r in refs}, uid), refs, score))
    return out


def _unit_claims(index: BatchIndex, doc_ids: list[str], unit: UnitAlignment, group_of_sent: dict[int, str],
                 cl, settings: AlignSettings) -> list[Claim]:
    """Figures of one unit's articles, joined into claims (unit_claims.py)."""
    return unit_claims(index, doc_ids, unit, group_of_sent, cl, settings)


def _diffs(index: BatchIndex, groups: list[AlignedGroup], entities, findings, settings: AlignSettings):
    marker = Marker.build(findings, entities)
    out = []
    for g in groups:
        ref = min(g.members, key=lambda r: (rank_key(index, r.doc_id), r.start))
        for m in g.members:
            if m.doc_id != ref.doc_id:
                out.append(diff_pair(ref, m, index.by_id, marker, settings.diffs.semantic_cleanup))
    return out


def story_for(doc_ids: list[str]) -> Story:
    """A one-off unit for documents the user asked to compare (see pairwise.py)."""
    return Story(story_id("pair", doc_ids), "story", sorted(doc_ids), label="requested comparison")
