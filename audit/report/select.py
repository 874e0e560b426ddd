"""What goes on paper: which articles and stories get their own PDF, and what summary.pdf shows.

At five articles every finding fits on paper; at a thousand the old summary ran to 1,588 pages
and nobody read it. Paper is for decisions: errors, value discrepancies, garbled names, the
most damaged and the translated articles, each list cut at `summary_rows` and the rest counted
with a pointer to the HTML, so summary.pdf stays within about 30 pages whatever the batch size.
Per-article and per-story PDFs are written for what is over `pdf_threshold` (default: any
error or value discrepancy), most urgent first, at most `pdf_max_files`; `audit pdf ID` writes
any other on demand.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from audit.report.docs import SCORED_FAMILIES, DocView
from audit.report.settings import ReportSettings

_LEVEL = {"any": 0, "info": 0, "warning": 1, "error": 2}
_SEV = {"info": 0, "warning": 1, "error": 2}


def doc_urgency(dv: DocView, disc_docs: set[str]) -> tuple[int, int, float]:
    return (dv.errors + 3 * (dv.id in disc_docs), dv.by_severity.get("warning", 0), dv.score or 0.0)


def doc_over(dv: DocView, level: str, disc_docs: set[str]) -> bool:
    """An article is over the threshold when it carries a finding at or above `level` in the
    families that measure damage (or a claim), or gives a value other outlets contradict."""
    if level == "none":
        return False
    if dv.id in disc_docs:
        return True
    need = _LEVEL[level]
    return any(_SEV.get(f.severity, 0) >= need for f in dv.findings
               if f.family in SCORED_FAMILIES or f.family == "claim")


def discrepancy_docs(view: Any) -> set[str]:
    """Articles that give a figure other outlets contradict: in each disputed claim, those
    away from the value most outlets give (all of them when no value has a majority)."""
    out: set[str] = set()
    by_href = {dv.href: dv.id for dv in view.docs}
    for c in view.claims:
        if not c.discrepancy:
            continue
        values = c.values
        top = values[0].count if values else 0
        lead = [v for v in values if v.count == top]
        for v in values:
            if len(lead) == 1 and v is lead[0]:
                continue
            out.update(by_href[h] for _, h, _ in v.outlets if h in by_href)
    return out


@dataclass
class DocClaim:
    """A disputed figure as one article gives it, beside what most outlets give."""
    claim: Any                       # a ClaimView
    mine: Any                        # the ClaimValue this article is among
    top: Any                         # the value most outlets give

    @property
    def outlets(self) -> int:
        return sum(v.count for v in self.claim.values)


def doc_claims(view: Any, dv: DocView) -> list[DocClaim]:
    """The disputed claims an article gives a figure in: why an article without errors may
    still have its own PDF (the threshold counts value discrepancies). One line each on paper;
    the full table of values and outlets is on the story's page."""
    out = []
    for c in view.claims:
        if not c.discrepancy:
            continue
        values = c.values
        mine = next((v for v in values if any(h == dv.href for _, h, _ in v.outlets)), None)
        if mine is not None:
            out.append(DocClaim(c, mine, values[0]))
    return out


@dataclass
class PdfPlan:
    docs: list[DocView] = field(default_factory=list)
    stories: list[Any] = field(default_factory=list)
    left_out: int = 0          # over the threshold but past pdf_max_files (on demand: audit pdf)

    @property
    def story_ids(self) -> set[str]:
        return {s.story.id for s in self.stories}

    @property
    def doc_ids(self) -> set[str]:
        return {d.id for d in self.docs}


