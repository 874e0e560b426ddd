"""Document-level scores for `audit eval`: translation provenance and story grouping.

Both read the gold file's `documents` metadata, so they only count when it is there:
- provenance: `origin` is the language an English text was translated from (`en` for native copy,
  `en-*` such as `en-respun` for English reworked in English). "Translated" is the positive class;
  precision/recall/F1 of the run's per-document decision, and of the true positives, how many
  name the right source language;
- grouping: `event` names the real-world event of each document. B-cubed precision and recall
  (Bagga & Baldwin 1998) of the run's stories against the events: a document outside every story
  is its own cluster, so a run that groups nothing scores precision 1 and low recall.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.types import Story


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return _ratio(2 * p * r, p + r)


def is_translated(origin: str) -> bool:
    """True for a language code other than English ('fr', 'es', ...)."""
    origin = origin.strip().lower()
    return bool(origin) and origin != "en" and not origin.startswith("en-")


@dataclass
class ProvenanceScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    lang_right: int = 0
    wrong: list[str] = None  # "doc: gold -> predicted" for every error, for the details

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(_f1(self.precision, self.recall), 4), "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "language_right": self.lang_right,
                "language_accuracy": round(_ratio(self.lang_right, self.tp), 4)}


def score_provenance(documents: dict[str, dict[str, Any]],
                     provenance: dict[str, dict[str, Any]]) -> ProvenanceScore | None:
    """None when the gold gives no `origin` for any document."""
    rows = [(d, str(m["origin"])) for d, m in documents.items() if m.get("origin")]
    if not rows:
        return None
    s = ProvenanceScore(wrong=[])
    for doc_id, origin in rows:
        lang = (provenance.get(doc_id) or {}).get("lang")
        gold_t = is_translated(origin)
        if gold_t and lang:
            s.tp += 1
            if lang == origin.strip().lower():
                s.lang_right += 1
            else:
                s.wrong.append(f"{doc_id}: from {origin}, said {lang}")
        elif lang:
            s.fp += 1
            s.wrong.append(f"{doc_id}: {origin} original, said translated from {lang}")
        elif gold_t:
            s.fn += 1
            s.wrong.append(f"{doc_id}: from {origin}, not recognised")
    return s


def _bcubed(clusters: dict[str, frozenset[str]], truth: dict[str, frozenset[str]]) -> tuple[float, float]:
    docs = list(truth)
    p = sum(len(clusters[d] & truth[d]) / len(clusters[d]) for d in docs) / len(docs)
    r = sum(len(clusters[d] & truth[d]) / len(truth[d]) for d in docs) / len(docs)
    return p, r


def _clusters(stories: list[Story], kind: str, docs: list[str]) -> dict[str, frozenset[str]]:
    """doc -> the members of its cluster (restricted to the scored documents)."""
    scored = set(docs)
    out: dict[str, frozenset[str]] = {}
    for s in stories:
        if s.kind != kind:
            continue
        members = frozenset(d for d in s.doc_ids if d in scored)
        for d in members:
            out.setdefault(d, members)       # a document's first story is its cluster
    return {d: out.get(d, frozenset([d])) for d in docs}


def score_grouping(documents: dict[str, dict[str, Any]], stories: list[Story]) -> dict[str, Any] | None:
    """B-cubed of stories (and, for comparison, topics) against gold events; None without events."""
    events = {d: str(m["event"]) for d, m in documents.items() if m.get("event")}
    if not events:
        return None
    by_event: dict[str, set[str]] = {}
    for d, e in events.items():
        by_event.setdefault(e, set()).add(d)
    truth = {d: frozenset(by_event[e]) for d, e in events.items()}
    out: dict[str, Any] = {"documents": len(events), "events": len(by_event)}
    for kind in ("story", "topic"):
        p, r = _bcubed(_clusters(stories, kind, list(events)), truth)
        out[f"{kind}_bcubed"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)}
    return out


def format_lines(prov: ProvenanceScore | None, grouping: dict[str, Any] | None) -> list[str]:
    lines: list[str] = []
    if prov is not None:
        d = prov.to_dict()
        lines.append(f"provenance (translated articles): P {d['precision']:.2f} R {d['recall']:.2f} "
                     f"F1 {d['f1']:.2f} (tp {d['tp']}, fp {d['fp']}, fn {d['fn']}); source language "
                     f"right for {d['language_right']}/{d['tp']}")
    if grouping is not None:
        for kind, plural in (("story", "stories"), ("topic", "topics")):
            b = grouping[f"{kind}_bcubed"]
            lines.append(f"{plural:<7} vs {grouping['events']} gold events ({grouping['documents']} documents): "
                         f"B-cubed P {b['precision']:.2f} R {b['recall']:.2f} F1 {b['f1']:.2f}")
    return lines
