"""Document view-models: findings with their anchors and numbers, word counts, the issue score,
and the text cut into segments for rendering.

Templates stay dumb (loops and escaping); counting, ordering and labelling happen here, in plain
Python that tests can check without rendering anything.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from audit.report.annotate import Mark, segments
from audit.report.evidence import Evidence, explain, provenance
from audit.report.settings import ReportSettings
from audit.types import Document, Finding, RunResult

# Display order of families; "claim" (discrepancies) sits with the artifact families.
FAMILY_ORDER: tuple[str, ...] = ("entity", "surface", "translation", "claim", "noise")
# Families that measure damage to the text itself, and so count in the issue score.
SCORED_FAMILIES: tuple[str, ...] = ("entity", "surface", "translation")
_SEV_RANK = {"error": 0, "warning": 1, "info": 2}
_WORD = re.compile(r"\S+")


def slugify(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("._-") or "x"


def unique_slugs(ids: list[str]) -> dict[str, str]:
    """Filesystem-safe, distinct names for ids that may contain ':' or '/' (JSONL ids, paths)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for i in ids:
        base = s = slugify(i)
        n = 2
        while s.lower() in used:
            s, n = f"{base}-{n}", n + 1
        used.add(s.lower())
        out[i] = s
    return out


def family_rank(family: str) -> int:
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


# --- findings and segments ---------------------------------------------------------------------

@dataclass
class FindingView:
    key: str                 # anchor id, unique in the whole report ("f-a00012-3"): built from the
                             # document's slug and number, never a batch-wide counter, so a page
                             # stays byte-identical when other articles gain findings (re-runs)
    num: int                 # 1-based number within its document
    f: Finding
    doc_label: str
    doc_href: str
    line: int

    @cached_property
    def why(self) -> Evidence | None:
        """The evidence in words (report/evidence.py); the raw structure stays in findings.json."""
        return explain(self.f.evidence, self.f.text, self.f.kind)

    @property
    def family(self) -> str:
        return self.f.family

    @property
    def token(self) -> str:
        """What the filter script reads: family:kind:severity."""
        return f"{self.f.family}:{self.f.kind}:{self.f.severity}"

    # What the templates read most, as plain properties: through __getattr__ each read first
    # failed the normal lookup (an AttributeError raised and caught), 1.2 million times for the
    # 1k feed's article pages.
    kind = property(lambda self: self.f.kind)
    severity = property(lambda self: self.f.severity)
    message = property(lambda self: self.f.message)
    suggestion = property(lambda self: self.f.suggestion)
    text = property(lambda self: self.f.text)
    detector = property(lambda self: self.f.detector)
    start = property(lambda self: self.f.start)
    end = property(lambda self: self.f.end)

    def __getattr__(self, name: str) -> Any:  # the Finding's other fields
        if name == "f":
            raise AttributeError(name)
        return getattr(self.f, name)


@dataclass
class SegView:
    text: str
    noise: bool
    findings: list[FindingView]
    opens: list[str]
    closes: list[FindingView]

    @property
    def tokens(self) -> str:
        return " ".join(f.token for f in self.findings)

    @property
    def family(self) -> str:
        return self.findings[0].family if self.findings else ""


@dataclass
class Block:
    """A run of segments shown together: one sentence group member, or one paragraph."""
    segs: list[SegView]
    noise: bool = False


# --- documents ---------------------------------------------------------------------------------

@dataclass
class DocView:
    doc: Document
    slug: str
    label: str
    source_lang: str | None
    prov_score: float | None
    prov_evidence: Any
    words: int
    content_words: int
    findings: list[FindingView]
    by_family: dict[str, int]
    by_severity: dict[str, int]
    score: float | None
    weighted: float
    marks: list[Mark] = field(default_factory=list)
    by_key: dict[str, FindingView] = field(default_factory=dict)
    chrome: set[str] = field(default_factory=set, repr=False)   # the batch's chrome_titles

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def href(self) -> str:
        return f"doc-{self.slug}.html"

    @property
    def pdf_name(self) -> str:
        return f"doc-{self.slug}.pdf"

    @property
    def outlet(self) -> str | None:
        """The outlet's name for the index's Outlet column, None when neither the source nor
        the article names one (the label then falls back to the id, which the column showed
        as if it were an outlet's name)."""
        name = doc_label(self.doc)
        return None if name == self.doc.id else name

    @property
    def named(self) -> str:
        """How lists of outlets (claim values, spellings, near copies) name the article: its
        label, or for an article no source or text names an outlet for, its file name
        ("a00017.txt", "feed.jsonl:12"): a bare id there read as if it were an outlet's name."""
        if self.outlet is not None:
            return self.label
        return self.doc.path.replace("\\", "/").rsplit("/", 1)[-1] or self.doc.id

    @cached_property
    def title(self) -> str | None:
        """The headline shown for the article. Ingest takes a text file's first line, which on
        scraped copy is often site chrome ("Shafaq Live", "Home | World | ..."): a title whose
        line the boilerplate stage marked as noise (or whose words are exactly a noise line's)
        is replaced by the first line that is not noise, else none (the id is shown)."""
        return display_title(self.doc, [(f.start, f.end) for f in self.findings if f.family == "noise"],
                             self.chrome)

    @cached_property
    def prov_why(self) -> Evidence | None:
        """Why the article reads as a translation, in words."""
        return provenance({"lang": self.source_lang, "score": self.prov_score, "evidence": self.prov_evidence})

    @property
    def errors(self) -> int:
        return self.by_severity.get("error", 0)

    @property
    def noise_share(self) -> float:
        return 1 - self.content_words / self.words if self.words else 0.0

    def segs(self, start: int, end: int) -> list[SegView]:
        return to_segviews(self, start, end)

    def full_text(self) -> list[SegView]:
        return self.segs(0, len(self.doc.text))


