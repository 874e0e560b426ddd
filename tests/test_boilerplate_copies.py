"""The copy judgement of the recurrence reduce (audit/boilerplate/batch.py) is exact: its
bitmask shortcut may only skip pairs that the full trigram Jaccard also rejects, whatever the
hash seed puts on which bit."""
from __future__ import annotations

import random

from audit.boilerplate import batch
from audit.boilerplate.structure import line_spans

_R = random.Random(1)
WORDS = ["".join(_R.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_R.randint(4, 9))) for _ in range(400)]


def _article(rng: random.Random, lines: int = 10) -> list[list[str]]:
    return [[rng.choice(WORDS) for _ in range(12)] for _ in range(lines)]


def _edit(rng: random.Random, art: list[list[str]], per_line: int) -> list[list[str]]:
    out = []
    for line in art:
        line = list(line)
        for _ in range(per_line):
            line[rng.randrange(len(line))] = rng.choice(WORDS)
        out.append(line)
    return out


def _docs(doc_from_text) -> list:
    rng = random.Random(5)
    texts = []
    for s in range(6):
        base = _article(rng)
        for k in range(4):       # copies edited lightly to heavily: no line shared verbatim
            lines = _edit(rng, base, k)
            texts.append("\n".join(" ".join(x) for x in lines) + "\nShare this story on Facebook")
    return [doc_from_text(t, f"d{i}") for i, t in enumerate(texts)]


def _verdicts(docs) -> dict[tuple[int, int], bool]:
    idx = batch.build_index(docs, [line_spans(d) for d in docs], copy_jaccard=0.3, sample=20)
    return {(a, b): idx.copies(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))}


def test_bitmask_shortcut_never_changes_a_copy_verdict(monkeypatch, lines_doc) -> None:
    docs = _docs(lines_doc)
    all_bits = (1 << 64) - 1
    with monkeypatch.context() as m:           # reference: the shortcut can never fire
        m.setattr(batch, "_bitmask", lambda hashes: all_bits)
        m.setattr(batch, "BITMASK_BITS", 64)
        exact = _verdicts(docs)
    assert any(exact.values()) and not all(exact.values())
    monkeypatch.setattr(batch, "BITMASK_BITS", 16)   # many trigrams per bit: collisions everywhere
    assert _verdicts(docs) == exact
