"""casing: capitalised function words, proper nouns in lower case, lower-case sentence starts."""
from __future__ import annotations

from audit.artifacts.casing import CasingSettings
from audit.artifacts.registry import load_all
from audit.types import BatchContext


def run(*docs, **settings):
    det = load_all()["casing"](CasingSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


def texts(findings):
    return [f.text for f in findings]


def test_function_words_capitalised_mid_sentence(make_doc):
    doc = make_doc(
        "Grain deal\n\nTurkish officials said the talks would resume In Geneva next week And "
        "they expected a deal on grain exports. The ministry said it would publish The text, "
        "Which both sides had approved.\n")
    found = run(doc)
    assert texts(found) == ["In", "And", "The", "Which"]
    assert [f.suggestion for f in found] == ["in", "and", "the", "which"]
    assert found[1].evidence["after"] == "week"
    assert "function word" in found[1].message


def test_names_titles_and_sentence_starts_are_not_flagged(make_doc):
    doc = make_doc(
        "Ukraine And Poland Agree On Grain Transit\n\n"
        "Judges in The Hague ruled on Tuesday. The court will sit again in May.\n"
        "Students read Of Mice and Men and watched Gone With The Wind in class.\n"
        "Investors bought Class A shares, while Plan A was dropped: A new plan followed.\n"
        "“When we reached Kherson, The bridge was gone,” the driver said.\n"
        "KYIV, March 3 (Reuters) - The governor said... And then the sirens started.\n")
    assert run(doc) == []


def test_capitalised_runs_of_names_do_not_hide_the_function_word(make_doc):
    doc = make_doc("Clashes\n\nThe fighting between Armenia And Azerbaijan In September "
                   "killed dozens.\n")
    assert texts(run(doc)) == ["And", "In"]


def test_same_capitalised_name_elsewhere_in_the_batch_is_a_name(make_doc):
    a = make_doc("Fashion\n\nThe brand Made In Chelsea Studio opened a shop.\n", doc_id="a")
    b = make_doc("Retail\n\nShoppers queued at Made In Chelsea Studio on Saturday.\n", doc_id="b")
    assert run(a, b) == []


def test_lower_case_country_and_outlet_are_corrected(make_doc):
    doc = make_doc("Talks\n\nThe envoy flew to ukraine on Monday, a source told efe, and the "
                   "Islamic State group was not discussed.\n")
    found = run(doc)
    assert texts(found) == ["ukraine", "efe"]
    assert [f.suggestion for f in found] == ["Ukraine", "EFE"]
    assert found[0].evidence["rule"] == "proper-noun-lower-case"


def test_names_learned_from_the_batch(make_doc):
    a = make_doc("Dam\n\nEngineers inspected the dam near Nova Kakhovka on Friday. Residents "
                 "of Nova Kakhovka were evacuated.\n", doc_id="a")
    b = make_doc("Dam\n\nWater levels at the reservoir above kakhovka fell sharply.\n", doc_id="b")
    found = run(a, b)
    assert texts(found) == ["kakhovka"]
    assert found[0].suggestion == "Kakhovka"
    assert found[0].evidence["written_capitalised_in_batch"] == 2


def test_common_words_capitalised_in_names_are_not_names(make_doc):
    a = make_doc("War\n\nThe Islamic State claimed the attack, and the Popular Mobilization "
                 "Forces said Islamic State cells were active.\n", doc_id="a")
    b = make_doc("Report\n\nThe state said its forces had secured the area.\n", doc_id="b")
    assert run(a, b) == []


def test_sentence_starting_in_lower_case(make_doc):
    doc = make_doc("Plant shut\n\nThe plant was shut down on Monday. the operator said repairs "
                   "would take several weeks to complete.\n"
                   "“Why?” he asked. U.S. officials declined to comment.\n")
    [f] = run(doc)
    assert f.text == "the"
    assert f.suggestion == "The"
    assert f.evidence["rule"] == "sentence-starts-lower-case"


def test_calque_spans_are_left_to_the_calque_fix(make_doc):
    doc = make_doc("Spain\n\nThe minister spoke to reporters, informed efe sources close to the "
                   "government.\n")
    assert run(doc) == []


def test_config_adds_names_and_function_words(make_doc):
    doc = make_doc("Business\n\nThe ice cream maker Salt And Straw opened in Miami on Saturday, "
                   "Regarding the new site as a test.\n")
    assert texts(run(doc)) == ["And"]
    assert run(doc, extra_names=["Salt And Straw"]) == []
    assert texts(run(doc, extra_function_words=["regarding"])) == ["And", "Regarding"]


def test_initialisms_in_title_case(make_doc):
    doc = make_doc(
        "Gaza\n\nThe Ngo Save the Children and the Hrw researchers said the Idf had shelled the "
        "area, while the Usa and the Eu called for a pause (Msf said its staff were safe).\n")
    found = [f for f in run(doc) if f.evidence["rule"] == "initialism-title-case"]
    assert texts(found) == ["Ngo", "Hrw", "Idf", "Usa", "Msf"]
    assert [f.suggestion for f in found] == ["NGO", "HRW", "IDF", "USA", "MSF"]


def test_title_case_words_that_are_not_english_initialisms(make_doc):
    doc = make_doc(
        "Saigon\n\nA portrait of Ngo Dinh Diem hung beside a Nato flag. Unicef and the Onu "
        "agency said Aids cases fell.\n")
    assert [f for f in run(doc) if f.evidence["rule"] == "initialism-title-case"] == []


def test_desk_codes_and_common_words(make_doc):
    wire = make_doc("Quake\n\nRescuers dug through the night, officials said.\n\n"
                    "jd-mk/pbt\n", doc_id="wire")
    other = make_doc("Panel\n\nThe show aired on Fox News and Sky News. The channel's news "
                     "desk called the Prime Minister, a prime suspect said.\n", doc_id="other")
    assert run(wire, other) == []


def test_function_word_capital_inside_a_calque(make_doc):
    doc = make_doc("Rome\n\nThe ministry acted quickly, In the ambit of a wider plan.\n")
    found = run(doc)
    assert texts(found) == ["In"]


def test_the_before_an_institution_or_title_is_leakage(make_doc):
    doc = make_doc(
        "Budget vote\n\nThe finance minister met The European Central Bank on Monday and "
        "appealed to The Constitutional Court, said The Prime Minister Petteri Orpo. Critics "
        "wrote in The Helsinki Times and The Lancet that the cuts would hurt, and an official "
        "praised The Finnish negotiators.\n")
    found = run(doc)
    assert texts(found) == ["The", "The", "The", "The"]
    assert [f.evidence["before"] for f in found] == ["European", "Constitutional", "Prime",
                                                     "Finnish"]


def test_capitalised_conjunction_after_a_closing_quote(make_doc):
    doc = make_doc(
        "Strike\n\nThe union called the offer \"an insult\" And walked out, while the firm, "
        "which runs (Porto) plants, said it was \"final\". A mediator will meet both sides.\n")
    found = run(doc)
    assert texts(found) == ["And"]


def test_titles_in_title_case_and_letter_grades_are_left_alone(make_doc):
    doc = make_doc(
        "Reading list\n\nPupils studied To Kill a Mockingbird and A Tale of Two Cities, and "
        "most scored A or B in the exam; few got A and A* grades.\n"
        "Officials met In Lisbon And Madrid to discuss it.\n")
    found = run(doc)
    assert texts(found) == ["In", "And"]


def test_name_particle_capitalised_against_batch_spelling(make_doc):
    a = make_doc("Floods\n\nHeavy rain hit Mato Grosso do Sul on Monday.\n", "a")
    b = make_doc("Floods\n\nRescuers in Mato Grosso Do Sul said the river rose, as Luigi Di "
                 "Maio visited.\n", "b")
    found = [f for f in run(a, b) if f.doc_id == "b"]
    assert texts(found) == ["Do"]
    assert found[0].suggestion == "do"
    assert found[0].evidence["rule"] == "name-particle-capitalised"


def test_lower_case_name_learnt_from_the_same_article(make_doc):
    doc = make_doc(
        "Talks\n\nPresident Gabriel Boric met union leaders on Monday. After the meeting "
        "boric said the pension reform would pass, and the eu and the OECD praised it. "
        "The deputies of the Chamber of Deputies will vote in June.\n")
    found = run(doc)
    assert texts(found) == ["boric"]
    assert found[0].suggestion == "Boric"


def test_lower_case_initialism_written_in_capitals_elsewhere(make_doc):
    a = make_doc("Loan\n\nThe IMF approved a loan for Egypt on Friday.\n", "a")
    b = make_doc("Loan\n\nThe board of the imf approved the loan, officials said.\n", "b")
    found = [f for f in run(a, b) if f.doc_id == "b"]
    assert texts(found) == ["imf"] and found[0].suggestion == "IMF"


def test_arabic_name_particle_capital_is_a_house_style(make_doc):
    a = make_doc("Talks\n\nPrime Minister Mohammed Shia al Sudani met the envoy on Monday.\n", "a")
    b = make_doc("Talks\n\nIraqi Prime Minister Mohammed Shia Al Sudani said the talks went well, "
                 "and Mato Grosso Do Sul sent aid.\n", "b")
    c = make_doc("Aid\n\nHeavy rain hit Mato Grosso do Sul on Monday.\n", "c")
    found = [f for f in run(a, b, c) if f.doc_id == "b"]
    assert texts(found) == ["Do"]          # the Portuguese particle still is, "Al" is not


def test_an_institutions_english_adjective_in_lower_case_is_that_adjective(make_doc):
    a = make_doc("Quake\n\nThe United States Geological Survey said the Geological Survey "
                 "measured it.\n", doc_id="a")
    b = make_doc("Quake\n\nInternational geological sources reported two strong quakes.\n",
                 doc_id="b")
    assert [f for f in run(a, b) if f.evidence["rule"] == "proper-noun-lower-case"] == []


def test_titles_of_function_words_and_credit_lines_are_not_flagged(make_doc):
    doc = make_doc("Fires\n\nMandy Moore, star of This Is Us, lost her home. He was shot "
                   "several times. © AFP On Wednesday the conductor spoke.\n")
    assert [f for f in run(doc) if f.evidence["rule"] == "function-word-capitalised"] == []
