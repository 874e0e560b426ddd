"""Phrase statistics: word pairs English does not write ("rescue works", "informed EFE",
"alliance forces", "caller years"), judged against statistics of English that ship in packages.

symspellpy's bigram table lists the 242,342 most frequent English word pairs of a web corpus
(every pair counted at least ~5 million times); its unigram table and wordfreq give each word's
frequency. A pair of two common, combinable words that is absent from the table, while a
neighbouring inflection of it is present ("rescue work", "told reporters"), is what MT from a
language with other collocations leaves behind. Absence alone is weak evidence (clause
boundaries, "said could", numbers and names are absent too): measured on the real development
fold, about 4% of absent pairs of common words lie in a labelled calque or mistranslation. So
this module only proposes candidates with their features; the learned weights
(audit/learn/weights.py, trained on the development fold by scripts/train_translation_weights.py)
decide which to keep, at what severity, and name the features that decided it.

The features are computed per pair from the two tables plus two document-level rates (how many
of the document's common pairs are absent; how many of its lower-case words are rare), because
translated and spun copy shows its damage in many places at once.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from audit.artifacts._ngrams import _bigram_table, bigram_count, unigram_count
from audit.artifacts._text import content_lines, per_doc, word_set, zipf
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# Total count of the unigram table (sum of its 82,765 counts): the N of expected pair counts.
_N = 5.418e11
# The table keeps pairs counted at least this often (its smallest counts are ~5.9e6).
_FLOOR = 5.9e6
MIN_COUNT = 1e5          # both words at least this common in the unigram table


@dataclass
class Candidate:
    """An adjacent pair of lower-case words, absent from the bigram table, with its features."""
    start: int
    end: int
    first: str
    second: str
    features: dict[str, float]


@lru_cache(maxsize=1)
def _fan() -> tuple[dict[str, int], dict[str, int]]:
    """How many table pairs each word opens and closes: a word that combines with many
    (\"the\", \"work\") makes an absent pair more surprising than one that combines with few."""
    right: dict[str, int] = {}
    left: dict[str, int] = {}
    for pair in _bigram_table():
        a, b = pair.split(" ")
        right[a] = right.get(a, 0) + 1
        left[b] = left.get(b, 0) + 1
    return right, left


@lru_cache(maxsize=50_000)
def _forms(word: str) -> tuple[str, ...]:
    """Other inflections of the word's lemmas ("works" -> "work", "worked"...)."""
    from lemminflect import getAllInflections, getAllLemmas
    out: set[str] = set()
    for lems in getAllLemmas(word).values():
        for lem in lems:
            for forms in getAllInflections(lem).values():
                out.update(forms)
            out.add(lem)
    out.discard(word)
    return tuple(sorted(out))


def _alternative(a: str, b: str) -> tuple[float, str]:
    """The most frequent table pair that changes one word's inflection, and that pair:
    "rescue works" -> (log10 count of "rescue work", "rescue work"); (0, "") when none."""
    best, text = 0, ""
    for f in _forms(b):
        n = bigram_count(a, f)
        if n > best:
            best, text = n, f"{a} {f}"
    for f in _forms(a):
        n = bigram_count(f, b)
        if n > best:
            best, text = n, f"{f} {b}"
    return (math.log10(best) if best else 0.0), text


def _log(x: float) -> float:
    return math.log10(x) if x > 0 else 0.0


def _pairs(doc: Document) -> list[tuple[int, int, str, str]]:
    """Adjacent lower-case word pairs of the content lines, not across punctuation."""
    out = []
    for ln in content_lines(doc):
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(doc.text, ln.start, ln.end)]
        for (s1, e1, a), (s2, e2, b) in zip(words, words[1:]):
            if not (a.islower() and b.islower()) or doc.text[e1:s2].strip():
                continue
            out.append((s1, e2, a.replace("’", "'"), b.replace("’", "'")))
    return out


def _doc_rates(doc: Document, pairs: list[tuple[int, int, str, str]]) -> tuple[float, float]:
    """Share of the document's pairs of common words that English does not write, and share of
    its lower-case words that are rare (spinners swap in 'astatine', 'whitethorn')."""
    common = absent = 0
    for _, _, a, b in pairs:
        if unigram_count(a) >= MIN_COUNT and unigram_count(b) >= MIN_COUNT:
            common += 1
            absent += bigram_count(a, b) == 0
    words = {w for _, _, a, b in pairs for w in (a, b)}
    rare = sum(1 for w in words if zipf(w) < 3.0)
    return absent / max(common, 1), rare / max(len(words), 1)