def to_segviews(dv: DocView, start: int, end: int) -> list[SegView]:
    return [SegView(s.text, s.noise, [dv.by_key[k] for k in s.keys], s.opens,
                    [dv.by_key[k] for k in s.closes])
            for s in segments(dv.doc.text, start, end, dv.marks, dv.doc.noise)]


def _norm(line: str) -> str:
    return " ".join(line.split())


def display_title(doc: Document, noise_findings: list[tuple[int, int]] = (), chrome: set[str] = frozenset(),
                  longest: int = 140) -> str | None:
    """See DocView.title. A line is noise when doc.noise or a noise finding covers it; `chrome`
    holds lines (normalised) known to be site chrome from the batch (chrome_titles)."""
    def noisy(a: int, b: int) -> bool:
        return doc.is_noise(a, b) or any(s <= a and b <= e for s, e in noise_findings)

    noise_lines = {_norm(doc.slice(ln)) for ln in doc.lines if noisy(ln.start, ln.end)}
    t = doc.title
    if t and _norm(t) not in chrome and not _names_the_site(_norm(t), doc, noise_lines):
        if doc.title_span is not None:      # the title is a line of the text: is that line noise?
            if not noisy(doc.title_span.start, doc.title_span.end):
                return _dateline_dropped(_site_suffix_dropped(t, doc, noise_lines))
        elif _norm(t) not in noise_lines:
            return _site_suffix_dropped(t, doc, noise_lines)   # metadata title no noise line repeats
    for ln in doc.lines:
        line = _norm(doc.slice(ln))
        if (not noisy(ln.start, ln.end) and line not in chrome and len(_WORD.findall(line)) >= 2
                and not _names_the_site(line, doc, noise_lines)):
            line = _dateline_dropped(_site_suffix_dropped(line, doc, noise_lines))
            if len(line) <= longest:        # a lede standing in for a headline: cut at a word
                return line
            return line[:longest].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return None


# A wire dateline opening a lede: "BAGHDAD (Reuters) - ", "Bagdad, 8 Feb (EFE).- ", "Derna (Libya) (AFP) – ",
# "WASHINGTON/BAGHDAD, Nov 21 (Reuters) – "; a republished copy may stack two of them. Place
# (capitalised words, '/' between cities), an optional date after a comma, the agency in
# brackets (after the country's, when one is given), then a dash or colon.
_DATELINE = re.compile(r"(?:[A-ZÀ-Þ][^\s(),]*(?:[ /][A-ZÀ-Þ][^\s(),]*){0,3}(?:,\s*[^(),\n]{1,24}?)?"
                       r"(?:\s*\([^()\n]{1,30}\)){1,2}\s*(?:\.?\s*[-–—]+|:)\s+)+")


def _dateline_dropped(title: str) -> str:
    """'Bagdad, 8 Feb (EFE).- The United States killed...' -> 'The United States killed...':
    a lede standing in for a headline (wire copy has none) began with its dateline, which the
    index and the PDFs showed as the article's title. Kept when fewer than three words remain."""
    m = _DATELINE.match(title)
    if not m:
        return title
    rest = title[m.end():].strip()
    if len(_WORD.findall(rest)) < 3:
        return title
    return rest[0].upper() + rest[1:]


_SITE_SEPS = (" | ", " - ", " – ", " — ")


def _names_the_site(line: str, doc: Document, noise_lines: set[str]) -> bool:
    """A short line (four words at most) that is the outlet's name, or what a line of the same
    article set aside as noise ends with after a bar or spaced dash ("Skip to content | River
    Brief", "Two dead in strikes | River Brief"): the site's name heading the page, whatever the
    rest of the batch says (a site new to the batch has no other article to tell it by)."""
    if len(line.split()) > 4:
        return False
    if doc.outlet and line == _norm(doc.outlet):
        return True
    for other in noise_lines:
        if other != line and other.endswith(line):
            for sep in _SITE_SEPS:
                head, _, tail = other.rpartition(sep)
                if head.strip() and tail == line:
                    return True
    return False


