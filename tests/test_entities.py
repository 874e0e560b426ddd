"""The `entity-variants` detector on small batches of realistic articles (none from the seeds)."""
import math
import re

import pytest

from audit.artifacts.entities import EntityVariants, canonical_map
from audit.types import BatchContext, Document, SourceMeta, Span


def make_doc(doc_id: str, text: str, outlet: str | None = None, noise: list[str] = ()) -> Document:
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    spans = [Span(text.index(n), text.index(n) + len(n)) for n in noise]
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, outlet=outlet, lines=lines,
                    paragraphs=list(lines), source=SourceMeta(outlet=outlet), noise=spans)


def run(docs, **settings):
    ctx = BatchContext(docs=docs)
    findings = EntityVariants(EntityVariants.Settings(**settings)).run(ctx)
    return findings, ctx


def flagged(findings):
    return sorted((f.doc_id, f.text, f.evidence["verdict"]) for f in findings)


def group_of(ctx, spelling):
    return next(g for g in ctx.entities if spelling in g.verdicts)


# --- a Russian story: English wires and a machine translation of a French copy ---------------

WIRE_A = ("Wagner chief Yevgeny Prigozhin presumed dead in plane crash\n\n"
          "MOSCOW, Aug 24 (Reuters) - Russian investigators said that mercenary chief Yevgeny "
          "Prigozhin was among ten people on a jet that crashed north of Moscow. Ukrainian "
          "President Volodymyr Zelensky said Kyiv had nothing to do with it. Defence Minister "
          "Sergei Shoigu made no comment.\n")
WIRE_B = ("Prigozhin on board crashed jet, Russian aviation agency says\n\n"
          "MOSCOW (AP) - Yevgeny Prigozhin, the head of the Wagner group, was on a plane that "
          "crashed in the Tver region. Volodymyr Zelensky's adviser said the Kremlin wanted "
          "revenge. Sergei Shoigu has not spoken since June.\n")
MT_FRENCH = ("Ievgueni Prigojine dead in the crash of his plane\n\n"
             "(Moscow) The head of the Wagner group, Ievgueni Prigojine, was on board a plane "
             "which crashed north of Moscow. Prigojine had led an aborted rebellion. The Ukrainian "
             "president Volodimir Zelenski assured that Kyiv had no role. The minister Sergei "
             "Choïgou did not comment.\n")


@pytest.fixture(scope="module")
def russian_story():
    docs = [make_doc("wire-a", WIRE_A, "Reuters"), make_doc("wire-b", WIRE_B, "AP"),
            make_doc("mt-fr", MT_FRENCH, "Le Courrier (MT)")]
    return docs, *run(docs, shipped_gazetteer=False)


def test_french_romanisations_are_foreign_with_their_language(russian_story):
    docs, findings, ctx = russian_story
    got = {(f.text, f.evidence["language"]) for f in findings if f.evidence["verdict"] == "foreign"}
    assert ("Ievgueni Prigojine", "fr") in got
    assert ("Sergei Choïgou", "fr") in got
    assert ("Prigojine", "fr") in got                 # the lone surname joins the full name
    assert all(f.doc_id == "mt-fr" and f.severity == "warning" for f in findings)


def test_foreign_finding_explains_itself(russian_story):
    docs, findings, ctx = russian_story
    f = next(f for f in findings if f.text == "Ievgueni Prigojine")
    assert f.suggestion == "Yevgeny Prigozhin"
    assert f.text == docs[2].text[f.start:f.end]
    ev = f.evidence
    assert ev["canonical_source"] == "consensus" and ev["canonical"] == "Yevgeny Prigozhin"
    outlets = {s["spelling"]: s["outlets"] for s in ev["spellings"]}
    assert outlets["Yevgeny Prigozhin"] == {"Reuters": 2, "AP": 1}
    assert outlets["Ievgueni Prigojine"] == {"Le Courrier (MT)": 2}
    assert any("j for zh" in r for d in ev["differences"] for r in d["foreign_rules"])
    assert "French" in f.message and "Yevgeny Prigozhin" in f.message


def test_slavic_y_written_i_is_flagged(russian_story):
    docs, findings, ctx = russian_story
    f = next(f for f in findings if f.text == "Volodimir Zelenski")
    assert f.evidence["verdict"] == "foreign" and f.suggestion == "Volodymyr Zelensky"


def test_groups_are_published_for_alignment(russian_story):
    docs, findings, ctx = russian_story
    g = group_of(ctx, "Ievgueni Prigojine")
    assert g.canonical == "Yevgeny Prigozhin" and g.source == "consensus"
    assert g.verdicts["Yevgeny Prigozhin"] == "canonical"
    assert g.verdicts["Ievgueni Prigojine"] == "foreign"
    cmap = canonical_map(ctx.entities)
    f = next(f for f in findings if f.text == "Ievgueni Prigojine")
    assert cmap[(f.doc_id, f.start, f.end)] == "Yevgeny Prigozhin"


# --- Gaza: a Spanish copy, and brothers who must not be merged ---------------------------------

GAZA_EN1 = ("Israel orders evacuations in Khan Younis\n\n"
            "JERUSALEM (Reuters) - Israel's military ordered Palestinians to leave parts of Khan "
            "Younis on Monday. Israeli officials believe Hamas leader Yahya Sinwar is hiding under "
            "the city, along with his brother Mohammed Sinwar.\n")
