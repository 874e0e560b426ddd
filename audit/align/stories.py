"""Stories (articles about the same events) and topics (articles sharing background).

Two stages, as text-reuse engines do it: cheap candidate pairs over the whole batch, then careful
scoring inside the candidates, then union-find into groups.

- Candidates: datasketch MinHash LSH over each article's normalised content keys (unigrams and
  adjacent pairs, names already folded to phonetic keys, numbers normalised). Word trigrams would
  miss re-spun and translated copies, which share only ~30% of them. Shingles found in very many
  articles are dropped first: they are boilerplate or common words, and they would make every
  pair a candidate. Small batches skip LSH and score every pair (exact and cheap).
- Scoring: IDF-weighted cosine of the articles' content keys, plus a date window when both dates
  are known. Story and topic thresholds are settings.
"""
from __future__ import annotations

import hashlib
import math
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from audit.align.features import BatchIndex
from audit.align.settings import StorySettings
from audit.types import Story

EXHAUSTIVE_BELOW = 64   # documents: below this every pair is scored, no LSH


@dataclass
class DocVector:
    keys: frozenset[str]
    norm: float
    names: frozenset[str]
    names_norm: float


def _pair_similarities(index: BatchIndex, vecs: dict[str, DocVector],
                       pairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
    """`similarity` for many pairs at once: rows of an IDF-weighted sparse document matrix,
    multiplied pairwise (vectorised; the per-pair Python loop dominated at 10k articles)."""
    if not pairs:
        return []
    import numpy as np
    from scipy import sparse
    ids = sorted(vecs)
    row = {d: n for n, d in enumerate(ids)}
    vocab: dict[str, int] = {}
    r, c, w, nm = [], [], [], []
    for d in ids:
        for k in vecs[d].keys:
            r.append(row[d])
            c.append(vocab.setdefault(k, len(vocab)))
            w.append(index.weight(k) / vecs[d].norm)
            nm.append(index.weight(k) / vecs[d].names_norm if is_name_key(k) else 0.0)
    shape = (len(ids), max(1, len(vocab)))
    full = sparse.csr_matrix((w, (r, c)), shape=shape)
    names = sparse.csr_matrix((nm, (r, c)), shape=shape)
    ia = np.array([row[a] for a, _ in pairs])
    ib = np.array([row[b] for _, b in pairs])
    out_full = np.zeros(len(pairs))
    out_names = np.zeros(len(pairs))
    step = 20000
    for lo in range(0, len(pairs), step):
        sl = slice(lo, lo + step)
        out_full[sl] = np.asarray(full[ia[sl]].multiply(full[ib[sl]]).sum(axis=1)).ravel()
        out_names[sl] = np.asarray(names[ia[sl]].multiply(names[ib[sl]]).sum(axis=1)).ravel()
    return list(zip(out_full.tolist(), out_names.tolist()))


def is_name_key(k: str) -> bool:
    """Entity mentions, phonetic name keys and acronyms: what ties articles to the same actors
    and places (two flood reports from different countries share words, not names)."""
    return k[:1] in ("@", "~") or (k.isupper() and k.isalpha())


def doc_vectors(index: BatchIndex) -> dict[str, DocVector]:
    out = {}
    for doc_id, ids in index.doc_sents.items():
        keys = frozenset(k for i in ids for k in index.sentences[i].keyset)
        names = frozenset(k for k in keys if is_name_key(k))
        out[doc_id] = DocVector(keys, _norm(index, keys), names, _norm(index, names))
    return out


def _norm(index: BatchIndex, keys) -> float:
    return math.sqrt(sum(index.weight(k) ** 2 for k in keys)) or 1.0


def _cos(index: BatchIndex, a: frozenset[str], b: frozenset[str], na: float, nb: float) -> float:
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return sum(index.weight(k) ** 2 for k in small if k in big) / (na * nb)


def similarity(index: BatchIndex, a: DocVector, b: DocVector) -> tuple[float, float]:
    """(IDF-weighted cosine of all content keys, the same over name keys only)."""
    return _cos(index, a.keys, b.keys, a.norm, b.norm), _cos(index, a.names, b.names, a.names_norm, b.names_norm)


def candidate_pairs(index: BatchIndex, vecs: dict[str, DocVector], s: StorySettings) -> set[tuple[str, str]]:
    ids = [d.id for d in index.docs if vecs[d.id].keys]
    if len(ids) < EXHAUSTIVE_BELOW:
        return set(combinations(sorted(ids), 2))
    from datasketch import MinHash, MinHashLSH   # heavy import, only for large batches
    shingles = {i: _shingles(index, i) for i in ids}
    df = Counter(sh for shs in shingles.values() for sh in shs)
    cap = max(s.max_shingle_docs, 2) if len(ids) < 10 else min(max(s.max_shingle_docs, 2),
                                                                 max(2, int(s.max_shingle_share * len(ids))))
    lsh = MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm)
    hashes = {}
    for doc_id in ids:
        kept = [sh for sh in shingles[doc_id] if df[sh] <= cap]
        if not kept:
            continue
        m = MinHash(num_perm=s.num_perm, seed=7, hashfunc=zlib.crc32)
        m.update_batch(kept)
        hashes[doc_id] = m
        lsh.insert(doc_id, m)
    pairs: set[tuple[str, str]] = set()
    for doc_id, m in hashes.items():
        for other in lsh.query(m):
            if other != doc_id:
                pairs.add((min(doc_id, other), max(doc_id, other)))
    return pairs


