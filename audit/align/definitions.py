"""Definitional statements across outlets: what each says a named actor is.

Background in news copy often defines an actor in passing: "The Islamic Resistance in Iraq, a
network of militias, said ...", "claimed by the Islamic Resistance in Iraq, a network of fighters
from pro-Iran armed groups". Outlets word such a definition their own way and it carries no figure,
so neither the sentence aligner (the rest of the two sentences differs: what was said, by whom,
when) nor the numeric claims (no number) line them up. Here a definition is the appositive or
copular phrase after a name; two outlets' definitions state the same thing when they define the
same name (its normalised keys: entity groups, phonetic keys, so spellings do not matter) and
their words mean the same (cosine of wordllama word vectors, the embeddings stories use; key
overlap after paraphrase folding when the vectors are unavailable). The vocabulary (determiners,
copulas, name connectors, the similarity floor) is data: audit/data/definitions.yaml.

No library extracts appositives without a parser; a dependency parse (spaCy) would cost a model
download and ~5 ms a sentence, where this token pattern costs a pass over the already-built index.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from audit.align.features import BatchIndex, Sentence
from audit.align.normalize import Token
from audit.types import SentRef


@dataclass(frozen=True)
class DefinitionLexicon:
    determiners: frozenset[str]
    copulas: frozenset[str]
    connectors: frozenset[str]
    stops: tuple[str, ...]
    min_words: int
    max_words: int
    min_similarity: float


@lru_cache(maxsize=1)
def load_definitions() -> DefinitionLexicon:
    raw = yaml.safe_load(resources.files("audit.data").joinpath("definitions.yaml").read_text(encoding="utf-8"))
    low = lambda xs: frozenset(str(x).lower() for x in xs)  # noqa: E731
    return DefinitionLexicon(low(raw["determiners"]), low(raw["copulas"]), low(raw["name_connectors"]),
                             tuple(str(x) for x in raw["stops"]), int(raw["min_words"]), int(raw["max_words"]),
                             float(raw["min_similarity"]))


@dataclass
class Definition:
    doc_id: str
    sent: int                   # index.sentences index
    name: frozenset[str]        # content keys of the name
    start: int                  # the name's first character ...
    end: int                    # ... to the definition's last
    words: tuple[str, ...]      # the definition's content words (lower case)
    keys: frozenset[str]        # ... and their keys


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _name_before(text: str, toks: list[Token], j: int, lx: DefinitionLexicon) -> int | None:
    """Index of the first token of the name run ending at token j, or None when j ends no name."""
    if not _is_name_word(toks[j]):
        return None
    i = j
    while i > 0:
        prev, gap = toks[i - 1], _gap(text, toks[i - 1], toks[i])
        if any(c in gap for c in ",.;:()"):
            break
        if _is_name_word(prev):
            i -= 1
        elif prev.lower in lx.connectors and i >= 2 and _is_name_word(toks[i - 2]) \
                and not any(c in _gap(text, toks[i - 2], prev) for c in ",.;:()"):
            i -= 2
        else:
            break
    return i


def _is_name_word(t: Token) -> bool:
    return bool(t.key) and (t.capital or t.kind in ("acr", "ent")) and t.kind != "num"


def _definition_end(text: str, toks: list[Token], j: int, lx: DefinitionLexicon) -> int | None:
    """Index past the last token of the definition opened by the determiner at j."""
    k = j + 1
    while k < len(toks) and not any(s in _gap(text, toks[k - 1], toks[k]) for s in lx.stops):
        k += 1
    words = [t for t in toks[j + 1:k] if t.key and not t.stop]
    return k if lx.min_words <= len(words) <= lx.max_words else None


def extract(index: BatchIndex, sent: Sentence, lx: DefinitionLexicon) -> list[Definition]:
    """Appositive ("NAME, a ...") and copular ("NAME is a ...") definitions of one sentence."""
    text = index.by_id[sent.doc_id].text
    toks = sent.tokens
    out: list[Definition] = []
    for j in range(1, len(toks)):
        if toks[j].lower not in lx.determiners:
            continue
        gap = _gap(text, toks[j - 1], toks[j])
        if "," in gap:
            last = j - 1
        elif toks[j - 1].lower in lx.copulas and j >= 2 and not gap.strip():
            last = j - 2
        else:
            continue
        first = _name_before(text, toks, last, lx)
        end = _definition_end(text, toks, j, lx) if first is not None else None
        if end is None:
            continue
        if any(t.kind in ("date", "num") for t in toks[first:last + 1]):
            continue                                # "Earlier today, a source ...": no name
        name = frozenset(t.key for t in toks[first:last + 1] if t.key and not t.stop)
        body = [t for t in toks[j + 1:end] if t.key and not t.stop]
        if name:
            out.append(Definition(sent.doc_id, sent.idx, name, toks[first].start, toks[end - 1].end,
                                  tuple(t.lower for t in body), frozenset(t.key for t in body)))
    return out


def _vectors(defs: list[Definition]) -> np.ndarray | None:
    from audit.align.embed import EmbeddingsUnavailable, word_vectors
    words = sorted({w for d in defs for w in d.words})
    if not words:
        return None
    try:
        table = word_vectors(words)
    except EmbeddingsUnavailable:
        return None
    pos = {w: i for i, w in enumerate(words)}
    out = np.stack([table[[pos[w] for w in d.words]].sum(axis=0) for d in defs])
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norm > 0, norm, 1.0)


def _similarity(defs: list[Definition], vec: np.ndarray | None, a: int, b: int) -> float:
    """The better of the word-vector cosine and the share of the shorter definition's keys the
    other holds: keys are folded through synonyms.yaml ("consortium" = "network", "armed groups" =
    "militias"), which static vectors of single words miss (0.2 for "a network of militias" and
    "a consortium of mainly Iran-backed Shiite paramilitary groups", key containment 1.0)."""
    ka, kb = defs[a].keys, defs[b].keys
    contained = len(ka & kb) / min(len(ka), len(kb)) if ka and kb else 0.0
    return max(contained, float(vec[a] @ vec[b]) if vec is not None else 0.0)


def definition_groups(index: BatchIndex, doc_ids: list[str], story_id: str,
                      lx: DefinitionLexicon | None = None) -> list[tuple[list[SentRef], list[int], float]]:
    """(members, their sentence indices, mean similarity) of each name defined alike by two or more
    outlets of a unit: every member matches every other (complete link), one member per article."""
    lx = lx or load_definitions()
    defs = [d for doc in doc_ids for i in index.doc_sents.get(doc, [])
            for d in extract(index, index.sentences[i], lx)]
    by_name: dict[frozenset[str], list[int]] = {}
    for n, d in enumerate(defs):
        by_name.setdefault(d.name, []).append(n)
    shared = {k: v for k, v in by_name.items() if len({defs[n].doc_id for n in v}) >= 2}
    if not shared:
        return []
    vec = _vectors(defs)
    # a definition printed by many outlets is compared once per distinct wording (same words and
    # keys score the same against anything): the 995 copies of one story defined its actors
    # alike, and the complete link below compared every pair of them
    kind: dict[tuple, int] = {}
    kinds = [kind.setdefault((d.words, d.keys), n) for n, d in enumerate(defs)]
    known: dict[tuple[int, int], float] = {}

    def sim(a: int, b: int) -> float:
        ka, kb = kinds[a], kinds[b]
        got = known.get((ka, kb))
        if got is None:
            got = known[(ka, kb)] = _similarity(defs, vec, a, b)
        return got
    out = []
    for name in sorted(shared, key=sorted):
        members: list[int] = []
        sims: list[float] = []
        docs: set[str] = set()
        for n in shared[name]:                      # greedy complete link in text order
            if defs[n].doc_id in docs:
                continue
            s = [sim(n, m) for m in members]
            if all(x >= lx.min_similarity for x in s):
                members.append(n)
                docs.add(defs[n].doc_id)
                sims += s
        if len(members) >= 2:
            refs = [SentRef(defs[m].doc_id, defs[m].start, defs[m].end) for m in members]
            out.append((sorted(refs, key=lambda r: (r.doc_id, r.start)), [defs[m].sent for m in members],
                        float(np.mean(sims))))
    return out


def group_id(refs: list[SentRef]) -> str:
    return "group-" + hashlib.sha1(("def|" + "|".join(f"{r.doc_id}:{r.start}" for r in refs)).encode()).hexdigest()[:10]
