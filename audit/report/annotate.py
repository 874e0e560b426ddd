"""Cut a stretch of text into non-overlapping segments, each listing what covers it.

Findings overlap and nest (a garbled name inside a calque inside a fragment); HTML elements
must not. Splitting the text at every finding and noise boundary gives flat segments that each
carry the full list of findings covering them, so nesting renders correctly. Written by hand: it
is a sweep over boundaries, which no library offers in this shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from audit.types import Span


@dataclass
class Mark:
    """Something to highlight: an id (the finding's anchor) and its range in the raw text."""
    key: str
    start: int
    end: int


@dataclass
class Segment:
    start: int
    end: int
    text: str
    keys: list[str] = field(default_factory=list)     # marks covering the whole segment
    noise: bool = False
    opens: list[str] = field(default_factory=list)    # marks that start here (anchor targets)
    closes: list[str] = field(default_factory=list)   # marks that end here (print references)


def _noise_ranges(noise: Iterable[Span], start: int, end: int) -> list[tuple[int, int]]:
    out = sorted((max(n.start, start), min(n.end, end)) for n in noise if n.start < end and start < n.end)
    merged: list[tuple[int, int]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def segments(text: str, start: int, end: int, marks: Sequence[Mark],
             noise: Iterable[Span] = ()) -> list[Segment]:
    """Segments covering text[start:end] exactly, in order; marks are clipped to the range.

    Marks keep their given order within a segment (callers pass them most important first).
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range [{start}, {end}) outside text of {len(text)} chars")
    inside = [m for m in marks if m.start < end and start < m.end and m.start < m.end]
    nz = _noise_ranges(noise, start, end)
    cuts = {start, end}
    for m in inside:
        cuts.update((max(m.start, start), min(m.end, end)))
    for a, b in nz:
        cuts.update((a, b))
    bounds = sorted(cuts)
    order = {m.key: i for i, m in enumerate(inside)}
    out: list[Segment] = []
    ni = 0
    for a, b in zip(bounds, bounds[1:]):
        while ni < len(nz) and nz[ni][1] <= a:
            ni += 1
        covering = [m for m in inside if m.start <= a and b <= m.end]
        covering.sort(key=lambda m: order[m.key])
        seg = Segment(a, b, text[a:b], [m.key for m in covering],
                      noise=ni < len(nz) and nz[ni][0] <= a and b <= nz[ni][1],
                      opens=[m.key for m in covering if max(m.start, start) == a],
                      closes=[m.key for m in covering if min(m.end, end) == b])
        out.append(seg)
    return _merge(out)


def _merge(segs: list[Segment]) -> list[Segment]:
    """Join neighbours that carry the same marks and noise state (fewer elements to render)."""
    out: list[Segment] = []
    for s in segs:
        p = out[-1] if out else None
        if p and p.keys == s.keys and p.noise == s.noise and not s.opens and not p.closes:
            p.end, p.text, p.closes = s.end, p.text + s.text, s.closes
        else:
            out.append(s)
    return out