GAZA_EN2 = ("Fighting spreads around Khan Younis\n\n"
            "GAZA (AP) - Doctors at Nasser Hospital in Khan Younis said they were overwhelmed. "
            "Yoav Gallant said Yahya Sinwar was \"a dead man walking\". Mohammad Sinwar commands a "
            "brigade in the south.\n")
GAZA_ES = ("Israeli army orders evacuation of eastern Jan Yunis\n\n"
           "The Israeli army ordered residents of the east of Jan Yunis, in the south of the Gaza "
           "Strip, to leave their homes. The leader of Hamas in Gaza, Yahya Sinwar, is believed to "
           "be in the tunnels.\n")


@pytest.mark.parametrize("shipped", [False, True])
def test_spanish_j_for_kh(shipped):
    docs = [make_doc("en1", GAZA_EN1, "Reuters"), make_doc("en2", GAZA_EN2, "AP"),
            make_doc("es", GAZA_ES, "Infobae (MT)")]
    findings, ctx = run(docs, shipped_gazetteer=shipped)
    assert flagged(findings) == [("es", "Jan Yunis", "foreign")] * 2
    assert all(f.evidence["language"] == "es" and f.suggestion == "Khan Younis" for f in findings)


def test_brothers_are_not_merged():
    docs = [make_doc("en1", GAZA_EN1, "Reuters"), make_doc("en2", GAZA_EN2, "AP")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert findings == []
    yahya, mohammed = group_of(ctx, "Yahya Sinwar"), group_of(ctx, "Mohammed Sinwar")
    assert yahya is not mohammed
    assert mohammed.verdicts.get("Mohammad Sinwar") == "acceptable"   # one man, two spellings
    assert "Mohammed Sinwar" not in yahya.verdicts


# --- an entity no gazetteer lists, garbled by one outlet ---------------------------------------

def _militia_story(outlet: str, name: str) -> str:
    return (f"Drone strike hits militia convoy near Qaim\n\n"
            f"({outlet}) A drone struck a convoy of the Saraya Awliya al-Dam group on Tuesday. "
            f"Officials said {name}, a commander of the group, survived. Iraqi Prime Minister "
            f"Mohammed Shia al-Sudani ordered an inquiry.\n")


def test_unlisted_name_garbled_against_three_outlets():
    docs = [make_doc("a", _militia_story("Reuters", "Abu Turab al-Husseini"), "Reuters"),
            make_doc("b", _militia_story("AP", "Abu Turab al-Husseini"), "AP"),
            make_doc("c", _militia_story("AFP", "Abu Turab al-Husseini"), "AFP"),
            make_doc("d", _militia_story("copy site", "Abu Duraab al-Husseini"), "Copy site")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("d", "Abu Duraab al-Husseini", "garbled")]
    f = findings[0]
    assert f.severity == "error" and f.suggestion == "Abu Turab al-Husseini"
    assert f.evidence["rule"] == "consonant-change"
    assert "t→d" in f.evidence["differences"][0]["consonant_changes"]
    assert "3 outlets" in f.message


def test_one_outlet_against_one_is_not_enough():
    docs = [make_doc("a", _militia_story("Reuters", "Abu Turab al-Husseini"), "Reuters"),
            make_doc("d", _militia_story("copy site", "Abu Duraab al-Husseini"), "Copy site")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert findings == []
    assert group_of(ctx, "Abu Duraab al-Husseini").verdicts["Abu Duraab al-Husseini"] == "unknown"


def test_acceptable_spellings_are_recorded_not_flagged():
    afp = _militia_story("AFP", "Abu Turab al-Husseini").replace("Mohammed Shia al-Sudani",
                                                                 "Mohammad Shia' al-Sudani")
    docs = [make_doc("a", _militia_story("Reuters", "Abu Turab al-Husseini"), "Reuters"),
            make_doc("b", _militia_story("AP", "Abu Turaab al-Hussaini"), "AP"),
            make_doc("c", afp, "AFP")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert findings == []
    g = group_of(ctx, "Abu Turaab al-Hussaini")
    assert g.verdicts["Abu Turaab al-Hussaini"] == "acceptable"
    sudani = group_of(ctx, "Mohammad Shia' al-Sudani")
    assert sudani.canonical == "Mohammed Shia al-Sudani"
    assert sudani.verdicts["Mohammad Shia' al-Sudani"] == "acceptable"


# --- one article, several spellings -------------------------------------------------------------

def test_three_spellings_in_one_article_are_garbled():
    clean = ("Strike on Ashab al-Kahf depot\n\nThe Ashab al-Kahf group claimed the attack. "
             "Ashab al-Kahf has been active since 2020.\n")
    damaged = ("Strike on Ashab al-Kahf depot\n\nThe Ashab al-Qahv group claimed the attack. "
               "Officials said Ashab al-Kahb fighters left the site. Ashab al-Kahf denied it.\n")
    docs = [make_doc("a", clean, "Reuters"), make_doc("b", clean.replace("2020", "2019"), "AP"),
            make_doc("x", damaged, "Copy site")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("x", "Ashab al-Kahb", "garbled"), ("x", "Ashab al-Qahv", "garbled")]
    for f in findings:
        assert len(f.evidence["article_spellings"]) == 3 and "3 ways" in f.message
    # with one outlet on each side the consensus is too thin: the article's own three
    # spellings are what condemns them
    worse = ("Depot struck\n\nThe Ashab al-Qahv group claimed the attack. Officials said Ashab "
             "al-Kahb fighters left the site. Ashab al-Kahv denied it.\n")
    findings, _ = run([docs[0], make_doc("x", worse, "Copy site")], shipped_gazetteer=False)
    assert flagged(findings) == [("x", "Ashab al-Kahb", "garbled"), ("x", "Ashab al-Kahv", "garbled"),
                                 ("x", "Ashab al-Qahv", "garbled")]
    assert {f.evidence["rule"] for f in findings} == {"within-article"}


def test_two_spellings_in_an_english_original_are_left_alone():
    text = ("Hezbollah warns Israel\n\nBEIRUT (AP) - Hezbollah said on Sunday it would respond. "
            "Hizbollah's deputy leader Naim Qassem spoke on al-Manar television.\n")
    other = "Hezbollah fires rockets\n\nBEIRUT (Reuters) - Hezbollah fired rockets at Israel.\n"
    findings, _ = run([make_doc("a", text, "AP"), make_doc("b", other, "Reuters")],
                      shipped_gazetteer=False)
    assert findings == []


# --- fused names, humps, titles, noise --------------------------------------------------------

def test_name_fused_with_next_word():
    a = "Jaish al-Mahdi returns\n\n(Reuters) Fighters of Jaish al-Mahdi paraded in Baghdad.\n"
    b = "Sadr revives Jaish al-Mahdi\n\n(AP) The Jaish al-Mahdi militia was disbanded in 2008.\n"
    x = ("Militia parade in Baghdad\n\nFighters of Jaish al-Mahdia militia loyal to the cleric "
         "paraded on Friday.\n")
    findings, _ = run([make_doc("a", a, "Reuters"), make_doc("b", b, "AP"),
                       make_doc("x", x, "Copy")], shipped_gazetteer=False)
    assert flagged(findings) == [("x", "al-Mahdia", "garbled")]
    f = findings[0]
    assert f.evidence["rule"] == "fused-word" and f.suggestion == "al-Mahdi a"


def test_hump_ends_the_name():
    a = "Houthi leader speaks\n\n(Reuters) Abdul-Malik al-Houthi said the attacks would go on.\n"
    x = "Houthi leader speaks\n\nAbdul-Malik al-HouthiWarned that ships would be targeted.\n"
    findings, ctx = run([make_doc("a", a, "Reuters"), make_doc("x", x, "Copy")])
    assert findings == []
    g = group_of(ctx, "Abdul-Malik al-Houthi")
    assert {m.doc_id for m in g.mentions} == {"a", "x"}


def test_titles_months_and_sentence_starts_are_not_names():
    text = ("Prime Minister visits troops\n\nPolice said on Tuesday that Prime Minister Keir Starmer "
            "met troops. In October, Gen. Patrick Sanders had warned. Police sources agreed.\n")
    findings, ctx = run([make_doc("a", text, "BBC"), make_doc("b", text, "Sky")],
                        shipped_gazetteer=False)
    assert findings == []
    spellings = {s for g in ctx.entities for s in g.verdicts}
    assert "Keir Starmer" in spellings
    assert not spellings & {"Police", "Prime Minister", "Tuesday", "October", "In October"}


def test_noise_is_skipped():
    body = "The Ashab al-Kahf group claimed it. Ashab al-Qahv fighters left. Ashab al-Kahb too."
    x = make_doc("x", f"Story\n\n{body}\n", "Copy", noise=[body])
    clean = "Story\n\nThe Ashab al-Kahf group claimed it again.\n"
    findings, _ = run([x, make_doc("a", clean, "AP"), make_doc("b", clean, "AFP")],
                      shipped_gazetteer=False)
    assert findings == []


# --- the gazetteer --------------------------------------------------------------------------------

def test_common_noun_misrendering_needs_its_context():
    x = ("Crossing closed\n\nTrucks were stopped at the welfare crossing on Sunday. "
         "The social welfare ministry in Ramallah said payments were late.\n")
    findings, _ = run([make_doc("x", x, "Copy")])
    assert flagged(findings) == [("x", "welfare", "garbled")]
    f = findings[0]
    assert f.start == x.index("welfare crossing") and f.suggestion == "Rafah"
    assert f.evidence["rule"] == "common-noun-misrendering"


def test_known_bad_form():
    x = "Raid in Baghdad\n\nPolice raided a house in Chest City on Monday.\n"
    findings, _ = run([make_doc("x", x, "Copy")])
    assert flagged(findings) == [("x", "Chest City", "garbled")]
    assert findings[0].suggestion == "Sadr City"


def test_shipped_gazetteer_is_consistent():
    """Every alias passes, every foreign form is foreign, every bad form is garbled."""
    from audit.names.gazetteer import load
    gaz, problems = load()
    assert not problems and len(gaz.entries) >= 40
    owners = {}
    for f in gaz.forms:
        owners.setdefault(f.names, set()).add(f.entry_id)
    assert not {k: v for k, v in owners.items() if len(v) > 1}

    def sentences(forms):
        return "Roundup\n\n" + "\n".join(f"Officials said on Sunday that {x} was involved."
                                           for x in forms) + "\n"
    entries = gaz.entries.values()
    docs = [make_doc("canon", sentences(e.canonical for e in entries), "A"),
            make_doc("alias", sentences(a for e in entries for a in e.aliases), "B"),
            make_doc("foreign", sentences(f.form for e in entries for f in e.foreign), "C"),
            make_doc("bad", sentences(b for e in entries for b in e.known_bad), "D")]
    findings, _ = run(docs)
    assert [f for f in findings if f.doc_id in ("canon", "alias")] == []
    foreign = {f.text for f in findings if f.doc_id == "foreign" and f.evidence["verdict"] == "foreign"}
    assert foreign == {f.form for e in entries for f in e.foreign}
    bad = {f.text for f in findings if f.doc_id == "bad" and f.evidence["verdict"] == "garbled"}
    assert bad == {b for e in entries for b in e.known_bad}


def test_config_extends_the_gazetteer(tmp_path):
    extra = tmp_path / "desk.yaml"
    extra.write_text("entities:\n  - id: ashab-al-kahf\n    canonical: Ashab al-Kahf\n"
                     "    known_bad: [Cave People]\n", encoding="utf-8")
    x = "Claim\n\nThe Cave People group claimed the drone attack on Erbil.\n"
    findings, ctx = run([make_doc("x", x, "Copy")], gazetteer_files=[str(extra)])
    assert flagged(findings) == [("x", "Cave People", "garbled")]
    # an inline entry with a shipped id adds an alias to it
    y = "Clash\n\nFighters of the Hezbollah Battalions clashed with police.\n"
    findings, _ = run([make_doc("y", y, "Copy")], gazetteer=[
        {"id": "kataib-hezbollah", "canonical": "Kataib Hezbollah", "known_bad": ["Hezbollah Battalions"]}])
    assert flagged(findings) == [("y", "Hezbollah Battalions", "garbled")]


def test_bad_gazetteer_file_is_reported_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - canonical: Ashab al-Kahf\n    colour: blue\n", encoding="utf-8")
    x = "Raid\n\nPolice raided a house in Chest City on Monday.\n"
    findings, ctx = run([make_doc("x", x, "Copy")],
                        gazetteer_files=[str(bad), str(tmp_path / "missing.yaml")])
    assert flagged(findings) == [("x", "Chest City", "garbled")]
    messages = " ".join(str(p) for p in ctx.problems)
    assert "bad.yaml: entry 1" in messages and "colour" in messages
    assert "missing.yaml: gazetteer file not found" in messages


def test_settings_reject_unknown_keys():
    with pytest.raises(Exception, match="gazeteer"):
        EntityVariants.Settings.model_validate({"gazeteer": []})


# --- document evidence: a French copy is French in every name -----------------------------------

SOM_EN1 = ("Somali forces retake town from al-Shabaab\n\n"
           "MOGADISHU, March 3 (Reuters) - Somali troops retook a town in the Mudug region from "
           "al-Shabaab on Sunday, President Hassan Sheikh Mohamud said. Soldiers from Uganda were "
           "attacked near Baidoa. Moussa Faki of the African Union praised the army.\n")
SOM_EN2 = ("Somalia says army captures al-Shabaab stronghold\n\n"
           "MOGADISHU, Somalia (AP) - The Somali army captured a stronghold, officials said. Hassan "
           "Sheikh Mohamud visited troops near Baidoa with commanders from Uganda. Moussa Faki "
           "welcomed the advance.\n")
SOM_FR = ("Somalia: the army takes back a town to the shebab\n\n"
          "Mogadishu (AFP) - The Somali army took back Sunday a town to the islamists of al-Chabab, "
          "announced the president Hassan Cheikh Mohamoud. Soldiers of Ouganda were attacked near "
          "Baidoa. Moussa Faki, of the African Union, saluted the army. In Tours and in Louisiana, "
          "exiles celebrated.\n")
SOM_FR_PLAIN = ("Somalia: the army takes back a town\n\n"
                "Mogadishu (AFP) - The army took back Sunday a town, announced the presidency. "
                "Soldiers of Ouganda were attacked near Baidoa.\n")


@pytest.mark.parametrize("shipped", [False, True])
def test_weak_marker_is_foreign_in_an_article_with_strong_ones(shipped):
    docs = [make_doc("en1", SOM_EN1, "Reuters"), make_doc("en2", SOM_EN2, "AP"),
            make_doc("fr", SOM_FR, "AFP French (MT)")]
    findings, ctx = run(docs, shipped_gazetteer=shipped)
    assert flagged(findings) == [("fr", "Hassan Cheikh Mohamoud", "foreign"),
                                 ("fr", "Ouganda", "foreign"), ("fr", "al-Chabab", "foreign")]
    f = next(f for f in findings if f.text == "Ouganda")
    assert f.suggestion == "Uganda" and f.evidence["language"] == "fr"
    assert set(f.evidence["document_evidence"]) == {"Hassan Cheikh Mohamoud", "al-Chabab"}
    assert "ou for u" in f.message and "other names the French way" in f.message
    # "Moussa", "Tours" and "Louisiana" have "ou" too, but no other outlet spells them otherwise
    assert not {"Moussa Faki", "Tours", "Louisiana"} & {f.text for f in findings}


def test_weak_marker_alone_is_foreign_where_the_source_press_writes_it():
    # no other French marker in the article, and "ou" for u is only a hint; but French text
    # knows "Ouganda" and English text knows "Uganda" (wordfreq): the French press's spelling
    docs = [make_doc("en1", SOM_EN1, "Reuters"), make_doc("en2", SOM_EN2, "AP"),
            make_doc("fr", SOM_FR_PLAIN, "AFP French (MT)")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("fr", "Ouganda", "foreign")]
    f = findings[0]
    assert f.evidence["rule"] == "press-spelling" and f.evidence["language"] == "fr"
    assert "French text writes “Ouganda”" in f.message and "which writes “Uganda”" in f.message
    # the word statistics need no majority: one outlet against one says the same
    findings, ctx = run(docs[1:], shipped_gazetteer=False)
    assert flagged(findings) == [("fr", "Ouganda", "foreign")]


def test_weak_marker_in_an_english_article_is_left_alone():
    # an English outlet writing Moussa where others write Musa is a house style, not French
    a = "Talks in Addis Ababa\n\n(Reuters) - Musa Hilal met the envoy. Musa Hilal said talks went well.\n"
    b = "Talks in Addis Ababa\n\n(AP) - Musa Hilal arrived on Monday for talks with the envoy.\n"
    c = "Talks in Addis Ababa\n\n(Copy) - Moussa Hilal met the envoy on Monday.\n"
    findings, _ = run([make_doc("a", a, "Reuters"), make_doc("b", b, "AP"),
                       make_doc("c", c, "Copy site")], shipped_gazetteer=False)
    assert findings == []


def test_final_mute_e_and_e_for_a_in_a_french_copy():
    en = ("Yemen's government names new premier\n\nADEN (Reuters) - Yemen's presidential council "
          "named Ahmed Awad bin Mubarak prime minister. Abdulrahman al-Mahrami backed him. Houthi "
          "drones hit Hodeidah.\n")
    en2 = ("New premier for Yemen\n\nADEN (AP) - Ahmed Awad bin Mubarak and Abdulrahman al-Mahrami "
           "met. Strikes hit Hodeidah.\n")
    fr = ("Yemen: a new Prime minister\n\nAden (AFP) - The presidential council named Ahmed Awad ben "
          "Moubarek at the head of the government, with the support of Abderrahmane al-Mahrami. "
          "Drones struck Hodeïda.\n")
    findings, _ = run([make_doc("en", en, "Reuters"), make_doc("en2", en2, "AP"),
                       make_doc("fr", fr, "AFP (MT)")], shipped_gazetteer=False)
    got = {f.text: f for f in findings}
    assert set(got) == {"Ahmed Awad ben Moubarek", "Abderrahmane al-Mahrami", "Hodeïda"}
    assert all(f.evidence["verdict"] == "foreign" and f.evidence["language"] == "fr"
               for f in findings)
    moubarek = got["Ahmed Awad ben Moubarek"]       # ou and e for a: hints, read as French here
    assert moubarek.evidence["document_evidence"] == ["Abderrahmane al-Mahrami", "Hodeïda"]
    mahrami = got["Abderrahmane al-Mahrami"]       # assimilated article and mute -e: two weak
    assert mahrami.suggestion == "Abdulrahman al-Mahrami"
    assert "final mute -e" in mahrami.message and "document_evidence" not in mahrami.evidence


# --- reading a romanisation backwards -------------------------------------------------------------

def test_lower_case_foreign_place_word_before_a_name():
    en = ("Fighting in Jabal Marra\n\n(Reuters) - Clashes erupted in Jabal Marra, the mountain range "
          "in Darfur. Jabal Marra has been held by rebels for years.\n")
    fr = ("Sudan: fighting in the djebel Marra\n\n(AFP) - Clashes broke out in the djebel Marra, "
          "mountainous massif of the west of the country.\n")
    findings, _ = run([make_doc("en", en, "Reuters"), make_doc("fr", fr, "AFP (MT)")],
                      shipped_gazetteer=False)
    assert flagged(findings) == [("fr", "djebel Marra", "foreign")] * 2
    f = findings[0]
    assert f.suggestion == "Jabal Marra" and f.evidence["rule"] == "reverse-romanisation"
    assert fr[f.start:f.end] == "djebel Marra"


def test_translated_place_word_needs_a_known_name():
    en = ("Oil spill near Port Harcourt\n\nPORT HARCOURT, Nigeria (Reuters) - An oil spill near Port "
          "Harcourt polluted creeks, residents said.\n")
    it = ("Nigeria, oil spill in the Delta\n\nLagos (ANSA) - An oil spill near Porto Harcourt "
          "has polluted the creeks, according to the Ue. Experts from Porto Alegre arrived.\n")
    findings, _ = run([make_doc("en", en, "Reuters"), make_doc("it", it, "ANSA (MT)")])
    assert flagged(findings) == [("it", "Porto Harcourt", "foreign"), ("it", "Ue", "foreign")]
    assert {f.suggestion for f in findings} == {"Port Harcourt", "EU"}
    assert all(f.evidence["language"] == "it" for f in findings)


def test_word_statistics_find_the_english_form():
    # no outlet writes Uganda: the French "ou" is undone and English knows the result
    fr = SOM_FR.replace("Ouganda", "Ouganda's army")
    findings, ctx = run([make_doc("fr", fr, "AFP French (MT)")], shipped_gazetteer=False)
    f = next(f for f in findings if f.text == "Ouganda")
    assert f.suggestion == "Uganda" and f.evidence["reverse"] == "lexicon"
    assert f.evidence["document_evidence"]       # a hint plus word statistics wait for evidence
    assert group_of(ctx, "Ouganda").canonical == "Uganda"


def test_own_spellings_that_look_french_are_kept():
    text = ("Senegal votes\n\nDAKAR (Reuters) - Former minister Cheikh Tidiane Gadio said Ousmane "
            "Sonko would win. Moussa Faki and Mamadou Ndiaye agreed.\n")
    findings, _ = run([make_doc("a", text, "Reuters"), make_doc("b", text.replace("Reuters", "AP"), "AP")])
    assert findings == []


# --- foreign acronyms -------------------------------------------------------------------------------

SDF_EN1 = ("Kurdish-led SDF says it repelled attack\n\nQAMISHLI, Syria (Reuters) - The Syrian Democratic "
           "Forces (SDF) said they repelled an attack by the Syrian National Army (SNA). The National "
           "Security Agency (NSA) declined to comment.\n")
SDF_EN2 = "Clashes in northeast Syria\n\n(AP) - The SDF and SNA fighters clashed near Manbij, officials said.\n"
SDF_FR = ("Syria: the FDS repel an attack\n\nQamishli (AFP) - The Forces democratic Syrian (FDS), dominated "
          "by the Kurds, affirmed to have repelled an attack. The FDS control the region.\n")


@pytest.mark.parametrize("shipped", [False, True])
def test_acronym_letters_in_romance_order(shipped):
    docs = [make_doc("en1", SDF_EN1, "Reuters"), make_doc("en2", SDF_EN2, "AP"),
            make_doc("fr", SDF_FR, "AFP (MT)")]
    findings, ctx = run(docs, shipped_gazetteer=shipped)
    assert flagged(findings) == [("fr", "FDS", "foreign")] * 3
    f = findings[0]
    assert f.suggestion == "SDF" and f.severity == "warning"
    assert f.evidence["rule"] == "foreign-acronym" and f.evidence["acronym_rule"] == "reordered"
    assert "“SDF”" in f.message
    assert group_of(ctx, "FDS") is group_of(ctx, "SDF")        # one entity for alignment


def test_acronym_defined_next_to_its_english_expansion():
    en = ("UN-backed government repels offensive\n\nTRIPOLI (Reuters) - The Government of National "
          "Accord (GNA) said its forces pushed back an offensive.\n")
    es = ("The GAN repels the offensive\n\nTripoli (EFE).- The Government of National Accord (GAN), "
          "recognized by the UN, assured that its forces pushed back the offensive.\n")
    findings, _ = run([make_doc("en", en, "Reuters"), make_doc("es", es, "EFE (MT)")],
                      shipped_gazetteer=False)
    assert flagged(findings) == [("es", "GAN", "foreign")] * 2
    assert findings[0].evidence["expansion"] == "Government of National Accord"


def test_acronym_that_another_article_abbreviates_differently():
    en = ("Militants kill soldiers in Niger\n\nNIAMEY (Reuters) - Fighters of the Islamic State in the "
          "Greater Sahara (ISGS) killed 17 soldiers, the army said.\n")
    fr = ("Niger: 17 soldiers killed\n\nNiamey (AFP) - Jihadists of the Islamic State in the Greater "
          "Sahara (EIGS) killed 17 soldiers. The EIGS multiplies the attacks.\n")
    findings, _ = run([make_doc("en", en, "Reuters"), make_doc("fr", fr, "AFP (MT)")],
                      shipped_gazetteer=False)
    assert flagged(findings) == [("fr", "EIGS", "foreign")] * 2
    assert findings[0].evidence["acronym_rule"] == "conflict" and findings[0].suggestion == "ISGS"


def test_acronyms_english_copy_uses_are_left_alone():
    congo = ("Fighting near Goma\n\nGOMA (Reuters) - The Democratic Forces for the Liberation of Rwanda "
             "(FDLR) and M23 fought near Goma. NATO SAYS NOTHING ON GOMA FIGHTING\n")
    sahel = ("Attack in Burkina Faso\n\nOUAGADOUGOU (Reuters) - Burkina's Defence and Security Forces "
             "(FDS) repelled an attack, the army said. The FDS lost two men.\n")
    findings, _ = run([make_doc("a", congo, "Reuters"), make_doc("b", congo.replace("Reuters", "AP"), "AP"),
                       make_doc("c", sahel, "Reuters")])
    assert findings == []
    findings, _ = run([make_doc("en1", SDF_EN1, "Reuters"), make_doc("en2", SDF_EN2, "AP")],
                      shipped_gazetteer=False)
    assert findings == []                       # SNA and NSA: two English acronyms


def test_listed_foreign_acronyms_and_title_case():
    es = ("Gaza: the OMS warns of famine\n\nCairo (EFE) - The OMS and the OTAN held talks, the "
          "Nigerian striker Peter Onu scored twice.\n")
    findings, _ = run([make_doc("es", es, "EFE (MT)")])
    assert {(f.text, f.suggestion) for f in findings} == {("OMS", "WHO"), ("OTAN", "NATO")}
    assert all(f.evidence["acronym_rule"] == "listed" for f in findings)


# --- spell-checker damage ---------------------------------------------------------------------------

SPELL = ("Sudan army says it repelled attack on El Obeid\n\nKHARTOUM (Reuters) - The army said it "
         "repelled an attack on El Obeid, the capital of North Kordofan. Residents of El Obey said "
         "shelling lasted hours. El Obeid lies on the road to Port Sudan. Shells hit Port Said Street.\n")


@pytest.mark.parametrize("shipped", [False, True])
def test_name_turned_into_an_english_word(shipped):
    other = "Attack on El Obeid\n\n(AP) - Paramilitaries attacked El Obeid on Sunday.\n"
    findings, _ = run([make_doc("a", SPELL, "Copy site"), make_doc("b", other, "AP")],
                      shipped_gazetteer=shipped)
    assert flagged(findings) == [("a", "El Obey", "garbled")]
    f = findings[0]
    assert f.suggestion == "El Obeid" and f.severity == "error"
    assert f.evidence["rule"] == "spell-checker" and f.evidence["english_word"] == "Obey"


def test_real_english_names_beside_a_name_are_not_spell_checker_damage():
    text = ("Floods in New Mexico\n\n(AP) - Floods hit New Mexico and New Orleans. Governor Michelle "
            "Lujan Grisham toured New Mexico towns. Port Said and Port Sudan were not affected.\n")
    findings, _ = run([make_doc("a", text, "AP"), make_doc("b", text.replace("AP", "Reuters"), "Reuters")])
    assert findings == []


# --- lone words: a shared sound key, a common noun or a name's tail word is not enough -----------

def _groups_with(ctx, spelling):
    return [g for g in ctx.entities if spelling in g.verdicts]


def test_lone_common_word_is_no_spelling_of_a_listed_name():
    """'Café' shares only the sound key KF with Kyiv (its letters are nothing alike); 'Barge' is
    letter-close to Barqa, but the batch writes 'the barge': a common noun."""
    cafe = ("Café owners in Lviv count the cost\n\nLVIV - Owners said business had halved since the "
            "strikes on Kyiv began in the spring.\n")
    barge_a = ("Barge sinks off Benghazi port\n\nBENGHAZI, Libya - A fuel barge sank off the port of "
               "Benghazi on Sunday, the coast guard said. The barge had been towed from Tobruk.\n")
    barge_b = ("Fuel barge lost near Benghazi\n\nA barge loaded with diesel went down near Benghazi, "
               "officials in Barqa said. The crew of six was rescued.\n")
    docs = [make_doc("ua", cafe, "Kyiv Independent"), make_doc("ly1", barge_a, "Libya Observer"),
            make_doc("ly2", barge_b, "Libya Herald")]
    findings, ctx = run(docs)
    assert findings == []
    assert all("Café" not in g.verdicts for g in _groups_with(ctx, "Kyiv"))
    assert all("Barge" not in g.verdicts for g in _groups_with(ctx, "Barqa"))
    assert _groups_with(ctx, "Barqa"), "Barqa itself is still found"


def _with_title(doc_id, text, outlet):
    d = make_doc(doc_id, text, outlet)
    d.title_span = d.lines[0]
    return d


def test_tail_word_before_the_full_name_is_its_own_entity():
    """The river 'Nile' ahead of the state 'Blue Nile' in the same article is not that state."""
    a = ("Nile floods reach Sennar\n\nSENNAR, Sudan - The Nile burst its banks south of Sennar on "
         "Monday, flooding farms, the governor of Blue Nile state said.\n")
    b = ("Flooding in eastern Sudan\n\nWater from the Nile covered roads near Sennar, and officials in "
         "Blue Nile state opened shelters on Monday.\n")
    docs = [_with_title("a", a, "Sudan Tribune"), _with_title("b", b, "Radio Dabanga")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert findings == []
    (state,) = _groups_with(ctx, "Blue Nile")
    assert "Nile" not in state.verdicts


def test_surname_after_the_full_name_or_in_a_lone_headline_still_joins():
    a = ("Wanga orders evacuation of lakeside villages\n\nKISUMU, Kenya - Homa Bay governor Gladys "
         "Wanga ordered families to leave villages on the shore of Lake Victoria on Tuesday. Wanga "
         "said the water had risen by a metre.\n")
    b = ("Floods on Lake Victoria shore\n\nGovernor Gladys Wanga visited flooded homes in Homa Bay on "
         "Tuesday. Wanga promised food and tents for displaced families.\n")
    docs = [_with_title("a", a, "Daily Nation"), _with_title("b", b, "The Standard")]
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert findings == []
    (g,) = _groups_with(ctx, "Gladys Wanga")
    assert g.verdicts.get("Wanga") == "acceptable"
    assert {m.doc_id for m in g.mentions if m.text == "Wanga"} == {"a", "b"}
    assert any(m.start < docs[0].title_span.end for m in g.mentions if m.doc_id == "a")


# --- issue 9: one-off slips against the batch, names cut apart ----------------------------------

NIGER = ("Niger junta names a cabinet\n\n"
         "NIAMEY ({agency}) - General Salifou Modi, the defence minister, met envoys on Monday. "
         "Colonel Mohammed Toumba said the talks in Kahramanmaras and Adiyaman were about aid.\n")


def _niger(agency: str, salifou: str = "Salifou", quake: str = "Kahramanmaras") -> str:
    return NIGER.format(agency=agency).replace("Salifou", salifou).replace("Kahramanmaras", quake)


def test_a_one_off_vowel_move_against_three_outlets_is_explained_with_its_learned_cost():
    docs = [make_doc(a, _niger(a), a) for a in ("Reuters", "AP", "AFP")]
    docs.append(make_doc("copy", _niger("Copy", salifou="Salifu"), "Copy site"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("copy", "Salifu Modi", "garbled")]
    f = findings[0]
    assert "3 other outlets spell it “Salifou”; this spelling moves a vowel (ou→u)" in f.message
    case = f.evidence["majority"][0]
    assert case["learned_costs"]["ou→u"] < case["damage"]      # the majority adds its odds
    # an undoubled letter is routine in the labelled spellings (Mohammed/Mohamed): even three
    # outlets against it do not reach the damage threshold
    from audit.names.edits import moves, table
    from audit.names.majority import MajoritySettings
    (move,) = moves("Toummba", "Toumba")
    assert table().cost(move) - table().prior + math.log(3) < MajoritySettings().min_damage
    docs = [make_doc(a, _niger(a).replace("Toumba", "Toummba"), a) for a in ("Reuters", "AP", "AFP")]
    docs.append(make_doc("copy", _niger("Copy"), "Copy site"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert findings == []


def test_an_established_spelling_is_a_choice_not_a_slip():
    docs = [make_doc(a, _niger(a), a) for a in ("Reuters", "AP", "AFP")]
    docs.append(make_doc("copy", _niger("Copy").replace("Mohammed", "Mohamed"), "Copy site"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert findings == []


def test_a_lone_slip_one_edit_from_what_other_outlets_write_is_garbled():
    docs = [make_doc(a, _niger(a), a) for a in ("Reuters", "AP")]
    docs.append(make_doc("copy", _niger("Copy", quake="Kahmaranmaras"), "Copy site"))
    findings, ctx = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("copy", "Kahmaranmaras", "garbled")]
    f = findings[0]
    assert f.suggestion == "Kahramanmaras" and f.evidence["rule"] == "near-miss"
    assert "one slip from “Kahramanmaras”" in f.message and "2 other outlets" in f.message
    assert "Kahmaranmaras" in group_of(ctx, "Kahramanmaras").verdicts
    # one outlet against one is no consensus
    findings, _ = run(docs[1:], shipped_gazetteer=False)
    assert findings == []


def test_names_cut_by_a_space_hyphen_or_possessive_are_garbled():
    docs = [make_doc(a, _niger(a), a) for a in ("Reuters", "AP")]
    docs.append(make_doc("copy", _niger("Copy").replace("Adiyaman", "Adi-yaman"), "Copy site"))
    findings, _ = run(docs, shipped_gazetteer=False)
    assert flagged(findings) == [("copy", "Adi-yaman", "garbled")]
    assert "cut in two by a hyphen" in findings[0].message
    x = ("Strikes\n\nThe Asaib Ahl's al-Haq group and Kataib Hezb ollah said a drone hit "
         "Jurf al-Sakhar. Foreign Minister Hossein Amir-Abdollahian and PMC “Wagner” were not "
         "mentioned.\n")
    findings, _ = run([make_doc("x", x, "Copy")])
    got = {(f.text, f.evidence["broken_by"]) for f in findings if f.evidence["rule"] == "broken-name"}
    assert got == {("Asaib Ahl's al-Haq", "possessive"), ("Kataib Hezb ollah", "space")}


def test_a_name_translated_word_by_word_is_garbled_and_listed_english_names_are_not():
    x = ("Strikes in Iraq\n\n"
         "The Brigades of the Party of God and the Nobles Movement claimed the attack, a "
         "statement said. The Popular Mobilization Forces, the Hezbollah Brigades and the "
         "League of the Righteous did not comment. The Party of God in Lebanon was silent.\n")
    findings, _ = run([make_doc("x", x, "Copy")])
    got = {f.text: f for f in findings}
    assert set(got) == {"Brigades of the Party of God", "Nobles Movement"}
    f = got["Brigades of the Party of God"]
    assert f.evidence["rule"] == "translated-name" and f.suggestion == "Kataib Hezbollah"
    assert "Kataib = brigades" in f.message and "Hezbollah = party of god" in f.message
    assert got["Nobles Movement"].suggestion == "Harakat al-Nujaba"


def test_accents_are_foreign_only_where_they_are_not_the_names_own_spelling():
    text = ("Talks\n\n({a}) - President Andres Manuel Lopez Obrador spoke of the attack near "
            "Filingue, a town in western Niger, and of talks in Tripoli on Monday.\n")
    docs = [make_doc(a, text.format(a=a), a) for a in ("Reuters", "AP", "AFP")]
    copy = text.format(a="Copy").replace("Andres Manuel Lopez", "Andrés Manuel López") \
        .replace("Filingue", "Filingué").replace("Tripoli", "Trípoli")
    findings, ctx = run(docs + [make_doc("copy", copy, "Copy site")], shipped_gazetteer=False)
    # Tripoli has an English form of its own (English text knows it): Trípoli is Spanish.
    # Filingué is the Niger town's own spelling, which English has no other form for, and
    # López a person's: accents alone are a house style there, however many outlets drop them
    assert flagged(findings) == [("copy", "Trípoli", "foreign")]
    assert group_of(ctx, "Andrés Manuel López Obrador").verdicts[
        "Andrés Manuel López Obrador"] == "acceptable"
    assert group_of(ctx, "Filingue").verdicts["Filingué"] == "acceptable"


def test_a_surname_the_article_itself_spelled_otherwise_is_garbled():
    x = ("Rescue\n\nRescuers pulled Mehmet Serkan Sincan from the rubble on Monday. Senkan, 41, "
         "was taken to hospital. The Alachoun family thanked them; the Alachouns had waited.\n")
    y = ("Rescue\n\nThe family of Rachid Alachoun was rescued after two days.\n")
    findings, _ = run([make_doc("x", x, "Copy"), make_doc("y", y, "Wire")],
                      shipped_gazetteer=False)
    assert flagged(findings) == [("x", "Senkan", "garbled")]
    assert "not how this article wrote the name before: “Sincan”" in findings[0].message


def test_an_office_inside_a_run_of_capitals_splits_organisation_and_person():
    a = "Quake\n\nAFAD President Yunus Sezer said 40 teams were sent. Sezer thanked them.\n"
    b = "Quake\n\nThe disaster agency's head Yunus Sezer said teams were sent.\n"
    c = "Quake\n\nAFAD President Younes Sezer said teams were sent.\n"
    findings, ctx = run([make_doc("a", a, "A"), make_doc("b", b, "B"), make_doc("c", c, "C")],
                        shipped_gazetteer=False)
    group = group_of(ctx, "Yunus Sezer")
    assert "Younes Sezer" in group.verdicts          # one person, whatever the office before
    assert not any("President" in s for s in group.verdicts)
