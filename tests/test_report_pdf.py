"""PDF reports: WeasyPrint output read back with pypdf and pdftoppm, for a synthetic batch and
for the seeds through the real pipeline."""
from __future__ import annotations

import re
from collections import Counter
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from audit.report import ReportSettings, write_reports
from audit.types import family_of
from test_report_html import build_sample

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


def pages_text(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    write_reports(build_sample(), out, ReportSettings(html=False))
    return out


@pytest.fixture(scope="module")
def seeds_pdfs(tmp_path_factory):
    from audit import config, ingest, pipeline
    docs, problems = ingest.load_paths(sorted((ROOT / "seeds").glob("*.txt")))
    res = pipeline.analyse(docs, config.Config(), name="seeds", problems=problems)
    out = tmp_path_factory.mktemp("seeds-pdf")
    written = write_reports(res, out, ReportSettings(html=False, pdf_per_story=False))  # the story PDF: test_report_story
    return res, out, written


def test_summary_pages_are_numbered_with_running_header(sample_pdfs):
    pages = pages_text(sample_pdfs / "summary.pdf")
    n = len(pages)
    assert n >= 3
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {n}" in text
        assert "Maghreb desk – week 37" in text  # string-set header, escaped name intact


def test_toc_page_numbers_point_at_the_sections(sample_pdfs):
    pages = pages_text(sample_pdfs / "summary.pdf")
    toc = flat(pages[0])
    for entry, heading in (("Errors", "Errors (2)"), ("Warnings", "Warnings (")):
        m = re.search(re.escape(entry) + r" ?[ .]*\. (\d+)", toc)
        assert m, entry
        target = int(m.group(1))
        first = next(i for i, t in enumerate(pages[1:], 2) if heading in flat(t))
        assert target == first, entry


def test_summary_shows_the_findings_and_their_fixes(sample_pdfs):
    text = flat(" ".join(pages_text(sample_pdfs / "summary.pdf")))
    for expected in ("Marrakch", "garbled city name", "Marrakesh", "theaid", "the aid",
                     "Ministry Of the Interior", "doubled full stop", "values disagree",
                     "2,901", "not valid UTF-8", "Issue score"):
        assert expected in text, expected


def test_story_pdf_has_columns_readings_and_page_numbers(sample_pdfs):
    pages = pages_text(sample_pdfs / "story-s1.pdf")
    text = flat(" ".join(pages))
    assert "Page 1 of" in pages[0]
    for expected in ("Hespress English", "France 24 (AFP)", "EFE", "Reading text and where the outlets differ",
                     "Side by side", "Findings in EFE", "Morocco earthquake toll"):
        assert expected in text, expected
    # word differences print once, as readings against the reading text: no Δ rows of column pairs
    assert "Hespress English → France 24 (AFP)" not in text


def test_fonts_cover_arabic_and_diacritics(sample_pdfs):
    fonts = set()
    for p in PdfReader(str(sample_pdfs / "doc-efe_17.pdf")).pages:   # the article with Arabic in it
        for f in (p["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("Arabic" in f for f in fonts), fonts
    assert any("Noto-Sans" in f for f in fonts), fonts


def test_article_and_story_pdfs_only_over_the_threshold(sample_pdfs, tmp_path):
    pdfs = sorted(p.name for p in sample_pdfs.glob("*.pdf"))
    # errors in France 24 (which also gives the minority figure) and EFE; nothing in the budget story
    assert pdfs == ["doc-efe_17.pdf", "doc-f24-0912.pdf", "story-s1.pdf", "summary.pdf"]
    written = write_reports(build_sample(), tmp_path, ReportSettings(html=False, pdf_threshold="none"))
    assert [p.name for p in written if p.suffix == ".pdf"] == ["summary.pdf"]
    capped = write_reports(build_sample(), tmp_path / "cap", ReportSettings(html=False, pdf_max_files=2))
    assert len([p for p in capped if p.suffix == ".pdf"]) == 3
    assert "1 more are over it" in flat(" ".join(pages_text(tmp_path / "cap" / "summary.pdf")))


def test_article_pdf_has_text_marks_and_evidence_in_words(sample_pdfs):
    text = flat(" ".join(pages_text(sample_pdfs / "doc-efe_17.pdf")))
    for expected in ("theaid", "two words run together", "Reads as “the” + “aid” run together",
                     "Zipf", "Page 1 of"):
        assert expected in text, expected
    assert "{" not in text and '": ' not in text


def test_pdf_on_demand_from_a_run_folder(tmp_path):
    """`audit pdf ID` reads findings.json and writes the PDFs asked for, whatever the threshold."""
    import json
    from click.testing import CliRunner
    from audit.cli import main
    from audit.serialize import to_json
    (tmp_path / "findings.json").write_text(json.dumps(to_json(build_sample())), encoding="utf-8")
    run = CliRunner().invoke(main, ["pdf", "senegal-budget", "s1", "--out", str(tmp_path)])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "doc-senegal-budget.pdf").read_bytes().startswith(b"%PDF")
    from audit.report import manifest
    assert {"doc-senegal-budget.pdf", "story-s1.pdf"} <= set(manifest.read(tmp_path))  # recorded as audit's
    assert "Morocco earthquake toll" in flat(" ".join(pages_text(tmp_path / "story-s1.pdf")))
    bad = CliRunner().invoke(main, ["pdf", "no-such-id", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "no-such-id" in bad.output
    empty = CliRunner().invoke(main, ["pdf", "x", "--out", str(tmp_path / "nowhere")])
    assert empty.exit_code == 2 and "findings.json" in empty.output


def test_no_pdf_when_disabled(tmp_path):
    written = write_reports(build_sample(), tmp_path, ReportSettings(pdf=False))
    assert not [p for p in written if p.suffix == ".pdf"] and not list(tmp_path.glob("*.pdf"))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) not installed")
def test_rendered_page_is_not_blank(sample_pdfs):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "summary-page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(sample_pdfs / "summary.pdf"),
                    str(prefix)], check=True, timeout=60)
    pngs = sorted(ARTIFACTS.glob("summary-page-*.png"))
    assert pngs
    img = Image.open(pngs[0]).convert("L")
    assert img.width > img.height  # A4 landscape
    assert ImageStat.Stat(img).var[0] > 200
    dark = sum(img.histogram()[:128]) / (img.width * img.height)
    assert dark > 0.01


def test_seeds_pdfs(seeds_pdfs):
    res, out, written = seeds_pdfs
    assert (out / "summary.pdf") in written
    pages = pages_text(out / "summary.pdf")
    n = len(pages)
    assert n <= 30
    assert "Page 1 of %d" % n in pages[0] and "Page %d of %d" % (n, n) in pages[-1]
    text = flat(" ".join(pages))
    for f in res.findings:
        assert f.kind in text
        if f.severity == "error":
            assert flat(f.message)[:40] in text, f.message
    with_errors = {f.doc_id for f in res.findings if f.severity == "error"}
    assert {p.name for p in written if p.name.startswith("doc-")} >= {f"doc-{d}.pdf" for d in with_errors}
    for d in with_errors:
        doc_text = flat(" ".join(pages_text(out / f"doc-{d}.pdf")))
        mine = [f for f in res.findings if f.doc_id == d]
        for f in mine:       # at seeds size every finding fits on paper; noise lines are counted by kind
            if family_of(f.kind) != "noise":
                assert flat(f.message)[:40] in doc_text, f.message
        noise = Counter(f.kind for f in mine if family_of(f.kind) == "noise")
        if noise:
            assert f"{sum(noise.values())} noise lines" in doc_text
            for kind, n in noise.items():
                assert f"{n} {kind}" in doc_text
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out / "summary.pdf"),
                        str(ARTIFACTS / "seeds-summary")], check=True, timeout=60)
        img = Image.open(next(ARTIFACTS.glob("seeds-summary-*.png"))).convert("L")
        assert ImageStat.Stat(img).var[0] > 200


