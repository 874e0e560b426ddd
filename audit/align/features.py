"""The batch, normalised once: content sentences with token keys, and word weights.

Every later step (stories, sentence groups, claims, diffs) reads this index instead of
re-tokenising, so the per-token work is paid once per batch.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from audit.align.dates import When, parse_date
from audit.align.normalize import Lexicon, Normalizer, Token, content_keys
from audit.types import Document, EntityGroup, Span


ENTITY_WORD_BONUS = 0.5


@dataclass
class Sentence:
    idx: int
    doc_id: str
    span: Span
    tokens: list[Token]
    keys: list[str]                       # content keys in text order
    keyset: frozenset[str] = frozenset()
    when: tuple[When, ...] = ()           # the dates the sentence gives, resolved (dates.py)
    anchors: frozenset[str] = frozenset()  # keys of names, numbers and dates: what pins down one event


@dataclass
class BatchIndex:
    docs: list[Document]
    by_id: dict[str, Document]
    sentences: list[Sentence]
    doc_sents: dict[str, list[int]]       # doc id -> sentence indices, in text order
    idf: dict[str, float]                 # sentence-level inverse document frequency
    surfaces: dict[str, str] = field(default_factory=dict)  # key -> most common surface (labels)

    def __post_init__(self) -> None:
        self.max_idf = math.log(len(self.sentences) + 2)
        self._mass: dict[int, float] = {}

    def weight(self, key: str) -> float:
        return self.idf.get(key, self.max_idf)

    def mass(self, sent: Sentence) -> float:
        """Total weight of a sentence's keys (kept: similarity needs it for every pair)."""
        m = self._mass.get(sent.idx)
        if m is None:
            m = self._mass[sent.idx] = sum(self.weight(k) for k in sent.keyset)
        return m

    def date(self, doc_id: str) -> date | None:
        return parse_date(self.by_id[doc_id].date)


def build_index(docs: list[Document], entities: list[EntityGroup], lexicon: Lexicon) -> BatchIndex:
    norm = Normalizer(docs, entities, lexicon)
    sentences: list[Sentence] = []
    doc_sents: dict[str, list[int]] = {}
    surf: dict[str, Counter] = {}
    for doc in docs:
        ids = doc_sents.setdefault(doc.id, [])
        for span in norm.units(doc):
            toks = norm.tokens(doc, span)
            keys = content_keys(toks)
            s = Sentence(len(sentences), doc.id, span, toks, keys, frozenset(keys),
                         tuple(t.when for t in toks if t.when is not None), anchor_keys(toks))
            sentences.append(s)
            ids.append(s.idx)
            for t in toks:
                if t.key and not t.stop and t.kind in ("ent", "word", "acr"):
                    surf.setdefault(t.key, Counter())[t.surface] += 1
    df = Counter(k for s in sentences for k in s.keyset)
    n = len(sentences)
    idf = {k: math.log((n + 1) / (c + 0.5)) for k, c in df.items()}
    # A multi-word name folded into one entity token ("Ain al-Asad") keeps part of the weight its
    # words had as separate tokens, so resolving entities does not make names count for less.
    for g in entities:
        words = max((len(re.findall(r"\w+", m.text)) for m in g.mentions), default=1)
        key = "@" + g.id
        if key in idf and words > 1:
            idf[key] *= 1 + ENTITY_WORD_BONUS * (min(words, 4) - 1)
    surfaces = {k: c.most_common(1)[0][0] for k, c in surf.items()}
    return BatchIndex(docs, {d.id: d for d in docs}, sentences, doc_sents, idf, surfaces)


def anchor_keys(toks: list[Token]) -> frozenset[str]:
    """Names (entity mentions, acronyms, phonetic name keys), numbers and dates of a sentence."""
    out: set[str] = set()
    for t in toks:
        if not t.key or t.stop:
            continue
        if t.anchor or t.kind in ("ent", "acr", "num", "date", "dec") or t.key[:1] in ("~", "@"):
            out.add(t.key)
            out.update(t.extra)
    return frozenset(out)
