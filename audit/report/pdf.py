"""HTML → PDF with WeasyPrint, with a URL fetcher that never touches the network.

Article text is escaped, so it cannot add <img> or url() to the page; the fetcher is the second
lock: only data: URLs and file:// URLs inside the report's own folder are served, anything else
is refused and recorded (tests read `refused`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from audit.io import atomic_write_bytes


def _fetcher_class():
    _quiet()
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serve data: and file:// under `root`; refuse (and remember) everything else."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False,
                             fail_on_errors=False)
            self.root = Path(root).resolve()
            self.asked: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.asked.append(url)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if path == self.root or self.root in path.parents:
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"report PDF may not fetch {url!r} (only data: and files under {self.root})")

    return LocalOnlyFetcher


def local_only_fetcher(root: Path):
    return _fetcher_class()(root)


def _quiet() -> None:
    """WeasyPrint logs every layout step at INFO and unsupported CSS at WARNING; a library
    imported by the pipeline turns the root logger on at INFO, which printed them all on a
    user's terminal. Only its errors matter here."""
    import logging
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def html_to_pdf(html: str, base_dir: Path, fetcher=None) -> bytes:
    _quiet()    # before the import: importing weasyprint parses its stylesheets, and logs that
    import weasyprint
    fetcher = fetcher or local_only_fetcher(base_dir)
    doc = weasyprint.HTML(string=html, base_url=str(Path(base_dir).resolve()) + "/",
                          url_fetcher=fetcher)
    return doc.write_pdf()


def write_pdf(html: str, out_path: Path, fetcher=None) -> Path:
    return atomic_write_bytes(out_path, html_to_pdf(html, Path(out_path).parent, fetcher))


