"""Command line: `audit run | eval | diff | config check`.

Exit codes: 0 clean; 1 when some input had a problem (each printed as one `path[:line]: message`
line on stderr; the rest of the batch is still processed and reported); 2 for usage and config
errors. A user's mistake never prints a traceback. Heavy modules load inside the commands so
that `audit --help` stays fast.
"""
from __future__ import annotations

import json
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from audit import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(lines: list[str] | str, code: int = EXIT_USAGE) -> NoReturn:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(one_line(line), err=True)
    sys.exit(code)


# Control characters (a newline in a file name would split a problem line; an ESC sequence would
# drive the terminal) and bidi controls (U+202E makes "evil.exe" read "exe.live") are shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """`text` as one printable line: control and bidi characters as Python escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class Interrupted(KeyboardInterrupt):
    """Raised by the SIGTERM handler so that clean-up (`finally`, killing PDF workers) runs as
    for Ctrl-C; the command then exits 128 + the signal number (130 SIGINT, 143 SIGTERM)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


class _Group(click.Group):
    """Exit 130 / 143 with one line on SIGINT / SIGTERM (click would print "Aborted!", exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as e:
            signum = getattr(e, "signum", signal.SIGINT)
            click.echo(f"audit: interrupted ({signal.Signals(signum).name}); what this run had not "
                       "published is discarded, and the next run into the folder tidies up", err=True)
            sys.exit(128 + signum)


def _load_config(path: Path | None, *, required: bool = True):
    """The config at `path`; without a path, ./config.yaml when present, else defaults."""
    from audit.config import DEFAULT_CONFIG, Config, ConfigError, load_config
    if path is None:
        if not Path(DEFAULT_CONFIG).is_file():
            if required:
                _fail(f"{DEFAULT_CONFIG}: no such config file (use -c FILE)")
            return Config()
        path = Path(DEFAULT_CONFIG)
    try:
        return load_config(path)
    except ConfigError as e:
        _fail(e.errors)


def _print_problems(problems: list[Any]) -> None:
    for p in problems:
        click.echo(one_line(str(p)), err=True)


class _Progress:
    """A rich progress bar on stderr over documents, then stages; silent when quiet or not a TTY."""

    def __init__(self, enabled: bool):
        self.bar: Any = None
        self.task: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)

    def __enter__(self) -> "_Progress":
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar:
            self.bar.stop()

    def start(self, description: str, total: int) -> None:
        if self.bar:
            self.task = self.bar.add_task(description, total=max(total, 1))

    def advance(self, _item: str = "") -> None:
        if self.bar and self.task is not None:
            self.bar.advance(self.task)

    def stage(self, name: str) -> None:
        if self.bar and self.task is not None:
            self.bar.update(self.task, description=name, advance=1)


STAGES = ("boilerplate", "artifacts", "provenance", "align", "reports")


EXIT_CODES = ("Exit codes: 0 clean; 1 some input or output had a problem (each printed as one "
              "`path[:line]: message` line, the rest of the batch still done); 2 usage or config error, "
              "or an output folder audit refuses; 130/143 interrupted by SIGINT/SIGTERM.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog="\b\nExamples:\n"
                    "  audit config check -c batch.yaml    check a config before a long run\n"
                    "  audit run -c batch.yaml             audit a batch, write its report folder\n"
                    "  audit diff wire.txt copy.html       compare two articles side by side\n"
                    "  audit eval --gold gold.yaml --docs articles/   score against hand labels\n\n"
                    + EXIT_CODES)
@click.version_option(__version__, "-V", "--version", prog_name="audit")
def main() -> None:
    """Audit news articles across outlets: aligned stories, machine-translation damage,
    boilerplate noise, HTML and PDF reports.

    A batch is described by a config.yaml (sources, output folder, settings); see README.md,
    "Configuration"."""
    signal.signal(signal.SIGTERM, _on_signal)


