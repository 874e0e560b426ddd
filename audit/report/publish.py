"""The output folder of `audit run`: findings.json, the reports, and the manifest of what audit
wrote there (manifest.py), so that a re-run replaces its own earlier files and nothing else.

Kept apart from the CLI so that other front ends (a notebook, a service) publish the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from audit.io import atomic_write_text
from audit.report import ReportError, ReportSettings, manifest, write_reports
from audit.serialize import to_json
from audit.types import RunResult


@dataclass
class Outputs:
    """What write_outputs did: one-line errors, files written, stale files of an earlier run
    removed, and the file a user should open first (None when nothing could be written)."""
    errors: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    entry: Path | None = None


def write_outputs(result: RunResult, out_dir: Path, settings: ReportSettings) -> Outputs:
    """findings.json, then the reports, each written atomically. Files audit wrote there on the
    previous run and did not write again are removed when unchanged (report/manifest.py); no
    other file in the folder is touched."""
    out = Outputs()
    previous = manifest.read(out_dir)
    findings = out_dir / "findings.json"
    try:
        atomic_write_text(findings, json.dumps(to_json(result), ensure_ascii=False, indent=1) + "\n")
    except OSError as e:
        out.errors.append(f"{findings}: cannot write ({e.strerror or e})")
        return out
    out.written, out.entry = [findings], findings
    try:
        out.written += write_reports(result, out_dir, settings)
    except OSError as e:
        out.errors.append(f"{getattr(e, 'filename', None) or out_dir}: cannot write report ({e.strerror or e})")
    except ReportError as e:   # a missing template and the like
        out.errors.append(f"{out_dir}: report not written: {e}")
    names = {p.name for p in out.written}
    out.entry = next((out_dir / n for n in ("index.html", "summary.pdf") if n in names), findings)
    try:
        if not out.errors:
            out.removed = manifest.retire(out_dir, previous, names)
        manifest.record(out_dir, out.written, also=previous if out.errors else None)
    except OSError as e:
        out.errors.append(f"{out_dir / manifest.MANIFEST}: cannot write ({e.strerror or e})")
    return out
