"""grammar: a/an by sound, with the exceptions data (an hour, a European, an FBI agent...)."""
from __future__ import annotations

import pytest

from audit.artifacts.grammar import GrammarSettings, sound_of
from audit.artifacts.registry import load_all
from audit.types import BatchContext


def run(*docs, **settings):
    det = load_all()["grammar"](GrammarSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


@pytest.mark.parametrize("word, sound", [
    ("Ecuadorian", "vowel"), ("hour", "vowel"), ("honest", "vowel"), ("FBI", "vowel"),
    ("MP", "vowel"), ("X-ray", "vowel"), ("8-year-old", "vowel"), ("18", "vowel"),
    ("11,000", "vowel"), ("unidentified", "vowel"), ("Uzbek", "vowel"),
    ("European", "consonant"), ("one-off", "consonant"), ("US", "consonant"),
    ("U.N.", "consonant"), ("university", "consonant"), ("Ukrainian", "consonant"),
    ("U-turn", "consonant"), ("NATO", "consonant"), ("110", "consonant"), ("union", "consonant"),
    ("historic", None), ("Nasiriyah", None),
])
def test_sound_of(word, sound):
    assert sound_of(word) == sound


def test_wrong_article_is_flagged_with_the_fix(make_doc):
    doc = make_doc("Raid\n\nA Ecuadorian court jailed a activist and an Ukrainian journalist, "
                   "and a 8-year-old girl was hurt in a explosion.\n")
    found = run(doc)
    assert [f.text for f in found] == ["A Ecuadorian", "a activist", "an Ukrainian",
                                       "a 8-year-old", "a explosion"]
    assert [f.suggestion for f in found] == ["An Ecuadorian", "an activist", "a Ukrainian",
                                             "an 8-year-old", "an explosion"]
    assert found[0].evidence == {"rule": "a-an", "next_word": "Ecuadorian", "sound": "vowel"}


def test_exceptions_are_respected(make_doc):
    doc = make_doc(
        "Inquiry\n\nIt took an hour for an FBI agent and a US diplomat to reach a European "
        "embassy, a university said in an honest report about a one-off visit by an MP, a "
        "UN envoy and an unidentified official. It was a historic day, or an historic one. "
        "Plan A failed; the firm issued Class A shares a priori.\n")
    assert run(doc) == []


def test_config_extends_the_exceptions(make_doc):
    doc = make_doc("Names\n\nShe is an heir to a herbalist and a homage was paid to an herbalist.\n")
    assert [f.text for f in run(doc)] == ["an herbalist"]
    assert run(doc, extra_vowel_sound=["herbalist"]) != []
    assert [f.text for f in run(doc, extra_vowel_sound=["herbalist"])] == ["a herbalist"]


@pytest.mark.parametrize("word", ["Utah", "Uruguayan", "utopia", "ukulele"])
def test_u_read_as_you(word):
    assert sound_of(word) == "consonant"


def test_verb_forms_english_does_not_combine(make_doc):
    doc = make_doc("Raid\n\nThe men have took the studio and he will still working there. "
                   "Disasters are referred described as catastrophic. He magnitude was 6.8. "
                   "They have got a plan and had gone home; troops got killed and went missing. "
                   "Television images showed shocked people, and bags which were detonated "
                   "caused the blasts. She herself said the army could be working on it.\n")
    found = {f.text: (f.evidence["rule"], f.suggestion) for f in run(doc)}
    assert found == {"have took": ("perfect-with-past", "have taken"),
                     "will still working": ("modal-with-gerund", "will still work"),
                     "referred described": ("two-past-verbs", None),
                     "He magnitude": ("pronoun-before-noun", None)}


def test_a_perfect_on_the_bare_verb_and_a_possessive_before_a_verb(make_doc):
    doc = make_doc("Crash\n\nThe prime minister has send his condolences. After its reopens, the "
                   "cathedral will be open. They have come, had help and have control of its "
                   "displaced residents and their alleged role; it has become late.\n")
    found = {f.text: (f.evidence["rule"], f.suggestion) for f in run(doc)}
    assert found == {"has send": ("perfect-with-base", "has sent"),
                     "its reopens": ("possessive-before-verb", None)}


def test_rare_names_read_by_a_clear_first_letter(make_doc):
    doc = make_doc("Jets\n\nThe airline bought a Embraer jet and an Boeing, and a Nasiriyah court "
                   "and a Euskadi team looked on.\n")
    assert [(f.text, f.suggestion) for f in run(doc)] == [("a Embraer", "an Embraer"),
                                                          ("an Boeing", "a Boeing")]


def test_misspellings_one_edit_from_a_common_word(make_doc):
    doc = make_doc("Vote\n\nMilei wons the runoff and gave a speach in Buenos Aires. Supporters of "
                   "milei cheered; the ballotage and the livestream of jihadists went on.\n")
    found = {f.text: f.suggestion for f in run(doc) if f.evidence["rule"] == "misspelling"}
    assert found == {"wons": "won", "speach": "speech"}


def _spelling(findings):
    return [f.text for f in findings if f.evidence["rule"] == "misspelling"]


def test_a_misspelling_is_a_rare_form_of_a_much_commoner_word(make_doc):
    doc = make_doc("Quake\n\nThe governor gave a speach on Monday, and a resident surnamed Lee "
                   "said 100 billion liras were pledged as ex gratia aid to the victims.\n")
    assert _spelling(run(doc)) == ["speach"]


def test_a_word_cut_by_the_end_of_the_excerpt_is_not_a_misspelling(make_doc):
    doc = make_doc("Quake\n\nThey woke to explosions and heavy gunfire. RSF fighte\n")
    assert _spelling(run(doc)) == []
