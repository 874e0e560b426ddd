"""Settings for the boilerplate stage (config.yaml `boilerplate:`).

Every weight is a log-odds contribution: the classifier starts from the prior odds that a line
is noise and adds one weight per cue, so a reviewer can read each cue's share in a finding's
evidence. Patterns carry a probability instead (what a line matching only that pattern is),
which is easier to write in a data file; it is turned into the same units.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NoiseKind = Literal["boilerplate", "caption", "byline"]
Where = Literal["any", "head", "tail", "edge"]


class PatternSpec(BaseModel):
    """One pattern of the library, shipped (audit/data/boilerplate.yaml) or added in config."""
    model_config = ConfigDict(extra="forbid")
    name: str
    regex: str
    kind: NoiseKind = "boilerplate"
    explain: str = ""
    confidence: float = Field(0.9, gt=0.0, lt=1.0)
    where: Where = "any"
    max_words: int | None = Field(None, ge=1)
    ignore_case: bool = True
    credit: bool = False
    # A list heading ("Related Posts", "Most read"): the headline-like lines under it are links.
    heading: bool = False
    # An image or gallery widget: a line framed by two of them is a caption.
    media: bool = False
    # A caption pattern that expects a present-tense description: a past-tense verb weakens it.
    unless_past: bool = False
    group: str = "config"

    @field_validator("regex")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"bad regex {v!r}: {e}") from None
        return v


class StructureWeights(BaseModel):
    """Log-odds weights of the structural, positional and batch cues (positive = noise)."""
    model_config = ConfigDict(extra="forbid")
    prior: float = -2.2               # ~10 % of lines in scraped news are noise
    short_unpunctuated: float = 1.0   # ≤ short_words words, no sentence punctuation
    low_stopwords: float = 0.6        # jusText: chrome has few function words
    prose: float = -1.2               # a real sentence: long, normal stop-word density
    title: float = -2.0
    dateline: float = -2.0
    list_item: float = -1.0           # bullet or numbered item, or the line after "...:"
    quoted_heading: float = -1.0      # “Short quoted phrase” subheading
    head: float = 0.6                 # before the first content paragraph
    tail: float = 1.2                 # after the last content paragraph
    repeated_short: float = 1.0       # a short line printed more than once
    site_name: float = 1.5            # short line naming the outlet
    masthead: float = 3.0             # a line that is only the outlet's name
    caption_before_credit: float = 3.8
    # a headline-like line in the list under a heading such as "Related Posts" takes this
    # share of the heading's own weight (it is judged by its place, not by its words)
    list_under_heading: float = 0.9
    recurrence_short: float = 2.0     # line shared with unrelated articles of the batch
    recurrence_prose: float = 0.8
    recurrence_many: float = 0.5      # ... with three or more of them
    recurrence_same_outlet: float = 0.5
    # copies of the story print the lines around it but not this one (neighbours.py). A prior,
    # not learned: the real-text folds hold 2 pairs of true copies and no such line. A quarter
    # of it when the line reads as past-tense narrative (an editor's added paragraph).
    unprinted_by_copies: float = 1.5
    smoothing: float = 1.5            # jusText neighbour rule
    no_letters: float = 4.0           # digits and symbols only: a counter ("0", "1 2"), a rule
    other_script: float = 4.0         # short line in a script the page does not use (a menu)
    other_script_long: float = 1.5    # ... a longer one (could be a quotation)
    date_only: float = 4.2            # a date or time stamp on its own line
    single_word: float = 1.0          # one word, no punctuation (a label, a button)
    link_run: float = 3.0             # in a run of unpunctuated headline-like lines (a link list)
    other_language: float = 2.5       # a paragraph in another language (an embedded post, a menu)


class BoilerplateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    # Judge shape, position and batch recurrence with the learned line model
    # (audit/data/noise_model.json); false: the hand weights under `weights`.
    model: bool = True
    # Extra patterns (same fields as the shipped library) and shipped patterns to switch off.
    patterns: list[PatternSpec] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    # A line is noise when the combined confidence reaches this.
    min_confidence: float = Field(0.5, gt=0.0, lt=1.0)
    # Lines whose confidence is this close to undecided (log-odds) take their neighbours'
    # class. 2.0 since the learned model spreads scores wider than the hand weights did (no
    # change on seeds, synthetic sets or the real dev fold; it catches a tail line no pattern
    # knows between comment-form chrome).
    smoothing_band: float = Field(2.0, ge=0.0)
    short_words: int = Field(6, ge=1)
    # A run of at least this many unpunctuated headline-like lines is a list of links.
    link_run_lines: int = Field(3, ge=2)
    prose_words: int = Field(8, ge=1)
    # Duplicates inside one article: rapidfuzz ratio (0-100) and the shortest line compared.
    duplicate_similarity: float = Field(90.0, ge=50.0, le=100.0)
    duplicate_min_chars: int = Field(40, ge=1)
    # Cross-article recurrence: two articles sharing more than this Jaccard of word trigrams
    # are copies of one story, so the lines they share are content, not chrome.
    copy_jaccard: float = Field(0.12, ge=0.0, le=1.0)
    # ... or when this share of either article is verbatim lines of the other.
    copy_shared: float = Field(0.5, ge=0.0, le=1.0)
    # A line shared by more articles than this is judged on a sample of them (keeps it linear).
    recurrence_sample: int = Field(20, ge=2)
    weights: StructureWeights = Field(default_factory=StructureWeights)
