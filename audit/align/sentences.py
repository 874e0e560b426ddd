"""Multi-outlet sentence groups: sentences of several articles that state the same thing.

Similarity of two sentences is an IDF-weighted Dice overlap of their normalised content keys (see
normalize.py: names, numbers, inflections and paraphrases already folded), so word order, entity
spellings and number formats do not matter; stop words and punctuation never count. A long
sentence that contains a shorter one's statement among other clauses is scored on its best window
as well ("local" overlap), so a one-clause copy still finds the sentence it was cut from.

Grouping avoids chaining unrelated sentences in three ways:
1. competitive linking: a pair is a link only when each sentence is (nearly) the other's best
   match in the other article;
2. average linkage: two groups merge only when the mean score over all their cross-article
   member pairs stays above `link`, so one shared neighbour cannot glue two statements together;
3. only pairs of different articles are scored (a duplicated paragraph in one article joins a
   group through the other outlets, never by itself).
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy import sparse

from audit.align.features import BatchIndex, Sentence
from audit.align.settings import SentenceSettings

NEAR_BEST = 0.95    # "nearly the best": ties (a paragraph printed twice) both count


def unit_sentences(index: BatchIndex, doc_ids: list[str], s: SentenceSettings) -> list[Sentence]:
    return [index.sentences[i] for d in doc_ids for i in index.doc_sents.get(d, [])
            if len(index.sentences[i].keyset) >= s.min_tokens]


def pair_scores(index: BatchIndex, sents: list[Sentence], s: SentenceSettings,
                floor: float) -> dict[tuple[int, int], float]:
    """Scores >= floor of every cross-article pair sharing a key (positions into `sents`)."""
    if len(sents) < 2:
        return {}
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, sent in enumerate(sents):
        for k in sent.keyset:
            rows.append(r)
            cols.append(vocab.setdefault(k, len(vocab)))
    w = np.array([index.weight(k) for k in vocab], dtype=np.float64)
    b = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sents), len(vocab)))
    size = np.asarray(b @ w).ravel()
    overlap = (b.multiply(w) @ b.T).tocoo()
    i, j, o = overlap.row, overlap.col, overlap.data
    keep = i < j
    i, j, o = i[keep], j[keep], o[keep]
    doc_no: dict[str, int] = {}
    docs = np.array([doc_no.setdefault(x.doc_id, len(doc_no)) for x in sents])
    keep = docs[i] != docs[j]
    i, j, o = i[keep], j[keep], o[keep]
    dice = 2 * o / (size[i] + size[j])
    contain = o / np.minimum(size[i], size[j])
    ntok = np.array([len(x.keyset) for x in sents])
    local_ok = np.minimum(ntok[i], ntok[j]) >= s.containment_min
    keep = (dice >= floor) | (local_ok & (contain * s.containment_discount >= floor))
    i, j, dice, contain = i[keep], j[keep], dice[keep], contain[keep]
    # local overlap is only worth computing where the shorter sentence is well covered
    days = [_days(index, x) for x in sents]
    out: dict[tuple[int, int], float] = {}
    keep_order = 1 - s.order_weight
    relevant = min(s.link, s.threshold)
    for a, c, d, ct in zip(i.tolist(), j.tolist(), dice.tolist(), contain.tolist()):
        if days[a] and days[c] and not days[a] & days[c]:
            continue                    # "on Tuesday" vs "on Saturday": two different events
        score = d
        if ct * s.containment_discount > max(d, relevant) and _long_enough(sents[a], sents[c], s):
            score = max(d, _local(index, sents[a], sents[c]) * s.containment_discount)
        if score >= relevant:
            score *= keep_order + s.order_weight * order_coherence(index, sents[a].keys, sents[c].keys)
        else:
            score *= keep_order
        if score >= floor:
            out[(a, c)] = score
    return out


def order_coherence(index: BatchIndex, a: list[str], b: list[str]) -> float:
    """Share (by weight) of the common keys that appear in the same order in both sentences:
    the weighted longest common subsequence over the shared keys. A paraphrase or translation
    keeps most of its statement's order; two sentences that merely share topic words do not."""
    sb = set(b)
    xa = [k for k in dict.fromkeys(a) if k in sb]
    sa = set(xa)
    xb = [k for k in dict.fromkeys(b) if k in sa]
    if not xa:
        return 0.0
    w = [index.weight(k) for k in xa]
    pos = {k: n for n, k in enumerate(xb)}
    seq = [pos[k] for k in xa]               # LCS of two permutations = heaviest increasing run
    best = [0.0] * len(seq)
    for n, p in enumerate(seq):
        best[n] = w[n] + max((best[m] for m in range(n) if seq[m] < p), default=0.0)
    return max(best) / sum(w)


def _days(index: BatchIndex, sent: Sentence) -> frozenset[str]:
    """The weekday and month names a sentence dates its statement by."""
    tw = index.time_words
    return frozenset(t.lower for t in sent.tokens if t.lower in tw)


