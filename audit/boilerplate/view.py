"""The clean text of an article: its content lines only, as a view over the raw text.

The raw text is never edited. The view is a list of segments (raw ranges of content lines)
joined by separators the view inserts: "\n" between lines of one paragraph and "\n\n" where
the raw text had a blank line or where noise was cut out. Every view character maps back:
a segment character to its raw offset, a separator character to the raw offset just after
the preceding segment (the end of the content line it follows), so highlighting a range of
the view highlights the right raw range.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from audit.boilerplate.structure import line_spans
from audit.types import Document, Span


@dataclass(frozen=True)
class Segment:
    view_start: int
    raw_start: int
    raw_end: int
    sep_before: str = ""     # separator inserted in the view right before this segment

    @property
    def view_end(self) -> int:
        return self.view_start + (self.raw_end - self.raw_start)


@dataclass
class CleanView:
    doc_id: str
    text: str
    segments: list[Segment] = field(default_factory=list)

    def to_raw(self, i: int) -> int:
        """Raw offset of view character i (a separator maps to the end of the line before it)."""
        if not 0 <= i < len(self.text):
            raise IndexError(f"view offset {i} outside 0..{len(self.text) - 1}")
        k = bisect_right(self._starts, i) - 1
        seg = self.segments[k]
        if i < seg.view_start:          # unreachable: separators precede segments
            raise AssertionError("view/segment mismatch")
        if i < seg.view_end:
            return seg.raw_start + (i - seg.view_start)
        return seg.raw_end                # separator after this segment

    def is_separator(self, i: int) -> bool:
        k = bisect_right(self._starts, i) - 1
        return i >= self.segments[k].view_end

    def span_to_raw(self, start: int, end: int) -> Span:
        """Raw range covering view range [start, end)."""
        return Span(self.to_raw(start), self.to_raw(end - 1) + 1)

    def from_raw(self, raw: int) -> int | None:
        """View offset of a raw offset, or None if that character is not in the view."""
        for seg in self.segments:
            if seg.raw_start <= raw < seg.raw_end:
                return seg.view_start + raw - seg.raw_start
        return None

    @cached_property
    def _starts(self) -> list[int]:
        return [s.view_start for s in self.segments]


def clean_view(doc: Document) -> CleanView:
    """The article without its noise, for readers that need running text (language ID,
    reports) yet must point back into the raw file: every view offset maps to a raw one."""
    content = [s for s in line_spans(doc) if not doc.is_noise(s.start, s.end)]
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    prev: Span | None = None
    for s in content:
        sep = "" if prev is None else _separator(doc, prev, s)
        parts.append(sep)
        pos += len(sep)
        segments.append(Segment(pos, s.start, s.end, sep))
        parts.append(doc.text[s.start:s.end])
        pos += s.end - s.start
        prev = s
    return CleanView(doc.id, "".join(parts), segments)


def _separator(doc: Document, a: Span, b: Span) -> str:
    """Blank line between paragraphs (or where noise was cut out), newline inside one."""
    gap = doc.text[a.end:b.start]
    if gap.count("\n") >= 2 or any(a.end <= n.start and n.end <= b.start for n in doc.noise):
        return "\n\n"
    return "\n"