def plan_pdfs(view: Any, settings: ReportSettings) -> PdfPlan:
    """Articles and stories over the threshold, most urgent first, within pdf_max_files."""
    if not settings.pdf:
        return PdfPlan()
    disc = discrepancy_docs(view)
    level = settings.pdf_threshold
    docs = [dv for dv in view.docs if doc_over(dv, level, disc)] if settings.pdf_per_article else []
    docs.sort(key=lambda dv: doc_urgency(dv, disc), reverse=True)
    stories = []
    if settings.pdf_per_story:
        # a topic (loosely related stories) is over only by a value discrepancy: its articles'
        # errors already have their own PDFs, and a topic's PDF runs long (8-18 pages at 1k)
        stories = [s for s in view.stories if s.discrepancies or (
            s.story.kind == "story" and any(doc_over(dv, level, set()) for dv in s.docs))]
        stories = [s for s in stories if level != "none"]
        stories.sort(key=lambda s: (s.discrepancies, s.errors, len(s.docs)), reverse=True)
    cap = settings.pdf_max_files
    if not cap or len(docs) + len(stories) <= cap:
        return PdfPlan(docs, stories)
    n_st = min(len(stories), max(1, cap // 3, cap - len(docs)))
    n_doc = cap - n_st
    return PdfPlan(docs[:n_doc], stories[:n_st], len(docs) - n_doc + len(stories) - n_st)


# --- summary.pdf: decisions first ------------------------------------------------------------

@dataclass
class Cut:
    """A list cut for paper: the rows shown and how many were left to the HTML."""
    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def cut(rows: list[Any], n: int) -> Cut:
    return Cut(rows[:n], len(rows))


@dataclass
class FindingGroup:
    """Findings that say the same thing about the same words (one garbled name in eleven
    reprints): one row on paper, with every place it occurs."""
    first: Any                                       # a FindingView: kind, text, message, why
    places: list[tuple[str, str, int]] = field(default_factory=list)   # (outlet label, doc id, line)

    def __getattr__(self, name: str) -> Any:
        if name == "first":
            raise AttributeError(name)
        return getattr(self.first, name)

    @property
    def where(self) -> list[tuple[str, str, list[int]]]:
        """(label, doc id, lines) per article, in order of first appearance."""
        out: dict[str, tuple[str, str, list[int]]] = {}
        for label, doc, line in self.places:
            out.setdefault(doc, (label, doc, []))[2].append(line)
        return list(out.values())


def group_findings(findings: list[Any]) -> list[FindingGroup]:
    groups: dict[tuple, FindingGroup] = {}
    for f in findings:
        key = tuple(str(x) for x in (f.kind, f.text, f.message, f.suggestion))
        groups.setdefault(key, FindingGroup(f)).places.append((f.doc_label, f.doc_id, f.line))
    return list(groups.values())


@dataclass
class Summary:
    errors: Cut
    warnings: Cut
    discrepancies: Cut
    garbled: Cut
    damaged: Cut
    translated: Cut
    problems: Cut
    tail: list[tuple[str, str, int, int, int]]        # (family, kind, errors, warnings, infos)
    pdfs: PdfPlan
    error_count: int = 0       # findings (errors and warnings are listed grouped)
    warning_count: int = 0

    @property
    def decisions(self) -> int:
        return self.error_count + self.discrepancies.total + self.garbled.total


def build_summary(view: Any, settings: ReportSettings, pdfs: PdfPlan) -> Summary:
    n = settings.summary_rows
    score = {dv.id: dv.score or 0.0 for dv in view.docs}
    scored = [f for f in view.findings if f.family in SCORED_FAMILIES or f.family == "claim"]
    by_rank = lambda f: (-score.get(f.doc_id, 0.0), f.doc_label, f.num)  # noqa: E731
    errors = group_findings(sorted((f for f in scored if f.severity == "error"), key=by_rank))
    warnings = group_findings(sorted((f for f in scored if f.severity == "warning"), key=by_rank))
    garbled = [e for e in view.entities if any(s.verdict == "garbled" for s in e.spellings)]
    damaged = sorted((dv for dv in view.docs if dv.findings and dv.score),
                     key=lambda dv: (-(dv.score or 0), dv.label))
    translated = sorted((dv for dv in view.docs if dv.source_lang),
                        key=lambda dv: (-(dv.prov_score or 0), dv.label))
    tail: Counter[tuple[str, str, str]] = Counter((f.family, f.kind, f.severity) for f in view.findings)
    kinds = sorted({(fam, k) for fam, k, _ in tail})
    return Summary(
        errors=cut(errors, n), warnings=cut(warnings, n // 2),
        discrepancies=cut(view.discrepancies, n // 2), garbled=cut(garbled, n // 2),
        damaged=cut(damaged, n // 2), translated=cut(translated, n // 2),
        problems=cut(list(view.problems), n // 2),
        tail=[(fam, k, tail[(fam, k, "error")], tail[(fam, k, "warning")], tail[(fam, k, "info")])
              for fam, k in kinds],
        pdfs=pdfs, error_count=sum(len(g.places) for g in errors),
        warning_count=sum(len(g.places) for g in warnings))


# --- an article's findings on paper ---------------------------------------------------------

_PAPER_SEV = {"error": 0, "warning": 1, "info": 2}


@dataclass
class PaperRow:
    """One row of a printed findings table: a finding, or the same finding repeated in the
    article (one function word capitalised in twelve places), with every number and line."""
    first: Any                                    # a FindingView
    nums: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        if name == "first":
            raise AttributeError(name)
        return getattr(self.first, name)

    @property
    def where(self) -> str:
        """'14' or '14, 22, 31' (line numbers, each once; a long list cut with its count)."""
        seen = list(dict.fromkeys(self.lines))
        return ", ".join(map(str, seen[:6])) + (f" … ({len(seen)} lines)" if len(seen) > 6 else "")

    @property
    def refs(self) -> str:
        return ", ".join(map(str, self.nums[:6])) + (" …" if len(self.nums) > 6 else "")


@dataclass
class PaperFindings:
    """What an article's printed findings table holds: every error, then warnings and notes
    until `limit` rows, repeats folded into one row; what is left is counted by kind."""
    rows: list[PaperRow]
    total: int                                    # findings other than noise lines
    left: list[tuple[str, int]]                   # (kind, findings) not printed, most first
    noise: list[tuple[str, int]]                  # noise lines by kind (struck in the text)

    @property
    def left_count(self) -> int:
        return sum(n for _, n in self.left)


def paper_findings(findings: list[Any], limit: int | None = None) -> PaperFindings:
    """Fold repeats (same kind, severity, words and fix) and keep the decision material: a
    printed table of 64 findings ran to 8 pages (0.1 s of layout each) of which 34 rows said
    one function word was capitalised; errors are never cut, the rest is on the HTML page."""
    groups: dict[tuple, PaperRow] = {}
    for f in findings:
        if f.family == "noise":
            continue
        key = (f.kind, f.severity, " ".join(str(f.text).lower().split()), str(f.suggestion or ""))
        row = groups.setdefault(key, PaperRow(f))
        row.nums.append(f.num)
        row.lines.append(f.line)
    ranked = sorted(groups.values(), key=lambda r: (_PAPER_SEV.get(r.severity, 3), r.nums[0]))
    keep = [r for r in ranked if r.severity == "error" or limit is None]
    for r in ranked:
        if limit is not None and r.severity != "error" and len(keep) < limit:
            keep.append(r)
    kept = {id(r) for r in keep}
    left: Counter[str] = Counter()
    for r in ranked:
        if id(r) not in kept:
            left[r.kind] += len(r.nums)
    noise = Counter(f.kind for f in findings if f.family == "noise")
    return PaperFindings(rows=sorted(keep, key=lambda r: (_PAPER_SEV.get(r.severity, 3), r.nums[0])),
                         total=sum(len(r.nums) for r in ranked),
                         left=left.most_common(), noise=sorted(noise.items(), key=lambda kv: -kv[1]))
