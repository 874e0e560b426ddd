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

import hashlib
import heapq
import re
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from audit.boilerplate.duplicates import normalise
from audit.boilerplate.memo import RecurrenceMemo
from audit.types import Document, Span

_WORD = re.compile(r"[^\W_]+")


@dataclass
class Recurrence:
    unrelated: list[int] = field(default_factory=list)   # indexes into the batch
    copies: int = 0                                       # shared with copies of this story
    same_outlet: bool = False
    sampled: bool = False             # judged on a sample of the articles holding the line
    estimated_unrelated: int = 0      # unrelated articles holding it (scaled up if sampled)
    unprinted_by: list[str] = field(default_factory=list)   # ids of copies of its story that
    #                print the lines around it but not it (neighbours.py; set in recurrences())


@dataclass
class _DocLines:
    keys: list[str]                    # normalised key per line ("" for too short)
    sizes: list[int]                   # characters per line
    shingles: list[frozenset[int]]     # word trigrams per line
    keyset: frozenset[str] = frozenset()
    total: int = 0
    all_shingles: frozenset[int] = frozenset()
    chars: dict[str, int] = field(default_factory=dict)      # key -> characters of its lines
    only_in: dict[frozenset[str], frozenset[int]] = field(default_factory=dict)
    shared_chars: dict[frozenset[str], int] = field(default_factory=dict)
    bits: int | None = None            # trigram hashes as a bitmask (see _judge_copy)


@dataclass
class DocRecurrence:
    """What one document's classification needs of the batch: for each of its recurring line
    keys, the Recurrence, and the ids of the documents the evidence names. Small and picklable,
    so the per-document classification can run in another process."""
    recs: dict[str, Recurrence] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def lookup(self, line: str) -> Recurrence | None:
        return self.recs.get(_key(line))

    def name(self, e: int) -> str:
        return self.names[e]


