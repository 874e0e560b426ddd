"""Boilerplate: classify lines as content or noise. (stub: owned by the boilerplate work)"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from audit.types import Document, Finding


class BoilerplateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True


def mark_noise(docs: list[Document], settings: BoilerplateSettings) -> list[Finding]:
    """Return noise findings and set each doc.noise to the noise ranges."""
    return []
