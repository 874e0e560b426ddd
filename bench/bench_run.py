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
  place), as a fraction of the first run;
- where the memory is: per kind of process (the client, the pool's fork server, pool workers,
  PDF renderers) its largest RSS and the stage the client was in then, the breakdown at the
  moment of the summed peak, and the summed PSS (shared pages counted once: forked workers share
  most of the fork server's pages, which the RSS sum counts in every process).

    python bench/bench_run.py                      # 1k syndication, diverse, giant; re-run
    python bench/bench_run.py --sizes 1000 10000   # and the 10k batches
    python bench/bench_run.py --no-reports         # analysis only (report: html/pdf off)
    python bench/bench_run.py --profile            # cProfile the client process
    python bench/bench_run.py --memray             # memray the client: what holds its peak

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
    peak_pss_sum_mb: float = 0.0   # shared pages counted once (sampled every 0.5 s)
    roles: dict[str, dict] = field(default_factory=dict)   # per kind of process, see _Sampler
    at_peak: dict[str, float] = field(default_factory=dict)  # MB per kind at the summed peak
    peak_stage: str = ""           # the client's stage at the summed peak
    exit_code: int = 0
    findings: int = 0
    stories: int = 0


ROLES = ("client", "forkserver", "worker", "pdf", "other")


def _role(p: psutil.Process, root: int, forkservers: set[int]) -> str:
    """Which kind of audit process `p` is: the client (the root), the process pool's fork
    server, a pool worker (a child of the fork server), a PDF renderer (`-m audit.report.pdf`)."""
    if p.pid == root:
        return "client"
    try:
        cmd = " ".join(p.cmdline())
        parent = p.ppid()
    except psutil.Error:
        return "other"
    if "audit.report.pdf" in cmd:
        return "pdf"
    if "forkserver" in cmd and parent == root:
        forkservers.add(p.pid)
        return "forkserver"
    if "forkserver" in cmd:          # forked by the server: same command line, another parent
        return "worker"
    return "other"


class _Sampler:
    """Samples the process tree: RSS per process every call, PSS every fifth; keeps per-role
    peaks and the stage the client was in (stage marks from the wrapper, see _WRAPPER)."""

    def __init__(self, root: psutil.Process, marks: Path):
        self.root, self.marks = root, marks
        self.cpu: dict[int, float] = {}
        self.roles: dict[int, str] = {}
        self.forkservers: set[int] = set()
        self.peak = {r: {"max_mb": 0.0, "sum_mb": 0.0, "stage": "", "count": 0} for r in ROLES}
        self.sum_peak = (0.0, {}, "")
        self.max_peak = 0.0
        self.pss_peak = 0.0
        self.n = 0
        self.count = 0

    def stage(self) -> str:
        try:
            lines = self.marks.read_text(encoding="utf-8").split()
        except OSError:
            return "start-up"
        return lines[-1] if lines else "start-up"

    def sample(self) -> None:
        try:
            procs = [self.root] + self.root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        self.n += 1
        with_pss = self.n % 5 == 1
        by_role: dict[str, list[float]] = {r: [] for r in ROLES}
        pss = 0.0
        for p in procs:
            try:
                with p.oneshot():
                    if p.pid not in self.roles:
                        self.roles[p.pid] = _role(p, self.root.pid, self.forkservers)
                    mem = p.memory_full_info() if with_pss else p.memory_info()
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                continue
            by_role[self.roles[p.pid]].append(mem.rss / 2**20)
            pss += getattr(mem, "pss", 0) / 2**20
        stage = self.stage()
        total = sum(sum(v) for v in by_role.values())
        self.count = max(self.count, sum(len(v) for v in by_role.values()))
        self.max_peak = max([self.max_peak, *(x for v in by_role.values() for x in v)])
        self.pss_peak = max(self.pss_peak, pss)
        if total > self.sum_peak[0]:
            self.sum_peak = (total, {r: round(sum(v)) for r, v in by_role.items() if v}, stage)
        for r, v in by_role.items():
            pk = self.peak[r]
            pk["count"] = max(pk["count"], len(v))
            pk["sum_mb"] = max(pk["sum_mb"], round(sum(v)))
            if v and max(v) > pk["max_mb"]:
                pk["max_mb"], pk["stage"] = round(max(v)), stage


# The client runs through this wrapper (as `audit run` would: audit.cli.main) so the sampler
# knows its stage: each stage of pipeline.analyse, ingest and the reports append a mark.
_WRAPPER = """
import contextlib, sys, time
MARKS = {marks!r}
def mark(stage):
    with open(MARKS, "a") as fh:
        fh.write(stage.replace(" ", "_") + "\\n")
import audit.pipeline as P, audit.report.publish as R
from audit.cli import main
_timed, _load, _write = P._timed, P.load, R.write_outputs
@contextlib.contextmanager
def timed(timings, stage, progress=None):
    mark(stage)
    with _timed(timings, stage, progress):
        yield
def load(*a, **k):
    mark("ingest")
    return _load(*a, **k)
def write_outputs(*a, **k):
    mark("reports")
    return _write(*a, **k)
P._timed, P.load, R.write_outputs = timed, load, write_outputs
sys.argv = ["audit", *{args!r}]
{body}
"""
_PLAIN = "main()"
_PROFILED = """import cProfile
p = cProfile.Profile()
try:
    p.runcall(main)
finally:
    p.dump_stats({profile!r})"""


def run_audit(config: Path, out: Path, label: str, n: int, extra: list[str], profile: Path | None,
              memray: Path | None = None) -> Measure:
    args = ["run", "-c", str(config), "--out", str(out), "-q", *extra]
    marks = out.parent / f".marks-{out.name}"
    marks.unlink(missing_ok=True)
    body = _PROFILED.format(profile=str(profile)) if profile else _PLAIN
    code = _WRAPPER.format(marks=str(marks), args=args, body=body)
    cmd = [sys.executable, "-c", code]
    if memray:
        memray.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "memray", "run", "-q", "-o", str(memray), "-c", code]
    m = Measure(label, n)
    findings = out / "findings.json"
    before = findings.stat().st_mtime if findings.exists() else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _Sampler(psutil.Process(proc.pid), marks)
    seen_findings = None
    while proc.poll() is None:
        sampler.sample()
        if seen_findings is None and findings.exists() and findings.stat().st_mtime != before:
            seen_findings = time.perf_counter() - t0
        time.sleep(0.1)
    m.wall = time.perf_counter() - t0
    m.cpu = sum(sampler.cpu.values())       # sampled every 0.1 s: within a fraction of a second
    m.peak_rss_sum_mb, m.at_peak, m.peak_stage = round(sampler.sum_peak[0]), *sampler.sum_peak[1:]
    m.peak_rss_max_mb, m.processes = round(sampler.max_peak), sampler.count
    m.peak_pss_sum_mb = round(sampler.pss_peak)
    m.roles = {r: v for r, v in sampler.peak.items() if v["count"]}
    marks.unlink(missing_ok=True)
    m.exit_code = proc.returncode
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if memray and memray.exists():
        print(memray_report(memray), flush=True)
    if m.exit_code not in (0, 1):
        print(f"  ! {label}: exit {m.exit_code}\n{err[-2000:]}", file=sys.stderr)
        return m
    if not findings.exists() or findings.stat().st_mtime == before:
        # exit 1 with findings.json left from the previous run: its figures would be that run's
        print(f"  ! {label}: exit {m.exit_code} and findings.json was not written\n{err[-2000:]}", file=sys.stderr)
        return m
    if m.exit_code == 1:
        print(f"  ! {label}: exit 1 (some input had a problem)\n{err[-1000:]}", file=sys.stderr)
    data = json.loads(findings.read_text(encoding="utf-8"))
    m.stages = {k: round(v, 2) for k, v in (data["run"].get("timings") or {}).items()}
    # findings.json is published with the reports (staging folder), so the analysis time is
    # what the run recorded for its stages; the rest (start-up, reports, publishing) is reports
    m.analysis = sum(m.stages.values()) or (seen_findings or m.wall)
    m.reports = max(0.0, m.wall - m.analysis)
    m.findings, m.stories = len(data["findings"]), len(data["stories"])
    return m


