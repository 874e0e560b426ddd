"""Typography that scraping, encoding round trips and foreign keyboards leave in English copy.

Each rule is a shape no English style writes, so it needs no list of the corpus's strings:
- an apostrophe cut off its "s" ("country’ s"), or written with the acute accent or the
  opening quote ("country´s", "O´Higgins", "Slovakia‘s");
- a hyphen or dash spaced on one side only ("South -East Asia", "five -storey", "members
  –died", "anti- government"), where English puts spaces on both sides of a dash or on
  neither ("Waker- Uz- Zaman", a name cut so, is the entity detector's);
- a question mark standing in for a character the page's encoding lost ("localities.?Prime",
  "?2 lakh", "by.?", "don?t");
- mojibake: UTF-8 read as a Windows code page ("Sundayโ€™s", "itâ€™s", "destruction.”Â"),
  recognised by re-encoding the run and decoding it as UTF-8 (and ftfy's badness test);
- a number joined by a hyphen to a plural noun ("23-hikers", "5,962-people": English writes
  "23 hikers", or the singular in a compound adjective, "a 23-member team");
- "a.m"/"p.m" missing its last stop before the next word ("9:03 a.m on Sunday");
- two apostrophes for a quotation mark ("''Not subject to restoration''"), guillemets spaced
  the French way ("stay away »");
- numbers in another language's style: a decimal comma before a percentage ("59,84%", "59,84
  percent") and a full stop grouping thousands before a counted plural ("166.160 votes");
- a space lost around a quote mark or after a comma: an opening quote between two letters
  ("Putin“expressed"), a straight closing quote before the next sentence ("brakes."Images",
  "Barcelona"Critical"), a stop after capitals glued to the next sentence ("HAPPENED?President"),
  a comma glued to a number ("injuries,37"), a verb glued to a number ("rescued190"; only
  verbs: "covid19", "top10" are names and codes);
- a dash doubled by a hyphen ("Mexico—- Mexico's").

Written by hand: ftfy repairs mojibake but does not say where it was, and finds none in the
Thai code page (cp874) that turns ’ into "โ€™"; no library checks the other shapes.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from audit.artifacts._ngrams import pos_lemmas
from audit.artifacts._text import zipf

_L = r"[^\W\d_]"

# Each pattern opens with the character it consumes first (see fragments._DOUBLED).
_APOSTROPHE = re.compile(
    r"[’'](?<=" + _L + r"[’'])[ \t]+s\b(?![’'\w-])"            # "country’ s"
    r"|´(?<=" + _L + r"´)(?=" + _L + r")"                       # "country´s", "O´Higgins"
    r"|‘(?<=" + _L + r"‘)(?=(?:s|t|ll|re|ve|d|m)\b)")            # "Slovakia‘s"
_ONE_SIDED_DASH = re.compile(
    r" (?<=" + _L + r"{2} )[-–—](?=" + _L + r"{2})"             # "South -East", "members –died"
    r"|[-–—](?<=[a-z]{2}[-–—]) (?!(?:and|or|to|nor)\b)(?=[a-z]{2})"  # "anti- government"
    r"| (?<=\d )[-–—](?=[a-z]{2})")                             # "a 50 -kilometre radius"
_LOST_CHARACTER = re.compile(
    r"\?(?<=[.,;:]\?)(?=[\s\"”’]|$|[A-Z])"                       # "localities.?Prime", "by.?"
    r"|\?(?<=[.,;:] \?)(?=\s|$)"                                 # "4.10 a.m. ?"
    r"|\?(?<![\w?!.]\?)(?=\d)"                                     # "?2 lakh", "?50,000"
    r"|\?(?<=[a-z]\?)(?=(?:s|t|ll|re|ve|d|m)\b)")                # "don?t", "Sunday?s"
_NUMBER_PLURAL = re.compile(r"\d(?<![\w.,-]\d)[\d,]*-([a-z]{3,}s|people|children|men|women)\b(?![-’'])")
_CLOCK_STOP = re.compile(r"[ap](?<=\d[ap])\.m(?=[ \t]+[a-z])|[ap](?<=\d [ap])\.m(?=[ \t]+[a-z])")
_TWO_APOSTROPHES = re.compile(r"''(?<!'{3})(?!')")
_GUILLEMET_SPACE = re.compile(r"«[ \t]+(?=\S)|[ \t]+»")
# Numbers written the continental way (issue 9: Spanish-origin copy): "59,84%", "166.160 votes"
_DECIMAL_COMMA = re.compile(r"\d(?<![\d,.]\d)\d{0,2},\d{1,2}(?=\s*%|\s+(?:percent|per cent)\b)")
_THOUSANDS_DOT = re.compile(r"[1-9](?<![\d,.][1-9])\d{0,2}\.\d{3}(?![\d.,])(?=\s+[a-z]{3,}s\b)")
# A space lost next to a quote mark, a stop or a comma (fragments._GLUED has the stop-before-
# word cases); each opens with the character it consumes first.
_LOST_SPACE = re.compile(
    r"“(?<=" + _L + r"“)(?=" + _L + r")"                         # "Putin“expressed"
    r'|"(?<=[a-z]{2}[.!?,]")(?=[A-Z][a-z])'                       # 'brakes."Images'
    r'|"(?<=[a-z]{3}")(?=[A-Z][a-z]{2})'                          # 'Barcelona"Critical'
    r"|[?!](?<=[A-Z]{2}[?!])(?=[A-Z][a-z])"                       # "HAPPENED?President"
    r"|,(?<=" + _L + r"{2},)(?=\d)")                              # "injuries,37"
_WORD_NUMBER = re.compile(r"[a-z](?<![\w-][a-z])[a-z]{3,}(?=\d{2,}\b)")
_DASH_HYPHEN = re.compile(r"[—–]-|-(?<=[^-]-)[—–]")
# a run a code page can make of UTF-8: a lead letter (Â Ã â Ð, Thai's โ) and what follows
_MOJIBAKE_RUN = re.compile(r"[\u00c2-\u00f4\u0e00-\u0e7f][^\x00-\x7f]*")
# Thai pages' windows-874 maps the bytes it leaves undefined as windows-1252 does (WHATWG)
_CODEPAGES = (("cp1252",), ("cp874", "cp1252"), ("latin-1",))


class Hit(NamedTuple):
    start: int
    end: int
    rule: str
    message: str
    fix: str | None


def typography(text: str, start: int, end: int, in_url) -> Iterator[Hit]:
    """Every typographic slip of the line text[start:end]; `in_url(pos)` says whether a
    position lies inside a web address (a query string's "?" is no lost character)."""
    for m in _APOSTROPHE.finditer(text, start, end):
        s, e = m.start(), m.end()
        yield Hit(s, e, "apostrophe-form", f"‘{text[s:e]}’ is not an apostrophe English writes",
                  "’" + ("s" if text[e - 1] == "s" and text[s] in "’'" else ""))
    for m in _ONE_SIDED_DASH.finditer(text, start, end):
        s, e = m.start(), m.end()
        yield Hit(s, e, "one-sided-dash",
                  f"‘{text[s:e]}’: a hyphen or dash with a space on one side only", None)
    for m in _LOST_CHARACTER.finditer(text, start, end):
        if in_url(m.start()):
            continue
        yield Hit(m.start(), m.end(), "lost-character",
                  "A question mark where the page's encoding lost a character "
                  "(a no-break space, an apostrophe, a currency sign)", None)
    for m in _NUMBER_PLURAL.finditer(text, start, end):
        word = m.group(1)
        if word.endswith(("ss", "us", "is")) or word.endswith("s") and \
                zipf(word[:-1]) < 3.0 and zipf(word[:-2]) < 3.0:
            continue                       # "10-class", "4-bus"; not the plural of a word
        yield Hit(m.start(), m.end(), "number-hyphen-plural",
                  f"‘{m.group()}’: a number joined by a hyphen to a plural noun",
                  m.group().replace("-", " ", 1))
    for m in _CLOCK_STOP.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "clock-stop", f"‘{m.group()}’ lacks its last full stop",
                  m.group() + ".")
    for m in _TWO_APOSTROPHES.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "two-apostrophes",
                  "Two apostrophes typed for a quotation mark", "\"")
    for m in _GUILLEMET_SPACE.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "guillemet-spacing",
                  "French quote marks, spaced the French way, in English copy",
                  "“" if "«" in m.group() else "”")
    yield from _numbers_and_spaces(text, start, end, in_url)
    yield from _mojibake(text, start, end)


