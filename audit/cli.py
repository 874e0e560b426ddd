"""Command line: `audit run | eval | diff | config check`.

Exit codes: 0 clean; 1 when some input had a problem (each printed as one `path[:line]: message`
line on stderr; the rest of the batch is still processed and reported); 2 for usage and config
errors. A user's mistake never prints a traceback. Heavy modules load inside the commands so
that `audit --help` stays fast.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from audit import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(lines: list[str] | str, code: int = EXIT_USAGE) -> NoReturn:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(code)


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
        click.echo(str(p), err=True)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="audit")
def main() -> None:
    """Audit news articles across outlets: aligned stories, machine-translation damage,
    boilerplate noise, HTML and PDF reports."""


@main.command()
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Batch config (default: ./config.yaml).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: `output` in the config, relative to it).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
def run(config_path: Path | None, out: Path | None, quiet: bool) -> None:
    """Run the configured batch: findings.json and reports in the output folder."""
    cfg = _load_config(config_path)
    out_dir = out or cfg.output_dir()
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{out_dir}: exists and is not a folder")
    if not cfg.sources:
        _fail(f"{cfg.path or 'config'}: no sources configured (add a `sources:` list)")
    from audit import ingest, pipeline
    t0 = time.perf_counter()
    with _Progress(not quiet and sys.stderr.isatty()) as progress:
        inputs, problems = ingest.plan(cfg.sources, cfg.base_dir)
        progress.start("reading", len(inputs) + len(STAGES))
        docs, more = ingest.load(inputs, cfg.language, progress=progress.advance)
        ingest_time = round(time.perf_counter() - t0, 4)
        result = pipeline.analyse(docs, cfg, name=cfg.name, problems=problems + more,
                                  progress=progress.stage)
        result.timings = {"ingest": ingest_time, **result.timings}
        progress.stage("reports")
        errors = write_outputs(result, out_dir, cfg)
    _print_problems(result.problems)
    _print_problems(errors)
    if not quiet:
        n = len(result.problems) + len(errors)
        click.echo(f"{len(result.documents)} documents, {len(result.findings)} findings"
                   f"{f', {n} problems' if n else ''} -> {out_dir} "
                   f"({time.perf_counter() - t0:.1f} s)")
    sys.exit(EXIT_PROBLEMS if result.problems or errors else EXIT_OK)


def write_outputs(result: Any, out_dir: Path, cfg: Any) -> list[str]:
    """findings.json, then the reports. Only our own files are written (atomically); nothing in
    the folder is deleted. Returns one-line errors for what could not be written."""
    from audit.io import atomic_write_text
    errors: list[str] = []
    try:
        atomic_write_text(out_dir / "findings.json",
                          json.dumps(_findings_json(result), ensure_ascii=False, indent=1) + "\n")
    except OSError as e:
        return [f"{out_dir / 'findings.json'}: cannot write ({e.strerror or e})"]
    from audit import report
    report_error: Any = getattr(report, "ReportError", ())   # a missing template and the like
    try:
        report.write_reports(result, out_dir, cfg.report)
    except OSError as e:
        errors.append(f"{getattr(e, 'filename', None) or out_dir}: cannot write report ({e.strerror or e})")
    except report_error as e:
        errors.append(f"{out_dir}: report not written: {e}")
    return errors


def _findings_json(result: Any) -> dict[str, Any]:
    try:
        from audit.serialize import to_json
    except ImportError:          # serializer not installed: the minimal shape
        return {"schema_version": "0", "findings": [f.to_dict() for f in result.findings],
                "problems": [str(p) for p in result.problems]}
    return to_json(result)


@main.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(path_type=Path),
              help="Gold file (YAML; format in seeds/gold.yaml's README).")
@click.option("--docs", "docs_dir", required=True,
              type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Folder holding the gold file's documents (found by id = file stem).")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config whose detector settings to use (default: ./config.yaml if present).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_cmd(gold_path: Path, docs_dir: Path, config_path: Path | None, as_json: bool) -> None:
    """Score the detectors against a hand-labelled gold file."""
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


@main.command()
@click.argument("a", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("b", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config (default: ./config.yaml if present).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="HTML file to write (default: diff-A-B.html in the output folder).")
def diff(a: Path, b: Path, config_path: Path | None, out: Path | None) -> None:
    """Compare two articles side by side: one HTML page."""
    cfg = _load_config(config_path, required=False)
    from audit import ingest, pipeline, report
    write_diff_page: Callable[..., Any] | None = getattr(report, "write_diff_page", None)
    if write_diff_page is None:
        _fail("audit diff: this version of the report module cannot write diff pages")
    docs, problems = ingest.load_paths([a, b], cfg.language)
    if len(docs) < 2:
        _print_problems(problems)
        _fail("audit diff: need two readable articles", EXIT_PROBLEMS)
    result = pipeline.analyse(docs[:2], cfg, name=f"{docs[0].id} vs {docs[1].id}", problems=problems)
    out = out or cfg.output_dir() / f"diff-{docs[0].id}-{docs[1].id}.html"
    try:
        write_diff_page(result, out, cfg.report)
    except OSError as e:
        _fail(f"{out}: cannot write ({e.strerror or e})", EXIT_PROBLEMS)
    except getattr(report, "ReportError", ()) as e:
        _fail(f"{out}: diff page not written: {e}", EXIT_PROBLEMS)
    _print_problems(problems)
    click.echo(str(out))
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.group("config")
def config_group() -> None:
    """Inspect the batch config."""


@config_group.command("check")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config to check (default: ./config.yaml).")
def config_check(config_path: Path | None) -> None:
    """Validate the config and its source paths: print `ok` or one line per error."""
    cfg = _load_config(config_path)
    from audit import ingest
    inputs, problems = ingest.plan(cfg.sources, cfg.base_dir)
    if problems:
        _fail([str(p) for p in problems])
    click.echo(f"ok: {cfg.path} ({len(cfg.sources)} sources, {len(inputs)} files)")
