"""Where `audit run` may write: the output-folder guard (issue 13).

With `output: .` and `paths: [.]` an earlier audit replaced the user's own index.html and
summary.pdf and then read its reports as articles on the next run. So before any work the output
folder is checked, and the run refuses (exit 2, one line naming both paths) when it:
- is an empty path or the root folder `/` (never, whatever the flags);
- is, contains or lies inside a source path (its resolved root: the folder, a glob's fixed
  prefix, a file), unless --force; even then audit's report files there are never read as
  articles (ingest.plan's `exclude`) and no input file is ever replaced (manifest.Stage);
- holds a file audit did not write under a name audit writes (findings.json, index.html,
  summary.pdf, story-*/doc-* pages and PDFs) that is not in its manifest, unless --force.
Other files of the user's in the folder (notes, `audit diff` pages) are fine: never touched.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from audit.ingest.sources import REPORT_NAMES, source_roots
from audit.report import manifest

_SHOWN = 3     # foreign files named before "and N more"


def check(out: str | Path, sources: Iterable[Any], base: Path, force: bool = False) -> list[str]:
    """Reasons not to write into `out`, one line each; empty when it is safe."""
    raw = str(out)
    if not raw.strip():
        return ["output folder is an empty path; name a folder (`output:` in the config, or --out)"]
    out = Path(raw).expanduser()
    resolved = out.resolve()
    if resolved == Path(resolved.anchor):
        return [f"{out}: the output folder may not be the root folder {resolved.anchor}"]
    if force:
        return []
    errors = []
    for root, pattern in source_roots(sources, base):
        rel = _relation(resolved, root)
        if rel:
            errors.append(f"{out}: the output folder {rel} the source path {pattern!r} ({root}): "
                          "audit would read its own reports as articles or replace your files; "
                          "choose another output folder (or --force)")
    return list(dict.fromkeys(errors)) + foreign_files(out)


def _relation(out: Path, root: Path) -> str | None:
    if out == root:
        return "is"
    if root in out.parents:
        return "lies inside"
    if out in root.parents:
        return "contains"
    return None


def foreign_files(out: Path) -> list[str]:
    """Files under names audit writes that its manifest does not list (the user's own)."""
    if not out.is_dir():
        return []
    previous = manifest.read(out)
    names = sorted(p.name for p in out.iterdir()
                   if REPORT_NAMES.match(p.name) and p.name not in previous
                   and (p.is_file() or p.is_symlink()))
    if not names:
        return []
    shown = ", ".join(names[:_SHOWN]) + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
    return [f"{out}: holds files audit did not write under names it writes ({shown}); they would "
            "be replaced: move them away, choose another output folder, or use --force"]
