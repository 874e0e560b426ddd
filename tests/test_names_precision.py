"""Precision rules for names that real copy asked for (round 7, fresh5 and fresh): a place's
romanisation needs a stronger majority than a person's spelling, a word that shares a sound key
with a listed name is no garbling of it, a first name in its own language's accented spelling
is no slip, and three reordered letters in a clean article are an acronym of their own. Texts
are written for the tests; names are invented where they can be."""
import re

from audit.artifacts.entities import EntityVariants
from audit.types import BatchContext, Document, SourceMeta, Span


def make_doc(doc_id: str, text: str, outlet: str) -> Document:
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, outlet=outlet, lines=lines,
                    paragraphs=list(lines), source=SourceMeta(outlet=outlet))


def run(docs, **settings):
    ctx = BatchContext(docs=docs)
    return EntityVariants(EntityVariants.Settings(**settings)).run(ctx)


def flagged(findings):
    return sorted((f.doc_id, f.text, f.evidence["verdict"]) for f in findings)


def story(spellings: list[str], template: str) -> list[Document]:
    return [make_doc(f"d{i}", template.format(name=s), f"Outlet {i}") for i, s in enumerate(spellings)]


BRIDGE = ("Fighting near the river\n\nThe militia crossed the {name} Bridge at dawn and shelled the "
          "market. Residents said the water station had been out of service for two days.\n")
PERSON = ("Talks resume in the capital\n\nThe minister {name} met the delegation on Tuesday. "
          "Officials said the talks on the water treaty would go on for two more days.\n")


def test_a_place_romanised_from_another_script_needs_three_outlets_against_it():
    # u for ou in a bridge's name: a romanisation choice against two outlets ...
    assert flagged(run(story(["Kaltoub"] * 2 + ["Kaltub"], BRIDGE), shipped_gazetteer=False)) == []
    # ... a slip against three
    got = flagged(run(story(["Kaltoub"] * 3 + ["Kaltub"], BRIDGE), shipped_gazetteer=False))
    assert got == [("d3", "Kaltub Bridge", "garbled")]


def test_a_persons_own_spelling_needs_only_two_outlets():
    got = flagged(run(story(["Moussa Kantoub"] * 2 + ["Moussa Kantub"], PERSON),
                      shipped_gazetteer=False))
    assert got == [("d2", "Moussa Kantub", "garbled")]


KAZ = ("Plane crash\n\nThe {name} transport ministry said the plane was carrying 37 people. "
       "Rescuers reached the site within an hour, the ministry said.\n")
GAZA = ("Aid convoy\n\nThe convoy reached Gaza on Monday. Officials in Gaza said the trucks "
        "carried flour and medicine for two weeks.\n")


def test_a_word_sharing_a_sound_key_with_a_listed_name_is_not_its_garbling():
    docs = [make_doc("g", GAZA, "Wire"), make_doc("k1", KAZ.format(name="Kazakh"), "Outlet K")]
    assert [f.text for f in run(docs)] == []


ACCENT = ("Transition\n\nThe court asked Colonel {name} to take over as head of state. "
          "Officials said the handover would take place on Friday.\n")


def test_a_first_name_in_its_own_languages_accented_spelling_is_no_slip():
    names = ["Michael Tsaravelo"] * 3 + ["Mickaël Tsaravelo"]
    assert flagged(run(story(names, ACCENT), shipped_gazetteer=False)) == []
    # the same consonant change without the accent is still weighed as a slip
    names = ["Michael Tsaravelo"] * 3 + ["Mickael Tsaravelo"]
    assert flagged(run(story(names, ACCENT), shipped_gazetteer=False)) != []


AGENCY = ("Crash inquiry\n\nThe NIA has opened an inquiry into the crash, officials said. "
          "{extra}Investigators from the NIA reached the site on Friday.\n")


def test_three_reordered_letters_in_a_clean_article_are_an_acronym_of_their_own():
    docs = [make_doc(f"d{i}", AGENCY.format(extra=""), f"Outlet {i}") for i in range(3)]
    docs.append(make_doc("d3", "Survivor found\n\nThe police commissioner told news agency ANI "
                               "that the survivor was found in seat 11A.\n", "Outlet 3"))
    assert [f.text for f in run(docs, shipped_gazetteer=False) if f.doc_id == "d3"] == []


MUSEUM = ("Heist in Paris\n\nThieves broke into the {name} on Sunday morning and took eight "
          "pieces of jewellery. The museum stayed shut for three days.\n")


def test_a_slip_of_a_name_english_text_knows_moderately_well_is_found():
    # Louvre is zipf 3.1 in English: a proper name, not a common word no name slips from
    got = flagged(run(story(["Louvre"] * 3 + ["Lourve"], MUSEUM), shipped_gazetteer=False))
    assert got == [("d3", "Lourve", "garbled")]


PARTY = ("Election result\n\nThe candidate of the {name} won the vote on Saturday, the "
         "election commission said. Turnout was close to seventy per cent.\n")


def test_a_party_name_with_two_words_swapped_is_garbled():
    names = ["Liberal Progressive Alliance"] * 3 + ["Progressive Liberal Alliance"]
    findings = run(story(names, PARTY), shipped_gazetteer=False)
    assert [(f.doc_id, f.text, f.evidence["rule"]) for f in findings] == \
        [("d3", "Progressive Liberal Alliance", "reworded-name")]
    assert "in another order; 3 other outlets write “Liberal Progressive Alliance”" in findings[0].message


def test_a_consonant_slip_in_a_common_word_of_a_name_is_garbled_a_vowel_is_not():
    got = run(story(["United Farmers Alliance"] * 2 + ["Unites Farmers Alliance"], PARTY),
              shipped_gazetteer=False)
    assert [(f.text, f.suggestion) for f in got] == [("Unites Farmers Alliance", "United Farmers Alliance")]
    # a vowel (Farmars) or a plural (Alliances) is a choice or English usage: left alone
    for odd in ("United Farmars Alliance", "United Farmers Alliances"):
        got = run(story(["United Farmers Alliance"] * 2 + [odd], PARTY), shipped_gazetteer=False)
        assert [f.text for f in got if f.evidence["rule"] == "reworded-name"] == []


def test_a_spinners_synonym_in_a_name_another_outlet_writes_is_garbled():
    names = ["Northern Resistance Front", "Northern Resistance Entrance"]
    got = run(story(names, PARTY), shipped_gazetteer=False)
    assert [(f.doc_id, f.text) for f in got] == [("d1", "Northern Resistance Entrance")]
    assert "a synonym a rewording tool puts in a name's place; 1 other outlet writes" in got[0].message
    # an ordinary word of one outlet's name, beside another's, is no evidence of spinning
    got = run(story(["Northern Resistance Front", "Northern Resistance Council"], PARTY),
              shipped_gazetteer=False)
    assert got == []


def test_every_changed_word_a_spinners_synonym_is_still_one_rewording():
    names = ["National Unity Government", "Nationwide Unity Authorities"]
    got = run(story(names, PARTY), shipped_gazetteer=False)
    assert [(f.doc_id, f.text, f.suggestion) for f in got] == \
        [("d1", "Nationwide Unity Authorities", "National Unity Government")]