def candidates(doc: Document, ctx: BatchContext | None = None) -> list[Candidate]:
    """Every absent pair of common words in the document's content, with its features (the
    pair's own, the document's rates, and where the calque lexicon matched in the document)."""
    ctx = ctx or BatchContext(docs=[doc])
    base = per_doc("phrase-stats", doc, lambda: _candidates(doc))
    spans, strong = _calque_context(doc, ctx)
    out = []
    for c in base:
        near = any(s < c.end + NEAR and c.start - NEAR < e for s, e in spans)
        inside = any(s < c.end and c.start < e for s, e in spans)
        if inside:
            continue                    # the lexicon already explains this stretch
        out.append(Candidate(c.start, c.end, c.first, c.second,
                             {**c.features, "doc_calques": math.log1p(strong), "near_calque": float(near),
                              "lexicon": 0.0, "weak_entry": 0.0, "mistranslation_entry": 0.0}))
    return out


NEAR = 60      # characters: damage clusters, a pair next to a known calque is suspect


def _calque_context(doc: Document, ctx: BatchContext) -> tuple[list[tuple[int, int]], int]:
    """Where the calque lexicon matched, and how many distinct strong entries matched: the
    surest sign that the copy is translated."""
    from audit.artifacts.calques import CalqueSettings, find_calques
    from audit.artifacts._text import detector_settings
    cfg = detector_settings(ctx.settings, "calques", CalqueSettings)
    if not cfg.enabled:
        return [], 0
    found = find_calques(doc, ctx, cfg)
    strong = {m.rule.entry.id for m in found if not m.rule.entry.weak}
    return [(m.start, m.end) for m in found], len(strong)


def _candidates(doc: Document) -> list[Candidate]:
    pairs = _pairs(doc)
    if not pairs:
        return []
    absent_rate, rare_rate = _doc_rates(doc, pairs)
    function = word_set("function_words.yaml", "en")
    right, left = _fan()
    out = []
    for s, e, a, b in pairs:
        ca, cb = unigram_count(a), unigram_count(b)
        if ca < MIN_COUNT or cb < MIN_COUNT or bigram_count(a, b):
            continue
        alt, _ = _alternative(a, b)
        expected = _log(ca * cb / _N) - _log(_FLOOR)
        out.append(Candidate(s, e, a, b, {
            "first_count": _log(ca), "second_count": _log(cb), "expected": expected,
            "first_function": float(a in function), "second_function": float(b in function),
            "first_fan": _log(right.get(a, 0)), "second_fan": _log(left.get(b, 0)),
            "inflected_pair": alt, "rarest_zipf": min(zipf(a), zipf(b)),
            "doc_absent_rate": absent_rate, "doc_rare_rate": rare_rate}))
    return out


def fix_for(c: Candidate) -> str | None:
    """The inflection English writes instead, when the table has one."""
    _, text = _alternative(c.first, c.second)
    return text or None


class PhraseStatsSettings(DetectorSettings):
    threshold: float | None = None     # probability to emit; default: the model's own


@register("phrase-stats")
class PhraseStats(Detector):
    """Absent pairs of common words, kept where the learned weights say they are translation
    damage."""
    Settings = PhraseStatsSettings
    order = 60

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        if (doc.lang or "en") != "en":
            return
        from audit.learn.weights import load_model
        model = load_model("translation")
        threshold = model.threshold if self.settings.threshold is None else self.settings.threshold
        if not model.coef or threshold > 1:
            return                  # the shipped model accepts nothing (see its CV scores)
        for c in candidates(doc, ctx):
            verdict = model.judge(c.features, self.settings.threshold)
            if verdict is None:
                continue
            fix = fix_for(c)
            text = doc.text[c.start:c.end]
            yield Finding.at(
                doc, c.start, c.end, "calque", verdict.severity,
                f"‘{text}’ is not a pair English writes" + (f" (English writes ‘{fix}’)" if fix else ""),
                self.name, suggestion=fix,
                evidence={"rule": "absent-bigram", "pair_count": 0,
                          "first_count": round(10 ** c.features["first_count"]),
                          "second_count": round(10 ** c.features["second_count"]),
                          "source": "symspellpy frequency_bigramdictionary_en_243_342",
                          **verdict.evidence()})
