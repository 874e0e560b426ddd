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