def memray_report(path: Path, top: int = 20) -> str:
    """What the client held at its high-water mark (memray): the largest holders by the first
    frame in audit's own code (the call site that owns the memory) and by the allocating line."""
    from collections import Counter

    from memray import FileReader
    reader = FileReader(str(path))
    by_site: Counter = Counter()
    by_line: Counter = Counter()
    total = 0
    for rec in reader.get_high_watermark_allocation_records(merge_threads=True):
        stack = rec.stack_trace()
        total += rec.size
        own = next((f"{fn} {file.split('/audit/', 1)[-1]}:{line}" for fn, file, line in stack
                    if "/audit/" in file and "site-packages" not in file), "(outside audit)")
        by_site[own] += rec.size
        top_frame = stack[0] if stack else ("?", "?", 0)
        by_line[f"{top_frame[0]} {top_frame[1].rsplit('/', 2)[-1]}:{top_frame[2]}"] += rec.size
    rows = [f"  client high-water mark: {total / 2**20:.0f} MB (Python heap and native allocations)",
            "  by call site in audit:"]
    rows += [f"    {v / 2**20:8.1f} MB  {k}" for k, v in by_site.most_common(top)]
    rows += ["  by allocating line:"]
    rows += [f"    {v / 2**20:8.1f} MB  {k}" for k, v in by_line.most_common(top)]
    return "\n".join(rows)


