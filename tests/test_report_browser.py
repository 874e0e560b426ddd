"""The HTML report in a real browser (Debian's Chromium through plain Playwright): filters,
tooltips on focus, reading without JavaScript, hostile text staying inert, and the index of a
generated 2,000-article run (load, filter, pages, navigation). Screenshots are kept in
tests/artifacts/ for people to look at. One Playwright for the whole file: the sync API cannot
run two at once."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from audit.types import AlignedGroup, Alignment, Finding, RunResult, SentRef, Story
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


# --- a generated 2,000-article run ------------------------------------------------------------

N = 2000


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


def test_switched_in_outlet_keeps_its_marks(page, big):
    """An outlet switched into the story's columns shows its findings as the server-rendered
    columns do: highlighted spans with the filter token and a tooltip naming the finding."""
    res, out = big
    widest = max(res.alignment.stories, key=lambda s: (len(s.doc_ids), s.id))
    page.goto((out / f"story-{widest.id}.html").as_uri())
    marked = {f.doc_id: f for f in res.findings}
    data = page.evaluate("JSON.parse(document.getElementById('story-data').textContent).docs")
    ids = [d["id"] for d in data]
    on = set(page.locator(".picker-list input:checked").evaluate_all("xs => xs.map(x => Number(x.value))"))
    k = next(k for k, i in enumerate(ids) if i in marked)
    page.click("#picker summary")
    if k in on:         # switched out and in again: the column is then built by the script
        page.locator(f".picker-list input[value='{k}']").uncheck()
        assert data[k]["href"] not in page.locator("#columns-table th[scope=col] a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))")
    page.locator(f".picker-list input[value='{k}']").check()
    hrefs = page.locator("#columns-table th[scope=col]").evaluate_all(
        "ths => ths.map(th => (th.querySelector('a') || {}).getAttribute ? th.querySelector('a').getAttribute('href') : '')")
    col = hrefs.index(data[k]["href"]) + 1
    f = marked[ids[k]]
    first = page.locator(f"#columns-table tbody tr td:nth-child({col}) .hl").first
    assert first.get_attribute("data-m") == f"{f.family}:{f.kind}:{f.severity}"
    assert first.evaluate("e => e.firstChild.textContent") == f.text
    assert "spelling differs" in first.locator(".tip").inner_text()
    assert "filtered" not in first.get_attribute("class").split()
    page.evaluate("""sev => { const i = document.querySelector(`#filters input[name=severity][value=${sev}]`);
        i.checked = false; i.form.dispatchEvent(new Event('change')); }""", f.severity)
    assert "filtered" in first.get_attribute("class").split()        # the new marks follow the filters
    assert page.errors == []
