"""Repeated lines inside one article: a paragraph (or the title) printed again, exactly or
nearly, is a scraping artefact; the first occurrence stays content, later ones are noise.

Fuzzy comparison is all-pairs but only inside one document (rapidfuzz, C speed); across the
batch only exact hashes are used (see batch.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]]*\s*$")      # a paragraph, not a breadcrumb


def normalise(text: str) -> str:
    """Case, punctuation and spacing do not make a line different; digits do."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


@dataclass
class Repeat:
    index: int            # the later line
    of: int               # the first occurrence
    similarity: float     # 100 = identical after normalising
    title: bool           # it repeats the title
    contained: bool = False   # it is part of the earlier line, printed again on its own


def find_repeats(texts: list[str], title: int | None, min_chars: int, min_similarity: float
                 ) -> tuple[list[Repeat], set[int]]:
    """Long repeats (duplicates) and the indexes of short lines printed more than once.

    A repeat of the title counts at any length; other lines need `min_chars` normalised
    characters to be called duplicates, since short lines (labels, a site name) repeat as chrome.
    """
    norms = [normalise(t) for t in texts]
    first: dict[str, int] = {}
    repeats: list[Repeat] = []
    short_seen: dict[str, list[int]] = {}
    long_earlier: list[int] = []
    for i, n in enumerate(norms):
        if not n:
            continue
        is_title_repeat = title is not None and i > title and n == norms[title]
        if is_title_repeat:
            repeats.append(Repeat(i, title, 100.0, True))
            continue
        if len(n) < min_chars:
            short_seen.setdefault(n, []).append(i)
            continue
        if n in first:
            repeats.append(Repeat(i, first[n], 100.0, False))
            continue
        near = _nearest(n, norms, long_earlier, min_similarity)
        if near is not None:
            repeats.append(Repeat(i, near[0], near[1], False))
            continue
        inside = None if i == title else next(
            (j for j in long_earlier if len(norms[j]) > len(n) and n in norms[j]
             and _SENTENCE_END.search(texts[j])), None)
        if inside is not None:      # a sentence of an earlier paragraph printed again alone
            repeats.append(Repeat(i, inside, 100.0, False, contained=True))
            continue
        if title is not None and i > title and len(norms[title]) >= min_chars // 2:
            sim = fuzz.ratio(n, norms[title])
            if sim >= min_similarity:
                repeats.append(Repeat(i, title, round(sim, 1), True))
                continue
        first[n] = i
        long_earlier.append(i)
    short_rep = {i for idx in short_seen.values() if len(idx) > 1 for i in idx}
    return repeats, short_rep


def _nearest(n: str, norms: list[str], earlier: list[int], cutoff: float
             ) -> tuple[int, float] | None:
    best: tuple[int, float] | None = None
    for j in earlier:
        m = norms[j]
        if min(len(m), len(n)) < cutoff / 100 * max(len(m), len(n)):
            continue      # lengths too different to reach the cutoff
        sim = fuzz.ratio(n, m, score_cutoff=cutoff)
        if sim and (best is None or sim > best[1]):
            best = (j, round(sim, 1))
    return best
