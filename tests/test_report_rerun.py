"""Issue 11: a re-run renders only the article pages whose inputs changed (render_cache.page_key,
checked before the page's view-model is built), and the finish defects of the paper reports:
claim lists naming an article without an outlet, and summary.pdf's errors referring a name's
spelling table to the Garbled names section instead of printing it under every error."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from audit.report.html import Renderer
from audit.report.model import build_report
from audit.report.render_cache import PAGE_CACHE, templates_digest
from test_report_html import build_sample


@pytest.fixture
def renders(monkeypatch):
    """The templates rendered, in order (the real renderer does the work)."""
    seen: list[str] = []
    real = Renderer.render

    def counting(self, name, **ctx):
        seen.append(name)
        return real(self, name, **ctx)

    monkeypatch.setattr(Renderer, "render", counting)
    return seen


def test_unchanged_rerun_renders_no_article_page(tmp_path, renders):
    res = build_sample()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    first = renders.count("document.html")
    assert first == len(res.documents) and (tmp_path / PAGE_CACHE).exists()
    before = {p.name: p.read_bytes() for p in tmp_path.glob("doc-*.html")}
    renders.clear()
    written = write_reports(res, tmp_path, ReportSettings(pdf=False))
    assert renders.count("document.html") == 0
    assert renders.count("index.html") == 1 and renders.count("story.html") == 1   # always
    assert {p.name for p in written} >= set(before)          # still the run's files (manifest)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("doc-*.html")} == before


def test_a_changed_finding_renders_its_page_only(tmp_path, renders):
    res = build_sample()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    res2 = copy.deepcopy(res)
    f = next(f for f in res2.findings if f.doc_id == "f24-0912")
    f.message = "A message the first run did not have"
    renders.clear()
    write_reports(res2, tmp_path, ReportSettings(pdf=False))
    assert renders.count("document.html") == 1
    assert "A message the first run did not have" in (tmp_path / "doc-f24-0912.html").read_text()


def test_an_edited_or_deleted_page_is_rendered_again(tmp_path, renders):
    res = build_sample()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    page = tmp_path / "doc-f24-0912.html"
    original = page.read_bytes()
    page.write_text("edited by hand")
    (tmp_path / "doc-efe_17.html").unlink()
    renders.clear()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    assert renders.count("document.html") == 2
    assert page.read_bytes() == original and (tmp_path / "doc-efe_17.html").exists()


def test_settings_and_templates_are_part_of_the_key(tmp_path, renders):
    res = build_sample()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    renders.clear()
    write_reports(res, tmp_path, ReportSettings(pdf=False, score_weights={"error": 5.0, "warning": 1.0, "info": 0.1}))
    assert renders.count("document.html") == len(res.documents)
    src = Path(Renderer(ReportSettings()).dir)
    copy_dir = tmp_path / "tpl"
    import shutil
    shutil.copytree(src, copy_dir)
    before = templates_digest(str(copy_dir))
    with open(copy_dir / "static" / "report.css", "a", encoding="utf-8") as fh:
        fh.write("\n/* changed */\n")
    templates_digest.cache_clear()
    assert templates_digest(str(copy_dir)) != before


def test_claim_lists_name_an_article_without_outlet_by_its_file_name():
    res = build_sample()
    d = next(d for d in res.documents if d.id == "f24-0912")
    d.outlet, d.source.outlet, d.source.name = None, None, ""
    view = build_report(res, ReportSettings())
    names = [m.label for c in view.claims for m in c.mentions]
    assert "f24-0912.txt" in names and "f24-0912" not in names
    dv = next(dv for dv in view.docs if dv.id == "f24-0912")
    assert dv.outlet is None and dv.named == "f24-0912.txt"
    other = next(dv for dv in view.docs if dv.id == "hespress-0913")
    assert other.named == other.label == "Hespress English"


def test_summary_errors_leave_name_spellings_to_the_names_section(tmp_path):
    from pypdf import PdfReader
    res = build_sample()
    f = next(f for f in res.findings if f.text == "Marrakch")
    f.evidence = {"rule": "consonant change", "verdict": "garbled", "canonical": "Marrakesh",
                  "spellings": [{"spelling": "Marrakesh", "verdict": "canonical", "outlets": {"Hespress English": 1}},
                                {"spelling": "Marrakch", "verdict": "garbled", "outlets": {"France 24 (AFP)": 1}}]}
    write_reports(res, tmp_path, ReportSettings(html=False, pdf_per_article=False, pdf_per_story=False))
    pages = [p.extract_text() or "" for p in PdfReader(str(tmp_path / "summary.pdf")).pages]
    text = " ".join(" ".join(pages).split())
    errors = text[text.index("Errors (", text.index("Contents") + 300):text.index("Value discrepancies (")]
    names = text[text.index("Garbled names ("):]
    assert "Marrakch" in errors and "Garbled names below" in errors
    assert "Spellings of this name" not in errors
    assert "Marrakch" in names and "Marrakesh" in names
