"""The learned provenance model: is an English article translated, and from which language.

Two logistic regressions, read from audit/data/provenance_model.json (plain numbers, no pickle,
no scikit-learn at run time; `scripts/train_provenance.py` fits them on the real-text folds
dev+test+fresh+fresh2+fresh3+fresh4+fresh5, cross-validated by outlet and by event, and writes the file):

- `detect`: translated or native, over the document's profile (audit/provenance_features.py)
  and the rule-based tally (audit/provenance.py); a linear model (its contributions are the
  evidence, in words) averaged with gradient-boosted trees over the same features (`Trees`);
- `source`: one score per candidate language with weights shared by all languages (the
  romanisations, typography, calques, cues and places that point to it, how its spelling fits the
  names English does not know and which of the words English does not use its word list knows:
  audit/provenance_names.py; where the outlet is at home, from its name or domain: held out by
  outlet 110 -> 118 of 199 translated articles' languages right with it and the Balkan places),
  fitted as a choice among each article's candidates, so that a
  language seen in few training articles is still scored by the same evidence; the
  best-scoring language is the answer. How common a language was in training is not a feature.

Every decision keeps its strongest features in words for the evidence.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from audit import provenance_features as pf
from audit.types import Document, Finding

DATA = "provenance_model.json"


@dataclass
class Linear:
    """A standardised linear model: z = b + sum(coef * (x - mean) / scale)."""
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    @classmethod
    def of(cls, d: dict[str, Any]) -> "Linear":
        return cls(list(d["features"]), [float(x) for x in d["mean"]], [float(x) for x in d["scale"]],
                   [float(x) for x in d["coef"]], float(d["intercept"]))

    def contributions(self, values: dict[str, float]) -> dict[str, float]:
        return {f: c * (float(values.get(f, 0.0)) - m) / (s or 1.0)
                for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef)}

    def score(self, values: dict[str, float]) -> float:
        return self.intercept + sum(self.contributions(values).values())


@dataclass
class Trees:
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, fitted by
    scripts/train_provenance.py) as plain numbers: per tree, its nodes as parallel lists
    (feature index, threshold, left, right, leaf flag, leaf value). A row goes left when its
    value is <= the threshold, as scikit-learn decides for a number. They catch what a line
    cannot (a feature that counts only together with another). Held out on the real-text corpus,
    at precision 0.85: by outlet F1 0.72 with the linear model alone, 0.79 averaged with the
    trees (AUC 0.879 -> 0.896); by event 0.71 -> 0.74."""
    features: list[str]
    baseline: float
    trees: list[dict[str, list]]

    @classmethod
    def of(cls, d: dict[str, Any]) -> "Trees":
        return cls(list(d["features"]), float(d["baseline"]), list(d["trees"]))

    def score(self, values: dict[str, float]) -> float:
        x = [float(values.get(f, 0.0)) for f in self.features]
        z = self.baseline
        for t in self.trees:
            i = 0
            while not t["leaf"][i]:
                i = t["left"][i] if x[t["feature"][i]] <= t["threshold"][i] else t["right"][i]
            z += t["value"][i]
        return z


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@dataclass
class Decision:
    p_translated: float
    translated: bool
    lang: str | None
    # (feature in words, its surfaces, its push on the log-odds)
    why_translated: list[tuple[str, list[str], float]] = field(default_factory=list)
    why_lang: list[tuple[str, list[str], float]] = field(default_factory=list)
    lang_scores: dict[str, float] = field(default_factory=dict)

    def evidence(self, doc: Document) -> list[dict[str, Any]]:
        """Items in the shape of the rule-based evidence ({signal, text, langs, start, end}):
        `text` names the feature in words; start/end locate its first example in the text
        (None for a measure of the whole document, such as a rate of 'the')."""
        out: list[dict[str, Any]] = []
        verdict = "reads as translated" if self.translated else "reads as written in English"
        why = f"the learned model: the English {verdict} (p={self.p_translated:.2f})"
        for words, examples, push in self.why_translated:
            out.append({"signal": "english-profile", "kind": "model", "text": words, "langs": {},
                        "why": why, "contribution": round(push, 3), **_locate(doc, examples)})
        if self.lang:
            langs = {self.lang: round(self.lang_scores.get(self.lang, 0.0), 3)}
            for words, examples, push in self.why_lang:
                out.append({"signal": "source-language", "kind": "model", "text": words,
                            "langs": langs, "why": "the learned model: what points to this source "
                            "language", "contribution": round(push, 3), **_locate(doc, examples)})
        return out


