"""Word statistics for names: how common a word is in English (wordfreq's shipped lists), and
the shipped word lists around names (audit/data/name_words.yaml).

A spelling made of words English text uses ("Shia", "Assad") is an established form; one that
wordfreq has never seen ("Qateb") is a candidate for damage. Cached: the same tokens recur.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def name_data() -> dict[str, Any]:
    """audit/data/name_words.yaml, read once: titles, connectors, prefixes..."""
    raw = (resources.files("audit") / "data" / "name_words.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw) or {}


@lru_cache(maxsize=None)
def name_word_list(key: str) -> tuple[str, ...]:
    """One list of name_words.yaml, as written (order kept, case kept)."""
    return tuple(str(w) for w in name_data().get(key) or [])


@lru_cache(maxsize=100_000)
def zipf(word: str, lang: str = "en") -> float:
    """Zipf frequency (0 = unknown) of a lower-cased word."""
    from wordfreq import zipf_frequency
    word = "".join(ch for ch in word.lower() if ch not in "'’ʿʾ`")   # Kata'ib is one word
    try:
        return zipf_frequency(word, lang)
    except LookupError:
        return 0.0


def is_acronym(word: str) -> bool:
    """'PMF', 'IRGC': matched exactly, never fuzzily."""
    return len(word) >= 2 and word.isupper()


def name_zipf(tokens: list[str]) -> float:
    """The rarest token decides how established a spelling is."""
    return min((zipf(t) for t in tokens), default=0.0)
