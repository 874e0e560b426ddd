"""Stories (articles about one event) and topics (stories sharing actors and background).

Two stages, as text-reuse and event-detection engines do it: candidate pairs, then careful
scoring, then clustering.

- Candidates: small batches score every pair. Larger ones take each article's nearest
  neighbours by wordllama embedding (exact dot products in blocks: 10,000 x 10,000 x 256 is a
  second of BLAS), which finds paraphrased and translated copy that shares few word shingles.
- Scoring: event-level pair features (story_features.py: TF-IDF, embeddings, names through the
  entity groups, the lead, shared figures, event time) weighed by a logistic regression
  calibrated on the real-copy dev fold; the weights are data (audit/data/story_model.yaml).
  Two articles whose own dates are more than `story_days` apart are never one story.
- Stories: average-link clustering of the scored pairs, cut at the model's threshold, so a
  story is held together by most of its pairs, not chained through one (single link merged
  different events of one conflict: B-cubed precision 0.80 on the dev fold).
- Topics: stories plus articles sharing background (IDF-weighted content keys and names,
  within `topic_days`), read off the same matrices.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from collections import Counter
from itertools import combinations

import numpy as np

from audit.align.features import BatchIndex
from audit.align.settings import StorySettings
from audit.align.story_features import (DocReps, block_probability, build_reps, date_gap, lead_gated, load_model,
                                        pair_features)
from audit.types import Story

EXHAUSTIVE_BELOW = 64   # documents: below this every pair is scored
DENSE_LINKAGE = 3000    # a connected component up to this size is average-linked exactly
BLOCK = 1024            # rows per block of the neighbour search


def candidate_pairs(reps: DocReps, s: StorySettings) -> np.ndarray:
    """(pairs x 2) row indices, a < b: every pair of a small batch, else each article's
    `neighbours` nearest by embedding (TF-IDF rows when embeddings are unavailable)."""
    n = len(reps.ids)
    if n < 2:
        return np.zeros((0, 2), np.int64)
    if n < EXHAUSTIVE_BELOW:
        return np.array(list(combinations(range(n), 2)), np.int64)
    k = min(s.neighbours, n - 1)
    vec = reps.emb if reps.emb is not None else reps.tfidf
    out = []
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        sim = vec[lo:hi] @ vec.T
        sim = sim.toarray() if hasattr(sim, "toarray") else np.asarray(sim)
        sim[np.arange(hi - lo), np.arange(lo, hi)] = -np.inf
        nn = np.argpartition(sim, n - k, axis=1)[:, n - k:]      # the k largest, unordered
        rows = np.repeat(np.arange(lo, hi), k)
        out.append(np.column_stack([rows, nn.ravel()]))
    pairs = np.vstack(out)
    pairs = np.sort(pairs, axis=1)
    return np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


def bridge_islands(reps: DocReps, pairs: np.ndarray, p: np.ndarray, threshold: float, s: StorySettings,
                   rounds: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Join the islands the neighbour search leaves: when a story has more identical reprints than
    `neighbours`, each article's nearest are its exact twins and the candidate graph falls apart
    into cliques of duplicates (90 reprints, 5 neighbours: 9 "stories"). Only a component larger
    than `neighbours` can be such an island; each round takes one article per component, finds the
    nearest other components' articles of those large ones, and scores the pairs; components that
    link are then scored whole by average_link's `exact`."""
    n = len(reps.ids)
    if n < EXHAUSTIVE_BELOW:
        return pairs, p
    vec = reps.emb if reps.emb is not None else reps.tfidf
    before = n + 1
    for _ in range(rounds):
        uf = UnionFind(range(n))
        for a, b in pairs[p >= threshold].tolist():
            uf.union(a, b)
        comps = uf.groups()
        if len(comps) >= before:            # the last round joined nothing
            break
        before = len(comps)
        heads = np.array([g[0] for g in comps], np.int64)
        query = np.flatnonzero(np.array([len(g) > s.neighbours for g in comps]))
        k = min(s.neighbours, len(heads) - 1)
        if not len(query) or k < 1:
            break
        sim = vec[heads[query]] @ vec[heads].T
        sim = sim.toarray() if hasattr(sim, "toarray") else np.asarray(sim)
        sim[np.arange(len(query)), query] = -np.inf
        nn = np.argpartition(sim, sim.shape[1] - k, axis=1)[:, sim.shape[1] - k:]
        new = np.sort(np.column_stack([np.repeat(heads[query], k), heads[nn.ravel()]]), axis=1)
        new = np.unique(new, axis=0)
        q = score_pairs(reps, new, s)
        pairs, p = np.vstack([pairs, new]), np.concatenate([p, q])
        if not (q >= threshold).any():
            break
    return pairs, p


def score_pairs(reps: DocReps, pairs: np.ndarray, s: StorySettings) -> np.ndarray:
    """Same-event probability of each pair; 0 for articles dated more than story_days apart."""
    if not len(pairs):
        return np.zeros(0)
    model = load_model()
    ia, ib = pairs[:, 0], pairs[:, 1]
    p = lead_gated(reps, ia, ib, model.probability(pair_features(reps, ia, ib, model.features)), model)
    gap = date_gap(reps, ia, ib)
    return np.where(gap > s.story_days, 0.0, p)


class UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list]:
        out: dict = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return [sorted(g) for g in out.values()]


def components(n: int, edges: np.ndarray, nodes: np.ndarray) -> list[list[int]]:
    """The connected components of `nodes` (ascending) linked by `edges` (rows of two indexes
    below n), as UnionFind(nodes).groups() gives them: each sorted, ordered by its smallest
    member. scipy's connected_components in C: at 10,000 articles the Python union-find over
    the strong pairs of average_link_large, with the pairs' tolist(), cost 34 of its 58 s of
    profiled time (bench_run --profile, loaded machine)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    if not len(nodes):
        return []
    graph = coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    lab = label[nodes]
    order = np.argsort(lab, kind="stable")            # members stay ascending within a label
    groups = np.split(nodes[order], np.flatnonzero(np.diff(lab[order])) + 1)
    groups.sort(key=lambda g: int(g[0]))
    return [g.tolist() for g in groups]


def _within(index: BatchIndex, a: str, b: str, days: int) -> bool:
    da, db = index.date(a), index.date(b)
    return da is None or db is None or abs((da - db).days) <= days


def average_link(n: int, pairs: np.ndarray, p: np.ndarray, threshold: float,
                 exact=None) -> list[list[int]]:
    """Clusters (row indices) whose members' mean pair probability stays >= threshold.

    Connected components of the pairs at or above the threshold bound the work; inside each,
    scipy's average linkage runs on all its pairs: `exact(rows, sim, known)` scores the pairs the
    candidate search skipped (components up to `exact_component`), else they count as 0. A component
    larger than DENSE_LINKAGE stays whole (single link) rather than building an n x n matrix."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    comps = components(n, pairs[p >= threshold].reshape(-1, 2), np.arange(n))
    label = np.empty(n, np.int64)
    for k, comp in enumerate(comps):
        label[comp] = k
    inside = _pairs_by_component(label, pairs, p)
    out: list[list[int]] = []
    for k, comp in enumerate(comps):
        if len(comp) > DENSE_LINKAGE:
            cp, cq = inside[k]
            out += average_link_large(n, cp, cq, threshold, exact)
            continue
        if len(comp) < 3:
            out.append(comp)
            continue
        sim, known = _from_pairs(comp, *inside.get(k, (np.zeros((0, 2), np.int64), np.zeros(0))), known=True)
        if exact is not None:
            sim = exact(comp, sim, known)
        dist = 1.0 - sim
        np.fill_diagonal(dist, 0.0)
        labels = fcluster(linkage(squareform(dist, checks=False), "average"), 1.0 - threshold, "distance")
        for lab in np.unique(labels):
            out.append([comp[i] for i in np.flatnonzero(labels == lab)])
    return out


def average_link_large(n: int, pairs: np.ndarray, p: np.ndarray, threshold: float, exact=None,
                       step: float = 0.05) -> list[list[int]]:
    """A component too large for a dense matrix: its links are cut at a stricter level, step by
    step, until every piece fits, and each piece is average-linked at the model's threshold.
    Keeping it whole (single link) chained a 10,000-article feed into 25 "stories"; the price is
    that a piece cut apart at the stricter level is not joined again."""
    level = threshold
    while True:
        level = min(1.0, level + step)
        edges = pairs[p >= level].reshape(-1, 2)
        pieces = components(n, edges, np.unique(edges))
        if level >= 1.0 or all(len(g) <= DENSE_LINKAGE for g in pieces):
            break
    label = np.full(n, -1, np.int64)
    for k, g in enumerate(pieces):
        label[g] = k
    inside = _pairs_by_component(label, pairs, p)
    out: list[list[int]] = []
    for k, g in enumerate(pieces):
        if len(g) > DENSE_LINKAGE or k not in inside:   # identical copies at every level: one story
            out.append(g)
            continue
        local = np.full(n, -1, np.int64)
        local[g] = np.arange(len(g))
        kp, kq = inside[k]
        sub_exact = None if exact is None else (lambda rows, sim, known, g=g: exact([g[i] for i in rows], sim, known))
        out += [[g[i] for i in c] for c in average_link(len(g), local[kp], kq, threshold, sub_exact)]
    rest = sorted({int(i) for i in pairs.ravel()} - {i for g in pieces for i in g})
    return out + [[i] for i in rest]


def _pairs_by_component(label: np.ndarray, pairs: np.ndarray, p: np.ndarray) -> dict:
    """component -> (its candidate pairs, their probabilities), in one sort over all pairs."""
    same = label[pairs[:, 0]] == label[pairs[:, 1]] if len(pairs) else np.zeros(0, bool)
    if not same.any():
        return {}
    pr, pp = pairs[same], p[same]
    comp = label[pr[:, 0]]
    order = np.argsort(comp, kind="stable")
    pr, pp, comp = pr[order], pp[order], comp[order]
    cut = np.flatnonzero(np.diff(comp)) + 1
    return {int(c[0]): (a, b) for c, a, b in zip(np.split(comp, cut), np.split(pr, cut), np.split(pp, cut))}