@main.command(short_help="Audit the configured batch and write its report folder.",
              epilog="\b\nExamples:\n"
                     "  audit run                     ./config.yaml, into its `output:` folder\n"
                     "  audit run -c desk/batch.yaml --out /tmp/report -q\n\n" + EXIT_CODES)
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Batch config (default: ./config.yaml).")
@click.option("--out", type=click.Path(), default=None, callback=lambda _c, _p, v: _out_path(v),
              help="Output folder (default: `output` in the config, relative to it).")
@click.option("--force", is_flag=True,
              help="Write into an output folder that overlaps a source path or holds files audit "
                   "did not write (never `/`; inputs are never replaced).")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bar and no summary line; problems are still printed on stderr.")
@click.option("-j", "--jobs", type=click.IntRange(1, 1024), default=None,
              help="Worker processes (default: `execution.jobs` in the config, else every core).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Run on this Dask distributed scheduler (default: `execution.scheduler`).")
@click.option("--no-cache", is_flag=True,
              help="Recompute everything; do not read or write the cache of earlier runs.")
def run(config_path: Path | None, out: Path | None, force: bool, quiet: bool, jobs: int | None,
        scheduler: str | None, no_cache: bool) -> None:
    """Audit the batch the config describes. Writes findings.json, index.html (open it in a
    browser), a page per story and per document, and PDFs into the output folder, then prints
    one summary line. Files audit wrote on an earlier run into the same folder and did not write
    again (stories that no longer exist) are removed when unchanged; other files are never
    touched. Refuses an output folder that overlaps a source path or holds files audit did not
    write (README, "What audit refuses"), unless --force."""
    cfg = _load_config(config_path)
    _guard_output(out, cfg, force)
    out_dir = out or cfg.output_dir()
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{out_dir}: exists and is not a folder")
    if not cfg.sources:
        _fail(f"{cfg.path or 'config'}: no sources configured (add a `sources:` list)")
    unwritable = _check_writable(out_dir)
    if unwritable:                       # nothing could be saved: say so before a long run
        _fail(unwritable, EXIT_PROBLEMS)
    _hold_lock(out_dir)
    from audit import ingest, pipeline
    from audit.cache import Cache
    from audit.execution import ExecutionError, make_executor
    t0 = time.perf_counter()
    inputs, problems = ingest.plan(cfg.sources, cfg.base_dir, exclude=[out_dir])
    try:
        executor = make_executor(cfg.execution, jobs, _scheduler(scheduler), n_items=len(inputs))
    except ExecutionError as e:
        _fail(str(e))
    use_cache = cfg.execution.cache and not no_cache
    cache = Cache(cfg.cache_dir(out_dir) if use_cache else None)
    with executor, _Progress(not quiet and sys.stderr.isatty()) as progress:
        progress.start("reading", len(inputs) + len(STAGES))
        docs, more = pipeline.load(inputs, cfg.language, cache, progress=progress.advance)
        ingest_time = round(time.perf_counter() - t0, 4)
        try:
            result = pipeline.analyse(docs, cfg, name=cfg.name, problems=problems + more,
                                      progress=progress.stage, executor=executor, cache=cache)
        except ExecutionError as e:
            _fail(str(e))
        result.timings = {"ingest": ingest_time, **result.timings}
        cache.close()
        progress.stage("writing reports")
        from audit.report.publish import write_outputs
        outputs = write_outputs(result, out_dir, cfg.report, force=force,
                                protect=[i.path for i in inputs])
    _print_problems(result.problems)
    _print_problems(outputs.errors)
    if not quiet:
        click.echo(one_line(summary_line(result, outputs, time.perf_counter() - t0)))
    sys.exit(EXIT_PROBLEMS if result.problems or outputs.errors else EXIT_OK)


def _scheduler(address: str | None) -> str | None:
    """--scheduler checked like the config key (one line naming the flag when malformed)."""
    if address is None:
        return None
    from pydantic import ValidationError

    from audit.execution import ExecutionSettings
    try:
        return ExecutionSettings(scheduler=address).scheduler
    except ValidationError as e:
        _fail(f"--scheduler: {e.errors()[0]['msg'].removeprefix('Value error, ')}")


