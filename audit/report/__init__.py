"""Reports: Jinja2 → HTML pages for reviewers, WeasyPrint → PDFs for editors.

Both render the same view-model (model.py) built once from a RunResult. Every file is written
atomically, and only the files a report owns are written: nothing else in the output folder is
touched or removed. Pages whose content did not change since the last run are left as they are
(their bytes are compared), and PDFs whose HTML did not change are not laid out again
(render_cache.py), so a re-run of an unchanged batch costs the HTML rendering only.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterable

from audit.report.settings import ReportError, ReportSettings
from audit.types import RunResult

__all__ = ["ReportError", "ReportSettings", "write_reports", "write_diff_page", "write_pdfs_for"]

SUMMARY_PDF = "summary.pdf"


def _context(result: RunResult, settings: ReportSettings) -> tuple[Any, Any, dict[str, Any]]:
    from audit.report.charts import for_report
    from audit.report.html import get_renderer
    from audit.report.model import build_report
    from audit.report.listing import docs_json, ranked_docs
    from audit.report.select import build_summary, plan_pdfs
    r = get_renderer(settings)
    view = build_report(result, settings)
    plan = plan_pdfs(view, settings)
    ctx = {"report": view, "settings": settings, "summary_pdf": SUMMARY_PDF, "charts": for_report(view),
           "pdfs": plan, "summary": build_summary(view, settings, plan),
           "listing": SimpleNamespace(ranked=ranked_docs, json=docs_json)}
    return r, view, ctx


def write_reports(result: RunResult, out_dir: Path, settings: ReportSettings,
                  alongside: Callable[[], Any] | None = None) -> list[Path]:
    """Write index.html, a page per story and per document, summary.pdf, and the article and
    story PDFs over the threshold (report/select.py).

    `alongside` runs in this process once the PDF workers are laying out (publish.py writes
    findings.json there): written first, it kept one core idle for 2.3 s of CPU at 1,000
    articles before any PDF started; an exception from it stops the run as any other would."""
    from audit.report.model import facets
    from audit.report.render_cache import write_if_changed
    out_dir = Path(out_dir)
    early = _early_pool(result, out_dir, settings)
    try:
        r, view, ctx = _context(result, settings)
        plan = ctx["pdfs"]
        # PDF worker processes lay out while this process renders the HTML pages
        pool = _PdfRun(_pdf_jobs(r, ctx, out_dir), out_dir, settings, early) if settings.pdf else None
    except BaseException:
        if early is not None:
            early.finish(ok=False)
        raise
    pdf_stories, pdf_docs = plan.story_ids, plan.doc_ids
    written: list[Path] = []
    ok = False
    try:
        if alongside is not None:
            alongside()
        if settings.html:
            written.append(write_if_changed(out_dir / "index.html", r.render("index.html", **ctx)))
            for sv in view.stories:
                written.append(write_if_changed(out_dir / sv.href, r.render(
                    "story.html", story=sv, facets=facets(sv.findings), story_pdf=sv.story.id in pdf_stories,
                    **ctx)))
            written += _doc_pages(result, view, r, ctx, out_dir, settings, pdf_docs)
        ok = True
    finally:
        if pool is not None:   # then this process lays out PDFs too, until none is left
            written += pool.finish(ok)
    return written


def _doc_pages(result: RunResult, view: Any, r: Any, ctx: dict[str, Any], out_dir: Path,
               settings: ReportSettings, pdf_docs: set[str]) -> list[Path]:
    """A page per article, each rendered only when its key (render_cache.page_key: what the page
    shows, from the run's documents and findings) differs from the last run's, or the file is
    gone or edited. Keys cost about 0.5 ms an article, a render about 4 ms."""
    from audit.report.model import facets
    from audit.report.render_cache import PageCache, page_key, templates_digest, write_if_changed
    cache = PageCache(out_dir)
    base = json.dumps([view.version, view.name, settings.model_dump_json(), templates_digest(str(r.dir))])
    by_doc: dict[str, list[Any]] = {}
    for f in result.findings:
        by_doc.setdefault(f.doc_id, []).append(f)
    out = []
    for dv in view.docs:
        fs = sorted(by_doc.get(dv.id, []), key=lambda f: (f.start, f.end, f.kind))
        key = page_key(base, dv.doc, fs, result.provenance.get(dv.id),
                       [dv.label, dv.slug, dv.title, dv.id in pdf_docs])
        path = out_dir / dv.href
        if not cache.fresh(dv.href, key):
            html = r.render("document.html", dv=dv, facets=facets(dv.findings), doc_pdf=dv.id in pdf_docs, **ctx)
            write_if_changed(path, html)
            cache.put(dv.href, key, html)
        out.append(path)
    saved = cache.save()
    return out + ([saved] if saved else [])


def _pdf_jobs(r: Any, ctx: dict[str, Any], out_dir: Path) -> list[tuple[str, Path]]:
    """(print HTML, PDF path) for summary.pdf and the stories and articles the plan selects."""
    plan = ctx["pdfs"]
    jobs = [(r.render("print/summary.html", **ctx), out_dir / SUMMARY_PDF)]
    jobs += [(r.render("print/story.html", story=sv, **ctx), out_dir / sv.pdf_name) for sv in plan.stories]
    jobs += [(r.render("print/document.html", dv=dv, **ctx), out_dir / dv.pdf_name) for dv in plan.docs]
    return jobs


# A first run of at least this many articles starts its PDF workers before the view-model.
EARLY_WORKERS_FROM = 40


def _early_pool(result: RunResult, out_dir: Path, settings: ReportSettings) -> Any:
    """PDF workers started before the view-model is built, for a large batch's first run: their
    start-up (importing WeasyPrint, 0.9 s of CPU each) then runs on the core the view-model
    leaves idle (1,000 articles: 2.3 s of view-model and print HTML in this process alone).
    On a re-run one worker: summary.pdf, the longest job, is laid out again whenever any finding
    changed (no longer on an unchanged batch: it stopped printing the run's timings), and without
    the early start a re-run of 1,000 articles took longer than the
    first run (25.8 s against 17); the others start once the PDF cache says more changed
    (_PdfRun), so an unchanged re-run does not warm up workers it has no job for. Not for a
    handful of articles, whose view-model takes milliseconds."""
    from audit.report.pdf import PdfPool
    from audit.report.render_cache import PdfCache
    if not settings.pdf or settings.pdf_workers < 2 or len(result.documents) < EARLY_WORKERS_FROM:
        return None
    return PdfPool.started(out_dir, 1 if PdfCache(out_dir).entries else settings.pdf_workers)


class _PdfRun:
    """The PDFs of one run: those whose HTML changed since the last run (render_cache.py) go to
    a PdfPool at once; `finish` helps, waits and records the cache."""

    def __init__(self, jobs: list[tuple[str, Path]], out_dir: Path, settings: ReportSettings,
                 started: Any = None):
        from audit.report.pdf import PdfPool
        from audit.report.render_cache import PdfCache
        self.jobs, self.cache = jobs, PdfCache(out_dir)
        todo = [(h, p) for h, p in jobs if not self.cache.fresh(h, p)]
        if started is not None:           # workers already warm (_early_pool)
            self.pool = started
            started.submit(todo)
            if len(todo) > 1:
                started.top_up(settings.pdf_workers)
        else:
            self.pool = PdfPool(todo, settings.pdf_workers if len(todo) > 1 else 1)

    def finish(self, ok: bool) -> list[Path]:
        self.pool.finish(ok)      # raises on a failed PDF, kills the workers unless ok
        if ok:
            self.cache.record(self.jobs)
        return [p for _, p in self.jobs] + ([self.cache.path] if self.cache.path.exists() else [])


def _pdfs(jobs: list[tuple[str, Path]], out_dir: Path, settings: ReportSettings) -> list[Path]:
    run = _PdfRun(jobs, out_dir, settings)
    return run.finish(True)


def write_pdfs_for(result: RunResult, out_dir: Path, settings: ReportSettings,
                   ids: Iterable[str]) -> list[Path]:
    """`audit pdf ID...`: the PDF of each named article or story, whatever the threshold.
    An id is a document id, a story id, or the file name stem of its page (doc-x, story-y)."""
    r, view, ctx = _context(result, settings)
    docs = {k: dv for dv in view.docs for k in (dv.id, dv.slug, f"doc-{dv.slug}")}
    stories = {k: sv for sv in view.stories for k in (sv.story.id, sv.slug, f"story-{sv.slug}")}
    jobs, unknown = [], []
    for i in ids:
        i = i.removesuffix(".pdf").removesuffix(".html")
        if i in docs:
            jobs.append((r.render("print/document.html", dv=docs[i], **ctx), Path(out_dir) / docs[i].pdf_name))
        elif i in stories:
            jobs.append((r.render("print/story.html", story=stories[i], **ctx), Path(out_dir) / stories[i].pdf_name))
        else:
            unknown.append(i)
    if unknown:
        raise ReportError(f"no article or story with id {', '.join(unknown)} in this run "
                          f"(ids are listed in index.html and findings.json)")
    written = _pdfs(jobs, Path(out_dir), settings)
    from audit.report import manifest   # these are audit's files too: the next run may replace them
    manifest.record(Path(out_dir), written, also=manifest.read(Path(out_dir)))
    return written


def write_diff_page(result: RunResult, out_path: Path, settings: ReportSettings) -> Path:
    """One self-contained HTML page comparing the (two) documents of `result` side by side."""
    from audit.io import atomic_write_text
    from audit.report.html import get_renderer
    from audit.report.model import build_report, facets, pair_story
    if not result.documents:
        raise ReportError("diff: no documents to compare")
    r = get_renderer(settings)
    view = build_report(result, settings)
    story = pair_story(result, {dv.id: dv for dv in view.docs})
    html = r.render("diff.html", report=view, story=story, settings=settings, summary_pdf=None,
                    facets=facets(story.findings))
    return atomic_write_text(Path(out_path), html)
