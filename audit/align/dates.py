"""Date expressions resolved against the article's date.

What tells "the same event" from "the same kind of event" across outlets is mostly *when*: a
strike on Tuesday and another on Saturday share every word but the day; "four years ago" in an
article of January 2024 and "in early January 2020" are the same date written two ways. Each
expression in a sentence ("on Tuesday", "Nov 21", "yesterday", "last week", "four years ago",
"April last year", "since 2014", "the 1970s", the calque "the years 1970", "Monday 11 of
September") becomes a `When`: a range of days, a grain, and keys at every grain from the finest
("%2023-11-21") to the year ("%2023"), so that two outlets dating one event at different
precision still share a key. Vocabulary lives in audit/data/dates.yaml.

Hand-written: the date parsers on PyPI (dateparser, parsedatetime) resolve a whole string, not
expressions found inside running text with their token spans, and pull in large dependencies.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol, Sequence

import yaml

DAY_SLACK = 1          # a day-grain date also covers the day either side (time zones, "overnight")


class Tok(Protocol):
    kind: str
    lower: str
    surface: str
    capital: bool
    value: float | None


@dataclass(frozen=True)
class When:
    lo: int | None                  # first day (ordinal), None when the article date is unknown
    hi: int | None                  # last day (ordinal)
    grain: str                      # day | week | month | year | decade | range
    label: str = ""                 # what it says when it cannot be resolved ("tuesday")
    base: str = ""                  # a range's starting grain ("since mid-October": month)

    def keys(self) -> tuple[str, ...]:
        """Keys from the finest grain to the year: shared whenever two outlets name one date."""
        if self.lo is None or self.hi is None:
            return ("%" + self.label,) if self.label else ()
        if self.grain == "range" and self.base:
            return When(self.lo, self.lo, self.base).keys()
        if self.grain == "circa":
            mid = (self.lo + self.hi) // 2
            return When(mid, mid, self.base or "year").keys()
        a, b = date.fromordinal(self.lo), date.fromordinal(self.hi)
        if self.grain == "decade":
            return (f"%{a.year // 10 * 10}s",)
        out: list[str] = []
        if self.grain == "year":
            return (f"%{a.year}",)
        if self.grain == "day":
            out.append(f"%{a.isoformat()}")
        if (a.year, a.month) == (b.year, b.month) and self.grain in ("day", "week", "month"):
            out.append(f"%{a.year}-{a.month:02d}")
        if a.year == b.year and self.grain != "range":
            out.append(f"%{a.year}")
        if self.grain == "range":
            out.append(f"%{a.year}")       # "since 2014": the year it starts
        return tuple(out)

    def span(self) -> tuple[int, int] | None:
        if self.lo is None or self.hi is None:
            return None
        slack = DAY_SLACK if self.grain == "day" else 0
        return self.lo - slack, self.hi + slack


def compatible(a: Sequence[When], b: Sequence[When]) -> bool:
    """False when both sentences date themselves and no date of one meets a date of the other.
    Unresolved dates ("Tuesday" in an undated article) only meet the same words."""
    if not a or not b:
        return True
    for x in a:
        for y in b:
            sx, sy = x.span(), y.span()
            if sx is None or sy is None:
                if x.label and x.label == y.label:
                    return True
                if sx is None and sy is None:
                    continue
                return True                # one side unresolved: cannot tell, do not separate
            if sx[0] <= sy[1] and sy[0] <= sx[1]:
                return True
    return False


def parse_date(value: str | None) -> date | None:
    """ISO date or datetime (what ingest writes) -> date; anything else -> None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


# --- vocabulary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateLexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    capital_only: frozenset[str]
    relative: dict[tuple[str, ...], tuple[int, int]]
    ago: frozenset[str]
    units: dict[str, int]
    previous: frozenset[str]
    current: frozenset[str]
    following: frozenset[str]
    parts: frozenset[str]
    since: frozenset[str]
    decade_words: frozenset[str]
    one: frozenset[str] = frozenset()             # "a week ago": a count of one
    part_links: frozenset[str] = frozenset()      # "the end of March"
    year_followers: frozenset[str] = frozenset()  # a year, not a count, before these
    year_leaders: frozenset[str] = frozenset()    # ... or after these
    first_words: frozenset[str] = frozenset()     # words an expression can start with
    relative_first: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "relative_first", frozenset(k[0] for k in self.relative))
        object.__setattr__(self, "first_words", frozenset(
            set(self.months) | set(self.weekdays) | {k[0] for k in self.relative} | self.previous
            | self.current | self.following | self.parts | self.since | self.decade_words | self.one))

    def __hash__(self) -> int:
        return id(self)


