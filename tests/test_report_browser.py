"""The HTML report in a real browser (Debian's Chromium through plain Playwright): filters,
tooltips on focus, reading without JavaScript, hostile text staying inert. Screenshots are kept
in tests/artifacts/ for people to look at."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from test_report_html import build_sample
from test_report_security import hostile_result

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """The synthetic batch and the seeds (real pipeline), each rendered to its own folder."""
    from audit import config, ingest, pipeline
    sample = tmp_path_factory.mktemp("sample")
    write_reports(build_sample(), sample, ReportSettings(pdf=False))
    docs, problems = ingest.load_paths(sorted((ROOT / "seeds").glob("*.txt")))
    res = pipeline.analyse(docs, config.Config(), name="seeds", problems=problems)
    seeds = tmp_path_factory.mktemp("seeds")
    write_reports(res, seeds, ReportSettings(pdf=False))
    return {"sample": sample, "seeds": seeds, "seeds_result": res}


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=True)


def visible_kinds(pg) -> list[str]:
    return [r.get_attribute("data-m").split(":")[1] for r in pg.locator(".frow").all() if r.is_visible()]


def test_only_one_family_hides_the_rest(page, reports):
    page.goto((reports["sample"] / "doc-f24-0912.html").as_uri())
    assert page.locator("#filters").is_visible()
    assert len(visible_kinds(page)) == 8
    page.click("button[data-only='family=entity']")
    assert visible_kinds(page) == ["entity-variant", "entity-variant"]
    assert page.locator("#filter-count").inner_text() == "2 of 8 findings shown"
    casing = page.locator(".hl[data-m*='surface:casing']").first
    assert "filtered" in casing.get_attribute("class")
    assert casing.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    entity = page.locator(".hl[data-m^='entity:']").first
    assert entity.get_attribute("data-fam") == "entity"
    assert entity.evaluate("e => getComputedStyle(e).textDecorationStyle") == "wavy"
    shot(page, "sample-doc-only-entity.png")
    page.uncheck("input[name=severity][value=error]")
    assert visible_kinds(page) == ["entity-variant"]  # the garbled name was the error
    page.click("button[data-reset]")
    assert len(visible_kinds(page)) == 8
    assert page.errors == []


def test_tooltip_shows_on_keyboard_focus(page, reports):
    page.goto((reports["sample"] / "doc-efe_17.html").as_uri())
    tip = page.locator(".hl[data-m*='token-merge'] > .tip")
    assert not tip.is_visible()
    page.locator(".hl[data-m*='token-merge']").focus()
    assert tip.is_visible()
    text = tip.inner_text()
    assert "two words run together" in text and "the aid" in text and "Zipf" in text
    shot(page, "sample-doc-tooltip.png")


def test_story_columns_and_unaligned_toggle(page, reports):
    page.goto((reports["sample"] / "story-s1.html").as_uri())
    heads = page.locator("table.story thead th").all_inner_texts()
    assert [h.split("\n")[0] for h in heads[1:]] == ["Hespress English", "France 24 (AFP)", "EFE"]
    assert page.locator("tr.unique").first.is_visible()
    page.uncheck("#show-unique")
    assert not page.locator("tr.unique").first.is_visible()
    assert page.locator("tr.aligned").count() == 3 and page.locator("tr.aligned").first.is_visible()
    page.locator("mark.artifact").first.hover()
    assert "garbled" in page.locator("mark.artifact .tip").first.inner_text()
    shot(page, "sample-story.png")
    assert page.errors == []


def test_page_reads_without_javascript(browser, reports):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto((reports["sample"] / "doc-f24-0912.html").as_uri())
    assert not pg.locator("#filters").is_visible()
    assert sum(r.is_visible() for r in pg.locator(".frow").all()) == 8
    ctx.close()


def test_hostile_text_is_inert_in_the_browser(page, tmp_path):
    write_reports(hostile_result(), tmp_path, ReportSettings(pdf=False))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for name in ("index.html", "doc-evil.html", "story-s.html"):
        page.goto((tmp_path / name).as_uri())
        page.locator(".hl, td").first.hover()
    assert dialogs == []
    assert not [u for u in requests if not u.startswith("file:")]
    body = page.locator("body").inner_text()
    assert "<script>alert(1)</script>" in body and page.locator("body").is_visible()


def test_seeds_report_in_the_browser(page, reports):
    res = reports["seeds_result"]
    page.goto((reports["seeds"] / "index.html").as_uri())
    assert page.locator("table.docs tbody tr").count() == len(res.documents) == 5
    shot(page, "seeds-index.png")
    by_doc: dict[str, set[str]] = {}
    for f in res.findings:
        by_doc.setdefault(f.doc_id, set()).add(f.family)
    if not by_doc or max(len(v) for v in by_doc.values()) < 2:
        pytest.skip("the seeds run has no document with two finding families yet")
    doc_id = max(by_doc, key=lambda d: (len(by_doc[d]), d))
    fam = sorted(by_doc[doc_id])[0]
    page.goto((reports["seeds"] / f"doc-{doc_id}.html").as_uri())
    page.click(f"button[data-only='family={fam}']")
    shown = [r.get_attribute("data-m").split(":")[0] for r in page.locator(".frow").all() if r.is_visible()]
    assert shown and set(shown) == {fam}
    assert len(shown) == sum(1 for f in res.findings if f.doc_id == doc_id and f.family == fam)
    shot(page, f"seeds-doc-only-{fam}.png")
    assert page.errors == []
