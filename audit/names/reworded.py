"""A multi-word name the batch agrees on, re-rendered by one outlet with its words moved,
one word slipped, or one word swapped for a thesaurus synonym.

Spinners and careless translation leave every word of an organisation's name English, so no
spelling rule sees the damage: "Progressive Democratic Party" where three outlets write
Democratic Progressive Party (two words swapped), "Unites Socialist Party of Venezuela" (a
letter slip in a common word, which the near-miss rule leaves alone because English knows
"unites"), "Nationwide Unity Government" or "Cabinet Committee on Safety" (a synonym
spinner's swap of one word, audit/data/name_meanings.yaml `spun_words`). The reference is a
name of at least two words that `min_support` other outlets write (a synonym swap needs one
other outlet, the list being evidence of its own) or that the gazetteer lists; the variant
is written by its outlet alone. Not flagged: plural and derived endings (Guard/Guards,
Korea/Korean are both English usage), a vowel changed or dropped (Madani/Medani: a
romanisation choice) and names of fewer than three words moved (two names side by side swap
freely).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from audit.names.meanings import meanings_data
from audit.names.translit import fold, orth
from audit.names.words import name_word_list

MIN_WORD = 4          # shorter words are too easily one letter from another word


@dataclass(frozen=True)
class Reference:
    names: tuple[str, ...]        # as written
    key: str | None               # the result id (batch) or gazetteer entry id holding it
    outlets: frozenset[str]
    listed: bool


@dataclass(frozen=True)
class Reworded:
    ref: Reference
    how: str                      # "order" | "slip" | "synonym"
    word: str                     # the variant's changed word ("" for order)
    ref_word: str


@lru_cache(maxsize=1)
def spun_words() -> dict[str, frozenset[str]]:
    """English name word -> the synonyms spinners put in its place (name_meanings.yaml)."""
    return {str(k).lower(): frozenset(str(w).lower() for w in v)
            for k, v in (meanings_data().get("spun_words") or {}).items()}


def _derived(a: str, b: str) -> bool:
    """One word is the other plus an English ending (Guards, Korean, Organizations)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short):] in name_word_list("derived_suffixes")


def _consonants(word: str) -> str:
    """A vowel changed or dropped is a romanisation choice (Madani/Medani, Massa/Mass at a
    cut), left to the majority rule; a consonant or the letters' order is a slip."""
    return re.sub(r"[aeiouy]", "", fold(word))


def compare(var: tuple[str, ...], ref: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(how, variant word, reference word) when `var` is `ref` re-rendered, else None."""
    if len(var) != len(ref) or len(var) < 2:
        return None
    a, b = [orth(w) for w in var], [orth(w) for w in ref]
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 2 and len(a) >= 3 and diff[1] == diff[0] + 1 \
            and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return "order", "", ""
    spun = spun_words()
    if diff and len(diff) < len(a) and all(a[i] in spun.get(b[i], ()) for i in diff):
        return "synonym", " ".join(var[i] for i in diff), " ".join(ref[i] for i in diff)
    if len(diff) != 1:
        return None
    v, r = a[diff[0]], b[diff[0]]
    if min(len(v), len(r)) >= MIN_WORD and v[0] == r[0] and OSA.distance(v, r) == 1 \
            and _consonants(v) != _consonants(r) and not _derived(v, r):
        return "slip", var[diff[0]], ref[diff[0]]
    return None


class Index:
    """References by length and by each word (a variant shares all but one word, or all)."""

    def __init__(self, refs: list[Reference]):
        self.by_word: dict[tuple[int, str], list[Reference]] = {}
        for r in refs:
            for w in {orth(n) for n in r.names}:
                self.by_word.setdefault((len(r.names), w), []).append(r)

    def find(self, var: tuple[str, ...], own: str, min_support: int) -> Reworded | None:
        seen, hits = set(), []
        for w in {orth(n) for n in var}:
            for r in self.by_word.get((len(var), w), ()):
                if id(r) in seen:
                    continue
                seen.add(id(r))
                got = compare(var, r.names)
                if got is None:
                    continue
                need = 1 if got[0] == "synonym" else min_support
                if r.listed or len(r.outlets - {own}) >= need:
                    hits.append(Reworded(r, *got))
        keys = {h.ref.key for h in hits}
        return hits[0] if len(keys) == 1 else None
