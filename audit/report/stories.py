"""Story view-models: outlets in columns, aligned sentence groups as rows, each document's
unaligned sentences in the gaps between them, word diffs and claims attached."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from audit.report.docs import Block, DocView, FindingView
from audit.types import AlignedGroup, Alignment, Claim, Document, RunResult, SentRef, Story, WordDiff


# --- stories: rows of aligned sentences and the unique ones between them -----------------------

@dataclass
class DiffPiece:
    op: int                   # -1 deleted, 0 same, 1 inserted
    text: str
    mark: str | None = None   # why this changed word is marked (tooltip)
    variant: bool = False     # the mark is an acceptable spelling (neutral), not an artifact


@dataclass
class DiffView:
    a_label: str
    b_label: str
    pieces: list[DiffPiece]

    @property
    def changes(self) -> int:
        return sum(1 for p in self.pieces if p.op)

    @property
    def shared(self) -> float:
        """Share of the longer side's characters that both sentences keep."""
        same = sum(len(p.text) for p in self.pieces if p.op == 0)
        a = same + sum(len(p.text) for p in self.pieces if p.op == -1)
        b = same + sum(len(p.text) for p in self.pieces if p.op == 1)
        return same / max(a, b, 1)


@dataclass
class RowView:
    kind: str                          # "aligned" or "unique"
    cells: list[list[Block]]           # parallel to the story's documents
    group_id: str | None = None
    score: float | None = None
    diffs: list[DiffView] = field(default_factory=list)

    @property
    def noise_only(self) -> bool:
        return all(b.noise for cell in self.cells for b in cell)

    @property
    def same_text(self) -> bool:
        """Every column says it in the same words, with no finding in it: on paper one cell
        stands for all (an editor reads the rows that differ; six copies of one sentence cost a
        page of layout each few rows: about half of a story PDF's time, measured at 1k)."""
        if len(self.cells) < 2 or not all(self.cells):
            return False
        texts = set()
        for cell in self.cells:
            if any(sv.findings for b in cell for sv in b.segs):
                return False
            texts.add(" ".join(" ".join("".join(sv.text for sv in b.segs).split()) for b in cell))
        return len(texts) == 1


@dataclass
class ClaimMentionView:
    label: str
    href: str
    text: str
    value: float
    date: str | None
    counted: str
    where: str


@dataclass
class ClaimValue:
    """One value of a claim as written, with the outlets that give it ("2,500 troops — 14
    outlets"): at hundreds of outlets, mentions are read grouped, not one by one."""
    text: str
    counted: str
    where: str
    outlets: list[tuple[str, str, str | None]]      # (label, href, date)
    limit: int = 8

    @property
    def count(self) -> int:
        return len(self.outlets)

    @property
    def shown(self) -> list[tuple[str, str, str | None]]:
        return self.outlets[:self.limit]

    @property
    def more(self) -> int:
        return max(0, len(self.outlets) - self.limit)


@dataclass
class ClaimView:
    id: str
    about: str
    story_label: str
    discrepancy: bool
    mentions: list[ClaimMentionView]

    @property
    def values(self) -> list[ClaimValue]:
        out: dict[tuple[float, str, str], ClaimValue] = {}
        for m in self.mentions:   # "2,500" and "2500" are one value: grouped by the number
            v = out.setdefault((m.value, m.counted, m.where), ClaimValue(" ".join(m.text.split()), m.counted, m.where, []))
            v.outlets.append((m.label, m.href, m.date))
        return sorted(out.values(), key=lambda v: (-v.count, v.text))


# Side-by-side rows in a story PDF (the rest: the story's HTML page). Six, not twelve (issue 11):
# the reading text above prints every differing statement with its readings already, and at 1k
# the side-by-side pages were a third of the story PDFs' layout (4.1 of 12.6 s CPU, 8 stories).
PAPER_SIDE = 6


def _row_weight(r: "RowView") -> int:
    """How much a side-by-side row has to show: its changed words and its findings."""
    return sum(d.changes for d in r.diffs) + 3 * sum(len(sv.findings) for c in r.cells for b in c for sv in b.segs)