@lru_cache(maxsize=1)
def load_dates() -> DateLexicon:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("audit.data").joinpath("dates.yaml").read_text(encoding="utf-8")) or {}
    rel = {}
    for phrase, off in (raw.get("relative_days") or {}).items():
        lo, hi = (off, off) if isinstance(off, int) else (int(off[0]), int(off[-1]))
        rel[tuple(str(phrase).lower().split())] = (lo, hi)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key) or [])

    return DateLexicon(
        {str(k).lower(): int(v) for k, v in (raw.get("months") or {}).items()},
        {str(k).lower(): int(v) for k, v in (raw.get("weekdays") or {}).items()},
        words("capital_only"), rel, words("ago"),
        {str(k).lower(): int(v) for k, v in (raw.get("units") or {}).items()},
        words("previous"), words("current"), words("following"), words("parts"), words("since"),
        words("decade_words"), words("one"), words("part_links"), words("year_followers"),
        words("year_leaders"))


# --- finding expressions ------------------------------------------------------------------------

def find_dates(toks: Sequence[Tok], ref: date | None, lex: DateLexicon) -> list[tuple[int, int, When]]:
    """(first token, end token, When) for every date expression, left to right."""
    out: list[tuple[int, int, When]] = []
    i, n = 0, len(toks)
    starts = lex.first_words
    while i < n:
        t = toks[i]
        if t.kind == "dec":
            j, w = i + 1, _decade(int(t.value or 0))
            out.append((_since_start(toks, i, lex), j, _since(toks, i, w, ref, lex)))
            i = j
            continue
        if t.kind != "num" and _lower(t) not in starts:
            i += 1
            continue
        if t.kind == "num" and not _could_start(toks, i, lex):
            i += 1
            continue
        hit = _match(toks, i, ref, lex)
        if hit is None:
            i += 1
            continue
        j, w = hit
        out.append((_since_start(toks, i, lex), j, _since(toks, i, w, ref, lex)))
        i = j
    return out


def _could_start(toks: Sequence[Tok], i: int, lex: DateLexicon) -> bool:
    """A number opens a date only as a year, before a unit ("four years ago") or a month."""
    if len(toks[i].surface) == 4 and toks[i].surface.isdigit():
        return True
    nxt = _lower(toks[i + 1]) if i + 1 < len(toks) else ""
    return nxt in lex.units or nxt in lex.months or nxt == "of"


def _since_start(toks: Sequence[Tok], i: int, lex: DateLexicon) -> int:
    return i - 1 if i and toks[i - 1].lower in lex.since else i


def _since(toks: Sequence[Tok], i: int, w: When, ref: date | None, lex: DateLexicon) -> When:
    """'since 2014': from the date up to the article's date."""
    if not (i and toks[i - 1].lower in lex.since) or w.lo is None or ref is None:
        return w
    return When(w.lo, max(w.hi or w.lo, ref.toordinal()), "range", w.label, w.grain)


def _match(toks: Sequence[Tok], i: int, ref: date | None, lex: DateLexicon) -> tuple[int, When] | None:
    for fn in (_relative_day, _ago, _calendar_unit, _day_month, _month, _weekday, _decade_calque, _year):
        hit = fn(toks, i, ref, lex)
        if hit is not None:
            return hit
    return None


def _word(toks: Sequence[Tok], i: int) -> str:
    return toks[i].lower if 0 <= i < len(toks) else ""


def _lower(t: Tok) -> str:
    """A one-word entity mention ("Nov" taken for a name) is still read as its word."""
    return t.surface.lower() if t.kind == "ent" else t.lower


def _named_at(toks: Sequence[Tok], i: int, names: dict[str, int], lex: DateLexicon) -> int | None:
    """The number of the month or weekday named at i; "may", "sun" only when capitalised."""
    if i >= len(toks) or toks[i].kind not in ("word", "ent"):
        return None
    w = _lower(toks[i])
    if w not in names or (w in lex.capital_only and not toks[i].capital):
        return None
    return names[w]


