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


def flags_damage_only(make_doc, damaged: str, expected: set[str], clean: str) -> set[str]:
    """The texts flagged in `damaged` include every one of `expected`, and the English look-alike
    `clean` is flagged nowhere; returns what `damaged` flagged, for further checks."""
    got = {t for t, _ in found(make_doc(damaged))}
    assert expected <= got
    assert found(make_doc(clean)) == []
    return got


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
    doc = make_doc("Rome\n\nThe minister confided to Il Tirreno that the cabinet agreed. "
                   "The premier made a tour of horizon of the crisis.\n")
    assert found(doc) == []
    extra = {"id": "tour-of-horizon", "pattern": "tour of horizon", "fix": "overview",
             "langs": ["fr", "it"], "explain": "French 'tour d'horizon' means an overview."}
    got = found(doc, extra_entries=[extra], extra_classes={"outlet": ["Il Tirreno"]})
    assert got == [("confided to Il Tirreno", "told Il Tirreno"),
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
        # a synonym spinner swaps English words: its entries have no source language
        assert (e.langs or e.id.startswith("spun-")) and e.explain and e.fix, e.id
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
    assert sum(1 for e in entries if e.langs[:1] == ["it"]) >= 10


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


# --- round 3: the pattern machinery --------------------------------------------------------------

def test_verb_slot_inflects_regular_and_irregular_verbs():
    import re
    from audit.artifacts.calques import verb_forms
    assert {"make", "makes", "made", "making"} <= set(verb_forms("make"))
    assert {"carries", "carried", "carrying"} <= set(verb_forms("carry"))
    assert {"realised", "realizing", "realises"} <= set(verb_forms("realize"))
    assert {"stopped", "stopping"} <= set(verb_forms("stop"))
    rx = compile_pattern("give+ continuity to", {})
    assert re.search(rx, "the minister gave continuity to the plan")
    assert re.search(rx, "by giving continuity to it")
    assert re.search(rx, "a given continuity to") is not None      # forms, not meanings
    assert re.search(rx, "gift continuity to") is None


def test_gap_and_day_slots():
    import re
    rx = compile_pattern("convened *{0,3} a table", {})
    assert re.search(rx, "the prefect convened for next Monday a table").group() == \
        "convened for next Monday a table"
    assert re.search(rx, "convened a table")
    assert re.search(rx, "convened the four regional leaders a table") is None   # four words
    with pytest.raises(ValueError, match="cannot open a pattern"):
        compile_pattern("*{0,2} table", {})
    rx = compile_pattern("the past <month> <Day>", {"month": ["March"]})
    assert re.search(rx, "on the past March 31st").group("day") == "31st"
    assert re.search(rx, "the past March 32") is None


def test_name_slot_takes_a_courtesy_title(make_doc):
    doc = make_doc("Paris\n\n“We will not give in,” hammered Mr. Bayrou on Tuesday.\n")
    assert found(doc) == [("hammered Mr. Bayrou", "said Mr. Bayrou")]


def test_document_context_decides_an_entry(make_doc):
    french = make_doc("Fort-de-France\n\nGendarmes were flown in from the Hexagon after the "
                      "riots in Martinique.\n")
    arts = make_doc("Reading\n\nThe band played to a full house at the Hexagon last night.\n")
    assert found(french) == [("the Hexagon", "mainland France")]
    assert found(arts) == []


def test_required_words_skip_rules_without_changing_results(make_doc):
    from audit.artifacts import calques
    assert calques.required_literals(r"(?i)\bthe\s+(?:holder|titular)\s+of\b") == \
        frozenset({"holder", "titular"})
    assert calques.required_literals(r"(?i)\b(?:in|at)\s+the\s+site\b") == frozenset({"site"})
    assert calques.required_literals(r"\d+\s*h") is None
    assert calques.pattern_literals("make+ pressure on") == frozenset({"pressure"})
    assert calques.pattern_literals("<outlet> [said] <Name>") is None
    text = ("Lima\n\nThe ministry realized a census in all the country, according to the data of "
            "the INEI, and the dead surpass the 3,000. The premier gave continuity to the plan.\n")
    rules = calques.rules()
    with_needs = found(make_doc(text))
    saved = [r.needs for r in rules]
    try:
        for r in rules:
            r.needs = None
        without = found(make_doc(text, doc_id="other"))
    finally:
        for r, n in zip(rules, saved):
            r.needs = n
    assert with_needs == without and len(with_needs) >= 4


def test_words_token_merge_wrongly_splits_are_still_seen(make_doc):
    doc = make_doc("Buenos Aires\n\nThe officialism lacks a majority, and the officialism "
                   "promised a vote.\n")
    assert [t for t, _ in found(doc)] == ["officialism", "officialism"]


# --- round 3: families ---------------------------------------------------------------------------

def test_french_verb_noun_families(make_doc):
    doc = make_doc(
        "Dakar\n\nThe ministry made state of 40 arrests, and the union made part of its anger. "
        "The opposition put in cause the prefect, whose reform puts in danger the whole process. "
        "The gendarmes proceeded to the dismantling of the camp and proceeded to several "
        "interpellations. The mayor has made the object of threats.\n")
    got = {t: rid for t, rid in ((f.text, f.evidence["rule"]) for f in run(doc))}
    assert got["made state of"] == "made-state-of"
    assert got["made part of its"] == "made-part-of-possessive"
    assert got["put in cause"] == "put-in-cause"
    assert got["puts in danger"] == "put-in-danger-object"
    assert got["proceeded to the dismantling of"] == "proceed-to-nominalisation"
    assert got["proceeded to several interpellations"] == "proceed-to-arrests"
    assert got["made the object of"] == "made-the-object-of"


def test_french_verb_noun_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Markets\n\nThe firm made state-of-the-art chips and made part of its fortune in Asia "
        "last decade? No: it was made part of the index. Lives were put in danger. The convoy "
        "proceeded to the station of Lyon, then proceeded to arrest him. She was made the object "
        "of ridicule, and they met face to face.\n")
    assert [f for f in found(doc) if f[0] != "made part of its"] == []


