"""The map and reduce steps of a run; pipeline.py wires them in order.

Map steps are pure functions `step(item, shared) -> result` of one document (the item) and the
stage's broadcast value (`shared`: settings and batch statistics counted by the previous
reduce). They run in whatever process the executor picks and never touch another document, so
results do not depend on the number of workers. Reduce steps run in the client, where the whole
batch is: recurrence of lines across articles, the batch's word statistics, name consensus
(the batch-aware detectors) and story grouping.

What a worker sees of the rest of the batch is a BatchView: each document's id and text (some
detectors ask "does another article write this phrase?") and the word statistics already
counted, never the other Documents themselves.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from audit import boilerplate, provenance
from audit.artifacts import _text
from audit.artifacts.registry import REGISTRY, Detector, DetectorSettings, build, load_all
from audit.boilerplate import BoilerplateSettings, DocRecurrence
from audit.reads import WHOLE_TEXTS, Reads, TrackedList, settle, tracked_entities, tracked_stats
from audit.types import BatchContext, Document, EntityGroup, Finding, Problem, Span

# --- boilerplate: per-document line verdicts (map) ------------------------------------------------


@dataclass
class NoiseResult:
    """What classifying one document's lines changes on it, plus its share of the word counts."""
    noise: list[Span]
    meta: dict[str, Any]
    title: str | None
    title_span: Span | None
    findings: list[Finding]
    stats: _text.BatchStats | None


_META_KEYS = ("noise_summary", "removed_summary", "title_from_ingest")


def noise_map(item: tuple[Document, list[Span], DocRecurrence], settings: BoilerplateSettings
              ) -> NoiseResult:
    """Classify one document's lines (given their recurrence in the batch) and count its words
    for the batch statistics."""
    doc, spans, rec = item
    findings: list[Finding] = []
    if settings.enabled:
        lib = _library(settings)
        verdicts = boilerplate.classify_doc(doc, spans, lib, settings, rec)
        findings = boilerplate.apply_verdicts(doc, verdicts, lib, settings)
    else:
        doc.noise = []
    return NoiseResult(list(doc.noise), {k: doc.meta[k] for k in _META_KEYS if k in doc.meta},
                       doc.title, doc.title_span, findings, _text.batch_stats([doc]))


def quote_recurrence(item: tuple[Document, list[Span], DocRecurrence], res: NoiseResult) -> None:
    """A document's noise findings quote this batch's recurrence of its lines (the articles and
    counts), whichever batch their verdicts were computed in (boilerplate.findings.refill)."""
    doc, spans, rec = item
    boilerplate.refill(res.findings, doc, spans, rec.lookup, rec.name)


def apply_noise(doc: Document, res: NoiseResult) -> None:
    """The client's copy takes the worker's verdicts."""
    doc.noise = list(res.noise)
    doc.meta.update(res.meta)
    doc.title, doc.title_span = res.title, res.title_span


_LIBS: dict[str, Any] = {}


def _library(settings: BoilerplateSettings):
    key = settings.model_dump_json()
    if key not in _LIBS:
        _LIBS.clear()
        _LIBS[key] = boilerplate.build_library(settings)
    return _LIBS[key]


# --- the map part of a batch-aware detector: name mentions per document -------------------------

@dataclass
class PrepareShared:
    """A batch-aware detector's settings, for its per-document part (`mentions_of`) in any
    process; the detector is built once per process."""
    name: str
    settings: DetectorSettings
    _det: Detector | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_det": None}

    def detector(self) -> Detector:
        if self._det is None:
            load_all()
            self._det = REGISTRY[self.name](self.settings)
        return self._det


def mention_map(doc: Document, shared: PrepareShared) -> list:
    """One document's name mentions (entity-variants' `mentions_of`), for the names reduce."""
    return shared.detector().mentions_of(doc)


# --- word statistics (reduce) ---------------------------------------------------------------------

merge_stats = _text.merge_stats      # the reduce: each document's counts, merged in batch order


@dataclass
class TextDoc:
    """Another article as a worker sees it: its id and text."""
    id: str
    text: str


class NeedsBatch(BaseException):
    """Raised in a worker when a detector reads the other articles' texts, which workers are not
    sent (they would make every worker hold the whole batch): the document's detectors are run
    again in the client, which has the batch. A BaseException, so a detector's `except
    Exception` cannot swallow it. Measured on the 1,000-article syndication batch: 10 documents
    of 1,000 read other texts (casing's "does the batch write this name so?")."""


