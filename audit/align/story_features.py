"""Event-level pair features for story grouping, and the calibrated model that weighs them.

Two articles tell one event when they say the same things about the same actors at the same
time. Each signal below is one feature; a logistic regression calibrated on the real-copy
development corpus (split by event; `bench/calibrate_stories.py`) weighs them, and its weights
are data (`audit/data/story_model.yaml`), not code:

- `tfidf`: cosine of word 1-2-gram TF-IDF over the content sentences (the plain baseline: 0.96
  B-cubed F1 alone on the dev fold at its best threshold, but no threshold suits every batch);
- `emb`: cosine of wordllama static embeddings (embed.py), which still matches paraphrased and
  translated copy that shares few exact words;
- `keys`: IDF-weighted cosine of all content keys with the index's sentence-level IDF (what
  separates stories of one topic best: their own figures, places and words);
- `names`: IDF-weighted cosine of the name keys (entity groups, so "al-Soudani" = "al-Sudani",
  phonetic keys, acronyms): people, places and groups;
- `lead`: how well one article's headline and first sentences are covered by the other's text
  (the lead tells the event; background paragraphs are shared by a whole conflict);
- `lead_names`: the `names` cosine of the two leads alone: who and where the news is about,
  which two events of one conflict on one day do not share even when their backgrounds do;
- `figures`: shared figures of ten or more (not years), log(1 + count);
- `lead_apart` (a gate, not a weight; `lead_gate` in the model file): both leads name at least
  `lead_gate` people, places or groups and share none of them (with fewer, disjoint names say
  little: "in Brazil" and "in Rio Grande" are one flood). The news is in the lead, and background
  paragraphs are shared by a whole conflict, so two events of one conflict on one day (a drone
  strike on a truck, air strikes on two bases) agree on everything but what their leads are
  about. The dev fold has no such pairs (one event per subject), so the gate is judged on two
  sets: dev out of fold (B-cubed F1: no gate 0.969 at threshold 0.4; gate 1: 0.949, 2: 0.956,
  3: 0.974, all at 0.15 with precision 1.00, where without a gate precision falls to 0.91 at
  0.3) and 300 generated articles of another seed, eight stories a topic (no gate 0.905; gate 1
  and 2: 0.925; 3: 0.890). 2 is the best mean of the two.
- `undated` / `gap`: event time. An article's days are its date and the day-dates its
  sentences tell, resolved (dates.py); `gap` is log(1 + the smallest distance in days) when
  both have days, `undated` marks a pair where one has none.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np
import yaml
from scipy import sparse

from audit.align.features import BatchIndex

LEAD_UNITS = 3          # headline plus this many first content sentences make the lead
FIGURE_MIN = 10         # smaller counts are everywhere in news copy
YEARS = (1900, 2100)    # a whole number in this range is read as a year, not a figure


def is_name_key(k: str) -> bool:
    """Entity mentions, phonetic name keys and acronyms: what ties articles to the same actors
    and places (two flood reports from different countries share words, not names)."""
    return k[:1] in ("@", "~") or (k.isupper() and k.isalpha())


@dataclass(frozen=True)
class StoryModel:
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float        # probability at which average-linked articles form one story
    source: str
    lead_gate: int = 0       # pairs whose leads each name at least this many actors and places and
    #                          share none are never one story (0: no gate)

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


@lru_cache(maxsize=1)
def load_model() -> StoryModel:
    raw = yaml.safe_load(resources.files("audit.data").joinpath("story_model.yaml").read_text(encoding="utf-8"))
    feats = tuple(raw["features"])
    coef = tuple(float(raw["coef"][f]) for f in feats)
    return StoryModel(feats, coef, float(raw["intercept"]), float(raw["threshold"]), str(raw.get("trained_on", "")),
                      int(raw.get("lead_gate", 0)))


@dataclass
class DocReps:
    """Every article as rows of matrices (row order = `ids`), built once per batch."""
    ids: list[str]
    tfidf: sparse.csr_matrix      # l2-normalised word 1-2-gram TF-IDF of the content
    lead: sparse.csr_matrix       # the same for the lead (headline + first sentences)
    emb: np.ndarray | None        # unit wordllama vectors, None when unavailable
    names: sparse.csr_matrix      # l2-normalised IDF weights of name keys
    figures: sparse.csr_matrix    # 0/1 figure keys
    days: list[np.ndarray]        # event days (ordinals) per article
    dates: np.ndarray             # article date ordinal, 0 when unknown

    keys: sparse.csr_matrix = None  # l2-normalised sentence-IDF weights of every content key
    lead_names: sparse.csr_matrix = None  # the same as `names`, for the lead only
    day_matrix: np.ndarray = None  # the days as a padded matrix (gaps)

    def __post_init__(self) -> None:
        if self.day_matrix is None:
            self.day_matrix = _day_matrix(self.days)


def build_reps(index: BatchIndex, embeddings: bool = True) -> DocReps:
    """Matrices from the batch index's tokens: the per-token work (names resolved through the
    entity groups, numbers and dates normalised) is already paid, and a key-based TF-IDF reads
    "al-Soudani" and "al-Sudani" as one word. (sklearn's CountVectorizer re-tokenising the text
    for 1-2-grams took 7 s of a 10,000-article batch; here one dict look-up per token, bigrams
    and the name, figure and key matrices in numpy.)"""
    from sklearn.feature_extraction.text import TfidfTransformer
    ids = [d.id for d in index.docs]
    uni: dict[str, int] = {}
    words: dict[str, int] = {}
    seq: list[int] = []          # unigram ids of every sentence, concatenated
    row: list[int] = []          # their article
    cont: list[bool] = []        # the next token is in the same sentence (a bigram starts here)
    lead: list[bool] = []        # in the headline or the first LEAD_UNITS sentences
    emb_rows = _Sparse()
    for n, d in enumerate(ids):
        for k, i in enumerate(index.doc_sents.get(d, [])):
            sent = index.sentences[i]
            ks = [uni.setdefault(x, len(uni)) for x in sent.keys]
            seq += ks
            row += [n] * len(ks)
            cont += [True] * (len(ks) - 1) + [False] if ks else []
            lead += [k <= LEAD_UNITS] * len(ks)       # the headline is the first unit
            if embeddings:
                emb_rows.add(n, [words.setdefault(t.lower, len(words)) for t in sent.tokens
                                 if t.kind == "word" and not t.stop and t.lower])
    counts, lead_counts = _gram_counts(len(ids), len(uni), np.asarray(seq, np.int64),
                                       np.asarray(row, np.int64), np.asarray(cont, bool), np.asarray(lead, bool))
    tt = TfidfTransformer(sublinear_tf=True).fit(counts)
    tfidf = tt.transform(counts).tocsr()
    lead_m = tt.transform(lead_counts).tocsr()
    emb = _embeddings(emb_rows.matrix(len(ids), len(words)), list(words)) if embeddings and words else None
    names, figures, keys = _key_matrices(index, counts[:, :max(1, len(uni))], list(uni))
    lead_names = _key_matrices(index, lead_counts[:, :max(1, len(uni))], list(uni))[0]
    days = [_event_days(index, d) for d in ids]
    dates = np.array([(index.date(d).toordinal() if index.date(d) else 0) for d in ids], dtype=np.int64)
    return DocReps(ids, tfidf, lead_m, emb, names, figures, days, dates, keys, lead_names)


def _gram_counts(n: int, v: int, seq: np.ndarray, row: np.ndarray, cont: np.ndarray,
                 lead: np.ndarray) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(articles x (unigrams + bigrams)) counts of the body and of the lead: unigram ids are
    columns 0..v-1, each distinct adjacent pair within a sentence one more column."""
    at = np.flatnonzero(cont)
    codes = seq[at] * max(v, 1) + seq[at + 1]
    uniq, inv = np.unique(codes, return_inverse=True)
    cols = np.concatenate([seq, v + inv])
    rows = np.concatenate([row, row[at]])
    in_lead = np.concatenate([lead, lead[at]])
    shape = (n, max(1, v + len(uniq)))
    body = sparse.csr_matrix((np.ones(len(cols), np.float32), (rows, cols)), shape=shape)
    head = sparse.csr_matrix((np.ones(int(in_lead.sum()), np.float32), (rows[in_lead], cols[in_lead])), shape=shape)
    body.sum_duplicates()
    head.sum_duplicates()
    return body, head


