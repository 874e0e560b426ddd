"""Document-level scores: provenance of translated articles and B-cubed story grouping."""
from audit.evaluate_docs import is_translated, score_grouping, score_provenance
from audit.types import Story

DOCS = {
    "a": {"origin": "fr", "event": "e1"},
    "b": {"origin": "en", "event": "e1"},
    "c": {"origin": "es", "event": "e1"},
    "d": {"origin": "en-respun", "event": "e2"},
    "e": {"origin": "ar", "event": "e2"},
}


def test_translated_means_another_language():
    assert is_translated("fr") and is_translated("ES")
    assert not is_translated("en") and not is_translated("en-respun") and not is_translated("")


def test_provenance_counts_decisions_and_languages():
    prov = {"a": {"lang": "fr"}, "b": {"lang": "es"}, "c": {"lang": "pt"}, "d": {"lang": None}, "e": {"lang": None}}
    s = score_provenance(DOCS, prov)
    assert (s.tp, s.fp, s.fn, s.lang_right) == (2, 1, 1, 1)
    d = s.to_dict()
    assert d["precision"] == round(2 / 3, 4) and d["recall"] == round(2 / 3, 4)
    assert d["language_accuracy"] == 0.5
    assert any(w.startswith("b:") for w in s.wrong) and any(w.startswith("e:") for w in s.wrong)


def test_provenance_absent_without_origins():
    assert score_provenance({"a": {}, "b": {"outlet": "X"}}, {}) is None


def test_bcubed_of_stories_against_events():
    stories = [Story("s1", "story", ["a", "b"]), Story("t1", "topic", ["a", "b", "c", "d", "e"])]
    g = score_grouping(DOCS, stories)
    sb, tb = g["story_bcubed"], g["topic_bcubed"]
    # story clusters {a,b},{c},{d},{e}: precision 1; recall a,b 2/3, c 1/3, d,e 1/2
    assert sb["precision"] == 1.0
    assert sb["recall"] == round((2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5, 4)
    # one topic of everything: recall 1, precision a,b,c 3/5, d,e 2/5
    assert tb["recall"] == 1.0 and tb["precision"] == round((3 * 0.6 + 2 * 0.4) / 5, 4)


def test_grouping_absent_without_events():
    assert score_grouping({"a": {"origin": "en"}}, []) is None
