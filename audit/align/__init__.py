"""Alignment: stories, sentences, claims, diffs. (stub: owned by the alignment work)"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from audit.types import Alignment, Document, EntityGroup, Finding


class AlignSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True


def align_batch(docs: list[Document], entities: list[EntityGroup], findings: list[Finding],
                settings: AlignSettings) -> Alignment:
    return Alignment()
