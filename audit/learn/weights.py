"""Learned weights: a logistic regression over a candidate's features decides whether a
translation candidate is a finding, at what severity, and which features decided it.

The models are JSON files (audit/data/translation_weights.json): per model the feature names,
the standardisation (mean, scale), the coefficients, the intercept, the acceptance threshold
and the probability above which a finding is an error rather than a warning, plus a plain-words
description of each feature for the evidence. `scripts/train_translation_weights.py` fits them
with scikit-learn on the development fold of the real-text corpus (cross-validated by outlet)
and writes the file; at run time only this module reads it (no scikit-learn, no pickle), once
per process.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from audit.types import Document

DATA = "translation_weights.json"


@dataclass
class Verdict:
    probability: float
    severity: str
    strongest: list[tuple[str, float]]        # (feature in words, contribution in log-odds)
    model: str

    def evidence(self) -> dict[str, Any]:
        return {"model": self.model, "probability": round(self.probability, 3),
                "strongest_features": [f"{words} ({c:+.2f})" for words, c in self.strongest]}


@dataclass
class Model:
    name: str
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    error_above: float
    info_below: float
    words: dict[str, str]

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        out = []
        for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef):
            x = float(values.get(f, 0.0))
            out.append((f, c * (x - m) / (s or 1.0)))
        return out

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept + sum(c for _, c in self.contributions(values))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def judge(self, values: dict[str, float], threshold: float | None = None) -> Verdict | None:
        """A verdict when the candidate's probability reaches the threshold, else None. The
        strongest features are the three that pushed hardest towards acceptance."""
        if not self.coef:
            return None
        p = self.probability(values)
        if p < (self.threshold if threshold is None else threshold):
            return None
        parts = sorted(self.contributions(values), key=lambda fc: -fc[1])[:3]
        strongest = [(self.words.get(f, f), c) for f, c in parts if c > 0]
        return Verdict(p, "error" if p >= self.error_above else "warning", strongest, self.name)


_EMPTY = {"features": [], "mean": [], "scale": [], "coef": [], "intercept": 0.0,
          "threshold": 1.1, "error_above": 1.1, "info_below": 0.0}


@lru_cache(maxsize=None)
def _raw() -> dict[str, Any]:
    path = resources.files("audit") / "data" / DATA
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=None)
def load_model(name: str) -> Model:
    """The named model; a model the file lacks accepts nothing (its detector stays silent)."""
    raw = _raw()
    m = {**_EMPTY, **(raw.get("models") or {}).get(name, {})}
    return Model(name, list(m["features"]), list(m["mean"]), list(m["scale"]), list(m["coef"]),
                 float(m["intercept"]), float(m["threshold"]), float(m["error_above"]),
                 float(m["info_below"]), dict(raw.get("feature_words") or {}))


def doc_features(doc: Document) -> dict[str, float]:
    """Document-level rates shared by every model: translated and spun copy shows damage in
    many places at once (see audit/artifacts/phrase_stats.py)."""
    from audit.artifacts._text import per_doc
    from audit.artifacts.phrase_stats import _doc_rates, _pairs

    def make() -> dict[str, float]:
        absent, rare = _doc_rates(doc, _pairs(doc))
        return {"doc_absent_rate": absent, "doc_rare_rate": rare}
    return per_doc("doc-features", doc, make)


# Features every translation candidate has, whatever proposed it: the pair statistics are 0 for
# a lexicon match, the lexicon flags 0 for a phrase candidate (one model judges both).
PAIR_FEATURES = ("first_count", "second_count", "expected", "first_function", "second_function",
                 "first_fan", "second_fan", "inflected_pair", "rarest_zipf")


def lexicon_features(doc: Document, match, matches: list) -> dict[str, float]:
    """Features of one calque-lexicon match: what kind of entry it is, and what else the
    document shows (other strong entries, a match close by, the document's rates)."""
    e = match.rule.entry
    others = {m.rule.entry.id for m in matches if not m.rule.entry.weak and m.rule.entry.id != e.id}
    near = any(m is not match and m.start < match.end + 60 and match.start - 60 < m.end for m in matches)
    return {**{f: 0.0 for f in PAIR_FEATURES}, **doc_features(doc),
            "lexicon": 1.0, "weak_entry": float(e.weak),
            "mistranslation_entry": float(e.kind == "mistranslation"),
            "doc_calques": math.log1p(len(others)), "near_calque": float(near)}


def lexicon_verdict(doc: Document, match, matches: list, severity: str) -> tuple[str, dict[str, Any]]:
    """(severity, evidence) of a calque-lexicon match under the learned weights: the entry's own
    severity, lowered to info when the model doubts the match (probability under `info_below`);
    never raised, since among lexicon matches the model ranks little better than chance (ROC AUC
    ~0.6 cross-validated by outlet: nearly every dev-fold match is right). The evidence names
    the probability and the strongest features. Without a model: unchanged."""
    model = load_model("translation")
    if not model.coef:
        return severity, {}
    verdict = model.judge(lexicon_features(doc, match, matches), threshold=0.0)
    if verdict is None:
        return severity, {}
    if verdict.probability < model.info_below:
        severity = "info"
    return severity, {"learned": verdict.evidence()}


# Every feature a translation candidate carries (phrase candidates and lexicon matches alike).
FEATURES_OF_ALL = (*PAIR_FEATURES, "doc_absent_rate", "doc_rare_rate", "doc_calques", "near_calque",
                   "lexicon", "weak_entry", "mistranslation_entry")
