"""Cross-article recurrence (Media Cloud / Churnalism style): a line printed in several
articles that are not copies of each other is site chrome, whatever its words.

Copies of one story (wire pickups, scrapes) legitimately share whole paragraphs, so a line only
counts when it is shared with an article that is not a copy: one that shares little of its text
verbatim and whose other lines have few word trigrams in common with this one. Lines are matched by
exact hashes of their normalised text, so the index is linear in the batch; the copy check runs
only on pairs that already share a line, and on a bounded sample of them for lines shared by
very many articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.boilerplate.duplicates import normalise
from audit.types import Document, Span

_WORD = re.compile(r"[^\W_]+")


@dataclass
class Recurrence:
    unrelated: list[int] = field(default_factory=list)   # indexes into the batch
    copies: int = 0                                       # shared with copies of this story
    same_outlet: bool = False
    sampled: bool = False             # judged on a sample of the articles holding the line
    estimated_unrelated: int = 0      # unrelated articles holding it (scaled up if sampled)


@dataclass
class _DocLines:
    keys: list[str]                    # normalised key per line ("" for too short)
    sizes: list[int]                   # characters per line
    shingles: list[frozenset[int]]     # word trigrams per line


@dataclass
class BatchIndex:
    docs: list[Document]
    lines: list[list[Span]]
    copy_jaccard: float
    sample: int
    copy_shared: float = 0.5
    by_line: dict[str, list[int]] = field(default_factory=dict)
    _per_doc: list[_DocLines] = field(default_factory=list)
    _copy: dict[tuple[int, int], bool] = field(default_factory=dict)

    def build(self) -> "BatchIndex":
        for d, spans in enumerate(self.lines):
            text = self.docs[d].text
            texts = [text[s.start:s.end] for s in spans]
            keys = [_key(t) for t in texts]
            self._per_doc.append(_DocLines(keys, [len(t) for t in texts], []))
            for n in set(keys):
                if n:
                    self.by_line.setdefault(n, []).append(d)
        return self

    def recurrence(self, d: int, line: str) -> Recurrence | None:
        """Other articles carrying this line, split into copies and unrelated articles.

        A line held by more than `sample` other articles is judged on an evenly spaced sample
        of them (the unrelated count is scaled up), so the work per line stays bounded.
        """
        others = [e for e in self.by_line.get(_key(line), []) if e != d]
        if not others:
            return None
        step = max(1, len(others) // self.sample) if len(others) > self.sample else 1
        probe = others[::step][:self.sample]
        rec = Recurrence(sampled=len(probe) < len(others))
        outlet = _outlet(self.docs[d])
        for e in probe:
            if self.copies(d, e):
                rec.copies += 1
                continue
            rec.unrelated.append(e)
            if outlet and _outlet(self.docs[e]) == outlet:
                rec.same_outlet = True
        if rec.sampled:
            rec.estimated_unrelated = round(len(rec.unrelated) * len(others) / len(probe))
        else:
            rec.estimated_unrelated = len(rec.unrelated)
        return rec

    def copies(self, a: int, b: int) -> bool:
        """Two versions of one story: most of their text is shared verbatim, or the lines they
        do not share still overlap in word trigrams (a respun or edited copy)."""
        key = (min(a, b), max(a, b))
        if key not in self._copy:
            la, lb = self._per_doc[a], self._per_doc[b]
            shared = (set(la.keys) & set(lb.keys)) - {""}
            frac = max(_shared_chars(la, shared) / max(1, sum(la.sizes)),
                       _shared_chars(lb, shared) / max(1, sum(lb.sizes)))
            ra, rb = self._rest(a, shared), self._rest(b, shared)
            union = len(ra | rb)
            jac = len(ra & rb) / union if union else 0.0
            self._copy[key] = frac >= self.copy_shared or jac >= self.copy_jaccard
        return self._copy[key]

    def _rest(self, d: int, shared: set[str]) -> set[int]:
        dl = self._per_doc[d]
        if not dl.shingles:
            text = self.docs[d].text
            dl.shingles = [_trigrams(text[s.start:s.end]) for s in self.lines[d]]
        out: set[int] = set()
        for k, sh in zip(dl.keys, dl.shingles):
            if k not in shared:
                out |= sh
        return out


def _shared_chars(dl: _DocLines, shared: set[str]) -> int:
    return sum(n for k, n in zip(dl.keys, dl.sizes) if k in shared)


def _trigrams(line: str) -> frozenset[int]:
    words = _WORD.findall(line.casefold())
    return frozenset(hash(tuple(words[i:i + 3])) for i in range(max(0, len(words) - 2)))


def _key(line: str) -> str:
    """Normalised text with digits folded, so "3 comments" and "12 comments" recur."""
    n = re.sub(r"\d+", "0", normalise(line))
    return n if len(n) >= 3 else ""


def _outlet(doc: Document) -> str | None:
    return (doc.outlet or doc.source.outlet or doc.source.name or None)


def build_index(docs: list[Document], lines: list[list[Span]], copy_jaccard: float,
                sample: int, copy_shared: float = 0.5) -> BatchIndex:
    return BatchIndex(docs, lines, copy_jaccard, sample, copy_shared).build()