def _order(jobs: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Longest first (HTML length stands in for layout time), so the last job to finish is short."""
    return sorted(jobs, key=lambda j: -len(j[0]))


class PdfPool:
    """Lay out PDFs on worker processes while this process does other work, then help.

    Every worker gets the whole job list (longest first) and claims one job at a time by
    creating `<k>.claim` with O_EXCL, so the load balances itself: at 1,000 articles the story
    PDFs took 1.5 to 6.5 s each and the article PDFs 0.3 to 1.7 s, and static bins left one
    core idle for seconds. This process renders the HTML pages meanwhile (without sharing its
    GIL with a layout thread, as it did before) and then claims jobs too (`help`).

    Layout is CPU-bound Python (Pango line breaking), so processes are the only way to use more
    cores. Workers are plain `python -m audit.report.pdf` subprocesses, not multiprocessing:
    spawn re-imports the caller's __main__ (breaking unguarded scripts) and fork is unsafe in a
    process that may hold threads.

    Workers die with the run (issue 13): on any exception (KeyboardInterrupt, the CLI's SIGTERM)
    `finish(ok=False)` kills them; when this process dies outright (kill -9) their stdin pipe
    closes and a watchdog thread in each ends it. Their job files live in a hidden folder beside
    the PDFs (the run's staging folder), never in /tmp, so nothing outlives an interrupted run
    unnoticed: the next run into the output folder removes it.
    """

    def __init__(self, jobs: list[tuple[str, Path]], workers: int = 2):
        n = min(workers, len(jobs)) if jobs else 0
        self._start(Path(jobs[0][1]).parent if jobs else None, n, spawn=False)
        self.submit(jobs)           # the job list first: a worker seen running has its jobs
        self._spawn_workers(n)

    @classmethod
    def started(cls, scratch: Path, workers: int = 2) -> "PdfPool":
        """Workers started before there is any job: they import WeasyPrint and warm Pango up
        (0.9 s of CPU each) while this process builds the view-model, on the core that sat
        idle then; they wait for `submit`. Used for large batches' first runs, where every PDF
        is laid out anyway (report/__init__.py)."""
        pool = cls.__new__(cls)
        pool._start(Path(scratch), workers, least=1)
        return pool

    def top_up(self, workers: int) -> None:
        """Start more workers, up to `workers` in all, on a pool started early with fewer (a
        re-run starts one for summary.pdf, and a second only when more PDFs changed)."""
        if self.dir is not None and len(self.procs) < workers:
            self._spawn_workers(workers - len(self.procs), least=1)

    def _start(self, scratch: Path | None, workers: int, spawn: bool = True, least: int = 2) -> None:
        import sys
        import tempfile
        from audit.report.manifest import PDF_JOBS_PREFIX
        self.jobs: list[tuple[str, Path]] = []
        self.procs: list[tuple[Any, Path]] = []
        self.errors: list[str] = []
        self._tmp = None
        self.dir: Path | None = None
        self.submitted = False
        if scratch is None or not sys.executable or workers < least:
            return
        scratch.mkdir(parents=True, exist_ok=True)      # summary.pdf's folder: the run's staging
        self._tmp = tempfile.TemporaryDirectory(prefix=PDF_JOBS_PREFIX, dir=scratch)
        self.dir = Path(self._tmp.name)
        if spawn:
            self._spawn_workers(workers, least)

    def _spawn_workers(self, workers: int, least: int = 2) -> None:
        if self.dir is None or workers < least:
            return
        try:
            first = len(self.procs)
            self.procs += [_spawn(self.dir / "jobs.json", self.dir / f"{first + w}.err") for w in range(workers)]
        except BaseException:
            self.finish(ok=False)
            raise

    def submit(self, jobs: list[tuple[str, Path]]) -> None:
        """Hand the job list to the workers (once): each HTML in a file, then jobs.json, which
        they wait for, appears whole (written aside and renamed)."""
        if self.submitted:
            raise RuntimeError("PdfPool.submit: jobs were submitted already")
        self.submitted, self.jobs = True, _order(jobs)
        if self.dir is None:
            return
        spec = []
        for k, (html, path) in enumerate(self.jobs):
            src = self.dir / f"{k}.html"
            src.write_text(html, encoding="utf-8")
            spec.append([str(src), str(Path(path).resolve())])
        tmp = self.dir / "jobs.json.part"
        tmp.write_text(json.dumps(spec), encoding="utf-8")
        os.replace(tmp, self.dir / "jobs.json")

    def help(self) -> None:
        """Claim and lay out jobs in this process until none is left; a job that fails is
        remembered (raised by `finish`) and the others go on."""
        for k, (html, path) in enumerate(self.jobs):
            if self.dir is None or _claim(self.dir, k):
                try:
                    write_pdf(html, path)
                except Exception as e:
                    self.errors.append(f"{path}: {type(e).__name__}: {e}")

    def finish(self, ok: bool = True) -> list[Path]:
        """Wait for the workers (kill them unless `ok`), then clean up; a worker's failure is
        raised as one ReportError line."""
        from audit.report.settings import ReportError
        try:
            if ok:
                if not self.submitted:
                    self.submit([])
                self.help()
                for p, err_file in self.procs:
                    p.wait()
                    if p.returncode:
                        err = err_file.read_text(encoding="utf-8", errors="replace")
                        self.errors.append((err.strip().splitlines() or ["no message"])[-1])
                if self.errors:
                    raise ReportError(f"PDF worker failed: {self.errors[0]}")
        finally:
            _stop(p for p, _ in self.procs)
            if self._tmp is not None:
                self._tmp.cleanup()
        return [Path(path) for _, path in self.jobs]


def _claim(folder: Path, k: int) -> bool:
    """True for the one process that creates `<k>.claim` first."""
    try:
        os.close(os.open(folder / f"{k}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except FileExistsError:
        return False


def write_pdfs(jobs: list[tuple[str, Path]], workers: int = 2) -> list[Path]:
    """Render several PDFs over `workers` processes and this one (see PdfPool)."""
    pool = PdfPool(jobs, workers if len(jobs) > 1 else 1)
    ok = False
    try:
        pool.help()
        ok = True
    finally:
        out = pool.finish(ok)
    return out


def _spawn(job_file: Path, err_path: Path):
    """Start one worker on the job list; its stdin is the pipe whose closing tells it to stop."""
    import subprocess
    import sys
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "audit.report.pdf", str(job_file)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                close_fds=True)
    return proc, err_path


def _stop(procs) -> None:
    """Kill workers still running (the run failed or was interrupted) and reap them all."""
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
        if p.stdin:
            p.stdin.close()


def _watch_parent() -> None:
    """In a worker: exit at once when the run that started it is gone (its end of the stdin
    pipe closes, or this process is re-parented)."""
    import os
    import select
    import sys
    import threading
    import time
    parent = os.getppid()
    pipe = sys.stdin.fileno() if sys.stdin is not None else None

    def watch() -> None:
        while True:
            ready = select.select([pipe], [], [], 1.0)[0] if pipe is not None else time.sleep(1.0)
            if (ready and not os.read(pipe, 1)) or os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _main(job_file: str) -> int:
    """Worker: claim and render the [html file, pdf path] pairs listed in job_file, one at a time."""
    import sys
    import time
    _watch_parent()
    folder, code = Path(job_file).parent, 0
    if not Path(job_file).exists():       # started early (PdfPool.started): warm up, then wait
        html_to_pdf("<p>warm</p>", folder)
        while not Path(job_file).exists():
            time.sleep(0.01)
    for k, (src, out) in enumerate(json.loads(Path(job_file).read_text(encoding="utf-8"))):
        if not _claim(folder, k):
            continue
        try:
            write_pdf(Path(src).read_text(encoding="utf-8"), Path(out))
        except Exception as e:  # one line for the parent to show; the other jobs go on
            print(f"{out}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            code = 1
    return code


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv[1]))