@dataclass
class BatchIndex:
    docs: list[Document]
    lines: list[list[Span]]
    copy_jaccard: float
    sample: int
    copy_shared: float = 0.5
    memo: RecurrenceMemo | None = None    # copy verdicts of earlier runs (memo.py)
    by_line: dict[str, list[int]] = field(default_factory=dict)
    _per_doc: list[_DocLines] = field(default_factory=list)
    _copy: dict[tuple[int, int], bool] = field(default_factory=dict)
    _lowest: dict[str, list[int]] = field(default_factory=dict)     # line key -> sample (_probe)
    _ranks: dict[int, tuple[bytes, int]] = field(default_factory=dict)

    def build(self) -> "BatchIndex":
        for d, spans in enumerate(self.lines):
            text = self.docs[d].text
            texts = [text[s.start:s.end] for s in spans]
            keys = [_key(t) for t in texts]
            sizes = [len(t) for t in texts]
            dl = _DocLines(keys, sizes, [], frozenset(keys) - {""}, sum(sizes))
            for k, n in zip(keys, sizes):
                dl.chars[k] = dl.chars.get(k, 0) + n
            self._per_doc.append(dl)
            for n in set(keys):
                if n:
                    self.by_line.setdefault(n, []).append(d)
        return self

    def for_doc(self, d: int) -> DocRecurrence:
        """The recurrence of every line key of document `d` that another article holds."""
        out = DocRecurrence()
        for k in dict.fromkeys(self._per_doc[d].keys):
            rec = self._recurrence(d, k) if k else None
            if rec is not None:
                out.recs[k] = rec
                for e in rec.unrelated[:10]:
                    out.names[e] = self.docs[e].id
        return out

    def line_keys(self, d: int) -> list[str]:
        """The normalised key of each line of document `d` ("" for a line too short)."""
        return self._per_doc[d].keys

    def trigrams(self, d: int) -> tuple[list[frozenset[int]], frozenset[int]]:
        """Word trigrams of each line of document `d` and of the whole document (memoised;
        shared with the copy judgement)."""
        return self._shingles(d), self._all(d)

    def recurrence(self, d: int, line: str) -> Recurrence | None:
        """Other articles carrying this line, split into copies and unrelated articles.

        A line held by more than `sample` other articles is judged on a sample of them that
        stays put as the batch grows (`_probe`; the unrelated count is scaled up), so the work
        per line stays bounded.
        """
        return self._recurrence(d, _key(line))

    def _recurrence(self, d: int, key: str) -> Recurrence | None:
        holders = self.by_line.get(key, [])
        pos = bisect_left(holders, d)
        held = pos < len(holders) and holders[pos] == d      # at most once: keys are per doc
        n_others = len(holders) - held
        if n_others <= 0:
            return None
        probe = self._probe(key, holders, d) if n_others > self.sample \
            else holders[:pos] + holders[pos + held:]
        rec = Recurrence(sampled=len(probe) < n_others)
        outlet = _outlet(self.docs[d])
        for e in probe:
            if self.copies(d, e):
                rec.copies += 1
                continue
            rec.unrelated.append(e)
            if outlet and _outlet(self.docs[e]) == outlet:
                rec.same_outlet = True
        if rec.sampled:
            rec.estimated_unrelated = round(len(rec.unrelated) * n_others / len(probe))
        else:
            rec.estimated_unrelated = len(rec.unrelated)
        return rec

    def _probe(self, key: str, holders: list[int], d: int) -> list[int]:
        """The sample of a widely held line's other holders: the `sample` holders with the
        lowest rank (a hash of the document's id), in batch order. The same articles stand for
        the line whatever else joins the batch, unless a newcomer ranks among them (the chance
        is sample/holders per newcomer), so its copies and same-outlet counts, and the line
        verdicts reading them, hold when a feed grows (pipeline.py reuses them then). Evenly
        spaced positions, as before, shifted with every article sorted in ahead: 50 new articles
        in bench_run's 1,000 syndication feed moved the sampled counts of 980 articles' lines.
        The lowest ranks are found once per line (heapq, O(holders)), so a line held by every
        article still costs O(sample) per article."""
        lowest = self._lowest.get(key)
        if lowest is None:
            lowest = self._lowest[key] = heapq.nsmallest(self.sample + 1, holders, key=self._rank)
        return sorted([e for e in lowest if e != d][:self.sample])     # lowest: in rank order

    def _rank(self, d: int) -> tuple[bytes, int]:
        r = self._ranks.get(d)
        if r is None:
            r = self._ranks[d] = (hashlib.blake2b(self.docs[d].id.encode("utf-8", "surrogatepass"),
                                                  digest_size=8).digest(), d)
        return r

    def copies(self, a: int, b: int) -> bool:
        """Two versions of one story: most of their text is shared verbatim, or the lines they
        do not share still overlap in word trigrams (a respun or edited copy)."""
        key = (min(a, b), max(a, b))
        got = self._copy.get(key)
        if got is None:
            memo = self.memo
            got = memo.verdict(a, b) if memo is not None else None
            if got is None:
                got = self._judge_copy(a, b)
                if memo is not None:
                    memo.record(a, b, got)
            self._copy[key] = got
        return got

    def _judge_copy(self, a: int, b: int) -> bool:
        la, lb = self._per_doc[a], self._per_doc[b]
        shared = la.keyset & lb.keyset
        if (_shared_chars(la, shared) >= self.copy_shared * max(1, la.total)
                or _shared_chars(lb, shared) >= self.copy_shared * max(1, lb.total)):
            return True
        # Jaccard of the trigrams of the lines they do not share. Profiled at 1,000 articles,
        # building those two unions per pair in Python was 40% of the stage; instead the
        # intersection of the whole documents' trigram sets (one C-level set operation) is
        # corrected by the trigrams that occur only in shared lines (few: shared lines are
        # what the pair has in common, usually short chrome). Same value, exactly.
        # At 10,000 articles the pairs judged grow to 1.4 million: the few trigrams only in
        # shared lines are counted off the intersection's size rather than removed from a copy
        # of it (same value, one set built instead of three).
        A, B = self._all(a), self._all(b)
        xa, xb = self._only_in(a, shared), self._only_in(b, shared)
        size = len(A) - len(xa) + len(B) - len(xb)
        # Most pairs that share a line at scale are unrelated articles sharing chrome. A
        # bitmask of each document's trigrams bounds the intersection from above, hence the
        # Jaccard: below the threshold the pair is not a copy, exactly, without building the
        # intersection. Shared trigrams that fall on one bit count once in the common bits, so
        # the bound adds the fewer of the two documents' own collisions (trigrams minus bits):
        # without it the bound could undercut the true intersection and the verdict depended on
        # the process's string-hash seed.
        ba, bb = self._bits(a), self._bits(b)
        bound = (ba & bb).bit_count() + min(len(A) - ba.bit_count(), len(B) - bb.bit_count())
        if bound < size and bound / (size - bound) < self.copy_jaccard:
            return False
        inter = len(A & B)
        if xa or xb:
            inter -= sum(1 for t in (xa | xb) if t in A and t in B)
        union = size - inter
        jac = inter / union if union else 0.0
        return jac >= self.copy_jaccard

    def _shingles(self, d: int) -> list[frozenset[int]]:
        dl = self._per_doc[d]
        if not dl.shingles:
            text = self.docs[d].text
            dl.shingles = [_trigrams(text[s.start:s.end]) for s in self.lines[d]]
            dl.all_shingles = frozenset().union(*dl.shingles)
        return dl.shingles

    def _all(self, d: int) -> frozenset[int]:
        self._shingles(d)
        return self._per_doc[d].all_shingles

    def _bits(self, d: int) -> int:
        dl = self._per_doc[d]
        if dl.bits is None:
            dl.bits = _bitmask(self._all(d))
        return dl.bits

    def _only_in(self, d: int, shared: frozenset[str]) -> frozenset[int]:
        """Trigrams of `d` found in its shared lines and in no other line of it (memoised: a
        document shares the same chrome lines with most of the articles it meets)."""
        if not shared:
            return frozenset()
        memo = self._per_doc[d].only_in
        if shared not in memo:
            memo[shared] = frozenset(self._only_in_uncached(d, shared))
        return memo[shared]

    def _only_in_uncached(self, d: int, shared: frozenset[str]) -> set[int]:
        dl, sh = self._per_doc[d], self._shingles(d)
        inside: set[int] = set()
        for k, s in zip(dl.keys, sh):
            if k in shared:
                inside |= s
        if not inside:
            return inside
        for k, s in zip(dl.keys, sh):
            if k not in shared:
                inside -= s
                if not inside:
                    break
        return inside


BITMASK_BITS = 8192      # ~500 trigrams per article: about 30 chance collisions per pair


def _bitmask(hashes: frozenset[int]) -> int:
    bits = np.zeros(BITMASK_BITS, dtype=bool)
    if hashes:
        bits[np.fromiter(hashes, dtype=np.int64, count=len(hashes)) & (BITMASK_BITS - 1)] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def _shared_chars(dl: _DocLines, shared: frozenset[str]) -> int:
    """Characters of `dl`'s lines whose key is in `shared` (memoised: a document meets the same
    shared chrome with most of the articles it is compared with)."""
    n = dl.shared_chars.get(shared)
    if n is None:
        n = dl.shared_chars[shared] = sum(dl.chars[k] for k in shared)
    return n


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
                sample: int, copy_shared: float = 0.5,
                memo: RecurrenceMemo | None = None) -> BatchIndex:
    return BatchIndex(docs, lines, copy_jaccard, sample, copy_shared, memo).build()
