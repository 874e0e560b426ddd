"""End to end: `audit run` on a day's feed, as a user runs it, timed and measured.

For each batch (bench/gen_feed.py: syndication-shaped, diverse, one giant story) it writes the
articles and a config, runs `audit run -c ... -q` in a subprocess and reports

- wall time, CPU time of the whole process tree (user + system: on a shared machine the
  steadier figure), analysis (the stage times the run records) vs the rest (start-up and the
  report stage);
- the per-stage times the run records in findings.json (ingest, boilerplate, artifacts, align);
- peak memory over the whole process tree (audit, its workers, PDF renderers), sampled every
  0.1 s with psutil: the peak of the summed RSS and the largest single process;
- growth from 1k to 10k articles;
- a re-run after 50 new articles join the 1k syndication feed (the cache of the first run in
  place), as a fraction of the first run.

    python bench/bench_run.py                      # 1k syndication, diverse, giant; re-run
    python bench/bench_run.py --sizes 1000 10000   # and the 10k batches
    python bench/bench_run.py --no-reports         # analysis only (report: html/pdf off)
    python bench/bench_run.py --profile            # cProfile the client process

Targets (issue 10, this 2-core machine): 1k syndication <= 45 s and <= 2 GB; 10k <= 5 min and
<= 4 GB, growth <= 11x; the giant-story batch <= 60 s; the re-run <= 20% of the first.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_feed  # noqa: E402

AUDIT = str(Path(sys.executable).parent / "audit")


@dataclass
class Measure:
    batch: str
    articles: int
    wall: float = 0.0
    analysis: float = 0.0          # until findings.json was written
    reports: float = 0.0           # the rest
    stages: dict[str, float] = field(default_factory=dict)
    cpu: float = 0.0               # user + system seconds of the whole process tree
    peak_rss_sum_mb: float = 0.0
    peak_rss_max_mb: float = 0.0
    processes: int = 0
    exit_code: int = 0
    findings: int = 0
    stories: int = 0


def _tree_rss(proc: psutil.Process, cpu: dict[int, float]) -> tuple[int, int, int]:
    """RSS summed and largest over the process tree; records each process's CPU seconds so
    far in `cpu` (pool workers are the fork server's children: when audit exits, nobody
    reaps them, so RUSAGE_CHILDREN would miss their time)."""
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    rss = []
    for p in procs:
        try:
            with p.oneshot():
                rss.append(p.memory_info().rss)
                t = p.cpu_times()
                cpu[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return sum(rss), max(rss, default=0), len(rss)


def run_audit(config: Path, out: Path, label: str, n: int, extra: list[str], profile: Path | None) -> Measure:
    cmd = [AUDIT, "run", "-c", str(config), "--out", str(out), "-q", *extra]
    if profile:
        code = ("import cProfile, sys\nfrom audit.cli import main\np = cProfile.Profile()\n"
                f"sys.argv = ['audit', *{cmd[1:]!r}]\ntry:\n    p.runcall(main)\nfinally:\n"
                f"    p.dump_stats({str(profile)!r})\n")
        cmd = [sys.executable, "-c", code]
    m = Measure(label, n)
    findings = out / "findings.json"
    before = findings.stat().st_mtime if findings.exists() else None
    cpu: dict[int, float] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    seen_findings = None
    while proc.poll() is None:
        total, biggest, count = _tree_rss(ps, cpu)
        m.peak_rss_sum_mb = max(m.peak_rss_sum_mb, total / 2**20)
        m.peak_rss_max_mb = max(m.peak_rss_max_mb, biggest / 2**20)
        m.processes = max(m.processes, count)
        if seen_findings is None and findings.exists() and findings.stat().st_mtime != before:
            seen_findings = time.perf_counter() - t0
        time.sleep(0.1)
    m.wall = time.perf_counter() - t0
    m.cpu = sum(cpu.values())           # sampled every 0.1 s: within a fraction of a second
    m.exit_code = proc.returncode
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if m.exit_code not in (0, 1):
        print(f"  ! {label}: exit {m.exit_code}\n{err[-2000:]}", file=sys.stderr)
        return m
    data = json.loads(findings.read_text(encoding="utf-8"))
    m.stages = {k: round(v, 2) for k, v in (data["run"].get("timings") or {}).items()}
    # findings.json is published with the reports (staging folder), so the analysis time is
    # what the run recorded for its stages; the rest (start-up, reports, publishing) is reports
    m.analysis = sum(m.stages.values()) or (seen_findings or m.wall)
    m.reports = max(0.0, m.wall - m.analysis)
    m.findings, m.stories = len(data["findings"]), len(data["stories"])
    return m


def batch(root: Path, shape: str, n: int) -> Path:
    folder = root / f"{shape}-{n}"
    if not (folder / "config.yaml").exists():
        gen_feed.generate(n, folder, shape)
    return folder


def show(m: Measure) -> None:
    st = " ".join(f"{k} {v:.1f}" for k, v in m.stages.items())
    print(f"{m.batch:<26} {m.articles:>6} wall {m.wall:7.1f} s (analysis {m.analysis:6.1f}, reports "
          f"{m.reports:6.1f}; cpu {m.cpu:6.1f} s)  peak RSS sum {m.peak_rss_sum_mb:6.0f} MB, max {m.peak_rss_max_mb:6.0f} MB "
          f"({m.processes} proc)  [{st}]  {m.findings} findings, {m.stories} stories", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--shapes", nargs="+", default=["syndication", "diverse", "giant"])
    ap.add_argument("--jobs", type=int, default=None, help="--jobs for audit run (default: all cores)")
    ap.add_argument("--no-reports", action="store_true", help="analysis only: report html/pdf off")
    ap.add_argument("--no-rerun", action="store_true")
    ap.add_argument("--dir", type=Path, default=None, help="keep batches here (default: a temp folder)")
    ap.add_argument("--profile", action="store_true", help="cProfile the client of the first run")
    ap.add_argument("--json", type=Path, default=None, help="write the measures here")
    a = ap.parse_args()
    root = a.dir or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    extra = ["--jobs", str(a.jobs)] if a.jobs else []
    results: list[Measure] = []
    for n in a.sizes:
        for shape in a.shapes:
            if shape == "giant" and n > 1000:
                continue                     # the giant batch is 1,000 articles
            folder = batch(root, shape, n)
            cfg = _config(folder, a.no_reports)
            out = folder / "reports"
            shutil.rmtree(out, ignore_errors=True)
            prof = folder / "client.prof" if a.profile else None
            m = run_audit(cfg, out, f"{shape}", n, extra, prof)
            results.append(m)
            show(m)
            if shape == "syndication" and n == 1000 and not a.no_rerun:
                gen_feed.generate(50, folder, shape, seed=99, start=n)
                r = run_audit(cfg, out, f"{shape} +50 (cached)", n + 50, extra, None)
                results.append(r)
                show(r)
                print(f"  re-run with 50 new articles: {r.wall / m.wall:.0%} of the first run "
                      f"(analysis {r.analysis / max(m.analysis, 1e-9):.0%})", flush=True)
                for p in sorted((folder / "articles").rglob("a01[0-9][0-9][0-9].txt")):
                    if int(p.stem[1:]) >= n:
                        p.unlink()           # the batch folder stays the 1k batch for next time
    by = {(m.batch, m.articles): m for m in results}
    for shape in a.shapes:
        small, big = by.get((shape, 1000)), by.get((shape, 10000))
        if small and big:
            print(f"growth 1k -> 10k ({shape}): wall x{big.wall / small.wall:.1f}, analysis "
                  f"x{big.analysis / small.analysis:.1f}, peak RSS sum x{big.peak_rss_sum_mb / small.peak_rss_sum_mb:.1f}")
    if a.json:
        a.json.write_text(json.dumps([asdict(m) for m in results], indent=1), encoding="utf-8")
    if not a.dir:
        print(f"(batches in {root}; pass --dir to keep and reuse them)")


def _config(folder: Path, no_reports: bool) -> Path:
    cfg = folder / ("config-analysis.yaml" if no_reports else "config.yaml")
    if no_reports and not cfg.exists():
        text = (folder / "config.yaml").read_text(encoding="utf-8")
        cfg.write_text(text + "report: {html: false, pdf: false}\n", encoding="utf-8")
    return cfg


if __name__ == "__main__":
    main()