def test_worker_failure_is_one_clear_error(tmp_path):
    from audit.report import ReportError
    from audit.report.pdf import write_pdfs
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    jobs = [("<p>first</p>", tmp_path / "a.pdf"), ("<p>second</p>", blocker / "b.pdf")]
    with pytest.raises(ReportError, match=r"PDF worker failed: .*b\.pdf"):
        write_pdfs(jobs, workers=2)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_workers_started_before_their_jobs_lay_them_out(tmp_path):
    """A large batch's first run starts its PDF workers before the view-model (report/__init__:
    _early_pool); they wait for the job list, then claim jobs as the usual pool does."""
    from audit.report.manifest import PDF_JOBS_PREFIX
    from audit.report.pdf import PdfPool
    pool = PdfPool.started(tmp_path, 2)
    assert len(pool.procs) == 2 and all(p.poll() is None for p, _ in pool.procs)   # waiting
    jobs = [(f"<p>page {k}</p>", tmp_path / f"{k}.pdf") for k in range(4)]
    pool.submit(jobs)
    assert sorted(pool.finish(True)) == sorted(p for _, p in jobs)
    assert all(p.read_bytes().startswith(b"%PDF") for _, p in jobs)
    assert [p.returncode for p, _ in pool.procs] == [0, 0]
    assert not list(tmp_path.glob(f"{PDF_JOBS_PREFIX}*"))


