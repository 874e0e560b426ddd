"""`audit eval`: score the pipeline's findings and alignment against a gold file.

The rules are those of shared/gold/README.md, applied in this order to each prediction:

1. only documents listed in the gold file are scored, and only kinds of the four scored families
   (entity, surface, translation, noise); a `discrepancy` finding (family `claim`) is scored
   through claims instead;
2. an entity, surface or translation prediction lying inside a gold noise line (a noise-family
   gold finding given by `line`) is dropped: the noise line is the finding there;
3. an entity-family prediction at warning or error severity *of an acceptable spelling* is a
   false positive, whatever gold it overlaps, and is counted in `acceptable_flagged` (unless it
   overlaps an ignore span: the annotator doubted that spelling). "Of an acceptable spelling":
   its text, stripped of surrounding punctuation, equals an acceptable form (case-insensitively),
   or its span lies within a whole-word, case-insensitive occurrence of an acceptable form in
   that document;
4. a prediction that overlaps an `ignore` span is dropped: neither a hit nor a false positive;
5. otherwise it hits every gold finding of the same document and family whose range overlaps it,
   and one that hits nothing is a false positive.

Rule 4 is README rule 3 read literally ("predictions that overlap an ignore span are
dropped"), even for a prediction that would also hit a gold finding: the gold file is the
contract, and a scorer that bends it would report figures nobody else can reproduce. The cost
is that a gold finding that contains an ignore span can only be hit by a prediction that
avoids the doubtful part (the seeds put doubtful phrases inside two author-bio lines, and the
first "Hachd al-Chaabi" lies wholly inside one, so that one can never be hit). The details list
gold findings that can never be hit (`unreachable`: inside a gold noise line, or inside an
ignore span), so an impossible miss is visible as such.

Two different counts are behind precision and recall, and both are in the details:
`tp` = predictions that hit (precision = tp / (tp + fp), over kept predictions), whereas recall
= gold findings hit / gold findings counted, where a gold finding marked `optional` is counted
only when hit, and `fn` = non-optional gold findings not hit. Several predictions may hit one
gold finding (each counts in precision), and one prediction may hit several. Precision, recall
and F1 are 0.0 when their denominator is 0 (silence earns nothing). `overall` sums the counts of
the four families (micro-average).

Claims: a claim is aligned when one group contains all its mentions, or, for two or more
mentions, every pair shares some group. A group is an `AlignedGroup` (its members) or a tool
`Claim` (its mentions); it contains a mention when one of its members overlaps the mention's
span. A gold claim marked `discrepancy: true` is found when a tool Claim with discrepancy=True
has mentions overlapping at least two of its gold mentions with different values.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from audit.gold import (SCORED_FAMILIES, Gold, GoldError, GoldItem, ResolvedClaim, ResolvedGold,
                        load_gold, resolve_gold, strip_punct)
from audit.evaluate_docs import ProvenanceScore, format_lines, score_grouping, score_provenance
from audit.types import KIND_FAMILY, Alignment, Document, Finding, Span

__all__ = ["GoldError", "Gold", "EvalResult", "load_gold", "load_documents", "evaluate", "score", "main"]

# Prediction statuses. Only "hit", "fp" and "acceptable" count; the others are reasons for a drop.
HIT, FP, ACCEPTABLE = "hit", "fp", "acceptable"
IGNORED, IN_NOISE, OTHER_DOC, UNSCORED_KIND = "ignored", "in-noise-line", "doc-not-in-gold", "unscored-kind"
FLAG_SEVERITIES = ("warning", "error")


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class FamilyScore:
    family: str
    tp: int = 0             # predictions that hit a gold finding
    fp: int = 0             # kept predictions that hit none (incl. acceptable spellings flagged)
    gold_hit: int = 0       # gold findings hit (optional ones included)
    fn: int = 0             # non-optional gold findings not hit
    gold_total: int = 0     # resolved gold findings, optional ones included
    gold_optional: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.gold_hit, self.gold_hit + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return _ratio(2 * p * r, p + r) if p + r else 0.0

    def add(self, other: "FamilyScore") -> None:
        for k in ("tp", "fp", "gold_hit", "fn", "gold_total", "gold_optional"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}

    def details(self) -> dict[str, Any]:
        return {**self.to_dict(), "predictions_hit": self.tp, "predictions_kept": self.tp + self.fp,
                "gold_hit": self.gold_hit, "gold_counted": self.gold_hit + self.fn,
                "gold_total": self.gold_total, "gold_optional": self.gold_optional}


@dataclass
class Prediction:
    """One predicted finding and what the scorer made of it."""
    index: int
    finding: Finding
    family: str | None
    status: str
    hits: list[int] = field(default_factory=list)   # GoldItem ids
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {"doc": f.doc_id, "start": f.start, "end": f.end, "kind": f.kind, "family": self.family,
                "severity": f.severity, "detector": f.detector, "text": f.text, "status": self.status,
                "hits": self.hits, "reason": self.reason}


@dataclass
class ClaimScore:
    id: str
    about: str
    mentions: int
    aligned: bool
    via: str                     # "group <id>", "pairwise", or "" when not aligned
    unplaced: list[str]          # "doc: text" of mentions no group contains
    discrepancy: bool            # gold marks it as a discrepancy
    discrepancy_found: bool = False
    found_by: str = ""           # the tool claim id that flagged it

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EvalResult:
    gold_path: str
    families: dict[str, FamilyScore]
    predictions: list[Prediction]
    gold: list[GoldItem]
    claims: list[ClaimScore]
    docs: dict[str, Document] = field(default_factory=dict, repr=False)
    unreachable: list[int] = field(default_factory=list)   # gold ids no prediction can hit
    problems: list[str] = field(default_factory=list)      # pipeline problems, for the record
    timings: dict[str, float] = field(default_factory=dict)
    provenance: ProvenanceScore | None = None              # document level (evaluate_docs)
    grouping: dict[str, Any] | None = None

    @property
    def overall(self) -> FamilyScore:
        total = FamilyScore("overall")
        for fs in self.families.values():
            total.add(fs)
        return total

    @property
    def acceptable_flagged(self) -> int:
        return sum(p.status == ACCEPTABLE for p in self.predictions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "families": {f: self.families[f].to_dict() for f in SCORED_FAMILIES},
            "overall": self.overall.to_dict(),
            "acceptable_flagged": self.acceptable_flagged,
            "claims": {"aligned": sum(c.aligned for c in self.claims), "total": len(self.claims),
                       "discrepancies_found": sum(c.discrepancy_found for c in self.claims),
                       "discrepancies_total": sum(c.discrepancy for c in self.claims)},
            **({"provenance": self.provenance.to_dict()} if self.provenance else {}),
            **({"grouping": self.grouping} if self.grouping else {}),
        }

    def details(self) -> dict[str, Any]:
        """Everything behind the numbers: why each prediction counted, which gold was missed."""
        return {
            "gold_file": self.gold_path,
            "families": {f: self.families[f].details() for f in SCORED_FAMILIES},
            "overall": self.overall.details(),
            "predictions": [p.to_dict() for p in self.predictions],
            "gold": [_gold_dict(g) for g in self.gold],
            "claims": [c.to_dict() for c in self.claims],
            "unreachable": self.unreachable,
            "provenance_errors": self.provenance.wrong if self.provenance else [],
            "dropped": self.dropped_counts(),
            "problems": self.problems,
        }

    def dropped_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.predictions:
            if p.status not in (HIT, FP, ACCEPTABLE):
                out[p.status] = out.get(p.status, 0) + 1
        return out

    def misses(self) -> list[GoldItem]:
        return sorted((g for g in self.gold if not g.hit_by and not g.finding.optional),
                      key=lambda g: (g.doc, g.start, g.id))

    def false_positives(self) -> list[Prediction]:
        return [p for p in self.predictions if p.status in (FP, ACCEPTABLE)]

    def format_text(self, details: bool = True) -> str:
        """The table a developer reads: scores, then (with details) every miss and false
        positive with its line, so a change can be judged by what it got right and wrong."""
        lines = [f"gold: {self.gold_path}",
                 "P = predictions that hit / predictions kept; R = gold findings hit / gold counted"
                 " (optional gold counts only when hit); '-' = nothing to measure",
                 f"{'family':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
                 f"  {'gold hit':>8} {'counted':>7} {'optional':>8}"]
        for name, fs in [*((f, self.families[f]) for f in SCORED_FAMILIES), ("overall", self.overall)]:
            p = _fmt(fs.precision, fs.tp + fs.fp)
            r = _fmt(fs.recall, fs.gold_hit + fs.fn)
            f1 = _fmt(fs.f1, (fs.tp + fs.fp) * (fs.gold_hit + fs.fn))
            lines.append(f"{name:<12} {p:>6} {r:>6} {f1:>6} {fs.tp:4d} {fs.fp:4d} {fs.fn:4d}"
                         f"  {fs.gold_hit:8d} {fs.gold_hit + fs.fn:7d} {fs.gold_optional:8d}")
        c = self.to_dict()["claims"]
        lines.append(f"acceptable spellings flagged: {self.acceptable_flagged}")
        lines.append(f"claims aligned: {c['aligned']}/{c['total']}; "
                     f"discrepancies found: {c['discrepancies_found']}/{c['discrepancies_total']}")
        lines += format_lines(self.provenance, self.grouping)
        dropped = self.dropped_counts()
        if dropped:
            lines.append("predictions not scored: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
        if self.unreachable:
            lines.append(f"gold findings no prediction can hit (inside a gold noise line or an ignore span): "
                         f"{len(self.unreachable)}, ids {self.unreachable}")
        if details:
            lines += self._detail_lines()
        return "\n".join(lines)

    def _detail_lines(self) -> list[str]:
        out: list[str] = []
        if self.provenance and self.provenance.wrong:
            out.append(f"\nprovenance errors ({len(self.provenance.wrong)}):")
            out += [f"  {w}" for w in self.provenance.wrong]
        misses = self.misses()
        if misses:
            out.append(f"\nmissed gold findings ({len(misses)}):")
            out += [f"  {g.doc}:{self._line(g.doc, g.start)} {g.finding.kind:<15} {g.text[:80]!r}"
                    f"{'  — ' + g.finding.note if g.finding.note else ''}" for g in misses]
        fps = self.false_positives()
        if fps:
            out.append(f"\nfalse positives ({len(fps)}):")
            for p in fps:
                f = p.finding
                why = "  [acceptable spelling]" if p.status == ACCEPTABLE else ""
                out.append(f"  {f.doc_id}:{self._line(f.doc_id, f.start)} {f.kind:<15} {f.severity:<7} "
                           f"{f.detector}: {f.text[:80]!r}{why}")
        unaligned = [c for c in self.claims if not c.aligned]
        if unaligned:
            out.append(f"\nclaims not aligned ({len(unaligned)}):")
            out += [f"  {c.id}: no group holds {', '.join(c.unplaced) or 'all mentions together'}"
                    for c in unaligned]
        return out

    def _line(self, doc_id: str, offset: int) -> int:
        doc = self.docs.get(doc_id)
        return doc.text.count("\n", 0, offset) + 1 if doc else 0


def _gold_dict(g: GoldItem) -> dict[str, Any]:
    gf = g.finding
    return {"id": g.id, "where": gf.loc.where, "doc": g.doc, "start": g.start, "end": g.end,
            "kind": gf.kind, "family": gf.family, "text": g.text, "occurrence": g.occurrence,
            "optional": gf.optional, "verdict": gf.verdict, "suggest": gf.suggest, "note": gf.note,
            "hit": bool(g.hit_by), "hit_by": g.hit_by}


# --- scoring -------------------------------------------------------------------------------------

def _overlaps_any(span: Span, ranges: list[Span]) -> bool:
    return any(span.overlaps(r) for r in ranges)


def _within_any(span: Span, ranges: list[Span]) -> bool:
    return any(r.contains(span) for r in ranges)


def _is_acceptable(f: Finding, rg: ResolvedGold) -> bool:
    if strip_punct(f.text).casefold() in rg.acceptable_forms:
        return True
    return _within_any(f.span, rg.acceptable.get(f.doc_id, []))


def _classify(i: int, f: Finding, rg: ResolvedGold, gold_by_doc: dict[str, list[GoldItem]]) -> Prediction:
    family = KIND_FAMILY.get(f.kind)
    if f.doc_id not in rg.gold.documents:
        return Prediction(i, f, family, OTHER_DOC)
    if family not in SCORED_FAMILIES:
        return Prediction(i, f, family, UNSCORED_KIND, reason=f"kind {f.kind!r} is not a scored family")
    span = f.span
    if family != "noise" and _within_any(span, rg.noise_lines.get(f.doc_id, [])):
        return Prediction(i, f, family, IN_NOISE, reason="inside a gold noise line")
    ignored = _overlaps_any(span, rg.ignore.get(f.doc_id, []))
    if family == "entity" and f.severity in FLAG_SEVERITIES and _is_acceptable(f, rg):
        if ignored:
            return Prediction(i, f, family, IGNORED, reason="acceptable spelling inside an ignore span")
        return Prediction(i, f, family, ACCEPTABLE, reason="flags an acceptable spelling")
    if ignored:  # rule 3, read literally: dropped even when it would also hit a gold finding
        return Prediction(i, f, family, IGNORED, reason="overlaps an ignore span")
    hits = [g.id for g in gold_by_doc.get(f.doc_id, []) if g.family == family and span.overlaps(g.span)]
    if hits:
        return Prediction(i, f, family, HIT, hits)
    return Prediction(i, f, family, FP)


def _fmt(value: float, denominator: int) -> str:
    """A score, or '-' when there was nothing to measure (no predictions, no gold)."""
    return f"{value:.3f}" if denominator else "-"


def _family_scores(preds: list[Prediction], items: list[GoldItem]) -> dict[str, FamilyScore]:
    fams = {f: FamilyScore(f) for f in SCORED_FAMILIES}
    for p in preds:
        if p.status == HIT:
            fams[p.family].tp += 1
        elif p.status in (FP, ACCEPTABLE):
            fams[p.family].fp += 1
    for g in items:
        fs = fams[g.family]
        fs.gold_total += 1
        fs.gold_optional += g.finding.optional
        if g.hit_by:
            fs.gold_hit += 1
        elif not g.finding.optional:
            fs.fn += 1
    return fams


def _groups(alignment: Alignment) -> list[tuple[str, list[tuple[str, Span]]]]:
    out = [(f"group {g.id}", [(m.doc_id, Span(m.start, m.end)) for m in g.members]) for g in alignment.groups]
    out += [(f"claim {c.id}", [(m.doc_id, Span(m.start, m.end)) for m in c.mentions]) for c in alignment.claims]
    return out


def _contains(members: list[tuple[str, Span]], doc: str, spans: list[Span]) -> bool:
    return any(d == doc and _overlaps_any(s, spans) for d, s in members)


def _score_claim(rc: ResolvedClaim, groups: list[tuple[str, list[tuple[str, Span]]]],
                 alignment: Alignment) -> ClaimScore:
    mentions = rc.mentions
    held = [(name, {i for i, (m, spans) in enumerate(mentions) if _contains(members, m.loc.doc, spans)})
            for name, members in groups]
    n = len(mentions)
    via = next((name for name, idx in held if len(idx) == n), "")
    if not via and n >= 2 and all(any({i, j} <= idx for _, idx in held) for i, j in combinations(range(n), 2)):
        via = "pairwise"
    placed = set().union(*(idx for _, idx in held)) if held else set()
    unplaced = [f"{m.loc.doc}: {(m.loc.span or m.loc.line)[:60]!r}" for i, (m, _) in enumerate(mentions)
                if i not in placed]
    cs = ClaimScore(rc.claim.id, rc.claim.about, n, bool(via), via, unplaced, rc.claim.discrepancy)
    if rc.claim.discrepancy:
        for tc in alignment.claims:
            if not tc.discrepancy:
                continue
            members = [(m.doc_id, Span(m.start, m.end)) for m in tc.mentions]
            values = {m.value for m, spans in mentions
                      if m.value is not None and _contains(members, m.loc.doc, spans)}
            if len(values) >= 2:
                cs.discrepancy_found, cs.found_by = True, tc.id
                break
    return cs


def _score_resolved(rg: ResolvedGold, docs: dict[str, Document], findings: list[Finding],
                    alignment: Alignment) -> EvalResult:
    gold_by_doc: dict[str, list[GoldItem]] = {}
    for g in rg.items:
        g.hit_by = []
        gold_by_doc.setdefault(g.doc, []).append(g)
    preds = [_classify(i, f, rg, gold_by_doc) for i, f in enumerate(findings)]
    for p in preds:
        for gid in p.hits:
            rg.items[gid].hit_by.append(p.index)
    groups = _groups(alignment)
    claims = [_score_claim(rc, groups, alignment) for rc in rg.claims]
    unreachable = [g.id for g in rg.items
                   if (g.family != "noise" and _within_any(g.span, rg.noise_lines.get(g.doc, [])))
                   or _within_any(g.span, rg.ignore.get(g.doc, []))]
    return EvalResult(rg.gold.path, _family_scores(preds, rg.items), preds, rg.items, claims,
                      docs={d: docs[d] for d in rg.gold.documents}, unreachable=unreachable)


def score(gold: Gold, docs: dict[str, Document], findings: list[Finding], alignment: Alignment) -> EvalResult:
    """Score predictions against a gold file (pure: no files, no pipeline)."""
    return _score_resolved(resolve_gold(gold, docs), docs, findings, alignment)


# --- documents and the end-to-end run ------------------------------------------------------------

# Extensions tried for a document id when the ingest package does not say which it supports.
DEFAULT_EXTENSIONS = (".txt", ".html", ".htm", ".jsonl")


def _extensions() -> tuple[str, ...]:
    from audit import ingest
    for name in ("SUPPORTED_EXTENSIONS", "EXTENSIONS", "SUPPORTED"):
        exts = getattr(ingest, name, None)
        if exts:
            return tuple(e if e.startswith(".") else f".{e}" for e in exts)
    return DEFAULT_EXTENSIONS


def _find_file(doc_id: str, docs_dir: Path, exts: tuple[str, ...], where: str) -> Path:
    """The file whose stem is the id; a JSONL record `stem-N` (or `stem:N`) comes from `stem.jsonl`."""
    found = [p for p in sorted(docs_dir.glob(f"{_glob_escape(doc_id)}.*"))
             if p.stem == doc_id and p.suffix.lower() in exts]
    record = re.fullmatch(r"(.+)[:-](\d+)", doc_id)
    if not found and record:            # a JSONL record's id is the file stem plus its line number
        stem = record.group(1)
        found = [p for p in docs_dir.glob(f"{_glob_escape(stem)}.*")
                 if p.stem == stem and p.suffix.lower() == ".jsonl"]
    if not found:
        raise GoldError(f"{where}: no file for document {doc_id!r} in {docs_dir} "
                        f"(looked for {doc_id}{{{','.join(exts)}}})")
    if len(found) > 1:
        raise GoldError(f"{where}: several files for document {doc_id!r}: {', '.join(p.name for p in found)}")
    return found[0]


def _glob_escape(s: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in s)


def load_documents(gold: Gold, docs_dir: Path, cfg) -> tuple[dict[str, Document], list[str]]:
    """Load the gold file's documents from docs_dir; returns them by id, and ingest problems.

    Outlet and date from the gold file fill in what the file does not give (they are input
    metadata a user would put in config, not labels; `origin` is a label and is never passed on).
    """
    from audit import ingest
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise GoldError(f"{docs_dir}: not a directory of documents")
    exts = _extensions()
    paths = list(dict.fromkeys(_find_file(d, docs_dir, exts, gold.doc_where[d]) for d in gold.documents))
    loaded, problems = ingest.load_paths(paths, cfg.language)
    by_id = {d.id: d for d in loaded}
    docs: dict[str, Document] = {}
    for doc_id in gold.documents:
        if doc_id not in by_id:
            why = "; ".join(str(p) for p in problems) or "the file holds no document with this id"
            raise GoldError(f"{gold.doc_where[doc_id]}: document {doc_id!r} could not be loaded: {why}")
        docs[doc_id] = _with_meta(by_id[doc_id], gold.documents[doc_id])
    return docs, [str(p) for p in problems]


def _with_meta(doc: Document, meta: dict[str, Any]) -> Document:
    if not doc.outlet and meta.get("outlet"):
        doc.outlet = str(meta["outlet"])
    if doc.source.outlet is None and doc.outlet:
        doc.source.outlet = doc.outlet
    if not doc.date and meta.get("published"):
        doc.date = str(meta["published"])
    return doc


def evaluate(gold_path: Path, docs_dir: Path, cfg) -> EvalResult:
    """Load gold and documents, check every gold span resolves, run the pipeline, score it."""
    from audit import pipeline
    gold = load_gold(gold_path)
    docs, problems = load_documents(gold, docs_dir, cfg)
    resolved = resolve_gold(gold, docs)          # fail on bad gold before the (slow) pipeline
    run = pipeline.analyse(list(docs.values()), cfg, name="eval")
    result = _score_resolved(resolved, docs, run.findings, run.alignment)
    result.problems = problems + [str(p) for p in run.problems if str(p) not in problems]
    result.timings = dict(run.timings)
    result.provenance = score_provenance(gold.documents, run.provenance)
    result.grouping = score_grouping(gold.documents, run.alignment.stories)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m audit.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="gold file (YAML)")
    ap.add_argument("docs", type=Path, help="folder holding the gold file's documents")
    ap.add_argument("-c", "--config", type=Path, default=None, help="config.yaml (default: built-in defaults)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--details", action="store_true", help="with --json: add every prediction and gold item")
    args = ap.parse_args(argv)
    from audit import config
    try:
        cfg = config.load_config(args.config) if args.config else config.Config()
    except (OSError, ValueError) as e:     # the config module words its own errors
        print(f"error: {str(e).strip()}", file=sys.stderr)
        return 2
    try:
        result = evaluate(args.gold, args.docs, cfg)
    except GoldError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        out = result.to_dict()
        if args.details:
            out["details"] = result.details()
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(result.format_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
