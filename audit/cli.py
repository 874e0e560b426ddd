"""Command line. (minimal: the foundation work adds eval, config check, progress, errors)"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from audit import __version__


@click.group()
@click.version_option(__version__, prog_name="audit")
def main() -> None:
    """Audit news articles across outlets: alignment, MT artifacts, boilerplate, reports."""


@main.command()
@click.option("-c", "--config", "config_path", default="config.yaml", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None)
def run(config_path: Path, out: Path | None) -> None:
    """Run the configured batch and write reports."""
    from audit import pipeline, report
    from audit.config import load_config
    cfg = load_config(config_path)
    result = pipeline.run(cfg, config_path.parent)
    out = out or config_path.parent / cfg.output
    out.mkdir(parents=True, exist_ok=True)
    (out / "findings.json").write_text(json.dumps(
        {"findings": [f.to_dict() for f in result.findings]}, ensure_ascii=False, indent=1))
    report.write_reports(result, out, cfg.report)
    click.echo(f"{len(result.documents)} documents, {len(result.findings)} findings → {out}")
