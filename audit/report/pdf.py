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


def html_to_pdf(html: str, base_dir: Path, fetcher=None) -> bytes:
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
    """
    import json
    import subprocess
    import sys
    import tempfile
    from audit.report.settings import ReportError
    if workers <= 1 or len(jobs) <= 1 or not sys.executable:
        return [write_pdf(html, path) for html, path in jobs]
    bins = _bins(jobs, min(workers, len(jobs)))
    with tempfile.TemporaryDirectory(prefix="audit-pdf-") as tmp:
        procs = []
        for n, b in enumerate(bins[1:]):
            spec = []
            for k, (html, path) in enumerate(b):
                src = Path(tmp) / f"{n}-{k}.html"
                src.write_text(html, encoding="utf-8")
                spec.append([str(src), str(Path(path).resolve())])
            job_file = Path(tmp) / f"{n}.json"
            job_file.write_text(json.dumps(spec), encoding="utf-8")
            procs.append(subprocess.Popen([sys.executable, "-m", "audit.report.pdf", str(job_file)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for html, path in bins[0]:
            write_pdf(html, path)
        for p in procs:
            _, err = p.communicate()
            if p.returncode:
                last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
                raise ReportError(f"PDF worker failed: {last}")
    return [Path(path) for _, path in jobs]


def _main(job_file: str) -> int:
    """Worker: render each [html file, pdf path] pair listed in job_file."""
    import json
    import sys
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
