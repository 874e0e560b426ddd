"""Names whose letters went through an encoding round trip: "MĂ©ndez" for Méndez.

A page saved as UTF-8 and read as a Windows code page turns each accented letter into two
("é" -> "Ă©" in cp1250, "Ã©" in cp1252). The mention finder stops at the "©", so no name
comparison sees it; this look scans capitalised words with non-ASCII letters and asks ftfy
(installed with wordfreq) whether the word is mojibake (`ftfy.badness.is_bad`) and what it
was. Real accented names (Călin, Kaliňák, Çalık, Nzérékoré) are not bad to ftfy and are left
alone. Written by hand around ftfy only to say where the damage is: ftfy repairs a text but
does not give the spans it changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"(?<![\w@#])[A-Z\u00c0-\u024f][^\s,.;:!?()\[\]\"“”‘’]*")


@dataclass(frozen=True)
class Garbled:
    start: int
    end: int
    text: str
    fixed: str


def find(text: str, lines: list[tuple[int, int]]) -> list[Garbled]:
    """Capitalised words in `lines` that ftfy calls mojibake and repairs into letters."""
    from ftfy import fix_text
    from ftfy.badness import is_bad
    out = []
    for a, b in lines:
        if text[a:b].isascii():
            continue                 # most lines: nothing to look at (a C-speed test)
        for m in _WORD.finditer(text, a, b):
            word = m.group()
            if word.isascii() or not is_bad(word):
                continue
            fixed = fix_text(word)
            if fixed != word and fixed.replace("-", "").isalpha():
                out.append(Garbled(m.start(), m.end(), word, fixed))
    return out
