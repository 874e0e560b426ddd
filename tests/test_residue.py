"""language-residue: sentences and stretches left in the source language."""
from __future__ import annotations

from audit.artifacts.registry import load_all
from audit.artifacts.residue import ResidueSettings
from audit.types import BatchContext


def run(*docs, **settings):
    det = load_all()["language-residue"](ResidueSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


def test_untranslated_sentence_in_an_english_article(make_doc):
    doc = make_doc(
        "Protest in Lisbon\n\nThousands marched through central Lisbon on Saturday to demand "
        "lower rents, police said.\n\nOs manifestantes exigiram que o governo congele as rendas "
        "durante os próximos dois anos.\n\nThe government said it would present new measures "
        "next week.\n", detect_lang=True)
    assert doc.lang == "en"
    [f] = run(doc)
    assert f.kind == "language-residue" and f.family == "translation"
    assert f.text.startswith("Os manifestantes") and f.text.endswith("anos.")
    assert f.evidence["detected"] == "pt" and f.evidence["probability"] >= 0.8
    assert f.severity == "warning"


def test_stretch_inside_an_english_sentence(make_doc):
    doc = make_doc(
        "Strike\n\nBus drivers in Marseille stayed off work for a third day on Wednesday, "
        "leaving commuters stranded across the city.\n\nThe union said the walkout would "
        "continue, adding that la situation reste très tendue dans plusieurs dépôts de la "
        "région according to its leaders.\n\nTalks with the transport authority are due to "
        "resume on Friday.\n", detect_lang=True)
    assert doc.lang == "en"
    [f] = run(doc)
    assert f.text == "la situation reste très tendue dans plusieurs dépôts de la région"
    assert f.evidence["detected"] == "fr" and f.evidence["rule"] == "residue-stretch"


def test_sentences_of_names_are_not_a_language(make_doc):
    doc = make_doc(
        "Sahel summit\n\nThe leaders met in the capital on Monday to discuss security.\n\n"
        "Present were Mohamed Ould Ghazouani, Assimi Goïta, Abdourahamane Tiani and Ibrahim "
        "Traoré of Burkina Faso.\n\nThey agreed to meet again in March.\n", detect_lang=True)
    assert run(doc) == []


def test_english_sentence_in_a_french_article(make_doc):
    doc = make_doc(
        "Sommet\n\nLes dirigeants européens se sont réunis lundi à Bruxelles pour discuter de "
        "l'aide à l'Ukraine.\n\nThe meeting ended without an agreement on the new funding "
        "package for Kyiv.\n\nLes discussions reprendront la semaine prochaine, selon un "
        "diplomate.\n", detect_lang=True)
    assert doc.lang == "fr"
    [f] = run(doc)
    assert f.evidence["detected"] == "en"
    assert f.text.startswith("The meeting ended")


def test_documents_without_a_language_are_skipped(make_doc):
    doc = make_doc("Note\n\nLa situation reste très tendue dans plusieurs quartiers de la ville.\n")
    assert doc.lang is None
    assert run(doc) == []


def test_single_untranslated_words(make_doc):
    doc = make_doc(
        "Flood in Valencia\n\nRescuers worked through the night in the town of Paiporta, "
        "where the damnificados waited on the roofs of their homes for help to arrive.\n\n"
        "Soldiers cleared the escombros from the main street on Thursday, and the regional "
        "government promised to rebuild the bridges within months.\n", detect_lang=True)
    assert doc.lang == "en"
    found = run(doc)
    assert [f.text for f in found] == ["damnificados", "escombros"]
    f = found[0]
    assert f.evidence["rule"] == "residue-word" and f.evidence["detected"] == "es"
    assert f.evidence["zipf_source"] >= 3.0 and f.evidence["zipf_en"] < 1.0
    assert "Spanish word left untranslated" in f.message


def test_loanwords_place_names_and_quotes_are_not_residue(make_doc):
    doc = make_doc(
        "Paris riots\n\nGendarmes and riot police were deployed in the banlieues after the coup "
        "attempt rumours spread, and protesters marched down the rue Saint-Denis chanting "
        "\"pompiers partout\" as the communiqué from the prefecture was read out.\n",
        detect_lang=True)
    assert doc.lang == "en"
    assert run(doc) == []
