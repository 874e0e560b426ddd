"""Name slips that only the batch shows: a name word autocorrected into an English word, a
slip beside a routine romanisation choice, a reference nobody in the batch writes, two
neighbouring words that outlets write as one name. Texts are written for the tests (none from
the real-text corpus); outlets and names are invented where they can be."""
import re

from audit.artifacts.entities import EntityVariants
from audit.types import BatchContext, Document, SourceMeta, Span


def make_doc(doc_id: str, text: str, outlet: str) -> Document:
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, outlet=outlet, lines=lines,
                    paragraphs=list(lines), source=SourceMeta(outlet=outlet))


def run(docs, **settings):
    ctx = BatchContext(docs=docs)
    return EntityVariants(EntityVariants.Settings(**settings)).run(ctx), ctx


def flagged(findings):
    return sorted((f.doc_id, f.text, f.evidence["verdict"]) for f in findings)


def _story(spellings: list[str], template: str) -> list:
    return [make_doc(f"d{i}", template.format(name=s, town=s), f"Outlet {i}") for i, s in enumerate(spellings)]


TEMPLATE = ("Talks resume in the capital\n\n"
            "The minister {name} met the delegation on Tuesday. Officials said the talks on the "
            "water treaty would go on for two more days before a statement is issued.\n")


