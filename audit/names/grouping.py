"""Which mentions name the same entity, across the whole batch.

Cheap candidates first, careful checks second (as in EMM's name matching): mentions are bucketed
by phonetic keys of their tokens (metaphone of the folded token, and of the token read back from
each foreign romanisation), and only pairs that share a bucket are compared. A pair matches when
it has the same number of name tokens, at least one distinctive token matches, and the others
match or differ by one sound (Zurf/Jurf) within limits. Two words English text knows well that
differ beyond romanisation (Hassan/Hussein, Iraq/Iraqi) are never merged: global fuzzy matching
is what merges different people. A lone word needs more: its letters must be close as well as its
sounds (one shared phonetic key makes Café and Kyiv both "KF"), and a word the batch also writes
in lower case ("the café near the port") is a common noun, never another name's spelling.

Order: exact gazetteer forms, gazetteer forms by the pair test, then the remaining mentions
among themselves, then lone surnames ("Prigojine") to the one full name they belong to, when
their article used that full name first (first reference in full, later ones short): "Kivu"
before any "North Kivu" in the article is the lake, not the province.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from audit.names.gazetteer import Form, Gazetteer
from audit.names.mentions import NameMention
from audit.names.translit import (acc_key, close_key, explain, fold, group_keys, orth,
                                  romanisation)
from audit.names.words import is_acronym, zipf


@dataclass(frozen=True)
class MatchSettings:
    known_word_zipf: float = 3.0     # both tokens at least this common: never merged when different
    distinctive_zipf: float = 4.0    # tokens rarer than this can anchor a match
    min_fuzzy: float = 75.0          # rapidfuzz ratio of the folded names for one-sound differences
    near_edits: int = 1              # phonetic-key edits allowed for a one-sound difference
    min_single_ratio: float = 55.0   # rapidfuzz ratio of folded lone words (Fashir/Facher 67,
                                     # Gaddafi/Kadhafi 71; Café/Kyiv 25 share only a sound key)


@dataclass
class Occurrence:
    mention: NameMention
    form: Form | None = None         # the gazetteer form it matched exactly, if any


@dataclass
class Cluster:
    entry_id: str | None             # gazetteer entry, or None for an entity found in the batch
    occs: list[Occurrence] = field(default_factory=list)


def distinctive(tok: str, cfg: MatchSettings) -> bool:
    return (not is_acronym(tok) and orth(tok) not in romanisation().weak_words
            and zipf(tok) < cfg.distinctive_zipf and len(orth(tok)) >= 3)


def _near(a: str, b: str, cfg: MatchSettings) -> bool:
    """One sound apart: phonetic keys (of 3+ letters) or romanisation keys one edit apart."""
    if len(orth(a)) < 4 or len(orth(b)) < 4:
        return False
    if Levenshtein.distance(close_key(a), close_key(b)) <= cfg.near_edits:
        return True
    return any(len(x) >= 3 and len(y) >= 3 and Levenshtein.distance(x, y) <= cfg.near_edits
               for x in group_keys(a) for y in group_keys(b))


def _relation(a: str, b: str, cfg: MatchSettings) -> str | None:
    if orth(a) == orth(b):
        return "same"
    if is_acronym(a) or is_acronym(b):
        return None
    if acc_key(a) == acc_key(b):
        return "equal"
    if group_keys(a) & group_keys(b):
        return "key"
    if _near(a, b, cfg):
        return "near"
    return None


def _allowed_near(n: int) -> int:
    return 0 if n <= 1 else 1 if n <= 3 else 2


@lru_cache(maxsize=200_000)
def names_match(a: tuple[str, ...], b: tuple[str, ...], cfg: MatchSettings) -> bool:
    """Could these two token sequences be spellings of one name?"""
    if len(a) != len(b) or not a:
        return False
    rels = [_relation(x, y, cfg) for x, y in zip(a, b)]
    if None in rels:
        return False
    if len(a) == 1 and rels[0] != "same" \
            and fuzz.ratio(fold(a[0]), fold(b[0])) < cfg.min_single_ratio:
        return False                     # a phonetic key alone does not make a lone word a name
    if not any(r != "near" and (distinctive(x, cfg) or distinctive(y, cfg))
               for r, x, y in zip(rels, a, b)):
        return False
    nears = rels.count("near")
    if nears > _allowed_near(len(a)):
        return False
    if nears and fuzz.ratio(close_key(" ".join(a)), close_key(" ".join(b))) < cfg.min_fuzzy:
        return False
    for r, x, y in zip(rels, a, b):
        if r in ("same", "equal"):
            continue
        if not _compatible(x, y, r, len(a), cfg):
            return False
    return True


def _compatible(x: str, y: str, rel: str, n: int, cfg: MatchSettings) -> bool:
    """Guards against merging different names that happen to sound alike."""
    d = explain(x, y)
    foreign = d.foreign_strength >= 2
    known = zipf(x) >= cfg.known_word_zipf and zipf(y) >= cfg.known_word_zipf
    if known and d.level in ("vowel", "consonant") and not foreign:
        return False                     # Hassan/Hussein, Iraq/Iraqi: two real words
    if n == 1 and d.level in ("vowel", "consonant") and not foreign:
        return False                     # a lone word needs more than a similar sound
    if n == 1 and d.level == "consonant":
        return False                     # ... and a foreign reading must explain all of it
                                         # (Chiva is no French Shifa: f/v is left over)
    if rel == "near" and known:
        return False
    return True


# --- gazetteer ---------------------------------------------------------------------------------

_FORM_INDEX: dict[int, dict[tuple, list[Form]]] = {}


def _form_index(gaz: Gazetteer, cfg: MatchSettings) -> dict[tuple, list[Form]]:
    """Gazetteer forms bucketed like batch spellings: (token count, position, phonetic key)."""
    key = id(gaz)
    if key not in _FORM_INDEX:
        if len(_FORM_INDEX) > 8:
            _FORM_INDEX.clear()
        index: dict[tuple, list[Form]] = {}
        for f in gaz.forms:
            if f.kind not in ("canonical", "alias"):
                continue                 # foreign and bad forms match exactly, never fuzzily
            for i, tok in enumerate(f.names):
                for k in group_keys(tok) | {"=" + acc_key(tok)}:
                    index.setdefault((len(f.names), i, k), []).append(f)
        _FORM_INDEX[key] = index
    return _FORM_INDEX[key]


def _gazetteer_fuzzy(names: tuple[str, ...], gaz: Gazetteer, cfg: MatchSettings) -> Form | None:
    """The gazetteer form this spelling most plausibly is (same token count, pair test)."""
    index = _form_index(gaz, cfg)
    cands: dict[int, Form] = {}
    for i, tok in enumerate(names):
        if not distinctive(tok, cfg):
            continue
        for k in group_keys(tok) | {"=" + acc_key(tok)}:
            for f in index.get((len(names), i, k), []):
                cands[id(f)] = f
    best, best_score = None, -1.0
    for f in cands.values():
        if not names_match(f.names, names, cfg):
            continue
        score = fuzz.ratio(fold(" ".join(f.names)), fold(" ".join(names)))
        if score > best_score:
            best, best_score = f, score
    return best


def resolve(mention: NameMention, text: str, gaz: Gazetteer, cfg: MatchSettings,
            common: frozenset[str] = frozenset()) -> list[tuple[NameMention, Form | None, bool]]:
    """Split a mention into gazetteer matches and left-over names.

    Returns (mention, form, exact): exact gazetteer forms first (the whole mention, then the
    longest sub-span), else a fuzzy gazetteer match of the whole mention, else (mention, None).
    `common`: words (orth) the batch uses as common nouns, matched exactly only.
    """
    names = tuple(mention.names)
    forms = gaz.lookup(names)
    if forms:
        return [(mention, forms[0], True)]
    fuzzy = None if _is_common(names, common) else _gazetteer_fuzzy(names, gaz, cfg)
    if fuzzy is not None:
        return [(mention, fuzzy, False)]
    n = len(names)
    for length in range(n - 1, 0, -1):
        for i in range(0, n - length + 1):
            forms = gaz.lookup(names[i:i + length])
            if not forms:
                continue
            out = [(mention.sub(text, i, i + length), forms[0], True)]
            if i:
                out += resolve(mention.sub(text, 0, i), text, gaz, cfg, common)
            if i + length < n:
                out += resolve(mention.sub(text, i + length, n), text, gaz, cfg, common)
            return out
    return [(mention, None, False)]


# --- the batch ---------------------------------------------------------------------------------

def common_words(mentions: list[NameMention], texts: dict[str, str], cfg: MatchSettings
                 ) -> frozenset[str]:
    """Lone capitalised words that English knows (wordfreq) and the batch also writes in lower
    case: "Café" heading a line beside "the café near the port" is a common noun."""
    lone = {orth(m.names[0]) for m in mentions
            if len(m.names) == 1 and not is_acronym(m.names[0])}
    lone = {w for w in lone if zipf(w) >= cfg.known_word_zipf}
    if not lone:
        return frozenset()
    if all(_WORD_RUN.fullmatch(w) for w in lone):
        # every word is letters and digits only: a match of the alternation below is exactly
        # a whole run of word characters, so the runs are looked up in the set instead (the
        # alternation of every lone word, run over every text, grew with the batch twice over)
        return frozenset(w for t in texts.values() for w in _WORD_RUN.findall(t) if w in lone)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(lone))) + r")(?!\w)")
    return frozenset(m.group(1) for t in texts.values() for m in pattern.finditer(t))


_WORD_RUN = re.compile(r"\w+")


def _is_common(names: tuple[str, ...], common: frozenset[str]) -> bool:
    return len(names) == 1 and orth(names[0]) in common


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def cluster_spellings(spellings: list[tuple[str, ...]], cfg: MatchSettings,
                      common: frozenset[str] = frozenset()) -> list[list[tuple[str, ...]]]:
    """Group distinct spellings (token tuples) that name one entity; a common word joins only
    its own spellings (accents, case)."""
    index: dict[tuple, list[int]] = {}
    for k, sp in enumerate(spellings):
        for i, tok in enumerate(sp):
            if not distinctive(tok, cfg):
                continue
            for key in group_keys(tok) | {"=" + acc_key(tok)}:
                index.setdefault((len(sp), i, key), []).append(k)
    uf = _UnionFind(len(spellings))
    seen: set[tuple[int, int]] = set()
    for bucket in index.values():
        for a, b in combinations(bucket, 2):
            if (a, b) in seen or uf.find(a) == uf.find(b):
                continue
            seen.add((a, b))
            x, y = spellings[a], spellings[b]
            if (_is_common(x, common) or _is_common(y, common)) \
                    and acc_key(" ".join(x)) != acc_key(" ".join(y)):
                continue
            if names_match(x, y, cfg):
                uf.union(a, b)
    groups: dict[int, list[tuple[str, ...]]] = {}
    for k, sp in enumerate(spellings):
        groups.setdefault(uf.find(k), []).append(sp)
    return list(groups.values())


def group_batch(mentions: list[NameMention], texts: dict[str, str], gaz: Gazetteer,
                cfg: MatchSettings, heads: dict[str, tuple[int, int]] | None = None
                ) -> list[Cluster]:
    """All mentions of the batch, grouped into clusters (gazetteer entries first).
    `heads`: each document's headline span (a headline may use a surname before the text)."""
    by_entry: dict[str, Cluster] = {}
    loose: list[NameMention] = []
    common = common_words(mentions, texts, cfg)
    for m in mentions:
        for sub, form, exact in resolve(m, texts[m.doc_id], gaz, cfg, common):
            if form is None:
                loose.append(sub)
                continue
            c = by_entry.setdefault(form.entry_id, Cluster(form.entry_id))
            c.occs.append(Occurrence(sub, form if exact else None))
    keyed: dict[tuple[str, ...], list[NameMention]] = {}
    for m in loose:
        keyed.setdefault(tuple(orth(n) if not is_acronym(n) else n for n in m.names), []).append(m)
    spell_of = {k: tuple(v[0].names) for k, v in keyed.items()}
    by_spelling = {tuple(v[0].names): k for k, v in keyed.items()}
    clusters = list(by_entry.values())
    for grp in cluster_spellings(list(spell_of.values()), cfg, common):
        occs = [Occurrence(m) for sp in grp for m in keyed[by_spelling[sp]]]
        clusters.append(Cluster(None, occs))
    return _link_surnames(clusters, cfg, heads or {})


