"""Translation provenance: the likely source language from the artifacts found."""
from __future__ import annotations

from audit import provenance
from audit.artifacts.registry import load_all
from audit.types import BatchContext, Finding


def calque(doc, text, langs):
    start = doc.text.index(text)
    return Finding.at(doc, start, start + len(text), "calque", "warning", "m", "calques",
                      evidence={"rule": "x", "source_langs": langs})


def foreign_name(doc, text, lang):
    start = doc.text.index(text)
    return Finding.at(doc, start, start + len(text), "entity-variant", "warning", "m",
                      "entity-variants", evidence={"verdict": "foreign", "language": lang})


def test_nothing_points_away_from_english(make_doc):
    doc = make_doc("Floods\n\nHeavy rain flooded parts of Valencia on Tuesday, officials said.\n",
                   lang="en")
    assert provenance.infer(doc, []) == {"lang": None, "score": 0.0, "evidence": []}


def test_calques_and_foreign_romanisations_vote(make_doc):
    doc = make_doc("Algiers\n\nThe ensemble of the ministers met Abdelmadjid Tebboune, "
                   "declared to AFP a source, in the frame of the talks.\n", lang="en")
    findings = [calque(doc, "The ensemble of", ["fr"]),
                calque(doc, "declared to AFP", ["fr", "es", "it", "pt"]),
                calque(doc, "in the frame of", ["de", "fr", "es", "it"]),
                foreign_name(doc, "Abdelmadjid Tebboune", "fr")]
    got = provenance.infer(doc, findings)
    assert got["lang"] == "fr"
    assert 0 < got["score"] <= 1
    signals = {e["signal"] for e in got["evidence"]}
    assert {"calque", "entity-foreign"} <= signals
    assert all({"text", "start", "end", "langs"} <= set(e) for e in got["evidence"])


def test_one_weak_signal_is_not_enough(make_doc):
    doc = make_doc("Rome\n\nThe premier spoke in the frame of the summit.\n", lang="en")
    got = provenance.infer(doc, [calque(doc, "in the frame of", ["de", "fr", "es", "it"])])
    assert got["lang"] is None
    assert got["evidence"]          # the evidence is still shown


def test_typography_of_the_source_press(make_doc):
    doc = make_doc("Dakar\n\n(Dakar) Protesters chanted « Macky, dégage ! » outside the "
                   "palace ; police fired tear gas.\n", lang="en")
    got = provenance.infer(doc, [])
    assert got["lang"] == "fr"
    assert {"french-guillemets", "parenthesised-dateline", "space-before-punctuation"} <= {
        e["signal"] for e in got["evidence"]}


def test_spanish_copy_from_the_whole_pipeline(make_doc):
    doc = make_doc(
        "Lima\n\nThe president of the government met the unions this Monday, informed EFE "
        "sources of the ministry. The also minister of Economy spoke And they agreed on a "
        "plan.\n\n(With information from EFE and Europa Press)\n", lang="en")
    ctx = BatchContext(docs=[doc])
    detectors = load_all()
    findings = [f for name in ("calques", "casing", "token-merge") for f in detectors[name]().run(ctx)]
    got = provenance.infer(doc, findings)
    assert got["lang"] == "es"
    assert "con-informacion-de" in {e["signal"] for e in got["evidence"]}


def test_non_english_documents_get_no_source_language(make_doc):
    doc = make_doc("Grève\n\nLe ministre a réagi « avec fermeté ».\n", lang="fr")
    assert provenance.infer(doc, [])["lang"] is None


def test_scraper_chrome_and_one_habit_are_not_a_translation(make_doc):
    from audit.types import Span
    text = ("Home » World » Africa\n\nNAIROBI (AP) — Kenya's president said on Monday that "
            "police would stay in Haiti.\n\n(Nairobi) The mission has 400 officers.\n")
    doc = make_doc(text, lang="en")
    doc.noise = [Span(0, text.index("\n"))]
    got = provenance.infer(doc, [])
    assert got["lang"] is None                       # » in noise; a dateline habit alone
    assert [e["signal"] for e in got["evidence"]] == ["parenthesised-dateline"]


def test_italian_copy_is_told_from_spanish(make_doc):
    doc = make_doc(
        "Rome, May 3 (ansa) - The Farnesina has rendered known that 300 thousand people fled, "
        "according to what reported by the Onu, In the ambit of the crisis.\n", lang="en")
    ctx = BatchContext(docs=[doc])
    detectors = load_all()
    findings = [f for name in ("calques", "casing") for f in detectors[name]().run(ctx)]
    got = provenance.infer(doc, findings)
    assert got["lang"] == "it"
    assert {"italian-agency-credit", "calque"} <= {e["signal"] for e in got["evidence"]}


def test_pipeline_habits_alone_name_no_language(make_doc):
    doc = make_doc("Lima\n\nThe talks resumed And they ended In the evening And nothing "
                   "changed.\n", lang="en")
    casing = load_all()["casing"]().run(BatchContext(docs=[doc]))
    assert len(casing) >= 3
    assert provenance.infer(doc, casing)["lang"] is None