class _Sparse:
    """Row/column lists for a count matrix, built sentence by sentence."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []

    def add(self, row: int, cols: list[int]) -> None:
        self.rows += [row] * len(cols)
        self.cols += cols

    def matrix(self, n: int, m: int) -> sparse.csr_matrix:
        data = np.ones(len(self.rows), np.float32)
        out = sparse.csr_matrix((data, (self.rows, self.cols)), shape=(n, max(1, m)))
        out.sum_duplicates()
        return out


def _embeddings(counts, words: list[str]) -> np.ndarray | None:
    from audit.align.embed import EmbeddingsUnavailable, doc_embeddings
    try:
        return doc_embeddings(counts, words)
    except EmbeddingsUnavailable:
        return None


def _is_figure(key: str) -> bool:
    if key[:1] != "#":
        return False
    try:
        v = float(key[1:])
    except ValueError:
        return False
    return v >= FIGURE_MIN and not (v == int(v) and YEARS[0] <= v <= YEARS[1])


def _key_matrices(index: BatchIndex, counts: sparse.csr_matrix, keys: list[str]) -> tuple[sparse.csr_matrix, ...]:
    """From the unigram counts: (l2-normalised IDF weights of name keys, 0/1 figure keys,
    l2-normalised IDF weights of all keys) per article. The IDF is the index's sentence-level
    one: a word in every sentence of one story weighs more than its document count says."""
    present = counts.copy()
    present.data[:] = 1.0
    weight = np.array([index.weight(k) for k in keys], np.float32) if keys else np.zeros(1, np.float32)
    name = np.array([is_name_key(k) for k in keys], bool) if keys else np.zeros(1, bool)
    figure = np.array([_is_figure(k) for k in keys], bool) if keys else np.zeros(1, bool)
    weighted = present @ sparse.diags(weight)
    return (_l2(weighted @ sparse.diags(name.astype(np.float32))),
            (present @ sparse.diags(figure.astype(np.float32))).tocsr(), _l2(weighted))


def _l2(m) -> sparse.csr_matrix:
    m = sparse.csr_matrix(m)
    m.eliminate_zeros()
    norm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.where(norm > 0, norm, 1.0)) @ m).tocsr()


def _event_days(index: BatchIndex, doc_id: str) -> np.ndarray:
    """The article's date and the day-grain dates its sentences tell (not "said on Tuesday")."""
    when = index.date(doc_id)
    told = sorted({w.lo for i in index.doc_sents.get(doc_id, []) for w in index.sentences[i].told
                   if w.grain == "day" and w.lo is not None})
    first = [when.toordinal()] if when else []
    return np.array(first + [d for d in told if d not in first], dtype=np.int64)


