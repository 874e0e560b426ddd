"""Typography left by scraping and encoding round trips (audit/artifacts/_typography.py), as the
fragments detector reports it: each shape found, and the English look-alikes left alone."""
from __future__ import annotations

import pytest

from audit.artifacts._typography import typography
from audit.artifacts.fragments import FragmentSettings
from audit.artifacts.registry import load_all
from audit.types import BatchContext


def hits(text):
    return [(h.rule, text[h.start:h.end], h.fix) for h in typography(text, 0, len(text), lambda p: False)]


def run(doc):
    det = load_all()["fragments"](FragmentSettings())
    return det.run(BatchContext(docs=[doc]))


@pytest.mark.parametrize("text,rule,span,fix", [
    ("the army chief, in the country’ s history", "apostrophe-form", "’ s", "’s"),
    ("one of the country´s main ports", "apostrophe-form", "´", "’"),
    ("the central regions of O´Higgins", "apostrophe-form", "´", "’"),
    ("Slovakia‘s interior minister", "apostrophe-form", "‘", "’"),
    ("rocked South -East Asia on Friday", "one-sided-dash", " -", None),
    ("three crew members –died, according to", "one-sided-dash", " –", None),
    ("an anti- government march", "one-sided-dash", "- ", None),
    ("in Attamala localities.?Prime Minister", "lost-character", "?", None),
    ("an ex gratia payment of ?2 lakh", "lost-character", "?", None),
    ("anything to go by.?", "lost-character", "?", None),
    ("he said he didn?t know", "lost-character", "?", None),
    ("to identify 11 of the 23-hikers who", "number-hyphen-plural", "23-hikers", "23 hikers"),
    ("at least 5,962-people living near", "number-hyphen-plural", "5,962-people", "5,962 people"),
    ("occurred at 9:03 a.m on Sunday", "clock-stop", "a.m", "a.m."),
    ("early Tuesday,'' said the professor", "two-apostrophes", "''", "\""),
    ("stay away », warns the mayor", "guillemet-spacing", " »", "”"),
    ("the victims of Sundayโ€™s crash", "mojibake", "โ€™", "’"),
    ("promised, โ€œWe will disclose", "mojibake", "โ€œ", "“"),
    ("Itâ€™s a disaster", "mojibake", "â€™", "’"),
    ("caused major destruction.”Â", "mojibake", "Â", ""),
    ("which was heard in a 50 -kilometer radius", "one-sided-dash", " -", None),
    ("so far has 59,84% of the votes", "decimal-comma", "59,84", "59.84"),
    ("won with 59,84 percent of the votes", "decimal-comma", "59,84", "59.84"),
    ("Sheinbaum Pardo obtains 166.160 votes.", "thousands-dot", "166.160", "166,160"),
    ("Vladimir Putin“expressed his condolences", "lost-space", "n“e", "n “e"),
    ('"He had no brakes."Images posted online', "lost-space", '."I', '." I'),
    ("WHAT HAPPENED?President Yoon declared", "lost-space", "D?P", "D? P"),
    ("15 sustained critical injuries,37 others", "lost-space", "s,3", "s, 3"),
    ("all militants and rescued190 hostages", "word-glued-to-number", "rescued190", "rescued 190"),
    ("Mexico City, Mexico—- Mexico’s authority", "dash-doubled", "—-", "—"),
])
def test_each_shape_is_found(text, rule, span, fix):
    assert (rule, span, fix) in hits(text)


@pytest.mark.parametrize("text", [
    "the students’ union and the ’90s",            # apostrophes English writes
    "rock ’n’ roll in São Paulo and Nzérékoré",    # accents and elisions
    "pre- and post-war Europe; a 10-14 split",     # suspended hyphen, ranges
    "a 5-year-old and a 23-member team, 4-bus",    # compound adjectives
    "Why? Because. What?! Who?",                   # question marks of prose
    "at 9 a.m. on Monday, at 10 p.m.",             # times written in full
    "He said “Non” — Âge d’or",                    # a lone capital with its accent
    "Waker- Uz- Zaman, a name cut by hyphens",     # left to the entity detector
    "at 2.5 percent, 0.125 inches, 1.5 million votes and 3,000 people",   # English numbers
    "in 2019 - 2020 and 10-15 people; he said, \"We will.\" She left",   # spaced dash, quotes
    "covid19, mp3, g20, top10 and Windows10",      # codes and names glued to numbers
])
def test_english_look_alikes_are_left_alone(text):
    assert hits(text) == []