def _out_path(value: str | None) -> Path | None:
    if value is not None and not value.strip():
        _fail("--out: empty path; name a folder")
    return None if value is None else Path(value)


def _guard_output(out: Path | None, cfg: Any, force: bool) -> None:
    """Refuse (exit 2) an output folder that would lose or re-read the user's files (outdir.py)."""
    from audit import outdir
    if out is None and not cfg.output.strip():
        _fail(f"{cfg.path or 'config'}: output: empty path; name a folder")
    errors = outdir.check(out or cfg.output_dir(), cfg.sources, cfg.base_dir, force)
    if errors:
        _fail(errors)


_LOCKS: list[Any] = []     # held until the command ends (the kernel releases a flock at exit anyway)


def _hold_lock(out_dir: Path) -> None:
    """Take the output folder's lock for the whole run, or exit 1 naming the holder's pid."""
    from audit.report import manifest
    lock = manifest.locked(out_dir)
    try:
        lock.__enter__()
    except manifest.Busy as e:
        _fail(str(e), EXIT_PROBLEMS)
    except OSError as e:
        _fail(f"{out_dir / manifest.LOCK}: cannot lock the output folder ({e.strerror or e})", EXIT_PROBLEMS)
    _LOCKS.append(lock)
    click.get_current_context().call_on_close(lambda: lock.__exit__(None, None, None))


def _record_written(out_dir: Path, written: list[Path]) -> None:
    """Add files written outside `audit run` to the folder's manifest: they are audit's own, so
    the next run replaces or retires them instead of refusing them as the user's."""
    from audit.report import manifest
    manifest.record(out_dir, written, also=manifest.read(out_dir))


def _check_writable(out_dir: Path) -> str | None:
    """One line when the output folder cannot be created or written into, else None."""
    import tempfile
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"{out_dir}: cannot create the output folder ({e.strerror or e})"
    try:
        with tempfile.TemporaryFile(dir=out_dir, prefix=".audit-probe-"):
            pass
    except OSError as e:
        return f"{out_dir}: cannot write into the output folder ({e.strerror or e})"
    return None


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def summary_line(result: Any, outputs: Any, seconds: float) -> str:
    """What a desk user needs after a run: counts, problems, and the file to open."""
    by_sev: dict[str, int] = {}
    for f in result.findings:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    sev = ", ".join(_n(by_sev[s], s, s if s == "info" else None)
                    for s in ("error", "warning", "info") if by_sev.get(s))
    stories = getattr(result.alignment, "stories", []) or []
    n_story = sum(1 for s in stories if s.kind == "story")
    parts = [_n(len(result.documents), "document"),
             _n(len(result.findings), "finding") + (f" ({sev})" if sev else ""),
             _n(n_story, "story", "stories") + (f", {_n(len(stories) - n_story, 'topic')}"
                                                if len(stories) > n_story else "")]
    n_problems = len(result.problems) + len(outputs.errors)
    if n_problems:
        parts.append(_n(n_problems, "problem") + " (listed above)")
    where = f"report: {outputs.entry}" if outputs.entry else "nothing written"
    if outputs.removed:
        where += f"; {_n(len(outputs.removed), 'stale file')} of the previous run removed"
    return f"{', '.join(parts)}; {where} ({seconds:.1f} s)"


@main.command("eval", short_help="Score the detectors against a hand-labelled gold file.",
              epilog="\b\nExamples:\n"
                     "  audit eval --gold seeds/gold.yaml --docs seeds\n"
                     "  audit eval --gold my-gold.yaml --docs articles/ -c batch.yaml --json\n\n"
                     "Exit codes: 0 scored; 1 scored, but some document had a problem; "
                     "2 bad gold file, config or usage.")
@click.option("--gold", "gold_path", required=True, type=click.Path(path_type=Path),
              help="Gold file (YAML; the format is described in seeds/gold.yaml).")
