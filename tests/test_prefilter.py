"""The regex prefilter skips only patterns that cannot match (audit/artifacts/_prefilter.py)."""
from __future__ import annotations

import re

import pytest

from audit.artifacts._prefilter import PatternFilter, first_char_guard, fold, required_chars, required_words
from audit.provenance_features import profile_spec


def test_required_words_read_off_the_pattern():
    assert required_words(re.compile(r"\b(?:moreover|furthermore)\b", re.I)) == {"moreover", "furthermore"}
    assert required_words(re.compile(r"\bsaid that\b")) == {"said that"}
    assert required_words(re.compile(r"[«»]")) == {"«", "»"}
    # an optional part is not required; a character class alone gives no word
    assert required_words(re.compile(r"(?:foo)?\d+")) is None
    assert required_words(re.compile(r"[a-z]+")) is None
    # one alternative without a word makes the whole alternation unknown
    assert required_words(re.compile(r"abc|\d+")) is None


@pytest.mark.parametrize("pattern,flags,text", [
    (r"\bsaid\b", re.I, "He ſaid so"),            # long s matches s under IGNORECASE
    (r"\bistanbul\b", re.I, "İstanbul"),          # dotted capital I folds to i in re
    (r"\bkelvin\b", re.I, "\u212aelvin"),          # the Kelvin sign matches k
    (r"Straße", 0, "STRASSE in der Straße"),
    (r"\b(?:Mr|Mrs)\b\.?", 0, "Mrs. Smith"),
])
def test_never_skips_a_pattern_that_matches(pattern, flags, text):
    rx = re.compile(pattern, flags)
    assert rx.search(text)
    f = PatternFilter([rx])
    assert f.may_match(rx, f.present(text))


def test_skips_what_cannot_match_and_agrees_with_re_on_the_profile_patterns():
    spec = profile_spec()
    rxs = [p["_rx"] for g in ("profile", "typography", "places") for p in spec.get(g) or []]
    f = PatternFilter(rxs)
    texts = ["The minister said on Monday that 1.200 people were evacuated from Valencia.",
             "« Nous sommes inquiets », a déclaré M. Dupont à 14h30.",
             "It is noted that the aforementioned group, moreover, didn't reply.",
             "plain words only"]
    skipped = 0
    for text in texts:
        present = f.present(text)
        for rx in rxs:
            if not f.may_match(rx, present):
                skipped += 1
                assert rx.search(text) is None, (rx.pattern, text)
    assert skipped > len(rxs)          # the filter does skip most patterns on most texts


def test_fold_is_one_character_for_one():
    s = "İSTANBUL ſ \u212a Straße ΣΑΣ"
    assert len(fold(s)) == len(s)


def test_fold_table_covers_every_code_point_re_folds():
    from audit.artifacts._prefilter import _fold_table, _full_fold_table
    assert _fold_table() == _full_fold_table()


def _chars(pattern: str, flags: int = 0) -> list[str]:
    return [c.pattern for c in required_chars(re.compile(pattern, flags))]


def test_required_characters_read_off_the_pattern():
    assert _chars(r"(?<![\d,])(?P<int>\d{1,3}),(?P<frac>\d{1,2})") == [r"[\d]"]
    # every alternative needs a quotation mark (the comma is too common to test)
    assert _chars(r'(?:[”"»’]\s*,?|,\s*[”"»’])\s*$') == ['["»’”]']
    assert _chars(r"x%\d+", re.I) == ["[%]", r"[\d]"]
    # optional parts, lookarounds, letters and negated classes give no test
    assert _chars(r"(?:%)?a(?=\d)(?<=[»])[^\d]") == []
    assert _chars(r"a|\d") == []


@pytest.mark.parametrize("pattern,flags,text", [
    (r"\d+ percent", 0, "grew ٣ percent"),          # \d is any decimal digit in str patterns
    (r"(?a)\d+%", 0, "4%"),
    (r"(?i)AT \d\d?H", 0, "at 9h"),
    (r'said[”"]', 0, "said”"),
])
def test_required_characters_pass_every_text_that_matches(pattern, flags, text):
    rx = re.compile(pattern, flags)
    assert rx.search(text)
    assert all(c.search(text) for c in required_chars(rx))
    assert required_chars(rx)                       # each case has a test to pass


def test_ascii_patterns_test_ascii_digits():
    (check,) = required_chars(re.compile(r"(?a)\d+"))
    assert check.search("٣") is None and check.search("3")


@pytest.mark.parametrize("pattern,flags,text", [
    (r"\b(?:Spain|Spanish|Madrid)\b", 0, "In Madrid, Spanish and spain and SPAIN"),
    (r"\b(?:spain|madrid)\b", re.I, "In MADRID, Spain; ſpain"),          # folds as re does
    (r"(?<![\w-])(?i:first)\s+(?-i:Minister)", 0, "FIRST Minister, first minister, pre-first Minister"),
    (r"(?i)\b(?:at|from)\s+(?P<h>\d\d?)h(?P<m>\d\d)?", 0, "At 14h30 and from 9h, AT 7H"),
    (r"(?<![\d,])\d{1,3},\d{1,2}(?![\d,])", 0, "1,5 and 12,345 and x3,14"),
    (r"\b(?:[^\W\d_]+ed)\s+the\b", 0, "hammered the minister, Stated the"),
    (r"(?:\d+)?%", 0, "50% and % alone"),                        # can start on a digit or '%'
    (r"\b(?:[^a-z]x|y)", 0, "Ax y bx"),                          # a negated class among the firsts
    (r"""(?x) \b (?: said | told )  # a trailing comment
         \s+ (?P<who>\w+)""", 0, "He said Smith and told Jones"),
])
def test_first_character_guard_finds_the_same_matches(pattern, flags, text):
    rx = re.compile(pattern, flags)
    guarded = first_char_guard(rx)
    assert guarded.pattern != rx.pattern                        # each case gets a guard
    assert [(m.span(), m.groupdict(), m.groups()) for m in guarded.finditer(text)] == \
        [(m.span(), m.groupdict(), m.groups()) for m in rx.finditer(text)]
    assert guarded.groupindex == rx.groupindex and guarded.groups == rx.groups


@pytest.mark.parametrize("pattern", [
    r"said that",              # re already skips ahead to a literal prefix
    r"[«»]",                   # or to a character class
    r"\b(?:x)?",               # can match nothing: no first character
    r"\b.ed\b",                # any character first
])
def test_first_character_guard_leaves_what_it_cannot_speed_up(pattern):
    rx = re.compile(pattern)
    assert first_char_guard(rx).pattern == rx.pattern      # equal patterns may share a cache entry


def test_first_character_guard_agrees_on_the_profile_patterns():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "seeds"
    spec = profile_spec()
    rxs = [p["_rx"] for g in ("profile", "typography", "places") for p in spec.get(g) or []]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt")))
    for rx in rxs:
        assert [m.span() for m in first_char_guard(rx).finditer(text)] == \
            [m.span() for m in rx.finditer(text)], rx.pattern