def _month_at(toks: Sequence[Tok], i: int, lex: DateLexicon) -> int | None:
    return _named_at(toks, i, lex.months, lex)


def _weekday_at(toks: Sequence[Tok], i: int, lex: DateLexicon) -> int | None:
    return _named_at(toks, i, lex.weekdays, lex)


def _int(toks: Sequence[Tok], i: int) -> int | None:
    if i >= len(toks) or toks[i].kind != "num" or toks[i].value is None:
        return None
    v = toks[i].value
    return int(v) if float(v).is_integer() else None


def _year_at(toks: Sequence[Tok], i: int) -> int | None:
    v = _int(toks, i)
    if v is None or not (1900 <= v <= 2099) or not toks[i].surface.isdigit() or len(toks[i].surface) != 4:
        return None
    return v


def _day_at(toks: Sequence[Tok], i: int) -> int | None:
    if i < len(toks) and toks[i].kind == "ord":
        digits = "".join(c for c in toks[i].surface if c.isdigit())
        v = int(digits) if digits else None
    else:
        v = _int(toks, i)
        if v is not None and not toks[i].surface.isdigit():
            v = None
    return v if v is not None and 1 <= v <= 31 else None


def _skip_parts(toks: Sequence[Tok], i: int, lex: DateLexicon) -> int:
    """'early', 'mid', 'the end of', 'the middle of' before a month or day."""
    j = i
    while j < len(toks) and (toks[j].lower in lex.parts or (j > i and toks[j].lower in lex.part_links)):
        j += 1
    return j


def _day(d: date) -> When:
    return When(d.toordinal(), d.toordinal(), "day")


def _month_when(y: int, m: int) -> When:
    last = calendar.monthrange(y, m)[1]
    return When(date(y, m, 1).toordinal(), date(y, m, last).toordinal(), "month")


def _year_when(y: int) -> When:
    return When(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), "year")


def _decade(y: int) -> When:
    y = y // 10 * 10
    return When(date(y, 1, 1).toordinal(), date(y + 9, 12, 31).toordinal(), "decade")


def _recent_year(ref: date | None, m: int, d: int = 1) -> int | None:
    """Year that puts (month, day) nearest the article date: "December" in May is last December,
    "May 14" in March is this May ("parliament will vote on May 14")."""
    if ref is None:
        return None
    d = min(d, 28)
    return min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: abs((date(y, m, d) - ref).days))


def _relative_day(toks, i, ref, lex):
    if toks[i].lower not in lex.relative_first:
        return None
    for phrase, (lo, hi) in lex.relative.items():
        k = len(phrase)
        if tuple(_word(toks, i + x) for x in range(k)) == phrase:
            if ref is None:
                return i + k, When(None, None, "day", " ".join(phrase))
            return i + k, When((ref + timedelta(lo)).toordinal(), (ref + timedelta(hi)).toordinal(), "day")
    return None


