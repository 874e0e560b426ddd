"""The batch, normalised once: content sentences with token keys, and word weights.

Every later step (stories, sentence groups, claims, diffs) reads this index instead of
re-tokenising, so the per-token work is paid once per batch.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

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


@dataclass
class BatchIndex:
    docs: list[Document]
    by_id: dict[str, Document]
    sentences: list[Sentence]
    doc_sents: dict[str, list[int]]       # doc id -> sentence indices, in text order
    idf: dict[str, float]                 # sentence-level inverse document frequency
    surfaces: dict[str, str] = field(default_factory=dict)  # key -> most common surface (labels)
    time_words: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.max_idf = math.log(len(self.sentences) + 2)

    def weight(self, key: str) -> float:
        return self.idf.get(key, self.max_idf)

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
            s = Sentence(len(sentences), doc.id, span, toks, keys, frozenset(keys))
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
    return BatchIndex(docs, {d.id: d for d in docs}, sentences, doc_sents, idf, surfaces, lexicon.time_words)


def parse_date(value: str | None) -> date | None:
    """ISO date or datetime (what ingest writes) -> date; anything else -> None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