def _shingles(index: BatchIndex, doc_id: str) -> set[bytes]:
    """Content keys and adjacent key pairs of the document's sentences."""
    out: set[bytes] = set()
    for i in index.doc_sents[doc_id]:
        keys = index.sentences[i].keys
        out.update(k.encode() for k in keys)
        out.update(f"{a}|{b}".encode() for a, b in zip(keys, keys[1:]))
    return out


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


def _within(index: BatchIndex, a: str, b: str, days: int) -> bool:
    da, db = index.date(a), index.date(b)
    return da is None or db is None or abs((da - db).days) <= days


def group_stories(index: BatchIndex, s: StorySettings) -> tuple[list[Story], dict[tuple[str, str], float]]:
    """Stories and topics of two or more documents, and the scored candidate pairs."""
    vecs = doc_vectors(index)
    scores: dict[tuple[str, str], float] = {}
    ids = [d.id for d in index.docs]
    story_uf, topic_uf = UnionFind(ids), UnionFind(ids)
    pairs = sorted(candidate_pairs(index, vecs, s))
    for (a, b), (sim, names) in zip(pairs, _pair_similarities(index, vecs, pairs)):
        scores[(a, b)] = sim
        if names < s.name_threshold:
            continue
        if sim >= s.story_threshold and _within(index, a, b, s.story_days):
            story_uf.union(a, b)
            topic_uf.union(a, b)
        elif sim >= s.topic_threshold and _within(index, a, b, s.topic_days):
            topic_uf.union(a, b)
    stories = [_story(index, "story", g, vecs) for g in story_uf.groups() if len(g) > 1]
    story_sets = {frozenset(st.doc_ids) for st in stories}
    topics = [_story(index, "topic", g, vecs) for g in topic_uf.groups()
              if len(g) > 1 and frozenset(g) not in story_sets]
    return sorted(stories + topics, key=lambda st: (st.kind != "story", st.doc_ids)), scores


def story_id(kind: str, doc_ids: list[str]) -> str:
    """Deterministic: the same documents always make the same id, whatever the batch order."""
    h = hashlib.sha1("\n".join(sorted(doc_ids)).encode()).hexdigest()[:10]
    return f"{kind}-{h}"


def _story(index: BatchIndex, kind: str, doc_ids: list[str], vecs: dict[str, DocVector]) -> Story:
    return Story(story_id(kind, doc_ids), kind, sorted(doc_ids), label=_label(index, doc_ids, vecs))


def _label(index: BatchIndex, doc_ids: list[str], vecs: dict[str, DocVector], n: int = 4) -> str:
    """The group's most telling shared words: in most of its documents, rare in the batch."""
    count = Counter(k for d in doc_ids for k in vecs[d].keys if not k.startswith("#"))
    need = max(2, math.ceil(len(doc_ids) * 0.6))
    ranked = sorted((k for k, c in count.items() if c >= need),
                    key=lambda k: (-count[k] * index.weight(k), k))
    return ", ".join(index.surfaces.get(k, k.lstrip("=~@")) for k in ranked[:n])
