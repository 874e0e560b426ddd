"""fragments: pieces cut loose from sentences, and broken punctuation."""
from __future__ import annotations

from audit.artifacts.fragments import FragmentSettings, sentence_openers
from audit.artifacts.registry import load_all
from audit.types import BatchContext


def run(*docs, **settings):
    det = load_all()["fragments"](FragmentSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


def by_rule(findings):
    return {f.evidence["rule"]: f for f in findings}


def test_stray_words_after_a_full_stop(make_doc):
    doc = make_doc("Pullback\n\nTroops withdrew from the village on Friday. north.\n")
    [f] = run(doc)
    assert f.kind == "fragment" and f.text == "north."
    assert f.evidence["rule"] == "fragment-stray"


def test_clause_cut_loose(make_doc):
    doc = make_doc("Border\n\nTwo battalions were moved, a defence official told dpa. deployed "
                   "along the northern border since the spring.\n")
    [f] = run(doc)
    assert f.text == "deployed along the northern border since the spring."
    assert f.evidence["rule"] == "fragment-clause"


def test_a_whole_lower_case_sentence_is_left_to_casing(make_doc):
    doc = make_doc("Plant\n\nThe plant was shut down on Monday. the operator said repairs would "
                   "take several weeks.\n")
    assert run(doc) == []
    [op] = sentence_openers(doc)
    assert op.kind == "sentence" and op.token.text == "the"


def test_name_split_into_its_own_sentence(make_doc):
    doc = make_doc("Talks\n\nThe envoy met the foreign minister. Ayman Safadi. They discussed "
                   "the border.\n\nReporting by\nAyman Safadi\n")
    [f] = run(doc)
    assert f.text == "minister. Ayman Safadi."
    assert f.suggestion == "minister Ayman Safadi."
    assert f.evidence["name"] == "Ayman Safadi"


def test_paragraph_ending_on_a_comma(make_doc):
    doc = make_doc("Aid\n\nThe convoy reached the city after three days on the road, carrying "
                   "food and medicine for the displaced,\n\nOfficials said more would follow.\n")
    [f] = run(doc)
    assert f.text == "carrying food and medicine for the displaced,"
    assert f.evidence["rule"] == "paragraph-ends-on-comma"


def test_doubled_full_stop_but_not_ellipsis_or_abbreviations(make_doc):
    doc = make_doc("Floods\n\nRain fell across Bavaria. . Rivers rose at 6 a.m. on Sunday... "
                   "and the U.S. embassy issued a warning.\n")
    [f] = run(doc)
    assert f.kind == "punctuation" and f.text == ". ."
    assert f.suggestion == "."


def test_quote_opened_inside_an_open_quote(make_doc):
    doc = make_doc("Strike\n\n“The government ignores our demands “Despite the promises made "
                   "in May,” the union leader said.\n")
    [f] = run(doc)
    assert f.kind == "punctuation" and f.text == "“Despite"
    assert f.evidence["rule"] == "quote-nested"


def test_quotes_continued_across_paragraphs_are_fine(make_doc):
    doc = make_doc("Interview\n\n“We lost everything in the flood. Our house, our car, our "
                   "animals.\n\n“Now we wait for help,” the farmer said.\n")
    assert run(doc) == []


def test_headings_titles_and_short_labels_are_not_fragments(make_doc):
    doc = make_doc("Quake Hits Eastern Turkey\n\nWhat Happens Next\n\nRescuers worked through "
                   "the night in Malatya.\n\nPhotos: AFP,\n")
    assert run(doc) == []


def test_french_spacing_before_punctuation(make_doc):
    doc = make_doc("Grève\n\nThe strike will continue , the union said. Will it end soon ?\n")
    found = run(doc)
    assert [f.text for f in found] == [" ,", " ?"]
    assert all(f.kind == "punctuation" for f in found)


def test_openers_after_figures_quotes_and_stray_articles(make_doc):
    doc = make_doc(
        "Markets\n\nThe index closed down 0.8%. the Frankfurt exchange was weighed down by "
        "carmakers. Shares in the EU. the. Traders said volumes were thin.\n\n"
        "\"we will not sell,\" said one fund manager, who called it \"a pause\".\n")
    kinds = {doc.text[o.token.start:o.end]: o.kind for o in sentence_openers(doc)}
    assert kinds["the Frankfurt exchange was weighed down by carmakers."] == "sentence"
    assert kinds["the."] == "stray"
    assert kinds["we will not sell,\" said one fund manager, who called it \"a pause\"."] == "sentence"
    assert not any(k.startswith("a pause") for k in kinds)


def test_dropped_word_between_determiner_and_verb(make_doc):
    doc = make_doc("Raid\n\nThe ministry stressed that the carried by armed groups were seized. "
                   "The targeted killing was condemned, and those killed in the attack and the "
                   "wounded were named.\n")
    found = [f for f in run(doc) if f.evidence["rule"] == "dropped-word"]
    assert [f.text for f in found] == ["the carried"]
    assert found[0].evidence["bigram_count"] == 0


def test_doubled_words_and_lemmas(make_doc):
    doc = make_doc("Strikes\n\nHe said the strikes strike resulted in deaths, and the the army "
                   "moved in. He had had enough, he said, and the Boutros Boutros-Ghali era "
                   "ended; US strikes struck the depot.\n")
    found = {f.text: f.evidence["rule"] for f in run(doc)}
    assert found == {"strikes strike": "doubled-word-same-lemma",
                     "the the": "doubled-word-same-word"}


def test_glued_punctuation_bad_numbers_and_stray_marks(make_doc):
    doc = make_doc("Quake\n\nHe told the media.The talks resumed in Voz.us offices. The "
                   "strongman”de facto ruler spoke. It cost 60,0000 dollars at 1324 p.m. when "
                   "\u064e\u0650Daesh struck; 1,000 people left at 10:30 p.m. from the café.\n")
    found = {f.text: f.evidence["rule"] for f in run(doc) if f.kind == "punctuation"}
    assert found == {"a.T": "no-space-after", "n”d": "no-space-after",
                     "60,0000": "malformed-number", "1324 p.m.": "malformed-number",
                     "\u064e\u0650": "stray-combining-marks",
                     # the stray quote's stretch: from the paragraph's start, no quote before
                     "He told the media.The talks resumed in Voz.us offices. The strongman”":
                         "quote-stray-close"}


def test_cut_excerpts_and_doubled_phrases(make_doc):
    doc = make_doc("Quake\n\nRescuers searched the ruins of the of the hotel in West Sumatra "
                   "(West Sumatra) on Monday, and Los Choneros, Choneros said it.\n\nOfficials "
                   "said the search was difficult and "
                   "the roads were damag\n\nThe agency said the death toll had risen to 120.\n\n"
                   "Officials said it was difficult t\n")
    found = {f.text: f.evidence["rule"] for f in run(doc)}
    assert found == {"of the of the": "doubled-same-phrase",
                     "West Sumatra (West Sumatra)": "doubled-name-in-brackets",
                     "Choneros, Choneros": "doubled-name-twice",
                     "the roads were damag": "excerpt-cut-word",
                     "it was difficult t": "excerpt-cut-off"}


def test_agency_signoff_is_not_a_cut(make_doc):
    doc = make_doc("Quake\n\nClimbers are barred from the area near the main crater.–Bernama\n")
    assert [f for f in run(doc) if f.evidence["rule"].startswith("excerpt")] == []


def test_glued_numbers_drop_caps_and_quote_spacing(make_doc):
    doc = make_doc("Quake\n\nAArriving at the scene, police said 211reported deaths on 5km of "
                   "road. He said “ During the night” that “everyone,”, was told. Visit Caliber.Az "
                   "today. He added: “It was over» and left.\n")
    found = {(f.text, f.evidence["rule"]) for f in run(doc) if f.kind == "punctuation"}
    assert found == {("AA", "drop-cap-doubled"), ("211reported", "number-glued-to-word"),
                     ("“ ", "quote-spacing"), (",”,", "quote-spacing"),
                     ("over»", "quote-mismatched")}


def test_prose_first_line_is_checked_and_its_stamp_is_a_line_start(make_doc):
    doc = make_doc(" date 2023-08-23 In Russia a plane crashed near Tver, and a Embraer jet with "
                   "ten people on board was lost, officials said on Wednesday.\n\nThe agency "
                   "said the crash was under investigation.\n")
    from audit.artifacts.registry import load_all as _all
    found = [f for name in ("fragments", "casing", "grammar")
             for f in _all()[name]().run(BatchContext(docs=[doc]))]
    assert [(f.text, f.detector) for f in found] == [("a Embraer", "grammar")]


def test_short_last_line_cut_mid_word(make_doc):
    doc = make_doc("Quake\n\nRescuers worked through the night in the old town, officials said.\n\n"
                   "An unkno\n")
    assert [(f.text, f.evidence["rule"]) for f in run(doc)] == [("An unkno", "excerpt-cut-word")]


def test_hard_wrapped_lines_are_one_text_not_cut_sentences(make_doc):
    doc = make_doc("Blasts\n(Agency) BAKU, January 4. The terrorist\norganization ISIS claimed the "
                   "explosions in the\nIranian city of Kerman, Trend reports.\nTwo explosions "
                   "occurred in the province on January 3\nduring a procession for the "
                   "anniversary of the\nIranian General Qasem Soleimani. The explosions "
                   "resulted in the\nloss of 84 lives.\n")
    rules = [f.evidence["rule"] for f in run(doc)]
    assert not any(r.startswith("paragraph-ends-on") or r.startswith("fragment-") for r in rules)
    assert [op for op in sentence_openers(doc) if op.kind == "sentence"] == []
