"""HTML → PDF with WeasyPrint, with a URL fetcher that never touches the network.

Article text is escaped, so it cannot add <img> or url() to the page; the fetcher is the second
lock: only data: URLs and file:// URLs inside the report's own folder are served, anything else
is refused and recorded (tests read `refused`).
"""
from __future__ import annotations

from pathlib import Path
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


def _bins(jobs: list[tuple[str, Path]], n: int) -> list[list[tuple[str, Path]]]:
    """Longest-first onto the least loaded of n bins (HTML length stands in for layout time);
    bin 0, which holds the first job, stays in this process."""
    bins: list[list[tuple[str, Path]]] = [[jobs[0]]] + [[] for _ in range(n - 1)]
    load = [len(jobs[0][0])] + [0] * (n - 1)
    for job in sorted(jobs[1:], key=lambda j: -len(j[0])):
        i = load.index(min(load))
        bins[i].append(job)
        load[i] += len(job[0])
    return [b for b in bins if b]


def write_pdfs(jobs: list[tuple[str, Path]], workers: int = 2) -> list[Path]:
    """Render several PDFs, spreading them over `workers` processes.

    Layout is CPU-bound Python (Pango line breaking), so a second process is the only way to use
    a second core. Workers are plain `python -m audit.report.pdf` subprocesses, not
    multiprocessing: spawn re-imports the caller's __main__ (breaking unguarded scripts) and
    fork is unsafe in a process that may hold threads.

    Workers die with the run (issue 13): on any exception here (KeyboardInterrupt, the CLI's
    SIGTERM) they are killed; when this process dies outright (kill -9) their stdin pipe closes
    and a watchdog thread in each ends it. Their job files live in a hidden folder beside the
    PDFs (the run's staging folder), never in /tmp, so nothing outlives an interrupted run
    unnoticed: the next run into the output folder removes it.
    """
    import sys
    import tempfile
    from audit.report.manifest import PDF_JOBS_PREFIX
    from audit.report.settings import ReportError
    if workers <= 1 or len(jobs) <= 1 or not sys.executable:
        return [write_pdf(html, path) for html, path in jobs]
    bins = _bins(jobs, min(workers, len(jobs)))
    scratch = Path(jobs[0][1]).parent
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=PDF_JOBS_PREFIX, dir=scratch) as tmp:
        procs: list[tuple[subprocess.Popen, Path]] = []
        try:
            for n, b in enumerate(bins[1:]):
                procs.append(_spawn(Path(tmp), n, b))
            for html, path in bins[0]:
                write_pdf(html, path)
            for p, err_file in procs:
                p.wait()
                if p.returncode:
                    err = err_file.read_text(encoding="utf-8", errors="replace")
                    last = (err.strip().splitlines() or ["no message"])[-1]
                    raise ReportError(f"PDF worker failed: {last}")
        finally:
            _stop(p for p, _ in procs)
    return [Path(path) for _, path in jobs]


def _spawn(tmp: Path, n: int, jobs: list[tuple[str, Path]]):
    """Start one worker on `jobs`; its stdin is the pipe whose closing tells it to stop."""
    import json
    import subprocess
    import sys
    spec = []
    for k, (html, path) in enumerate(jobs):
        src = tmp / f"{n}-{k}.html"
        src.write_text(html, encoding="utf-8")
        spec.append([str(src), str(Path(path).resolve())])
    job_file = tmp / f"{n}.json"
    job_file.write_text(json.dumps(spec), encoding="utf-8")
    err_file = tmp / f"{n}.err"
    with open(err_file, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "audit.report.pdf", str(job_file)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                close_fds=True)
    return proc, err_file


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
    """Worker: render each [html file, pdf path] pair listed in job_file."""
    import json
    import sys
    _watch_parent()
    for src, out in json.loads(Path(job_file).read_text(encoding="utf-8")):
        try:
            write_pdf(Path(src).read_text(encoding="utf-8"), Path(out))
        except Exception as e:  # one line for the parent to show
            print(f"{out}: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv[1]))
