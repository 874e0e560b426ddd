"""Organisation names rendered by translating their meaning into English common nouns.

Machine translation turns "Kataib Hezbollah" into "the Brigades of the Party of God" and
"Anadolu Agency" into the "Anatolia news agency": every word is translated, none is spelled
like the name, so neither mention grouping nor spelling rules can see it. The meanings of name
words live in audit/data/name_meanings.yaml; this module looks, in each line, for a short run of
words that translates every word of one gazetteer name (English words of the name stand as
they are; a name word with a meaning must be translated, since "Hezbollah Brigades" keeps the
name and is English usage; at least one word of the run is capitalised, as a name rendering
is), with nothing between its pieces but connectors ("of", "the"). Listed spellings are never flagged (the caller drops runs that overlap a listed
form's mention). Linear in the words of a line: a hash lookup per word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from audit.names.gazetteer import Gazetteer
from audit.names.translit import orth
from audit.names.words import name_word_list

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MAX_GAP = 2          # connector words allowed between two pieces of a rendering


@dataclass(frozen=True)
class Rendering:
    start: int
    end: int
    text: str
    entry_id: str
    form: str                     # the listed name it translates
    glosses: tuple[str, ...]      # "kataib = brigades", ...


@lru_cache(maxsize=1)
def meanings_data() -> dict:
    """audit/data/name_meanings.yaml, read once (its `meanings` here, its `spun_words` in
    reworded.py)."""
    return yaml.safe_load((resources.files("audit") / "data" / "name_meanings.yaml")
                          .read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[tuple[str, ...], ...]]:
    """name word -> its English renderings, each a tuple of words."""
    return {orth(str(k)): tuple(tuple(str(m).lower().split()) for m in v)
            for k, v in (meanings_data().get("meanings") or {}).items()}


@dataclass(frozen=True)
class _Name:
    entry_id: str
    form: str
    names: tuple[str, ...]
    options: tuple[tuple[tuple[str, ...], ...], ...]   # per name token: renderings
    translated: tuple[tuple[tuple[str, ...], ...], ...]  # per token: renderings by meaning


_INDEX: dict[int, tuple] = {}


def _index(gaz: Gazetteer) -> dict[str, list[tuple[_Name, int, tuple[str, ...]]]]:
    """First word of a rendering -> (name, token index, rendering)."""
    key = id(gaz)
    if key in _INDEX:
        return _INDEX[key][1]
    lex = lexicon()
    index: dict[str, list[tuple[_Name, int, tuple[str, ...]]]] = {}
    for f in gaz.forms:
        if f.kind not in ("canonical", "alias"):
            continue
        toks = [orth(t) for t in f.names]
        trans = tuple(lex.get(t, ()) for t in toks)
        if not any(trans):
            continue
        if len(toks) == 1 and all(len(m) == 1 for m in trans[0]):
            continue                 # one word for one word: too many real things are a Mirror
        # a word with a meaning must be translated: keeping it ("Sayyid al-Shuhada Brigades",
        # "Nujaba Movement") is how English desks write these names
        opts = tuple(tr or (tuple(t.split()),) for t, tr in zip(toks, trans))
        name = _Name(f.entry_id, f.text, f.names, opts, trans)
        for i, renderings in enumerate(opts):
            for r in renderings:
                index.setdefault(r[0], []).append((name, i, r))
    if len(_INDEX) > 8:
        _INDEX.clear()
    _INDEX[key] = (gaz, index)                   # holding gaz keeps its id from reuse
    return index


def find(doc_id: str, text: str, lines: list[tuple[int, int]], gaz: Gazetteer) -> list[Rendering]:
    index = _index(gaz)
    if not index:
        return []
    connectors = set(name_word_list("meaning_connectors"))
    out = []
    for lo, hi in lines:
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, lo, hi)]
        low = [w.lower() for w, _, _ in words]
        pieces: dict[_Name, list[tuple[int, int, int, bool]]] = {}
        for i, w in enumerate(low):
            for name, tok, r in index.get(w, ()):
                if tuple(low[i:i + len(r)]) == r:
                    by_meaning = r in name.translated[tok]
                    pieces.setdefault(name, []).append((i, i + len(r), tok, by_meaning))
        for name, ps in pieces.items():
            for a, b, used in _cover(name, ps, low, connectors):
                if not any(words[k][0][:1].isupper() for k in range(a, b)):
                    continue
                if len(name.options) == 1 and b - a < 2:
                    continue             # "Nobles" alone is a word; "Party of God" a rendering
                s, e = words[a][1], words[b - 1][2]
                out.append(Rendering(s, e, text[s:e], name.entry_id, name.form,
                                     _glosses(name, used, low)))
    return _longest_first(out)


def _longest_first(found: list[Rendering]) -> list[Rendering]:
    """Renderings that do not overlap, longest first."""
    out: list[Rendering] = []
    for r in sorted(found, key=lambda r: (-(r.end - r.start), -len(r.glosses), r.start, len(r.form))):
        if all(r.end <= o.start or o.end <= r.start for o in out):
            out.append(r)
    return sorted(out, key=lambda r: r.start)


def _cover(name: _Name, pieces: list[tuple[int, int, int, bool]], low: list[str],
           connectors: set[str]) -> list[tuple[int, int, list]]:
    """Runs of pieces covering every token of the name once, at least one by meaning, with only
    connectors between pieces (one run per first piece)."""
    n = len(name.options)
    pieces = sorted(set(pieces))
    out = []
    for k, first in enumerate(pieces):
        chosen = {first[2]: first}
        end = first[1]
        for p in pieces[k + 1:]:
            if p[0] < end:
                continue
            gap = low[end:p[0]]
            if len(gap) > MAX_GAP or any(g not in connectors for g in gap) or p[2] in chosen:
                break
            chosen[p[2]] = p
            end = p[1]
            if len(chosen) == n:
                break
        if len(chosen) == n and any(p[3] for p in chosen.values()):
            out.append((first[0], end, list(chosen.values())))
    return out


def _glosses(name: _Name, used: list, low: list[str]) -> tuple[str, ...]:
    """'Kataib = brigades': each translated word of the name and what it became."""
    return tuple(f"{name.names[tok]} = {' '.join(low[x:y])}" for x, y, tok, tr in used if tr)