def _long_enough(a: Sentence, b: Sentence, s: SentenceSettings) -> bool:
    return min(len(a.keyset), len(b.keyset)) >= s.containment_min


def _local(index: BatchIndex, a: Sentence, b: Sentence) -> float:
    """Best Dice between the shorter sentence and a window of the longer one (about 1.5x its
    length): the part of a long sentence that says what the short one says."""
    long_, short = (a, b) if len(a.keys) >= len(b.keys) else (b, a)
    target = short.keyset
    tw = sum(index.weight(k) for k in target)
    n = max(len(target) + 2, int(len(short.keys) * 1.5))
    keys = long_.keys
    if len(keys) <= n:
        n = len(keys)
    best = 0.0
    for start in range(0, len(keys) - n + 1):
        win = set(keys[start:start + n])
        o = sum(index.weight(k) for k in win if k in target)
        ww = sum(index.weight(k) for k in win)
        best = max(best, 2 * o / (ww + tw))
    return best


def link_pairs(sents: list[Sentence], scores: dict[tuple[int, int], float],
               threshold: float) -> list[tuple[float, int, int]]:
    """Competitive linking: keep pairs above threshold that are (nearly) mutual best matches."""
    best: dict[tuple[int, str], float] = defaultdict(float)
    for (a, b), sc in scores.items():
        ka, kb = (a, sents[b].doc_id), (b, sents[a].doc_id)
        best[ka] = max(best[ka], sc)
        best[kb] = max(best[kb], sc)
    out = []
    for (a, b), sc in scores.items():
        if sc < threshold:
            continue
        if sc >= NEAR_BEST * best[(a, sents[b].doc_id)] and sc >= NEAR_BEST * best[(b, sents[a].doc_id)]:
            out.append((sc, a, b))
    out.sort(key=lambda t: (-t[0], t[1], t[2]))
    return out


def cluster(sents: list[Sentence], scores: dict[tuple[int, int], float],
            links: list[tuple[float, int, int]], link: float) -> list[list[int]]:
    """Average-linkage merging along the links, strongest first.

    The mean over cross-article pairs is kept incrementally (sum of scores between clusters,
    and per-cluster article counts), so a merge costs the clusters' neighbour lists, not the
    product of their sizes. Pairs never scored count as 0."""
    nb: dict[int, dict[int, float]] = {}
    for (a, b), sc in scores.items():
        nb.setdefault(a, {})[b] = sc
        nb.setdefault(b, {})[a] = sc
    root = list(range(len(sents)))
    members: dict[int, list[int]] = {}
    docs: dict[int, dict[str, int]] = {}

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for _, a, b in links:
        ga, gb = find(a), find(b)
        if ga == gb:
            continue
        da = docs.get(ga) or {sents[ga].doc_id: 1}
        db = docs.get(gb) or {sents[gb].doc_id: 1}
        pairs = sum(da.values()) * sum(db.values()) - sum(c * db.get(d, 0) for d, c in da.items())
        if not pairs or nb.get(ga, {}).get(gb, 0.0) / pairs < link:
            continue
        keep, gone = (ga, gb) if len(nb.get(ga, {})) >= len(nb.get(gb, {})) else (gb, ga)
        root[gone] = keep
        merged = dict(da)
        for d, c in db.items():
            merged[d] = merged.get(d, 0) + c
        docs[keep] = merged
        docs.pop(gone, None)
        members[keep] = members.pop(keep, [keep]) + members.pop(gone, [gone])
        # the merged cluster's neighbour sums: the two rows added up
        row_k, row_g = nb.setdefault(keep, {}), nb.pop(gone, {})
        for other, v in row_g.items():
            if other == keep:
                continue
            row_k[other] = row_k.get(other, 0.0) + v
            row_o = nb[other]
            row_o[keep] = row_o.get(keep, 0.0) + row_o.pop(gone, 0.0)
        row_k.pop(gone, None)
    return [sorted(m) for m in members.values() if len({sents[i].doc_id for i in m}) >= 2]


def group_score(sents, scores, members: list[int]) -> float:
    """Mean score over the group's cross-article pairs (shown to editors as confidence)."""
    vals = [scores.get((min(a, b), max(a, b)), 0.0) for i, a in enumerate(members) for b in members[i + 1:]
            if sents[a].doc_id != sents[b].doc_id]
    return round(sum(vals) / len(vals), 3) if vals else 0.0


def align_unit(index: BatchIndex, doc_ids: list[str], s: SentenceSettings
               ) -> tuple[list[Sentence], dict[tuple[int, int], float], list[list[int]]]:
    sents = unit_sentences(index, doc_ids, s)
    scores = pair_scores(index, sents, s, floor=min(s.link, s.threshold) * 0.5)  # lower pairs barely move a mean
    links = link_pairs(sents, scores, s.threshold)
    return sents, scores, cluster(sents, scores, links, s.link)
