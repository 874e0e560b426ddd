"""Reports: Jinja2 → HTML, WeasyPrint → PDF. (stub: owned by the report work)"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from audit.types import RunResult


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    html: bool = True
    pdf: bool = True


def write_reports(result: RunResult, out_dir: Path, settings: ReportSettings) -> list[Path]:
    return []
