"""The index of a 2,000-article run in a real browser: it loads, filters, pages and leads to
the article and story pages. The run is generated (bench/gen_articles.py) with cheap, rule-made
findings and stories from the generator's own story numbers, so the test needs no pipeline."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from audit.types import AlignedGroup, Alignment, Finding, RunResult, SentRef, Story

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
N = 2000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


def generated_run(n: int) -> RunResult:
    """Generated articles; every 3rd gets a warning, every 40th an error; articles of one
    generated story form a Story whose first sentences are aligned."""
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_articles import generate
    docs = generate(n)
    findings = []
    for i, d in enumerate(docs):
        s = d.sentences[1] if len(d.sentences) > 1 else d.sentences[0]
        word = re.search(r"[A-Z][a-z]{3,}", d.text[s.start:s.end])
        if word and i % 3 == 0:
            a = s.start + word.start()
            sev = "error" if i % 40 == 0 else "warning"
            findings.append(Finding.at(d, a, a + len(word.group()), "entity-variant", sev, "spelling differs",
                                       "test", None, {"rule": "test-rule", "canonical": word.group()}))
    by_story: dict[str, list] = {}
    for d in docs:
        by_story.setdefault(d.id.split("-")[0], []).append(d)
    stories, groups = [], []
    for sid, ds in by_story.items():
        if len(ds) < 2:
            continue
        stories.append(Story(f"s{sid}", "story", [d.id for d in ds], ds[0].title or sid,
                             near_copies=[{"doc": d.id, "source": ds[0].id, "score": 0.8} for d in ds[1:]]))
        groups.append(AlignedGroup(f"g{sid}", f"s{sid}", [SentRef(d.id, d.sentences[0].start, d.sentences[0].end)
                                                         for d in ds], 0.8))
    return RunResult(f"generated {n}", docs, findings, alignment=Alignment(stories, groups))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    res = generated_run(N)
    out = tmp_path_factory.mktemp("big")
    write_reports(res, out, ReportSettings(pdf=False))
    return res, out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def rows(pg) -> list[list[str]]:
    return [r.locator("td").all_inner_texts() for r in pg.locator("#docs-table tbody tr").all()]


def test_index_loads_filters_and_pages(page, big):
    res, out = big
    assert (out / "index.html").stat().st_size < 3 * 1024 * 1024
    page.goto((out / "index.html").as_uri())
    assert page.locator("#doc-count").inner_text() == f"{N} of {N} documents"
    assert len(rows(page)) == 50 and page.locator("#doc-page").inner_text() == "page 1 of 40"
    scores = [float(r[-1]) for r in rows(page)]
    assert scores == sorted(scores, reverse=True)                      # most damaged first
    with_errors = len({f.doc_id for f in res.findings if f.severity == "error"})
    page.select_option("select[name=sev]", "e")
    assert page.locator("#doc-count").inner_text() == f"{with_errors} of {N} documents"
    assert all("error" in r[-2] for r in rows(page))
    page.select_option("select[name=sev]", "")
    outlet = res.documents[7].outlet
    page.fill("input[name=q]", outlet)
    expect = sum(1 for d in res.documents if outlet.lower() in f"{d.id} {d.outlet} {d.title}".lower())
    assert page.locator("#doc-count").inner_text() == f"{expect} of {N} documents"
    assert all(r[1].startswith(outlet) for r in rows(page))   # labels of shared outlets carry the id
    page.fill("input[name=q]", "")
    page.select_option("select[name=sort]", "order")
    assert rows(page)[0][0].startswith(res.documents[0].id)
    page.click("button[data-page='1']")
    assert page.locator("#doc-page").inner_text() == "page 2 of 40"
    assert rows(page)[0][0].startswith(res.documents[50].id)
    assert page.errors == []


def test_navigation_to_article_and_story(page, big):
    res, out = big
    page.goto((out / "index.html").as_uri())
    page.select_option("select[name=sort]", "order")
    page.locator("#docs-table tbody tr a").nth(3).click()
    assert page.locator("h1").inner_text() == res.documents[3].title
    page.go_back()
    widest = max(res.alignment.stories, key=lambda s: (len(s.doc_ids), s.id))
    assert len(widest.doc_ids) > 6
    page.locator(f"table.stories a[href='story-{widest.id}.html']").click()
    assert page.locator("nav.heat a").count() >= 1 and page.locator("li.rrow").count() >= 1
    before = page.locator("#columns-table th[scope=col]").count()
    page.click("#picker summary")
    box = page.locator(".picker-list input:not(:checked)").first
    label = page.locator(".picker-list label:has(input:not(:checked)) span[dir=auto]").first.inner_text()
    box.check()
    heads = page.locator("#columns-table th[scope=col]").all_inner_texts()
    assert len(heads) == before == 7 and any(label in h for h in heads)   # row gutter + six outlets
    assert page.errors == []
