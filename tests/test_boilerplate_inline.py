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
