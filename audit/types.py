"""Shared types: every stage speaks in these.

A Document holds the raw text exactly as decoded from the input and describes its structure as
offset ranges into it; nothing downstream ever edits the text. A Finding is a span of one
document's raw text plus the explanation a reviewer needs. Reports, JSON and evaluation all read
the same Findings, so a finding that cannot point at its text cannot exist.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, asdict
from itertools import accumulate
from typing import Any, Literal

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")

# Kinds and families as defined by the gold format (../shared/gold/README.md).
FAMILIES: dict[str, tuple[str, ...]] = {
    "entity": ("entity-variant",),
    "surface": ("token-merge", "casing", "punctuation", "grammar", "fragment"),
    "translation": ("calque", "mistranslation"),
    "noise": ("boilerplate", "caption", "byline", "duplicate"),
}
# Kinds that are informative but not scored (language residue, provenance, claim conflicts).
EXTRA_KINDS: dict[str, str] = {
    "language-residue": "translation",
    "discrepancy": "claim",
}
KIND_FAMILY: dict[str, str] = {k: fam for fam, kinds in FAMILIES.items() for k in kinds}
KIND_FAMILY.update(EXTRA_KINDS)


def family_of(kind: str) -> str:
    try:
        return KIND_FAMILY[kind]
    except KeyError:
        raise ValueError(f"unknown finding kind {kind!r}; known: {sorted(KIND_FAMILY)}") from None


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range [start, end) into a document's raw text."""
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass
class SourceMeta:
    """Per-source settings from config: who published it and how much we trust it."""
    name: str = ""
    outlet: str | None = None
    trust: float = 1.0
    lang: str | None = None  # expected language of the text (ISO 639-1)
    date: str | None = None  # publication date for articles whose text carries none (ISO)


