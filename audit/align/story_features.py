"""Event-level pair features for story grouping, and the calibrated model that weighs them.

Two articles tell one event when they say the same things about the same actors at the same
time. Each signal below is one feature; a logistic regression calibrated on the real-copy
development corpus (split by event; `bench/calibrate_stories.py`) weighs them, and its weights
are data (`audit/data/story_model.yaml`), not code:

- `tfidf`: cosine of word 1-2-gram TF-IDF over the content sentences (the plain baseline: 0.96
  B-cubed F1 alone on the dev fold at its best threshold, but no threshold suits every batch);
- `emb`: cosine of wordllama static embeddings (embed.py), which still matches paraphrased and
  translated copy that shares few exact words;
- `names`: IDF-weighted cosine of the name keys (entity groups, so "al-Soudani" = "al-Sudani",
  phonetic keys, acronyms): people, places and groups;
- `lead`: how well one article's headline and first sentences are covered by the other's text
  (the lead tells the event; background paragraphs are shared by a whole conflict);
- `figures`: shared figures of ten or more (not years), log(1 + count);
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

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


@lru_cache(maxsize=1)
def load_model() -> StoryModel:
    raw = yaml.safe_load(resources.files("audit.data").joinpath("story_model.yaml").read_text(encoding="utf-8"))
    feats = tuple(raw["features"])
    coef = tuple(float(raw["coef"][f]) for f in feats)
    return StoryModel(feats, coef, float(raw["intercept"]), float(raw["threshold"]), str(raw.get("trained_on", "")))


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

    @property
    def row(self) -> dict[str, int]:
        return {d: n for n, d in enumerate(self.ids)}


def build_reps(index: BatchIndex, embeddings: bool = True) -> DocReps:
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    ids = [d.id for d in index.docs]
    texts = [_content(index, d) for d in ids]
    leads = [_lead(index, d) for d in ids]
    cv = CountVectorizer(ngram_range=(1, 2), stop_words="english", dtype=np.float32)
    try:
        counts = cv.fit_transform(texts)
    except ValueError:                       # no word at all in the batch
        counts = sparse.csr_matrix((len(ids), 1), dtype=np.float32)
        cv = None
    tt = TfidfTransformer(sublinear_tf=True).fit(counts)
    tfidf = tt.transform(counts).tocsr()
    lead = tt.transform(cv.transform(leads)).tocsr() if cv is not None else tfidf
    emb = _embeddings(counts, cv) if embeddings and cv is not None else None
    names = _key_matrix(index, ids, lambda k: is_name_key(k), weighted=True)
    figures = _key_matrix(index, ids, _is_figure, weighted=False)
    days = [_event_days(index, d) for d in ids]
    dates = np.array([(index.date(d).toordinal() if index.date(d) else 0) for d in ids], dtype=np.int64)
    return DocReps(ids, tfidf, lead, emb, names, figures, days, dates)


def _content(index: BatchIndex, doc_id: str) -> str:
    text = index.by_id[doc_id].text
    return "\n".join(text[index.sentences[i].span.start:index.sentences[i].span.end]
                     for i in index.doc_sents.get(doc_id, []))


def _lead(index: BatchIndex, doc_id: str) -> str:
    doc = index.by_id[doc_id]
    first = index.doc_sents.get(doc_id, [])[:LEAD_UNITS]
    return "\n".join([doc.title or "", *(doc.text[index.sentences[i].span.start:index.sentences[i].span.end]
                                         for i in first)])


def _embeddings(counts, cv) -> np.ndarray | None:
    from audit.align.embed import EmbeddingsUnavailable, doc_embeddings
    vocab = cv.get_feature_names_out()
    uni = np.flatnonzero(np.char.find(vocab.astype(str), " ") < 0)
    try:
        return doc_embeddings(counts[:, uni], [str(w) for w in vocab[uni]])
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


def _key_matrix(index: BatchIndex, ids: list[str], keep, weighted: bool) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    r, c, w = [], [], []
    for n, d in enumerate(ids):
        keys = {k for i in index.doc_sents.get(d, []) for k in index.sentences[i].keyset if keep(k)}
        for k in keys:
            r.append(n)
            c.append(vocab.setdefault(k, len(vocab)))
            w.append(index.weight(k) if weighted else 1.0)
    m = sparse.csr_matrix((np.asarray(w, np.float32), (r, c)), shape=(len(ids), max(1, len(vocab))))
    if weighted:
        norm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        m = sparse.diags(1.0 / np.where(norm > 0, norm, 1.0)) @ m
    return m.tocsr()


def _event_days(index: BatchIndex, doc_id: str) -> np.ndarray:
    """The article's date and the day-grain dates its sentences tell (not "said on Tuesday")."""
    out = set()
    when = index.date(doc_id)
    if when:
        out.add(when.toordinal())
    for i in index.doc_sents.get(doc_id, []):
        for w in index.sentences[i].told:
            if w.grain == "day" and w.lo is not None:
                out.add(w.lo)
    return np.array(sorted(out), dtype=np.int64)