def _numbers_and_spaces(text: str, start: int, end: int, in_url) -> Iterator[Hit]:
    for m in _DECIMAL_COMMA.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "decimal-comma",
                  f"‘{m.group()}’: a decimal comma; English writes a point",
                  m.group().replace(",", "."))
    for m in _THOUSANDS_DOT.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "thousands-dot",
                  f"‘{m.group()}’ before a count: thousands grouped with a point; English "
                  "writes a comma", m.group().replace(".", ","))
    for m in _LOST_SPACE.finditer(text, start, end):
        s = m.start()
        if in_url(s):
            continue
        mark = m.group()
        fix = (f"{text[s - 1]} {mark}{text[s + 1]}" if mark == "“" else
               f"{text[s - 1]}{mark} {text[s + 1]}")
        yield Hit(s - 1, s + 2, "lost-space",
                  f"No space {'before' if mark == '“' else 'after'} ‘{mark}’: two words run "
                  "together", fix)
    for m in _WORD_NUMBER.finditer(text, start, end):
        word = m.group()
        if set(pos_lemmas(word)) != {"VERB"} or zipf(word) < 3.0 or in_url(m.start()):
            continue                       # codes and names ("covid19", "top10", "g20"), links
        e = m.end()
        while e < end and text[e].isdigit():
            e += 1
        yield Hit(m.start(), e, "word-glued-to-number", f"‘{text[m.start():e]}’: a word glued "
                  "to a number", f"{word} {text[m.end():e]}")
    for m in _DASH_HYPHEN.finditer(text, start, end):
        yield Hit(m.start(), m.end(), "dash-doubled",
                  f"‘{m.group()}’: a dash doubled by a hyphen", m.group().replace("-", ""))