@dataclass
class StoryView:
    story: Story
    slug: str
    label: str
    docs: list[DocView]                # every outlet of the story
    rows: list[RowView]                # side-by-side rows of the chosen columns
    near_copies: list[dict[str, Any]]
    claims: list[ClaimView]
    loose_diffs: list[DiffView]
    columns: list[DocView] = field(default_factory=list)   # the chosen few shown side by side
    reading: Any = None                # reading.ReadingView: base text, heat, variants
    groups: list[AlignedGroup] = field(default_factory=list)
    keywords: str = ""                 # the aligner's key terms, when `label` is the reading text's
                                       # headline (an event reads better by its headline than by
                                       # "Ammiro Union, suzuush, Ibzukirra, claimed responsibility")

    @property
    def switch_data(self) -> Any:
        """JSON for the column switcher (built on demand: only the HTML page needs it)."""
        from audit.report.reading import switch_data
        return switch_data(self.docs, self.groups)

    @property
    def column_ids(self) -> set[str]:
        return {dv.id for dv in self.columns}

    @property
    def errors(self) -> int:
        return sum(dv.errors for dv in self.docs)

    @property
    def discrepancies(self) -> int:
        return sum(1 for c in self.claims if c.discrepancy)

    @property
    def href(self) -> str:
        return f"story-{self.slug}.html"

    @property
    def pdf_name(self) -> str:
        return f"story-{self.slug}.pdf"

    @property
    def print_rows(self) -> list[RowView]:
        """Rows for paper: unaligned stretches cut at paragraphs, so no row outgrows a page."""
        out: list[RowView] = []
        for r in self.rows:
            if r.kind == "aligned":
                out.append(r)
                continue
            depth = max((len(c) for c in r.cells), default=0)
            out.extend(RowView("unique", [c[i:i + 1] for c in r.cells]) for i in range(depth))
        return out

    @property
    def paper_side(self) -> tuple[list[RowView], int, int]:
        """The side-by-side rows a story PDF prints: aligned rows where the chosen outlets'
        words differ (or a finding sits), at most PAPER_SIDE; the reading text above already
        shows every statement with its readings counted. Returns (rows, rows in the same words
        left out, rows past the cap left out). At 1,000 articles the side-by-side pages were a
        third of a story PDF's layout time."""
        aligned = [r for r in self.print_rows if r.kind == "aligned"]
        differ = [r for r in aligned if not r.same_text]
        if len(differ) > PAPER_SIDE:          # the rows these outlets word most differently, in order
            top = sorted(range(len(differ)), key=lambda i: (-_row_weight(differ[i]), i))[:PAPER_SIDE]
            differ, past = [differ[i] for i in sorted(top)], len(differ) - PAPER_SIDE
        else:
            past = 0
        return differ, len(aligned) - len([r for r in aligned if not r.same_text]), past

    @property
    def findings(self) -> list[FindingView]:
        return [f for dv in self.docs for f in dv.findings]

    @property
    def n_aligned(self) -> int:
        return sum(1 for r in self.rows if r.kind == "aligned")


def _overlaps(a: SentRef, b: SentRef) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def _sentences(doc: Document) -> list[tuple[int, int]]:
    spans = doc.sentences or doc.paragraphs or doc.lines
    if not spans:
        return [(0, len(doc.text))] if doc.text.strip() else []
    return sorted((s.start, s.end) for s in spans)


def _paragraph_index(doc: Document) -> list[int]:
    return sorted(p.start for p in doc.paragraphs)


def _block(dv: DocView, a: int, b: int) -> Block:
    return Block(dv.segs(a, b), noise=dv.doc.is_noise(a, b))


def _unique_cell(dv: DocView, sents: list[tuple[int, int]]) -> list[Block]:
    """Consecutive sentences of one paragraph share a block, so prose still reads as prose."""
    heads = _paragraph_index(dv.doc)
    blocks: list[Block] = []
    last_para, last_end = None, 0
    for a, b in sents:
        para = bisect.bisect_right(heads, a)
        noise = dv.doc.is_noise(a, b)
        if blocks and para == last_para and blocks[-1].noise == noise:
            blocks[-1].segs.extend(dv.segs(last_end, b))  # the gap too: no text goes missing
        else:
            blocks.append(Block(dv.segs(a, b), noise))
        last_para, last_end = para, b
    return blocks