def group_stories(index: BatchIndex, s: StorySettings) -> tuple[list[Story], dict[tuple[str, str], float]]:
    """Stories and topics of two or more documents, and the scored candidate pairs."""
    reps = build_reps(index, embeddings=s.embeddings)
    ids = reps.ids
    pairs = candidate_pairs(reps, s)
    p = score_pairs(reps, pairs, s)
    threshold = s.story_threshold if s.story_threshold is not None else load_model().threshold
    pairs, p = bridge_islands(reps, pairs, p, threshold, s)

    def exact(rows: list[int], sim: np.ndarray, known: np.ndarray) -> np.ndarray:
        """Score the pairs of a component that the candidate search skipped: all of them at once
        as matrix products (block_probability), with the date gate. Counting them as 0 instead
        cut one 995-article story into 126 (each article's 20 scored neighbours were all a
        link saw)."""
        if len(rows) > s.exact_component or known.all():
            return sim
        r = np.asarray(rows, np.int64)
        q = block_probability(reps, r, load_model())
        d = reps.dates[r]
        gated = (d[:, None] > 0) & (d[None, :] > 0) & (np.abs(d[:, None] - d[None, :]) > s.story_days)
        q[gated] = 0.0
        return np.where(known, sim, q)

    story_groups = [[ids[i] for i in g] for g in average_link(len(ids), pairs, p, threshold, exact) if len(g) > 1]
    scores = {(ids[a], ids[b]) if ids[a] < ids[b] else (ids[b], ids[a]): float(q)
              for (a, b), q in zip(pairs.tolist(), p.tolist())}
    topic_uf = UnionFind(ids)
    for g in story_groups:
        for d in g[1:]:
            topic_uf.union(g[0], d)
    ia, ib = pairs[:, 0], pairs[:, 1]
    sims, names = pair_features(reps, ia, ib, ["keys", "names"]).T if len(pairs) else ([], [])
    for a, b, sim, nm in zip(ia.tolist(), ib.tolist(), list(sims), list(names)):
        if nm >= s.name_threshold and sim >= s.topic_threshold and _within(index, ids[a], ids[b], s.topic_days):
            topic_uf.union(ids[a], ids[b])
    keys: dict[str, frozenset[str]] = {}
    stories = [_story(index, "story", g, keys) for g in story_groups]
    story_sets = {frozenset(st.doc_ids) for st in stories}
    topics = [_story(index, "topic", g, keys) for g in topic_uf.groups()
              if len(g) > 1 and frozenset(g) not in story_sets]
    return sorted(stories + topics, key=lambda st: (st.kind != "story", st.doc_ids)), scores


def _from_pairs(rows: list[int], pairs: np.ndarray, p: np.ndarray, known: bool = False):
    """Symmetric similarity matrix of `rows` from scored pairs (pairs outside rows ignored);
    with known=True also the mask of the entries that were scored."""
    pos = np.full(int(max(rows)) + 1, -1, np.int64)
    pos[np.asarray(rows)] = np.arange(len(rows))
    m = len(rows)
    sim = np.zeros((m, m))
    mask = np.eye(m, dtype=bool)
    if len(pairs):
        keep = (pairs.max(axis=1) < len(pos))
        a, b, q = pos[pairs[keep, 0]], pos[pairs[keep, 1]], p[keep]
        ok = (a >= 0) & (b >= 0)
        sim[a[ok], b[ok]] = q[ok]
        sim[b[ok], a[ok]] = q[ok]
        mask[a[ok], b[ok]] = mask[b[ok], a[ok]] = True
    return (sim, mask) if known else sim


def story_id(kind: str, doc_ids: list[str]) -> str:
    """Deterministic: the same documents always make the same id, whatever the batch order."""
    h = hashlib.sha1("\n".join(sorted(doc_ids)).encode()).hexdigest()[:10]
    return f"{kind}-{h}"


def _story(index: BatchIndex, kind: str, doc_ids: list[str], keys: dict[str, frozenset[str]]) -> Story:
    return Story(story_id(kind, doc_ids), kind, sorted(doc_ids), label=_label(index, doc_ids, keys))


def _doc_keys(index: BatchIndex, doc_id: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    if doc_id not in cache:
        cache[doc_id] = frozenset(k for i in index.doc_sents.get(doc_id, []) for k in index.sentences[i].keyset)
    return cache[doc_id]


def _label(index: BatchIndex, doc_ids: list[str], keys: dict[str, frozenset[str]], n: int = 4) -> str:
    """The group's most telling shared words: in most of its documents, rare in the batch."""
    count = Counter(k for d in doc_ids for k in _doc_keys(index, d, keys) if not k.startswith("#"))
    need = max(2, math.ceil(len(doc_ids) * 0.6))
    ranked = sorted((k for k, c in count.items() if c >= need),
                    key=lambda k: (-count[k] * index.weight(k), k))
    return ", ".join(index.surfaces.get(k, k.lstrip("=~@")) for k in ranked[:n])
