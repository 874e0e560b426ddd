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


# Two strikes six weeks apart told in the same words (different place, no date in the sentence),
# and the first one retold by another outlet in other words the next day.
ODESA = doc("odesa", "Drones hit energy site in Odesa\n\n"
            "Russian drones struck an energy facility in the southern Odesa region overnight, cutting power "
            "to thousands of homes, regional governor Oleh Kiper said.\n\n"
            "Ukraine's air force said it shot down 11 of the 13 drones launched overnight.\n\n"
            "Russia has repeatedly struck Ukraine's energy grid, plunging whole cities into darkness.",
            date="2024-03-12")
ODESA_RETOLD = doc("odesa-retold", "Odessa region left without electricity\n\n"
                   "Overnight, an energy installation of the Odessa region was hit by Russian unmanned aerial "
                   "vehicles, leaving thousands of households without electricity, according to governor "
                   "Oleh Kiper.\n\nThe air defence destroyed 11 of the 13 Shahed drones, according to the "
                   "air force.", date="2024-03-13")
KHARKIV = doc("kharkiv", "Drones hit energy site in Kharkiv\n\n"
              "Russian drones struck an energy facility in the Kharkiv region overnight, cutting power to "
              "thousands of homes, the regional governor said on Thursday.\n\n"
              "Russia has regularly struck Ukraine's power grid, leaving whole cities in darkness.",
              date="2024-04-25")


def test_same_words_weeks_apart_are_two_strikes_not_one():
    """Undated event reports from articles weeks apart are two events ("said on Thursday" dates
    the saying, not the strike); the same strike retold in other words still aligns, and the
    habitual background sentence aligns across the weeks."""
    docs = {d.id: d for d in (ODESA, ODESA_RETOLD, KHARKIV)}
    al = align_batch(list(docs.values()), [], [], AlignSettings())
    sets = [texts(docs, g) for g in al.groups]
    struck = [g for g in sets if any("drones struck" in t or "Drones hit" in t for _, t in g)]
    assert not any({"odesa", "kharkiv"} <= {d for d, _ in g} for g in struck), struck
    lead = next(g for g in sets if any(t.startswith("Russian drones struck an energy facility in the southern")
                                      for _, t in g))
    assert any(d == "odesa-retold" and "unmanned aerial" in t for d, t in lead)
    grid = next(g for g in sets if any("repeatedly struck" in t for _, t in g))
    assert any(d == "kharkiv" and "regularly struck" in t for d, t in grid)


def test_a_name_and_a_title_are_not_a_statement():
    """Two sentences about one president that say different things share his name, his title and
    the day: not what they say."""
    a = doc("a", "Kenya drops tax rises\n\nNAIROBI, June 26 (Reuters) - Kenyan President William Ruto said "
                 "on Wednesday that the finance bill would be withdrawn after days of deadly protests.\n\n"
                 "At least 23 people were killed when police opened fire on protesters outside parliament.",
            date="2024-06-26")
    b = doc("b", "Calm returns to Nairobi\n\nNAIROBI (AFP) - Kenyan President William Ruto on Wednesday "
                 "praised the police for restoring calm in the capital.\n\nPolice opened fire on protesters "
                 "outside parliament, killing at least 23 people, rights groups said.", date="2024-06-26")
    docs = {"a": a, "b": b}
    sets = [texts(docs, g) for g in align_batch([a, b], [], [], AlignSettings()).groups]
    assert not any(any("finance bill" in t for _, t in g) and any("praised" in t for _, t in g) for g in sets)
    assert any(any("At least 23" in t for _, t in g) and any("killing at least 23" in t for _, t in g)
               for g in sets)


def test_a_member_must_match_half_the_group():
    """Average linkage keeps a group's mean up; a member that matches one of three others leaves."""
    import numpy as np

    from audit.align.sentences import PairTable, prune, unit_sentences
    texts_ = {"a": "Flood\n\nThe river burst its banks in Porto Alegre on Monday.",
              "b": "Flood\n\nFloodwater covered the airport of Porto Alegre on Monday.",
              "c": "Flood\n\nThe Guaiba river overflowed in Porto Alegre on Monday.",
              "d": "Flood\n\nPresident Lula promised federal money for reconstruction."}
    ds = [doc(k, v, date="2024-05-06") for k, v in texts_.items()]
    idx = build_index(ds, [], load_lexicon())
    s = AlignSettings().sentences
    sents = [x for x in unit_sentences(idx, [d.id for d in ds], s) if x.span.end - x.span.start > 10]
    pos = {x.doc_id: n for n, x in enumerate(sents)}
    scores = {("a", "b"): 0.5, ("a", "c"): 0.6, ("b", "c"): 0.4, ("a", "d"): 0.5, ("b", "d"): 0.0,
              ("c", "d"): 0.0}
    i, j, v = zip(*[(pos[x], pos[y], sc) for (x, y), sc in scores.items()])
    table = PairTable(np.array(i), np.array(j), np.array(v), np.ones(len(v), bool))
    kept = prune(idx, sents, table, [sorted(pos.values())], s)
    assert [sorted(sents[m].doc_id for m in g) for g in kept] == [["a", "b", "c"]]