def _rowdot(m, ia: np.ndarray, ib: np.ndarray, step: int = 20000) -> np.ndarray:
    out = np.zeros(len(ia), np.float64)
    for lo in range(0, len(ia), step):
        sl = slice(lo, lo + step)
        out[sl] = np.asarray(m[ia[sl]].multiply(m[ib[sl]]).sum(axis=1)).ravel()
    return out


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return -1.0
    j = np.clip(np.searchsorted(b, a), 1, len(b) - 1) if len(b) > 1 else np.zeros(len(a), int)
    near = np.minimum(np.abs(a - b[j]), np.abs(a - b[j - 1]) if len(b) > 1 else np.abs(a - b[j]))
    return float(near.min())


def pair_features(reps: DocReps, ia: np.ndarray, ib: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """(pairs x features) in the order of `names`."""
    cols: dict[str, np.ndarray] = {}
    need = set(names)
    if "tfidf" in need:
        cols["tfidf"] = _rowdot(reps.tfidf, ia, ib)
    if "emb" in need:
        cols["emb"] = (np.einsum("ij,ij->i", reps.emb[ia], reps.emb[ib]) if reps.emb is not None
                       else cols.get("tfidf", _rowdot(reps.tfidf, ia, ib)))
    if "names" in need:
        cols["names"] = _rowdot(reps.names, ia, ib)
    if "lead" in need:
        cols["lead"] = np.maximum(_rowdot_cross(reps.lead, reps.tfidf, ia, ib),
                                  _rowdot_cross(reps.lead, reps.tfidf, ib, ia))
    if "figures" in need:
        cols["figures"] = np.log1p(_rowdot(reps.figures, ia, ib))
    if need & {"gap", "undated"}:
        g = np.array([_gap(reps.days[a], reps.days[b]) for a, b in zip(ia.tolist(), ib.tolist())])
        cols["undated"] = (g < 0).astype(np.float64)
        cols["gap"] = np.where(g < 0, 0.0, np.log1p(np.maximum(g, 0)))
    return np.column_stack([cols[n] for n in names]) if len(ia) else np.zeros((0, len(names)))


def _rowdot_cross(a, b, ia: np.ndarray, ib: np.ndarray, step: int = 20000) -> np.ndarray:
    out = np.zeros(len(ia), np.float64)
    for lo in range(0, len(ia), step):
        sl = slice(lo, lo + step)
        out[sl] = np.asarray(a[ia[sl]].multiply(b[ib[sl]]).sum(axis=1)).ravel()
    return out


def date_gap(reps: DocReps, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Days between the articles' own dates; -1 when either is undated."""
    da, db = reps.dates[ia], reps.dates[ib]
    return np.where((da > 0) & (db > 0), np.abs(da - db), -1)

