"""Slavic adjectival forms of place names: "Kakhovskaya HPP" for Kakhovka HPP.

Russian and Ukrainian make an adjective of a place name (Kakhovka -> Kakhovskaya, Kakhovska;
Sudzha -> Sudzhansky) and their press keeps it before "district", "reservoir" or "HPP"; English
copy writes the noun. Word statistics cannot see this (neither form is an English word) and the
romanisation rules compare letters, not word formation, so this look asks the batch: a name
token with an adjectival ending (romanisation.yaml `adjective_endings`) whose stem, with or
without a linking syllable (-an-, -ov-), begins a place token at least `min_outlets` other
outlets write, that token at most two letters longer than the stem and not itself adjectival.
Surnames of the same shape (Zelensky, Trotsky) find no such token in a batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import re

import yaml

from audit.names.translit import orth
from audit.names.words import zipf

MIN_STEM = 4
MAX_EXTRA = 2           # letters the noun has beyond the stem (Kakhov|ka, Sudzh|a)
MAX_ZIPF = 2.0          # an adjective English text knows (Kandinsky) is left alone


@dataclass(frozen=True)
class AdjHit:
    index: int          # token index in the mention's names
    token: str          # as written
    noun: str           # the token other outlets write
    lang: str
    ending: str
    outlets: int


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    raw = yaml.safe_load((resources.files("audit") / "data" / "romanisation.yaml")
                         .read_text(encoding="utf-8"))
    ends = [(e, lang) for lang, es in (raw.get("adjective_endings") or {}).items() for e in es]
    ends.sort(key=lambda x: -len(x[0]))
    return tuple(ends), tuple(raw.get("adjective_links") or [])


@lru_cache(maxsize=1)
def _ending_re() -> re.Pattern:
    ends = "|".join(re.escape(e) for e, _ in _rules()[0])
    return re.compile(rf"^.{{{MIN_STEM},}}(?:{ends})$")


def is_adjectival(tok: str) -> bool:
    return _ending_re().match(orth(tok)) is not None


def _stems(tok: str) -> list[tuple[str, str, str]]:
    """(stem, ending, language) readings of an adjectival token, the ending longest first."""
    t = orth(tok)
    if _ending_re().match(t) is None:
        return []
    ends, links = _rules()
    for e, lang in ends:
        if t.endswith(e) and len(t) - len(e) >= MIN_STEM:
            stem = t[:-len(e)]
            out = [(stem, e, lang)]
            out += [(stem[:-len(k)], e, lang) for k in links
                    if stem.endswith(k) and len(stem) - len(k) >= MIN_STEM]
            return out
    return []


class NounIndex:
    """Place tokens the batch writes, by their first MIN_STEM letters."""

    def __init__(self, writers: dict[str, set[str]], min_outlets: int):
        self.writers, self.min_outlets = writers, min_outlets
        self.by_head: dict[str, list[str]] = {}
        for tok in writers:
            if tok.isalpha() and not is_adjectival(tok):
                self.by_head.setdefault(tok[:MIN_STEM], []).append(tok)

    def noun_for(self, tok: str, own: str) -> tuple[str, str, str, int] | None:
        """(noun, ending, language, outlets) when exactly one written noun fits a stem."""
        for stem, ending, lang in _stems(tok):
            found = [n for n in self.by_head.get(stem[:MIN_STEM], ())
                     if n.startswith(stem) and 0 < len(n) - len(stem) <= MAX_EXTRA
                     and len(self.writers[n] - {own}) >= self.min_outlets]
            if len(found) == 1:
                return found[0], ending, lang, len(self.writers[found[0]] - {own})
        return None


def find(names: tuple[str, ...], own: str, index: NounIndex) -> AdjHit | None:
    """The mention's first word, when it is adjectival and other outlets write it as a noun.
    Only the first: after another name word the adjective is part of the place's own name,
    which English keeps (Petropavlovsk-Kamchatsky, the city on Kamchatka)."""
    if not names or zipf(names[0]) >= MAX_ZIPF:
        return None
    got = index.noun_for(names[0], own)
    if got is None:
        return None
    noun, ending, lang, n = got
    return AdjHit(0, names[0], noun, lang, ending, n)
