"""How a document's rare words look and which languages know them: two per-language features
of the provenance model (audit/provenance_features.py reads them) that need no list of names.

- `name_shape`: names in translated copy follow the source language's romanisation ("Bazoum",
  "Chaabi": French ou/ch; "Shoigu", "Peskov": Russian -ov/sh; "Zhengzhou": pinyin). For each
  name unknown to English, a character-trigram model per language (trained by
  scripts/train_provenance.py on wordfreq's top words of that language, folded to ASCII with
  anyascii, so Cyrillic, Chinese, Korean, Devanagari lists give their romanisations) says which
  language's spelling it fits best; each name gives a soft vote (softmax over languages). Held
  out on the real-text folds, its best language alone is the source for 45 of 165 translated
  articles, and it knows names no data file lists.
- `lexicon`: words English does not use (zipf < 2.5) that another language's word list knows
  ("Generalitat", "Carabinieri", "Bundestag", "sinistrés"), shared between the languages that
  know each one. Alone it names the source of 37 of 165 (Spanish 12 of 22, German 7 of 10).

The trigram tables are data (audit/data/provenance_names.json); the counting is written by hand:
a trigram model is twenty lines and no installed library ships one for romanised names.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

from anyascii import anyascii

DATA = "provenance_names.json"
LEXICON_LANGS = ("fr", "es", "de", "it", "pt", "nl", "tr", "pl", "id")   # lists residue loads anyway
SHARPNESS = 5.0        # softmax over mean log-probabilities per trigram (nats): a name's vote
RARE_ZIPF = 2.5        # rarer than this in English: a name or a foreign word
_LETTERS = re.compile(r"[^a-z]")


@lru_cache(maxsize=1)
def tables() -> dict[str, tuple[dict[str, int], dict[str, int]]] | None:
    """language -> (trigram counts, bigram-context counts); None when the data file is absent."""
    path = resources.files("audit") / "data" / DATA
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for lang, tri in raw["trigrams"].items():
        ctx: dict[str, int] = {}
        for t, n in tri.items():
            ctx[t[:2]] = ctx.get(t[:2], 0) + n
        out[lang] = (tri, ctx)
    return out


def fold(word: str) -> str:
    """The word as lower-case ASCII letters ("Erdoğan" -> "erdogan")."""
    return _LETTERS.sub("", anyascii(word).lower())


def _logp(tri: dict[str, int], ctx: dict[str, int], word: str) -> float:
    s = "^" + word + "$"
    total = 0.0
    for i in range(len(s) - 2):
        total += math.log((tri.get(s[i:i + 3], 0) + 0.1) / (ctx.get(s[i:i + 2], 0) + 2.7))
    return total / max(len(s) - 2, 1)


@lru_cache(maxsize=50_000)
def shape_votes(word: str) -> tuple[tuple[str, float], ...]:
    """(language, share) of one name's spelling over the languages of the tables, English
    included (a name English spells its own way votes English, which no source counts)."""
    t = tables()
    folded = fold(word)
    if not t or len(folded) < 3:
        return ()
    lps = {lang: _logp(tri, ctx, folded) for lang, (tri, ctx) in t.items()}
    top = max(lps.values())
    weights = {lang: math.exp(SHARPNESS * (v - top)) for lang, v in lps.items()}
    z = sum(weights.values())
    return tuple((lang, w / z) for lang, w in weights.items() if w / z >= 0.01)


def build(langs: list[str], top_n: int = 30_000, min_count: int = 2) -> dict:
    """The trigram tables from wordfreq's lists (scripts/train_provenance.py --names writes them)."""
    import wordfreq
    out = {}
    for lang in langs:
        counts: dict[str, int] = {}
        for w in wordfreq.top_n_list(lang, top_n):
            a = fold(w)
            if len(a) < 3:
                continue
            s = "^" + a + "$"
            for i in range(len(s) - 2):
                counts[s[i:i + 3]] = counts.get(s[i:i + 3], 0) + 1
        out[lang] = {t: n for t, n in sorted(counts.items()) if n >= min_count}
    return {"about": f"character trigrams of wordfreq's top {top_n} words per language, folded to "
                     "ASCII by anyascii (audit/provenance_names.py); counts below "
                     f"{min_count} dropped", "trigrams": out}