def _ago(toks, i, ref, lex):
    """'four years ago', 'a week ago', 'two days ago'."""
    n = _int(toks, i)
    if n is None and toks[i].lower in lex.one:
        n = 1
    unit = _word(toks, i + 1)
    if n is None or unit not in lex.units or _word(toks, i + 2) not in lex.ago or n > 200:
        return None
    if ref is None:
        return i + 3, When(None, None, "range", f"{n} {unit} ago")
    days = lex.units[unit]
    back = ref - timedelta(days * n)
    if days >= 30:
        # "a year ago" in a copy republished weeks later still means the same date: a window of
        # half a unit either side, keyed by the year (or month) it centres on
        half = timedelta(days // 2)
        return i + 3, When((back - half).toordinal(), (back + half).toordinal(), "circa",
                           base="year" if days >= 365 else "month")
    if days == 1:
        return i + 3, _day(back)
    return i + 3, When((back - timedelta(3)).toordinal(), (back + timedelta(3)).toordinal(), "week")


def _calendar_unit(toks, i, ref, lex):
    """'last week', 'this month', 'next year', 'the past week'."""
    w, unit = toks[i].lower, _word(toks, i + 1)
    if unit not in ("week", "month", "year") or not (w in lex.previous or w in lex.current or w in lex.following):
        return None
    if ref is None:
        return i + 2, When(None, None, "range", f"{w} {unit}")
    step = -1 if w in lex.previous else 1 if w in lex.following else 0
    if unit == "week":
        if w == "past":
            return i + 2, When((ref - timedelta(7)).toordinal(), ref.toordinal(), "week")
        monday = ref - timedelta(ref.weekday()) + timedelta(7 * step)
        last = ref if step == 0 else monday + timedelta(6)
        return i + 2, When(monday.toordinal(), last.toordinal(), "week")
    if unit == "month":
        y, m = ref.year, ref.month + step
        if m < 1:
            y, m = y - 1, 12
        if m > 12:
            y, m = y + 1, 1
        return i + 2, _month_when(y, m)
    return i + 2, _year_when(ref.year + step)


def _day_month(toks, i, ref, lex):
    """'21 November 2023', '11 of September', 'Monday 11 of September'."""
    j = i
    wd = _weekday_at(toks, j, lex)
    if wd is not None:
        j += 1
    d = _day_at(toks, j)
    if d is None:
        return None
    k = j + 1
    if _word(toks, k) == "of":
        k += 1
    m = _month_at(toks, k, lex)
    if m is None:
        return None
    k += 1
    k, y = _year_or_recent(toks, k, ref, m, d)
    return _resolve_day(k, y, m, d, f"{d} {m}")


def _year_or_recent(toks, k: int, ref, m: int, d: int) -> tuple[int, int | None]:
    """The year written at k (consumed), else the most recent year the day fits before ref."""
    y = _year_at(toks, k)
    if y is not None:
        return k + 1, y
    return k, _recent_year(ref, m, d)


def _resolve_day(k: int, y: int | None, m: int, d: int, label: str):
    if y is None:
        return k, When(None, None, "day", label)
    try:
        return k, _day(date(y, m, d))
    except ValueError:
        return None


def _month(toks, i, ref, lex):
    """'Nov 21', 'January 13, 2020', 'January 2020', 'April last year', 'early January',
    'mid-October', 'the end of March'."""
    j = _skip_parts(toks, i, lex)
    m = _month_at(toks, j, lex)
    if m is None:
        return None
    k = j + 1
    d = _day_at(toks, k)
    if d is not None and _year_at(toks, k) is None:
        k, y = _year_or_recent(toks, k + 1, ref, m, d)
        return _resolve_day(k, y, m, d, f"{d} {m}")
    if _word(toks, k) == "of" and _year_at(toks, k + 1) is not None:
        k += 1
    y = _year_at(toks, k)
    if y is not None:
        return k + 1, _month_when(y, m)
    if _word(toks, k + 1) == "year" and ref is not None:
        w = _word(toks, k)
        if w in lex.previous:
            return k + 2, _month_when(ref.year - 1, m)
        if w in lex.current:
            return k + 2, _month_when(ref.year, m)
    y = _recent_year(ref, m)
    return k, (_month_when(y, m) if y is not None else When(None, None, "month", f"month {m}"))


def _weekday(toks, i, ref, lex):
    """'Tuesday', 'late Tuesday', 'last Friday', 'next Monday' (most recent one by default)."""
    j = i
    step = 0
    if toks[i].lower in lex.previous:
        step, j = -1, i + 1
    elif toks[i].lower in lex.following:
        step, j = 1, i + 1
    j = _skip_parts(toks, j, lex)
    wd = _weekday_at(toks, j, lex)
    if wd is None:
        return None
    if ref is None:
        return j + 1, When(None, None, "day", next(k for k, v in lex.weekdays.items() if v == wd and len(k) > 4))
    if step > 0:
        ahead = (wd - ref.weekday()) % 7 or 7
        return j + 1, _day(ref + timedelta(ahead))
    back = (ref.weekday() - wd) % 7
    if step < 0 and back == 0:
        back = 7
    return j + 1, _day(ref - timedelta(back))


def _decade_calque(toks, i, ref, lex):
    """'the years 1970' (les années 1970)."""
    if toks[i].lower not in lex.decade_words:
        return None
    y = _year_at(toks, i + 1)
    if y is None or y % 10:
        return None
    return i + 2, _decade(y)


def _year(toks, i, ref, lex):
    """A bare year: four digits 1900-2099 not counting something ('2000 troops' is a count)."""
    y = _year_at(toks, i)
    if y is None:
        return None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.kind == "word" and not nxt.capital and nxt.lower.isalpha() \
            and nxt.lower not in lex.year_followers:
        prev = _word(toks, i - 1)
        if prev not in lex.year_leaders:
            return None
    return i + 1, _year_when(y)

