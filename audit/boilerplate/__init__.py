"""Boilerplate: tell article content from site chrome, line by line, with the reasons.

Noise kinds: `boilerplate` (navigation, share/subscribe/cookie text, comment forms, licence
lines, scraper residue), `caption` (photo captions and credits), `byline` (reporting credits,
author bios) and `duplicate` (a paragraph or the title printed again). Evidence comes from a
learned line model over structure and statistics (features.py, model.py: shape and position of
the line, its neighbours, its recurrence in unrelated articles of the batch; trained on real
pages by scripts/train_noise_model.py), from the shipped pattern library for the known cases
(audit/data/boilerplate.yaml, extensible from config) and from relations the patterns reveal
(the headlines listed under "Related Posts", a caption framed by image widgets);
classify.py combines it. The stage sets `doc.noise` (spans; the text is never modified) and
`clean_view(doc)` gives the content-only text mapped back to raw offsets.
"""
from __future__ import annotations

from audit.boilerplate.batch import DocRecurrence, Recurrence, build_index
from audit.boilerplate.classify import LineVerdict, classify
from audit.boilerplate.features import recurrence_decision
from audit.boilerplate.findings import findings_for, refill
from audit.boilerplate.memo import RecurrenceMemo, line_digest
from audit.boilerplate.neighbours import Unprinted, unprinted_lines
from audit.boilerplate.patterns import Library, LibraryError, build_library
from audit.boilerplate.removed import summarise_removed
from audit.boilerplate.settings import BoilerplateSettings, PatternSpec, StructureWeights
from audit.boilerplate.structure import line_spans, site_name_words
from audit.boilerplate.view import CleanView, Segment, clean_view
from audit.types import Document, Finding, Span

__all__ = ["BoilerplateSettings", "PatternSpec", "StructureWeights", "CleanView", "Segment",
           "LibraryError", "clean_view", "mark_noise", "classify_batch", "classify_doc",
           "recurrences", "apply_verdicts", "DocRecurrence", "build_library", "line_spans",
           "recurrence_decision", "refill", "RecurrenceMemo", "line_digest"]


def classify_batch(docs: list[Document], settings: BoilerplateSettings | None = None,
                   lib: Library | None = None) -> list[list[LineVerdict]]:
    """Per document, one verdict per line with its cues. The batch is classified together
    because recurrence across unrelated articles is evidence no single page gives; callers that
    want the reasons (reports, tests) read the verdicts, the pipeline calls mark_noise."""
    settings = settings or BoilerplateSettings()
    lib = lib or build_library(settings)
    spans = [line_spans(d) for d in docs]
    recs = recurrences(docs, spans, settings)
    return [classify_doc(d, spans[i], lib, settings, recs[i]) for i, d in enumerate(docs)]


def recurrences(docs: list[Document], spans: list[list[Span]], settings: BoilerplateSettings,
                memo: RecurrenceMemo | None = None) -> list[DocRecurrence]:
    """The batch step (a reduce): for each document, how its lines recur in the others. What
    classify_doc needs of the batch, and nothing more, so it can run in any process. `memo`:
    the copy verdicts and unprinted lines of earlier runs (memo.py; the same result without)."""
    index = build_index(docs, spans, settings.copy_jaccard, settings.recurrence_sample,
                        settings.copy_shared, memo)
    out = [index.for_doc(i) for i in range(len(docs))]
    for rec, un in zip(out, unprinted_lines(index)):
        mark_unprinted(rec, un)
    return out


def mark_unprinted(rec: DocRecurrence, un: Unprinted) -> None:
    """Lines the document's copies print around but not themselves (neighbours.py) carry
    those copies' ids in their Recurrence (a new entry for a line no other article holds), so
    the per-document step and its cache key see them like any other recurrence."""
    for key, ids in un.lines.items():
        rec.recs.setdefault(key, Recurrence()).unprinted_by = list(ids)


def classify_doc(doc: Document, spans: list[Span], lib: Library, settings: BoilerplateSettings,
                 rec: DocRecurrence) -> list[LineVerdict]:
    """One document's line verdicts, given its lines' recurrence in the batch (a map step)."""
    return classify(doc, spans, lib, settings, rec.lookup, rec.name)


def mark_noise(docs: list[Document], settings: BoilerplateSettings | None = None
               ) -> list[Finding]:
    """Mark site chrome, captions, bylines and duplicates before any detector runs: detectors
    and alignment then read content only (doc.noise), while the raw text stays untouched so
    every offset still points into the file. Returns the noise lines as findings, so the
    report can show what was set aside and why."""
    settings = settings or BoilerplateSettings()
    if not settings.enabled:
        for d in docs:
            d.noise = []
        return []
    lib = build_library(settings)
    findings: list[Finding] = []
    for doc, verdicts in zip(docs, classify_batch(docs, settings, lib)):
        findings += apply_verdicts(doc, verdicts, lib, settings)
    return findings


def apply_verdicts(doc: Document, verdicts: list[LineVerdict], lib: Library,
                   settings: BoilerplateSettings) -> list[Finding]:
    """Set `doc.noise` (and the summaries and title that follow from it) from the verdicts;
    the noise lines as findings."""
    doc.noise = [v.span for v in verdicts if v.noise]
    doc.meta["noise_summary"] = _summary(verdicts)
    if doc.removed:
        doc.meta["removed_summary"] = summarise_removed(doc.removed, lib,
                                                        frozenset(site_name_words(doc)))
    findings = findings_for(doc, verdicts, settings.min_confidence)
    _retitle(doc)
    return findings


def _retitle(doc: Document) -> None:
    """A scraped page may open on a section label ("World", "Iraq"): when the title line turned
    out to be noise, the headline is the first content sentence (the lead, when the page has no
    headline). The original stays in meta."""
    span = doc.title_span
    if span is None or not doc.is_noise(span.start, span.end):
        return
    first = next(iter(doc.content_sentences()), None)
    if first is not None:
        doc.meta["title_from_ingest"] = doc.title
        doc.title, doc.title_span = doc.slice(first), first


def _summary(verdicts: list[LineVerdict]) -> dict[str, int]:
    out = {"lines": len(verdicts), "content": sum(not v.noise for v in verdicts)}
    for v in verdicts:
        if v.noise and v.kind:
            out[v.kind] = out.get(v.kind, 0) + 1
    return out
