"""Multi-outlet sentence groups: sentences of several articles that state the same thing.

Similarity of two sentences is an IDF-weighted Dice overlap of their normalised content keys (see
normalize.py: names, numbers, dates, inflections and paraphrases already folded), so word order,
entity spellings, number and date formats do not matter; stop words and punctuation never count.
Two short sentences sharing two common words have a high Dice but say little: full credit needs
shared content worth `evidence` of the batch's rarest words, less is scaled down.
A long sentence that contains a shorter one's statement among other clauses is scored on its best
window as well ("local" overlap), so a one-clause copy still finds the sentence it was cut from.
Word order can weigh in (`order_weight`: the share of the shared content that comes in the same
order); it is off by default, because translations reorder clauses and dates, anchors and the
evidence scaling separate topic-word matches better, at a fraction of the cost.

A statement is what is said, not only who says it or whom it is about: two sentences must share
predicate words (features.BatchIndex.predicate_weight: not names, dates, counts under ten,
attribution and title words, light verbs), worth at least one word found in `predicate_share` of
the sentences; "Kenyan President William Ruto said on Wednesday ..." and "Kenyan President
William Ruto on Wednesday praised ..." share a subject and a day, not a statement. Figures of
ten and more are predicate: "2,500 troops in Iraq" is what a sentence says.

What separates "the same event" from "the same kind of event" is mostly its date: two sentences
that both date what they report ("on Tuesday" in an article of Nov 21, "last week", "four years
ago") and whose dates never meet are never linked (dates.py resolves them against each article's
date; a shared date is a shared key, so it also counts for the pair). Undated reports of events
are placed in the days before their article (Timing): the same words about a strike in articles
weeks apart are two strikes, and are not linked either.

Grouping avoids chaining unrelated sentences in four ways:
1. competitive linking: a pair is a link only when each sentence is (nearly) the other's best
   match in the other article;
2. average linkage: two groups merge only when the mean score over all their cross-article
   member pairs stays above `link`, so one shared neighbour cannot glue two statements together;
3. member support (prune): each member must match at least `member_share` of the other
   articles' members, and two members of one article each other, or it leaves the group;
4. only pairs of different articles are scored (a duplicated paragraph in one article joins a
   group through the other outlets, never by itself).

Cost: the overlaps of all pairs come from one sparse matrix product per unit (names, numbers and
dates counted in the same product); the costly refinements (local window, word order) are
computed only for pairs that can still become links, from upper bounds, until every link is exact.
Copies of one sentence (a story reprinted by hundreds of outlets) are scored once: pairing,
linking, clustering and pruning run over distinct sentences carrying their articles as counts,
and the groups are expanded to every copy (reps.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.align.dates import compatible
from audit.align.features import BatchIndex, Sentence
from audit.align.settings import SentenceSettings

if TYPE_CHECKING:
    from audit.align.reps import Reps

NEAR_BEST = 0.95    # "nearly the best": ties (a paragraph printed twice) both count
MAX_ROUNDS = 30     # refinement rounds before the remaining candidates are refined at once
ANCHOR_UNIT = float(2 ** 20)   # see pair_table: shared anchors counted above predicate weights


def min_predicate(index: BatchIndex, s: SentenceSettings) -> float:
    """What two sentences must share beyond names, dates, small counts and attribution: the
    weight (inverse sentence frequency) of a word found in `predicate_share` of the sentences,
    or, in a batch too small for that, of a word found only in the two."""
    import math
    n = len(index.sentences)
    return min(math.log(1 / s.predicate_share), math.log((n + 1) / 2.5)) - 1e-9


@dataclass
class PairTable:
    """Cross-article pairs of one unit with their scores (parallel numpy arrays).

    `val` is exact where `exact` is set; elsewhere it is the pair's lower bound (plain Dice times
    the order discount), which is what clustering uses for pairs that never had a chance to link.
    """
    i: "object"
    j: "object"
    val: "object"
    exact: "object"

    def as_dict(self, floor: float) -> dict[tuple[int, int], float]:
        keep = self.val >= floor
        return dict(zip(zip(self.i[keep].tolist(), self.j[keep].tolist()), self.val[keep].tolist()))


def unit_sentences(index: BatchIndex, doc_ids: list[str], s: SentenceSettings) -> list[Sentence]:
    return [index.sentences[i] for d in doc_ids for i in index.doc_sents.get(d, [])
            if len(index.sentences[i].keyset) >= s.min_tokens]


def pair_table(index: BatchIndex, sents: list[Sentence], s: SentenceSettings, floor: float,
               sig=None, reps: "Reps | None" = None) -> PairTable:
    """Every cross-article pair sharing a key whose upper bound reaches `floor`, refined where it
    can become a link (see module docstring). `sig`: per sentence, a number; pairs of equal
    numbers are not scored (default: the article's; reps.Reps.sig for distinct sentences)."""
    import numpy as np
    from scipy import sparse
    empty = PairTable(np.zeros(0, int), np.zeros(0, int), np.zeros(0), np.zeros(0, bool))
    if len(sents) < 2:
        return empty
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, sent in enumerate(sents):
        for k in sent.keyset:
            rows.append(r)
            cols.append(vocab.setdefault(k, len(vocab)))
    w = np.fromiter((index.weight(k) for k in vocab), dtype=np.float64, count=len(vocab))
    anchor_keys = set().union(*(x.anchors for x in sents))
    anchor = np.fromiter((k in anchor_keys for k in vocab), dtype=bool, count=len(vocab))
    predicate = np.fromiter((k not in index.not_predicate for k in vocab), dtype=bool, count=len(vocab))
    b = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sents), len(vocab)))
    size = np.asarray(b @ w).ravel()
    # One product gives all overlaps: the real part weighs every shared key; the imaginary part
    # counts shared anchors (names, numbers, dates) in units of ANCHOR_UNIT and adds the weight of
    # shared predicate words below it (anchors are never predicate words, and a sentence's
    # predicate weight stays far below the unit, so the two parts separate exactly).
    wc = w + 1j * (np.where(anchor, ANCHOR_UNIT, 0.0) + np.where(predicate, w, 0.0))
    if sig is None:
        doc_no: dict[str, int] = {}
        docs = np.array([doc_no.setdefault(x.doc_id, len(doc_no)) for x in sents])
    else:
        docs = np.asarray(sig)
    i, j, o, anchored = _overlaps(b.multiply(wc).tocsr(), b.T.tocsr(), docs, min_predicate(index, s))
    dice = 2 * o / (size[i] + size[j])
    contain = o / np.minimum(size[i], size[j])
    ntok = np.array([len(x.keyset) for x in sents])
    local_ok = np.minimum(ntok[i], ntok[j]) >= s.containment_min
    enough = np.minimum(1.0, o / max(s.evidence * index.max_idf, 1e-9)) * np.where(anchored, 1.0, s.anchorless)
    dice = dice * enough
    upper = np.where(local_ok, np.maximum(dice, contain * enough * s.containment_discount), dice)
    keep = upper >= floor
    i, j, dice, upper = i[keep], j[keep], dice[keep], upper[keep]
    keep = _dates_meet(sents, i, j)
    i, j, dice, upper = i[keep], j[keep], dice[keep], upper[keep]
    when = Timing.of(index, sents, s)
    far = when.factor(i, j)
    keep = far > 0
    i, j, dice, upper, far = i[keep], j[keep], dice[keep], upper[keep], far[keep]
    dice, upper = dice * far, upper * far
    # without word order, a pair's score is its Dice unless a local window could beat it
    exact = (upper <= dice) if s.order_weight == 0 else np.zeros(len(i), bool)
    table = PairTable(i, j, upper.copy(), exact)
    _refine_links(index, sents, table, docs, s, when, reps)
    lower = dice * (1 - s.order_weight)
    table.val = np.where(table.exact, table.val, lower)
    return table


