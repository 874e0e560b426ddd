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


# --- same event, not merely the same kind of event --------------------------------------------

def grouped_pairs(docs: dict[str, Document], al) -> set[frozenset[str]]:
    return {frozenset(m.doc_id for m in g.members) for g in al.groups}


def test_same_kind_of_event_on_another_day_is_not_grouped():
    """Two raids on one town a week apart share every word but the day."""
    tue = doc("tue", "Raid on Homs\n\nIsraeli jets struck a weapons depot near Homs on Tuesday, a Syrian "
                     "military source said.\n\nThe army said air defences intercepted several missiles.",
              date="2024-04-03")
    sat = doc("sat", "New raid on Homs\n\nIsraeli jets struck a weapons depot near Homs on Saturday, a Syrian "
                     "military source said.\n\nResidents reported loud explosions after midnight.",
              date="2024-04-14")
    copy = doc("copy", "Syria says Israel hit Homs depot\n\nA Syrian military source said Israeli warplanes "
                       "struck a weapons depot close to Homs on Tuesday.\n\nNo casualties were reported.",
               date="2024-04-04")
    docs = {d.id: d for d in (tue, sat, copy)}
    al = align_batch(list(docs.values()), [], [], AlignSettings())
    depot = [g for g in al.groups if any("depot" in t for _, t in texts(docs, g))]
    assert any({"tue", "copy"} <= {m.doc_id for m in g.members} for g in depot)
    assert not any("sat" in g.doc_ids() and len(g.doc_ids()) > 1 for g in depot)


def test_relative_date_lines_up_with_the_absolute_one():
    """"Five years ago" in a 2024 article is 2019: it meets "In March 2019", not the same words
    dated "In March 2023"."""
    a = doc("a", "Mozambique braces for storm\n\nFive years ago, a cyclone killed more than 1,000 people "
                 "in Mozambique, Malawi and Zimbabwe.\n\nForecasters expect landfall near Beira on Friday.",
            date="2024-03-12")
    b = doc("b", "Beira evacuates\n\nIn March 2023, a cyclone killed more than 1,000 people in Malawi and "
                 "Mozambique.\n\nIn March 2019, a cyclone killed more than 1,000 people in Malawi and "
                 "Mozambique.\n\nSchools in the port city were closed on Monday.",
            date="2024-03-11")
    docs = {"a": a, "b": b}
    al = align_batch([a, b], [], [], AlignSettings())
    five = [texts(docs, g) for g in al.groups if any("Five years ago" in t for _, t in texts(docs, g))]
    assert five and any("March 2019" in t for _, t in five[0])
    assert not any("March 2023" in t for _, t in five[0])


def test_machine_translated_copy_aligns_with_the_wire():
    """French wire copy run through machine translation: "made N dead", "balance sheet",
    European thousands, the decade calque."""
    wire = doc("wire", "Quake kills hundreds in Herat\n\nThe earthquake in western Afghanistan killed more "
                       "than 2,400 people, according to a new toll from the Taliban administration.\n\n"
                       "Most of the houses in the district, built in the 1980s, were made of mud brick.\n\n"
                       "The World Health Organization sent medical teams to Herat on Monday.",
               date="2023-10-09")
    mt = doc("mt", "Earthquake in Afghanistan\n\nThe earthquake in the west of Afghanistan has made more than "
                   "2.400 dead, according to a new balance sheet of the Taliban administration.\n\n"
                   "The majority of the houses of the district, constructed in the years 1980, were of mud "
                   "brick.\n\nThe prices of the bread doubled in Kabul, according to merchants.",
             date="2023-10-10")
    docs = {"wire": wire, "mt": mt}
    al = align_batch([wire, mt], [], [], AlignSettings())
    sets = [texts(docs, g) for g in al.groups]
    assert any(any("2,400" in t for _, t in g) and any("2.400" in t for _, t in g) for g in sets)
    assert any(any("1980s" in t for _, t in g) and any("years 1980" in t for _, t in g) for g in sets)
    assert not any(any("bread" in t for _, t in g) for g in sets)
    toll = [c for c in al.claims if c.mentions[0].counted == "killed"]
    assert toll and {m.doc_id for m in toll[0].mentions} == {"wire", "mt"}


def test_importing_the_config_does_not_load_the_stage():
    """`audit config check` and the CLI start fast: the alignment stage (numpy, scipy) loads on
    first use."""
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import sys, audit.config; "
                          "print('scipy' in sys.modules, 'audit.align.sentences' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
