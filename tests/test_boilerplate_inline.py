"""Chrome glued inside a content line (inline_tags in audit/data/boilerplate.yaml): only the
tag's stretch becomes noise, the sentence around it stays content."""
from __future__ import annotations

import pytest

from audit.boilerplate import classify_batch
from test_boilerplate import doc_from_text

BODY = ("Rescue teams reached the town on Tuesday after the river rose two metres overnight and "
        "cut the only road into the valley, officials said.")


def _tags(line: str) -> list[tuple[str, str]]:
    doc = doc_from_text(f"Floods cut off valley towns\n{line}\n{BODY}", "t", outlet="Somewhere")
    return [(c.name, v.text) for v in classify_batch([doc])[0] if v.noise for c in v.cues
            if c.detail.get("group") == "inline_tags"]


@pytest.mark.parametrize("line, name, tag", [
    ("Moroccan survivors huddle in tents fearful of the future | Daily Example",
     "title-site-suffix", "| Daily Example"),
    ("Valley News Agency: The regional governor said 4,000 people had left their homes.",
     "agency-lead-tag", "Valley News Agency:"),
    ("Afghan Voice Agency (AVA): The statement was published on Sunday morning.",
     "agency-lead-tag", "Afghan Voice Agency (AVA):"),
])
def test_glued_tag_is_its_own_noise_span(line, name, tag):
    assert _tags(line) == [(name, tag)]


@pytest.mark.parametrize("line", [
    "The river rose | fell by turns, said the mayor, who has lived there for decades.",
    "News of the flood spread quickly: the army arrived before nightfall.",
    "The agency said (in a statement) that the road would reopen on Friday.",
    "Officials said the dam held, and/or that the spillway was opened (AFP reported).",
])
def test_ordinary_sentences_keep_their_words(line):
    assert _tags(line) == []


def test_html_tag_residue_is_found_inside_a_line_and_comparisons_are_not():
    # (a short test document with markup is noise as a whole line, so the tag is checked on
    # the library: on the real folds it sat in a title line and before a lead)
    from audit.boilerplate import BoilerplateSettings, build_library
    tag = next(t for t in build_library(BoilerplateSettings()).inline_tags
               if t.name == "html-tag-residue")
    img = "<img src=http://example.net/images/675.jpg width=100 align=left border=0>"
    assert tag.rx.search(f"date 2024-12-08 {img}").group("tag") == img
    assert tag.rx.search("< p>Sunday, at an emergency meeting in Abuja").group("tag") == "< p>"
    assert tag.rx.search("The count rose to <12 in the north, a rise of > 3 points.") is None


def _sentence_verdicts(text: str):
    from audit.ingest.sentences import sentences
    doc = doc_from_text(text, "g", outlet="Somewhere")
    doc.sentences = sentences(doc.text, doc.lines)
    return doc, classify_batch([doc])[0]


def test_a_caption_run_into_the_lead_is_flagged_as_its_own_sentence():
    caption = ("Firefighters work at the scene of a fire at a market in the capital, Friday, "
               "March 22, 2024.")
    lead = "The fire started in a storage room and spread to forty shops, officials said."
    doc, verdicts = _sentence_verdicts(f"Market fire destroys forty shops\n{caption} {lead}\n{BODY}")
    glued = [v for v in verdicts if v.noise and any(c.detail.get("glued_sentence")
                                                     for c in v.cues)]
    assert [(v.text, v.kind) for v in glued] == [(caption, "caption")]
    assert "glued into a content line" in glued[0].cues[0].explain
    # the line holding the lead stays content: only the caption's stretch is a verdict
    line = next(v for v in verdicts if v.text.startswith(caption) and v.text.endswith(lead))
    assert not line.noise


def test_a_narrative_sentence_is_not_taken_for_a_caption():
    # the caption's shape, but narrative (a past-tense verb): a quarter of the pattern's weight
    first = ("Firefighters battled the fire at a market in the capital on Friday, "
             "March 22, 2024.")
    doc, verdicts = _sentence_verdicts(f"Market fire destroys forty shops\n{first} {BODY}")
    assert not [v for v in verdicts if v.noise]
