"""Reports: Jinja2 → HTML pages for reviewers, WeasyPrint → PDFs for editors.

Both render the same view-model (model.py) built once from a RunResult. Every file is written
atomically, and only the files a report owns are written: nothing else in the output folder is
touched or removed.
"""
from __future__ import annotations

from pathlib import Path

from audit.io import atomic_write_text
from audit.report.settings import ReportError, ReportSettings
from audit.types import RunResult

__all__ = ["ReportError", "ReportSettings", "write_reports", "write_diff_page"]

SUMMARY_PDF = "summary.pdf"


def write_reports(result: RunResult, out_dir: Path, settings: ReportSettings) -> list[Path]:
    """Write index.html, a page per story and per document, and the PDFs the settings ask for."""
    from audit.report.html import get_renderer
    from audit.report.charts import for_report
    from audit.report.model import build_report, facets
    out_dir = Path(out_dir)
    r = get_renderer(settings)
    view = build_report(result, settings)
    ctx = {"report": view, "settings": settings, "summary_pdf": SUMMARY_PDF, "charts": for_report(view)}
    written: list[Path] = []
    if settings.html:
        written.append(atomic_write_text(out_dir / "index.html", r.render("index.html", **ctx)))
        for sv in view.stories:
            written.append(atomic_write_text(out_dir / sv.href, r.render("story.html", story=sv,
                                                                  facets=facets(sv.findings), **ctx)))
        for dv in view.docs:
            written.append(atomic_write_text(out_dir / dv.href, r.render("document.html", dv=dv,
                                                                  facets=facets(dv.findings), **ctx)))
    if settings.pdf:
        from audit.report.pdf import write_pdfs
        jobs = [(r.render("print/summary.html", **ctx), out_dir / SUMMARY_PDF)]
        if settings.pdf_per_story:
            jobs += [(r.render("print/story.html", story=sv, **ctx), out_dir / sv.pdf_name)
                     for sv in view.stories]
        written += write_pdfs(jobs, settings.pdf_workers)
    return written


def write_diff_page(result: RunResult, out_path: Path, settings: ReportSettings) -> Path:
    """One self-contained HTML page comparing the (two) documents of `result` side by side."""
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