def test_dont_clauses_without_a_verb(make_doc):
    doc = make_doc("Bamako\n\nTwelve soldiers were killed, of which three officers, and 40 "
                   "wounded, of whom two were evacuated. The plan has ten points, of which the "
                   "first is urgent.\n")
    assert found(doc) == [("of which three officers", "including three officers")]


def test_spanish_reporting_families(make_doc):
    doc = make_doc(
        "Santiago\n\nThe opposition, which counts with 60 seats, made a call to the government to "
        "resign and assures that the vote was rigged, citing denunciations of fraud. In what goes "
        "of the year, clashes were registered in several cities; the called 'student bench' "
        "voted with more of 55% of the seats. The Executive will realize a consultation in all "
        "the country, and the minister will assume the charge the next March 11.\n")
    got = dict(found(doc))
    assert got["counts with 60"] == "has"
    assert got["made a call to"] == "called on"
    assert got["assures that"] == "said that"
    assert "denunciations of fraud" in got
    assert got["In what goes of the year"] == "so far this year"
    assert got["clashes were registered"] == "there were clashes"
    assert got["the called"] == "the so-called"
    assert got["more of 55"] == "more than 55"
    assert got["The Executive"] == "the government"
    assert "realize a consultation" in got
    assert got["in all the country"] == "across the country"
    assert got["assume the charge"] == "take office"
    assert got["the next March 11"] == "on March 11"


def test_spanish_family_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Belfast\n\nThe Executive met on Monday; the Executive Office said the first minister "
        "would attend. She made a call to her lawyer by phone. Votes were registered late and "
        "more of 2020's hits were played. She realized the importance of the vote, and he took "
        "the charge of the brigade. His fierce denunciations of corruption were praised. "
        "Residents of all the country's regions voted.\n")
    assert found(doc) == []


