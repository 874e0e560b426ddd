"""Alignment: line the outlets up against each other.

    normalise (normalize.py, dates.py, features.py) -> stories and topics (stories.py)
    -> sentence groups per story/topic (sentences.py) -> near-copies (copies.py)
    -> numeric claims and discrepancies (claims.py) -> word diffs (diffs.py)

Only content is aligned: sentences inside `doc.noise` are skipped. Entity groups from the name
detector, when present, make differently spelled names one token; without them a phonetic
fallback does the same job (normalize.py).

Importing this package is cheap (config.py needs only the settings): the stage itself, with
numpy and scipy, is imported on first use (batch.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from audit.align.settings import (AlignSettings, ClaimSettings, DiffSettings, SentenceSettings,
                                  StorySettings)

if TYPE_CHECKING:
    from audit.types import Alignment, Document, EntityGroup, Finding, Story

__all__ = ["AlignSettings", "ClaimSettings", "DiffSettings", "SentenceSettings", "StorySettings",
           "align_batch", "align_units", "story_for"]


def align_batch(docs: "list[Document]", entities: "list[EntityGroup]", findings: "list[Finding]",
                settings: AlignSettings) -> "Alignment":
    """Line the outlets up: which documents tell one story, which of their sentences say the
    same thing, where their figures disagree and how their wording differs. This is what an
    editor compares copies by; a batch of one document gives an empty Alignment."""
    from audit.align.batch import align_batch as run
    return run(docs, entities, findings, settings)


def align_units(index, stories, units, entities, findings, settings: AlignSettings) -> "Alignment":
    """Everything after story grouping, for given alignment units (unit id, document ids)."""
    from audit.align.batch import align_units as run
    return run(index, stories, units, entities, findings, settings)


def story_for(doc_ids: list[str]) -> "Story":
    """A one-off unit for documents the user asked to compare (see pairwise.py)."""
    from audit.align.batch import story_for as run
    return run(doc_ids)