def _mojibake(text: str, start: int, end: int) -> Iterable[Hit]:
    for m in _MOJIBAKE_RUN.finditer(text, start, end):
        run = m.group()
        fixed = _decoded(run)
        if fixed is None or run in ("Â", "Ã") and text[m.end():m.end() + 1].isalpha():
            continue                       # "Âge": a capital with its accent
        yield Hit(m.start(), m.end(), "mojibake",
                  f"‘{run}’ is mojibake: UTF-8 text read with the wrong encoding", fixed)


@lru_cache(maxsize=4096)
def _decoded(run: str) -> str | None:
    """What `run` was before a code page mangled it, or None when it reads as real text.
    Letters of one script in a row ("São", "Thai words") never decode as UTF-8 once
    re-encoded; a lone "Â" or "Ã" is ftfy's verdict."""
    for pages in _CODEPAGES:
        raw = _encoded(run, pages)
        if raw is None:
            continue
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if fixed != run and all(not (0x80 <= ord(c) < 0xa0) for c in fixed) and \
                any(ord(c) > 0x7f for c in fixed):
            return fixed
    if run in ("Â", "Ã"):
        return ""
    return None


def _encoded(run: str, pages: tuple[str, ...]) -> bytes | None:
    """The bytes `run` came from under a code page (falling back char by char on the next)."""
    out = bytearray()
    for c in run:
        for cp in pages:
            try:
                out += c.encode(cp)
                break
            except UnicodeEncodeError:
                continue
        else:
            return None
    return bytes(out)