_BLOCK_NNZ = 4_000_000   # entries of one block of the overlap product (about 100 MB)


def _overlaps(bw, bt, docs, min_pred: float):
    """Cross-article sentence pairs (i < j) that share a predicate: their weighted overlap and
    whether they share an anchor. The product is computed in blocks of rows and filtered block
    by block: in one story carried by hundreds of outlets nearly every sentence pair shares a
    key, and the whole product at once asked for 45 GiB (10,000 generated articles, one unit
    of ~100,000 sentences). Same pairs, same values, in the same order."""
    import numpy as np
    n = bw.shape[0]
    # a row's product entries are at most the sum of its keys' sentence counts: blocks are cut
    # where that running bound reaches _BLOCK_NNZ (an average per row missed frequent keys)
    df = np.diff(bt.tocsr().indptr)                      # sentences holding each key (rows of bt)
    pattern = bw.copy()
    pattern.data = np.ones(len(pattern.data))
    cost = np.asarray(pattern.real @ df).ravel()
    bounds, acc, lo = [], 0.0, 0
    for r in range(n):
        acc += cost[r]
        if acc >= _BLOCK_NNZ:
            bounds.append((lo, r + 1))
            lo, acc = r + 1, 0.0
    if lo < n:
        bounds.append((lo, n))
    parts = []
    for lo, hi in bounds:
        blk = (bw[lo:hi] @ bt).tocoo()
        i = blk.row.astype(np.int64) + lo
        j = blk.col.astype(np.int64)
        keep = j > i
        keep &= np.fmod(blk.data.imag, ANCHOR_UNIT) >= min_pred
        keep &= docs[i] != docs[j]
        parts.append((i[keep], j[keep], blk.data.real[keep], blk.data.imag[keep] >= ANCHOR_UNIT))
    if not parts:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0), np.zeros(0, bool)
    # rows are computed independently by the sparse product, so the blocks concatenated are
    # the one-product result, in its order
    i, j, o, a = (np.concatenate(x) for x in zip(*parts))
    return i, j, o, a


