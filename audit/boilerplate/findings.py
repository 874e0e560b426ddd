"""Turn line verdicts into Findings a reviewer can check: the span, the kind, the cues."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Callable

from audit.boilerplate.batch import Recurrence
from audit.boilerplate.classify import (LineVerdict, recurrence_detail, recurrence_explain,
                                        unprinted_detail, unprinted_explain)
from audit.types import Document, Finding, Span

DETECTOR = "boilerplate"
_SENT = re.compile(r"[^.!?]+(?:[.!?]+[\"'”’)\]]*|$)")
_LABEL = {"boilerplate": "Site chrome", "caption": "Photo caption or credit",
          "byline": "Reporter credit or bio", "duplicate": "Repeated text"}


def findings_for(doc: Document, verdicts: list[LineVerdict], min_confidence: float
                 ) -> list[Finding]:
    out: list[Finding] = []
    for v in verdicts:
        if not v.noise:
            continue
        for span, part in _units(doc, v):
            out.append(Finding.at(doc, span.start, span.end, v.kind or "boilerplate",
                                  "warning" if v.kind == "duplicate" else "info",
                                  _message(v), DETECTOR, suggestion="remove",
                                  evidence=_evidence(v, min_confidence, part)))
    return out


def _units(doc: Document, v: LineVerdict) -> list[tuple[Span, str | None]]:
    """The whole line, except author bios: those are flagged sentence by sentence, because a
    bio paragraph is a run of separate claims about the reporter and each one is judged
    (and reviewed) on its own cue."""
    if v.kind != "byline" or not any(c.name.startswith("bio-") for c in v.cues):
        return [(v.span, None)]
    sents = [s for s in doc.sentences if v.span.contains(s)] or _split(doc, v.span)
    if len(sents) < 2:
        return [(v.span, None)]
    return [(s, f"sentence {i + 1} of {len(sents)} of the bio paragraph")
            for i, s in enumerate(sents)]


def _split(doc: Document, span: Span) -> list[Span]:
    out = []
    for m in _SENT.finditer(doc.text, span.start, span.end):
        seg = m.group()
        if seg.strip():
            st = m.start() + len(seg) - len(seg.lstrip())
            out.append(Span(st, st + len(seg.strip())))
    return out


def _message(v: LineVerdict) -> str:
    reasons = [c.explain for c in sorted(v.cues, key=lambda c: -c.weight)
               if c.weight > 0 and c.explain][:2]
    return f"{_LABEL.get(v.kind or '', 'Noise')}: {'; '.join(reasons)}"


def _evidence(v: LineVerdict, min_confidence: float, part: str | None) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "confidence": round(v.confidence, 3), "threshold": min_confidence,
        "line": v.index + 1, "position": v.position,
        "cues": [c.to_dict() for c in sorted(v.cues, key=lambda c: -abs(c.weight))],
    }
    if part:
        ev["part"] = part
    for c in v.cues:
        for key in ("duplicate_of", "recurs_in"):
            if key in c.detail:
                ev[key] = c.detail[key]
    return ev


def refill(findings: list[Finding], doc: Document, spans: list[Span],
           lookup: Callable[[str], Recurrence | None], names: Callable[[int], str]) -> None:
    """Quote the current batch in noise findings whose verdicts were reused from a run on another
    batch (pipeline.py reuses a document's verdicts while `features.recurrence_decision` of its
    lines is unchanged): the batch cues' words and details (how many unrelated articles print
    the line, which ones, how many copies leave it out) are written again from `lookup` (this
    batch's recurrence of a line's text), the message with them. Verdicts, weights and scores
    are untouched: they read only the decision. On a finding computed in this batch it changes
    nothing (tests/test_cache.py compares a re-run with an uncached run)."""
    starts = [s.start for s in spans]
    for f in findings:
        cues = f.evidence.get("cues")
        i = bisect_right(starts, f.start) - 1
        if not cues or i < 0 or f.start >= spans[i].end:
            continue
        rec = lookup(doc.text[spans[i].start:spans[i].end])
        if rec is None:
            continue
        for c in cues:
            if c.get("name") == "recurs-in-batch" and "recurs_in" in c:
                _rewrite(f, c, recurrence_explain(rec), recurrence_detail(rec, names))
                f.evidence["recurs_in"] = c["recurs_in"]
            elif c.get("name") == "unprinted-by-copies":
                past = c.get("past_tense")
                _rewrite(f, c, unprinted_explain(rec, past), unprinted_detail(rec, past))


def _rewrite(f: Finding, cue: dict[str, Any], explain: str, detail: dict[str, Any]) -> None:
    """A cue's words and details, in place (the keys keep their order), and in the message."""
    if cue["explain"] != explain:
        f.message = f.message.replace(cue["explain"], explain)
        cue["explain"] = explain
    cue.update(detail)
