"""Dates written in article text: ISO timestamps on their own line and lone date lines.

Month names, weekdays and date labels are data (audit/data/datelines.yaml), so a desk can add a
language without touching code. Everything returned is an ISO string: the timestamp exactly as
written when the line is already ISO 8601, else `YYYY-MM-DD`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from audit.ingest._data import data_yaml

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")
_TIME = (r"(?:\s*(?:[,|@·•\-–—]|at|à|a las|um|alle)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?"
         r"(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:[A-Z]{2,5}|(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
         r"|[+-]\d{2}:?\d{2}))?)?")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class DateVocab:
    months: dict[str, int]
    month_re: str
    lone_date: re.Pattern


@lru_cache(maxsize=1)
def vocab() -> DateVocab:
    raw = data_yaml("datelines.yaml")
    months = {str(name).lower(): int(num) for num, names in raw["months"].items() for name in names}
    month_re = rf"(?i:{_alt(months)})\.?"
    weekday = rf"(?:{_alt(str(w) for w in raw['weekdays'])})\.?,?"
    label = rf"(?:{_alt(str(w) for w in raw['date_labels'])})\s*:?"
    day = r"\d{1,2}(?:st|nd|rd|th|er|º|°)?\.?"
    lone = re.compile(
        rf"^(?:{label}\s*)?(?:{weekday}\s+)?(?:(?:le|el|den|il)\s+)?"
        rf"(?:(?P<m1>{month_re})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
        rf"|(?P<d2>{day})\s+(?:de\s+)?(?P<m2>{month_re}),?\s+(?:de\s+)?(?P<y2>\d{{4}})"
        rf"|(?P<y3>\d{{4}})[/.-](?P<m3>\d{{1,2}})[/.-](?P<d3>\d{{1,2}}))"
        rf"{_TIME}\s*$", re.I)
    return DateVocab(months, month_re, lone)


def month_number(name: str) -> int | None:
    return vocab().months.get(name.lower().rstrip("."))


def iso_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_timestamp(line: str) -> str | None:
    """The line itself when it is an ISO 8601 date or timestamp (e.g. 2023-11-21T12:38:04+00:00)."""
    line = line.strip()
    if not _ISO.fullmatch(line):
        return None
    try:
        dt.datetime.fromisoformat(line.replace("Z", "+00:00"))
    except ValueError:
        return None
    return line


def lone_date(line: str) -> str | None:
    """The ISO date of a line that holds only a date ("Tuesday, November 21, 2023 10:32 AM EST",
    "Published: 21 nov. 2023", "21 de noviembre de 2023"), else None."""
    line = line.strip()
    if len(line) > 80:
        return None
    if (ts := iso_timestamp(line)):
        return ts
    m = vocab().lone_date.match(line)
    if not m:
        return None
    if m.group("y1"):
        y, mo, d = m.group("y1"), month_number(m.group("m1")), m.group("d1")
    elif m.group("y2"):
        y, mo, d = m.group("y2"), month_number(m.group("m2")), re.match(r"\d+", m.group("d2")).group()
    else:
        y, mo, d = m.group("y3"), int(m.group("m3")), m.group("d3")
    return iso_date(int(y), int(mo), int(d)) if mo else None


def normalise(value: str) -> str | None:
    """A date given in metadata (JSONL, HTML) as ISO, else parsed like a lone date line."""
    value = str(value).strip()
    if (ts := iso_timestamp(value)):
        return ts
    if (m := _ISO.match(value)) and iso_timestamp(m.group()):
        return m.group()  # "2023-11-21T12:38:04.123456+0000 extra" → the ISO head
    return lone_date(value)