def test_tolls_dates_and_numbers(make_doc):
    doc = make_doc(
        "Gaza\n\nThe ministry raised to 41,000 the number of dead, while the wounded surpass the "
        "95,000, according to the Israeli balance of the attack that killed 1,200 people the "
        "past October 7. A curfew runs from 20 hours to 6 hours.\n")
    got = dict(found(doc))
    assert got["raised to 41,000 the number"] == "raised the number to 41,000"
    assert got["surpass the 95,000"] == "exceed 95,000"
    assert got["the past October 7"] == "on October 7"
    assert "from 20 hours to 6 hours" in got
    assert "the Israeli balance" not in got       # "balance of the attack": not a toll here


def test_toll_and_time_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Economy\n\nThe index reached the 5,000 mark after 12 hours of trading and rose from 8 "
        "hours to 10 hours of work a day. The next March 15 is a holiday; the past few months "
        "were hard, and exports exceeded the two sides' forecasts.\n")
    assert found(doc) == []


def test_italian_families(make_doc):
    doc = make_doc(
        "Naples\n\nThe prefect has disposed for tomorrow the closure of the schools, and the "
        "mayor has convoked a table with the unions. In a telephone colloquy the premier "
        "underlined the necessity of a response, while firefighters effected numerous "
        "verifications. No damages to persons were reported, the centre will be operative in "
        "the arc of 48 hours, according to fonts of the prefecture.\n")
    rules_hit = {f.evidence["rule"] for f in run(doc)}
    assert {"disposed-the-action", "table-meeting", "colloquy", "underlined-the-necessity",
            "effected-checks", "damages-to-persons", "will-be-operative",
            "in-the-arc-of", "fonts-sources"} <= rules_hit


def test_italian_family_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Budget\n\nThe council disposed of the waste and set up a table for the press. The policy "
        "was signalled in March, the officer effected an arrest, and the clause is operative "
        "from June. He changed the font of the poster in the arc of the bay, and the defused "
        "bomb was removed.\n")
    assert found(doc) == []


def test_courts_and_titles(make_doc):
    doc = make_doc(
        "Lyon\n\nThe former mayor was condemned on Tuesday to three years of prison with reprieve "
        "and 20,000 euros of fine by the correctional tribunal, which also pronounced five years "
        "of ineligibility. The prosecution had requisitioned four years. The Haitian first "
        "minister, Garry Conille, and the Egyptian Chancellery condemned the attack in the most "
        "energetic terms.\n")
    got = {f.evidence["rule"] for f in run(doc)}
    assert {"condemned-to-term", "with-reprieve-suspended", "euros-of-fine",
            "correctional-tribunal", "requisitioned-sought", "first-minister-determiner",
            "nationality-chancellery", "energetic-terms"} <= got


def test_court_and_title_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Berlin\n\nThe German Chancellery and the Swiss Chancellery issued statements; Britain's "
        "chancellor of the Exchequer spoke. She was the first minister to resign. The army "
        "requisitioned trucks, the player was hit with a suspension, and the ruling was "
        "condemned by rights groups. The general audience drew 20,000 pilgrims.\n")
    assert found(doc) == []


def test_the_dev_set_of_machine_translated_copy(fixtures_dir):
    """The hand-labelled dev texts (tests/fixtures/calques_dev): the detector finds nearly every
    labelled calque and nothing in the English originals. A regression guard: these texts were
    used to build the lexicon, so they do not measure recall on unseen copy."""
    from audit import boilerplate, config
    from audit.evaluate import load_documents, load_gold, resolve_gold, score
    from audit.types import Alignment
    folder = fixtures_dir / "calques_dev"
    cfg = config.Config()
    gold = load_gold(folder / "gold.yaml")
    docs, _ = load_documents(gold, folder, cfg)
    boilerplate.mark_noise(list(docs.values()), cfg.boilerplate)
    findings = run(*docs.values())
    result = score(gold, docs, findings, Alignment())
    fam = result.families["translation"]
    assert fam.recall >= 0.95 and fam.precision >= 0.98, (fam.recall, fam.precision)
    english = [d for d in docs if d.startswith("en_")]
    assert len(english) == 5
    assert [f.text for f in findings if f.doc_id in english] == []


