"""The learned noise model: a logistic regression over line features (features.py), shipped as
JSON (audit/data/noise_model.json, written by scripts/train_noise_model.py from the noise labels
of the real-text folds dev, test, fresh, fresh2, fresh3, fresh4 and fresh5; never fresh6). No
scikit-learn at run time: the score is a dot product.

Each feature's share of a line's log-odds (coefficient times standardised value) is a cue of
its own, so a finding says in words which cues made the line noise.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from audit.boilerplate.features import FEATURE_WORDS, NAMES

DATA_FILE = "noise_model.json"


@dataclass(frozen=True)
class NoiseModel:
    """Coefficients over standardised features, stored uncentred: a feature at zero (a cue
    absent) contributes nothing, so the evidence lists only what the line has; the means are
    folded into the intercept. `pattern_scale` multiplies the pattern library's weights: how
    much a listed pattern counts against the model's view of the line's shape (chosen by
    cross-validation with the intercept)."""
    names: tuple[str, ...]
    weight: tuple[float, ...]        # per unit of the raw feature
    intercept: float
    pattern_scale: float = 1.0

    def contributions(self, x: list[float]) -> list[tuple[str, float]]:
        """Per feature, its share of the log-odds (the intercept is not included)."""
        return [(n, w * v) for n, w, v in zip(self.names, self.weight, x)]

    def logit(self, x: list[float]) -> float:
        return self.intercept + sum(w * v for w, v in zip(self.weight, x))

    @classmethod
    def standardised(cls, names: tuple[str, ...], mean, scale, coef, intercept: float,
                     pattern_scale: float = 1.0) -> "NoiseModel":
        """From a fit on (x - mean) / scale."""
        weight = tuple(float(c / s) for c, s in zip(coef, scale))
        icpt = float(intercept - sum(w * m for w, m in zip(weight, mean)))
        return cls(tuple(names), weight, icpt, pattern_scale)

    def to_dict(self) -> dict:
        return {"names": list(self.names), "weight": list(self.weight),
                "intercept": self.intercept, "pattern_scale": self.pattern_scale}

    @classmethod
    def from_dict(cls, d: dict) -> "NoiseModel":
        """Weights by feature name, in features.py's order; a feature the file does not know
        weighs nothing (tests/test_boilerplate.py checks the shipped file knows them all)."""
        given = dict(zip(d["names"], (float(w) for w in d["weight"])))
        unknown = sorted(set(given) - set(NAMES))
        if unknown:
            raise ValueError(f"{DATA_FILE}: unknown features {', '.join(unknown)} (not in "
                             "audit/boilerplate/features.py); re-run scripts/train_noise_model.py")
        return cls(NAMES, tuple(given.get(n, 0.0) for n in NAMES), float(d["intercept"]),
                   float(d.get("pattern_scale", 1.0)))


@lru_cache(maxsize=1)
def shipped_model() -> NoiseModel:
    text = resources.files("audit.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return NoiseModel.from_dict(json.loads(text)["model"])


def words(name: str) -> str:
    return FEATURE_WORDS.get(name, name)
