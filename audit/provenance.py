"""Translation provenance: the likely source language of a document, from its artifacts.
(stub: owned by the detectors work)"""
from __future__ import annotations

from typing import Any

from audit.types import Document, Finding


def infer(doc: Document, findings: list[Finding]) -> dict[str, Any]:
    return {"lang": None, "score": 0.0, "evidence": []}
