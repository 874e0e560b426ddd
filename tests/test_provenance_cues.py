"""Per-language cues of provenance (audit/data/provenance_profile.yaml `cues`): what a source
language's press leaves in the English, named in words, and the language stage's answer."""
from __future__ import annotations

import pytest

from audit import provenance, provenance_features as pf, provenance_model

CHINESE_PRESS = (
    "Bridge collapse\n\n"
    "China News Service, March 27 (Wei Chenxi) The Key Bridge in Baltimore collapsed in the early "
    "morning of the 26th local time after a cargo ship hit a support column, the mayor said. As of "
    "press time, six people were still missing. Industry insiders estimate that the collapse will "
    "cause huge losses to local port shipping. On Monday (March 25) the ship had left the port.\n")

ITALIAN_PRESS = (
    "Floods\n\n"
    "The provisional balance of the dead rose to eight on Wednesday, Corriere della Sera reported. "
    "They would be at least four thousand the displaced, and the two spouses found in Cesena "
    "were swept away by the fury of the river in the night between May 16 and 17.\n")

NATIVE = (
    "Bridge collapse\n\n"
    "BALTIMORE (AP) — A cargo ship lost power and slammed into the Francis Scott Key Bridge early "
    "Tuesday, collapsing the span into the river. Six construction workers were missing and "
    "presumed dead, officials said. \"It's an unthinkable tragedy,\" Mayor Brandon Scott told "
    "reporters. The governor declared a state of emergency and said federal help was on the way. "
    "Divers recovered two bodies on Wednesday, police said.\n")


def cue_measure(doc, code):
    return pf.profile(doc, []).lang_measures.get(code, {}).get("cues")


def test_chinese_press_cues_are_named(make_doc):
    doc = make_doc(CHINESE_PRESS, lang="en")
    m = cue_measure(doc, "zh")
    assert m is not None and m.count >= 3
    assert "China News Service" in m.words or "local time" in m.words
    assert any("26th local time" in e or "China News Service" in e for e in m.examples)


def test_italian_press_cues_are_named(make_doc):
    doc = make_doc(ITALIAN_PRESS, lang="en")
    m = cue_measure(doc, "it")
    assert m is not None and m.count >= 3
    assert "balance" in m.words and "Italian-language media" in m.words
    # the shared Romance cues count for Italian's neighbours too, but less
    es = cue_measure(doc, "es")
    assert es is None or es.value < m.value


def test_native_agency_copy_fires_no_cue(make_doc):
    doc = make_doc(NATIVE, lang="en")
    fired = {code: ms["cues"].examples for code, ms in pf.profile(doc, []).lang_measures.items()
             if "cues" in ms}
    assert fired == {}


def test_the_language_stage_names_the_source_and_says_why(make_doc):
    model = provenance_model.load()
    for text, code in ((CHINESE_PRESS, "zh"), (ITALIAN_PRESS, "it")):
        doc = make_doc(text, lang="en")
        lang, why, scores = model.source_language(pf.profile(doc, []))
        assert lang == code, (code, sorted(scores.items(), key=lambda kv: -kv[1])[:3])
        assert any("cited" in words or "balance" in words or "local time" in words
                   for words, _, _ in why)


def test_cue_evidence_reaches_the_decision(make_doc):
    """The shipped model reads this copy as translated; the cues that fired are its evidence."""
    doc = make_doc(CHINESE_PRESS, lang="en")
    got = provenance.infer(doc, [])
    assert got["lang"] == "zh"
    texts = " ".join(e["text"] for e in got["evidence"] if e["signal"] == "source-language")
    assert "China News Service" in texts and "Chinese-language media" in texts


def test_training_refuses_the_held_out_fold():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_provenance
    assert "fresh5" in train_provenance.TRAIN_FOLDS.split("+")      # development data since the fresh6 pull
    for bad in ("dev+fresh6", "all"):
        with pytest.raises(SystemExit):
            train_provenance.main(["--folds", bad, "--dry-run"])


def test_trees_as_plain_numbers_score_as_scikit_learn():
    """The gradient-boosted trees the training writes to JSON give, read back by audit at run
    time without scikit-learn, the decision function scikit-learn gives."""
    import sys
    from pathlib import Path
    import numpy as np
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_provenance
    rng = np.random.default_rng(0)
    X = rng.random((120, 4))
    y = (X[:, 0] + 0.5 * X[:, 2] * X[:, 3] + 0.2 * rng.random(120)) > 0.8
    model = train_provenance.fit_trees(X, y)
    trees = provenance_model.Trees.of(train_provenance.trees_json(model, ["a", "b", "c", "d"]))
    Xt = rng.random((50, 4))
    want = model.decision_function(Xt)
    got = [trees.score(dict(zip("abcd", row))) for row in Xt]
    assert np.allclose(got, want, atol=1e-4)
    assert len(set(np.round(got, 3))) > 5           # the trees do split the rows


def test_english_edition_of_a_foreign_outlet_is_a_feature(make_doc):
    """An outlet whose name proper says English ("teleSUR English") or addressed under an
    English section ("en.irna.ir", "/en/") is measured, and named in words; other outlets are
    not, nor is a parenthetical or bracketed note after the name ("Pravda.ru (English)"), which
    is a labeller's annotation, not the outlet's name."""
    def edition(outlet=None, url=None):
        doc = make_doc(NATIVE, lang="en", outlet=outlet)
        doc.url = url
        return pf.profile(doc, []).doc_measures["english-edition"]
    m = edition(outlet="teleSUR English")
    assert (m.value, m.examples) == (1.0, ["teleSUR English"]) and "English edition" in m.describe()
    assert edition(outlet="iFilm English (IRIB)").value == 1.0
    assert edition(url="https://en.irna.ir/news/1").value == 1.0
    assert edition(url="https://www.aa.com.tr/en/world/x").value == 1.0
    assert edition("Pravda.ru (English)", "https://en.pravda.ru/world/1").value == 1.0
    for outlet, url in (("Reuters", "https://www.reuters.com/world/"), ("Engage News", None),
                        (None, "https://www.enid.com/news"), (None, None),
                        ("Pravda.ru (English)", None), ("IRNA [English edition of IRNA]", None),
                        ("Mehr (English edition of Mehr (Tehran))", None),
                        ("Xinhua (English", None)):
        assert edition(outlet, url).value == 0.0, outlet