@dataclass
class Document:
    id: str                       # deterministic: file stem, or stem-N for line N of a JSONL file
    path: str                     # where it came from (file path, or path:line)
    text: str                     # raw text, never modified
    outlet: str | None = None
    date: str | None = None       # ISO date or datetime string
    title: str | None = None
    title_span: Span | None = None
    lang: str | None = None       # detected language of the whole document
    url: str | None = None
    dateline: Span | None = None  # e.g. "WASHINGTON/BAGHDAD, Nov 21 (Reuters) –"
    lines: list[Span] = field(default_factory=list)       # non-empty lines, stripped of outer whitespace
    paragraphs: list[Span] = field(default_factory=list)  # blocks separated by blank lines (or lines)
    sentences: list[Span] = field(default_factory=list)
    paragraph_langs: list[str | None] = field(default_factory=list)  # parallel to paragraphs
    source: SourceMeta = field(default_factory=SourceMeta)
    # Filled by the boilerplate stage: ranges of raw text that are noise, not content.
    noise: list[Span] = field(default_factory=list)
    # For HTML inputs: the original markup and what the extractor dropped (shown in reports).
    original: str | None = None
    removed: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def slice(self, span: Span) -> str:
        return self.text[span.start:span.end]

    def is_noise(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside one noise range.

        Called per line, sentence and finding, so it bisects an index of the ranges (sorted
        starts, running maximum of their ends): O(log n). A scan per call made a 400 kB article
        spend 5.4 s of 15 s here (lines x ranges; issue 13)."""
        starts, reach = self._noise_index()
        i = bisect_right(starts, start)
        return i > 0 and reach[i - 1] >= end

    def _noise_index(self) -> tuple[list[int], list[int]]:
        """(starts, max end so far) of `noise`, rebuilt when the list is replaced or resized."""
        cached = self.__dict__.get("_noise_idx")
        if cached is not None and cached[0] is self.noise and cached[1] == len(self.noise):
            return cached[2], cached[3]
        spans = sorted((n.start, n.end) for n in self.noise)
        starts = [a for a, _ in spans]
        reach = list(accumulate((b for _, b in spans), max))
        self.__dict__["_noise_idx"] = (self.noise, len(self.noise), starts, reach)
        return starts, reach

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to worker processes, the cache) without the noise index: rebuilt on use."""
        state = dict(self.__dict__)
        state.pop("_noise_idx", None)
        return state

    def content_sentences(self) -> list[Span]:
        return [s for s in self.sentences if not self.is_noise(s.start, s.end)]

    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class Finding:
    doc_id: str
    start: int
    end: int
    kind: str
    severity: Severity
    message: str
    detector: str
    text: str = ""                 # raw text at [start, end); filled by Finding.at
    suggestion: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return family_of(self.kind)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @classmethod
    def at(cls, doc: Document, start: int, end: int, kind: str, severity: Severity, message: str,
           detector: str, suggestion: str | None = None, evidence: dict[str, Any] | None = None
           ) -> "Finding":
        """The one way detectors create findings: checks the span and copies its text."""
        if not (0 <= start < end <= len(doc.text)):
            raise ValueError(f"{detector}: span [{start}, {end}) outside {doc.id} ({len(doc.text)} chars)")
        family_of(kind)
        if severity not in SEVERITIES:
            raise ValueError(f"{detector}: bad severity {severity!r}")
        return cls(doc.id, start, end, kind, severity, message, detector, doc.text[start:end],
                   suggestion, evidence or {})

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["family"] = self.family
        return d


# --- cross-document structures (entity groups, stories, alignment, claims) ----------------------

@dataclass
class Mention:
    doc_id: str
    start: int
    end: int
    text: str


@dataclass
class EntityGroup:
    """All spellings of one real-world entity across the batch."""
    id: str
    canonical: str
    source: str                                   # "gazetteer" or "consensus"
    mentions: list[Mention] = field(default_factory=list)
    # spelling -> verdict: "canonical" | "acceptable" | "foreign" | "garbled" | "unknown"
    verdicts: dict[str, str] = field(default_factory=dict)

    def spellings(self) -> dict[str, dict[str, int]]:
        """spelling -> {outlet-or-doc: count}; filled by whoever builds the group."""
        out: dict[str, dict[str, int]] = {}
        for m in self.mentions:
            out.setdefault(m.text, {}).setdefault(m.doc_id, 0)
            out[m.text][m.doc_id] += 1
        return out


@dataclass
class SentRef:
    doc_id: str
    start: int
    end: int


@dataclass
class Story:
    id: str
    kind: Literal["story", "topic"]
    doc_ids: list[str]
    label: str = ""
    # near-copies: {"doc": id, "source": id or None, "score": float}
    near_copies: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AlignedGroup:
    """Sentences across outlets that state the same thing (one or many per outlet)."""
    id: str
    story_id: str
    members: list[SentRef]
    score: float = 0.0

    def doc_ids(self) -> list[str]:
        return sorted({m.doc_id for m in self.members})


@dataclass
class ClaimMention:
    doc_id: str
    start: int
    end: int
    value: float
    text: str                     # the number as written
    counted: str = ""             # what it counts ("troops", "attacks", ...)
    where: str = ""               # "Iraq", ...
    date: str | None = None       # the article's date, to tell stale from contradictory


@dataclass
class Claim:
    id: str
    story_id: str
    about: str
    mentions: list[ClaimMention]
    group_id: str | None = None   # the AlignedGroup it came from, if any
    discrepancy: bool = False


@dataclass
class WordDiff:
    a: SentRef
    b: SentRef
    ops: list[tuple[int, str]]    # diff-match-patch ops: -1 delete, 0 equal, 1 insert
    marks: list[dict[str, Any]] = field(default_factory=list)  # changed words that are known artifacts


@dataclass
class Alignment:
    stories: list[Story] = field(default_factory=list)
    groups: list[AlignedGroup] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    diffs: list[WordDiff] = field(default_factory=list)


@dataclass
class Problem:
    """A user-facing input error: recorded, reported, and turned into a non-zero exit code."""
    where: str                    # "path", "path:line" or "config.yaml:12:3"
    message: str
    stage: str = "ingest"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class BatchContext:
    """What detectors share across a batch: config, the other documents, what earlier detectors found."""
    docs: list[Document]
    settings: dict[str, Any] = field(default_factory=dict)
    entities: list[EntityGroup] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # bad data files etc.; end up in the report


@dataclass
class RunResult:
    name: str
    documents: list[Document]
    findings: list[Finding]
    entities: list[EntityGroup] = field(default_factory=list)
    alignment: Alignment = field(default_factory=Alignment)
    problems: list[Problem] = field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc id -> {lang, score, evidence}
    settings: dict[str, Any] = field(default_factory=dict)              # the config echoed in reports
    timings: dict[str, float] = field(default_factory=dict)

    def doc(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)
