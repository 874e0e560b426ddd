"""Near-copies: re-spun, scraped or translated copies of one source article.

A copy shares most of its statements with its source, so it shows up after sentence alignment as
an article most of whose sentences sit in groups with one other article. The likely source is
the one that ranks first by trust (config), then date (earlier), then completeness (more content
sentences); when nothing tells the two apart, the source is left open (None) rather than guessed.
"""
from __future__ import annotations

from datetime import date

from audit.align.features import BatchIndex

COMPLETE = 1.2      # "more complete": this many times the other's content sentences


def rank_key(index: BatchIndex, doc_id: str) -> tuple:
    """Sort key: the likeliest source (or reference) first."""
    d = index.by_id[doc_id]
    when = index.date(doc_id)
    return (-float(d.source.trust), when or date.max, -len(index.doc_sents.get(doc_id, [])), doc_id)


def coverage(index: BatchIndex, doc_ids: list[str], clusters: list[list[int]]) -> dict[tuple[str, str], float]:
    """(a, b) -> share of a's alignable sentences that share a group with a sentence of b."""
    sent_doc = {i: index.sentences[i].doc_id for c in clusters for i in c}
    shared: dict[tuple[str, str], set[int]] = {}
    for c in clusters:
        docs = {sent_doc[i] for i in c}
        for i in c:
            for other in docs - {sent_doc[i]}:
                shared.setdefault((sent_doc[i], other), set()).add(i)
    total = {d: len(index.doc_sents.get(d, [])) for d in doc_ids}
    return {k: len(v) / total[k[0]] for k, v in shared.items() if total.get(k[0])}


def _distinguishable(index: BatchIndex, a: str, b: str) -> bool:
    da, db = index.by_id[a], index.by_id[b]
    if da.source.trust != db.source.trust:
        return True
    wa, wb = index.date(a), index.date(b)
    if wa and wb and wa != wb:
        return True
    na, nb = len(index.doc_sents.get(a, [])), len(index.doc_sents.get(b, []))
    return max(na, nb) >= COMPLETE * max(1, min(na, nb))


def near_copies(index: BatchIndex, doc_ids: list[str], clusters: list[list[int]],
                threshold: float) -> list[dict]:
    """[{"doc": copy, "source": id or None, "score": share of the copy's sentences, "pair": ...}]"""
    cov = coverage(index, doc_ids, clusters)
    out = []
    for doc in sorted(doc_ids):
        partners = [o for o in doc_ids if o != doc and max(cov.get((doc, o), 0), cov.get((o, doc), 0)) >= threshold]
        if not partners:
            continue
        best = min(partners, key=lambda o: (rank_key(index, o), -cov.get((doc, o), 0)))
        if rank_key(index, best) < rank_key(index, doc):
            source = best if _distinguishable(index, doc, best) else None
            out.append({"doc": doc, "source": source, "score": round(cov.get((doc, best), 0), 3),
                        "pair": [doc, best]})
    return out