@dataclass
class Timing:
    """When each sentence of a unit reports: its explicit dates' hull (ordinals, -1 when it gives
    none) and its article's date. An undated sentence most likely reports what happened in the
    days before its article (`undated_days`); against a sentence dated far from then it weighs
    `undated_factor` (soft: background sentences are undated too, and stay alignable).

    Event identity: two sentences that report events (features.event_keys: an event word, no
    habitual word) and share an event word tell of one event only if the times they report can
    meet. A sentence reports the dates it gives to what it tells (features.told_dates: not "said
    on Tuesday", not the dateline); one that gives none reports the days before its article, or
    the time of the sentence before it, which it may continue ("Since mid-October, 150 attacks
    ... These attacks were claimed by ..."). A strike on a group's base south of the capital
    told in an article of November and one told in January are two strikes: such a pair scores
    0. Sentences that share no event word (one tells of a strike, the other names the group
    behind it) and background sentences ("militias have long attacked US bases") are not
    separated."""
    lo: "object"
    hi: "object"
    art: "object"
    days: int
    factor_: float
    events: list                 # per sentence: its event words (empty: no event report)
    windows: list                # per sentence: [(first day, last day), ...] it may report; [] unknown

    @classmethod
    def of(cls, index: BatchIndex, sents: list[Sentence], s: SentenceSettings) -> "Timing":
        import numpy as np
        lo = np.full(len(sents), -1, np.int64)
        hi = np.full(len(sents), -1, np.int64)
        art = np.full(len(sents), -1, np.int64)
        for n, x in enumerate(sents):
            spans = [sp for sp in (w.span() for w in x.when) if sp]
            if spans:
                lo[n], hi[n] = min(a for a, _ in spans), max(b for _, b in spans)
            d = index.date(x.doc_id)
            if d is not None:
                art[n] = d.toordinal()
        windows = [_window(index, x, int(art[n]), s.undated_days) for n, x in enumerate(sents)]
        return cls(lo, hi, art, s.undated_days, s.undated_factor, [x.events for x in sents], windows)

    def _far(self, dated, undated):
        a = self.art[undated]
        return (self.lo[dated] >= 0) & (self.lo[undated] < 0) & (a >= 0) & \
            ((self.hi[dated] < a - self.days) | (self.lo[dated] > a))

    def _apart(self, a: int, b: int) -> bool:
        """Two event reports sharing an event word whose times cannot meet."""
        if not self.events[a] & self.events[b]:
            return False
        wa, wb = self.windows[a], self.windows[b]
        return bool(wa and wb) and not any(x0 <= y1 and y0 <= x1 for x0, x1 in wa for y0, y1 in wb)

    def factor(self, i, j):
        import numpy as np
        far = self._far(i, j) | self._far(j, i)
        return np.where(far, self.factor_, 1.0) * np.where(self._apart_mask(i, j), 0.0, 1.0)

    def _apart_mask(self, i, j):
        """`_apart` for many pairs: shared event words as bit masks, windows by their hulls (two
        hulls apart: every window apart); the few pairs whose hulls meet but that have several
        windows are checked one by one."""
        import numpy as np
        vocab = sorted(set().union(*self.events))
        if len(vocab) > 62:                 # more event words than bits: one by one
            return np.fromiter((self._apart(a, b) for a, b in zip(i.tolist(), j.tolist())), dtype=bool,
                               count=len(i))
        bit = {k: 1 << n for n, k in enumerate(vocab)}
        mask = np.fromiter((sum(bit[k] for k in e) for e in self.events), dtype=np.int64, count=len(self.events))
        known = np.fromiter((bool(w) for w in self.windows), dtype=bool, count=len(self.windows))
        w_lo = np.fromiter((min(a for a, _ in w) if w else 0 for w in self.windows), dtype=np.int64,
                           count=len(self.windows))
        w_hi = np.fromiter((max(b for _, b in w) if w else 0 for w in self.windows), dtype=np.int64,
                           count=len(self.windows))
        several = np.fromiter((len(w) > 1 for w in self.windows), dtype=bool, count=len(self.windows))
        cand = ((mask[i] & mask[j]) != 0) & known[i] & known[j]
        out = cand & ((w_hi[i] < w_lo[j]) | (w_hi[j] < w_lo[i]))
        for n in np.flatnonzero(cand & ~out & (several[i] | several[j])).tolist():
            out[n] = self._apart(int(i[n]), int(j[n]))
        return out

    def pair(self, a: int, b: int) -> float:
        lo, hi, art = self.lo, self.hi, self.art
        if self._apart(a, b):
            return 0.0

        def far(d: int, u: int) -> bool:
            x = art[u]
            return lo[d] >= 0 and lo[u] < 0 and x >= 0 and (hi[d] < x - self.days or lo[d] > x)
        return self.factor_ if far(a, b) or far(b, a) else 1.0


def _window(index: BatchIndex, x: Sentence, art: int, days: int) -> list[tuple[int, int]]:
    """The days a sentence may report (see Timing): its told dates, else its article's last
    `days` plus the told dates of the sentence before it."""
    told = [sp for sp in (w.span() for w in x.told) if sp]
    if told:
        return told
    if art < 0:
        return []
    out = [(art - days, art)]
    if x.events:
        sent_ids = index.doc_sents.get(x.doc_id, [])
        k = x.idx - sent_ids[0] if sent_ids else 0     # a document's sentences are numbered in a run
        if 0 < k < len(sent_ids) and sent_ids[k] == x.idx:
            out += [sp for sp in (w.span() for w in index.sentences[sent_ids[k - 1]].told) if sp]
    return out


