"""Report settings (the `report:` section of config.yaml) and the report error type.

Kept apart from the renderers so that `audit.config` can import the schema without pulling in
Jinja2 or WeasyPrint.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ReportError(ValueError):
    """A report cannot be written (missing template, bad template folder): one clear line."""


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    html: bool = True                      # index, story, document pages
    pdf: bool = True                       # PDFs at all: the batch summary (summary.pdf)
    pdf_per_story: bool = True             # with pdf: a PDF per story over the threshold
    pdf_per_article: bool = True           # with pdf: a PDF per article over the threshold
    # Which articles and stories get their own PDF: "error" = any error or value discrepancy,
    # "warning" = any warning too, "any" = every finding, "none" = only `audit pdf ID` on demand.
    pdf_threshold: Literal["error", "warning", "any", "none"] = "error"
    pdf_max_files: int = Field(25, ge=0)   # most urgent first; 0 = no limit; the rest on demand
    summary_rows: int = Field(40, ge=4, le=200)  # rows of the longest list in summary.pdf
    page_size: Literal["A4", "A3", "A5", "letter", "legal"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"
    templates_dir: Path | None = None      # override the bundled templates/ folder
    # Weights of the issue score: weighted findings per 1,000 content words (see index page).
    score_weights: dict[Literal["info", "warning", "error"], float] = Field(
        default_factory=lambda: {"error": 3.0, "warning": 1.0, "info": 0.25})
    pdf_workers: int = Field(2, ge=1, le=16)  # processes rendering PDFs (layout is CPU-bound)
    max_evidence_chars: int = Field(300, ge=40, le=5000)  # unused since evidence renders as words (kept: older configs set it)
    story_columns: int = Field(6, ge=2, le=6)  # outlets side by side on a story page and its PDF

    @field_validator("score_weights")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, w in v.items() if w < 0]
        if bad:
            raise ValueError(f"score weights must be >= 0 (got {bad[0]}: {v[bad[0]]})")
        return {"error": 3.0, "warning": 1.0, "info": 0.25} | v
