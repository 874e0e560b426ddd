"""mt-grammar: the source language's grammar showing through an English translation
(prepositions, articles, adjective order, agreement, comparatives, lost subjects)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from audit.artifacts.mt_grammar import MtGrammarSettings, MtRule, rules
from audit.artifacts.registry import load_all
from audit.types import BatchContext

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).parent / "fixtures" / "mt_grammar"
# A strong error to put next to a weak rule's sentence: weak rules need other evidence.
STRONG = "Ministers discussed about the budget. "


# The rules alone: calques.yaml (another detector, edited on its own) may claim the same words.
ALONE = {"detectors": {"calques": {"enabled": False}}}


def run(*docs, settings: dict | None = None, **cfg):
    det = load_all()["mt-grammar"](MtGrammarSettings(**cfg))
    return det.run(BatchContext(docs=list(docs), settings=ALONE if settings is None else settings))


def found(doc, **cfg):
    return [(f.text, f.suggestion) for f in run(doc, **cfg)]


CASES = [
    # prepositions carried over
    ("The kidnappers entered into contact with the family on Sunday.", "entered into contact with", "contacted"),
    ("The consulate contacted with the relatives of the victims.", "contacted with", "contacted"),
    ("More than 40 countries will participate to the conference in Geneva.", "participate to", "participate in"),
    ("The ministry informed to the press that the border would reopen.", "informed to", "told"),
    ("The opposition accused the president to have rigged the count.",
     "accused the president to have", "accused the president of having"),
    ("The union insisted in keeping the strike going.", "insisted in keeping", "insisted on keeping"),
    ("The coach insisted in that the team deserved to win.", "insisted in that", "insisted that"),
    ("The harvest depends of the rains in March.", "depends of", "depends on"),
    ("The delegation arrived to Caracas late on Friday.", "arrived to", "arrived in/at"),
    ("Police entered to the building at dawn.", "entered to", "entered"),
    ("The minister, married with Lucia Ferri, resigned.", "married with", "married to"),
    ("The army was responsible of the massacre, the report said.", "responsible of", "responsible for"),
    ("The hospital is not capable to treat so many patients.", "capable to treat", "able to treat"),
    ("Several investors are interested to the port concession.", "interested to", "interested in"),
    ("Protesters gathered in front to the parliament.", "in front to", "in front of"),
    ("The camps lacked of clean water for weeks.", "lacked of", "lacked"),
    ("Exporters have benefited of the weak peso.", "benefited of", "benefited from"),
    ("Despite of the rain, thousands marched.", "Despite of", "Despite"),
    ("The bomb exploded near of the central market.", "near of", "near"),
    ("Thousands attended to the funeral of the singer.", "attended to", "attended"),
    ("The parties reached to a preliminary agreement on Monday.", "reached to", "reached"),
    ("The doctor explained him that the surgery was urgent.", "explained him", "explained to him"),
    ("The judge said them that the hearing was postponed.", "said them", "told them"),
    ("The lawyer suggested him to remain silent.", "suggested him to remain", "suggested that he remain"),
    ("The soldiers left without to warn the villagers.", "without to warn", "without …ing"),
    ("The boats sailed at night for to avoid the patrols.", "for to avoid", "to avoid"),
    ("The opposition asked the resignation of the minister.", "asked the resignation",
     "asked for the resignation"),
    # articles
    ("The Syria has rejected the proposal.", "The Syria", "Syria"),
    ("Egypt held talks with the Hezbollah, which denied it.", "the Hezbollah", "Hezbollah"),
    ("The mayor and the his deputies resigned.", "the his", "his"),
    ("The two attacks were carried out by a same group.", "a same", "the same"),
    ("The both candidates claimed victory.", "The both", "Both"),
    ("All the two suspects were released.", "All the two", "Both"),
    ("Nobody expected a so important decision.", "a so important", "such an important"),
    # word order
    ("The troops French withdrew from the base.", "The troops French", "The French troops"),
    ("The court sentenced this Tuesday the former governor to eight years.",
     "sentenced this Tuesday", "sentenced … on Tuesday"),
    # agreement
    ("The embassy issued advices for travellers.", "advices", "advice"),
    ("The researches of the team were published in May.", "The researches", "The research"),
    ("She gave an advice to the new ministers.", "an advice", "advice"),
    ("Officials said that the people was angry.", "the people was", "the people were"),
    ("There is many questions about the contract.", "There is many", "There are many"),
    ("There was three ambulances at the scene.", "There was three", "There were three"),
    # comparatives
    ("The current is more strong than expected.", "more strong", "stronger"),
    # lost subjects
    ("Is possible that the vote will be delayed.", "Is possible", "It is possible"),
    ("Seems that the talks have stalled.", "Seems that", "It seems that"),
    ("Were arrested four men in the operation.", "Were arrested four", "Four … were arrested"),
]


@pytest.mark.parametrize("sentence, span, fix", CASES)
def test_rule_fires_with_its_fix(make_doc, sentence, span, fix):
    doc = make_doc(f"Report\n\n{sentence}\n")
    assert found(doc) == [(span, fix)]


WEAK = [
    ("The plan consists in three phases.", "consists in", "consists of"),
    ("The firm is interested to invest in Chile.", "interested to invest", "interested in …ing"),
    ("The bishop spoke, inviting to pray for peace.", "inviting to", "urging people to pray"),
    ("The witnesses did not see nothing.", "did not see nothing", "…anything / anybody"),
    ("The reform affects the 60% of the workers.", "the 60% of the workers", "60% of the workers"),
    ("The most of the passengers were tourists.", "The most of", "Most of"),
    ("All the four victims were women.", "All the four", "All four"),
]


@pytest.mark.parametrize("sentence, span, fix", WEAK)
def test_weak_rule_needs_other_evidence_in_the_document(make_doc, sentence, span, fix):
    alone = make_doc(f"Report\n\n{sentence}\n")
    assert run(alone) == []
    doc = make_doc(f"Report\n\n{STRONG}{sentence}\n")
    out = found(doc)
    assert (span, fix) in out and len(out) == 2
    f = [f for f in run(doc) if f.text == span][0]
    assert f.evidence["other_artifacts_in_document"] >= 1


ENGLISH = [
    "Angela, who is married with two children, said the storm was the worst she had seen.",
    "We arrived to find the house flooded and the power out.",
    "I would be interested to hear what the minister has to say.",
    "Veterans of the Iraq war and the Iraq and Afghanistan wars marched on Sunday.",
    "The Hamas-run health ministry said the Netherlands and the Philippines sent aid.",
    "The convoy crossed the Jordan at dawn, and the Sudan of the 1980s was recalled.",
    "She wanted to make the most of the trip, and they got the most of the votes.",
    "There are many reasons, there is a lot of work, and there is 10 minutes left.",
    "Forecasters expect more strong storms this week and more big waves on Friday.",
    "A so-called expert praised a same-sex couple and a so far unidentified donor.",
    "He insisted in a statement that he was innocent.",
    "Emergency crews attended to the wounded; staff attended to the funeral arrangements.",
    "Is it possible to win? Yes. Was it worth it? Perhaps.",
    "The judge ordered the accused to be released, and he was accused of having lied.",
    "The package consists of three measures, depending on the vote.",
    "Her lawyer said she lacks the capacity to stand trial.",
    "He decided instead to resign, and they had arrived two days before to prepare.",
    "The fund holds €2 billion, of which €500 million is in bonds.",
    "Officials told the committee French troops would stay.",
    "The test results affected the decision, which reached the 1,000 mark.",
    "The both of us were surprised, and all the two million residents were told.",
    "What matters to the people is jobs, and the people's verdict was clear.",
    "Those who asked the help desk were told to wait; she asked the court for help.",
    "The team was stronger than them and more aggressive than in the first half.",
    "It is necessary to act, it seems that the talks stalled, and it was reported that they met.",
]


@pytest.mark.parametrize("sentence", ENGLISH)
def test_english_near_misses_are_not_flagged(make_doc, sentence):
    # with another artifact in the document, so weak rules are live too; and with calques on
    doc = make_doc(f"Report\n\n{STRONG}{sentence}\n")
    assert [f.text for f in run(doc)] == ["discussed about"]
    assert [f.text for f in run(doc, settings={})] == ["discussed about"]


def test_finding_explains_itself(make_doc):
    doc = make_doc("Report\n\nThe government Iraqi has denied the report.\n")
    [f] = run(doc)
    assert f.kind == "grammar" and f.family == "surface" and f.detector == "mt-grammar"
    assert f.text == doc.text[f.start:f.end] == "The government Iraqi"
    assert f.suggestion == "The Iraqi government"
    assert f.evidence["rule"] == "noun-nationality" and f.evidence["group"] == "order"
    assert f.evidence["source_langs"][0] == "fr" and "les forces américaines" in f.evidence["explain"]
    assert f.evidence["matched"] == {"det": "The", "noun": "government", "adj": "Iraqi"}
    assert "French" in f.message


def test_non_english_documents_and_title_case_headlines_are_skipped(make_doc):
    assert run(make_doc("Informe\n\nThe government Iraqi has denied it.\n", lang="es")) == []
    doc = make_doc("Report\n\nIs Necessary To Act Now Say The Forces American\n\nNothing else.\n")
    assert run(doc) == []


def test_calque_entry_wins_where_both_match(make_doc):
    """'the researches continued' is a calque (French 'les recherches'): reported once, by calques."""
    doc = make_doc("Flood\n\nRescuers said the researches continued overnight.\n")
    assert [f.text for f in run(doc)] == ["the researches"]
    calques = load_all()["calques"]().run(BatchContext(docs=[doc]))
    assert [f.text for f in calques] == ["the researches"]
    assert run(doc, settings={}) == []


def test_config_adds_and_disables_rules(make_doc):
    doc = make_doc("Report\n\nThe harvest depends of the rain. The talks ended sin acuerdo.\n")
    assert found(doc, disabled=["depend-of"]) == []
    extra = MtRule(id="sin-calque", group="preposition", regex=r"\bsin\s+acuerdo\b",
                   fix="without an agreement", langs=["es"], message="Spanish left in place")
    out = found(doc, extra_rules=[extra])
    assert out == [("depends of", "depends on"), ("sin acuerdo", "without an agreement")]


def test_config_classes_extend_the_rules(make_doc):
    doc = make_doc("Report\n\nThe refinery Venezuelan was closed. The talks ended sin acuerdo.\n")
    assert run(doc) == []
    assert found(doc, extra_classes={"order_noun": ["refinery"]}) == [
        ("The refinery Venezuelan", "The Venezuelan refinery")]
    extra = {"id": "spanish-left", "group": "preposition", "regex": r"\b<<spanish_phrase>>",
             "fix": "without an agreement", "langs": ["es"], "message": "Spanish left in place"}
    out = found(doc, extra_classes={"spanish_phrase": ["sin acuerdo"]}, extra_rules=[extra])
    assert out == [("sin acuerdo", "without an agreement")]


@pytest.mark.parametrize("bad, says", [
    ({"id": "x", "group": "preposition", "regex": "(unclosed"}, "'x'"),
    ({"id": "y", "group": "preposition", "regex": r"\b<<no_such_class>>\b"}, "<<no_such_class>>"),
    ({"id": "z", "group": "spelling", "regex": "a"}, "group must be one of"),
])
def test_bad_config_rule_is_a_validation_error_naming_it(bad, says):
    with pytest.raises(ValidationError, match=says.replace("(", r"\(")):
        MtGrammarSettings(extra_rules=[bad])


def test_every_shipped_rule_has_what_a_reviewer_needs():
    specs = [r.spec for r in rules()]
    assert len({s.id for s in specs}) == len(specs) >= 40
    for s in specs:
        assert s.langs and s.message and s.explain and s.fix, s.id


# --- dev texts: machine-translated copy with planted errors, English originals ----------------

def _load(paths: list[Path]):
    from audit import boilerplate
    from audit.artifacts.registry import run_detectors
    from audit.config import Config
    from audit.ingest import load_paths
    docs, problems = load_paths(paths)
    assert problems == []
    cfg = Config()
    boilerplate.mark_noise(docs, cfg.boilerplate)
    return docs, run_detectors(BatchContext(docs=docs, settings=cfg.model_dump(mode="json")),
                               cfg.detector_settings())


def _planted(doc_id: str, text: str) -> list[tuple[int, int, bool]]:
    out = []
    for item in yaml.safe_load((DEV / "expected.yaml").read_text(encoding="utf-8"))[doc_id]:
        item = item if isinstance(item, dict) else {"span": item}
        start = -1
        for _ in range(item.get("occurrence", 1)):
            start = text.index(item["span"], start + 1)
        out.append((start, start + len(item["span"]), bool(item.get("miss"))))
    return out


def test_dev_texts_recall_and_precision():
    docs, findings = _load(sorted(DEV.glob("mt_*.txt")))
    assert len(docs) == 6
    hit = total = correct = emitted = 0
    for doc in docs:
        mine = [f for f in findings if f.doc_id == doc.id and f.detector == "mt-grammar"]
        planted = _planted(doc.id, doc.text)
        total += len(planted)
        hit += sum(any(f.start < e and s < f.end for f in mine) for s, e, _ in planted)
        emitted += len(mine)
        correct += sum(any(f.start < e and s < f.end for s, e, _ in planted) for f in mine)
    assert correct == emitted                     # every finding is a planted error
    assert hit / total >= 0.9                     # recall floor (measured: 72/73)


def test_english_originals_get_no_grammar_finding():
    paths = sorted(DEV.glob("clean_*.txt")) + [
        ROOT / "seeds" / "000_bf6e4b1cc8464a9d.txt", ROOT / "seeds" / "002_e98b90fb3a4848fd.txt",
        ROOT / "heldout" / "derna_01_reuters.txt", ROOT / "heldout" / "sudan_01_ap.txt"]
    docs, findings = _load(paths)
    assert len(docs) == 10
    assert [(f.doc_id, f.text) for f in findings if f.kind == "grammar"] == []


def test_a_rule_may_file_its_finding_as_a_calque(make_doc):
    doc = make_doc("Ecuador\n\nThe president decreed this Tuesday the state of emergency.\n")
    got = [f for f in run(doc) if f.evidence["rule"] == "this-weekday-object"]
    assert [(f.text, f.kind) for f in got] == [("decreed this Tuesday", "calque")]
    with pytest.raises(ValidationError):
        MtRule(id="x", group="order", regex="x", kind="noise")
