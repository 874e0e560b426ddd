"""Multi-outlet sentence groups: paraphrase, entity spellings, number formats, word order, and
no grouping of sentences that only share a topic."""
from __future__ import annotations

from audit.align import AlignSettings, align_batch
from audit.align.features import build_index
from audit.align.normalize import Normalizer, load_lexicon, parse_number
from audit.ingest.build import make_document
from audit.types import Document, EntityGroup, Mention, SourceMeta


def doc(doc_id: str, text: str, date: str = "2024-05-12", trust: float = 1.0) -> Document:
    return make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(trust=trust), date=date)


def texts(d: dict[str, Document], group) -> set[tuple[str, str]]:
    return {(m.doc_id, d[m.doc_id].text[m.start:m.end]) for m in group.members}


WIRE = doc("wire", "RSF shells displacement camp near El Fasher\n\n"
           "The Rapid Support Forces shelled a camp for displaced people near El Fasher on Sunday, "
           "killing at least 40 civilians, local officials said.\n\n"
           "The World Food Programme warned that famine was spreading across North Darfur.\n\n"
           "Separately, the central bank in Port Sudan devalued the currency by 20 percent.")
RESPUN = doc("respun", "Dozens killed in Darfur camp attack\n\n"
             "At least 40 civilians were killed on Sunday when RSF paramilitaries shelled a displacement "
             "camp close to El-Fasher, according to local officials.\n\n"
             "Aid agencies have struggled to reach the city for months.")
TRANSLATED = doc("translated", "Attack on a camp in Darfur\n\n"
                 "Local authorities said the Rapid Support Forces bombarded a camp of displaced persons near "
                 "Al Fashir on Sunday, leaving at least forty civilians dead.\n\n"
                 "Sudan's army chief visited troops in Omdurman on Monday.")


def rsf_group() -> list[EntityGroup]:
    """What the name detector would pass: one group for the paramilitary's spellings."""
    ms = []
    for d in (WIRE, RESPUN, TRANSLATED):
        for name in ("Rapid Support Forces", "RSF"):
            at = d.text.find(name)
            while at >= 0:
                ms.append(Mention(d.id, at, at + len(name), name))
                at = d.text.find(name, at + len(name))
    return [EntityGroup("rsf", "Rapid Support Forces", "gazetteer", ms)]


def test_paraphrase_three_outlets_one_group():
    docs = {d.id: d for d in (WIRE, RESPUN, TRANSLATED)}
    al = align_batch(list(docs.values()), rsf_group(), [], AlignSettings())
    groups = [texts(docs, g) for g in al.groups]
    lead = next(g for g in groups if any("shelled a camp" in t for _, t in g))
    bodies = {(d, t) for d, t in lead if "40" in t or "forty" in t}
    assert {d for d, _ in bodies} == {"wire", "respun", "translated"}


def test_unrelated_sentences_are_not_grouped():
    docs = {d.id: d for d in (WIRE, RESPUN, TRANSLATED)}
    al = align_batch(list(docs.values()), rsf_group(), [], AlignSettings())
    grouped = {t for g in al.groups for _, t in texts(docs, g)}
    for loner in ("The World Food Programme warned that famine was spreading across North Darfur.",
                  "Separately, the central bank in Port Sudan devalued the currency by 20 percent.",
                  "Aid agencies have struggled to reach the city for months.",
                  "Sudan's army chief visited troops in Omdurman on Monday."):
        assert loner not in grouped, loner


def test_topic_words_alone_do_not_make_a_group():
    a = doc("a", "Rates decision\n\nThe Bank of England raised its key interest rate to 5.25 percent on "
                 "Thursday, its fourteenth increase in a row.\n\nPrime Minister Rishi Sunak visited a "
                 "hospital in Leeds.")
    b = doc("b", "Prices ease\n\nBritish inflation fell to 6.8 percent in July, the Office for National "
                 "Statistics said, as the Bank of England weighed another interest rate rise.\n\n"
                 "Rishi Sunak's spokesman declined to comment on the doctors' strike.")
    al = align_batch([a, b], [], [], AlignSettings())
    docs = {"a": a, "b": b}
    for g in al.groups:
        assert len({t for _, t in texts(docs, g)}) < 2 or "Sunak" not in " ".join(t for _, t in texts(docs, g)), \
            f"grouped unrelated statements: {texts(docs, g)}"
    assert not any({"a", "b"} <= set(g.doc_ids()) for g in al.groups
                   if any("hospital" in t for _, t in texts(docs, g)))


def test_reordered_numbers_align():
    a = doc("a", "Baltic deployment\n\nGermany has 1,200 soldiers in Lithuania and 300 in Latvia under the "
                 "NATO plan.\n\nThe brigade will be fully operational in 2027.")
    b = doc("b", "Troops on the eastern flank\n\nThere are 300 German troops in Latvia and 1200 in Lithuania "
                 "under the NATO plan, officials said.\n\nA new training ground opened near Vilnius.")
    al = align_batch([a, b], [], [], AlignSettings())
    docs = {"a": a, "b": b}
    hit = [texts(docs, g) for g in al.groups if any("Latvia" in t for _, t in texts(docs, g))]
    assert hit and {d for d, _ in hit[0]} == {"a", "b"}


def test_number_formats_and_words():
    assert parse_number("2,500") == parse_number("2500") == parse_number("2.500") == 2500
    assert parse_number("2\u202f500") == 2500
    assert parse_number("2.5") == 2.5
    d = doc("n", "Figures\n\nAbout five dozen rockets and two thousand five hundred shells hit the town, "
                 "and 2.5 million people fled.")
    idx = build_index([d], [], load_lexicon())
    values = [t.value for s in idx.sentences for t in s.tokens if t.kind == "num"]
    assert 60 in values and 2500 in values and 2_500_000 in values


def test_name_spellings_share_a_key_without_entity_groups():
    a = doc("a", "Visit\n\nPresident Zelensky met commanders in Kharkiv on Friday.")
    b = doc("b", "Visit\n\nPresident Zelenskyy met commanders in Kharkov on Friday.")
    norm = Normalizer([a, b], [], load_lexicon())
    ka = {t.key for s in norm.units(a) for t in norm.tokens(a, s)}
    kb = {t.key for s in norm.units(b) for t in norm.tokens(b, s)}
    assert {k for k in ka if k.startswith("~")} == {k for k in kb if k.startswith("~")}


def test_noise_sentences_are_not_aligned():
    from audit.types import Span
    a = doc("a", "Storm\n\nFloods cut the main road to the port of Derna on Tuesday, officials said.\n\n"
                 "Subscribe to our newsletter for the latest updates from Libya.")
    b = doc("b", "Storm\n\nOfficials said floods cut the main road to Derna port on Tuesday.\n\n"
                 "Subscribe to our newsletter for the latest updates from Libya.")
    for d in (a, b):
        at = d.text.index("Subscribe")
        d.noise = [Span(at, len(d.text))]
    al = align_batch([a, b], [], [], AlignSettings())
    grouped = {a.text[m.start:m.end] if m.doc_id == "a" else b.text[m.start:m.end]
               for g in al.groups for m in g.members}
    assert not any("Subscribe" in t for t in grouped)
    assert any("Floods cut" in t for t in grouped)


def test_one_document_and_disabled():
    assert align_batch([WIRE], [], [], AlignSettings()).groups == []
    assert align_batch([WIRE, RESPUN], [], [], AlignSettings(enabled=False)).groups == []
