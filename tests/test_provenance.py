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


# --- the learned model (audit/provenance_model.py, audit/data/provenance_model.json) -----------

RUSSIAN_DESK = (
    "Head of Investigative Committee Confirmed Detention of Four Suspects\n\n"
    "The head of the Investigative Committee of Russia Alexander Bastrykin stated that four "
    "suspects in the terrorist attack in the concert hall were detained in the Bryansk region. "
    "According to preliminary data, the number of victims of the attack reached 137 people. It "
    "is noted that the criminal case was opened under the article on the terrorist act.\n\n"
    "The press service of the ministry stressed that the search of the accomplices of the "
    "attackers continues. The head of the region Vyacheslav Gladkov said: \"The situation is "
    "under the control of the authorities.\"\n\n"
    "Recall, earlier it was reported that the attackers tried to leave in the direction of the "
    "border with Ukraine. The court chose for the detained the measure of restraint in the form "
    "of arrest for two months.\n")

AGENCY_ENGLISH = (
    "Gunmen kill dozens at Moscow concert hall\n\n"
    "MOSCOW (AP) — Gunmen burst into a big suburban Moscow concert hall on Friday and sprayed "
    "the crowd with automatic weapons, killing more than 60 people and wounding scores, Russian "
    "officials said. It's the deadliest attack in Russia in years, and it came just days after "
    "President Vladimir Putin won another term.\n\n"
    "\"We heard shots, and then everybody ran,\" said Anna, a concertgoer who didn't give her "
    "last name. \"I don't know how we got out.\"\n\n"
    "Videos posted on social media showed the building's roof on fire as smoke billowed into "
    "the night sky. Officials said the blaze was still burning hours later, and they weren't "
    "sure how many people were trapped inside.\n\n"
    "The Islamic State group's affiliate claimed responsibility, according to a statement it "
    "posted online, though it didn't offer any evidence. U.S. officials said they'd warned "
    "Moscow earlier this month.\n")


def all_findings(doc):
    detectors = load_all()
    ctx = BatchContext(docs=[doc])
    return [f for name in detectors for f in detectors[name]().run(ctx)]


def test_model_file_is_plain_numbers_matching_the_features(make_doc):
    import json
    from importlib import resources
    from audit import provenance_features as pf, provenance_model as pm
    raw = json.loads((resources.files("audit") / "data" / pm.DATA).read_text(encoding="utf-8"))
    model = pm.load()
    assert model is not None and 0 < model.threshold < 1
    doc = make_doc(AGENCY_ENGLISH, lang="en")
    tally = provenance.rule_votes(doc, [])
    produced = pm.doc_features(pf.profile(doc, [], {}), tally, {"lang": None})
    assert set(raw["detect"]["features"]) == set(produced)      # no feature silently missing
    assert set(raw["source"]["features"]) == set(pf.LANG_FEATURES)   # training shares left out
    for part in ("detect", "source"):
        n = len(raw[part]["features"])
        assert len(raw[part]["coef"]) == len(raw[part]["mean"]) == len(raw[part]["scale"]) == n


def test_fluent_translated_english_is_recognised_with_its_language(make_doc):
    doc = make_doc(RUSSIAN_DESK, lang="en")
    got = provenance.infer(doc, all_findings(doc))
    assert got["lang"] == "ru"
    profile = [e for e in got["evidence"] if e["signal"] == "english-profile"]
    assert profile and all(e["contribution"] > 0 for e in profile)
    texts = " ".join(e["text"] for e in profile)
    assert "'said that'" in texts                    # the strongest features, in words
    located = [e for e in got["evidence"] if e["start"] is not None]
    assert all(doc.text[e["start"]:e["end"]] for e in located)
    assert any(e["signal"] == "source-language" and e["langs"] == {"ru": e["langs"]["ru"]}
               for e in got["evidence"])


def test_agency_english_is_not_called_a_translation(make_doc):
    doc = make_doc(AGENCY_ENGLISH, lang="en")
    got = provenance.infer(doc, all_findings(doc))
    assert got == {"lang": None, "score": 0.0, "evidence": []}


def test_a_short_text_is_left_to_the_rules(make_doc):
    from audit import provenance_model as pm
    text = RUSSIAN_DESK.split("\n\n")[1]            # one paragraph: under min_words
    doc = make_doc("Detention\n\n" + text, lang="en")
    tally = provenance.rule_votes(doc, [])
    decision = pm.load().decide(doc, [], tally, {"lang": None})
    assert decision.p_translated >= pm.load().threshold and not decision.translated


def test_the_language_evidence_explains_the_language_named(make_doc):
    doc = make_doc(
        "Lima\n\nThe president of the government met the unions this Monday, informed EFE "
        "sources of the ministry. The also minister of Economy spoke And they agreed on a "
        "plan in Baghdad, Iraq.\n\n(With information from EFE and Europa Press)\n", lang="en")
    got = provenance.infer(doc, all_findings(doc))
    assert got["lang"] == "es"
    named = [e for e in got["evidence"] if e["signal"] == "source-language"]
    assert all(set(e["langs"]) == {"es"} for e in named)


def test_the_outlets_home_is_read_from_its_name_and_domain(make_doc):
    from audit import provenance_features as pf
    text = "Collapse\n\nFourteen people died when the canopy of the station in Novi Sad fell.\n"

    def home(outlet):
        doc = make_doc(text, outlet=outlet, lang="en")
        langs = pf.profile(doc, [], {}).lang_measures
        return {c: m["outlet-home"].value for c, m in langs.items() if "outlet-home" in m}

    assert home("Fakti.bg (English)") == {"bg": 1.0}             # a country-code domain
    assert home("Radio Moldova") == {"ro": 1.0}                  # a place in the name
    assert home("Interfax-Ukraine") == {"uk": 0.5, "ru": 0.5}    # shared by two presses
    assert home("Informedia (informedia.co.uk)") == {}           # an English-speaking domain
    assert home("The Daily Courier") == {}
    assert home(None) == {}


def test_the_outlets_home_outweighs_the_storys_country(make_doc):
    """A Bulgarian desk translating a story from Serbia: the places of the story point to
    Serbian; the outlet's own domain moves the choice toward Bulgarian."""
    from audit import provenance_features as pf, provenance_model as pm
    text = ("Collapse in Novi Sad\n\nThe canopy of the railway station in Novi Sad collapsed, "
            "Serbian President Aleksandar Vucic said in Belgrade. Fourteen people died.\n")
    model = pm.load()
    scores = {}
    for outlet in (None, "Fakti.bg"):
        doc = make_doc(text, outlet=outlet, lang="en")
        _, _, scores[outlet] = model.source_language(pf.profile(doc, [], {}))
    assert scores["Fakti.bg"]["bg"] > scores[None].get("bg", float("-inf"))
    assert max(scores["Fakti.bg"], key=scores["Fakti.bg"].get) == "bg"