def test_news_false_friends(make_doc):
    doc = make_doc(
        "Marseille\n\nThousands defiled in the streets at the call of the unions; traffic was "
        "heavily perturbed and the cortege reached the port. The figure ascended on Sunday to "
        "4,000, according to data facilitated by the prefecture. The judge emitted an arrest "
        "warrant, 300 militaries were deployed at the dawn, and the arrested were charged with "
        "traffic of drugs and detention of weapons.\n")
    got = {f.evidence["rule"] for f in run(doc)}
    assert {"defiled-marched", "at-the-call-of", "perturbed-disrupted", "cortege-march",
            "ascended-to-number", "facilitated-data", "emitted-issued", "numbered-militaries",
            "at-the-dawn", "the-arrested-are", "traffic-of-drugs"} <= got


def test_false_friend_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Rome\n\nVandals defiled the graves at the cemetery. The funeral cortege passed slowly, "
        "and mourners were perturbed by the noise. The lamp emitted a faint light; the "
        "militaries of both countries held talks at the dawn of a new era. Clinical "
        "manifestations of the disease were mild, the arrested man was released, and the "
        "traffic of the port grew.\n")
    assert found(doc) == []


def test_weak_entry_counts_only_beside_another_calque(make_doc):
    afp = make_doc("Syria\n\nThe strikes targeted positions used by the anti-jihadist coalition "
                   "in eastern Syria, a monitor said.\n", "afp")
    mt = make_doc("Syria\n\nThe strikes targeted positions used by the anti-jihadist coalition "
                  "in eastern Syria, informed EFE sources.\n", "mt")
    assert found(afp) == []
    assert [t for t, _ in found(mt)] == ["anti-jihadist coalition", "informed EFE"]


# --- real-text round (issue 9) -------------------------------------------------------------------

def test_ordinary_verbs_after_a_quote_are_not_calques(make_doc):
    doc = make_doc("Budget\n\n“We will cut spending,” announced Finance Minister Fernando "
                   "Haddad. “It is necessary,” confirmed the ministry’s spokesman. The Head of "
                   "State Luiz Lula da Silva agreed.\n")
    assert [t for t, _ in found(doc)] == ["Head of State"]
    strong = make_doc("Niger\n\n“We have no choice,” hammered Colonel Amadou Abdramane.\n")
    assert [t for t, _ in found(strong)] == ["hammered Colonel Amadou Abdramane"]


def test_agency_english_coalition_is_weak(make_doc):
    doc = make_doc("Syria\n\nThe anti-jihadist coalition carried out strikes on Sunday.\n")
    assert found(doc) == []


def test_russian_turkish_and_arabic_agency_copy(make_doc):
    doc = make_doc(
        "Quake\n\nThe quake of 7.8 degrees struck at dawn. Search and rescue works continue, the "
        "media reported about a shooting with reference to sources. The head of the region took "
        "the situation under personal control.\n")
    got = dict(found(doc))
    assert got["7.8 degrees"] == "magnitude 7.8"
    assert "Search and rescue works" in got
    assert "reported about a shooting" in got
    assert got["with reference to sources"] == "citing sources"
    assert "took the situation under personal control" in got


def test_real_text_lookalikes_in_english(make_doc):
    doc = make_doc(
        "Weather\n\nTemperatures fell to 7 degrees on Sunday. Rescue work continued in the field. "
        "The Atlantic Alliance forces met. He reported on the shooting, citing sources. "
        "The Civil Guard sent officers. Schools reopened. The polemic over the law grew.\n")
    assert found(doc) == []


def test_exclude_takes_several_classes():
    with pytest.raises(ValueError, match="unknown word class <nope>"):
        rules(CalqueSettings(extra_entries=[CalqueEntry(
            id="x", pattern="*ed <Name>", exclude={"word": "english_inverted_verb|nope"})]))


def test_issue_nine_named_cases(make_doc):
    doc = make_doc("Iraq\n\nThe group realized an attack on the base, informed EFE. The government "
                   "approved 1,000 million euros. The alliance forces struck in Iraq. Iranian Prime "
                   "Minister Ebrahim Raisi spoke.\n")
    got = dict(found(doc))
    assert got["realized an attack"].startswith("carry out")
    assert got["informed EFE"] == "told EFE"
    assert "1,000 million euros" in got
    assert "alliance forces" in got
    assert got["Iranian Prime Minister"] == "Iranian President"
    english = make_doc("Iraq\n\nHe realized the attack had failed. Turkish President Erdogan spoke. "
                       "NATO's North Atlantic Alliance forces trained.\n")
    assert found(english) == []