def test_detector_reports_a_span_with_a_fix(make_doc):
    doc = make_doc("Storm\n\nThe storm hit the country’ s east on Sunday, officials said.\n")
    [f] = [f for f in run(doc) if f.evidence["rule"] == "apostrophe-form"]
    assert f.kind == "punctuation" and f.text == "’ s" and f.suggestion == "’s"


def test_a_query_string_question_mark_is_no_lost_character(make_doc):
    doc = make_doc("Storm\n\nRead more at https://example.org/page.php?id=3 on the site today.\n")
    assert [f for f in run(doc) if f.evidence["rule"] == "lost-character"] == []


@pytest.mark.parametrize("text,span", [
    ("We will rebuild everything as we did for the earthquake.”People clean up", ".”P"),
    ("We will not leave them alone!”the president announced", "!”t"),
    ("no confirmation about the leader leaving Dhaka.“I am taking", ".“I"),
    ("veterans who fought in the war of 1971.The army chief", "1.T"),
    ("fish and vegetables.BBC Bangla reported that", "s.B"),
    ("he was halting the rebellion.Įarlier Saturday, Putin", "n.Į"),
])
def test_sentences_glued_across_stops_and_quotes(make_doc, text, span):
    doc = make_doc(f"Story\n\n{text} on Monday.\n")
    glued = [f.text for f in run(doc) if f.evidence["rule"] == "no-space-after"]
    assert span in glued


def test_abbreviations_and_addresses_are_not_glued_sentences(make_doc):
    doc = make_doc("Story\n\nThe U.S. envoy said so, e.g.in private, and wrote to Example.com today.\n")
    assert [f for f in run(doc) if f.evidence["rule"] == "no-space-after"] == []


def quote_rules(make_doc, body):
    doc = make_doc(f"Story\n\n{body}\n")
    return [(f.evidence["rule"], f.text) for f in run(doc) if f.evidence["rule"].startswith("quote-")]


def test_stray_closing_quote_spans_the_stretch_where_the_opening_was_lost(make_doc):
    got = quote_rules(make_doc, "“It is a tragedy,” he said. We are together, fighting the "
                                "emergency. The priority is to save lives.” The president spoke.")
    [(rule, span)] = got
    assert rule == "quote-stray-close"
    assert span.startswith("he said. We are together") and span.endswith("lives.”")


def test_quotation_opened_and_closed_in_two_styles(make_doc):
    assert quote_rules(make_doc, "Akkus recalls, \"it lasted for a long time,” and added more.") == \
        [("quote-mismatched", "\"it lasted for a long time,”")]
    assert quote_rules(make_doc, "She said it was “a matter for each of us\", Meloni said.") == \
        [("quote-mismatched", "us\"")]


def test_a_straight_pair_and_an_inch_mark_are_fine(make_doc):
    assert quote_rules(make_doc, "He said \"we will stay\" and measured 5'11\" in socks.") == []


def test_a_closing_quote_typed_as_an_opening_one(make_doc):
    assert quote_rules(make_doc, "He wrote: “We are in conflict, the army intervenes“. Then "
                                 "“Don't shoot,” a woman shouted.") == \
        [("quote-reversed", "intervenes“")]


def test_unclosed_quote_unless_the_next_paragraph_carries_it_on(make_doc):
    doc = make_doc("Story\n\n“We want the Chief of the General Staff and Shoigu.\n\n"
                   "It took less than ten hours for the fighters to seize the city.\n\n"
                   "“The first part of a long quotation goes on.\n\n“And it ends here,” he said.\n\n"
                   "“Cut at the end of the excerpt\n")
    got = [(f.evidence["rule"], f.text) for f in run(doc) if f.evidence["rule"].startswith("quote-")]
    assert got == [("quote-unclosed", "“We")]
