"""Date expressions resolved against the article's date: relative days, durations ago, months
without a year, decades (and their calque), years that are not counts, and what counts as two
dates that never meet."""
from __future__ import annotations

from datetime import date

from audit.align.dates import When, compatible
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.ingest.build import make_document
from audit.types import SourceMeta


def dates_in(text: str, published: str | None = "2024-03-14") -> dict[str, tuple[str, ...]]:
    """{expression as written: its keys} for a one-sentence article (2024-03-14 is a Thursday)."""
    d = make_document("d", "d.txt", "Headline\n\n" + text, SourceMeta(), date=published)
    idx = build_index([d], [], load_lexicon())
    return {t.surface: (t.key, *t.extra) for s in idx.sentences for t in s.tokens if t.kind == "date"}


def test_weekdays_and_relative_days_resolve_to_the_past_week():
    got = dates_in("Troops left the base on Tuesday, a day after the storm hit yesterday's market.")
    assert got["Tuesday"][0] == "%2024-03-12"
    got = dates_in("Officials said yesterday that the road reopened last Friday.")
    assert got["yesterday"][0] == "%2024-03-13"
    assert got["last Friday"][0] == "%2024-03-08"


def test_durations_ago_meet_the_absolute_date():
    ago = dates_in("Five years ago, Cyclone Idai flattened the port city of Beira.")["Five years ago"]
    absolute = dates_in("In March 2019, Cyclone Idai flattened the port city of Beira.")["March 2019"]
    assert "%2019" in ago and "%2019" in absolute


def test_months_without_a_year_take_the_latest_one():
    got = dates_in("Talks in Doha have been suspended since December, and resumed briefly on Feb. 2.")
    assert got["since December"][0] == "%2023-12"
    assert got["Feb 2"][0] == "%2024-02-02"


def test_decades_and_their_calque_share_a_key():
    got = dates_in("The bridge, built in the 1960s, was last repaired in the years 1960 by a state firm.")
    assert got["1960s"] == got["years 1960"] == ("%1960s",)


def test_romance_day_of_month_calque():
    got = dates_in("The dam gave way in the dawn of Monday 4 of March after days of rain.")
    assert got["Monday 4 of March"][0] == "%2024-03-04"


def test_counts_times_and_modal_may_are_not_dates():
    got = dates_in("The ministry may send 2000 troops at 10:30 a.m. to the border.")
    assert got == {}
    assert dates_in("Parliament will vote on May 14.")["May 14"][0] == "%2024-05-14"


def test_undated_article_keeps_weekday_words():
    got = dates_in("The convoy was shelled on Tuesday near the border.", published=None)
    assert got["Tuesday"] == ("%tuesday",)


def day(y: int, m: int, d: int) -> When:
    o = date(y, m, d).toordinal()
    return When(o, o, "day")


def test_compatible_dates():
    assert compatible([day(2024, 3, 12)], [day(2024, 3, 13)])        # a day's slack (time zones)
    assert not compatible([day(2024, 3, 12)], [day(2024, 3, 16)])    # Tuesday and Saturday
    year = When(date(2020, 1, 1).toordinal(), date(2020, 12, 31).toordinal(), "year")
    assert compatible([day(2020, 1, 3)], [year])
    assert compatible([], [day(2024, 3, 12)])                        # an undated sentence
    assert not compatible([When(None, None, "day", "tuesday")], [When(None, None, "day", "saturday")])
