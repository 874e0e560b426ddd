"""Definitional statements: what outlets say a named actor is, aligned across outlets by the name
and the meaning of the definition, not by figures or shared wording."""
from __future__ import annotations

from audit.align import AlignSettings, align_batch
from audit.align.definitions import definition_groups, extract, load_definitions
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.ingest.build import make_document
from audit.types import Document, SourceMeta


def doc(doc_id: str, text: str, date: str = "2024-03-02") -> Document:
    return make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(), date=date)


A = doc("a", "Gunmen storm checkpoint in Tillaberi\n\n"
        "Gunmen attacked an army checkpoint near Tillaberi on Saturday, killing seven soldiers.\n\n"
        "The Islamic State Sahel Province, a network of jihadist militias, published photographs of "
        "rifles and pick-up trucks it said were seized.\n\n"
        "Banizoumbou, a village near the border with Mali, was also attacked.")
B = doc("b", "Seven soldiers killed at Niger checkpoint\n\n"
        "Seven Nigerien soldiers were killed when gunmen stormed a checkpoint close to Tillaberi on Saturday.\n\n"
        "Such raids are usually claimed by the “Islamic State Sahel Province”, a network of fighters from "
        "jihadist armed groups whose attacks have multiplied since the coup of July 2023.\n\n"
        "Banizoumbou, a market town known for its cattle trade, lies a few kilometres away.")
C = doc("c", "Niger: checkpoint attack\n\n"
        "Attackers killed seven soldiers at a checkpoint in the Tillaberi region on Saturday, the army said.\n\n"
        "Niger's junta has expelled French troops and turned to Russia for security.")


def definitions(d: Document) -> dict[str, str]:
    idx = build_index([d], [], load_lexicon())
    lx = load_definitions()
    return {d.text[x.start:x.end].split(",")[0].strip("“”"): d.text[x.start:x.end]
            for s in idx.sentences for x in extract(idx, s, lx)}


def test_appositive_and_copular_definitions_are_read_off_names():
    assert definitions(A) == {
        "The Islamic State Sahel Province"[4:]: "Islamic State Sahel Province, a network of jihadist militias",
        "Banizoumbou": "Banizoumbou, a village near the border with Mali"}
    cop = doc("cop", "Headline\n\nThe Kenya Defence Forces is an armed service of about 24,000 troops.")
    assert list(definitions(cop).values()) == ["Kenya Defence Forces is an armed service of about 24,000 troops"]
    # a date or a plain clause before the comma is no name
    assert definitions(doc("d", "Headline\n\nEarlier today, a source said the road was closed.")) == {}


def test_outlets_defining_a_name_alike_share_a_group_and_other_meanings_do_not():
    docs = {d.id: d for d in (A, B, C)}
    idx = build_index(list(docs.values()), [], load_lexicon())
    held = [{(r.doc_id, docs[r.doc_id].text[r.start:r.end]) for r in refs}
            for refs, _, _ in definition_groups(idx, list(docs), "unit")]
    assert held == [{("a", "Islamic State Sahel Province, a network of jihadist militias"),
                     ("b", "Islamic State Sahel Province”, a network of fighters from jihadist armed groups "
                           "whose attacks have multiplied since the coup of July 2023")}]
    # the same place defined two different ways ("a village near the border", "a market town
    # known for its cattle trade") is not one statement, so Banizoumbou has no group


def test_the_statement_is_aligned_in_the_batch():
    al = align_batch([A, B, C], [], [], AlignSettings())
    spans = {"a": A.text.index("a network of jihadist"), "b": B.text.index("a network of fighters")}
    assert any(all(any(m.doc_id == d and m.start <= at < m.end for m in g.members) for d, at in spans.items())
               for g in al.groups)
