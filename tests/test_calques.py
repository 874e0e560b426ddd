"""calques: the lexicon of literal renderings, title conventions, and seeing through fusions."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from audit.artifacts._text import data
from audit.artifacts.calques import CalqueEntry, CalqueSettings, compile_pattern, rules
from audit.artifacts.registry import load_all
from audit.types import BatchContext


def run(*docs, **settings):
    det = load_all()["calques"](CalqueSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


def found(doc, **settings):
    return [(f.text, f.suggestion) for f in run(doc, **settings)]


def test_spanish_titles_and_attribution(make_doc):
    doc = make_doc(
        "Amnesty law\n\nThe president of the government Pedro Sánchez defended the law, "
        "informed EFE sources close to the cabinet. The also minister of Justice Félix Bolaños "
        "spoke the past Thursday.\n")
    assert found(doc) == [("president of the government", "Prime Minister"),
                          ("informed EFE", "told EFE"),
                          ("The also minister", "the minister, who is also"),
                          ("the past Thursday", "last Thursday")]
    f = run(doc)[1]
    assert f.kind == "calque"
    assert f.evidence["source_langs"][0] == "es"
    assert "Spanish" in f.message


def test_french_attribution_and_false_friends(make_doc):
    doc = make_doc(
        "Niger\n\n“The ambassador must leave,” reacted the junta’s spokesman. “We have no "
        "choice,” estimated Colonel Amadou Abdramane, who declared to AFP that an eventual "
        "military intervention would fail. Thousands assisted at the funeral.\n")
    assert found(doc) == [("reacted the junta’s spokesman", "said the junta’s spokesman"),
                          ("estimated Colonel Amadou Abdramane", "said Colonel Amadou Abdramane"),
                          ("declared to AFP", "told AFP"),
                          ("an eventual military intervention", "a possible military intervention"),
                          ("assisted at the funeral", "attend")]


def test_german_idiom(make_doc):
    doc = make_doc("Bundeswehr\n\nThe soldiers will train in the frame of a NATO exercise "
                   "since three years.\n")
    assert found(doc) == [("in the frame of", "as part of"), ("since three years", "for three years")]
    assert run(doc)[0].evidence["source_langs"][0] == "de"


def test_first_minister(make_doc):
    italian = make_doc("Rome\n\nThe first minister Giorgia Meloni met the unions on Friday.\n")
    scottish = make_doc("Holyrood\n\nScotland's First Minister Humza Yousaf met the unions.\n")
    ordinal = make_doc("Cabinet\n\nShe was the first minister to resign over the scandal.\n")
    assert found(italian) == [("first minister", "Prime Minister")]
    assert found(scottish) == [] and found(ordinal) == []


def test_titles_that_do_not_fit_the_country(make_doc):
    doc = make_doc(
        "Summit\n\nAmerican Defense Minister Lloyd Austin and the U.S. Foreign Minister met "
        "Israeli Defense Minister Yoav Gallant and British Foreign Secretary David Cameron. "
        "US Secretary of Defense Lloyd Austin later flew to Kyiv.\n")
    assert found(doc) == [("American Defense Minister", "US Defense Secretary"),
                          ("U.S. Foreign Minister", "US Secretary of State")]
    assert "does not fit the country" in run(doc)[0].message


def test_calque_seen_through_a_fused_word(make_doc):
    doc = make_doc("Madrid\n\nA police officer close to the ministry and the regional "
                   "staffinformed efe of the arrests.\n")
    [f] = run(doc)
    assert f.text == "informed efe"
    assert f.suggestion == "told EFE"
    assert doc.text[f.start - 5:f.start] == "staff"


def test_english_uses_are_not_flagged(make_doc):
    doc = make_doc(
        "War\n\nSince the 7 October attacks, the coalition against the Islamic State group has "
        "grown. The initiation of talks was welcomed. Officials informed the public, and she "
        "reacted calmly. The actual number of deaths is higher. Damages were awarded by the "
        "court.\n")
    assert found(doc) == []


def test_date_with_article(make_doc):
    doc = make_doc("Vote\n\nThe vote will take place on the 12 March, officials said.\n")
    assert found(doc) == [("on the 12 March", "on March 12")]


def test_config_adds_entries_and_class_members(make_doc):
    doc = make_doc("Rome\n\nThe minister confided to Il Messaggero that the cabinet agreed. "
                   "The premier made a tour of horizon of the crisis.\n")
    assert found(doc) == []
    extra = {"id": "tour-of-horizon", "pattern": "tour of horizon", "fix": "overview",
             "langs": ["fr", "it"], "explain": "French 'tour d'horizon' means an overview."}
    got = found(doc, extra_entries=[extra], extra_classes={"outlet": ["Il Messaggero"]})
    assert got == [("confided to Il Messaggero", "told Il Messaggero"),
                   ("tour of horizon", "overview")]


def test_bad_config_entries_are_clear_errors():
    with pytest.raises(ValidationError, match="bad regular expression"):
        CalqueSettings(extra_entries=[{"id": "x", "regex": "(unclosed"}])
    with pytest.raises(ValidationError, match="extra"):
        CalqueSettings(extra_entries=[{"id": "x", "pattern": "a b", "colour": "red"}])
    with pytest.raises(ValidationError, match="calque entry 'x': unknown word class <galaxy>"):
        CalqueSettings(extra_entries=[{"id": "x", "pattern": "seen in <galaxy>"}])


def test_every_shipped_entry_is_complete_and_compiles():
    entries = [CalqueEntry.model_validate(e) for e in data("calques.yaml")["entries"]]
    assert len(entries) >= 40
    assert len({e.id for e in entries}) == len(entries)
    for e in entries:
        assert e.langs and e.explain and e.fix, e.id
        assert e.pattern or e.regex, e.id
    assert len(rules()) > len(entries)          # plus the title conventions


def test_pattern_language():
    classes = {"outlet": ["Reuters", "Associated Press"]}
    rx = compile_pattern("informed [to] <outlet>", classes)
    import re
    assert re.search(rx, "sources informed to the Associated Press") is None
    assert re.search(rx, "sources informed Associated  Press today").group("outlet") == "Associated  Press"
    assert re.search(rx, "they informed to reuters").group() == "informed to reuters"


# --- the general news lexicon: tolls, durations, attribution, Italian and Spanish idioms -------

def test_death_tolls_rendered_word_for_word(make_doc):
    doc = make_doc(
        "Landslide in Peru\n\nThe balance sheet of the landslide rose to 23 dead on Tuesday. "
        "The mudslide made more than 40 wounded in the village of Huaral, a new balance that "
        "rescuers fear will rise, and the collapse of a bridge caused 7 dead.\n")
    got = found(doc)
    assert ("balance sheet", "death toll") in got
    assert ("made more than 40 wounded", "left more than 40 wounded") in got
    assert ("a new balance", "toll") in got
    assert ("caused 7 dead", "killed 7 people") in got
    f = next(f for f in run(doc) if f.text == "a new balance")
    assert f.evidence["rule"] == "balance-toll" and f.evidence["source_langs"][0] == "es"


def test_balance_and_made_in_ordinary_english(make_doc):
    doc = make_doc(
        "Markets\n\nThe bank's balance sheet shrank after the flood losses, and the balance of "
        "power shifted. Regulators must strike a balance between growth and safety after the "
        "deaths of two traders, and the result hung in the balance. The striker made 3 goals "
        "and the fire caused 10 deaths.\n")
    assert found(doc) == []


def test_durations_decades_and_dates(make_doc):
    doc = make_doc(
        "Bridge\n\nThe bridge, built in the years 1960, had not been the object of repairs "
        "since more than thirty years, and the road has been closed since 15 days. It opened on "
        "3 of March in the night of Friday to Saturday.\n")
    got = found(doc)
    assert ("in the years 1960", "in the 1960s") in got
    assert ("the object of repairs", "subject to repairs") in got
    assert ("since more than thirty years", "for more than thirty years") in got
    assert ("since 15 days", "for 15 days") in got
    assert ("3 of March", "March 3") in got
    assert ("in the night of Friday to Saturday", "overnight Friday to Saturday") in got


def test_durations_that_are_english(make_doc):
    doc = make_doc(
        "Economy\n\nPrices have risen since 2020 and since the 1990s; she left since two years "
        "ago. In the years 2020 and 2021 output fell. The object of the game is to win, and he "
        "was the object of ridicule.\n")
    assert found(doc) == []


def test_inverted_speech_with_any_verb_and_a_channel(make_doc):
    doc = make_doc(
        "Kherson\n\n“The shelling has not stopped,” hammered on Telegram the governor of the "
        "region. “We have no water,” recognised the mayor Ihor Kolykhaiev. “Nothing is left,” "
        "deplored on television Oleksandr Prokudin. “It is a crime,” has underlined a spokesman "
        "of the ministry.\n")
    got = dict(found(doc))
    assert got["hammered on Telegram the governor"] == "said the governor"
    assert "recognised the mayor" in got
    assert got["deplored on television Oleksandr Prokudin"] == "said Oleksandr Prokudin"
    assert got["has underlined a spokesman"] == "said the spokesman"


def test_english_attribution_is_not_inverted_speech(make_doc):
    doc = make_doc(
        "Talks\n\n“We will not give up,” said the minister. “Why now?” asked the reporter. "
        "“Enough,” wrote Anna Petrova in a column. “We are ready,” Fed Governor Lisa Cook told "
        "the forum. He toured the plant, visited the president and left.\n")
    assert found(doc) == []


def test_italian_copy(make_doc):
    doc = make_doc(
        "Lampedusa\n\nThe prefecture has rendered known that 600 migrants landed, according to "
        "what reported by the coast guard, in the ambit of an operation that the minister "
        "discussed to the margin of the summit in Brussels.\n")
    got = dict(found(doc))
    assert got["has rendered known"] == "announced"
    assert got["according to what reported"] == "according to"
    assert got["in the ambit of"] == "as part of"
    assert got["to the margin of the summit"] == "on the sidelines of"
    langs = {f.text: f.evidence["source_langs"][0] for f in run(doc)}
    assert langs["has rendered known"] == langs["in the ambit of"] == "it"


def test_spanish_and_french_idioms(make_doc):
    doc = make_doc(
        "Quito\n\nThe president carried out a surprise visit to Guayaquil, where the Navy has its "
        "command with seat in the port. The ecuadorian chief of the Colombian diplomacy spoke "
        "at a press point, and witnesses joined by telephone by AFP described the combats in "
        "the prison, which is in the point dead since March.\n")
    got = dict(found(doc))
    assert got["carried out a surprise visit"] == "visited"
    assert got["with seat in"] == "based in"
    assert got["chief of the Colombian diplomacy"] == "the Colombian foreign minister"
    assert got["press point"] == "news briefing"
    assert any("joined by telephone" in k for k in got)
    assert got["the combats"] == "the fighting"


def test_english_phrases_close_to_the_calques(make_doc):
    doc = make_doc(
        "Briefing\n\nThe minister held a press conference and joined by phone from Washington. "
        "In large measure to their credit, teams of rescuers arrived. Within the ambit of the "
        "law, the court ruled. Combat troops left. He pushed the envelope, and an envelope of "
        "cash was found. The general public was told as a matter of urgency.\n")
    assert found(doc) == []


def test_preposition_calques_are_filed_as_grammar(make_doc):
    doc = make_doc("Niamey\n\nThe junta asked to the population to stay calm and urged the "
                   "rebels to renounce to their attacks.\n")
    kinds = {f.text: f.kind for f in run(doc)}
    assert kinds == {"asked to the population to": "grammar", "renounce to": "grammar"}
    f = run(doc)[0]
    assert f.family == "surface" and "construction carried over" in f.message


def test_number_and_suffix_slots():
    import re
    rx = compile_pattern("made [<approx>] <Number> dead", {"approx": ["more than"]})
    for text in ("made 11,300 dead", "made more than twenty-five dead", "made 30.000 dead",
                 "made a dozen dead", "made 2.5 million dead"):
        assert re.search(rx, text), text
    assert re.search(rx, "made goals dead") is None
    rx = compile_pattern("*ed the <speaker>", {"speaker": ["minister"]})
    assert re.search(rx, "“No,” hammered the minister").group("word") == "hammered"
    assert re.search(rx, "Fed the minister") is None


def test_entry_conditions_and_errors():
    with pytest.raises(ValidationError, match="unknown word class <nowhere>"):
        CalqueSettings(extra_entries=[{"id": "x", "pattern": "*ed <Name>", "exclude": {"word": "nowhere"}}])
    with pytest.raises(ValidationError, match="kind must be one of"):
        CalqueSettings(extra_entries=[{"id": "x", "pattern": "a b", "kind": "noise"}])
    with pytest.raises(ValidationError, match="bad regular expression"):
        CalqueSettings(extra_entries=[{"id": "x", "pattern": "a b", "not_after": "(open"}])


def test_the_lexicon_is_broad():
    entries = [CalqueEntry.model_validate(e) for e in data("calques.yaml")["entries"]]
    assert len(entries) >= 120
    langs = {lang for e in entries for lang in e.langs}
    assert {"fr", "es", "it", "de", "pt", "ar", "ru"} <= langs
    assert sum(1 for e in entries if e.langs[0] == "it") >= 10


def test_portuguese_russian_and_arabic_copy(make_doc):
    doc = make_doc(
        "Brasilia\n\nIn a note released on Monday, the federal deputy Nikolas Ferreira attacked a "
        "minister of the STF. Russian troops advanced in the Pokrovsk direction, while the Hebrew "
        "state closed the crossing.\n")
    got = dict(found(doc))
    assert got["In a note released"] == "in a statement"
    assert got["minister of the STF"] == "Supreme Court justice"
    assert got["in the Pokrovsk direction"] == "on the Pokrovsk front"
    assert got["the Hebrew state"] == "Israel"
    first = {f.text: f.evidence["source_langs"][0] for f in run(doc)}
    assert first["federal deputy"] == "pt" and first["in the Pokrovsk direction"] == "ru"
