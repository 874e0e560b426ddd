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
    events: frozenset[str] = frozenset()   # event words, when the sentence reports an event (event_keys)
    told: tuple[When, ...] = ()            # the dates of what it tells (not "said on Tuesday": told_dates)


@dataclass
class BatchIndex:
    docs: list[Document]
    by_id: dict[str, Document]
    sentences: list[Sentence]
    doc_sents: dict[str, list[int]]       # doc id -> sentence indices, in text order
    idf: dict[str, float]                 # sentence-level inverse document frequency
    surfaces: dict[str, str] = field(default_factory=dict)  # key -> most common surface (labels)
    # keys that say who, where or when, not what: names, dates and small counts anywhere in the
    # batch, attribution and title words ("said", "official"), light verbs ("conducted"); the rest
    # of a sentence (its words and its figures) is its predicate
    not_predicate: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.max_idf = math.log(len(self.sentences) + 2)
        self._mass: dict[int, float] = {}

    def weight(self, key: str) -> float:
        return self.idf.get(key, self.max_idf)

    def predicate_weight(self, shared: frozenset[str]) -> float:
        """Weight of the predicate words among shared keys: what two sentences say alike, beyond
        sharing a subject ("the prime minister said") or a date."""
        return math.fsum(self.weight(k) for k in shared if k not in self.not_predicate)

    def mass(self, sent: Sentence) -> float:
        """Total weight of a sentence's keys (kept: similarity needs it for every pair)."""
        m = self._mass.get(sent.idx)
        if m is None:
            m = self._mass[sent.idx] = math.fsum(self.weight(k) for k in sent.keyset)
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
            keyset = frozenset(keys)
            s = Sentence(len(sentences), doc.id, span, toks, keys, keyset,
                         tuple(t.when for t in toks if t.when is not None), anchor_keys(toks),
                         event_keys(keyset, lexicon), told_dates(toks, lexicon, doc.dateline))
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
    # a key is a name when most sentences holding it hold it as one ("Rescue teams" opening a
    # lead is capitalised; "rescue teams" elsewhere is not)
    named = Counter(k for s in sentences for k in s.anchors)
    names = frozenset(k for k, c in named.items() if 2 * c >= df[k] and not _figure(k))
    not_predicate = names | lexicon.frame | lexicon.light
    return BatchIndex(docs, {d.id: d for d in docs}, sentences, doc_sents, idf, surfaces, not_predicate)


FIGURE_MIN = 10    # a count below ten ("two officials", "three days") is everywhere in news copy


def _figure(key: str) -> bool:
    """A number key big enough to be what a sentence states ("#2500"), not a passing count."""
    if key[:1] != "#":
        return False
    try:
        return float(key[1:]) >= FIGURE_MIN
    except ValueError:
        return False


def event_keys(keyset: frozenset[str], lexicon: Lexicon) -> frozenset[str]:
    """The event words of a sentence that reports an event; none when a habitual word marks it
    as background ("militias have long attacked US bases")."""
    if keyset & lexicon.habitual:
        return frozenset()
    return keyset & lexicon.events


def told_dates(toks: list[Token], lexicon: Lexicon, dateline: Span | None = None) -> tuple[When, ...]:
    """The dates of what a sentence tells. A date on the attribution ("officials said on
    Tuesday") dates the saying, and a dateline's date the dispatch: neither dates the event,
    which is then dated by its article, like an undated one."""
    return tuple(t.when for n, t in enumerate(toks)
                 if t.when is not None and not _on_attribution(toks, n, lexicon)
                 and not (dateline and dateline.start <= t.start < dateline.end))


def _on_attribution(toks: list[Token], n: int, lexicon: Lexicon) -> bool:
    """Is the date at toks[n] the date of a statement: next to an attribution word, with at most
    one stop word between ("said on Tuesday", "an official on Friday said")?"""
    for step in (-1, 1):
        k, skipped = n + step, 0
        while 0 <= k < len(toks) and toks[k].stop and skipped < 1:
            k, skipped = k + step, skipped + 1
        if 0 <= k < len(toks) and toks[k].key in lexicon.frame:
            return True
    return False


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