def diff_view(d: WordDiff, labels: dict[str, str]) -> DiffView:
    pieces: list[DiffPiece] = []
    marks = [(str(m.get("text") or m.get("word") or m.get("token") or ""), m) for m in d.marks or []]
    marks = [(t, m) for t, m in marks if t.strip()]
    for op, text in d.ops:
        # a mark belongs to one side: deleted text is A's (side "a"), inserted text is B's
        own = [(t, m) for t, m in marks if m.get("side") in (None, "a" if op < 0 else "b")]
        if op == 0 or not own:
            pieces.append(DiffPiece(op, text))
            continue
        pieces.extend(_mark_pieces(op, text, own))
    return DiffView(labels.get(d.a.doc_id, d.a.doc_id), labels.get(d.b.doc_id, d.b.doc_id), pieces)


def _mark_title(m: dict[str, Any]) -> str:
    parts = [str(m[k]) for k in ("kind", "verdict", "message") if m.get(k)]
    if m.get("suggestion"):
        parts.append(f"suggestion: {m['suggestion']}")
    return " · ".join(parts) or "known artifact"


def _is_variant(m: dict[str, Any]) -> bool:
    """Marks without a type (older findings.json) are artifacts."""
    return m.get("type") == "variant"


def _mark_pieces(op: int, text: str, marks: list[tuple[str, dict[str, Any]]]) -> list[DiffPiece]:
    """Split a changed run around the words the diff stage marked: known artifacts first (they
    win an overlap), then acceptable spellings."""
    hits: list[tuple[int, int, str, bool]] = []
    for t, m in sorted(marks, key=lambda tm: _is_variant(tm[1])):
        for mm in re.finditer(re.escape(t), text):
            if not any(mm.start() < e and s < mm.end() for s, e, _, _ in hits):
                hits.append((mm.start(), mm.end(), _mark_title(m), _is_variant(m)))
    out: list[DiffPiece] = []
    pos = 0
    for s, e, title, variant in sorted(hits):
        if s > pos:
            out.append(DiffPiece(op, text[pos:s]))
        out.append(DiffPiece(op, text[s:e], title, variant))
        pos = e
    if pos < len(text):
        out.append(DiffPiece(op, text[pos:]))
    return out


def build_rows(docs: list[DocView], groups: list[AlignedGroup]) -> list[RowView]:
    """Aligned groups in reading order, with each document's unaligned sentences placed in the
    gap after the last group they follow in that document (so every column keeps its own order)."""
    col = {dv.id: i for i, dv in enumerate(docs)}
    lengths = {dv.id: max(1, len(dv.doc.text)) for dv in docs}
    # a group is a row only when it links at least two of the documents shown
    groups = [g for g in groups if len({m.doc_id for m in g.members if m.doc_id in col}) >= 2]
    groups.sort(key=lambda g: (mean(m.start / lengths[m.doc_id] for m in g.members if m.doc_id in col),
                               g.id))
    gaps: dict[int, list[list[tuple[int, int]]]] = {}
    for dv in docs:
        taken = sorted((m.start, m.end, gi) for gi, g in enumerate(groups)
                       for m in g.members if m.doc_id == dv.id)
        for a, b in _sentences(dv.doc):
            if any(s < b and a < e for s, e, _ in taken):
                continue
            before = [gi for s, _, gi in taken if s < a]
            gap = max(before) if before else -1
            gaps.setdefault(gap, [[] for _ in docs])[col[dv.id]].append((a, b))
    rows: list[RowView] = []
    for gi in range(-1, len(groups)):
        if gi >= 0:
            g = groups[gi]
            cells: list[list[Block]] = [[] for _ in docs]
            for m in sorted(g.members, key=lambda m: m.start):
                if m.doc_id in col:
                    cells[col[m.doc_id]].append(_block(docs[col[m.doc_id]], m.start, m.end))
            rows.append(RowView("aligned", cells, g.id, g.score))
        if gi in gaps:
            rows.append(RowView("unique", [_unique_cell(dv, s) for dv, s in zip(docs, gaps[gi])]))
    return rows