def _dates_meet(sents: list[Sentence], i, j):
    """Mask of pairs whose dates are compatible (only pairs where both sentences date what they
    report are checked; the rest pass)."""
    import numpy as np
    dated = np.array([bool(x.when) for x in sents])
    both = np.flatnonzero(dated[i] & dated[j])
    keep = np.ones(len(i), bool)
    for n in both.tolist():
        keep[n] = compatible(sents[i[n]].when, sents[j[n]].when)
    return keep


def _refine_links(index: BatchIndex, sents: list[Sentence], t: PairTable, docs, s: SentenceSettings,
                  when: "Timing", reps: "Reps | None" = None) -> None:
    """Make exact every pair that is, or could block, a competitive link: repeat (links and
    per-article best matches from current values; refine those not exact yet) until none is
    left. Upper bounds only fall when refined, so the fixed point is what exact scores of every
    pair would give."""
    import numpy as np
    if not len(t.i):
        return
    ndoc = int(docs.max()) + 1
    ka = t.i * ndoc + docs[t.j]          # (sentence a, article of b)
    kb = t.j * ndoc + docs[t.i]
    size = len(sents) * ndoc
    multi = reps is not None and not reps.all_single
    for rnd in range(MAX_ROUNDS + 1):
        high = t.val >= s.threshold
        if multi:                      # distinct sentences: best per copy's article (_rep_masks)
            link, top = _rep_masks(reps, t, s.threshold)
        else:
            best = np.zeros(size)
            np.maximum.at(best, ka, t.val)
            np.maximum.at(best, kb, t.val)
            ba, bb = best[ka], best[kb]
            link = high & (t.val >= NEAR_BEST * ba) & (t.val >= NEAR_BEST * bb)
            top = high & ((t.val >= ba) | (t.val >= bb))
        need = np.flatnonzero(~t.exact & (link | top))
        if not len(need):
            return
        if rnd == MAX_ROUNDS:
            need = np.flatnonzero(~t.exact & high)
        for n in need.tolist():
            a, b = int(t.i[n]), int(t.j[n])
            t.val[n] = exact_score(index, sents[a], sents[b], s) * when.pair(a, b)
            t.exact[n] = True
    return


def exact_score(index: BatchIndex, a: Sentence, b: Sentence, s: SentenceSettings,
                predicate: bool = True) -> float:
    """Dice (or the local window's, for a long sentence holding a short one), weighted by order;
    0 when the two share no predicate (module docstring), unless `predicate` is off (claims:
    a figure's own class says what it counts)."""
    w = index.weight
    shared = a.keyset & b.keyset
    # math.fsum, not sum, over key sets: a set's order follows the run's string hashes, and a
    # float sum in another order differs in its last bits, enough to tip a tie between two
    # links (claims on the real fz fold differed from run to run)
    o = math.fsum(w(k) for k in shared)
    if not o or (predicate and index.predicate_weight(shared) < min_predicate(index, s)):
        return 0.0
    sa, sb = index.mass(a), index.mass(b)
    enough = min(1.0, o / max(s.evidence * index.max_idf, 1e-9)) * (1.0 if a.anchors & b.anchors else s.anchorless)
    score = 2 * o / (sa + sb)
    if _long_enough(a, b, s) and o / min(sa, sb) * s.containment_discount > score:
        score = max(score, _local(index, a, b) * s.containment_discount)
    if s.order_weight:
        score *= (1 - s.order_weight) + s.order_weight * order_coherence(index, a.keys, b.keys)
    return enough * score


def key_similarity(index: BatchIndex, a: frozenset[str], b: frozenset[str], s: SentenceSettings) -> float:
    """Weighted Dice of two key sets, scaled down below `evidence` (a clause's "two killed" and
    another's "56 killed" share a word, not a statement)."""
    o = math.fsum(index.weight(k) for k in a & b)
    if not o:
        return 0.0
    total = math.fsum(index.weight(k) for k in a) + math.fsum(index.weight(k) for k in b)
    return min(1.0, o / max(s.evidence * index.max_idf, 1e-9)) * 2 * o / total


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


def _long_enough(a: Sentence, b: Sentence, s: SentenceSettings) -> bool:
    return min(len(a.keyset), len(b.keyset)) >= s.containment_min


def _local(index: BatchIndex, a: Sentence, b: Sentence) -> float:
    """Best Dice between the shorter sentence and a window of the longer one (about 1.5x its
    length): the part of a long sentence that says what the short one says."""
    long_, short = (a, b) if len(a.keys) >= len(b.keys) else (b, a)
    target = short.keyset
    tw = math.fsum(index.weight(k) for k in target)
    n = max(len(target) + 2, int(len(short.keys) * 1.5))
    keys = long_.keys
    if len(keys) <= n:
        n = len(keys)
    ws = [index.weight(k) for k in keys]
    best = 0.0
    for start in range(0, len(keys) - n + 1):
        seen: set[str] = set()
        o = ww = 0.0
        for k, wk in zip(keys[start:start + n], ws[start:start + n]):
            if k in seen:
                continue
            seen.add(k)
            ww += wk
            if k in target:
                o += wk
        best = max(best, 2 * o / (ww + tw))
    return best


