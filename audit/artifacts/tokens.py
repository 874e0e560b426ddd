"""Fused and split words: "factionsWhose", "staffinformed", "infor med".

Scraping and machine translation drop or insert spaces. Two checks find the damage:
- a lower-to-upper hump inside a word that is not a legitimate camel-case name (data list,
  name prefixes such as Mc/Mac, or a whole word that the word lists know);
- an unknown lower-case word that splits into two frequent words (wordfreq zipf >= 3 each, the
  whole unknown: stack.md P10, which is why SymSpell's edit-distance "corrections" are not used);
- (cheap extra) two neighbouring lower-case pieces that only make sense joined ("infor med").

`find_merges` is shared: the calque detector reads its split points to see "informed reuters"
inside "staffinformed reuters".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from audit.artifacts._text import (BatchStats, Token, batch_stats, content_lines, data, doc_tokens,
                                   international_gap, per_doc, word_set, zipf)
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding

DATA = "tokens.yaml"
_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


class TokenMergeSettings(DetectorSettings):
    min_part_zipf: float = 3.0        # both halves of a split must be at least this frequent
    min_length: int = 6               # shortest unknown lower-case word worth splitting
    check_split_words: bool = True    # also look for "infor med"
    min_name_fused_zipf: float = 4.0  # a name fused with a word: the word at least this common
    extra_legit: list[str] = []       # more camel-case words that are fine


@dataclass
class Merge:
    """A fused word (or a split one) and where the missing (or extra) space goes."""
    start: int
    end: int
    rule: str                          # "hump" | "fused" | "split"
    cuts: list[int]                    # absolute positions where a space belongs (fused)
    suggestion: str
    evidence: dict[str, Any] = field(default_factory=dict)


def _legit(settings: TokenMergeSettings) -> frozenset[str]:
    return frozenset(word_set(DATA, "legit", lower=True) | {w.lower() for w in settings.extra_legit})


def _near_symbol(text: str, start: int, end: int) -> bool:
    """URLs, handles, file names and codes are not prose: skip words touching @ # / . _ digits."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    return (before in "@#/\\_." or before.isdigit() or after in "@#/\\_" or after.isdigit()
            or (after == "." and after2.isalnum()))


def _hump(tok: Token, part: str, offset: int, stats: BatchStats, legit: frozenset[str],
          cfg: TokenMergeSettings) -> Merge | None:
    cuts = [m.start() for m in _HUMP.finditer(part)]
    if not cuts or part.lower() in legit or zipf(part.lower()) > 0:
        return None
    prefixes = data(DATA).get("name_prefixes") or []
    if any(part.startswith(p) and cuts[0] == len(p) for p in prefixes):
        return None
    left, right = part[:cuts[0]], part[cuts[0]:]
    if cuts[0] < 2:
        return None                                       # iPhone, eBay
    right_word = re.match(r"[A-Z][a-z]+", right).group()
    lz, rz = zipf(left.lower()), zipf(right_word.lower())
    function = right_word.lower() in word_set(DATA, "hump_function_words")
    if rz < cfg.min_part_zipf:
        return None
    if left[0].islower():
        ok = lz >= cfg.min_part_zipf
        why = "both halves are frequent words, the whole is unknown"
    elif function:
        ok = True
        why = f"‘{right_word}’ is a function word glued to the word before"
    else:
        # "ShaabiSupported": a name seen on its own in the batch, then a common English word
        # (not another name: "NewsHour"-like brands join two capitalised nouns).
        common = international_gap(right_word) >= 1.0
        ok = common and left in stats.pieces and lz < cfg.min_part_zipf
        why = f"‘{left}’ is written alone elsewhere; ‘{right_word.lower()}’ is a common word"
    if not ok:
        return None
    pieces = [part[a:b] for a, b in zip([0] + cuts, cuts + [len(part)])]
    fixed = [pieces[0]] + [p.lower() if (p.lower() in word_set(DATA, "hump_function_words")
                                         or international_gap(p) >= 1.0) else p
                           for p in pieces[1:]]
    start = tok.start + offset
    return Merge(start, start + len(part), "hump", [start + c for c in cuts], " ".join(fixed),
                 {"rule": "camel-hump", "why": why, "parts": pieces,
                  "zipf": {left: lz, right_word: rz, part: 0.0}})


def _best_cut(w: str, first: int, score: Callable[[str, str], float | None]) -> int | None:
    """Where to cut `w` in two (cuts from `first` to one before the last letter): the cut whose
    score is highest, the earliest on a tie; None when every cut scores None."""
    best: tuple[float, int] | None = None
    for i in range(first, len(w) - 1):
        got = score(w[:i], w[i:])
        if got is not None and (best is None or got > best[0]):
            best = (got, i)
    return None if best is None else best[1]