def _attach_diffs(rows: list[RowView], groups: list[AlignedGroup], diffs: list[WordDiff],
                  labels: dict[str, str], doc_ids: set[str]) -> list[DiffView]:
    by_gid = {g.id: g for g in groups}
    row_of = {r.group_id: r for r in rows if r.group_id}
    loose: list[DiffView] = []
    for d in diffs:
        if d.a.doc_id not in doc_ids or d.b.doc_id not in doc_ids:
            continue
        for gid, row in row_of.items():
            ms = by_gid[gid].members
            if any(_overlaps(m, d.a) for m in ms) and any(_overlaps(m, d.b) for m in ms):
                row.diffs.append(diff_view(d, labels))
                break
        else:
            loose.append(diff_view(d, labels))
    return loose


def claim_views(claims: list[Claim], docs: dict[str, DocView], story_labels: dict[str, str]
                ) -> list[ClaimView]:
    out = []
    for c in claims:
        ms = [ClaimMentionView(docs[m.doc_id].named if m.doc_id in docs else m.doc_id,
                               docs[m.doc_id].href if m.doc_id in docs else "",
                               m.text, m.value,
                               m.date or (docs[m.doc_id].doc.date if m.doc_id in docs else None),
                               m.counted, m.where) for m in c.mentions]
        out.append(ClaimView(c.id, c.about, story_labels.get(c.story_id, c.story_id), c.discrepancy, ms))
    return out


def build_story(story: Story, slug: str, dvs: dict[str, DocView], result: RunResult,
                claims: list[ClaimView], max_columns: int = 6,
                groups: list[AlignedGroup] | None = None, diffs: list[WordDiff] | None = None,
                headline: bool = True) -> StoryView:
    """The story's reading view (all outlets) and side-by-side rows for at most `max_columns`
    of them: the base text and the outlets that diverge most from it."""
    from audit.report.reading import build_reading, choose_columns
    docs = [dvs[i] for i in story.doc_ids if i in dvs]
    if groups is None:
        groups = [g for g in result.alignment.groups if g.story_id == story.id]
    disputed = {c.group_id for c in result.alignment.claims
                if c.discrepancy and c.group_id and c.story_id == story.id}
    reading = build_reading(story, docs, groups, disputed) if docs else None
    columns = choose_columns(reading, docs, max_columns) if reading else docs
    ids = {dv.id for dv in columns}
    rows = build_rows(columns, groups)
    labels = {dv.id: dv.label for dv in docs}
    diffs = result.alignment.diffs if diffs is None else diffs
    loose = _attach_diffs(rows, groups, [d for d in diffs if d.a.doc_id in ids and d.b.doc_id in ids],
                          labels, ids)
    names = {dv.id: dv.named for dv in docs}
    near = [{"doc": names.get(n.get("doc"), n.get("doc")),
             "source": names.get(n.get("source"), n.get("source")) if n.get("source") else None,
             "score": n.get("score")} for n in story.near_copies]
    keywords = story.label or ", ".join(dv.label for dv in docs[:4]) + (f" and {len(docs) - 4} more" if len(docs) > 4 else "")
    headline = reading.base.title if headline and reading and story.kind == "story" else None
    return StoryView(story, slug, headline or keywords, docs, rows, near, claims, loose, columns, reading, groups,
                     keywords=keywords if headline else "")


def pair_story(result: RunResult, dvs: dict[str, DocView]) -> StoryView:
    """The view `audit diff A B` shows: all documents as one story, every group between them
    (whichever story the alignment stage filed it under)."""
    ids = [d.id for d in result.documents]
    story = Story(id="diff", kind="story", doc_ids=ids, label=" vs ".join(dvs[i].label for i in ids))
    groups = [AlignedGroup(g.id, story.id, g.members, g.score) for g in result.alignment.groups
              if any(m.doc_id in dvs for m in g.members)]
    as_one = RunResult(result.name, result.documents, result.findings,
                       alignment=Alignment([story], groups, result.alignment.claims, result.alignment.diffs))
    claims = claim_views(result.alignment.claims, dvs, {s.id: s.label for s in result.alignment.stories})
    return build_story(story, "diff", dvs, as_one, claims, headline=False)