def link_pairs(sents: list[Sentence], t: PairTable, threshold: float,
               reps: "Reps | None" = None) -> list[tuple[float, int, int]]:
    """Competitive linking: pairs above threshold that are (nearly) mutual best matches. With
    `reps` (sents are distinct sentences): a pair links when some copy of one, in some article,
    and some copy of the other, in another article, are (nearly) each other's best there."""
    import numpy as np
    if not len(t.i):
        return []
    if reps is not None and not reps.all_single:
        ok = _competitive(reps, t, threshold)
        out = list(zip(t.val[ok].tolist(), t.i[ok].tolist(), t.j[ok].tolist()))
        out.sort(key=lambda x: (-x[0], x[1], x[2]))
        return out
    doc_no: dict[str, int] = {}
    docs = np.array([doc_no.setdefault(x.doc_id, len(doc_no)) for x in sents])
    ndoc = int(docs.max()) + 1
    ka, kb = t.i * ndoc + docs[t.j], t.j * ndoc + docs[t.i]
    best = np.zeros(len(sents) * ndoc)
    np.maximum.at(best, ka, t.val)
    np.maximum.at(best, kb, t.val)
    ok = (t.val >= threshold) & (t.val >= NEAR_BEST * best[ka]) & (t.val >= NEAR_BEST * best[kb])
    out = list(zip(t.val[ok].tolist(), t.i[ok].tolist(), t.j[ok].tolist()))
    out.sort(key=lambda x: (-x[0], x[1], x[2]))
    return out


_CHUNK = 2_000_000    # (pair, article) entries expanded at once by _competitive (~100 MB)


def _expand(r, indptr, indices):
    """For rep numbers r: (position in r, article number) of every article each rep is in."""
    import numpy as np
    cnt = np.diff(indptr)[r]
    pos = np.repeat(np.arange(len(r)), cnt)
    offs = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return pos, indices[np.repeat(indptr[r], cnt) + offs]


def _competitive(reps: "Reps", t: PairTable, threshold: float):
    """Mask of the table's links between distinct sentences (see link_pairs)."""
    return _rep_masks(reps, t, threshold)[0]


def _rep_masks(reps: "Reps", t: PairTable, threshold: float):
    """(links, tops) of the table's pairs of distinct sentences at their current values: best[r,
    article] is the best score of r against any sentence of that article (its own copy there
    included); a pair links when j has a copy in an article where i finds it nearly best, and i
    one in another article where j finds it nearly best; it is a top when it is best outright
    for a copy of either (what _refine_links makes exact). Pairs are expanded to their articles
    in chunks."""
    import numpy as np
    inc = reps.incidence()
    indptr, indices, ndoc, n = inc.indptr, inc.indices, reps.ndoc, len(reps.sents)
    best = np.zeros(n * ndoc)
    own = np.asarray(reps.self_score, dtype=np.float64)
    pos, doc = _expand(np.arange(n), indptr, indices)
    np.maximum.at(best, pos * ndoc + doc, own[pos])
    deg = np.diff(indptr)
    cum = np.cumsum(deg[t.i] + deg[t.j])
    marks = np.searchsorted(cum, np.arange(_CHUNK, int(cum[-1]), _CHUNK)) + 1
    bounds = sorted({0, len(t.i), *marks.tolist()})
    chunks = list(zip(bounds, bounds[1:]))
    for lo, hi in chunks:
        for a, b in ((t.i[lo:hi], t.j[lo:hi]), (t.j[lo:hi], t.i[lo:hi])):
            p, d = _expand(b, indptr, indices)
            np.maximum.at(best, a[p] * ndoc + d, t.val[lo:hi][p])
    ok = t.val >= threshold
    top = ok.copy()
    for lo, hi in chunks:
        sides = []
        outright = np.zeros(hi - lo, bool)
        for a, b in ((t.i[lo:hi], t.j[lo:hi]), (t.j[lo:hi], t.i[lo:hi])):
            p, d = _expand(b, indptr, indices)
            # (an entry of a rep's own and only article stands for no copy: skipped)
            v, bst, real = t.val[lo:hi][p], best[a[p] * ndoc + d], reps.sig[a[p]] != d
            good = (v >= NEAR_BEST * bst) & real
            count = np.bincount(p[good], minlength=hi - lo)
            one = np.full(hi - lo, -1, np.int64)
            np.maximum.at(one, p[good], d[good])
            sides.append((count, one))
            outright[np.unique(p[(v >= bst) & real])] = True
        (ca, xa), (cb, xb) = sides
        ok[lo:hi] &= (ca > 0) & (cb > 0) & ((ca > 1) | (cb > 1) | (xa != xb))
        top[lo:hi] &= outright
    return ok, top


