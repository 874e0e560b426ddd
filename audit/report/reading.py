"""The story view that scales: one reading text, a heat map of where outlets differ, variant
readings grouped with counts, and side-by-side columns for a chosen few.

Side-by-side columns stop working past a handful of outlets (a 995-outlet story made a 39 MB
page). Collation tools solved this long ago: Juxta shows one base text and colours each passage
by how many witnesses differ there. Here the base is the likely source (the article most
near-copies point at) or, without one, the consensus text (the article sharing most aligned
statements); every row is one of its sentences, with how many outlets carry it word for word,
how many reword it (grouped: "2,500 troops — 14 outlets; 2,000 troops — 1 outlet") and how
many leave it out. Statements the base lacks get their own rows in reading order.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from markupsafe import Markup

from audit.report.docs import DocView, SegView
from audit.report.html import show_bidi
from audit.report.stories import DiffPiece, _sentences
from audit.types import AlignedGroup, Story

MAX_VARIANTS = 8        # variant readings written out per row; the rest are counted
PAPER_EXTRA = 10        # statements missing from the reading text printed at most (30 before
                        # issue 11: at 1k they filled 2-3 pages of a story PDF, the HTML lists all)
MAX_NAMES = 12          # outlet names written out per variant; the rest are counted
HEAT_LEVELS = 5
HEAT_EDGES = [0.02, 0.1, 0.2, 0.35, 0.5]   # mean share of text changed: level i below edge i


@dataclass
class Variant:
    text: str
    outlets: list[str]
    hrefs: list[str]
    pieces: list[DiffPiece] = field(default_factory=list)   # word diff against the base sentence
    change: float = 1.0          # share of the text changed against the base (0 = same)

    @property
    def count(self) -> int:
        return len(self.outlets)

    @property
    def names(self) -> list[tuple[str, str]]:
        return list(zip(self.outlets, self.hrefs))[:MAX_NAMES]

    @property
    def more_names(self) -> int:
        return max(0, len(self.outlets) - MAX_NAMES)

    @property
    def reworded(self) -> bool:
        """Too different for a word diff to read well: shown as plain text."""
        return self.change > 0.65


@dataclass
class ReadingRow:
    index: int
    group_id: str | None
    segs: list[SegView] | None           # the base's sentence, annotated (None: the base lacks it)
    text: str                            # plain text of the base's sentence
    noise: bool
    same: int                            # outlets wording it as the base does (the base included)
    variants: list[Variant]
    absent: int                          # outlets of the story that do not carry the statement
    others: int                          # outlets besides the base
    more_variants: int = 0               # readings not written out
    more_outlets: int = 0                # outlets behind those readings
    change: float = 0.0                  # mean share of the text changed, over carrying outlets
    disputed: bool = False               # a figure in this statement differs between outlets

    @property
    def differ(self) -> int:
        return sum(v.count for v in self.variants) + self.more_outlets

    @property
    def heat(self) -> int:
        """How much the other outlets' wording differs here, 0 (word for word) to 5, from the
        share of the text each carrying outlet changed (Juxta's heat map, per sentence).
        Omissions are counted apart (`absent`): a dropped paragraph is not a rewording."""
        if self.segs is None:
            return HEAT_LEVELS
        level = next(i for i, edge in enumerate(HEAT_EDGES + [2.0]) if self.change < edge)
        return max(level, 1 if self.variants or self.more_outlets else 0)   # one outlet's change still shows

    @property
    def carriers(self) -> int:
        return self.same - (1 if self.segs is not None else 0) + self.differ

    @property
    def only_base(self) -> bool:
        return self.segs is not None and self.same <= 1 and not self.variants and not self.more_outlets


@dataclass
class ReadingView:
    base: DocView
    why: str
    rows: list[ReadingRow]
    outlets: int

    @property
    def paper(self) -> tuple[list[ReadingRow], int, int, int]:
        """Rows for the PDF: every row of the reading text except those every outlet carries
        word for word (counted), sentences only the reading text has with no finding in them
        (counted: nothing there to decide; in a topic's PDF they were most of the pages, 4 of
        the seeds' 11), boilerplate lines, and of the statements the reading text lacks only
        the most widely carried (at most PAPER_EXTRA, each carried by at least 5% of the
        outlets). Returns (rows, verbatim rows left out, extra statements left out, own
        sentences left out)."""
        verbatim = [r for r in self.rows if r.segs is not None and r.heat == 0 and not r.absent and not r.only_base]
        own = [r for r in self.rows if r.only_base and not r.noise and not any(sv.findings for sv in r.segs or [])]
        extra = sorted((r for r in self.rows if r.segs is None), key=lambda r: -r.differ)
        keep_extra = {r.index for r in extra[:PAPER_EXTRA] if r.differ >= max(2, 0.05 * self.outlets)}
        skip = {r.index for r in verbatim} | {r.index for r in own}
        rows = [r for r in self.rows if r.index not in skip and not r.noise   # boilerplate stays on screen only
                and (r.segs is not None or r.index in keep_extra)]
        return rows, len(verbatim), len(extra) - len(keep_extra), len(own)

    @property
    def mostly_own(self) -> bool:
        """Most of the reading text was matched nowhere else (separate write-ups, or copies the
        aligner could not match): the page says so, and points to the columns."""
        mine = [r for r in self.rows if r.segs is not None and not r.noise]
        return bool(mine) and sum(r.only_base for r in mine) > 0.6 * len(mine)

    @property
    def hot_rows(self) -> int:
        return sum(1 for r in self.rows if r.segs is not None and r.heat >= 3)


def _norm(s: str) -> str:
    return " ".join(s.split())


def choose_base(story: Story, docs: list[DocView], groups: list[AlignedGroup]) -> tuple[DocView, str]:
    """The likely source (most near-copies name it), else the article sharing most statements."""
    by_id = {dv.id: dv for dv in docs}
    sources = Counter(n.get("source") for n in story.near_copies if n.get("source") in by_id)
    if sources:
        src, n = sources.most_common(1)[0]
        return by_id[src], f"the likely source: {n} {'article copies' if n == 1 else 'articles copy'} it"
    shared = Counter(m.doc_id for g in groups for m in {m.doc_id: m for m in g.members}.values())
    best = max(docs, key=lambda dv: (shared.get(dv.id, 0), -len(dv.findings), dv.id))
    return best, (f"the consensus text: it shares the most statements with the other outlets "
                  f"({shared.get(best.id, 0)} of {len(groups)})")


def _texts(dv: DocView, members) -> str:
    return _norm(" ".join(dv.doc.text[m.start:m.end] for m in sorted(members, key=lambda m: m.start)))


def _shared(ops: list[tuple[int, str]]) -> float:
    same = sum(len(t) for op, t in ops if op == 0)
    a = same + sum(len(t) for op, t in ops if op < 0)
    b = same + sum(len(t) for op, t in ops if op > 0)
    return same / max(a, b, 1)


def _variants(readings: dict[str, list[DocView]], base_text: str | None
              ) -> tuple[list[Variant], int, int, float]:
    """Distinct readings, most outlets first, each with its word diff and how much it changed;
    and the change over all carrying outlets (every distinct reading is diffed once)."""
    from audit.align.diffs import word_diff
    ranked = sorted(readings.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out, weighted, n = [], 0.0, 0
    for i, (text, dvs) in enumerate(ranked):
        ops = word_diff(base_text, text) if base_text is not None else [(0, text)]
        change = 1.0 - _shared(ops) if base_text is not None else 0.0
        weighted += change * len(dvs)
        n += len(dvs)
        if i < MAX_VARIANTS:
            pieces = [DiffPiece(op, t) for op, t in ops] if change <= 0.65 else [DiffPiece(0, text)]
            out.append(Variant(text, [d.label for d in dvs], [d.href for d in dvs], pieces, change))
    rest = ranked[MAX_VARIANTS:]
    return out, len(rest), sum(len(d) for _, d in rest), weighted


def build_reading(story: Story, docs: list[DocView], groups: list[AlignedGroup],
                  disputed: set[str] = frozenset()) -> ReadingView:  # type: ignore[assignment]
    groups = [g for g in groups if len({m.doc_id for m in g.members}) >= 2]
    base, why = choose_base(story, docs, groups)
    by_id = {dv.id: dv for dv in docs}
    others = len(docs) - 1
    length = {dv.id: max(1, len(dv.doc.text)) for dv in docs}
    # each group sits at the base sentence it overlaps, else at its mean position
    base_sents = _sentences(base.doc)
    at_sentence: dict[int, list[AlignedGroup]] = {}
    loose: list[tuple[float, AlignedGroup]] = []
    for g in groups:
        mine = [m for m in g.members if m.doc_id == base.id]
        if mine:
            k = next((i for i, (a, b) in enumerate(base_sents) if a < mine[0].end and mine[0].start < b), None)
            if k is not None:
                at_sentence.setdefault(k, []).append(g)
                continue
        inside = [m.start / length[m.doc_id] for m in g.members if m.doc_id in by_id]
        if len({m.doc_id for m in g.members if m.doc_id in by_id}) >= 2:   # shown only when shared here
            loose.append((mean(inside), g))
    entries: list[tuple[float, int, object]] = []
    for k, (a, b) in enumerate(base_sents):
        entries.append((a / length[base.id], 0, (k, a, b)))
    for pos, g in loose:
        entries.append((pos, 1, g))
    entries.sort(key=lambda e: (e[0], e[1]))
    rows: list[ReadingRow] = []
    for _, kind, item in entries:
        if kind == 0:
            k, a, b = item  # type: ignore[misc]
            gs = at_sentence.get(k, [])
            text = _norm(base.doc.text[a:b])
            rows.append(_row(len(rows), gs, base, by_id, others, base.segs(a, b), text,
                             base.doc.is_noise(a, b)))
        else:
            rows.append(_row(len(rows), [item], None, by_id, others, None, "", False))  # type: ignore[list-item]
    for r in rows:
        r.disputed = r.group_id in disputed
    return ReadingView(base, why, rows, len(docs))


def _row(index: int, gs: list[AlignedGroup], base: DocView | None, by_id: dict[str, DocView], others: int,
         segs: list[SegView] | None, text: str, noise: bool) -> ReadingRow:
    members: dict[str, list] = {}
    for g in gs:
        for m in g.members:
            if m.doc_id in by_id and (base is None or m.doc_id != base.id):
                members.setdefault(m.doc_id, []).append(m)
    readings: dict[str, list[DocView]] = {}
    same = 1 if base is not None else 0
    for doc_id, ms in members.items():
        t = _texts(by_id[doc_id], ms)
        if base is not None and t == text:
            same += 1
        else:
            readings.setdefault(t, []).append(by_id[doc_id])
    variants, more_v, more_o, weighted = _variants(readings, text if base is not None else None)
    carried = len(members)
    return ReadingRow(index, gs[0].id if gs else None, segs, text, noise, same, variants,
                      absent=others - carried if base is not None else others + 1 - carried,
                      others=others, more_variants=more_v, more_outlets=more_o,
                      change=weighted / carried if carried else 0.0)


# --- columns: the chosen few, and the data the page's script needs to switch outlets in ---------

def choose_columns(reading: ReadingView, docs: list[DocView], limit: int) -> list[DocView]:
    """The base plus the outlets that diverge most from it (rewording counts over omission)."""
    differ: Counter[str] = Counter()
    label_doc = {}
    for dv in docs:
        label_doc.setdefault(dv.label, dv)
    for r in reading.rows:
        if r.segs is None:
            continue
        for v in r.variants:
            for lab in v.outlets:
                differ[lab] += 2
    ranked = sorted((dv for dv in docs if dv.id != reading.base.id),
                    key=lambda dv: (-differ.get(dv.label, 0), -len(dv.findings), dv.label))
    return [reading.base] + ranked[:max(0, limit - 1)]


def _finding_starts(dv: DocView):
    """A test: does [a, b) overlap any finding of the document (bisect over sorted starts)."""
    import bisect
    spans = sorted((f.start, f.end) for f in dv.findings)
    starts = [x for x, _ in spans]
    reach, top = [], -1
    for _, e in spans:
        top = max(top, e)
        reach.append(top)

    def overlaps(a: int, b: int) -> bool:
        i = bisect.bisect_left(starts, b) - 1      # the last finding starting before b
        return i >= 0 and reach[i] > a
    return overlaps


def _finding_row(f: Any, ti: Any) -> list[Any]:
    """[severity, kind, family, message, suggestion, why, detector, number]; strings that recur
    across syndicated copies (messages, evidence sentences) as indices into the shared texts."""
    why = f.why.sentence if f.why else ""
    return [f.severity, f.kind, f.family, ti(f.message), ti(f.suggestion or ""), ti(why), f.detector, f.num]


def _marked_segs(dv: DocView, a: int, b: int, ti: Any) -> list[list[Any]]:
    """The sentence as the server marks it: [text, [finding indices], noise] per segment, so a
    column switched in shows the same highlighted spans as the default columns."""
    index = {f.key: i for i, f in enumerate(dv.findings)}
    out: list[list[Any]] = []
    segs = dv.segs(a, b)
    for k, sv in enumerate(segs):
        text = " ".join(sv.text.split())
        if sv.text[:1].isspace() and k and text:
            text = " " + text
        if sv.text[-1:].isspace() and k < len(segs) - 1 and text:
            text += " "
        if text.strip():
            out.append([ti(text), [index[f.key] for f in sv.findings], 1 if sv.noise else 0])
        elif 0 < k < len(segs) - 1 and sv.text:        # a space between two marks
            out.append([ti(" "), [], 0])
    return out


def switch_data(docs: list[DocView], groups: list[AlignedGroup]) -> Markup:
    """Compact JSON for the column switcher: each outlet's sentences as (group index, text index,
    noise[, marked segments]) in its own order, and its findings (`f`, for the marks and their
    tooltips); texts stored once (syndicated copies share most of them). Embedded
    as <script type="application/json">, which the browser never executes; `<` is escaped so the
    article text cannot close the element."""
    ids = {dv.id for dv in docs}
    groups = [g for g in groups if len({m.doc_id for m in g.members if m.doc_id in ids}) >= 2]
    length = {dv.id: max(1, len(dv.doc.text)) for dv in docs}
    groups.sort(key=lambda g: (mean(m.start / length[m.doc_id] for m in g.members if m.doc_id in ids), g.id))
    texts: dict[str, int] = {}
    out_docs = []
    by_doc: dict[str, list[tuple[int, int, int]]] = {}
    for gi, g in enumerate(groups):
        for m in g.members:
            by_doc.setdefault(m.doc_id, []).append((m.start, m.end, gi))
    def ti(t: str) -> int:
        return texts.setdefault(t, len(texts))

    for dv in docs:
        taken = sorted(by_doc.get(dv.id, []))
        sents = []
        marked = _finding_starts(dv)
        for a, b in _sentences(dv.doc):
            gi = next((g for s, e, g in taken if s < b and a < e), -1)
            t = _norm(dv.doc.text[a:b])
            if not t:
                continue
            sents.append([gi, ti(t), 1 if dv.doc.is_noise(a, b) else 0])
            if marked(a, b):
                sents[-1].append(_marked_segs(dv, a, b, ti))
        out_docs.append({"id": dv.id, "label": dv.label, "href": dv.href, "date": (dv.doc.date or "")[:10],
                         "n": len(dv.findings), "s": sents, "f": [_finding_row(f, ti) for f in dv.findings]})
    data = {"groups": len(groups), "docs": out_docs, "t": list(texts)}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    raw = show_bidi(raw)      # bidi controls of article text shown, not applied (html.py)
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
