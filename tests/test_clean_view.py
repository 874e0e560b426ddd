"""The clean view: content only, every character traceable to the raw text."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.boilerplate import clean_view, mark_noise
from audit.ingest import load_paths
from audit.types import Document, Span

FIX = Path(__file__).parent / "fixtures" / "boilerplate"


def _docs(folder: str) -> list[Document]:
    docs, problems = load_paths(sorted((FIX / folder).glob("*.txt")))
    assert not problems
    mark_noise(docs)
    return docs


@pytest.mark.parametrize("folder", ["noisy", "clean", "batch"])
def test_every_view_character_maps_back_to_raw(folder: str) -> None:
    for doc in _docs(folder):
        view = clean_view(doc)
        assert view.text
        for i, ch in enumerate(view.text):
            raw = view.to_raw(i)
            if view.is_separator(i):
                assert ch == "\n"
                # a separator maps to the end of the content line before it
                prev = max((s for s in view.segments if s.view_end <= i),
                           key=lambda s: s.view_end)
                assert raw == prev.raw_end
            else:
                assert ch == doc.text[raw], (doc.id, i)
                assert view.from_raw(raw) == i


def test_view_holds_content_lines_only_in_order() -> None:
    doc = next(d for d in _docs("noisy") if d.id == "newsletter_footer")
    view = clean_view(doc)
    content = [doc.text[s.start:s.end] for s in doc.lines if not doc.is_noise(s.start, s.end)]
    noise = [doc.text[s.start:s.end] for s in doc.noise]
    assert [view.text[s.view_start:s.view_end] for s in view.segments] == content
    assert "Advertisement" in noise and "\nAdvertisement\n" not in view.text
    assert "Sign up for our" not in view.text
    # the paragraph after a removed "Advertisement" line starts after a blank line
    seg = next(s for s in view.segments if doc.text[s.raw_start:].startswith("The shilling"))
    assert seg.sep_before == "\n\n"


def test_span_to_raw_finds_the_sentence_in_the_original() -> None:
    doc = next(d for d in _docs("noisy") if d.id == "cookie_banner")
    view = clean_view(doc)
    quote = '"Our patience is exhausted,"'
    i = view.text.index(quote)
    span = view.span_to_raw(i, i + len(quote))
    assert doc.text[span.start:span.end] == quote
    assert view.text.startswith("Rail strike halts")   # the banner above the title is gone


def test_lines_of_one_paragraph_are_joined_by_single_newline() -> None:
    text = "Title here\n\nFirst line of a paragraph,\ncontinued here.\n\nNext paragraph.\n"
    lines = [Span(0, 10), Span(12, 38), Span(39, 54), Span(56, 71)]
    doc = Document(id="p", path="p.txt", text=text, lines=lines, title_span=lines[0])
    view = clean_view(doc)
    assert view.text == ("Title here\n\nFirst line of a paragraph,\ncontinued here.\n\n"
                         "Next paragraph.")
    assert view.to_raw(view.text.index("continued")) == text.index("continued")


def test_view_of_a_document_without_lines_or_noise() -> None:
    doc = Document(id="e", path="e.txt", text="")
    view = clean_view(doc)
    assert view.text == "" and view.segments == []
    with pytest.raises(IndexError):
        view.to_raw(0)
    doc = Document(id="n", path="n.txt", text="  One line only.  \n")
    assert clean_view(doc).text == "One line only."