def _rowdot(m, ia: np.ndarray, ib: np.ndarray, step: int = 20000) -> np.ndarray:
    out = np.zeros(len(ia), np.float64)
    for lo in range(0, len(ia), step):
        sl = slice(lo, lo + step)
        out[sl] = np.asarray(m[ia[sl]].multiply(m[ib[sl]]).sum(axis=1)).ravel()
    return out


MAX_DAYS = 12           # event days kept per article (its date first, then the earliest told)


def _day_matrix(days: list[np.ndarray]) -> np.ndarray:
    """(articles x MAX_DAYS) ordinals, -1 padding: gaps for many pairs in one numpy pass."""
    out = np.full((len(days), MAX_DAYS), -1, np.int64)
    for i, d in enumerate(days):
        d = d[:MAX_DAYS]
        out[i, :len(d)] = d
    return out


def gaps(reps: "DocReps", ia: np.ndarray, ib: np.ndarray, step: int = 50000) -> np.ndarray:
    """Smallest distance in days between the two articles' event days; -1 when one has none."""
    dm = reps.day_matrix
    out = np.full(len(ia), -1.0)
    for lo in range(0, len(ia), step):
        a, b = dm[ia[lo:lo + step]], dm[ib[lo:lo + step]]
        diff = np.abs(a[:, :, None] - b[:, None, :]).astype(np.float64)
        diff[(a[:, :, None] < 0) | (b[:, None, :] < 0)] = np.inf
        best = diff.min(axis=(1, 2))
        out[lo:lo + step] = np.where(np.isinf(best), -1.0, best)
    return out


def pair_features(reps: DocReps, ia: np.ndarray, ib: np.ndarray, names: Sequence[str],
                  lead_gate: int = 1) -> np.ndarray:
    """(pairs x features) in the order of `names` (`lead_gate`: the names each lead needs for
    `lead_apart`)."""
    cols: dict[str, np.ndarray] = {}
    need = set(names)
    if "tfidf" in need:
        cols["tfidf"] = _rowdot(reps.tfidf, ia, ib)
    if "emb" in need:
        cols["emb"] = (np.einsum("ij,ij->i", reps.emb[ia], reps.emb[ib]) if reps.emb is not None
                       else cols.get("tfidf", _rowdot(reps.tfidf, ia, ib)))
    if "names" in need:
        cols["names"] = _rowdot(reps.names, ia, ib)
    if "keys" in need:
        cols["keys"] = _rowdot(reps.keys, ia, ib)
    if need & {"lead_names", "lead_apart"}:
        cols["lead_names"] = _rowdot(reps.lead_names, ia, ib)
        named = np.diff(reps.lead_names.indptr) >= max(1, lead_gate)
        cols["lead_apart"] = (named[ia] & named[ib] & (cols["lead_names"] <= 0)).astype(np.float64)
    if "lead" in need:
        cols["lead"] = np.maximum(_rowdot_cross(reps.lead, reps.tfidf, ia, ib),
                                  _rowdot_cross(reps.lead, reps.tfidf, ib, ia))
    if "figures" in need:
        cols["figures"] = np.log1p(_rowdot(reps.figures, ia, ib))
    if need & {"gap", "undated"}:
        g = gaps(reps, ia, ib)
        cols["undated"] = (g < 0).astype(np.float64)
        cols["gap"] = np.where(g < 0, 0.0, np.log1p(np.maximum(g, 0)))
    return np.column_stack([cols[n] for n in names]) if len(ia) else np.zeros((0, len(names)))