def test_workers_started_early_end_when_no_job_comes(tmp_path):
    from audit.report.pdf import PdfPool
    idle = PdfPool.started(tmp_path / "idle", 2)
    assert idle.finish(True) == []                          # an empty list: they exit at once
    assert [p.returncode for p, _ in idle.procs] == [0, 0]
    failed = PdfPool.started(tmp_path / "failed", 2)
    failed.finish(ok=False)                                 # the run failed before its PDFs
    assert all(p.returncode is not None for p, _ in failed.procs)


def test_one_early_worker_is_topped_up_when_more_pdfs_changed(tmp_path):
    """A re-run starts one worker early (summary.pdf changes on every run); _PdfRun adds the
    others once the PDF cache says more than one PDF needs laying out."""
    from audit.report.pdf import PdfPool
    pool = PdfPool.started(tmp_path, 1)
    assert len(pool.procs) == 1
    jobs = [(f"<p>page {k}</p>", tmp_path / f"{k}.pdf") for k in range(3)]
    pool.submit(jobs)
    pool.top_up(2)
    assert len(pool.procs) == 2
    pool.top_up(2)                                          # never more than asked
    assert len(pool.procs) == 2
    assert sorted(pool.finish(True)) == sorted(p for _, p in jobs)
    assert all(p.read_bytes().startswith(b"%PDF") for _, p in jobs)
    assert [p.returncode for p, _ in pool.procs] == [0, 0]
    assert {e.name for e in tmp_path.iterdir()} == {f"{k}.pdf" for k in range(3)}


def test_rerun_of_a_large_batch_starts_one_worker_early(tmp_path, monkeypatch):
    from audit.report import _early_pool
    from audit.report import render_cache
    from audit.report.pdf import PdfPool
    counts = []
    monkeypatch.setattr(PdfPool, "started", classmethod(lambda cls, scratch, workers=2: counts.append(workers)))
    res = build_sample()
    res.documents = res.documents * 10              # past EARLY_WORKERS_FROM: only the count is read
    _early_pool(res, tmp_path, ReportSettings())
    (tmp_path / render_cache.CACHE).write_text('{"summary.pdf": {"html": "x", "pdf": "y"}}')
    _early_pool(res, tmp_path, ReportSettings())
    assert counts == [2, 1]