def test_a_weak_entry_needs_a_strong_one_of_its_own_family(make_doc):
    spun = make_doc("Niger\n\nThe bloc met successful Nigeria connected Sunday astatine nan end.\n")
    got = {t for t, _ in found(spun)}
    assert {"nan", "astatine", "successful", "connected"} <= got
    translated = make_doc("Niger\n\nThe junta met successful Nigeria connected Sunday. The "
                          "putschists said it.\n")
    assert [t for t, _ in found(translated)] == ["putschists"]


def test_general_families_and_their_english_lookalikes(make_doc):
    flags_damage_only(
        make_doc,
        "Vote\n\nThe president pronounced himself on the matter. A case was opened on the "
        "fact of the attack. It became known that the gunmen fled. The minister stressed "
        "the necessity of dialogue. The political formation won.\n",
        {"pronounced himself", "on the fact of", "It became known that",
         "stressed the necessity of", "political formation"},
        "Vote\n\nHe was pronounced dead. She stressed the need for dialogue. In fact, "
        "the party won. An interested party can appeal. The masses of water rose.\n")


def test_arabic_service_titles_and_sides(make_doc):
    doc = make_doc("Iraq\n\nThe President of the Iraqi Council of Ministers spoke. The American side "
                   "refused. The alliance forces left Iraq.\n")
    assert dict(found(doc)) == {"President of the Iraqi Council of Ministers": "Iraqi Prime Minister",
                                "The American side": "the United States / Washington",
                                "alliance forces": "coalition forces / the US-led coalition"}
    native = make_doc("Iraq\n\nUS-led coalition forces struck Iraq. The American side of the "
                      "border was quiet.\n")
    assert found(native) == []


def test_source_press_formulas_round_five(make_doc):
    """General press formulas of several source languages (no story's names), each with the
    English that must stay clean beside it."""
    flags_damage_only(
        make_doc,
        "Storm\n\nThe storm caused the loss of several human lives. The toll is destined "
        "to grow and it is not excluded that more bodies are found. Half a thousand "
        "homes flooded and 50,000 users were left without electricity. Two spouses "
        "died. About this reported the ministry. He posted on his telegraph channel. "
        "Employees of the police arrived. The relevant person in charge said little. "
        "The video was relaunched on social media. The minister increased the tone.\n",
        {"the loss of several human lives", "is destined to grow",
         "it is not excluded that", "Half a thousand", "Two spouses", "About this reported",
         "telegraph channel", "Employees of the police", "The relevant person in charge",
         "relaunched on social", "increased the tone"},
        "Storm\n\nThe storm caused loss of life. The toll is expected to rise and "
        "more bodies cannot be ruled out. About 500 homes flooded and 50,000 "
        "customers lost power. A married couple died. He was destined for greatness. "
        "Police officers arrived. The video was shared on social media. The press "
        "conference was held before the media briefing. She raised the tone.\n")


def test_day_of_month_alone_and_order_of_words(make_doc):
    got = flags_damage_only(
        make_doc,
        "Quake\n\nThe quake struck on the 29th at 9:03 a.m. and was felt in the early "
        "morning of the 26th local time. "
        "He spoke, before the Italian media, of a disaster.\n",
        {"on the 29th at 9", "of the 26th local time"},
        "Quake\n\nThe quake struck on the 29th of March at 9:03 a.m. on the 29th "
        "floor. The authorities French officials briefed were calm. The French "
        "authorities said little.\n")
    assert any(t.startswith("before the Italian media") for t in got)


