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


def coverage(index: BatchIndex, doc_ids: list[str], clusters: list[list[int]]):
    """Matrix over doc_ids: [a, b] = share of a's alignable sentences that share a group with a
    sentence of b. As one sparse product (clusters x articles counts against clusters x articles
    membership): a story printed by 995 outlets has 990,000 article pairs, which a dict of sets
    took 80 s to fill."""
    import numpy as np
    from scipy import sparse
    pos = {d: n for n, d in enumerate(doc_ids)}
    rows, cols = [], []
    for c, members in enumerate(clusters):
        for i in members:
            rows.append(c)
            cols.append(pos[index.sentences[i].doc_id])
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(clusters), len(doc_ids)))
    counts.sum_duplicates()
    member = counts.copy()
    member.data[:] = 1.0
    shared = (counts.T @ member).toarray()
    np.fill_diagonal(shared, 0.0)
    total = np.array([len(index.doc_sents.get(d, [])) for d in doc_ids], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total[:, None] > 0, shared / np.maximum(total, 1)[:, None], 0.0)


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
    import numpy as np
    cov = coverage(index, doc_ids, clusters)
    ranked = sorted(range(len(doc_ids)), key=lambda n: rank_key(index, doc_ids[n]))
    rank = np.empty(len(doc_ids), np.int64)
    rank[ranked] = np.arange(len(doc_ids))
    partner = np.maximum(cov, cov.T) >= threshold
    np.fill_diagonal(partner, False)
    # the likeliest source among the partners: rank keys are distinct (they end with the id)
    first = np.where(partner, rank[None, :], len(doc_ids)).argmin(axis=1)
    out = []
    for n in sorted(range(len(doc_ids)), key=lambda n: doc_ids[n]):
        if not partner[n].any():
            continue
        b = int(first[n])
        if rank[b] < rank[n]:
            doc, best = doc_ids[n], doc_ids[b]
            source = best if _distinguishable(index, doc, best) else None
            out.append({"doc": doc, "source": source, "score": round(float(cov[n, b]), 3),
                        "pair": [doc, best]})
    return out
