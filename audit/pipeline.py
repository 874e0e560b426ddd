"""The one direction of flow: ingest → boilerplate → artifacts → provenance → align.

Each stage is a module; this file only wires them and times them, so the order of work is
visible in one place.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from audit import align, artifacts, boilerplate, provenance
from audit.types import BatchContext, Document, Finding, Problem, RunResult


@contextmanager
def _timed(timings: dict[str, float], stage: str,
           progress: Callable[[str], None] | None = None) -> Iterator[None]:
    if progress:
        progress(stage)  # the CLI's progress bar shows the stage being run
    t0 = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - t0, 4)


def analyse(docs: list[Document], cfg, name: str = "audit",
            problems: list[Problem] | None = None,
            progress: Callable[[str], None] | None = None) -> RunResult:
    """Run every stage after ingest on already-loaded documents."""
    timings: dict[str, float] = {}
    with _timed(timings, "boilerplate", progress):
        findings = boilerplate.mark_noise(docs, cfg.boilerplate)
    settings = cfg.model_dump(mode="json")   # shared by detectors and echoed in the reports
    ctx = BatchContext(docs=docs, settings=settings)
    with _timed(timings, "artifacts", progress):
        findings += artifacts.run_detectors(ctx, cfg.detector_settings())
    with _timed(timings, "provenance", progress):
        by_doc: dict[str, list[Finding]] = {d.id: [] for d in docs}
        for f in findings:
            by_doc[f.doc_id].append(f)
        prov = {d.id: provenance.infer(d, by_doc[d.id]) for d in docs}
    with _timed(timings, "align", progress):
        alignment = align.align_batch(docs, ctx.entities, findings, cfg.align)
    findings.sort(key=lambda f: (f.doc_id, f.start, f.end, f.kind))
    return RunResult(name=name, documents=docs, findings=findings, entities=ctx.entities,
                     alignment=alignment, problems=[*(problems or []), *ctx.problems], provenance=prov,
                     settings=settings, timings=timings)


def run(cfg, base: Path) -> RunResult:
    """Load the configured sources (relative to `base`, the config file's folder) and analyse them."""
    from audit import ingest
    timings: dict[str, float] = {}
    with _timed(timings, "ingest"):
        docs, problems = ingest.load_sources(cfg.sources, cfg.language, base)
    result = analyse(docs, cfg, name=cfg.name, problems=problems)
    result.timings = {**timings, **result.timings}
    return result