def cluster(sents: list[Sentence], t: PairTable, links: list[tuple[float, int, int]],
            link: float, reps: "Reps | None" = None) -> list[list[int]]:
    """Average-linkage merging along the links, strongest first.

    The mean over cross-article pairs is kept incrementally (sum of scores between clusters,
    and per-cluster article counts), so a merge costs the clusters' neighbour lists, not the
    product of their sizes. Pairs never scored count as 0. Only sentences that take part in a
    link can ever be merged, so only pairs among them are kept. With `reps`, each distinct
    sentence starts as the cluster of its copies (reps.py): a pair's score counts once per
    pair of copies in different articles."""
    import numpy as np
    multi = reps is not None and not reps.all_single
    nodes = np.zeros(len(sents), bool)
    for _, a, b in links:
        nodes[a] = nodes[b] = True
    keep = nodes[t.i] & nodes[t.j] if len(t.i) else np.zeros(0, bool)
    weight = _cross_counts(reps, t.i[keep], t.j[keep]) if multi else None
    nb: dict[int, dict[int, float]] = {}
    vals = t.val[keep] * weight if multi else t.val[keep]
    for a, b, sc in zip(t.i[keep].tolist(), t.j[keep].tolist(), vals.tolist()):
        nb.setdefault(a, {})[b] = sc
        nb.setdefault(b, {})[a] = sc
    root = list(range(len(sents)))
    members: dict[int, list[int]] = {}
    docs: dict[int, dict[str, int]] = {}
    if multi:
        for r, d in enumerate(reps.docs):
            if len(reps.members[r]) > 1:
                docs[r] = dict(d)

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
        keep_, gone = (ga, gb) if len(nb.get(ga, {})) >= len(nb.get(gb, {})) else (gb, ga)
        root[gone] = keep_
        merged = dict(da)
        for d, c in db.items():
            merged[d] = merged.get(d, 0) + c
        docs[keep_] = merged
        docs.pop(gone, None)
        members[keep_] = members.pop(keep_, [keep_]) + members.pop(gone, [gone])
        # the merged cluster's neighbour sums: the two rows added up
        row_k, row_g = nb.setdefault(keep_, {}), nb.pop(gone, {})
        for other, v in row_g.items():
            if other == keep_:
                continue
            row_k[other] = row_k.get(other, 0.0) + v
            row_o = nb[other]
            row_o[keep_] = row_o.get(keep_, 0.0) + row_o.pop(gone, 0.0)
        row_k.pop(gone, None)
    if multi:      # copies in several articles that merged with nothing are a group by themselves
        for r, d in enumerate(reps.docs):
            if len(d) >= 2 and find(r) == r and r not in members:
                members[r] = [r]
        return sorted((sorted(m) for m in members.values()
                       if len({doc for i in m for doc in reps.docs[i]}) >= 2), key=lambda m: m[0])
    return [sorted(m) for m in members.values() if len({sents[i].doc_id for i in m}) >= 2]


def _cross_counts(reps: "Reps", i, j):
    """Per pair of reps: pairs of their copies in different articles."""
    import numpy as np
    inc = reps.incidence()
    size = np.asarray(inc.sum(axis=1)).ravel()
    same = np.asarray((inc @ inc.T).tocsr()[i, j]).ravel() if len(i) else np.zeros(0)
    return size[i] * size[j] - same


def group_score(sents, scores: dict[tuple[int, int], float], members: list[int]) -> float:
    """Mean score over the group's cross-article pairs (shown to editors as confidence)."""
    vals = [scores.get((min(a, b), max(a, b)), 0.0) for i, a in enumerate(members) for b in members[i + 1:]
            if sents[a].doc_id != sents[b].doc_id]
    return round(sum(vals) / len(vals), 3) if vals else 0.0


class SentenceSim:
    """Similarity of any two sentences of a unit, by batch sentence index: the pair table's exact
    value where it has one, else computed (and kept) on demand. Claims use it to weigh two
    figures' statements against each other."""

    def __init__(self, index: BatchIndex, sents: list[Sentence], table: PairTable, s: SentenceSettings,
                 wanted: set[int] | None = None, docsets: list[frozenset[str]] | None = None):
        """`docsets`: per sentence, the articles it is printed in, when `sents` are distinct
        sentences (reps.py); two copies of one in different articles are then a pair too."""
        self.index, self.sents, self.s = index, sents, s
        self.docsets = docsets or [frozenset((x.doc_id,)) for x in sents]
        self.pos = {x.idx: n for n, x in enumerate(sents)}
        self.timing = Timing.of(index, sents, s)
        self.cache: dict[tuple[int, int], float] = {}
        self.plain_cache: dict[tuple[int, int], float] = {}
        import numpy as np
        ids = np.array([x.idx for x in sents], dtype=np.int64)
        ok = np.array([wanted is None or x.idx in wanted for x in sents], dtype=bool)
        rows = ok[table.i] & ok[table.j] if len(table.i) else np.zeros(0, bool)
        ga, gb = ids[table.i[rows]], ids[table.j[rows]]
        lo, hi = np.minimum(ga, gb).tolist(), np.maximum(ga, gb).tolist()
        exact = table.exact[rows].tolist()
        for a, b, v, e in zip(lo, hi, table.val[rows].tolist(), exact):
            if e:
                self.cache[(a, b)] = v
        self.candidates = list(zip(lo, hi))
        self.candidates += [(x.idx, x.idx) for n, x in enumerate(sents)
                            if len(self.docsets[n]) > 1 and ok[n]]

    def _one_article(self, pa: int, pb: int) -> bool:
        """No copy of one and copy of the other are in different articles."""
        da, db = self.docsets[pa], self.docsets[pb]
        return len(da) == 1 and da == db

    def clause(self, a: int, b: int, ka: frozenset[str], kb: frozenset[str], dated: bool = False) -> float:
        """Similarity of two clauses of sentences a and b (batch indices): their keys' weighted
        Dice; `dated`: the sentences' dates count as for a sentence pair."""
        pa, pb = self.pos.get(a), self.pos.get(b)
        if pa is None or pb is None:
            return 0.0
        if not dated:
            return key_similarity(self.index, ka, kb, self.s)
        if not compatible(self.sents[pa].when, self.sents[pb].when):
            return 0.0
        return key_similarity(self.index, ka, kb, self.s) * self.timing.pair(pa, pb)

    def plain(self, a: int, b: int) -> float:
        """The sentence score without its dates: a running total stated in two sentences dated
        differently ("rescuers searched on Saturday, where the floods killed 11,300") is still one
        figure; what the figure itself is dated by is the caller's to check."""
        key = (min(a, b), max(a, b))
        if key not in self.plain_cache:
            pa, pb = self.pos.get(a), self.pos.get(b)
            ok = pa is not None and pb is not None and not self._one_article(pa, pb)
            self.plain_cache[key] = exact_score(self.index, self.sents[pa], self.sents[pb], self.s,
                                                predicate=False) if ok else 0.0
        return self.plain_cache[key]

    def value_weight(self, value: float) -> float:
        """How telling a shared figure is, 0..1: its inverse document frequency against the
        batch's rarest ("2" is everywhere, "2,500" is not)."""
        from audit.align.normalize import _num_key
        return min(1.0, self.index.weight(_num_key(value)) / self.index.max_idf)

    def __call__(self, a: int, b: int) -> float:
        key = (min(a, b), max(a, b))
        if key not in self.cache:
            pa, pb = self.pos.get(a), self.pos.get(b)
            if pa is None or pb is None or self._one_article(pa, pb):
                self.cache[key] = 0.0
            elif not compatible(self.sents[pa].when, self.sents[pb].when):
                self.cache[key] = 0.0
            else:
                self.cache[key] = exact_score(self.index, self.sents[pa], self.sents[pb], self.s,
                                              predicate=False) * self.timing.pair(pa, pb)
        return self.cache[key]


