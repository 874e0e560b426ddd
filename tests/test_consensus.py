"""consensus: an outlet's rare wording where the other outlets of an aligned sentence agree."""
from __future__ import annotations

from audit.artifacts.consensus import ConsensusSettings, accept, after_alignment, candidates
from audit.types import AlignedGroup, Alignment, Finding, SentRef

SENT = "The bloc has tried to restore democracy in nations where the army took power in {} years."


def _batch(make_doc, odd: str = "caller", n_agree: int = 3):
    docs = [make_doc(f"Niger\n\n{SENT.format(odd)}\n", doc_id="spun", outlet="Spun Daily")]
    for i in range(n_agree):
        docs.append(make_doc(f"Niger\n\n{SENT.format('recent')}\n", doc_id=f"wire{i}", outlet=f"Wire {i}"))
    refs = []
    for d in docs:
        s = d.text.index("The bloc")
        refs.append(SentRef(d.id, s, d.text.index("\n", s)))
    return docs, Alignment(groups=[AlignedGroup("g1", "story", refs, 0.9)])


def _on():
    from audit.config import Config
    return Config.model_validate({"detectors": {"consensus": True}})


def _calque(doc) -> Finding:
    s = doc.text.index("restore")
    return Finding.at(doc, s, s + 7, "calque", "warning", "x", "calques")


def test_the_outlet_alone_with_other_words_is_flagged_with_the_majority_fix(make_doc):
    docs, al = _batch(make_doc)
    got = candidates({d.id: d for d in docs}, al)
    assert [(c.doc_id, c.text, c.fix) for c in got] == [("spun", "caller", "recent")]
    c = got[0]
    assert c.outlets == {"wire 0": 1, "wire 1": 1, "wire 2": 1} and c.others == 3
    assert c.features["own_fit"] == 0.0 and c.features["alt_fit"] > 7   # 'in recent', 'recent years'
    out = after_alignment(docs, al, [_calque(docs[0])], _on())
    assert [(f.doc_id, f.text, f.suggestion, f.detector) for f in out] == [
        ("spun", "caller", "recent", "consensus")]
    ev = out[0].evidence
    assert ev["others_write"] == "recent" and ev["agree"] == 3 and ev["outlets"] == ["wire 0", "wire 1", "wire 2"]


def test_untranslated_articles_and_weak_majorities_are_left_alone(make_doc):
    docs, al = _batch(make_doc)
    assert after_alignment(docs, al, [], _on()) == []     # no other sign of translation
    docs, al = _batch(make_doc, n_agree=1)
    assert candidates({d.id: d for d in docs}, al) == []   # one other outlet is no consensus


def test_english_pairs_and_shared_wording_are_not_candidates(make_doc):
    docs, al = _batch(make_doc, odd="past")                # 'in past years' is English
    c = candidates({d.id: d for d in docs}, al)
    assert [x.text for x in c] == ["past"]
    assert not accept(c[0], True, ConsensusSettings())
    docs, al = _batch(make_doc, odd="recent")              # everyone agrees
    assert candidates({d.id: d for d in docs}, al) == []


def test_noise_and_disabled(make_doc):
    from audit.config import Config
    from audit.types import Span
    docs, al = _batch(make_doc)
    cfg = Config.model_validate({"detectors": {"consensus": False}})
    assert after_alignment(docs, al, [_calque(docs[0])], cfg) == []
    assert [f.text for f in after_alignment(docs, al, [_calque(docs[0])])] == ["caller"]  # on by default
    docs[0].noise = [Span(0, len(docs[0].text))]
    assert after_alignment(docs, al, [_calque(docs[0])], _on()) == []


def test_only_articles_with_a_calque_are_compared(make_doc):
    docs, al = _batch(make_doc)
    by_id = {d.id: d for d in docs}
    assert candidates(by_id, al, only={"wire0"}) == []      # the wire copies agree with the majority
    assert [c.doc_id for c in candidates(by_id, al, only={"spun"})] == ["spun"]
    assert after_alignment(docs, al, [_calque(docs[1])], _on()) == []   # the calque is elsewhere