def _locate(doc: Document, examples: list[str]) -> dict[str, int | None]:
    for ex in examples:
        at = doc.text.find(ex) if ex else -1
        if at >= 0:
            return {"start": at, "end": at + len(ex)}
    return {"start": None, "end": None}


def doc_features(profile: pf.DocProfile, tally: Any, ruled: dict[str, Any]) -> dict[str, float]:
    """Stage 1 inputs: the document profile and the rule-based tally's strength."""
    values = pf.doc_vector(profile)
    values.pop("words")        # an excerpt's length says how it was cut, not how it was written
    top = max(tally.totals.values(), default=0.0)
    values["rule-top"] = math.log1p(top)
    values["rule-named"] = 1.0 if ruled.get("lang") else 0.0
    return values


def lang_features(profile: pf.DocProfile, code: str, prior: dict[str, float]) -> dict[str, float]:
    values = pf.lang_vector(profile, code)
    values["prior"] = prior.get(code, min(prior.values(), default=0.0))
    return values


def candidates(profile: pf.DocProfile, prior: dict[str, float]) -> list[str]:
    """Languages with any evidence, and every language the model has a prior for."""
    return sorted({*prior, *(c for c in profile.lang_measures if c != "en")})


RULE_WORDS = {"rule-top": "the rule-based signals (calques, romanisations, typography)",
              "rule-named": "the rule-based signals name a language"}


@dataclass
class Model:
    detect: Linear
    threshold: float
    source: Linear
    prior: dict[str, float]
    min_words: int = 60            # below this much content the profile is noise: rules decide
    trees: Trees | None = None     # when present, "translated" is the mean of both probabilities

    def p_translated(self, values: dict[str, float]) -> float:
        p = sigmoid(self.detect.score(values))
        return p if self.trees is None else (p + sigmoid(self.trees.score(values))) / 2

    def decide(self, doc: Document, findings: list[Finding], tally: Any, ruled: dict[str, Any]) -> Decision:
        profile = pf.profile(doc, findings, dict(tally.totals))
        values = doc_features(profile, tally, ruled)
        p = self.p_translated(values)
        translated = p >= self.threshold and profile.doc_measures["words"].count >= self.min_words
        why = _strongest(self.detect.contributions(values), profile.doc_measures, toward=translated)
        lang, why_lang, scores = self.source_language(profile)
        if ruled.get("lang") and ruled["lang"] != lang:      # the rules decide: explain their answer
            lang, why_lang = ruled["lang"], self.explain_language(profile, ruled["lang"])
        return Decision(p, translated, lang if translated or ruled.get("lang") else None, why, why_lang, scores)

    def source_language(self, profile: pf.DocProfile) -> tuple[
            str | None, list[tuple[str, list[str], float]], dict[str, float]]:
        scores = {c: self.source.score(lang_features(profile, c, self.prior))
                  for c in candidates(profile, self.prior)}
        if not scores:
            return None, [], {}
        best = max(sorted(scores), key=lambda c: scores[c])
        return best, self.explain_language(profile, best), scores

    def explain_language(self, profile: pf.DocProfile, code: str) -> list[tuple[str, list[str], float]]:
        """What pointed to `code`, strongest first, in words."""
        contrib = self.source.contributions(lang_features(profile, code, self.prior))
        measures = profile.lang_measures.get(code) or {}
        return [(measures[f].describe(), measures[f].examples, c)
                for f, c in sorted(contrib.items(), key=lambda kv: -kv[1]) if c > 0 and f in measures][:3]


def _strongest(contrib: dict[str, float], measures: dict[str, pf.Measure], toward: bool,
               k: int = 4) -> list[tuple[str, list[str], float]]:
    """The features that pushed hardest toward the decision, in words."""
    sign = 1.0 if toward else -1.0
    ranked = sorted(contrib.items(), key=lambda kv: -sign * kv[1])
    out = []
    for f, c in ranked:
        if sign * c <= 0 or len(out) >= k:
            break
        m = measures.get(f)
        label = m.describe() if m else RULE_WORDS.get(f, f)
        out.append((label, m.examples if m else [], c))
    return out


@lru_cache(maxsize=1)
def load() -> Model | None:
    """The shipped model, or None when the data file is absent (the rules then decide alone)."""
    path = resources.files("audit") / "data" / DATA
    if not path.is_file():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    trees = Trees.of(d["detect_trees"]) if d.get("detect_trees") else None
    return Model(Linear.of(d["detect"]), float(d["detect"]["threshold"]), Linear.of(d["source"]),
                 {k: float(v) for k, v in d["source"]["prior"].items()}, int(d.get("min_words", 60)),
                 trees)
