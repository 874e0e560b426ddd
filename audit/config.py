"""config.yaml schema. (minimal: the foundation work adds line-numbered errors and `config check`)"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from audit.align import AlignSettings
from audit.artifacts.registry import DetectorSettings, load_all
from audit.boilerplate import BoilerplateSettings
from audit.ingest import LanguageSettings
from audit.report import ReportSettings


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceConfig(Strict):
    name: str = ""
    paths: list[str]
    outlet: str | None = None
    trust: float = Field(1.0, ge=0, le=10)
    lang: str | None = None


class Config(Strict):
    name: str = "audit"
    sources: list[SourceConfig] = Field(default_factory=list)
    output: str = "reports"
    language: LanguageSettings = Field(default_factory=LanguageSettings)
    boilerplate: BoilerplateSettings = Field(default_factory=BoilerplateSettings)
    detectors: dict[str, dict[str, Any]] = Field(default_factory=dict)
    align: AlignSettings = Field(default_factory=AlignSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    def detector_settings(self) -> dict[str, DetectorSettings]:
        registry = load_all()
        return {name: registry[name].Settings.model_validate(raw or {})
                for name, raw in self.detectors.items()}


def load_config(path: Path) -> Config:
    return Config.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