def test_press_formulas_past_weekday_outlets_and_word_order(make_doc):
    flags_damage_only(
        make_doc,
        "Vote\n\nThe president spoke. Sources "
        "informed Sudan Tribune that troops left. Six elderly were rescued by the "
        "neighbours of the town. He is the great responsible for the tragedy. The "
        "Petersburg medium reported it.\n",
        {"informed Sudan Tribune", "Six elderly", "the great responsible for",
         "the neighbours of the town", "The Petersburg medium reported"},
        "Vote\n\nThe vote is scheduled this Tuesday. He told the Sudan Tribune he "
        "left. Six elderly residents were rescued by their neighbours. He was "
        "responsible for the tragedy. The medium was oil paint.\n")


def test_chinese_relief_headquarters(make_doc):
    doc = make_doc("Quake\n\nThe provincial Earthquake Resistance Headquarters sent teams.\n")
    assert dict(found(doc)) == {"Earthquake Resistance Headquarters":
                                "earthquake relief headquarters / relief work"}
    english = make_doc("Quake\n\nThe code sets earthquake resistance standards for new homes.\n")
    assert found(english) == []


def test_formulas_from_press_knowledge(make_doc):
    flags_damage_only(
        make_doc,
        "Strike\n\nThere are dead and wounded, according to operational data. A "
        "people's deputy said law enforcers found him with injuries incompatible with "
        "life. According to incomplete statistics, 40 homes fell. The referred report "
        "was signed by the tenant of the Elysée and the mayor of the commune.\n",
        {"There are dead and wounded", "according to operational data", "people's deputy",
         "law enforcers", "injuries incompatible with life", "According to incomplete statistics",
         "The referred report", "the tenant of the Elysée", "the mayor of the commune"},
        "Strike\n\nThere are concerns, according to data. The deputy said police "
        "found him with fatal injuries. The report he referred to was signed by the "
        "President and the mayor of the town.\n")


def test_common_word_spinner_swaps(make_doc):
    flags_damage_only(
        make_doc,
        "Floods\n\nA minimum of 51 folks, together with 15 youngsters, died. Many extra "
        "are nonetheless lacking. Girls 8 to 17 years outdated posed. It was one of "
        "many deadliest storms in three a long time. Greater than 60 lives have been "
        "misplaced, the Tremendous Typhoon in a devastating flip of occasions. The Overseas "
        "Minister spoke at an information convention; 10 folks are still lacking.\n",
        {"A minimum of 51 folks", "are nonetheless lacking", "8 to 17 years outdated",
         "one of many deadliest", "three a long time", "lives have been misplaced",
         "Tremendous Typhoon", "flip of occasions", "15 youngsters", "Overseas Minister",
         "information convention", "10 folks are still lacking"},
        "Floods\n\nAt least 51 people, including 15 children, died. The rules set "
        "a minimum of 30 days. Many more are still missing; it was nonetheless "
        "a relief. The software is outdated. One of many storms lasted a long time. "
        "Related sources of funding were greater than expected. The folks at home "
        "watched 15 youngsters play. Details are still lacking. The Ministry of "
        "Civil Protection spoke at a news conference on the super typhoon.\n")


def test_weak_spinner_swaps_need_a_strong_one(make_doc):
    alone = make_doc("Camp\n\nThe summer time camp flooded in a single day. He escaped dying.\n")
    assert found(alone) == []
    spun = make_doc("Camp\n\nThe summer time camp flooded in a single day. A minimum of 27 "
                    "campers died.\n")
    assert {"summer time camp", "in a single day", "A minimum of 27 campers"} <= {t for t, _ in found(spun)}


