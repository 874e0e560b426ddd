"""Issue 13: audit is safe under bad inputs, bad paths, interruption and concurrent runs.

Each case of the issue is reproduced here. Hang cases run under a SIGALRM guard (a hang fails
the test instead of stalling the suite; no timing is asserted). The interruption cases start a
real `audit run` subprocess on the seeds and signal it while its PDF workers are running.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from audit.cli import main, one_line
from audit.ingest import LanguageSettings, load_paths, plan, read
from audit.ingest.decode import IngestError, decode, read_bytes
from audit.ingest.sources import Input, load
from audit.report import manifest
from audit.types import Document, SourceMeta, Span

REPO = Path(__file__).resolve().parent.parent
NO_LANG = LanguageSettings(enabled=False)
ARTICLE = ("Floods close Antwerp port\n\nANTWERP, June 3 (Belga) - Floods closed the port of Antwerp "
           "on Monday, the port authority said. About 300 ships were waiting offshore.\n\n"
           "The authority said the port would reopen on Wednesday if the water receded.\n")


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than `seconds`."""
    def fire(*_):
        raise TimeoutError(f"still running after {seconds} s: hangs")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def batch(tmp: Path, output: str = "out", paths: str = "[src]", extra: str = "") -> Path:
    """A two-article batch in tmp/src, HTML only (no PDFs), its config at tmp/batch.yaml."""
    (tmp / "src").mkdir(exist_ok=True)
    (tmp / "src" / "wire.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp / "src" / "copy.txt").write_text(ARTICLE.replace("Belga", "AFP"), encoding="utf-8")
    cfg = tmp / "batch.yaml"
    cfg.write_text(f"name: t\noutput: {output!r}\nreport: {{pdf: false}}\n"
                   f"language: {{enabled: false}}\nsources:\n  - paths: {paths}\n{extra}",
                   encoding="utf-8")
    return cfg


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


# --- 1. the output folder -------------------------------------------------------------------------

def test_output_folder_equal_to_the_source_folder_is_refused_and_user_files_kept(tmp_path):
    cfg = batch(tmp_path, output=".", paths="[.]")
    (tmp_path / "index.html").write_text("my own page", encoding="utf-8")
    (tmp_path / "summary.pdf").write_bytes(b"%PDF-1.4 mine")
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 2
    line = res.stderr.strip().splitlines()[0]
    assert "the output folder is the source path '.'" in line and str(tmp_path) in line
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "my own page"
    assert (tmp_path / "summary.pdf").read_bytes() == b"%PDF-1.4 mine"
    assert not (tmp_path / "findings.json").exists()


@pytest.mark.parametrize("output,paths,relation", [("src/reports", "[src]", "lies inside"),
                                                    (".", "[src]", "contains"),
                                                    ("..", "[src]", "contains"),
                                                    (".", "[src/*.txt]", "contains"),
                                                    (".", "[src/wire.txt]", "contains")])
def test_output_folder_overlapping_a_source_is_refused(tmp_path, output, paths, relation):
    base = tmp_path / "desk"
    base.mkdir()
    cfg = batch(base, output=output, paths=paths)
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 2, res.output
    assert f"the output folder {relation} the source path" in res.stderr
    assert not list(tmp_path.rglob("findings.json"))


def test_root_and_empty_output_paths_are_refused_even_with_force(tmp_path):
    cfg = batch(tmp_path)
    for args in (["--out", "/"], ["--out", "/", "--force"], ["--out", ""]):
        res = run_cli("run", "-c", str(cfg), "-q", *args)
        assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1, (args, res.output)
    assert "may not be the root folder" in run_cli("run", "-c", str(cfg), "--out", "/", "--force").stderr
    cfg = batch(tmp_path, output="")
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 2 and "output: empty path" in res.stderr


def test_foreign_files_under_report_names_are_refused_unless_force(tmp_path):
    cfg = batch(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the desk's own index", encoding="utf-8")
    (out / "notes.txt").write_text("notes", encoding="utf-8")
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 2 and "holds files audit did not write" in res.stderr
    assert "index.html" in res.stderr and "notes.txt" not in res.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "the desk's own index"
    res = run_cli("run", "-c", str(cfg), "-q", "--force")
    assert res.exit_code == 0, res.output
    assert "audit" in (out / "index.html").read_text(encoding="utf-8").lower()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "notes"


@pytest.mark.parametrize("output,paths", [("src/reports", "[src]"), (".", "[.]"), (".", "[src]"),
                                          ("src", "[src/*.*]"), (".", "['**/*.*']")])
def test_forced_overlapping_output_reads_the_sources_but_never_its_reports(tmp_path, output, paths):
    cfg = batch(tmp_path, output=output, paths=paths)
    for _ in range(2):                  # the second run finds the first one's pages beside the articles
        res = run_cli("run", "-c", str(cfg), "-q", "--force")
        assert res.exit_code == 0, res.output
        data = json.loads((tmp_path / output / "findings.json").read_text(encoding="utf-8"))
        assert sorted(d["id"] for d in data["documents"]) == ["copy", "wire"]


def test_forced_run_never_replaces_an_input_file(tmp_path):
    cfg = batch(tmp_path, output="src", paths="[src/*.txt, src/index.html]")
    page = "<html><head><title>Kept</title></head><body><p>" + ARTICLE + "</p></body></html>"
    (tmp_path / "src" / "index.html").write_text(page, encoding="utf-8")
    res = run_cli("run", "-c", str(cfg), "-q", "--force")
    assert res.exit_code == 1
    assert "is an input of this batch; not replaced" in res.stderr
    assert (tmp_path / "src" / "index.html").read_text(encoding="utf-8") == page


# --- 2. symbolic links ----------------------------------------------------------------------------

def test_symlinks_out_of_the_source_roots_are_skipped_with_a_problem(tmp_path):
    secret = tmp_path / "etc" / "shadow.txt"
    secret.parent.mkdir()
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "wire.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "shadow.txt").symlink_to(secret)
    (src / "etc").symlink_to(secret.parent, target_is_directory=True)
    (src / "alias.txt").symlink_to(src / "wire.txt")            # inside the roots: fine
    inputs, problems = plan([_Src([str(src)])], tmp_path)
    assert [i.path.resolve() for i in inputs] == [src / "wire.txt"]   # alias.txt: the same file
    text = "\n".join(map(str, problems))
    assert f"{src / 'shadow.txt'}: symbolic link to {secret}, outside the source folders" in text
    assert f"{src / 'etc'}: symbolic link to {secret.parent}" in text and "follow_symlinks" in text
    inputs, problems = plan([_Src([str(src / "shadow.txt")])], tmp_path)     # named directly
    assert inputs == [] and "outside the source folders" in str(problems[0])
    inputs, problems = plan([_Src([str(src / "*.txt")])], tmp_path)          # through a glob
    assert [i.path.resolve() for i in inputs] == [src / "wire.txt"]
    inputs, _ = plan([_Src([str(src)], follow_symlinks=True)], tmp_path)
    assert "shadow.txt" in {i.path.name for i in inputs}


def test_a_shadow_link_never_reaches_findings_or_pages(tmp_path):
    cfg = batch(tmp_path)
    secret = tmp_path / "shadow"
    secret.mkdir()
    (secret / "shadow.txt").write_text("root:$6$SECRETHASH:19000\n", encoding="utf-8")
    (tmp_path / "src" / "shadow.txt").symlink_to(secret / "shadow.txt")
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 1 and "symbolic link to" in res.stderr
    for f in (tmp_path / "out").iterdir():
        if f.is_file():
            assert b"SECRETHASH" not in f.read_bytes(), f.name


class _Src:
    def __init__(self, paths: list[str], follow_symlinks: bool = False, max_chars: int | None = None):
        self.paths, self.follow_symlinks = paths, follow_symlinks
        if max_chars:
            self.max_chars = max_chars


# --- 3. concurrent runs, lock, staging, journal ---------------------------------------------------

def test_a_held_lock_names_its_pid_and_dies_with_its_holder(tmp_path):
    cfg = batch(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from audit.report import manifest\n"
        f"with manifest.locked({str(out)!r}):\n    print('locked', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        res = run_cli("run", "-c", str(cfg), "-q")
        assert res.exit_code == 1
        assert f"another audit run (pid {holder.pid}" in res.stderr
        assert not (out / "findings.json").exists()
    finally:
        holder.kill()                                    # kill -9: no clean-up in the holder
        holder.wait()
    with manifest.locked(out):                           # the kernel released the lock
        assert manifest.holder_pid(out) == os.getpid()


def test_debris_of_interrupted_runs_is_cleaned_at_start_and_nothing_else(tmp_path):
    (tmp_path / ".findings.json.ab12cd34.tmp").write_bytes(b"x" * 1000)
    (tmp_path / f"{manifest.STAGING_PREFIX}999").mkdir()
    (tmp_path / f"{manifest.STAGING_PREFIX}999" / "index.html").write_text("half", encoding="utf-8")
    (tmp_path / f"{manifest.PDF_JOBS_PREFIX}x1").mkdir()
    keep = [".my-notes.tmp", "notes.txt", ".audit-pdf-cache.json", ".audit-cache"]
    for name in keep[:3]:
        (tmp_path / name).write_text("mine", encoding="utf-8")
    (tmp_path / ".audit-cache").mkdir()
    with manifest.locked(tmp_path) as removed:
        assert removed == sorted([".findings.json.ab12cd34.tmp", f"{manifest.STAGING_PREFIX}999",
                                  f"{manifest.PDF_JOBS_PREFIX}x1"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep + [manifest.LOCK])


def test_a_run_killed_while_publishing_is_cleaned_up_by_the_next(tmp_path, monkeypatch):
    out = tmp_path

    def publish(names: dict[str, str], die_at: int | None = None) -> manifest.Published:
        stage = manifest.Stage(out, manifest.read(out))
        for n, text in names.items():
            (stage.dir / n).write_text(text, encoding="utf-8")
        moves, real = [], manifest.Stage._move

        def move(self, name, *args):
            if len(moves) == die_at:
                raise KeyboardInterrupt             # the run dies between two renames
            moves.append(name)
            return real(self, name, *args)
        monkeypatch.setattr(manifest.Stage, "_move", move)
        try:
            return stage.publish([stage.dir / n for n in names])
        finally:
            monkeypatch.undo()
            stage.discard()
    publish({"index.html": "run 1", "story-a.html": "a1"})
    with pytest.raises(KeyboardInterrupt):          # run 2 dies after two of its three renames
        publish({"index.html": "run 2", "story-b.html": "b2", "story-c.html": "c2"}, die_at=2)
    assert (out / "index.html").read_text(encoding="utf-8") == "run 2"
    assert (out / "story-b.html").exists() and not (out / "story-c.html").exists()
    res = publish({"index.html": "run 3"})
    assert res.removed == ["story-a.html", "story-b.html"]     # b is known only from the journal
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["index.html"]
    assert set(manifest.read(out)) == {"index.html"}


# --- 4-6. hangs: long lines, large files, FIFOs ---------------------------------------------------

def test_a_5mb_line_goes_through_every_boilerplate_pattern(tmp_path):
    from audit.boilerplate.patterns import build_library
    from audit.boilerplate.settings import BoilerplateSettings
    lib = build_library(BoilerplateSettings())
    seed = (REPO / "seeds" / "001_393928cfdeb5277e.txt").read_text(encoding="utf-8").replace("\n", " ")
    line = (seed * (5_000_000 // len(seed) + 1))[:5_000_000]
    with hang_guard(90):
        hits = lib.match(line, len(line.split()))
    assert "comment-policy" not in {h.pattern.name for h in hits}
    policy = next(p for p in lib.patterns if p.name == "comment-policy")
    with hang_guard(30):
        for text in ("we " * 1_000_000, "comments policy " * 300_000, "you " + "x" * 5_000_000):
            policy.rx.search(text)
    assert policy.rx.search(" word" * 1000 + " Comments that violate these rules are removed. Please be civil.")
    assert policy.rx.search("We moderate all comments") is None        # as before: pronoun after


def test_long_articles_past_max_chars_are_a_problem_line(tmp_path):
    seed = (REPO / "seeds" / "001_393928cfdeb5277e.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text((seed + "\n\n") * (3_000_000 // len(seed)), encoding="utf-8")
    line = tmp_path / "line.txt"
    line.write_text("Title\n\n" + "word " * 300_000, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "x " * 600_001}) + "\n" + json.dumps({"text": ARTICLE}) + "\n",
                    encoding="utf-8")
    with hang_guard(60):
        docs, problems = load(plan([_Src([str(big), str(line), str(feed)])], tmp_path)[0], NO_LANG)
    assert [d.id for d in docs] == ["feed-2"]
    text = {Path(p.where).name: p.message for p in problems}
    assert "more than max_chars (1,000,000" in text["big.txt"]
    assert "article has 1,500,007 characters, more than max_chars (1,000,000)" in text["line.txt"]
    assert "more than max_chars" in text["feed.jsonl:1"]
    docs, problems = load(plan([_Src([str(line)], max_chars=2_000_000)], tmp_path)[0], NO_LANG)
    assert len(docs) == 1 and not problems


def test_is_noise_bisect_agrees_with_a_scan():
    import random
    rng = random.Random(13)
    for _ in range(200):
        doc = Document("d", "d.txt", "x" * 1000)
        doc.noise = [Span(a, a + rng.randint(0, 80)) for a in (rng.randint(0, 950) for _ in range(rng.randint(0, 12)))]
        for _ in range(50):
            s = rng.randint(0, 990)
            e = s + rng.randint(0, 60)
            assert doc.is_noise(s, e) == any(n.start <= s and e <= n.end for n in doc.noise)
        doc.noise = doc.noise + [Span(0, 1000)]                 # a new list is indexed afresh
        assert doc.is_noise(10, 20)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_refused_named_or_walked(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "wire.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(src / "pipe.txt")
    with hang_guard(20):
        inputs, problems = plan([_Src([str(src), str(src / "pipe.txt")])], tmp_path)
        with pytest.raises(IngestError, match="not a regular file \\(a FIFO\\)"):
            read_bytes(src / "pipe.txt")
        docs, more = load_paths([src / "pipe.txt", src / "wire.txt"], NO_LANG)
    assert [i.path.name for i in inputs] == ["wire.txt"]
    assert [str(p) for p in problems] == [f"{src / 'pipe.txt'}: not a regular file (a FIFO); skipped, only regular files are read"] * 2
    assert [d.id for d in docs] == ["wire"] and "FIFO" in str(more[0])


# --- 7-8. interruption: a real `audit run` signalled while its PDF workers run --------------------

def _workers(out: Path) -> list[int]:
    """PDF worker processes whose job file lies under `out` (found in /proc)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"audit.report.pdf" in cmd and any(str(out).encode() in c for c in cmd):
                pids.append(int(d.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pdf_batch(base: Path, out: Path) -> Path:
    """Two seed articles with findings, so that the run renders several PDFs (workers start);
    only the cheap detectors, to keep these runs short."""
    from audit.artifacts.registry import load_all
    (base / "src").mkdir(parents=True)
    for name in ("003_2bd9be3e00da0a82.txt", "004_b437bb3b9080d679.txt"):
        shutil.copy(REPO / "seeds" / name, base / "src" / name)
    off = "".join(f"  {n}: false\n" for n in sorted(load_all()) if n not in ("fragments", "grammar"))
    cfg = base / "batch.yaml"
    cfg.write_text(f"output: {str(out)!r}\nlanguage: {{enabled: false}}\n"
                   "report: {pdf_threshold: any, pdf_workers: 2}\nsources:\n  - paths: [src]\n"
                   f"detectors:\n{off}", encoding="utf-8")
    return cfg


def _audit_run(cfg: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "audit", "run", "-c", str(cfg), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _start_run(tmp: Path, until: str = "workers") -> tuple[subprocess.Popen, list[int], Path]:
    """`audit run` into tmp/out, returned once it holds the folder's lock (`until="lock"`) or
    once its PDF workers are running."""
    out = tmp / "out"
    cfg = _pdf_batch(tmp, out)
    proc = _audit_run(cfg)
    if until == "lock":
        _wait(proc, lambda: manifest.holder_pid(out) == proc.pid, "the lock")
        return proc, [], cfg
    return proc, _wait_workers(proc, out), cfg


def _wait_workers(proc: subprocess.Popen, out: Path) -> list[int]:
    return _wait(proc, lambda: _workers(out), "a PDF worker")


def _wait(proc: subprocess.Popen, seen, what: str):
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        got = seen()
        if got:
            return got
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"never saw {what} (run exit {proc.wait()}): {proc.stderr.read()[-500:]}")


def _gone(pids: list[int], within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_concurrent_run_is_refused_and_sigint_exits_130_taking_the_workers(tmp_path):
    proc, workers, _ = _start_run(tmp_path)
    out = tmp_path / "out"
    _signal_all([proc.pid, *workers], signal.SIGSTOP)          # frozen mid-way: deterministic
    try:
        other = _pdf_batch(tmp_path / "b", out)               # a second run into the same folder
        (tmp_path / "b" / "src" / "zz_intruder.txt").write_text(ARTICLE, encoding="utf-8")
        second = subprocess.run([sys.executable, "-m", "audit", "run", "-c", str(other), "-q"],
                                capture_output=True, text=True, timeout=240)
        assert second.returncode == 1
        assert f"another audit run (pid {proc.pid}" in second.stderr
        assert "is writing this output folder" in second.stderr
        unfinished = _unfinished_jobs(out)
        assert unfinished, "the workers had no PDF left to render"
        proc.send_signal(signal.SIGINT)                        # delivered when it resumes
    finally:
        _signal_all([*workers, proc.pid], signal.SIGCONT)
    assert proc.wait(timeout=60) == 130
    assert "interrupted (SIGINT)" in proc.stderr.read()
    assert _gone(workers), "PDF workers outlived the run"
    assert not list(out.glob(".audit-staging-*")) and not list(out.glob(".audit-pdf-jobs-*"))
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not (out / "findings.json").exists()                 # nothing half-published


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _unfinished_jobs(out: Path) -> list[Path]:
    """PDFs assigned to workers (their job files under the staging folder) not yet written."""
    todo = []
    for job in out.glob(".audit-staging-*/.audit-pdf-jobs-*/*.json"):
        todo += [Path(pdf) for _, pdf in json.loads(job.read_text(encoding="utf-8"))
                 if not Path(pdf).exists()]
    return todo


def test_sigterm_exits_143_without_debris(tmp_path):
    out = tmp_path / "out"
    proc, _, _ = _start_run(tmp_path, until="lock")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    assert "interrupted (SIGTERM)" in proc.stderr.read()
    assert not list(out.glob(".audit-staging-*")) and not (out / "findings.json").exists()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_kill_9_leaves_no_workers_and_the_next_run_cleans_up(tmp_path):
    proc, workers, cfg = _start_run(tmp_path)
    out = tmp_path / "out"
    assert all(_job_files_under(w, out) for w in workers)         # job files: not in /tmp
    _signal_all(workers, signal.SIGSTOP)          # so that they cannot simply finish their jobs
    unfinished = _unfinished_jobs(out)
    proc.kill()
    proc.wait()
    _signal_all(workers, signal.SIGCONT)
    assert unfinished and _gone(workers), "PDF workers outlived a kill -9 of the run"
    assert not all(p.exists() for p in unfinished)                # they stopped, not finished
    assert list(out.glob(".audit-staging-*"))                    # the debris an interrupted run leaves
    assert not (out / "findings.json").exists()                  # nothing half-published
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("pdf_threshold: any", "pdf: false"),
                   encoding="utf-8")                             # the next run (HTML only: faster)
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 0, res.output
    assert not list(out.glob(".audit-staging-*")) and not list(out.glob(".audit-pdf-jobs-*"))
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    listed = set(json.loads((out / manifest.MANIFEST).read_text(encoding="utf-8"))["files"])
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} <= listed
    assert len(json.loads((out / "findings.json").read_text(encoding="utf-8"))["documents"]) == 2


def _job_files_under(pid: int, out: Path) -> bool:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True                                    # already finished
    return any(a.startswith(str(out).encode()) and a.endswith(b".json") for a in args)


# --- minor cases ----------------------------------------------------------------------------------

def test_a_nul_byte_after_64k_is_binary_in_every_format(tmp_path):
    with pytest.raises(IngestError, match="binary"):
        decode(b"a" * 70_000 + b"\x00tail")
    with pytest.raises(IngestError, match="NUL"):
        decode(codecs.BOM_UTF16_LE + ("a" * 40_000 + "\x00").encode("utf-16-le"))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "a" * 70_000 + "\x00 hidden"}) + "\n"
                    + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    docs, problems = load_paths([feed], NO_LANG)
    assert [d.id for d in docs] == ["feed-2"]
    assert str(problems[0]).startswith(f"{feed}:1: binary content (NUL character")


def test_problem_lines_stay_one_line_whatever_the_file_name(tmp_path):
    cfg = batch(tmp_path)
    os.mkfifo(tmp_path / "src" / "evil\nname\u202etxt.txt")
    res = run_cli("config", "check", "-c", str(cfg))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "evil\\nname\\u202etxt.txt: not a regular file (a FIFO)" in lines[0]
    assert one_line("a\x1b[31mred\r\n") == "a\\x1b[31mred\\r\\n"


def test_an_unreadable_folder_says_permission_denied(tmp_path, monkeypatch):
    src = tmp_path / "src"
    (src / "locked").mkdir(parents=True)
    (src / "locked" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "b.txt").write_text(ARTICLE, encoding="utf-8")
    real = os.scandir

    def scandir(path):                  # tests run as root, for whom chmod 000 denies nothing
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr("audit.ingest.sources.os.scandir", scandir)
    inputs, problems = plan([_Src([str(src), str(src / "locked")])], tmp_path)
    assert [i.path.name for i in inputs] == ["b.txt"]
    assert [str(p) for p in problems] == [f"{src / 'locked'}: cannot list folder: permission denied"] * 2


def test_bidi_controls_are_shown_not_applied_in_reports(tmp_path):
    from audit.report.html import get_renderer
    from audit.report.settings import ReportSettings
    env = get_renderer(ReportSettings()).env
    page = env.from_string('<p title="{{ t }}">{{ t }}</p>').render(t="run evil\u202eexe.txt\u2066x\u2069")
    assert "\u202e" not in page and "\u2066" not in page
    assert page.count("[U+202E]") == 2 and "[U+2066]x[U+2069]" in page
    cfg = batch(tmp_path)
    (tmp_path / "src" / "wire.txt").write_text(ARTICLE.replace("Floods close", "Floods \u202eesolc"),
                                                encoding="utf-8")   # title and body
    res = run_cli("run", "-c", str(cfg), "-q")
    assert res.exit_code == 0, res.output
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.html")]
    assert any("[U+202E]" in p for p in pages) and not any("\u202e" in p for p in pages)


# --- fuzz -----------------------------------------------------------------------------------------

_CHARS = st.one_of(st.sampled_from(list("ab .,\n\r\t-—:()\"'0123456789ÉéşAZ\u202e\u200f\x00\ufeffن")),
                   st.characters())


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from([".txt", ".jsonl", ".html"]),
       body=st.one_of(st.text(_CHARS, max_size=400), st.binary(max_size=400)),
       prefix=st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]))
def test_fuzz_ingest_never_crashes_and_keeps_offsets_valid(tmp_path_factory, kind, body, prefix):
    path = tmp_path_factory.mktemp("fz") / f"f{kind}"
    if kind == ".jsonl" and isinstance(body, str):
        raw = (json.dumps({"text": body, "title": body[:20]}) + "\n" + body).encode("utf-8", "surrogatepass")
    elif kind == ".html" and isinstance(body, str):
        raw = f"<html><head><title>{body[:30]}</title></head><body><p>{body}</p></body></html>".encode(
            "utf-8", "surrogatepass")
    else:
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    path.write_bytes(prefix + raw)
    docs, problems = read(Input(path, "f", SourceMeta(), 1_000_000))
    for p in problems:
        assert p.message and p.where.startswith(str(path))
    for d in docs:
        assert "\x00" not in d.text
        n = len(d.text)
        for span in [*d.lines, *d.paragraphs, *d.sentences, *([d.title_span] if d.title_span else [])]:
            assert 0 <= span.start <= span.end <= n