def _site_suffix_dropped(title: str, doc: Document, noise_lines: set[str]) -> str:
    """'Two dead in US strikes | Morning Monitor' -> 'Two dead in US strikes' when the part after
    the last bar (or spaced dash) is the outlet or a line of the page set aside as chrome."""
    for sep in _SITE_SEPS:
        head, _, tail = title.rpartition(sep)
        tail = _norm(tail)
        if head.strip() and tail and (tail in noise_lines or tail == (doc.outlet or "")):
            return head.strip()
    return title


def chrome_titles(result: RunResult) -> set[str]:
    """Lines (normalised) that are site chrome wherever they head an article, so never its title.

    - A line the boilerplate stage set aside as site chrome or a byline in any article of the
      batch (doc.noise's verdict on one copy of a masthead holds for the copies it missed: at
      1,000 generated articles a site's name was noise in 829 articles and content in 171).
    - A title heading articles of three or more stories (two when it is four words or fewer): a
      headline is shared by reprints of one story, a site's name or menu line by everything the
      site publishes. Stories only, not topics: a topic holds many stories, and counting it as
      one made a masthead heading 15 stories of one topic pass for a headline after 50 new
      articles joined the 1k feed (its pages changed title on the re-run).
    Both only grow as articles join a batch (short of stories merging), so a page's title does
    not flip on a re-run."""
    story_of = {i: s.id for s in result.alignment.stories if s.kind != "topic" for i in s.doc_ids}
    groups: dict[str, set[str]] = {}
    for d in result.documents:
        if d.title:
            groups.setdefault(_norm(d.title), set()).add(story_of.get(d.id, d.id))
    # two stories may be one the aligner split, unless the line is too short for a headline
    out = {t for t, g in groups.items() if len(g) >= 3 or (len(g) == 2 and len(t.split()) <= 4)}
    docs = {d.id: d for d in result.documents}
    for f in result.findings:
        if f.kind in CHROME_KINDS and f.doc_id in docs:
            line = _norm(f.text)
            if line in groups and _whole_line(docs[f.doc_id], f.start, f.end):
                out.add(line)
    return out


# Noise kinds that say a line belongs to the site, not to the article ("duplicate" does not: a
# headline printed again is still the headline).
CHROME_KINDS = ("boilerplate", "byline")


def _whole_line(doc: Document, start: int, end: int) -> bool:
    """The span covers a whole line of the text (a tag set aside inside a line does not)."""
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def count_words(doc: Document) -> tuple[int, int]:
    """(all words, content words): content words start outside every noise range."""
    starts = [m.start() for m in _WORD.finditer(doc.text)]
    merged: list[list[int]] = []
    for a, b in sorted((n.start, n.end) for n in doc.noise):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    heads = [a for a, _ in merged]
    in_noise = 0
    for s in starts:
        i = bisect.bisect_right(heads, s) - 1
        in_noise += i >= 0 and s < merged[i][1]
    return len(starts), len(starts) - in_noise


def doc_label(doc: Document) -> str:
    return doc.outlet or doc.source.outlet or doc.source.name or doc.id


def _line_of(newlines: list[int], pos: int) -> int:
    return bisect.bisect_left(newlines, pos) + 1


def build_docs(result: RunResult, settings: ReportSettings) -> list[DocView]:
    docs = result.documents
    slugs = unique_slugs([d.id for d in docs])
    labels = [doc_label(d) for d in docs]
    dup = {lab for lab, n in Counter(labels).items() if n > 1}
    by_doc: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_doc.setdefault(f.doc_id, []).append(f)
    out: list[DocView] = []
    chrome = chrome_titles(result)
    for d, lab in zip(docs, labels):
        label = f"{lab} ({d.id})" if lab in dup and lab != d.id else lab
        prov = result.provenance.get(d.id) or {}
        words, content = count_words(d)
        newlines = [i for i, c in enumerate(d.text) if c == "\n"]
        fs = sorted(by_doc.get(d.id, []), key=lambda f: (f.start, f.end, f.kind))
        views = []
        for n, f in enumerate(fs, 1):
            views.append(FindingView(
                f"f-{slugs[d.id]}-{n}", n, f, label, f"doc-{slugs[d.id]}.html", _line_of(newlines, f.start)))
        weights = settings.score_weights
        weighted = sum(weights.get(v.severity, 0.0) for v in views if v.family in SCORED_FAMILIES)
        score = round(weighted * 1000 / content, 1) if content else None
        # most important first: severity, then the innermost span, then family order
        ranked = sorted(views, key=lambda v: (_SEV_RANK.get(v.severity, 3), v.end - v.start,
                                              family_rank(v.family)))
        dv = DocView(d, slugs[d.id], label, prov.get("lang"), prov.get("score"), prov.get("evidence"),
                     words, content, views,
                     by_family=dict(Counter(v.family for v in views)),
                     by_severity=dict(Counter(v.severity for v in views)),
                     score=score, weighted=weighted,
                     marks=[Mark(v.key, v.start, v.end) for v in ranked],
                     by_key={v.key: v for v in views}, chrome=chrome)
        out.append(dv)
    return out
