"""What the recurrence reduce can carry from one run to the next (incremental re-runs, issue 10).

The reduce (batch.py, neighbours.py) is a function of the whole batch, but its expensive parts
are functions of one or two documents' lines only:

- whether two articles are copies of one story (`BatchIndex._judge_copy`) reads the two
  documents' lines and the settings, nothing else: a pair judged in an earlier batch is judged
  the same now. Profiled on bench_run's 1,000 syndication articles + 50 (bench_rerun), those
  98,000 judgements were 4.2 s of the 8.7 s boilerplate stage, and at 10,000 articles 1.4
  million of them were most of the reduce's 188 s;
- the lines an article's copies print around but not themselves (neighbours.py) read the
  article's lines and its copies' lines (and the copies' ids, which the evidence names).

A `RecurrenceMemo` holds those results keyed by a digest of each document's lines (`line_digest`);
pipeline.py loads it from the cache before the reduce and stores what the reduce added after it.
The rest of the reduce (which articles hold each line, the samples, the counts) is recomputed on
every run from the batch as it is: it is linear and cheap, and it is what changes when articles
join. Results are the same with or without a memo (tests/test_recurrence_memo.py).
"""
from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from typing import Callable

from audit.types import Document, Span


def line_digest(doc: Document, spans: list[Span]) -> int:
    """A 64-bit fingerprint of what the copy judgement reads of a document: its text and line
    offsets (ids and outlets are read elsewhere, from the batch as it is)."""
    h = hashlib.blake2b(digest_size=8)
    h.update(array("q", [x for s in spans for x in (s.start, s.end)]).tobytes())
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    return int.from_bytes(h.digest(), "little")


@dataclass
class RecurrenceMemo:
    """Copy verdicts and unprinted lines from earlier runs, and what this run added.

    `known[d]`: line digest of another document -> whether it and document `d` are copies, as
    earlier runs judged; `fresh[d]`: the pairs of `d` judged in this run (to be stored).
    `unprinted_get(d, near)` / `unprinted_put(d, near, value)`: the neighbours.py result of
    document `d` with copies `near` (batch indexes), from and into the cache."""
    digests: list[int]
    known: list[dict[int, bool]]
    fresh: list[dict[int, bool]] = field(default_factory=list)
    unprinted_get: Callable[[int, list[int]], object | None] = lambda d, near: None
    unprinted_put: Callable[[int, list[int], object], None] = lambda d, near, value: None
    reused: int = 0                   # copy verdicts read from `known`
    judged: int = 0                   # copy verdicts computed in this run
    _present: set[int] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.fresh:
            self.fresh = [{} for _ in self.digests]

    def verdict(self, a: int, b: int) -> bool | None:
        """The pair's verdict from an earlier run, or None."""
        got = self.known[a].get(self.digests[b])
        if got is None:
            got = self.known[b].get(self.digests[a])
        if got is not None:
            self.reused += 1
        return got

    def record(self, a: int, b: int, value: bool) -> None:
        self.judged += 1
        self.fresh[a][self.digests[b]] = value
        self.fresh[b][self.digests[a]] = value

    def to_store(self, d: int) -> dict[int, bool] | None:
        """Document `d`'s verdicts to write back when this run judged new pairs of it: the
        earlier ones whose other document is still in the batch, and the new ones (so an entry
        holds at most one verdict per article of the current batch)."""
        if not self.fresh[d]:
            return None
        if self._present is None:
            self._present = set(self.digests)
        present = self._present
        out = {k: v for k, v in self.known[d].items() if k in present}
        out.update(self.fresh[d])
        return out
