"""Word diffs of aligned sentences with diff-match-patch.

Words are mapped to single characters first (the library's lines-to-chars trick applied to word
tokens), diffed, semantically cleaned up *while still encoded* (cleaning after decoding re-splits
words into letters: stack.md P3), then decoded. `Diff_Timeout = 0`: with the default 1 s a long
pair silently degrades to delete-all/insert-all (P6); sentences are short, so exact is cheap.

Changed words are marked when they overlap an artifact finding in either sentence, so the report
can show *why* a copy diverges. Every mark has a `type`: "artifact" comes only from findings
(foreign or garbled entity spellings among them); "variant" is an entity spelling that is not
the canonical one but no finding flagged (an acceptable spelling such as a surname standing
for the full name), shown neutrally so routine spellings are never boxed as damage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from diff_match_patch import diff_match_patch

from audit.types import Document, EntityGroup, Finding, SentRef, WordDiff

_WORD = re.compile(r"\S+\s*|\s+")


def _dmp() -> diff_match_patch:
    d = diff_match_patch()
    d.Diff_Timeout = 0
    return d


_DMP = _dmp()


def word_diff(a: str, b: str, cleanup: bool = True) -> list[tuple[int, str]]:
    """Word-level diff ops [(op, text)] with op -1 delete (only in a), 0 equal, 1 insert."""
    vocab: dict[str, int] = {}
    words: list[str] = [""]

    def encode(text: str) -> str:
        out = []
        for w in _WORD.findall(text):
            i = vocab.get(w)
            if i is None:
                words.append(w)
                i = vocab[w] = len(words) - 1
            out.append(chr(i))
        return "".join(out)

    ea, eb = encode(a), encode(b)
    diffs = _DMP.diff_main(ea, eb, False)
    if cleanup:
        _DMP.diff_cleanupSemantic(diffs)          # on the encoded diff (P3)
    return [(op, "".join(words[ord(c)] for c in chunk)) for op, chunk in diffs]


ARTIFACT, VARIANT = "artifact", "variant"     # mark types (see the module docstring)
# spellings whose verdict is damage reach the marks through their findings, never as variants
_FLAGGED_VERDICTS = frozenset({"foreign", "garbled"})


@dataclass
class Marker:
    """Spans per document that explain a changed word: findings, and (neutral) entity spellings
    other than the canonical one that no finding covers."""
    spans: dict[str, list[tuple[int, int, dict]]]

    @classmethod
    def build(cls, findings: list[Finding], entities: list[EntityGroup]) -> "Marker":
        spans: dict[str, list[tuple[int, int, dict]]] = {}
        for f in findings:
            spans.setdefault(f.doc_id, []).append((f.start, f.end, {
                "type": ARTIFACT, "kind": f.kind, "family": f.family, "detector": f.detector,
                "message": f.message, "suggestion": f.suggestion}))
        flagged = {doc: [(s, e) for s, e, _ in lst] for doc, lst in spans.items()}
        for g in entities:
            for m in g.mentions:
                verdict = g.verdicts.get(m.text, "")
                if m.text == g.canonical or verdict in _FLAGGED_VERDICTS or any(
                        s < m.end and m.start < e for s, e in flagged.get(m.doc_id, ())):
                    continue
                spans.setdefault(m.doc_id, []).append((m.start, m.end, _variant(m.text, g, verdict)))
        for lst in spans.values():
            lst.sort(key=lambda t: (t[0], t[1]))
        return cls(spans)

    def overlapping(self, doc_id: str, start: int, end: int) -> list[tuple[int, int, dict]]:
        return [(s, e, info) for s, e, info in self.spans.get(doc_id, ()) if s < end and start < e]


def _variant(text: str, g: EntityGroup, verdict: str) -> dict:
    return {"type": VARIANT, "kind": "spelling-variant", "family": "entity", "detector": "entities",
            "verdict": verdict, "message": f"{text!r} is a spelling of {g.canonical!r}, not an artifact",
            "suggestion": None}


def diff_pair(ref: SentRef, other: SentRef, docs: dict[str, Document], marker: Marker,
              cleanup: bool = True) -> WordDiff:
    ta = docs[ref.doc_id].text[ref.start:ref.end]
    tb = docs[other.doc_id].text[other.start:other.end]
    ops = list(_word_diff(ta, tb, cleanup))
    return WordDiff(ref, other, ops, _marks(ops, ref, other, marker))


@lru_cache(maxsize=4096)
def _word_diff(a: str, b: str, cleanup: bool) -> tuple[tuple[int, str], ...]:
    """word_diff, kept for sentence pairs printed again (a story reprinted by hundreds of outlets
    diffs the same few pairs of sentences thousands of times)."""
    return tuple(word_diff(a, b, cleanup))


def _word_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen [lo, hi) to whole words of `text`."""
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def _marks(ops: list[tuple[int, str]], a: SentRef, b: SentRef, marker: Marker) -> list[dict]:
    """Changed words that overlap a known artifact: side, offsets in the raw text, and why."""
    out, pa, pb = [], a.start, b.start
    for op, text in ops:
        n = len(text)
        if op == 0:
            pa, pb = pa + n, pb + n
            continue
        side, ref, pos = ("a", a, pa) if op == -1 else ("b", b, pb)
        core = text.rstrip()
        if core:
            for s, e, info in marker.overlapping(ref.doc_id, pos, pos + len(core)):
                # the changed words that overlap the artifact, not the whole changed run
                lo, hi = _word_bounds(text, max(s, pos) - pos, min(e, pos + len(core)) - pos)
                out.append({"side": side, "doc_id": ref.doc_id, "start": pos + lo, "end": pos + hi,
                            "text": text[lo:hi], **info})
        if op == -1:
            pa += n
        else:
            pb += n
    return out
