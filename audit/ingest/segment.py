"""Lines and paragraphs as offset ranges into the raw text.

Line breaks are \\n, \\r\\n, \\r and the Unicode line/paragraph separators. Besides ordinary
white space, zero-width characters and stray byte-order marks count as blank, because scraped
text is full of them and a line holding only those is empty to a reader.
"""
from __future__ import annotations

import re

from audit.types import Span

_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def is_blank_char(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def strip_span(text: str, start: int, end: int) -> Span | None:
    """Shrink [start, end) past blank characters at both ends; None when nothing is left."""
    while start < end and is_blank_char(text[start]):
        start += 1
    while end > start and is_blank_char(text[end - 1]):
        end -= 1
    return Span(start, end) if start < end else None


def raw_lines(text: str) -> list[tuple[int, int]]:
    """Every line (blank ones too) as [start, end) without its line break."""
    out, pos = [], 0
    for m in _BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def lines(text: str) -> list[Span]:
    """Non-empty lines, stripped of outer white space."""
    return [s for a, b in raw_lines(text) if (s := strip_span(text, a, b))]


def paragraphs(text: str) -> list[Span]:
    """Blocks separated by blank lines; a text without any blank line has one paragraph per line
    (many scraped articles put each paragraph on one line with no gap)."""
    blocks: list[list[Span]] = [[]]
    for a, b in raw_lines(text):
        s = strip_span(text, a, b)
        if s:
            blocks[-1].append(s)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if len(blocks) == 1:
        return list(blocks[0])
    return [Span(b[0].start, b[-1].end) for b in blocks]