def test_name_word_turned_english_word_against_outlets_is_garbled():
    docs = _story(["Recep Tayyip Kandemir"] * 3 + ["Recap Tayyip Kandemir"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    got = [f for f in findings if f.doc_id == "d3"]
    assert [(f.text, f.evidence["verdict"], f.evidence["rule"]) for f in got] == \
        [("Recap Tayyip Kandemir", "garbled", "spell-checker")]
    assert "3 other outlets write" in got[0].message
    assert got[0].suggestion == "Recep Tayyip Kandemir"


def test_english_word_backed_by_one_outlet_only_is_left_alone():
    docs = _story(["Recep Tayyip Kandemir", "Recap Tayyip Kandemir"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert not [f for f in findings if f.evidence.get("rule") == "spell-checker"]


def test_common_first_names_one_letter_apart_need_a_commoner_english_word():
    # "Mohamed" for "Mohammed" is a routine romanisation: not an English word, no margin
    docs = _story(["Mohammed Kandemir"] * 3 + ["Mohamed Kandemir"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert not [f for f in findings if f.evidence.get("rule") == "spell-checker"]


def test_slip_beside_a_routine_choice_is_still_a_slip():
    # the minority's "Mohammad" is an established spelling; its doubled l is the slip
    docs = _story(["Mohammed al-Jalani"] * 3 + ["Mohammad al-Jallani"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    got = flagged(f for f in findings if f.doc_id == "d3")
    assert got == [("d3", "Mohammad al-Jallani", "garbled")]


def test_routine_choice_alone_is_not_flagged():
    docs = _story(["Mohammed al-Jalani"] * 3 + ["Mohammad al-Jalani"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == []


def test_two_words_that_outlets_write_as_one_name():
    text = ("Quake hits the county\n\nRescuers reached {name} County on Tuesday, where the quake "
            "destroyed homes. Jishavan was cut off for a day, officials said.\n")
    docs = _story(["Jishavan"] * 3 + ["Ji Shavan"], text)
    findings, _ = run(docs, shipped_gazetteer=False)
    got = [f for f in findings if f.doc_id == "d3"]
    assert [(f.text, f.evidence["verdict"]) for f in got] == [("Ji Shavan County", "garbled")]
    assert "splits one name" in got[0].message


def test_accents_dropped_are_no_spell_checker_change():
    docs = _story(["Pedro Sánchez"] * 3 + ["Pedro Sanchez"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert not [f for f in findings if f.evidence.get("rule") == "spell-checker"]


def test_outlets_writing_the_surname_alone_decide_between_two_full_spellings():
    # one outlet each for the two full spellings; three more write the surname alone
    full = ("Border checks extended\n\nInterior minister {name} said on Monday that the checks "
            "at the eastern border would stay for another month.\n")
    alone = ("Border checks extended\n\nThe interior ministry said on Monday that the checks at "
             "the eastern border would stay. Valdeser said the decision was final.\n")
    docs = [make_doc("full-a", full.format(name="Nadia Valdeser"), "Outlet A"),
            make_doc("full-b", full.format(name="Nadia Valdser"), "Outlet B")]
    docs += [make_doc(f"alone-{i}", alone, f"Outlet {i}") for i in range(3)]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert [(f.doc_id, f.text, f.evidence["verdict"]) for f in findings] == \
        [("full-b", "Nadia Valdser", "garbled")]


def test_a_slip_goes_to_the_strictly_nearest_of_two_supported_names():
    # one swap from Dravinatsky, two edits from Dravinatka: the nearer one decides
    text = ("Volcano erupts\n\nAsh fell on {town} on Sunday, officials in Dravinatka said. "
            "Flights were cancelled for the day.\n")
    docs = _story(["Dravinatsky"] * 3 + ["Dravinastky"], text)
    findings, _ = run(docs, shipped_gazetteer=False)
    got = [(f.text, f.evidence["verdict"], f.suggestion) for f in findings if f.doc_id == "d3"]
    assert got == [("Dravinastky", "garbled", "Dravinatsky")]


def test_a_name_near_a_family_of_names_is_left_alone():
    # one edit from Dravinatsky and two from Dravinatka, with no letters swapped: a name of its
    # own made from the same root
    text = ("Volcano erupts\n\nAsh fell on {town} on Sunday, officials in Dravinatka said. "
            "Flights were cancelled for the day.\n")
    docs = _story(["Dravinatsky"] * 3 + ["Dravinatsk"], text)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [f.text for f in findings if f.doc_id == "d3"] == []


def test_a_short_word_slip_inside_a_full_name_outlets_agree_on():
    docs = _story(["Tran Duc Phic"] * 3 + ["Tran Duc Pich"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    got = [(f.text, f.evidence["verdict"], f.suggestion) for f in findings if f.doc_id == "d3"]
    assert got == [("Tran Duc Pich", "garbled", "Tran Duc Phic")]


def test_a_short_word_alone_is_not_compared():
    docs = _story(["Tran Duc Phic"] * 3, TEMPLATE) + \
        [make_doc("d3", TEMPLATE.format(name="Pich", town="Pich"), "Outlet 3")]
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [f.text for f in findings if f.doc_id == "d3"] == []


def test_a_short_one_word_name_is_not_pinned_by_nothing():
    # lone short names: nothing else in the mention to say they are one name
    docs = _story(["Phic"] * 3 + ["Pich"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [f.text for f in findings if f.doc_id == "d3"] == []


def test_final_y_for_i_is_a_routine_choice_even_against_a_majority():
    # Mamady/Mamadi, Dmitry/Dmitri: one letter to English, whatever most outlets write
    docs = _story(["Mamadi Koulibenga"] * 3 + ["Mamady Koulibenga"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == []
    # the same letter moved inside the name is still weighed against the majority
    docs = _story(["Mamadi Koulibenga"] * 3 + ["Mamadi Koulybenga"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [(d, t) for d, t, _ in flagged(findings)] == [("d3", "Mamadi Koulybenga")]


def test_a_surname_is_no_slip_of_another_persons_first_name():
    # three outlets write Calinor as a first name; "Murat Calinok" is a surname one edit away
    text = ("Court ruling\n\nThe court heard Calinor Vasquetti on Monday. {extra}Officials said "
            "the ruling on the water treaty would be issued within two days.\n")
    docs = [make_doc(f"d{i}", text.format(extra=""), f"Outlet {i}") for i in range(3)]
    docs.append(make_doc("d3", text.format(extra="Lawyer Murat Calinok objected. "), "Outlet 3"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert not [f for f in findings if "Calinok" in f.text]
    # the same slip in the first-name place is one
    docs[3] = make_doc("d3", text.format(extra="").replace("Calinor Vasquetti",
                                                           "Calinok Vasquetti"), "Outlet 3")
    findings, _ = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("d3", "Calinok Vasquetti", "garbled")]


def test_a_name_another_outlet_writes_is_no_spell_checker_word():
    # "Nelson Cruz" beside "Nelsy Cruz" in one article reads as autocorrection, unless another
    # outlet writes Nelson Cruz itself: then it is a second person
    a = ("Collapse\n\nGovernor Nelsy Cruz died in hospital. Nelsy Cruz had attended the "
         "concert, and Nelson Cruz, a baseball player, was also there.\n")
    b = "Collapse\n\nGovernor Nelsy Cruz died in hospital, officials said on Tuesday.\n"
    findings, _ = run([make_doc("a", a, "A"), make_doc("b", b, "B")], shipped_gazetteer=False)
    assert [(f.text, f.evidence["rule"]) for f in findings] == [("Nelson Cruz", "spell-checker")]
    b = ("Collapse\n\nGovernor Nelsy Cruz died in hospital. The baseball All-Star Nelson Cruz "
         "was at the concert.\n")
    findings, _ = run([make_doc("a", a, "A"), make_doc("b", b, "B")], shipped_gazetteer=False)
    assert not [f for f in findings if f.evidence.get("rule") == "spell-checker"]


def test_a_popes_regnal_name_in_another_language_is_foreign():
    x = ("Habemus papam\n\nLeone XIV greeted the crowd from the balcony. The new pope, "
         "Robert Prevost, spoke in Italian and Spanish.\n")
    findings, _ = run([make_doc("x", x, "Copy")])
    assert [(f.text, f.evidence["verdict"], f.evidence.get("language"), f.suggestion)
            for f in findings] == [("Leone XIV", "foreign", "it", "Leo XIV")]


def test_a_source_presss_spelling_beside_the_english_one_is_foreign():
    # wordfreq: French text writes Oussama (3.1) far more than English (1.6), which writes
    # Osama (3.3); Mohamed/Mohammed is a spelling English itself uses: left alone
    docs = _story(["Osama Kandemir"] * 2 + ["Oussama Kandemir"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [(f.doc_id, f.text, f.evidence["verdict"], f.evidence["rule"], f.evidence["language"])
            for f in findings] == [("d2", "Oussama Kandemir", "foreign", "press-spelling", "fr")]
    assert "French text writes “Oussama”" in findings[0].message
    docs = _story(["Mohammed Kandemir"] * 2 + ["Mohamed Kandemir"], TEMPLATE)
    findings, _ = run(docs, shipped_gazetteer=False)
    assert findings == []


def test_a_slavic_adjective_of_a_place_outlets_write_as_a_noun_is_foreign():
    t = ("Dam breach\n\nWater poured from the {dam} on Tuesday, officials in {town} said. "
         "Residents of {town} were moved to higher ground as the river rose.\n")
    docs = [make_doc(f"d{i}", t.format(dam="Borovka dam", town="Borovka"), f"Outlet {i}")
            for i in range(3)]
    docs.append(make_doc("ru", t.format(dam="Borovskaya HPP", town="Borovka"), "Copy"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert [(f.doc_id, f.text, f.evidence["rule"], f.evidence["language"], f.suggestion)
            for f in findings] == [("ru", "Borovskaya HPP", "slavic-adjective", "ru", "Borovka HPP")]
    assert "Russian adjective “Borovskaya”" in findings[0].message
    # after another name word the adjective is the place's own name (Petropavlovsk-Kamchatsky),
    # and a surname of the shape finds no place the batch writes
    docs[3] = make_doc("ru", t.format(dam="dam near Ustinsk-Borovsky", town="Borovka")
                       .replace("officials", "Governor Dmitry Kandinsky and officials"), "Copy")
    findings, _ = run(docs, shipped_gazetteer=False)
    assert not [f for f in findings if f.evidence["rule"] == "slavic-adjective"]


def test_a_name_garbled_by_an_encoding_round_trip_is_repaired_with_ftfy():
    x = ("Rescue\n\nJuan Manuel MĂ©ndez, head of the rescue, said teams heard sounds. Călin "
         "Kaliňák and Murat Çalık of the Nzérékoré team helped, MĂ©ndez said.\n")
    findings, _ = run([make_doc("x", x, "Copy")], shipped_gazetteer=False)
    got = [(f.text, f.evidence["verdict"], f.evidence["rule"], f.suggestion) for f in findings]
    assert got == [("MĂ©ndez", "garbled", "mojibake", "Méndez")] * 2
    assert "encoding round trip" in findings[0].message
