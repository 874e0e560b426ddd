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
from audit.artifacts.registry import Detector, DetectorSettings, build
from audit.boilerplate import BoilerplateSettings, DocRecurrence
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


# --- word statistics (reduce) ---------------------------------------------------------------------

merge_stats = _text.merge_stats      # the reduce: each document's counts, merged in batch order


@dataclass
class TextDoc:
    """Another article as a worker sees it: its id and text."""
    id: str
    text: str


class BatchView(list):
    """`ctx.docs` for per-document detectors: every document's id and text, in batch order,
    with the batch's word statistics (`batch_stats(ctx.docs)` returns them)."""

    def __init__(self, docs: list[TextDoc], stats: _text.BatchStats):
        super().__init__(docs)
        self.batch_stats = stats

    @classmethod
    def of(cls, docs: list[Document], stats: _text.BatchStats) -> "BatchView":
        return cls([TextDoc(d.id, d.text) for d in docs], stats)


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


def detect_map(item: tuple[Document, list[Finding]], shared: DetectShared) -> DetectResult:
    """Every per-document detector of the phase on one document; then, in the last phase, the
    document's likely source language from all its findings."""
    doc, earlier = item
    ctx = BatchContext(docs=shared.view, settings=shared.settings, entities=shared.entities)
    found: list[Finding] = []
    for det in shared.detectors():
        found += det.run_one(doc, ctx)
    prov = provenance.infer(doc, earlier + found) if shared.provenance else None
    return DetectResult(found, prov, ctx.problems)


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
