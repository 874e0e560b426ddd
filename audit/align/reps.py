"""Distinct sentences of a unit: verbatim copies collapsed before pairing, expanded after.

A story carried by hundreds of outlets is mostly the same sentences printed again and again
(the 995-article story of bench_run's giant batch: 20,894 alignable sentences, 337 distinct).
Pairing (sentences.pair_table, link_pairs, cluster, prune) and claim linking (claims.py) are
quadratic in what they compare, so they compare distinct sentences ("reps") and carry each
one's outlets as counts; the groups are expanded back to every outlet's sentence at the end.

Two sentences are one rep when everything the pair score reads is the same: the sentence text,
its content keys (in order), names, dates as resolved against its article, event words, the days
it may report (sentences._window) and its article's date. Any third sentence then scores the
same against either copy, and two copies in different articles score `self_score` (Dice 1,
scaled by evidence and timing like any pair). A rep of one article only (a paragraph printed
twice in one article) is a rep too: its copies join a group together, through other outlets.

What collapsing decides, and the sentence-by-sentence algorithm would have decided the same
way: copies in different articles whose self score reaches the link threshold are one group
from the start (each copy's best match in the other's article is its copy, so they were mutual
best links, the strongest of theirs). Copies whose self score does not reach the threshold
(too little content to align) stay single sentences, exactly as before. A unit without copies
has one rep per sentence, in the same order, and gives the same groups as before.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from audit.align.dates import compatible
from audit.align.features import BatchIndex, Sentence
from audit.align.settings import SentenceSettings


@dataclass
class Reps:
    sents: list[Sentence]            # one per distinct sentence: its first copy in unit order
    members: list[list[int]]         # per rep: positions of its copies in the unit's sentences
    docs: list[dict[str, int]]       # per rep: article id -> copies in that article
    self_score: list[float]          # per rep: score of two of its copies in different articles
    sig: "object"                    # per rep: its article's number, or a number of its own when
    #   it is in several articles (pairs of equal sig are never scored: one article's sentences)
    ndoc: int                        # articles of the unit (numbers 0..ndoc-1)
    doc_no: dict[str, int]

    @property
    def all_single(self) -> bool:
        return all(len(m) == 1 for m in self.members)

    def docsets(self) -> list[frozenset[str]]:
        return [frozenset(d) for d in self.docs]

    def incidence(self):
        """Reps x articles, copies counted (scipy CSR)."""
        import numpy as np
        from scipy import sparse
        rows, cols, vals = [], [], []
        for r, d in enumerate(self.docs):
            for doc, c in d.items():
                rows.append(r)
                cols.append(self.doc_no[doc])
                vals.append(c)
        return sparse.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)),
                                 shape=(len(self.docs), self.ndoc))


def first_groups(keys: Iterable[Hashable | None]) -> list[list[int]]:
    """Positions grouped by equal key, groups in order of their first member; a None key is a
    group of its own. How copies are collapsed, of sentences here and of figures in unit_claims."""
    first: dict[Hashable, int] = {}
    groups: list[list[int]] = []
    for n, k in enumerate(keys):
        g = None if k is None else first.get(k)
        if g is None:
            if k is not None:
                first[k] = len(groups)
            groups.append([n])
        else:
            groups[g].append(n)
    return groups


def rep_key(index: BatchIndex, x: Sentence, window: list) -> tuple:
    doc = index.by_id[x.doc_id]
    return (doc.text[x.span.start:x.span.end], tuple(x.keys), x.anchors, x.events, x.when, x.told,
            doc.date, tuple(window))


def collapse(index: BatchIndex, sents: list[Sentence], s: SentenceSettings) -> Reps:
    """The unit's sentences as reps (module docstring), in order of their first copy."""
    import numpy as np
    from audit.align.sentences import Timing, _window, exact_score
    def key(x: Sentence) -> tuple:
        d = index.date(x.doc_id)
        return rep_key(index, x, _window(index, x, d.toordinal() if d else -1, s.undated_days))

    groups = first_groups(key(x) for x in sents)
    members: list[list[int]] = []
    scores: list[float] = []
    for g in groups:
        x = sents[g[0]]
        if len({sents[m].doc_id for m in g}) < 2:
            members.append(g)
            scores.append(0.0)
            continue
        sc = exact_score(index, x, x, s) * Timing.of(index, [x], s).pair(0, 0) \
            if compatible(x.when, x.when) else 0.0
        if sc >= s.threshold:
            members.append(g)
            scores.append(sc)
        else:                        # copies too thin to align: single sentences, as before
            members += [[m] for m in g]
            scores += [0.0] * len(g)
    order = sorted(range(len(members)), key=lambda r: members[r][0])
    members = [members[r] for r in order]
    scores = [scores[r] for r in order]
    docs: list[dict[str, int]] = []
    for g in members:
        c: dict[str, int] = {}
        for m in g:
            c[sents[m].doc_id] = c.get(sents[m].doc_id, 0) + 1
        docs.append(c)
    doc_no: dict[str, int] = {}
    for x in sents:
        doc_no.setdefault(x.doc_id, len(doc_no))
    sig = np.array([doc_no[next(iter(d))] if len(d) == 1 else len(doc_no) + r for r, d in enumerate(docs)],
                   dtype=np.int64)
    return Reps([sents[g[0]] for g in members], members, docs, scores, sig, len(doc_no), doc_no)


def cross_pairs(a: dict[str, int], b: dict[str, int] | None = None) -> int:
    """Copies pairs in different articles between two reps (or within one, b None)."""
    if b is None:
        n = sum(a.values())
        return (n * n - sum(c * c for c in a.values())) // 2
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return sum(a.values()) * sum(b.values()) - sum(c * big.get(d, 0) for d, c in small.items())