def _link_surnames(clusters: list[Cluster], cfg: MatchSettings,
                   heads: dict[str, tuple[int, int]]) -> list[Cluster]:
    """Move lone surnames into the one multi-token cluster of the same document whose last
    token they match ("Prigojine" after "Ievgueni Prigojine"). A word that also stands alone
    where no such name is near, or ahead of the full name in its article, keeps its own
    cluster."""
    multi = [(c, _last_tokens(c)) for c in clusters
             if any(len(o.mention.names) > 1 for o in c.occs)]
    index = _LastIndex(multi)
    keep: list[Cluster] = []
    for c in clusters:
        if c.entry_id is not None or any(len(o.mention.names) != 1 for o in c.occs):
            keep.append(c)
            continue
        targets = [_surname_target(o.mention, index, cfg, heads.get(o.mention.doc_id))
                   for o in c.occs]
        if None in targets:          # standing alone somewhere: a name of its own ("Hezbollah")
            keep.append(c)
            continue
        for o, target in zip(c.occs, targets):
            target.occs.append(o)
    return keep


def _token_keys(tok: str) -> frozenset[str]:
    """The keys under which a lone token can match another (same, equal or key relation:
    the only ones names_match accepts for one token)."""
    return group_keys(tok) | {"=" + acc_key(tok)}