def batch(root: Path, shape: str, n: int) -> Path:
    folder = root / f"{shape}-{n}"
    if not (folder / "config.yaml").exists():
        gen_feed.generate(n, folder, shape)
    return folder


def show(m: Measure) -> None:
    st = " ".join(f"{k} {v:.1f}" for k, v in m.stages.items())
    print(f"{m.batch:<26} {m.articles:>6} wall {m.wall:7.1f} s (analysis {m.analysis:6.1f}, reports "
          f"{m.reports:6.1f}; cpu {m.cpu:6.1f} s)  peak RSS sum {m.peak_rss_sum_mb:6.0f} MB, max {m.peak_rss_max_mb:6.0f} MB "
          f"({m.processes} proc; PSS sum {m.peak_pss_sum_mb:.0f} MB)  [{st}]  {m.findings} findings, "
          f"{m.stories} stories", flush=True)
    at = ", ".join(f"{r} {v} MB" for r, v in m.at_peak.items())
    print(f"    at the summed peak ({m.peak_stage}): {at}", flush=True)
    for r, v in m.roles.items():
        print(f"    {r:<10} x{v['count']:<2} largest {v['max_mb']:6} MB (in {v['stage']}), "
              f"all together {v['sum_mb']:6} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--shapes", nargs="+", default=["syndication", "diverse", "giant"])
    ap.add_argument("--jobs", type=int, default=None, help="--jobs for audit run (default: all cores)")
    ap.add_argument("--no-reports", action="store_true", help="analysis only: report html/pdf off")
    ap.add_argument("--no-rerun", action="store_true")
    ap.add_argument("--dir", type=Path, default=None, help="keep batches here (default: a temp folder)")
    ap.add_argument("--profile", action="store_true", help="cProfile the client of the first run")
    ap.add_argument("--memray", action="store_true",
                    help="run the client of the first run under memray and show what it held at its peak")
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
            mem = folder / "client.memray" if a.memray and not results else None
            m = run_audit(cfg, out, f"{shape}", n, extra, prof, mem)
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