@click.option("--docs", "docs_dir", required=True, type=click.Path(path_type=Path),
              help="Folder holding the gold file's documents (found by id = file stem).")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config whose detector settings to use (default: ./config.yaml if present).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def eval_cmd(gold_path: Path, docs_dir: Path, config_path: Path | None, as_json: bool) -> None:
    """Score the detectors against a hand-labelled gold file: precision, recall and F1 per
    family of findings, then the gold findings missed and the false positives, each with its
    document and line."""
    _need_file(gold_path, "gold file")
    if not docs_dir.is_dir():
        _fail(f"{docs_dir}: {'not a folder' if docs_dir.exists() else 'no such folder'} (--docs)")
    cfg = _load_config(config_path, required=False)
    try:
        from audit.evaluate import GoldError, evaluate
    except ImportError as e:
        _fail(f"audit eval is not available: {e}")
    try:
        result = evaluate(gold_path, docs_dir, cfg)
    except GoldError as e:
        _fail(str(e))
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False) if as_json else result.format_text())
    problems = list(getattr(result, "problems", []) or [])
    _print_problems(problems)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _need_file(path: Path, what: str) -> None:
    """A missing or wrong input named in one line (click's own check prints three)."""
    if path.is_dir():
        _fail(f"{path}: is a folder, not a file ({what} expected)")
    if not path.is_file():
        _fail(f"{path}: no such {what}")


_LINE_SUFFIX = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


def _diff_input(arg: str) -> tuple[Path, int | None]:
    """`FILE` or `FILE.jsonl:LINE` (one article of a JSON Lines file)."""
    path = Path(arg)
    m = _LINE_SUFFIX.match(arg)
    if not path.exists() and m and Path(m["path"]).is_file():
        return Path(m["path"]), int(m["line"])
    _need_file(path, "article file")
    return path, None


def _pick(arg: str, docs: list[Any], line: int | None) -> Any | None:
    """The document `arg` names: the one at `line`, else the first (saying so when there are more)."""
    if line is not None:
        doc = next((d for d in docs if d.meta.get("line") == line), None)
        if doc is None:
            lines = ", ".join(str(d.meta.get("line")) for d in docs if d.meta.get("line")) or "none"
            _fail(f"{arg}: no readable article on that line (articles on lines: {lines})")
        return doc
    if len(docs) > 1:
        click.echo(f"{arg}: holds {len(docs)} articles; comparing the first ({docs[0].id}); "
                   f"name another as {arg}:LINE", err=True)
    return docs[0] if docs else None


@main.command(short_help="Compare two articles side by side: one HTML page.",
              epilog="\b\nExamples:\n"
                     "  audit diff wire.txt republished.html\n"
                     "  audit diff wire.txt feed.jsonl:3 --out /tmp/wire-vs-feed.html\n\n"
                     "Exit codes: 0 page written; 1 an article could not be read or the page "
                     "not written; 2 usage or config error.")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config (default: ./config.yaml if present).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="HTML file to write (default: diff-A-B.html in the config's output folder).")
