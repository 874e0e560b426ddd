"""phrase-stats: pairs of common words English does not write, and the learned weights that judge
them (audit/learn/weights.py)."""
from __future__ import annotations

import json
import math

from audit.artifacts.phrase_stats import candidates, fix_for
from audit.artifacts.registry import load_all
from audit.learn.weights import FEATURES_OF_ALL, Model, lexicon_verdict, load_model
from audit.types import BatchContext


def test_candidates_are_absent_pairs_of_common_words(make_doc):
    doc = make_doc("Quake\n\nOfficials heard the testimonies in recent years near Antakya.\n")
    got = {(c.first, c.second): c for c in candidates(doc)}
    assert ("the", "testimonies") in got                 # English writes 'the testimony'
    assert ("recent", "years") not in got and ("in", "recent") not in got
    assert not any("Antakya" in (a, b) for a, b in got)  # names are left to the name stage
    c = got[("the", "testimonies")]
    assert fix_for(c) == "the testimony"
    assert c.features["inflected_pair"] > 6 and c.features["lexicon"] == 0.0
    assert set(c.features) == set(FEATURES_OF_ALL)


def test_what_the_lexicon_explains_is_not_a_candidate_again(make_doc):
    doc = make_doc("Quake\n\nSearch and rescue works continue. The vote was delayed.\n")
    assert [(c.first, c.second) for c in candidates(doc, BatchContext(docs=[doc]))
            if c.first == "rescue"] == []


def _model(**kw) -> Model:
    base = dict(name="t", features=["a", "b"], mean=[0.0, 0.0], scale=[1.0, 2.0], coef=[2.0, -1.0],
                intercept=-1.0, threshold=0.5, error_above=0.9, info_below=0.2,
                words={"a": "the article has other known calques", "b": "b in words"})
    return Model(**{**base, **kw})


def test_model_probability_threshold_and_strongest_features():
    m = _model()
    assert math.isclose(m.probability({"a": 1.0, "b": 2.0}), 1 / (1 + math.exp(-(-1 + 2 - 1))))
    assert m.judge({"a": 0.0, "b": 0.0}) is None                      # p = 0.27 < 0.5
    v = m.judge({"a": 2.0, "b": -2.0})
    assert v is not None and v.severity == "error"                    # z = 4, p = 0.98
    assert [w for w, _ in v.strongest] == ["the article has other known calques", "b in words"]
    assert v.evidence()["strongest_features"][0].startswith("the article has other known calques (+")
    assert m.judge({"a": 0.0, "b": 0.0}, threshold=0.1) is not None
    assert _model(coef=[]).judge({"a": 5.0}) is None                  # no model: nothing accepted


def test_shipped_weights_load_and_name_every_feature():
    from importlib import resources
    raw = json.loads((resources.files("audit") / "data" / "translation_weights.json").read_text())
    m = load_model("translation")
    assert m.features and len(m.features) == len(m.coef) == len(m.mean) == len(m.scale)
    assert set(m.features) <= set(raw["feature_words"])
    assert raw["models"]["translation"]["trained_on"]["fold"] == "dev"
    assert load_model("no-such-model").coef == []


def test_lexicon_matches_are_graded_never_dropped(make_doc):
    from audit.artifacts.calques import find_calques
    doc = make_doc("Quake\n\nThe quake of 7.8 degrees struck. Search and rescue works continue.\n")
    found = find_calques(doc, BatchContext(docs=[doc]))
    assert len(found) == 2
    for m in found:
        severity, ev = lexicon_verdict(doc, m, found, "warning")
        assert severity in ("info", "warning", "error")
        assert ev["learned"]["strongest_features"] and 0 <= ev["learned"]["probability"] <= 1
    out = load_all()["calques"]().run(BatchContext(docs=[doc]))
    assert len(out) == 2 and all("learned" in f.evidence for f in out)


def test_detector_emits_only_what_the_model_accepts(make_doc):
    doc = make_doc("Quake\n\nThe rescue works continued in the field.\n")
    det = load_all()["phrase-stats"]()
    got = det.run(BatchContext(docs=[doc]))
    m = load_model("translation")
    expected = [c for c in candidates(doc) if m.probability(c.features) >= m.threshold]
    assert len(got) == len(expected)
    for f in got:
        assert f.kind == "calque" and f.evidence["strongest_features"]
