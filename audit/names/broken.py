"""Names broken apart by a space, a hyphen, a quote mark or a possessive.

Scrapers and machine translation cut names where no editor would: "Hezb ollah" and
"Kahraman-maras" (a space or hyphen mid-word), Kata"ib (a quote mark inside the word),
"Asaib Ahl's al-Haq" or Kataib "Hezbollah" (a possessive or quotes between the words of one
name). Mention finding stops at each of these, so the pieces never look like the name. Here each
document's text is read once:

  mid-word   two adjacent word pieces, the first capitalised, joined by a space, a hyphen or a
             quote mark, whose letters together are a name token the gazetteer lists or enough
             outlets write, while the pieces are not both name tokens in their own right (Amir
             and Abdollahian are, so "Amir-Abdollahian" is not broken);
  between    two mentions of one line separated only by a possessive and/or quote marks whose
             name tokens together are a listed form or a spelling enough outlets write.

Linear in the words of the text; a hash lookup per adjacent pair.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from audit.names.translit import collapse_doubles, fold, orth
from audit.names.words import zipf

_PIECE = re.compile(r"[^\W\d_]+")
_JOINS = {" ": "space", "-": "hyphen", "\u00ad": "hyphen", "- ": "hyphen", " -": "hyphen",
          '"': "quote", "“": "quote", "”": "quote", "„": "quote"}
_BETWEEN = re.compile(r"^(?:['’]s)?\s*[\"“”„«»'‘’]*\s*[\"“”„«»'‘’]?\s*$")
MIN_JOINED = 5
COMMON = 3.0          # a piece this common in English is a word, not half a name ...
                      # ... unless the joined token is listed or supported


@dataclass(frozen=True)
class Broken:
    doc_id: str
    start: int
    end: int
    text: str
    key: str          # the known token (or tokens) the pieces make
    how: str          # space | hyphen | quote | possessive | quotes


def key(tok: str) -> str:
    return collapse_doubles(fold(tok).replace(" ", ""))


def mid_word(doc_id: str, text: str, lines: Iterable[tuple[int, int]], known: set[str],
             tokens: set[str]) -> list[Broken]:
    """Pieces of one known token. `known`: keys of listed or supported tokens; `tokens`: orth
    of every name token the batch or gazetteer knows (pieces that are names stay apart)."""
    out = []
    for lo, hi in lines:
        pieces = list(_PIECE.finditer(text, lo, hi))
        for a, b in zip(pieces, pieces[1:]):
            gap = text[a.end():b.start()]
            how = _JOINS.get(gap)
            if how is None or not a.group()[:1].isupper():
                continue
            if how == "space" and b.group()[:1].isupper():
                continue             # two capitalised words: mention grouping sees them
            joined = key(a.group() + b.group())
            if len(joined) < MIN_JOINED or joined not in known:
                continue
            if orth(a.group()) in tokens and orth(b.group()) in tokens:
                continue
            if how == "space" and zipf(b.group()) >= COMMON:
                continue             # "Adiyaman province" is no split; "Adi yaman" is
            out.append(Broken(doc_id, a.start(), b.end(), text[a.start():b.end()], joined, how))
    return out


def between(mentions: list, text: str, is_known: Callable[[tuple[str, ...]], str | None]
            ) -> list[Broken]:
    """Two mentions of one name split by a possessive or quote marks (one document's mentions
    in text order). `is_known(names)`: the known form those tokens make, or None."""
    out = []
    for m1, m2 in zip(mentions, mentions[1:]):
        gap = text[m1.end:m2.start]
        if not gap or "\n" in gap or not _BETWEEN.match(gap) or gap.isspace():
            continue
        if not any(ch in gap for ch in "\"“”„«»'‘’"):
            continue
        if _paired(text, m1, m2, gap):
            continue             # PMC “Wagner”: a quoted word, a house style (Russian «...»)
        names = tuple(m1.names) + tuple(m2.names)
        got = is_known(names)
        if got is None:
            continue
        how = "possessive" if re.match(r"['’]s", gap) else "quotes"
        out.append(Broken(m1.doc_id, m1.start, m2.end, text[m1.start:m2.end], got, how))
    return out


_OPEN, _CLOSE = "“\"„«‘'", "”\"»’'"


def _paired(text: str, m1, m2, gap: str) -> bool:
    """Quote marks in the gap that pair with one just outside the two mentions."""
    g = gap.strip()
    after = text[m2.end:m2.end + 1]
    before = text[max(0, m1.start - 1):m1.start]
    return (g[-1:] in _OPEN and after in _CLOSE) or (g[:1] in _CLOSE and before in _OPEN)