class BatchView(list):
    """`ctx.docs` for per-document detectors: every document's id and text, in batch order,
    with the batch's word statistics (`batch_stats(ctx.docs)` returns them). The view shipped
    to workers (`without_texts`) holds the statistics only; reading the texts there raises
    NeedsBatch."""

    def __init__(self, docs: list[TextDoc], stats: _text.BatchStats, texts: bool = True):
        super().__init__(docs)
        self.batch_stats = stats
        self.has_texts = texts

    @classmethod
    def of(cls, docs: list[Document], stats: _text.BatchStats) -> "BatchView":
        return cls([TextDoc(d.id, d.text) for d in docs], stats)

    def without_texts(self) -> "BatchView":
        return BatchView([], self.batch_stats, texts=False)

    def _texts(self) -> None:
        if not self.has_texts:
            raise NeedsBatch()

    def __iter__(self):
        self._texts()
        return super().__iter__()

    def __len__(self) -> int:
        self._texts()
        return super().__len__()

    def __getitem__(self, i):
        self._texts()
        return super().__getitem__(i)

    def __contains__(self, x) -> bool:
        self._texts()
        return super().__contains__(x)

    def __reversed__(self):
        self._texts()
        return super().__reversed__()

    def __reduce__(self):
        return (BatchView, (list(list.__iter__(self)), self.batch_stats, self.has_texts))


def slim_entities(entities: list[EntityGroup]) -> list[EntityGroup]:
    """Entity groups as per-document detectors receive them: names and verdicts, without the
    batch's mentions (which grow with the batch; casing reads only the canonical names)."""
    return [EntityGroup(g.id, g.canonical, g.source, [], dict(g.verdicts)) for g in entities]


# --- per-document detectors and provenance (map) --------------------------------------------------

@dataclass
class DetectShared:
    settings: dict[str, Any]                     # the run's config, as detectors read it
    detector_settings: dict[str, DetectorSettings]
    names: list[str]                             # the detectors of this phase, in order
    view: BatchView
    entities: list[EntityGroup]
    provenance: bool                             # last phase: also infer the source language
    track: bool = False                          # record what each document read (reads.py)
    _dets: list[Detector] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_dets"] = None
        return state

    def detectors(self) -> list[Detector]:
        if self._dets is None:
            by_name = {d.name: d for d in build(self.detector_settings)}
            self._dets = [by_name[n] for n in self.names]
        return self._dets


@dataclass
class DetectResult:
    findings: list[Finding]
    provenance: dict[str, Any] | None
    problems: list[Problem]
    reads: Reads | None = None                   # what the detectors read of the batch
    needs_batch: bool = False                    # run it again where the texts are (NeedsBatch)


def detect_map(item: tuple[Document, list[Finding]], shared: DetectShared) -> DetectResult:
    """Every per-document detector of the phase on one document; then, in the last phase, the
    document's likely source language from all its findings. With `shared.track` the batch is
    seen through tracking stand-ins and the result says what was read of it (reads.py)."""
    doc, earlier = item
    reads = Reads() if shared.track else None
    ctx = _context(shared, reads)
    found: list[Finding] = []
    try:
        for det in shared.detectors():
            found += det.run_one(doc, ctx)
    except NeedsBatch:
        _text._CACHE.clear()           # nothing half-computed from this attempt is kept
        return DetectResult([], None, [], None, needs_batch=True)
    if reads is not None:
        for f in found:                # a count kept in evidence is recorded exactly
            f.evidence = settle(f.evidence)
        _text._CACHE.clear()           # see _context
    prov = provenance.infer(doc, earlier + found) if shared.provenance else None
    return DetectResult(found, prov, ctx.problems, reads)


def _context(shared: DetectShared, reads: Reads | None) -> BatchContext:
    if reads is None:
        return BatchContext(docs=shared.view, settings=shared.settings, entities=shared.entities)
    # the detectors' per-document memo (_text.per_doc) may hold values computed from the batch
    # before this document's reads were recorded (the client's batch-aware detectors fill it):
    # emptied, so every batch read this document's result depends on happens under `reads`
    _text._CACHE.clear()
    view = TrackedList(shared.view, WHOLE_TEXTS, reads,
                       batch_stats=tracked_stats(shared.view.batch_stats, reads),
                       before=shared.view._texts)
    return BatchContext(docs=view, settings=shared.settings,
                        entities=tracked_entities(shared.entities, reads))


def provenance_map(item: tuple[Document, list[Finding]], shared: Any) -> DetectResult:
    doc, findings = item
    return DetectResult([], provenance.infer(doc, findings), [])


# --- fingerprints ---------------------------------------------------------------------------------

def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()
