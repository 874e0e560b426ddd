"""The recurrence reduce on a re-run (audit/boilerplate/memo.py, pipeline._recurrences): copy
verdicts and unprinted lines of earlier runs are reused, only pairs with a new article are
judged, and the result equals the reduce computed from nothing."""
from __future__ import annotations

import random

from audit import pipeline
from audit.boilerplate import BoilerplateSettings, batch, line_spans, recurrences
from audit.cache import Cache

_R = random.Random(3)
WORDS = ["".join(_R.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_R.randint(4, 9)))
         for _ in range(500)]


def _line(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(12))


def _docs(doc_from_text, stories: int, per_story: int, seed: int, prefix: str) -> list:
    """Stories printed by several outlets: the same body, a line dropped here and there, a
    teaser slipped into the middle of some copies, and the same chrome line in every one."""
    rng = random.Random(seed)
    out = []
    for s in range(stories):
        body = [_line(rng) for _ in range(8)]
        for k in range(per_story):
            lines = [x for i, x in enumerate(body) if i != k % 8]
            if k % 2:
                lines.insert(4, "READ ALSO " + _line(rng))
            lines.append("Share this story on Facebook and Twitter")
            out.append(doc_from_text("\n".join(lines), f"{prefix}{s}-{k}"))
    return out


def _reduce(docs, cache: Cache):
    st = BoilerplateSettings()
    spans = [line_spans(d) for d in docs]
    try:
        return pipeline._recurrences(docs, spans, st, cache, [pipeline._doc_digest(d) for d in docs])
    finally:
        cache.close()


def test_a_grown_batch_judges_only_pairs_with_new_articles_and_equals_the_uncached_reduce(
        tmp_path, monkeypatch, lines_doc):
    old = _docs(lines_doc, 5, 5, seed=1, prefix="a")
    new = _docs(lines_doc, 2, 3, seed=2, prefix="b") + _docs(lines_doc, 1, 2, seed=1, prefix="c")   # c: copies of a0
    grown = old[:12] + new + old[12:]
    _reduce(old, Cache(tmp_path / "c"))
    judged: list[tuple[str, str]] = []
    real = batch.BatchIndex._judge_copy

    def spy(self, a, b):
        judged.append((self.docs[a].id, self.docs[b].id))
        return real(self, a, b)
    monkeypatch.setattr(batch.BatchIndex, "_judge_copy", spy)
    cache = Cache(tmp_path / "c")
    got = _reduce(grown, cache)
    fresh = {d.id for d in new}
    assert judged and all(a in fresh or b in fresh for a, b in judged), judged
    pairs, unprinted = cache.tallies["copy pairs"], cache.tallies["unprinted"]
    assert pairs["reused"] > pairs["computed"] > 0, pairs
    assert unprinted["reused"] > 0 and unprinted["computed"] > 0, unprinted
    monkeypatch.setattr(batch.BatchIndex, "_judge_copy", real)
    plain = recurrences(grown, [line_spans(d) for d in grown], BoilerplateSettings())
    assert got == plain
    # the fixture exercises what is memoised: copies in the sample and lines their copies skip
    assert any(r.copies for rec in plain for r in rec.recs.values())
    assert any(r.unprinted_by for rec in plain for r in rec.recs.values())


def test_the_memo_forgets_articles_that_left_the_batch(tmp_path, lines_doc):
    """A document's stored verdicts hold at most its pairs with the current batch's articles,
    so entries do not grow with every feed a long-lived cache has seen."""
    docs = _docs(lines_doc, 3, 4, seed=4, prefix="a")
    st = BoilerplateSettings()
    spans = [line_spans(d) for d in docs]
    cache = Cache(tmp_path / "c")
    memo, store = pipeline._recurrence_memo(docs, spans, st, cache)
    recurrences(docs, spans, st, memo)
    assert memo.judged > 0
    first = memo.to_store(0)
    assert first and set(first) <= set(memo.digests)
    store()
    cache.close()
    later = docs[:2] + _docs(lines_doc, 1, 2, seed=4, prefix="z")       # docs[2:] left, copies joined
    spans2 = [line_spans(d) for d in later]
    memo2, _ = pipeline._recurrence_memo(later, spans2, st, Cache(tmp_path / "c"))
    recurrences(later, spans2, st, memo2)
    gone = set(memo.digests) - set(memo2.digests)
    assert set(memo2.known[0]) & gone             # loaded: it had met articles now gone
    kept = memo2.to_store(0)
    assert kept is not None and set(kept) <= set(memo2.digests)
    assert memo2.known[0].keys() - gone <= kept.keys()