@dataclass
class UnitAlignment:
    sents: list[Sentence]                    # the unit's alignable sentences (every copy)
    clusters: list[list[int]]                # groups as positions into sents (every copy)
    group_scores: list[float]                # per group: mean score of its cross-article pairs
    reps: "Reps"                             # the distinct sentences (reps.py) ...
    table: PairTable                         # ... and their pair table (positions into reps.sents)
    rep_clusters: list[list[int]]            # groups as positions into reps.sents


def prune(index: BatchIndex, sents: list[Sentence], t: PairTable, clusters: list[list[int]],
          s: SentenceSettings) -> list[list[int]]:
    """Groups whose every member states what the others state.

    Average linkage keeps a group's mean up, not each member's: two related statements of
    one outlet can pull in each other's matches ("the prime minister is in a difficult position",
    "the prime minister has limited control"). Each member must match (score >= `member_floor`)
    at least `member_share` of the other articles' members, and two members of one article must
    match each other; else the member with the least support leaves (and is shown as unique), and
    the check runs again. A group left with one article is dissolved."""
    big = [c for c in clusters if len(c) > 2]       # a pair is one link: it supports itself
    if not big:
        return clusters
    when = Timing.of(index, sents, s)
    known = _exact_inside(t, len(sents), big)

    def score(a: int, b: int) -> float:
        a, b = min(a, b), max(a, b)
        if (a, b) not in known:
            same = sents[a].doc_id == sents[b].doc_id
            known[(a, b)] = exact_score(index, sents[a], sents[b], s) * (1.0 if same else when.pair(a, b))
        return known[(a, b)]

    out = [c for c in clusters if len(c) <= 2]
    for members in big:
        members = list(members)
        while len({sents[m].doc_id for m in members}) >= 2:
            weakest = _weakest(sents, members, score, s)
            if weakest is None:
                out.append(members)
                break
            members.remove(weakest)
    return out


def _exact_inside(t: PairTable, n: int, big: list[list[int]]) -> dict[tuple[int, int], float]:
    """The table's exact scores of pairs whose both ends lie in one of `big`'s groups (the ones
    pruning will ask about), as (i, j) -> score."""
    import numpy as np
    inside = np.zeros(n, bool)
    for c in big:
        inside[c] = True
    rows = inside[t.i] & inside[t.j] & t.exact if len(t.i) else np.zeros(0, bool)
    return dict(zip(zip(t.i[rows].tolist(), t.j[rows].tolist()), t.val[rows].tolist()))


def prune_reps(index: BatchIndex, reps: "Reps", t: PairTable, clusters: list[list[int]],
               s: SentenceSettings) -> list[list[int]]:
    """`prune` over distinct sentences: a rep's copies count once each, and a rep is as
    supported as its least supported copy (the one whose article holds most of the group's
    matches of it). A weakest rep leaves with all its copies."""
    import numpy as np
    size = [len(m) for m in reps.members]
    big = [c for c in clusters if sum(size[r] for r in c) > 2]
    if not big:
        return clusters
    sents = reps.sents
    when = Timing.of(index, sents, s)
    known = _exact_inside(t, len(sents), big)
    alone: dict[tuple[int, int], float] = {}

    def cross(a: int, b: int) -> float:
        if a == b:
            return reps.self_score[a]
        a, b = min(a, b), max(a, b)
        if (a, b) not in known:
            known[(a, b)] = exact_score(index, sents[a], sents[b], s) * when.pair(a, b)
        return known[(a, b)]

    def same(a: int, b: int) -> float:
        a, b = min(a, b), max(a, b)
        if (a, b) not in alone:
            alone[(a, b)] = exact_score(index, sents[a], sents[b], s)
        return alone[(a, b)]

    out = [c for c in clusters if sum(size[r] for r in c) <= 2]
    for members in big:
        members = list(members)
        while len({d for m in members for d in reps.docs[m]}) >= 2:
            weakest = _weakest_rep(reps, members, cross, same, s)
            if weakest is None:
                out.append(members)
                break
            members.remove(weakest)
    return out


