"""Which of many regular expressions can match a text at all, in one pass over it.

Feature extractors run some hundred patterns over every article (provenance_profile.yaml), and
most of them find nothing: each `finditer` still walks the whole text, about 40 % of the
provenance step on the real dev fold. Every pattern here is read once for the literal words
one of which each of its matches must contain (the longest such set in its top-level
sequence: "\\b(?:moreover|furthermore)\\b" needs "moreover" or "furthermore"); one
pyahocorasick pass over the case-folded text says which of those words occur, and a pattern
none of whose words occurs is skipped, its result known to be empty. Patterns with no such
words (a lone character class) always run. Written by hand because the `re` module does not
expose its literal prefixes and no maintained library reads required words off Python
patterns; results are unchanged by construction (a skipped pattern cannot match).

Case: words and text are compared after the fold `re` itself applies under IGNORECASE
(`_sre.unicode_tolower` plus its extra equivalences, "ſ" ~ "s"), one character for one, so a
word of a case-sensitive pattern is found whenever the pattern could match too.
"""
from __future__ import annotations

import re
import re._parser as sre_parse  # noqa: PLC2701 - the parser is the only reader of a pattern's parts
from functools import lru_cache
from typing import Iterable

import _sre
from re import _casefix

from audit.artifacts._text import LiteralIndex

_C = sre_parse
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT))


def _canon(cp: int) -> int:
    lo = _sre.unicode_tolower(cp)
    return min((lo, *_casefix._EXTRA_CASES.get(lo, ())))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    """Code point -> its representative under IGNORECASE, for the code points it changes
    (every cased script lies below U+20000; only characters with a case mapping, or in re's
    extra equivalences, can change: _canon of each of 131,072 code points took 0.3 s)."""
    extra = {x for lo, others in _casefix._EXTRA_CASES.items() for x in (lo, *others)}
    cased = [cp for cp in range(0x20000) if (ch := chr(cp)).lower() != ch or ch.upper() != ch]
    return {cp: c for cp in sorted(extra.union(cased)) if (c := _canon(cp)) != cp}


def _full_fold_table() -> dict[int, int]:
    """The table by brute force over every code point (tests check the two agree)."""
    return {cp: c for cp in range(0x20000) if (c := _canon(cp)) != cp}


def fold(text: str) -> str:
    return text.translate(_fold_table())


def required_words(pattern: re.Pattern) -> frozenset[str] | None:
    """Folded words one of which every match of `pattern` contains; None when none is known."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:            # a pattern the private parser reads differently: always run
        return None
    got = _sequence(list(parsed))
    return frozenset(fold(w) for w in got) if got else None


def _sequence(items: list) -> set[str] | None:
    """The best required-word set of a sequence: literal runs, and items that must occur."""
    options: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _C.LITERAL and chr(av) not in "Σσς":      # final sigma lowers by context
            run.append(chr(av))
            continue
        if op is _C.AT:
            continue                   # zero width: the literals around it stay adjacent
        flush()
        got: set[str] | None = None
        if op is _C.SUBPATTERN:
            got = _sequence(list(av[-1]))
        elif op is _C.BRANCH:
            alts = [_sequence(list(a)) for a in av[1]]
            got = set().union(*alts) if alts and all(alts) else None   # type: ignore[arg-type]
        elif op is _C.IN and av and all(o is _C.LITERAL and chr(c) not in "Σσς" for o, c in av):
            got = {chr(c) for _, c in av}          # [«»], (?:é|è|ê): one of a few characters
        elif op in _REPEATS and av[0] >= 1:
            got = _sequence(list(av[2]))
        if got:
            options.append(got)
    flush()
    if not options:
        return None
    return max(options, key=lambda s: (min(len(w) for w in s), -len(s)))


class PatternFilter:
    """Says, for one text, which of a fixed list of patterns may match it."""

    def __init__(self, patterns: Iterable[re.Pattern]) -> None:
        self._needs = {id(p): required_words(p) for p in patterns}
        self._index = LiteralIndex(w for words in self._needs.values() for w in words or ())

    def present(self, text: str) -> frozenset[str]:
        """The patterns' required words in `text` (compute once per text)."""
        return self._index.present(fold(text))

    def may_match(self, pattern: re.Pattern, present: frozenset[str]) -> bool:
        needs = self._needs.get(id(pattern))
        return needs is None or not needs.isdisjoint(present)


