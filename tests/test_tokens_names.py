"""token-merge's `name-fused-with-word`: a name the batch writes alone, glued to a common word.
Texts written for the test; the names are invented."""
import itertools
import re

from audit.artifacts.tokens import find_merges
from audit.types import Document, SourceMeta, Span


def _doc(doc_id: str, text: str) -> Document:
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, outlet=doc_id, lines=lines,
                    paragraphs=list(lines), source=SourceMeta(outlet=doc_id), lang="en")


def _found(text: str, other: str) -> list[tuple[str, str]]:
    # fresh ids per call: find_merges keeps its result per document
    n = next(_ids)
    docs = [_doc(f"a{n}", text), _doc(f"b{n}", other)]
    return [(docs[0].text[m.start:m.end], m.suggestion) for m in find_merges(docs[0], docs)
            if m.evidence.get("rule") == "name-fused-with-word"]


_ids = itertools.count()
OTHER = "Officials said Vandrelli spoke to reporters after the vote on Tuesday.\n"


def test_name_glued_to_a_common_word_is_split():
    text = "The senator Vandrelliwhat he called a betrayal was a vote of the coalition.\n"
    assert _found(text, OTHER) == [("Vandrelliwhat", "Vandrelli what")]


def test_name_never_written_alone_is_left_alone():
    text = "The senator Vandrelliwhat he called a betrayal was a vote of the coalition.\n"
    assert _found(text, "Officials spoke to reporters after the vote on Tuesday.\n") == []


def test_a_name_built_on_another_with_a_name_ending_is_left_alone():
    text = "The envoy Vandrelliville said the vote of the coalition was lost.\n"
    assert _found(text, OTHER) == []