def _rowdot_cross(a, b, ia: np.ndarray, ib: np.ndarray, step: int = 20000) -> np.ndarray:
    out = np.zeros(len(ia), np.float64)
    for lo in range(0, len(ia), step):
        sl = slice(lo, lo + step)
        out[sl] = np.asarray(a[ia[sl]].multiply(b[ib[sl]]).sum(axis=1)).ravel()
    return out


def lead_gated(reps: DocReps, ia: np.ndarray, ib: np.ndarray, p: np.ndarray, model: StoryModel) -> np.ndarray:
    """`p` with the pairs the model's lead gate rules out set to 0."""
    if not model.lead_gate or not len(ia):
        return p
    return np.where(pair_features(reps, ia, ib, ["lead_apart"], model.lead_gate)[:, 0] > 0, 0.0, p)


def date_gap(reps: DocReps, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Days between the articles' own dates; -1 when either is undated."""
    da, db = reps.dates[ia], reps.dates[ib]
    return np.where((da > 0) & (db > 0), np.abs(da - db), -1)



def block_probability(reps: DocReps, rows: Sequence[int], model: "StoryModel") -> np.ndarray:
    """(m x m) same-event probabilities of every pair of `rows`, computed as matrix products
    rather than pair by pair: the same features and model as `pair_features`, for a component
    that average linkage must see whole. Pair by pair, a 1,000-article component (500,000 pairs)
    took 6.4 s CPU; as products, about a second. The diagonal is meaningless."""
    r = np.asarray(rows, np.int64)
    m = len(r)
    z = np.full((m, m), model.intercept, np.float64)
    for name, c in zip(model.features, model.coef):
        if c:
            z += c * _block_feature(reps, r, name)
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
    if model.lead_gate:
        named = np.diff(reps.lead_names.indptr)[r] >= model.lead_gate
        apart = named[:, None] & named[None, :] & (_block_feature(reps, r, "lead_names") <= 0)
        p[apart] = 0.0
    return p


def _dense_dot(a, b) -> np.ndarray:
    out = a @ b.T
    return out.toarray() if hasattr(out, "toarray") else np.asarray(out)


def _block_feature(reps: DocReps, r: np.ndarray, name: str) -> np.ndarray:
    if name == "emb" and reps.emb is not None:
        return reps.emb[r] @ reps.emb[r].T
    if name in ("tfidf", "emb"):
        return _dense_dot(reps.tfidf[r], reps.tfidf[r])
    if name in ("names", "keys", "lead_names"):
        m = {"names": reps.names, "keys": reps.keys, "lead_names": reps.lead_names}[name]
        return _dense_dot(m[r], m[r])
    if name == "lead":
        x = _dense_dot(reps.lead[r], reps.tfidf[r])
        return np.maximum(x, x.T)
    if name == "figures":
        return np.log1p(_dense_dot(reps.figures[r], reps.figures[r]))
    g = block_gaps(reps, r)
    if name == "undated":
        return (g < 0).astype(np.float64)
    if name == "gap":
        return np.where(g < 0, 0.0, np.log1p(np.maximum(g, 0)))
    raise ValueError(f"unknown story feature {name!r}")


def block_gaps(reps: DocReps, r: np.ndarray, budget: int = 4_000_000) -> np.ndarray:
    """(m x m) smallest distance in days between event days, -1 when either has none (`gaps`
    for every pair of a block, in row chunks that keep the broadcast near `budget` cells)."""
    dm = reps.day_matrix[r]
    k = max(1, int((dm >= 0).sum(axis=1).max())) if len(r) else 1
    dm = dm[:, :k].astype(np.float64)
    valid = dm >= 0
    dm[~valid] = np.nan
    m = len(r)
    out = np.empty((m, m))
    step = max(1, budget // max(1, m * k * k))
    for lo in range(0, m, step):
        a = dm[lo:lo + step]
        diff = np.abs(a[:, None, :, None] - dm[None, :, None, :])
        with np.errstate(invalid="ignore"):
            best = np.fmin.reduce(diff.reshape(len(a), m, k * k), axis=2)
        out[lo:lo + step] = np.where(np.isnan(best), -1.0, best)
    return out