# --- characters a match needs ----------------------------------------------------------------------
# Rules with no required word (calques' "*ed … the <speaker>", "the 30 percent of", clock
# times) ran on every line; most of them need a digit, or a quotation mark before them, that
# most lines lack. A search for a character class is a C loop over the line.

# Too common to say anything about a line (and letters, which case folding complicates).
_COMMON = frozenset(" \t\n\r,.-'")


def _atom(op, av) -> str | None:
    """One member of a character class as class syntax, or None when it is not one we test
    (a letter, a common character, a negation, a category other than digits)."""
    if op is _C.LITERAL:
        ch = chr(av)
        if ch in _COMMON or ch.lower() != ch or ch.upper() != ch or ch.isalpha() \
                or _sre.unicode_tolower(av) != av or av in _casefix._EXTRA_CASES:
            return None
        return re.escape(ch)
    if op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
        return r"\d"
    return None


def _char_class(op, av) -> frozenset[str] | None:
    """The atoms of an item that matches one character, when all of them are testable."""
    if op is _C.LITERAL or op is _C.CATEGORY:
        a = _atom(op, av)
        return frozenset([a]) if a else None
    if op is _C.IN:
        atoms = [_atom(o, v) for o, v in av]
        return frozenset(atoms) if atoms and all(atoms) else None    # type: ignore[arg-type]
    return None