class _LastIndex:
    """Multi-token clusters by the keys of their last tokens, so that a lone surname is
    compared with the few names it could end, not with every name of the batch (the pairwise
    scan was quadratic: 2.5 s of a 124-article batch's 8 s)."""

    def __init__(self, multi: list[tuple[Cluster, set[str]]]):
        self.multi = multi
        self.by_key: dict[str, list[int]] = {}
        for i, (_, lasts) in enumerate(multi):
            for last in lasts:
                for k in _token_keys(last):
                    self.by_key.setdefault(k, []).append(i)

    def candidates(self, tok: str) -> list[tuple[Cluster, set[str]]]:
        idx = sorted({i for k in _token_keys(tok) for i in self.by_key.get(k, ())})
        return [self.multi[i] for i in idx]


def _surname_target(m: NameMention, index: _LastIndex, cfg: MatchSettings,
                    head: tuple[int, int] | None = None) -> Cluster | None:
    tok = m.names[0]
    if not distinctive(tok, cfg):
        return None
    hits = [c for c, lasts in index.candidates(tok)
            if any(names_match((last,), (tok,), cfg) for last in lasts)]
    same_doc = [c for c in hits if any(o.mention.doc_id == m.doc_id for o in c.occs)]
    if len(same_doc) != 1:
        return None
    # the article must have introduced the full name first: a tail word before it (the lake
    # "Kivu" ahead of the province "North Kivu") is a name of its own. A headline may run
    # ahead of the text, when no other name of the batch ends in that word.
    earlier = any(o.mention.doc_id == m.doc_id and len(o.mention.names) > 1
                  and o.mention.start < m.start for o in same_doc[0].occs)
    headline = head is not None and head[0] <= m.start < head[1] and len(hits) == 1
    return same_doc[0] if earlier or headline else None


def _last_tokens(c: Cluster) -> set[str]:
    return {o.mention.names[-1] for o in c.occs if len(o.mention.names) > 1}