def _fused(tok: Token, cfg: TokenMergeSettings) -> Merge | None:
    w = tok.text
    if not (w.isalpha() and w.islower() and len(w) >= cfg.min_length) or zipf(w) > 0:
        return None
    if any(zipf(w, lang) > 0 for lang in ("fr", "es", "de", "it", "pt")):
        return None                                       # a foreign word: residue's business
    two = word_set(DATA, "two_letter_words")
    suffixes, prefixes = word_set(DATA, "affix_suffixes"), word_set(DATA, "affix_prefixes")

    def score(a: str, b: str) -> float | None:
        if any(len(p) == 2 and p not in two for p in (a, b)) or b in suffixes or a in prefixes:
            return None                                   # a derived word, not two words
        z = min(zipf(a), zipf(b))
        return z if z >= cfg.min_part_zipf else None

    i = _best_cut(w, 2, score)
    if i is None:
        return None
    a, b = w[:i], w[i:]
    return Merge(tok.start, tok.end, "fused", [tok.start + i], f"{a} {b}",
                 {"rule": "unknown-word-splits", "parts": [a, b],
                  "zipf": {a: zipf(a), b: zipf(b), w: 0.0}})


def _name_fused(tok: Token, stats: BatchStats, cfg: TokenMergeSettings) -> Merge | None:
    """'Salviniwhat', 'Prokudinhead': a capitalised word no word list knows that is a name the
    batch writes on its own followed by a common lower-case English word. The right part must
    be common (zipf >= `min_name_fused_zipf`) and no ending names are made of (-son, -ville:
    tokens.yaml `name_endings`), so a real name built on another (Karimov) is left alone."""
    w = tok.text
    if not (w.isalpha() and w[0].isupper() and w[1:].islower() and len(w) >= 6) or zipf(w.lower()) > 0:
        return None
    endings = word_set(DATA, "name_endings")

    def score(a: str, b: str) -> float | None:
        if b in endings or a not in stats.pieces:
            return None
        zb = zipf(b)
        return zb if zb >= cfg.min_name_fused_zipf + (1.0 if len(b) <= 3 else 0.0) else None

    i = _best_cut(w, 3, score)
    if i is None:
        return None
    a, b = w[:i], w[i:]
    return Merge(tok.start, tok.end, "fused", [tok.start + i], f"{a} {b}",
                 {"rule": "name-fused-with-word", "parts": [a, b],
                  "why": f"‘{a}’ is written alone elsewhere in the batch; ‘{b}’ is a common word",
                  "zipf": {a: zipf(a.lower()), b: zipf(b), w: 0.0}})


def _split(text: str, a: Token, b: Token) -> Merge | None:
    """'infor med': neither piece is much of a word, together they are a frequent one."""
    if text[a.end:b.start] != " " or not (a.text.isalpha() and b.text.isalpha()):
        return None
    if not (a.text.islower() and b.text.islower()) or min(len(a.text), len(b.text)) < 2:
        return None
    za, zb = zipf(a.text), zipf(b.text)
    if min(za, zb) >= 2.5:
        return None                                       # two ordinary words (most pairs)
    joined = a.text + b.text
    zj = zipf(joined)
    if zj >= 3.5 and zj > min(za, zb) + 1.5 and zj > max(za, zb):
        return Merge(a.start, b.end, "split", [], joined,
                     {"rule": "word-split-in-two", "parts": [a.text, b.text],
                      "zipf": {a.text: za, b.text: zb, joined: zj}})
    return None


def find_merges(doc: Document, docs: list[Document], cfg: TokenMergeSettings | None = None
                ) -> list[Merge]:
    """Every fused or split word in the document's content lines (cached per document)."""
    cfg = cfg or TokenMergeSettings()

    def make() -> list[Merge]:
        if (doc.lang or "en") != "en":
            return []
        stats = batch_stats(docs)
        legit = _legit(cfg)
        out: list[Merge] = []
        for ln in content_lines(doc):
            toks = doc_tokens(doc, ln.start, ln.end)
            for i, tok in enumerate(toks):
                if _near_symbol(doc.text, tok.start, tok.end):
                    continue
                found = None
                offset = 0
                # a capital after the first letter is what a hump needs (most words have none)
                parts = [] if tok.text[1:].islower() else re.split(r"([-'’])", tok.text)
                for part in parts:
                    if part and part not in "-'’":
                        found = found or _hump(tok, part, offset, stats, legit, cfg)
                    offset += len(part)
                found = found or _fused(tok, cfg)
                if not found and tok.text[:1].isupper():
                    found = _name_fused(tok, stats, cfg)
                if not found and cfg.check_split_words and i + 1 < len(toks):
                    found = _split(doc.text, tok, toks[i + 1])
                if found:
                    out.append(found)
        return out

    return per_doc(f"merges:{cfg.model_dump_json()}", doc, make)


_MESSAGES = {
    "hump": "Two words fused: a capital in the middle of a word marks the lost space",
    "fused": "Two words fused: the word is unknown but splits into two common words",
    "split": "A word split in two: neither piece is a word, joined they are a common one",
}


@register("token-merge")
class TokenMerge(Detector):
    Settings = TokenMergeSettings
    order = 20

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        for m in find_merges(doc, ctx.docs, self.settings):
            yield Finding.at(doc, m.start, m.end, "token-merge", "warning", _MESSAGES[m.rule],
                             self.name, suggestion=m.suggestion, evidence=m.evidence)
