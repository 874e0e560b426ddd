"""Datelines and source prefixes at the start of an article's first body paragraphs.

Recognised shapes (agency names, months and non-place labels are data in
audit/data/datelines.yaml):
- ALL-CAPS place, optional region, optional date, optional (Agency), then a dash or colon:
  "WASHINGTON/BAGHDAD, Nov 21 (Reuters) –", "KYIV (AP) —", "ERBIL, Kurdistan Region -",
  "BAGDAD, 21 nov (EFE).-", "RIYADH:";
- a mixed-case place with a known agency: "Baghdad (AFP) -", "Paris, March 3 (AFP) —";
- an agency alone: "(Reuters) -";
- a place in brackets, the French-press style: "(Baghdad) The United States ...";
- an outlet prefix: "Example News/ Persons injured ...".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from audit.ingest._data import data_lines, data_yaml
from audit.ingest.dates import iso_date, month_number, vocab

_WORD = r"[^\W\d_][^\W_]*(?:['’.\-][^\W\d_]*)*"
_DASH = r"\s*(?:\.?[-–—]{1,2}|:)(?=\s|$)"


@dataclass
class Dateline:
    start: int
    end: int
    kind: str                      # "dateline" | "place" | "agency" | "outlet-prefix"
    place: str | None = None
    agency: str | None = None      # as written
    outlet: str | None = None      # guessed outlet (known agency, or the prefix)
    month: int | None = None
    day: int | None = None
    year: int | None = None

    @property
    def date(self) -> str | None:
        if self.month and self.day and self.year:
            return iso_date(self.year, self.month, self.day)
        return None

    @property
    def partial_date(self) -> str | None:
        """ISO 8601 month-day ("--11-21") when the dateline has no year."""
        if self.month and self.day:
            return self.date or f"--{self.month:02d}-{self.day:02d}"
        return None


@dataclass(frozen=True)
class _Vocab:
    agencies: dict[str, str]          # alias -> outlet
    not_places: frozenset[str]
    particles: frozenset[str]
    caps: re.Pattern
    mixed: re.Pattern
    agency_only: re.Pattern
    bracket_place: re.Pattern
    prefix: re.Pattern


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = data_yaml("datelines.yaml")
    agencies = {str(a): str(e["outlet"]) for e in raw["agencies"] for a in e["aliases"]}
    month = vocab().month_re
    date = (rf"(?:,?\s+(?:(?P<mon>{month})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?:de\s+)?"
            rf"(?P<mon2>{month}))(?:,?\s+(?P<year>\d{{4}}))?)?")
    agency = r"(?:\s*\((?P<agency>[^()\n]{1,60})\))?"
    region = rf"(?:,\s+(?P<region>{_WORD}(?:\s+{_WORD}){{0,3}}))?"
    place = rf"(?P<place>{_WORD}(?:[ /]{_WORD}){{0,3}})"
    return _Vocab(
        agencies=agencies,
        not_places=frozenset(str(w) for w in raw.get("not_places") or ()),
        particles=frozenset(data_lines("name_particles.txt")),
        caps=re.compile(rf"{place}(?!{month}\s){region}{date}{agency}{_DASH}"),
        mixed=re.compile(rf"{place}{region}{date}{agency}{_DASH}"),
        agency_only=re.compile(rf"\((?P<agency>[^()\n]{{1,60}})\){_DASH}"),
        bracket_place=re.compile(rf"\((?P<place>{_WORD}(?:[ \-]{_WORD}){{0,3}})\)(?=\s+[\"“‘'«]?[^\W\d_])"),
        prefix=re.compile(r"(?P<outlet>[^\W\d_][\w&.'’\-]*(?:\s+[^\W\d_][\w&.'’\-]*){0,3})\s*/(?=\s)"),
    )


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _capitalised(s: str, particles: frozenset[str]) -> bool:
    words = re.split(r"[\s\-/]+", s)
    return all(w[:1].isupper() or w.lower() in particles for w in words if w) and words[0][:1].isupper()


def _agency_outlet(raw: str | None, v: _Vocab) -> tuple[str | None, bool]:
    """(outlet, known) for the text inside the dateline's brackets ("Reuters", "AFP/Reuters")."""
    if not raw:
        return None, False
    first = re.split(r"\s*[/,&]\s*|\s+and\s+", raw.strip())[0]
    if first in v.agencies:
        return v.agencies[first], True
    return first, False


def _dated(m: re.Match, d: Dateline) -> Dateline:
    mon = m.group("mon") or m.group("mon2")
    day = m.group("day") or m.group("day2")
    if mon and day:
        d.month, d.day = month_number(mon), int(day)
        d.year = int(m.group("year")) if m.group("year") else None
    return d


def find(text: str, start: int, end: int) -> Dateline | None:
    """The dateline at `start` of a paragraph spanning [start, end), if any."""
    v = _vocab()
    m = v.caps.match(text, start, end)
    if m and _is_caps(m.group("place")) and not set(re.split(r"[ /]", m.group("place"))) & v.not_places:
        if (m.group("region") is None or _capitalised(m.group("region"), v.particles)):
            outlet, _ = _agency_outlet(m.group("agency"), v)
            if m.group("agency") is None or _capitalised(m.group("agency"), v.particles):
                return _dated(m, Dateline(start, m.end(), "dateline", m.group("place"),
                                          m.group("agency"), outlet))
    m = v.mixed.match(text, start, end)
    if m and m.group("agency") and _capitalised(m.group("place"), v.particles):
        outlet, known = _agency_outlet(m.group("agency"), v)
        if known:
            return _dated(m, Dateline(start, m.end(), "dateline", m.group("place"),
                                      m.group("agency"), outlet))
    m = v.agency_only.match(text, start, end)
    if m:
        outlet, known = _agency_outlet(m.group("agency"), v)
        if known:
            return Dateline(start, m.end(), "agency", None, m.group("agency"), outlet)
    m = v.bracket_place.match(text, start, end)
    if m and _capitalised(m.group("place"), v.particles):
        outlet, known = _agency_outlet(m.group("place"), v)
        if known:
            return Dateline(start, m.end(), "agency", None, m.group("place"), outlet)
        return Dateline(start, m.end(), "place", m.group("place"))
    m = v.prefix.match(text, start, end)
    if m and _capitalised(m.group("outlet"), v.particles):
        return Dateline(start, m.end(), "outlet-prefix", outlet=m.group("outlet").strip())
    return None
