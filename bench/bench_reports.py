"""The report stage alone (HTML pages, summary.pdf, article and story PDFs) at any batch size.

    .venv/bin/python bench/bench_reports.py seeds               # the five seeds (target < 10 s)
    .venv/bin/python bench/bench_reports.py batch 1000          # generated syndication batch (<= 15 s)
    .venv/bin/python bench/bench_reports.py batch 10000         # the 1,000 run replicated x10 (<= 2 min)
    .venv/bin/python bench/bench_reports.py story 995           # one story of 995 outlets (<= 20 s)
    .venv/bin/python bench/bench_reports.py browser 10000       # index load and filter in Chromium (<= 1 s)
    .venv/bin/python bench/bench_reports.py feed 1000           # bench_run's syndication batch (gen_feed)
    .venv/bin/python bench/bench_reports.py feed 1000 --profile # cProfile of its report stage
    .venv/bin/python bench/bench_reports.py feed 1000 --rerun   # and a re-run with 50 new articles
    .venv/bin/python bench/bench_reports.py pdfs 1000           # each PDF of that run: pages, layout CPU

A generated batch is bench/gen_articles.py with 8-14 outlets per story, run once through the
pipeline and kept in bench/out/ (the analysis is not what this measures). 10,000 articles are the
1,000-article result replicated ten times with new ids, so the report stage sees ten times the
documents, findings, stories and claims without an hour of analysis first. Wall time and CPU
time (this process plus the PDF workers) are both printed: on a shared machine the CPU time is
the steadier figure. Writes into bench/out/reports-* (git-ignored).
"""
from __future__ import annotations

import argparse
import copy
import os
import pickle
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MB = 1024 * 1024


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def seeds_result():
    from audit import config, ingest, pipeline
    docs, problems = ingest.load_paths(sorted((ROOT / "seeds").glob("*.txt")))
    return pipeline.analyse(docs, config.Config(), name="seeds", problems=problems)


def generated_result(n: int, per_story: tuple[int, int] = (8, 14)):
    """gen_articles through the pipeline, cached in bench/out/ (keyed by size and shape)."""
    cache = OUT / f"result-{n}-{per_story[0]}-{per_story[1]}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_articles import OUTLETS, generate
    from audit import config, pipeline
    docs = generate(n, outlets_per_story=per_story)
    if per_story[0] >= n:          # one story: every copy is its own outlet
        for k, d in enumerate(docs):
            d.outlet = f"{OUTLETS[k % len(OUTLETS)]} {k // len(OUTLETS) + 1}"
    t = time.perf_counter()
    res = pipeline.analyse(docs, config.Config(), name=f"generated {n}")
    print(f"(analysis of {n} generated articles, once: {time.perf_counter() - t:.0f} s)")
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(res))
    return res


def feed_result(n: int, shape: str = "syndication", extra: int = 0):
    """bench_run's batch (bench/gen_feed.py) through the pipeline as `audit run` runs it (every
    core), cached in bench/out/; `extra` more articles join it (seed 99, as bench_run's re-run)."""
    cache = OUT / f"feed-{shape}-{n}+{extra}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_feed
    from audit import config, pipeline
    from audit.cache import Cache
    from audit.execution import make_executor
    folder = OUT / f"feed-{shape}-{n}"          # one folder: the re-run reads the same paths
    if not (folder / "config.yaml").exists():
        gen_feed.generate(n, folder, shape)
    added = gen_feed.generate(extra, folder, shape, seed=99, start=n) if extra else []
    cfg = config.load_config(folder / "config.yaml")
    t = time.perf_counter()
    with make_executor(cfg.execution, None, None, n_items=n + extra) as ex:
        res = pipeline.run(cfg, folder, executor=ex, cache=Cache(None))
    print(f"(analysis of the {n + extra} {shape} articles, once: {time.perf_counter() - t:.0f} s)")
    for p in added:
        Path(p).unlink()                        # the folder stays the n-article batch
    cache.write_bytes(pickle.dumps(res))
    return res


