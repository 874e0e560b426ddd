"""Importing this module warms a process up for the map steps: the detectors' word lists,
language model, rule tables and pattern library are loaded by auditing one small built-in
article.

The local process pool's fork server imports it once (`forkserver` preload), so every worker it
forks starts warm. Measured on the seeds and heldout sets (13 articles): without it each worker
paid the first-article cost itself (the detectors' tables, about 10 s on this machine), which
made two workers slower than one.
"""
from __future__ import annotations

SAMPLE = """Strikes hit targets near the capital

BAGHDAD, Jan 12 (Reuters) - The ministry said on Friday that 12 people were killed and 30 wounded
in an air strike on a base used by the Popular Mobilisation Forces, the first minister said.

Share this article
"""


def warm() -> None:
    from audit import steps
    from audit.artifacts.registry import build, phases
    from audit.boilerplate import BoilerplateSettings, DocRecurrence, line_spans
    from audit.ingest import lang
    from audit.ingest.build import make_document
    from audit.ingest.settings import LanguageSettings
    doc = make_document("warm-up", "warm-up.txt", SAMPLE)
    lang.annotate(doc, LanguageSettings())
    res = steps.noise_map((doc, line_spans(doc), DocRecurrence()), BoilerplateSettings())
    steps.apply_noise(doc, res)
    view = steps.BatchView.of([doc], steps.merge_stats([res.stats]))
    for per_doc, dets in phases(build({})):
        if per_doc:
            shared = steps.DetectShared({}, {}, [d.name for d in dets], view, [], provenance=True)
            steps.detect_map((doc, res.findings), shared)


try:
    warm()
except Exception:  # noqa: BLE001 - warming is an optimisation; a real run reports real errors
    pass
