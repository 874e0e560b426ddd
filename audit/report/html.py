"""Jinja2 environment and page rendering.

Autoescape is on for every template and string, so article text (hostile or not) is always
data. CSS and JS are static files read from templates/static/ and inlined as trusted markup;
nothing from the articles is ever interpolated into <style> or <script> (stack.md P1).
"""
from __future__ import annotations

import base64
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (Environment, FileSystemLoader, StrictUndefined, TemplateNotFound,
                    TemplateSyntaxError, UndefinedError, select_autoescape)
from markupsafe import Markup

import audit
from audit.report.settings import ReportError, ReportSettings


def templates_dir(settings: ReportSettings) -> Path:
    """The configured folder, else the repository's templates/ beside the audit package (an
    editable install), else the copy a regular install puts under <prefix>/share/audit/."""
    candidates = ([Path(settings.templates_dir)] if settings.templates_dir else
                  [Path(audit.__file__).resolve().parent.parent / "templates",
                   Path(sys.prefix) / "share" / "audit" / "templates"])
    for c in candidates:
        if c.is_dir():
            return c
    raise ReportError(f"report templates folder not found: {candidates[0]}")


def _css_class(value: Any) -> str:
    """Class names built from data (kinds, verdicts) keep only safe characters."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-")


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
    return f"{value:,}"


def _day(value: Any) -> str:
    """An ISO datetime shown as its date (the full value stays in the title attribute)."""
    s = "" if value is None else str(value)
    return s[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", s) else s


def _plural(count: int, one: str, many: str | None = None) -> str:
    """The noun for `count`: `{{ n }} {{ n|plural('story', 'stories') }}`."""
    return one if count == 1 else (many or one + "s")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode() + "'"


# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the text around
# them: with U+202E, "evil.exe" is shown as "exe.live". Article text is data, so in every page
# and PDF they are shown as a visible, plain-text code (attribute-safe, no markup) instead.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def show_bidi(value: Any) -> Any:
    """Jinja finalize: every `{{ value }}` from data with its bidi controls made visible as
    `[U+202E]`; trusted Markup (our CSS, JS, charts) is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup) and _BIDI_CONTROLS.search(value):
        return _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
    return value


class Renderer:
    """One Jinja2 environment over one templates folder; renders pages to strings."""

    def __init__(self, settings: ReportSettings):
        self.settings = settings
        self.dir = templates_dir(settings)
        self.env = Environment(
            loader=FileSystemLoader(str(self.dir)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=show_bidi)
        from audit.report.evidence import language
        self.env.filters.update(cls=_css_class, num=_num, pct=_pct, day=_day, plural=_plural, language=language)
        js = self.static("filters.js")
        scripts = {name: self.static(f"{name}.js") for name in ("story", "index")}
        from audit.report.select import doc_claims, paper_findings
        self.env.globals.update(
            paper_findings=paper_findings, doc_claims=doc_claims, css=self.static("report.css"), print_css=self.static("print.css"),
            marks_css=self.static("marks.css"), js=js, scripts=scripts,
            # Our inline scripts are allowed by their hashes; injected scripts would not run.
            script_hash=Markup(" ".join(_sha(x) for x in [js, *scripts.values()])),
            # Built from validated literals only (ReportSettings), never from article data.
            page_css=Markup(f"@page {{ size: {settings.page_size} {settings.orientation}; }}"))

    def static(self, name: str) -> Markup:
        path = self.dir / "static" / name
        try:
            return Markup(path.read_text(encoding="utf-8"))  # our own file: trusted
        except OSError:
            raise ReportError(f"report template missing: {path}") from None

    def render(self, name: str, **ctx: Any) -> str:
        try:
            return self.env.get_template(name).render(**ctx)
        except TemplateNotFound as e:
            raise ReportError(f"report template missing: {self.dir / (e.name or name)}") from None
        except TemplateSyntaxError as e:
            raise ReportError(f"{e.filename or self.dir / name}:{e.lineno}: template error: {e.message}"
                              ) from None
        except UndefinedError as e:  # a custom template asking for something the view lacks
            raise ReportError(f"{self.dir / name}: template error: {e.message}") from None


@lru_cache(maxsize=8)
def renderer(settings_json: str) -> Renderer:
    return Renderer(ReportSettings.model_validate_json(settings_json))


def get_renderer(settings: ReportSettings) -> Renderer:
    return renderer(settings.model_dump_json())
