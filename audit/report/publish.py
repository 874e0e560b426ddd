"""The output folder of `audit run`: findings.json, the reports, and the manifest of what audit
wrote there (manifest.py), so that a re-run replaces its own earlier files and nothing else.
Everything is written into a staging folder first and published together, under a lock.

Kept apart from the CLI so that other front ends (a notebook, a service) publish the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from audit.report import ReportError, ReportSettings, manifest, write_reports
from audit.serialize import write_file
from audit.types import RunResult


@dataclass
class Outputs:
    """What write_outputs did: one-line errors, files written, stale files of an earlier run
    removed, and the file a user should open first (None when nothing could be written)."""
    errors: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    entry: Path | None = None


def write_outputs(result: RunResult, out_dir: Path, settings: ReportSettings, *,
                  force: bool = False, protect: Iterable[Path] = ()) -> Outputs:
    """findings.json, then the reports, written into a staging folder and published together
    under the folder's lock (report/manifest.py). Files audit wrote there on the previous run
    and did not write again are removed when unchanged; a file audit did not write is replaced
    only with `force`, and an input of the batch (`protect`) never."""
    out = Outputs()
    out_dir = Path(out_dir)
    with manifest.locked(out_dir):
        stage = manifest.Stage(out_dir, manifest.read(out_dir))
        try:
            _write_staged(result, stage, settings, out)
            if not out.written:
                return out
            pub = stage.publish(out.written, complete=not out.errors, force=force, protect=protect)
        except OSError as e:
            out.errors.append(stage.show(f"{getattr(e, 'filename', None) or out_dir}: cannot write "
                                         f"({e.strerror or e})"))
            return out
        finally:
            stage.discard()
    out.errors += pub.errors
    out.written, out.removed = pub.written, pub.removed
    names = {p.name for p in out.written}
    out.entry = next((out_dir / n for n in ("index.html", "summary.pdf", "findings.json") if n in names),
                     None)
    return out


class _NoFindings(Exception):
    """findings.json could not be written: the run publishes nothing (its error is recorded)."""


def _write_staged(result: RunResult, stage: manifest.Stage, settings: ReportSettings,
                  out: Outputs) -> None:
    findings = stage.dir / "findings.json"

    def write_findings() -> None:     # while the PDF workers lay out (write_reports)
        if out.written:
            return
        try:
            write_file(result, findings)     # streamed, one row at a time (issue 10)
        except OSError as e:
            out.errors.append(f"{stage.out / 'findings.json'}: cannot write ({e.strerror or e})")
            raise _NoFindings from e
        out.written = [findings]

    try:
        out.written = [findings, *write_reports(result, stage.dir, settings, alongside=write_findings)]
    except _NoFindings:           # no report without its findings.json
        out.written = []
    except (OSError, ReportError) as e:
        if isinstance(e, OSError):
            where = getattr(e, "filename", None) or stage.dir
            out.errors.append(stage.show(f"{where}: cannot write report ({e.strerror or e})"))
        else:                      # a missing template and the like
            out.errors.append(stage.show(f"{stage.out}: report not written: {e}"))
        try:                       # the reports failed before findings.json was written
            write_findings()
        except _NoFindings:
            out.written = []