def _char_needs(items: list) -> list[frozenset[str]]:
    """Sets of class atoms of which every match of the sequence contains one character each."""
    out: list[frozenset[str]] = []
    for op, av in items:
        got = _char_class(op, av)
        if got:
            out.append(got)
        elif op is _C.SUBPATTERN:
            out += _char_needs(list(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            out += _char_needs(list(av[2]))
        elif op is _C.BRANCH:
            per = [_char_needs(list(b)) for b in av[1]]
            if per and all(per):
                out.append(frozenset().union(*(min(p, key=len) for p in per)))
    return out


def required_chars(pattern: re.Pattern) -> tuple[re.Pattern, ...]:
    """Character-class searches every stretch of text holding a match of `pattern` passes
    (each a digit, a quotation mark, a '%' ... the pattern cannot match without): a text
    failing one cannot match. Empty when none is known. Only characters without case are
    tested, and `\\d` keeps the pattern's ASCII flag, so the test agrees with the pattern."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:                  # a pattern the private parser reads differently: no test
        return ()
    ascii_flag = pattern.flags & re.ASCII
    return tuple(dict.fromkeys(re.compile("[" + "".join(sorted(s)) + "]", ascii_flag)
                               for s in _char_needs(list(parsed))))


# --- a guard on a match's first character ------------------------------------------------------------
# `re` skips ahead to where a match can start only when the pattern opens on a literal or a
# plain character class; an expression that opens on \b or a lookbehind followed by a long
# alternation ("\b(?:Spain|Spanish|Madrid|...)", "(?<![\w-])(?:informed|indicated|...)")
# tries every alternative at every position. A lookahead holding the characters a match can
# start with is one class test per position: 790 -> 160 us for the first `places` pattern of
# provenance_profile.yaml on bench_detectors' article. Written by hand: `re` has no such
# optimisation and no maintained library adds one to a Python pattern.

_CATEGORIES = {_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_NOT_DIGIT: r"\D", _C.CATEGORY_SPACE: r"\s",
               _C.CATEGORY_NOT_SPACE: r"\S", _C.CATEGORY_WORD: r"\w", _C.CATEGORY_NOT_WORD: r"\W"}


class _Unknown(Exception):
    """The first character of a match cannot be read off this piece of pattern."""


def _class_item(op, av) -> str:
    if op is _C.LITERAL:
        return re.escape(chr(av))
    if op is _C.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    if op is _C.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise _Unknown


def _one_char(op, av) -> tuple[bool, str]:
    """(negated, class body) of an item that matches one character."""
    if op is _C.LITERAL:
        return False, re.escape(chr(av))
    if op is _C.NOT_LITERAL:
        return True, re.escape(chr(av))
    negated = bool(av) and av[0][0] is _C.NEGATE
    return negated, "".join(_class_item(o, v) for o, v in (av[1:] if negated else av))


def _firsts(items: list, fold: bool) -> tuple[list[tuple[bool, bool, str]], bool]:
    """The classes (case-folded?, negated?, body) the first character of a match of the
    sequence belongs to, and whether the sequence can match nothing at all."""
    out: list[tuple[bool, bool, str]] = []
    for op, av in items:
        got, empty = _first_of(op, av, fold)
        out += got
        if not empty:
            return out, False
    return out, True


def _first_of(op, av, fold: bool) -> tuple[list[tuple[bool, bool, str]], bool]:
    if op in (_C.LITERAL, _C.NOT_LITERAL, _C.IN):
        return [(fold, *_one_char(op, av))], False
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
        return [], True                                  # zero width: look further
    if op is _C.SUBPATTERN:
        _, add, remove, sub = av
        if (add | remove) & ~re.IGNORECASE:
            raise _Unknown
        return _firsts(list(sub), (fold or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
    if op is _C.BRANCH:
        out, empty = [], False
        for alt in av[1]:
            got, e = _firsts(list(alt), fold)
            out += got
            empty = empty or e
        return out, empty
    if op in _REPEATS:
        got, empty = _firsts(list(av[2]), fold)
        return got, empty or av[0] == 0
    raise _Unknown                                       # any character, a back reference...


def _guard(classes: list[tuple[bool, bool, str]]) -> str:
    """The lookahead: plain classes of one case mode merged, each piece in its case mode."""
    pieces: list[str] = []
    for fold in (False, True):
        plain = "".join(dict.fromkeys(b for f, n, b in classes if f == fold and not n))
        negated = [b for f, n, b in classes if f == fold and n]
        parts = ([f"[{plain}]"] if plain else []) + [f"[^{b}]" for b in dict.fromkeys(negated)]
        if parts:
            pieces.append(("(?i:" if fold else "(?-i:") + "|".join(parts) + ")")
    return "(?=" + "|".join(pieces) + ")"


_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))*")


@lru_cache(maxsize=4096)
def first_char_guard(pattern: re.Pattern) -> re.Pattern:
    """`pattern` with a lookahead on the characters its matches start with, when `re` would
    otherwise try it at every position; the same matches, groups and spans (an empty match
    has no first character: such patterns, and those `re` already skips ahead for, come back
    as they are)."""
    import re._compiler as sre_compile  # noqa: PLC2701 - the prefixes `re` itself would use
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if sre_compile._get_literal_prefix(parsed, pattern.flags)[0] \
                or sre_compile._get_charset_prefix(parsed, pattern.flags):
            return pattern
        classes, empty = _firsts(list(parsed), bool(pattern.flags & re.IGNORECASE))
        if empty or not classes:
            return pattern
        lead = _GLOBAL_FLAGS.match(pattern.pattern).group()
        body = pattern.pattern[len(lead):]
        end = "\n)" if pattern.flags & re.VERBOSE else ")"      # a trailing comment stays one
        return re.compile(f"{lead}{_guard(classes)}(?:{body}{end}", pattern.flags)
    except (_Unknown, re.error, RecursionError):
        return pattern