def _weakest_rep(reps: "Reps", members: list[int], cross, same, s: SentenceSettings) -> int | None:
    """`_weakest` over distinct sentences (see prune_reps): for a copy in article d, the group's
    other copies are each rep's copies outside d."""
    import numpy as np
    docs = sorted({d for m in members for d in reps.docs[m]})
    col = {d: n for n, d in enumerate(docs)}
    counts = np.zeros((len(members), len(docs)))
    for x, m in enumerate(members):
        for d, c in reps.docs[m].items():
            counts[x, col[d]] = c
    size = counts.sum(axis=1)
    support: dict[int, tuple[float, float]] = {}
    for x, m in enumerate(members):
        v = np.array([cross(m, o) for o in members])
        hit = (v >= s.member_floor).astype(np.float64)
        own = [col[d] for d in reps.docs[m]]
        # per article d of m: sums over the other copies, i.e. size - copies in d
        tot = size.sum() - counts[:, own].sum(axis=0)
        hits = (hit * size).sum() - hit @ counts[:, own]
        acc = (v * size).sum() - v @ counts[:, own]
        support[m] = min(zip((hits / tot).tolist(), (acc / tot).tolist()))
    lacking = [m for m in members if support[m][0] < s.member_share]
    for x, a in enumerate(members):
        for b in members[x + 1:]:
            if reps.docs[a].keys() & reps.docs[b].keys() and same(a, b) < s.member_floor:
                lacking += [a, b]
    if not lacking:
        return None
    return min(lacking, key=lambda m: (support[m], m))


def _weakest(sents: list[Sentence], members: list[int], score, s: SentenceSettings) -> int | None:
    """The member to drop first, or None when every member is supported (see prune)."""
    support: dict[int, tuple[float, float]] = {}
    for m in members:
        vals = [score(m, o) for o in members if sents[o].doc_id != sents[m].doc_id]
        support[m] = (sum(v >= s.member_floor for v in vals) / len(vals), sum(vals) / len(vals))
    lacking = [m for m in members if support[m][0] < s.member_share]
    for x, a in enumerate(members):
        for b in members[x + 1:]:
            if sents[a].doc_id == sents[b].doc_id and score(a, b) < s.member_floor:
                lacking += [a, b]
    if not lacking:
        return None
    return min(lacking, key=lambda m: (support[m], m))


def align_unit(index: BatchIndex, doc_ids: list[str], s: SentenceSettings) -> UnitAlignment:
    """Sentence groups of one unit, computed over its distinct sentences (reps.py) and expanded
    to every copy."""
    import numpy as np
    from audit.align.reps import collapse
    sents = unit_sentences(index, doc_ids, s)
    reps = collapse(index, sents, s)
    floor = min(s.link, s.threshold) * 0.5          # lower pairs barely move a mean
    table = pair_table(index, reps.sents, s, floor, reps.sig, reps)
    links = link_pairs(reps.sents, table, s.threshold, reps)
    if reps.all_single:
        clusters = prune(index, reps.sents, table, cluster(reps.sents, table, links, s.link), s)
    else:
        clusters = prune_reps(index, reps, table, cluster(reps.sents, table, links, s.link, reps), s)
    in_group = np.zeros(len(reps.sents), bool)
    for c in clusters:
        in_group[c] = True
    mask = in_group[table.i] & in_group[table.j] if len(table.i) else np.zeros(0, bool)
    scores = PairTable(table.i[mask], table.j[mask], table.val[mask], table.exact[mask]).as_dict(0.0)
    group_scores = [group_score(reps.sents, scores, c) if all(len(reps.members[r]) == 1 for r in c)
                    else rep_group_score(reps, scores, c) for c in clusters]
    expanded = [sorted(p for r in c for p in reps.members[r]) for c in clusters]
    return UnitAlignment(sents, expanded, group_scores, reps, table, clusters)


def rep_group_score(reps: "Reps", scores: dict[tuple[int, int], float], members: list[int]) -> float:
    """group_score over distinct sentences: every pair of copies in different articles counts,
    pairs of one rep's copies at its self score."""
    from audit.align.reps import cross_pairs
    total: dict[str, int] = {}
    num = 0.0
    for x, a in enumerate(members):
        for d, c in reps.docs[a].items():
            total[d] = total.get(d, 0) + c
        num += reps.self_score[a] * cross_pairs(reps.docs[a])
        for b in members[x + 1:]:
            v = scores.get((min(a, b), max(a, b)), 0.0)
            if v:
                num += v * cross_pairs(reps.docs[a], reps.docs[b])
    den = cross_pairs(total)
    return round(num / den, 3) if den else 0.0
