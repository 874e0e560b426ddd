"""Detector registry, after spaCy's component registry: detectors register by name, config
enables and tunes them by that name, and each detector validates its own settings."""
from __future__ import annotations

from typing import Callable, ClassVar, Iterable

from pydantic import BaseModel, ConfigDict

from audit.types import SEVERITIES, BatchContext, Document, Finding


def check_severity(v: str) -> str:
    """A severity in a data file or config entry, checked when it is loaded: a typo is a config
    error naming the entry, not a failure when the first finding is made."""
    if v not in SEVERITIES:
        raise ValueError(f"severity must be info, warning or error, not {v!r}")
    return v


class DetectorSettings(BaseModel):
    """Base settings every detector accepts; subclasses add their own (unknown keys are errors)."""
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True


class Detector:
    """One kind of artifact check.

    Per-document detectors override `check(doc, ctx)`. Batch-aware detectors (entity variants,
    which compare outlets) override `run(ctx)` instead. Detectors only look at content: the
    boilerplate stage has already marked `doc.noise`, and `run` skips findings inside it.
    """
    name: ClassVar[str] = ""
    order: ClassVar[int] = 50  # lower runs first; entity grouping (10) feeds later detectors
    Settings: ClassVar[type[DetectorSettings]] = DetectorSettings

    def __init__(self, settings: DetectorSettings | None = None):
        self.settings = settings or self.Settings()

    def run(self, ctx: BatchContext) -> list[Finding]:
        out: list[Finding] = []
        for doc in ctx.docs:
            out.extend(self.run_one(doc, ctx))
        return out

    def run_one(self, doc: Document, ctx: BatchContext) -> list[Finding]:
        """One document's findings (the map step of a per-document detector)."""
        return [f for f in self.check(doc, ctx) if not doc.is_noise(f.start, f.end)]

    @classmethod
    def per_document(cls) -> bool:
        """True for detectors that judge one article at a time (they override `check`, not
        `run`): the pipeline maps them over documents in any process. Batch-aware detectors
        (`run` overridden) are reduces and run where the whole batch is."""
        return cls.run is Detector.run

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        raise NotImplementedError


REGISTRY: dict[str, type[Detector]] = {}


def register(name: str) -> Callable[[type[Detector]], type[Detector]]:
    def deco(cls: type[Detector]) -> type[Detector]:
        if name in REGISTRY and REGISTRY[name] is not cls:
            raise ValueError(f"detector {name!r} registered twice")
        cls.name = name
        REGISTRY[name] = cls
        return cls
    return deco


def load_all() -> dict[str, type[Detector]]:
    """Import the built-in detector modules so they register themselves."""
    import importlib
    import pkgutil

    import audit.artifacts as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in {"registry"} and not mod.name.startswith("_"):
            importlib.import_module(f"audit.artifacts.{mod.name}")
    return REGISTRY


def build(settings: dict[str, DetectorSettings] | None = None) -> list[Detector]:
    """Instantiate every registered detector, configured from `settings` (name -> settings),
    skipping disabled ones, in run order."""
    settings = settings or {}
    load_all()
    out = []
    for name, cls in REGISTRY.items():
        s = settings.get(name) or cls.Settings()
        if s.enabled:
            out.append(cls(s))
    return sorted(out, key=lambda d: (d.order, d.name))


def phases(detectors: list[Detector]) -> list[tuple[bool, list[Detector]]]:
    """Detectors in run order, cut into phases: (per_document, detectors). Consecutive
    per-document detectors form one map phase; each batch-aware detector is its own reduce."""
    out: list[tuple[bool, list[Detector]]] = []
    for det in detectors:
        per_doc = det.per_document()
        if per_doc and out and out[-1][0]:
            out[-1][1].append(det)
        else:
            out.append((per_doc, [det]))
    return out


def run_detectors(ctx: BatchContext, settings: dict[str, DetectorSettings] | None = None
                  ) -> list[Finding]:
    """Every enabled detector over the whole batch, in `order`: batch-aware detectors compare
    outlets, and later detectors read what earlier ones found (entity groups, split points)."""
    findings: list[Finding] = []
    for det in build(settings):
        findings.extend(det.run(ctx))
    return findings
