"""The numeric claims of one alignment unit, linked over distinct figures.

Claim linking (claims.group_mentions) weighs pairs of mentions; a toll printed by 995 outlets is
995 mentions and half a million pairs of them. Here a figure printed alike in several articles
(the same mention of the same distinct sentence, reps.py: every field but its article and
offsets equal) is one mention carrying its articles (`Mention.docs`), linked once, and expanded
back to every article's mention for the claim. A unit without copies links exactly the mentions
it did before. Lead figures and split places are read from every copy (they depend on each
article's own order and places).
"""
from __future__ import annotations

from dataclasses import fields, replace

from audit.align.claims import (Mention, extract, group_mentions, lead_figures, link_score, make_claims,
                                split_places)
from audit.align.features import BatchIndex
from audit.align.reps import first_groups
from audit.align.sentences import SentenceSim, UnitAlignment
from audit.align.settings import AlignSettings
from audit.types import Claim

_OWN = {"doc_id", "sent", "tok", "docs"}     # what differs between copies of one figure


def unit_claims(index: BatchIndex, doc_ids: list[str], unit: UnitAlignment, group_of_sent: dict[int, str],
                cl, settings: AlignSettings) -> list[Claim]:
    """Figures of one unit's articles, joined into claims with the unit's sentence scores."""
    seen: dict[tuple, tuple] = {}
    mentions = [m for d in doc_ids for i in index.doc_sents.get(d, [])
                for m in _extract(index, index.sentences[i], cl, settings, seen)]
    if not mentions:
        return []
    reps = unit.reps
    rep_of = {unit.sents[p].idx: r for r, mem in enumerate(reps.members) for p in mem}
    leads = lead_figures(mentions, cl)
    split = split_places(mentions)
    def key(m: Mention) -> tuple | None:
        r = rep_of.get(m.sent)
        if r is None:                # not an alignable sentence: its figure links to nothing,
            return None              # but counts in the blocks of figures alike, as before
        return (r, m.tok.start - index.sentences[m.sent].span.start, m.tok.surface,
                *(getattr(m, f.name) for f in fields(Mention) if f.name not in _OWN))

    copies = first_groups(key(m) for m in mentions)
    sim = SentenceSim(index, reps.sents, unit.table, settings.sentences,
                      {reps.sents[rep_of[mentions[c[0]].sent]].idx for c in copies if mentions[c[0]].sent in rep_of},
                      reps.docsets())
    alike: list[Mention] = []
    members: list[list[int]] = []
    lead_of: set[int] = set()
    for c in copies:
        m = mentions[c[0]]
        docs = frozenset(mentions[k].doc_id for k in c)
        rs = reps.sents[rep_of[m.sent]].idx if m.sent in rep_of else m.sent
        one = replace(m, sent=rs, docs=docs) if len(c) > 1 or rs != m.sent else m
        # (a copy's sentence is its rep's first copy, which the sentence scores are kept for)
        if len(docs) > 1 and link_score(one, one, group_of_sent, sim, settings.claims, split) < settings.claims.link:
            # copies that would not join each other: linked one by one, as before
            parts = [(replace(mentions[k], sent=one.sent, docs=frozenset((mentions[k].doc_id,))), [k]) for k in c]
        else:
            parts = [(one, c)]
        for mm, ks in parts:
            if any(k in leads for k in ks):
                lead_of.add(len(alike))
            alike.append(mm)
            members.append(ks)
    comps = group_mentions(alike, group_of_sent, sim, cl, settings.claims, sim.candidates, lead_of, split)
    return make_claims(mentions, [sorted(k for g in comp for k in members[g]) for comp in comps], cl,
                       settings.claims, group_of_sent)


def _extract(index: BatchIndex, sent, cl, settings: AlignSettings, seen: dict) -> list[Mention]:
    """claims.extract, once per distinct sentence: a copy (same text with two characters either
    side, same article date, same tokens) takes the first copy's mentions on its own tokens."""
    doc = index.by_id[sent.doc_id]
    at = sent.span.start
    key = (doc.text[max(0, at - 2):sent.span.end + 2], at >= 2, doc.date,
           tuple((t.start - at, t.end - at, t.kind, t.key) for t in sent.tokens))
    got = seen.get(key)
    if got is None:
        out = extract(index, sent, cl, settings.claims)
        where = {id(t): n for n, t in enumerate(sent.tokens)}
        seen[key] = (out, [where[id(m.tok)] for m in out])
        return out
    first, pos = got
    return [replace(m, doc_id=sent.doc_id, sent=sent.idx, tok=sent.tokens[n]) for m, n in zip(first, pos)]