def bench_feed(n: int, profile: bool, rerun: bool, again: bool = False) -> None:
    """The report stage of bench_run's batch, as `audit run` publishes it (findings.json, staging
    folder, manifest), then (--rerun) with 50 new articles into the same folder."""
    from audit.report import ReportSettings
    from audit.report.publish import write_outputs
    res = feed_result(n)
    print(f"{len(res.documents)} articles, {len(res.findings)} findings, {len(res.alignment.stories)} stories; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    out = OUT / f"reports-feed-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    runs = [("first run", res)] + ([("+50 articles", feed_result(n, extra=50))] if rerun else [])
    runs += [("same again", runs[-1][1])] if again else []
    for label, r in runs:
        prof = None
        if profile:
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        t, c = time.perf_counter(), cpu()
        o = write_outputs(r, out, ReportSettings())
        run = {"wall": time.perf_counter() - t, "cpu": cpu() - c, "files": o.written}
        if prof:
            prof.disable()
            path = OUT / f"reports-feed-{n}-{label.replace(' ', '_')}.prof"
            prof.dump_stats(str(path))
            print(f"  profile: {path}")
        describe(f"{label:<13}", run, out)


def replicate(res, k: int):
    """k copies of a result with distinct ids: the same report load, k times over."""
    from audit.types import Alignment, RunResult
    out = RunResult(f"{res.name} x{k}", [], [], alignment=Alignment())
    for r in range(k):
        sfx = f"~r{r}"
        ren = lambda i: f"{i}{sfx}"  # noqa: E731
        for d in res.documents:
            d2 = copy.copy(d)
            d2.id = ren(d.id)
            out.documents.append(d2)
        for f in res.findings:
            f2 = copy.copy(f)
            f2.doc_id = ren(f.doc_id)
            out.findings.append(f2)
        a = copy.deepcopy(res.alignment)
        refs = {id(m): m for g in a.groups for m in g.members}          # diffs may share SentRefs with
        refs.update({id(x): x for d in a.diffs for x in (d.a, d.b)})   # groups: rename each object once
        for m in refs.values():
            m.doc_id = ren(m.doc_id)
        for s in a.stories:
            s.id, s.doc_ids = ren(s.id), [ren(i) for i in s.doc_ids]
            s.near_copies = [{**n, "doc": ren(n["doc"]), "source": ren(n["source"]) if n.get("source") else None}
                             for n in s.near_copies]
        for g in a.groups:
            g.id, g.story_id = ren(g.id), ren(g.story_id)
        for c in a.claims:
            c.id, c.story_id = ren(c.id), ren(c.story_id)
            c.group_id = ren(c.group_id) if c.group_id else None
            for m in c.mentions:
                m.doc_id = ren(m.doc_id)
        out.alignment.stories += a.stories
        out.alignment.groups += a.groups
        out.alignment.claims += a.claims
        out.alignment.diffs += a.diffs
        out.provenance.update({ren(i): p for i, p in res.provenance.items()})
        out.entities += res.entities if r == 0 else []
    return out


def one_story(res):
    """Every article of the batch as one story (the aligner may split a generated batch)."""
    from audit.types import Story
    ids = [d.id for d in res.documents]
    near = [n for s in res.alignment.stories for n in s.near_copies]
    res.alignment.stories = [Story("all", "story", ids, f"one story of {len(ids)} outlets", near)]
    for g in res.alignment.groups:
        g.story_id = "all"
    for c in res.alignment.claims:
        c.story_id = "all"
    return res


def report_stage(res, out: Path, settings) -> dict:
    from audit.report import write_reports
    t, c = time.perf_counter(), cpu()
    files = write_reports(res, out, settings)
    return {"wall": time.perf_counter() - t, "cpu": cpu() - c, "files": files}


def describe(label: str, run: dict, out: Path) -> None:
    from pypdf import PdfReader
    html = sorted(out.glob("*.html"), key=lambda p: -p.stat().st_size)
    pdfs = [p for p in run["files"] if p.suffix == ".pdf"]
    pages = len(PdfReader(str(out / "summary.pdf")).pages) if (out / "summary.pdf").exists() else 0
    print(f"{label}: {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU; {len(run['files'])} files "
          f"({len(pdfs)} PDFs); summary.pdf {pages} pages; largest page {html[0].name} "
          f"{html[0].stat().st_size / MB:.2f} MB" if html else "")


def bench_batch(n: int) -> None:
    from audit.report import ReportSettings
    res = generated_result(min(n, 1000))
    if n > 1000:
        res = replicate(res, n // 1000)
    print(f"{len(res.documents)} articles, {len(res.findings)} findings, {len(res.alignment.stories)} stories, "
          f"{len(res.alignment.claims)} claims; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    out = OUT / f"reports-{n}"
    shutil.rmtree(out, ignore_errors=True)
    describe("first run ", report_stage(res, out, ReportSettings()), out)
    describe("re-run    ", report_stage(res, out, ReportSettings()), out)
    from audit.report.model import build_report
    t = time.perf_counter()
    build_report(res, ReportSettings())
    print(f"  of which the view-model: {time.perf_counter() - t:.1f} s (templates are compiled once per process)")


def bench_story(n: int) -> None:
    from audit.report import ReportSettings
    from audit.report.__init__ import _context
    from audit.report.model import facets
    from audit.report.pdf import write_pdf
    res = one_story(generated_result(n, (n, n)))
    out = OUT / f"reports-story-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t, c = time.perf_counter(), cpu()
    r, view, ctx = _context(res, ReportSettings())
    sv = view.stories[0]
    html = r.render("story.html", story=sv, facets=facets(sv.findings), story_pdf=True, **ctx)
    (out / sv.href).write_text(html, encoding="utf-8")
    t_html = time.perf_counter() - t
    write_pdf(r.render("print/story.html", story=sv, **ctx), out / sv.pdf_name)
    from pypdf import PdfReader
    print(f"story of {len(sv.docs)} outlets ({len(sv.reading.rows)} reading rows): view-model + HTML "
          f"{t_html:.1f} s, with the PDF {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU; "
          f"page {len(html) / MB:.2f} MB; PDF {len(PdfReader(str(out / sv.pdf_name)).pages)} pages")


def bench_browser(n: int) -> None:
    """Index load (navigation start to the first page of rows drawn) and one filter, in Chromium."""
    out = OUT / f"reports-{n}"
    if not (out / "index.html").exists():
        bench_batch(n)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        pg = b.new_page()
        for _ in range(3):
            pg.goto((out / "index.html").as_uri())
            load = pg.evaluate("performance.now()")
            # each filter timed up to the table laid out again (offsetHeight forces the layout)
            took = pg.evaluate("""() => { const t = performance.now(); const s = document.querySelector('select[name=sev]');
                s.value = 'e'; s.dispatchEvent(new Event('change', {bubbles: true}));
                void document.getElementById('docs-table').offsetHeight;
                const q = document.querySelector('input[name=q]'); q.value = 'post';
                q.dispatchEvent(new Event('input', {bubbles: true}));
                void document.getElementById('docs-table').offsetHeight; return performance.now() - t; }""")
            print(f"index.html {(out / 'index.html').stat().st_size / MB:.2f} MB: loaded and first page drawn "
                  f"{load:.0f} ms; two filters {took:.0f} ms; {pg.locator('#doc-count').inner_text()}")
        b.close()


def bench_pdfs(n: int) -> None:
    """Each PDF the feed batch's run writes, laid out one at a time in this process: its pages
    and CPU seconds (process time, so the figure holds on a shared machine), then the HTML pages'
    rendering CPU. Where the report stage's time goes, PDF by PDF."""
    from audit.report.pdf import _quiet
    _quiet()
    import weasyprint
    from audit.report import ReportSettings, _context
    from audit.report.model import facets
    res = feed_result(n)
    t = time.process_time()
    r, view, ctx = _context(res, ReportSettings())
    print(f"view-model {time.process_time() - t:.2f} s CPU")
    plan = ctx["pdfs"]
    t = time.process_time()
    jobs = [("summary", r.render("print/summary.html", **ctx))]
    jobs += [(f"story {sv.story.id} ({len(sv.docs)} outlets)", r.render("print/story.html", story=sv, **ctx))
             for sv in plan.stories]
    jobs += [(f"doc {dv.id}", r.render("print/document.html", dv=dv, **ctx)) for dv in plan.docs]
    print(f"print HTML {time.process_time() - t:.2f} s CPU")
    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    total = pages = 0
    for name, html in jobs:
        t = time.process_time()
        doc = weasyprint.HTML(string=html, base_url=str(OUT) + "/").render()
        doc.write_pdf()
        took = time.process_time() - t
        total, pages = total + took, pages + len(doc.pages)
        print(f"  {name:<40} {len(html) / 1024:6.0f} KB {len(doc.pages):3d} pages {took:5.2f} s")
    print(f"PDFs: {len(jobs)}, {pages} pages, {total:.1f} s CPU")
    t = time.process_time()
    for sv in view.stories:
        r.render("story.html", story=sv, facets=facets(sv.findings), story_pdf=True, **ctx)
    for dv in view.docs:
        r.render("document.html", dv=dv, facets=facets(dv.findings), doc_pdf=False, **ctx)
    print(f"HTML pages: {time.process_time() - t:.2f} s CPU")


def bench_seeds() -> None:
    from audit.report import ReportSettings
    res = seeds_result()
    out = OUT / "reports-seeds"
    shutil.rmtree(out, ignore_errors=True)
    describe("seeds, first run", report_stage(res, out, ReportSettings()), out)
    describe("seeds, re-run   ", report_stage(res, out, ReportSettings()), out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["seeds", "batch", "story", "browser", "feed", "pdfs"])
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("--profile", action="store_true", help="feed: cProfile the report stage")
    ap.add_argument("--rerun", action="store_true", help="feed: then 50 new articles, same folder")
    ap.add_argument("--again", action="store_true", help="feed: then the same result again, same folder")
    a = ap.parse_args()
    {"feed": lambda: bench_feed(a.n, a.profile, a.rerun, a.again), "seeds": lambda: bench_seeds(), "pdfs": lambda: bench_pdfs(a.n), "batch": lambda: bench_batch(a.n), "story": lambda: bench_story(a.n),
     "browser": lambda: bench_browser(a.n)}[a.what]()


if __name__ == "__main__":
    main()
