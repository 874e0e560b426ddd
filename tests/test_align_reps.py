"""Copies collapsed before pairing (audit/align/reps.py, unit_claims.py): a story reprinted by
many outlets is aligned over its distinct sentences and figures, and every outlet's copy comes
back in the groups and claims."""
from __future__ import annotations

from audit.align import AlignSettings, align_batch
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.align.reps import collapse
from audit.align.sentences import unit_sentences
from audit.ingest.build import make_document
from audit.types import Document, SourceMeta

from test_align_sentences import RESPUN, TRANSLATED, WIRE

CAMP = "shelled a camp"


def reprint(src: Document, n: int) -> list[Document]:
    return [make_document(f"{src.id}-{k:02d}", f"{src.id}-{k:02d}.txt", src.text, SourceMeta(), date=src.date)
            for k in range(n)]


def camp_group(al):
    return next(g for g in al.groups if any(m.doc_id.startswith("wire") and m.start == WIRE.text.find("The Rapid")
                                            for m in g.members))


def test_a_sentence_every_outlet_prints_is_one_group_with_every_outlet():
    copies = reprint(WIRE, 40)
    al = align_batch([*copies, RESPUN, TRANSLATED], [], [], AlignSettings())
    g = camp_group(al)
    assert {m.doc_id for m in g.members} == {d.id for d in copies} | {"respun", "translated"}
    assert len(g.members) == 42
    # the sentences the three outlets share are grouped as with one copy of the wire
    small = align_batch([WIRE, RESPUN, TRANSLATED], [], [], AlignSettings())
    assert {m.doc_id for m in camp_group(small).members} == {"wire", "respun", "translated"}
    assert len(small.groups) == 1
    # the wire's own sentences are groups of its 40 copies, one member per outlet
    for other in (x for x in al.groups if x.id != g.id):
        assert sorted(m.doc_id for m in other.members) == sorted(d.id for d in copies)
        assert len({WIRE.text[m.start:m.end] for m in other.members}) == 1


def test_pairing_works_on_distinct_sentences():
    docs = [*reprint(WIRE, 30), RESPUN]
    s = AlignSettings().sentences
    index = build_index(docs, [], load_lexicon())
    sents = unit_sentences(index, [d.id for d in docs], s)
    reps = collapse(index, sents, s)
    distinct = len(unit_sentences(build_index([WIRE, RESPUN], [], load_lexicon()), ["wire", "respun"], s))
    assert len(sents) > 10 * distinct
    assert len(reps.sents) == distinct
    assert sorted(p for m in reps.members for p in m) == list(range(len(sents)))
    assert max(len(d) for d in reps.docs) == 30


def test_without_copies_every_sentence_is_its_own_rep_in_order():
    docs = [WIRE, RESPUN, TRANSLATED]
    s = AlignSettings().sentences
    index = build_index(docs, [], load_lexicon())
    sents = unit_sentences(index, [d.id for d in docs], s)
    reps = collapse(index, sents, s)
    assert reps.all_single and reps.sents == sents


def test_a_figure_printed_by_many_outlets_is_one_claim_and_a_dissent_is_a_discrepancy():
    base = ("Quake kills dozens\n\nAt least 40 people were killed when a magnitude 6.1 earthquake struck "
            "the northern province on Monday, officials said.")
    wire = make_document("wire", "wire.txt", base, SourceMeta(), date="2024-02-01")
    other = make_document("other", "other.txt", base.replace("At least 40", "At least 90"), SourceMeta(),
                          date="2024-02-01")
    al = align_batch([*reprint(wire, 25), other], [], [], AlignSettings())
    killed = [c for c in al.claims if "killed" in c.about]
    assert len(killed) == 1
    assert len(killed[0].mentions) == 26 and killed[0].discrepancy
    assert {m.value for m in killed[0].mentions} == {40.0, 90.0}


def test_a_reprinted_sentence_takes_its_first_copys_tokens_at_its_own_offsets():
    from dataclasses import astuple
    moved = make_document("moved", "moved.txt", "Breaking.\n\n" + WIRE.text, SourceMeta(), date=WIRE.date)
    index = build_index([WIRE, moved], [], load_lexicon())
    alone = build_index([moved, WIRE], [], load_lexicon())    # moved tokenised first this time
    a = [index.sentences[i] for i in index.doc_sents["moved"]]
    b = [alone.sentences[i] for i in alone.doc_sents["moved"]]
    assert [[astuple(t) for t in x.tokens] for x in a] == [[astuple(t) for t in x.tokens] for x in b]
    assert all(moved.text[t.start:t.end] == t.surface for x in a for t in x.tokens if t.kind != "date")