def test_round6_press_formulas(make_doc):
    got = flags_damage_only(
        make_doc,
        "Unrest\n\nThe fatal victims rose to 231, with field executions reported on "
        "Wednesday (31). Police moved to accelerate the demonstrators, who were "
        "throwing the police with stones. Protest shares began. Ambulance crews "
        "delivered 33 people to hospitals. This was reported to TASS by rescuers. "
        "According to the publication Rybar, others left by personal transport. "
        "Information is spreading that the line broke. Yeung expressed that he was "
        "sad. Related sources said so. The organization detailed on the social network "
        "X that roads closed. The court cited art. 146 letter f) of the Constitution. "
        "The now ex-military chief, the general commander of the army, was held, as "
        "read in El País.\n",
        {"fatal victims", "field executions", "Wednesday (31)", "accelerate the demonstrators",
         "throwing the police with stones", "Protest shares",
         "delivered 33 people to hospitals", "This was reported to TASS",
         "According to the publication", "by personal transport", "Information is spreading",
         "Yeung expressed that", "Related sources said", "letter f)", "The now ex-",
         "the general commander of the", "as read in"},
        "Unrest\n\nThe victims of the fatal crash rose to 231. Field hospitals "
        "opened on Wednesday, March 31. Police dispersed the demonstrators, who "
        "threw stones at the police. Shares fell. Crews took 33 people to hospital. "
        "This was reported by TASS. According to Rybar, others left in their own "
        "cars. The letter from the Constitution court was read aloud. Yeung "
        "expressed that hope again. As detailed in a report, the now-former chief "
        "and the commander of the army were held.\n")
    assert any(t.startswith("organization detailed on the social") for t in got)


def test_titles_of_spain_and_bangladesh(make_doc):
    doc = make_doc("Blackout\n\nSpanish President Pedro Sánchez spoke. Bangladesh Chief Minister "
                   "Sheikh Hasina resigned.\n")
    got = dict(found(doc))
    assert got["Spanish President"] == "Spanish Prime Minister"
    assert got["Bangladesh Chief Minister"] == "Bangladeshi Prime Minister"
    english = make_doc("Blackout\n\nSpanish Prime Minister Pedro Sánchez spoke. Punjab Chief "
                       "Minister Maryam Nawaz met the Bangladesh Prime Minister.\n")
    assert found(english) == []


def test_spinner_counts_dates_and_nouns(make_doc):
    flags_damage_only(
        make_doc,
        "Quake\n\nLots of of homes fell and tens of 1000's fled per week earlier. "
        "Officials said final week the demise toll rose; 40 were harm at an elementary "
        "college. A wall fell off one constructing, previous President Jimmy Carter "
        "said, in accordance with police.\n",
        {"Lots of of", "tens of 1000's", "per week earlier", "said final week", "demise toll",
         "were harm", "elementary college", "one constructing", "previous President",
         "in accordance with police"},
        "Quake\n\nLots of homes fell and tens of thousands fled a week earlier. "
        "In the final week of the campaign the toll rose; no harm was done at the "
        "college. They are constructing a new wall in accordance with police "
        "regulations. The previous president, Jimmy Carter, spoke. Its demise was "
        "slow.\n")


def test_alliance_forces_stands_alone_in_a_story_of_the_region(make_doc):
    """'alliance forces' (Arabic 'quwwat al-tahaluf') is flagged on its own in a story of the
    region, not only beside another calque; NATO's and Afghanistan's alliances stay English."""
    got = found(make_doc("Strikes\n\nThe alliance forces struck a base near Baghdad in Iraq "
                         "overnight, the ministry said.\n"))
    assert [t for t, _ in got] == ["alliance forces"]
    assert found(make_doc("Strikes\n\nNorthern Alliance forces entered the city, and Iraq "
                          "watched.\n")) == []
    assert found(make_doc("Drill\n\nThe alliance forces trained in Poland.\n")) == []


def test_decimal_comma_is_filed_as_punctuation(make_doc):
    doc = make_doc("Vote\n\nShe won with 59,84 percent of the valid votes, the council said.\n")
    (f,) = run(doc)
    assert (f.text, f.kind, f.suggestion) == ("59,84", "punctuation", "59.84")
    assert "es" in f.evidence["source_langs"] and f.message.startswith("Typography of the")


def test_information_from_and_for_his_part_are_english(make_doc):
    """'according to information from' and a paragraph opening 'For his part,' were never a
    labelled calque in the real-text folds and were false positives there; the 'of' form stays."""
    assert found(make_doc("Fire\n\nAccording to information from the police, two died. For his "
                          "part, the mayor said the fire was out.\n")) == []
    got = found(make_doc("Fire\n\nAccording to information of the ministry, two died.\n"))
    assert [t for t, _ in got] == ["According to information of"]
