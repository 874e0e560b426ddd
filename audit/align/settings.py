"""Alignment settings (config.yaml `align:`). Every threshold lives here, none in code."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StorySettings(_Strict):
    """Grouping the batch into stories (one event) and topics (shared actors and background)."""
    story_threshold: float | None = Field(None, ge=0, le=1)  # same-event probability for a story
    #   (average link); None: the calibrated one in audit/data/story_model.yaml
    story_days: int = Field(5, ge=0)                  # articles dated further apart are never one story
    neighbours: int = Field(20, ge=1)                 # candidates per article in large batches
    exact_component: int = Field(3000, ge=2)          # components up to this size score all their pairs
    #   (as matrix products, story_features.block_probability; larger ones are cut first)
    embeddings: bool = True                           # wordllama vectors as a feature and for candidates
    topic_threshold: float = Field(0.15, ge=0, le=1)  # document similarity for "overlapping background"
    name_threshold: float = Field(0.2, ge=0, le=1)    # ... with the names (people, places, groups) too
    topic_days: int = Field(120, ge=0)                # date window for a topic
    near_copy: float = Field(0.6, gt=0, le=1)         # share of a copy's sentences aligned to its source
    max_unit_docs: int = Field(150, ge=2)             # larger topics are aligned story by story
    max_story_docs: int = Field(5000, ge=2)           # larger stories are aligned in slices this big
    #   (pairing and claim linking are quadratic in a unit's DISTINCT sentences and figures:
    #   copies are collapsed first, align/reps.py. The 995-article story of bench_run's giant
    #   batch, 20,894 sentences and 337 distinct, aligns whole in 13.8 s CPU and 0.7 GB peak,
    #   where it took 226 s and 7.4 GB before collapsing, and 33 s in slices of 150. Slices stay
    #   as a guard for stories of thousands of differently worded articles; their cost is no
    #   groups across slices)


class SentenceSettings(_Strict):
    """Multi-outlet sentence groups."""
    threshold: float = Field(0.26, gt=0, le=1)        # pair score that links two sentences
    link: float = Field(0.24, gt=0, le=1)             # average score a merged group must keep (no chaining)
    order_weight: float = Field(0.0, ge=0, le=1)      # how much keeping the statement's order counts
    containment_min: int = Field(5, ge=1)             # content tokens the shorter sentence needs for containment
    containment_discount: float = Field(0.8, ge=0, le=1)  # containment counts this much of a full match
    min_tokens: int = Field(4, ge=1)                  # shorter sentences are not aligned
    evidence: float = Field(1.5, ge=0)                # shared content (in rarest-word weights) for full credit
    undated_days: int = Field(7, ge=0)                # an undated sentence reports this many days before its article
    undated_factor: float = Field(0.85, ge=0, le=1)   # ... and weighs this much against a sentence dated far from that
    anchorless: float = Field(0.85, ge=0, le=1)       # weight of a pair sharing no name, number or date
    predicate_share: float = Field(0.25, gt=0, le=1)  # shared words beyond names, numbers, dates and
    #   attribution must weigh what one word found in this share of the sentences weighs
    member_floor: float = Field(0.18, ge=0, le=1)     # pair score at which two group members "match"
    member_share: float = Field(0.5, ge=0, le=1)      # share of a group's other members each must match


class ClaimSettings(_Strict):
    """Numeric claims and discrepancies."""
    tolerance: float = Field(0.1, ge=0, lt=1)            # "about 2,000" covers 1,800..2,200
    cumulative_tolerance: float = Field(0.1, ge=0, lt=1)  # reporting lag between same-day running totals
    same_day: int = Field(1, ge=0)                       # dates this close count as the same time
    window: int = Field(12, ge=2)                        # tokens after a number searched for its noun
    link: float = Field(0.3, gt=0)                       # score joining two mentions into one claim
    group_bonus: float = Field(0.2, ge=0)                # ... added when their sentences are aligned
    value_bonus: float = Field(0.25, ge=0)               # ... when their values agree (times how rare the figure is)
    place_bonus: float = Field(0.1, ge=0)                # ... when they name the same place
    who_bonus: float = Field(0.1, ge=0)                  # ... when they count the same persons ("personnel")
    max_block: int = Field(50, ge=2)                     # larger (class, value) blocks give no candidates
    classes: dict[str, dict[str, Any]] = Field(default_factory=dict)  # extends/overrides claims.yaml


class DiffSettings(_Strict):
    """Word diffs of aligned sentences against their group's reference."""
    enabled: bool = True
    semantic_cleanup: bool = True


class AlignSettings(_Strict):
    enabled: bool = True
    synonyms: list[list[str]] = Field(default_factory=list)  # extra paraphrase groups
    stories: StorySettings = Field(default_factory=StorySettings)
    sentences: SentenceSettings = Field(default_factory=SentenceSettings)
    claims: ClaimSettings = Field(default_factory=ClaimSettings)
    diffs: DiffSettings = Field(default_factory=DiffSettings)
