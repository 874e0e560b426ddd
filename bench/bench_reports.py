"""Time to build every seed's reports: HTML pages, the summary PDF and the per-story PDFs.

Target: under 10 s on a 2-core machine. Run: .venv/bin/python bench/bench_reports.py [--repeat N]
Writes into bench/out/reports (git-ignored).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reports")
    args = ap.parse_args()

    from audit import config, ingest, pipeline
    from audit.report import ReportSettings, write_reports
    from audit.report.html import get_renderer
    from audit.report.model import build_report

    docs, problems = ingest.load_paths(sorted((ROOT / "seeds").glob("*.txt")))
    result = pipeline.analyse(docs, config.Config(), name="seeds", problems=problems)
    print(f"seeds: {len(docs)} documents, {sum(d.word_count() for d in docs)} words, "
          f"{len(result.findings)} findings, {len(result.alignment.stories)} stories, "
          f"{len(result.alignment.groups)} aligned groups")
    t0 = time.perf_counter()
    import weasyprint  # noqa: F401  (import cost reported apart: paid once per process)
    get_renderer(ReportSettings())
    print(f"import weasyprint + compile templates: {time.perf_counter() - t0:.2f} s")

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    rows = {"view-model": [], "html": [], "html+pdf": [], "html+pdf (1 process)": []}
    cpu_pdf: list[float] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        build_report(result, ReportSettings())
        rows["view-model"].append(time.perf_counter() - t)
        t = time.perf_counter()
        write_reports(result, args.out, ReportSettings(pdf=False))
        rows["html"].append(time.perf_counter() - t)
        t = time.perf_counter()
        write_reports(result, args.out, ReportSettings(pdf_workers=1))
        rows["html+pdf (1 process)"].append(time.perf_counter() - t)
        t, c = time.perf_counter(), cpu()
        files = write_reports(result, args.out, ReportSettings())
        rows["html+pdf"].append(time.perf_counter() - t)
        cpu_pdf.append(cpu() - c)
    for name, ts in rows.items():
        print(f"{name:>22}: median {statistics.median(ts):.2f} s  (min {min(ts):.2f}, max {max(ts):.2f}, n={len(ts)})")
    pdfs = [f for f in files if f.suffix == ".pdf"]
    print(f"wrote {len(files)} files ({len(pdfs)} PDFs, "
          f"{sum(f.stat().st_size for f in pdfs) / 1024:.0f} KiB of PDF) to {args.out}")
    print(f"CPU time of html+pdf (this process + PDF workers): median {statistics.median(cpu_pdf):.2f} s; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    total = statistics.median(rows["html+pdf"])
    print(f"all seeds' reports, HTML and PDF: {total:.2f} s  (target < 10 s): {'OK' if total < 10 else 'SLOW'}")


if __name__ == "__main__":
    main()