def diff(a: str, b: str, config_path: Path | None, out: Path | None) -> None:
    """Compare two articles side by side: aligned sentences, word differences, claims and
    each article's findings on one HTML page. A and B are .txt, .html or .jsonl files; for a
    JSON Lines file with several articles, FILE.jsonl:LINE picks one."""
    (pa, la), (pb, lb) = _diff_input(a), _diff_input(b)
    cfg = _load_config(config_path, required=False)
    from audit import ingest, pipeline, report
    from audit.ingest.sources import unique_id
    docs_a, problems = ingest.load_paths([pa], cfg.language)
    docs_b, more = ingest.load_paths([pb], cfg.language)
    problems += more
    doc_a, doc_b = _pick(a, docs_a, la), _pick(b, docs_b, lb)
    if doc_a is None or doc_b is None:   # the reason is the problem line(s) of the unreadable file
        _fail([str(p) for p in problems] or ["audit diff: need two readable articles"], EXIT_PROBLEMS)
    if doc_b.id == doc_a.id:
        doc_b.id = unique_id(doc_b.id, {doc_a.id})
    result = pipeline.analyse([doc_a, doc_b], cfg, name=f"{doc_a.id} vs {doc_b.id}", problems=problems)
    out = out or cfg.output_dir() / f"diff-{doc_a.id}-{doc_b.id}.html"
    try:
        report.write_diff_page(result, out, cfg.report)
    except OSError as e:
        _fail(f"{out}: cannot write ({e.strerror or e})", EXIT_PROBLEMS)
    except report.ReportError as e:
        _fail(f"{out}: diff page not written: {e}", EXIT_PROBLEMS)
    _print_problems(problems)
    n_rows = sum(1 for g in result.alignment.groups if len({m.doc_id for m in g.members}) > 1)
    click.echo(f"{doc_a.id} vs {doc_b.id}: {_n(n_rows, 'aligned sentence group')}, "
               f"{_n(len(result.findings), 'finding')}; page: {out}")
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.group("config", short_help="Check a batch config.")
def config_group() -> None:
    """Check a batch config before a run."""


@config_group.command("check", epilog="\b\nExample:\n  audit config check -c batch.yaml\n\n"
                      "Exit codes: 0 valid; 2 a config error or a source path that matches nothing.")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config to check (default: ./config.yaml).")
def config_check(config_path: Path | None) -> None:
    """Validate the config and its source paths: print `ok` or one line per error."""
    cfg = _load_config(config_path)
    from audit import ingest, outdir
    inputs, problems = ingest.plan(cfg.sources, cfg.base_dir, exclude=[cfg.output_dir()])
    if problems or outdir.check(cfg.output_dir(), cfg.sources, cfg.base_dir):
        _fail([str(p) for p in problems] + outdir.check(cfg.output_dir(), cfg.sources, cfg.base_dir))
    click.echo(f"ok: {cfg.path} ({_n(len(cfg.sources), 'source')}, {_n(len(inputs), 'file')}; "
               f"output folder {cfg.output_dir()})")


@main.command("pdf", short_help="Write the PDF of chosen articles or stories of an earlier run.",
              epilog="\b\nExamples:\n"
                     "  audit pdf efe-0913 story-s3           into ./config.yaml's output folder\n"
                     "  audit pdf 00012-4 --out /tmp/report   ids as listed in index.html\n\n"
                     "Exit codes: 0 written; 1 a PDF could not be written; 2 no findings.json, "
                     "an unknown id, or a usage error.")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config whose report settings to use (default: ./config.yaml if present).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The run's output folder, holding findings.json (default: `output` in the config).")
def pdf_cmd(ids: tuple[str, ...], config_path: Path | None, out: Path | None) -> None:
    """Write the PDF of each named article or story from an earlier run's findings.json,
    whatever the report threshold (audit run writes PDFs only for articles and stories with
    errors or value discrepancies). An ID is a document id, a story id, or a page name
    (doc-X, story-Y)."""
    cfg = _load_config(config_path, required=False)
    out_dir = out or cfg.output_dir()
    from audit.report import ReportError, write_pdfs_for
    from audit.serialize import SchemaError, from_json
    src = out_dir / "findings.json"
    try:
        result = from_json(json.loads(src.read_text(encoding="utf-8")))
    except OSError as e:
        _fail(f"{src}: cannot read ({e.strerror or e}); run `audit run` first or name the folder with --out")
    except (ValueError, SchemaError) as e:
        _fail(f"{src}: not a findings.json audit can read ({e})")
    _hold_lock(out_dir)                  # not while a run writes the folder
    try:
        written = write_pdfs_for(result, out_dir, cfg.report, ids)
        _record_written(out_dir, written)
    except ReportError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{getattr(e, 'filename', None) or out_dir}: cannot write ({e.strerror or e})", EXIT_PROBLEMS)
    for p in written:
        if p.suffix == ".pdf":
            click.echo(str(p))
