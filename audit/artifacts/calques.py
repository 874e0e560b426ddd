"""Calques: literal renderings of foreign idioms and titles ("first minister", "informed
Reuters", "reacted Jon Finer", "American Defense Minister").

The knowledge is a lexicon (audit/data/calques.yaml) of patterns over words and word classes
(outlets, countries, speech verbs from audit/data/word_classes.yaml), each with its source
languages, fix and explanation, plus a table of title conventions per country (a US "Defense
Minister" is the Defense Secretary). Config adds entries and class members. Slots generalise
what a phrase list cannot: <Number> takes any count in digits or words ("made 11,300 dead",
"since more than twenty years"), "*ed" any past tense ("…,” hammered the minister", unless
English itself inverts that verb), "make+" every form of a verb ("made state of", "making the
object of"), "*{0,3}" a short gap ("disposed for tomorrow the closure"), and an entry's
not_before / not_after / if_near / unless_near / if_in_doc keep ordinary English out ("strike
a balance", "the balance of power", "the Hexagon" outside a French story). An entry
may file its match as grammar instead of calque: a preposition carried over from the source
("asked to the population to") is an error of English grammar to an editor.

Patterns are matched on a view of each line in which the spaces lost by fusion are put back
(token-merge's split points), so "staffinformed reuters" still shows "informed reuters"; lines
with such splits are also matched raw, in case a split was wrong ("official ism"). A rule only
runs on a document that contains one of the words every match of it needs (read off the
pattern), which keeps four hundred rules fast.
The pattern language is compiled to regular expressions by hand: it is small, and it keeps
the data file readable by editors who do not write regexes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

try:                                       # the standard library's regex parser
    import re._constants as _C
    import re._parser as _sre
except ImportError:                        # Python < 3.11
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from audit.artifacts._prefilter import first_char_guard, required_chars
from audit.artifacts._text import (LiteralIndex, calendar_words, data, detector_settings,
                                   language_name, per_doc)
from audit.artifacts.registry import Detector, DetectorSettings, check_severity, register
from audit.types import BatchContext, Document, Finding, Span

DATA = "calques.yaml"
# A calque is usually a translation artifact; a preposition carried over ("asked to the
# population to") is a grammar error of English, which is how editors file it.
# The source press's typography ("59,84 percent") is punctuation to an editor.
KINDS = ("calque", "grammar", "mistranslation", "punctuation")
CLASSES = "word_classes.yaml"
# A day of the month ("the past October 7", "the 15 of March") and a year.
_DAY = r"(?:[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)[0-9]{2}"
# A gap of any a..b words ("convened *{0,3} a table": "convened for tomorrow a table").
_GAP = re.compile(r"\*\{(\d+),(\d+)\}")
_WORD = r"[^\W_][\w'’-]*"


def _words_rx(words: Iterable[str]) -> str:
    """An alternation of listed words; a phrase matches across any white space ("a few")."""
    return "|".join(r"\s+".join(re.escape(p) for p in str(w).split()) for w in words)


@lru_cache(maxsize=1)
def _slot_words() -> dict[str, Any]:
    """The built-in slots' vocabulary (calques.yaml: slots): names' particles and courtesy
    titles, number words."""
    return data(DATA).get("slots") or {}


@lru_cache(maxsize=1)
def _honorific() -> str:
    """A courtesy title before the name ("indicated Mr. Darmanin", "said Mgr Parolin")."""
    return rf"(?:{_words_rx((_slot_words().get('name') or {}).get('honorifics') or [])})\.?"


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(str(w) for w in (_slot_words().get("name") or {}).get("not_first") or [])


@lru_cache(maxsize=1)
def _builtin() -> dict[str, str]:
    """The regular expressions of <Name>, <Number>, <Day> and <Year>."""
    name, number = _slot_words().get("name") or {}, _slot_words().get("number") or {}
    particle = rf"(?:{_words_rx(name.get('particles') or [])})"
    # A name word: "Finer", "al-Sudani", an initial "J." (a full stop after a longer word ends
    # the sentence: "…said Prokudin. Witnesses" is not one name).
    word = rf"(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|{particle}-[A-Z][\w'’]*)"
    full = rf"(?:{_honorific()}[ \t]+)?{word}(?:[ \t]+(?:{particle}[ \t]+)?{word}){{0,3}}"
    # A quantity in digits ("11,300", "30.000", "2.5 million") or words ("twenty",
    # "twenty-five", "a dozen", "hundreds"): the slot <Number> (group `number`).
    units, tens = _words_rx(number.get("units") or []), _words_rx(number.get("tens") or [])
    count = (r"(?:\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)"
             rf"(?:\s+(?:{_words_rx(number.get('digit_scales') or [])}))?"
             rf"|(?i:(?:(?:{tens})(?:[- ](?:{units}))?|{units}|{_words_rx(number.get('words') or [])})"
             rf"(?:\s+(?:{_words_rx(number.get('word_scales') or [])}))?)")
    return {"Name": full, "Number": count, "Day": _DAY, "Year": _YEAR}


class CalqueEntry(BaseModel):
    """One lexicon entry (the fields are documented at the top of calques.yaml)."""
    model_config = ConfigDict(extra="forbid")
    id: str
    pattern: str | None = None
    regex: str | None = None
    before: str | None = None
    after: str | None = None
    fix: str | None = None
    langs: list[str] = []
    explain: str = ""
    severity: str = "warning"
    if_near: list[str] = []
    unless_near: list[str] = []
    not_before: str | None = None
    not_after: str | None = None
    exclude: dict[str, str] = {}
    kind: str = "calque"
    if_in_doc: list[str] = []
    unless_in_doc: list[str] = []
    weak: bool = False

    @field_validator("regex", "before", "not_before", "not_after")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as e:
                raise ValueError(f"bad regular expression {v!r}: {e}") from None
        return v

    @field_validator("severity")
    @classmethod
    def _severity(cls, v: str) -> str:
        return check_severity(v)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {v!r}")
        return v


class CalqueSettings(DetectorSettings):
    extra_entries: list[CalqueEntry] = []
    extra_classes: dict[str, list[str]] = {}     # more members for <outlet>, <country>, ...
    disabled: list[str] = []                     # entry ids to switch off

    @model_validator(mode="after")
    def _entries_compile(self) -> "CalqueSettings":
        """Config entries must compile now, so a typo is a config error, not a crash later."""
        classes = _classes(self.extra_classes)
        for e in self.extra_entries:
            _compile_entry(e, classes)
        return self


@dataclass
class Rule:
    entry: CalqueEntry
    rx: re.Pattern
    after: re.Pattern | None
    before: re.Pattern | None
    not_after: re.Pattern | None
    not_before: re.Pattern | None
    canon: dict[str, dict[str, str]]             # class -> lower member -> standard spelling
    exclude: dict[str, frozenset[str]] = field(default_factory=dict)  # group -> words it may not be
    needs: frozenset[str] | None = None          # one of these must be in the text (lower case)
    # the match's other required words, one of each set (the rule is indexed on `needs` only)
    also: tuple[frozenset[str], ...] = ()
    # character classes the line must hold for a match (a digit, a quotation mark: see
    # _prefilter.required_chars), from the match, `after` and `before`
    chars: tuple[re.Pattern, ...] = ()


@dataclass
class Match:
    start: int
    end: int
    rule: Rule
    suggestion: str | None
    groups: dict[str, str]


# --- compiling the pattern language --------------------------------------------------------------

def _classes(extra: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    raw = dict(data(CLASSES))
    for name, members in raw.items():
        if name == "country":
            out["country"] = list(members)
            out["nationality"] = [a for adjs in members.values() for a in adjs]
        elif name != "ambiguous" and isinstance(members, list):
            out[name] = [str(m) for m in members]
    for name, members in (data(DATA).get("classes") or {}).items():
        out.setdefault(name, []).extend(str(m) for m in members)
    for name, members in extra.items():
        out.setdefault(name, []).extend(members)
    return out


def _alternation(members: list[str], case_sensitive: bool = False) -> str:
    parts = sorted({m for m in members if m}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in m.split()) for m in parts)
    return f"(?:{body})" if case_sensitive else f"(?i:{body})"


def _slot(slot: str, classes: dict[str, list[str]], used: dict[str, int]) -> str:
    alts = []
    for alt in slot.split("|"):
        if alt.startswith("<") and alt.endswith(">"):
            cls = alt[1:-1]
            group = re.sub(r"\W", "_", cls)
            used[group] = used.get(group, 0) + 1
            if used[group] > 1:
                group = f"{group}_{used[group]}"
            builtin = _builtin()
            body = builtin[cls] if cls in builtin else _alternation(classes.get(cls) or ["\0"])
            if cls not in builtin and cls not in classes:
                raise ValueError(f"unknown word class <{cls}>")
            alts.append(f"(?P<{group.lower()}>{body})")
        elif alt.startswith("*"):
            used["word"] = used.get("word", 0) + 1
            group = "word" if used["word"] == 1 else f"word_{used['word']}"
            suffix = re.escape(alt[1:])
            # "*ed": a lower-case word with that ending (a past tense, not "Fed" or "Ahmed")
            body = rf"(?-i:[a-z][a-z'’-]*{suffix})" if suffix else r"[^\W\d_][\w'’-]*"
            alts.append(rf"(?P<{group}>{body})")
        elif alt.startswith("="):
            alts.append(re.escape(alt[1:]))
        elif alt.endswith("+") and len(alt) > 1:
            alts.append(_alternation(verb_forms(alt[:-1])))
        else:
            alts.append(_alternation([alt]))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def compile_pattern(pattern: str, classes: dict[str, list[str]]) -> str:
    """'informed [to] <outlet>' -> a regular expression with named groups."""
    used: dict[str, int] = {}
    out, started = "", False
    for slot in pattern.split():
        gap = _GAP.fullmatch(slot)
        if gap:
            if not started:
                raise ValueError(f"a gap {slot} cannot open a pattern")
            out += f"(?:\\s+{_WORD}){{{gap.group(1)},{gap.group(2)}}}?"
            continue
        optional = slot.startswith("[") and slot.endswith("]")
        body = _slot(slot[1:-1] if optional else slot, classes, used)
        if not started:                  # optional slots before the first required one
            out += f"(?:{body}\\s+)?" if optional else body
            started = not optional
        else:
            out += f"(?:\\s+{body})?" if optional else f"\\s+{body}"
    return r"(?<![\w-])" + out + r"(?![\w-])"


# Irregular forms for the `verb+` slot; regular verbs are inflected by rule (verb_forms).
_IRREGULAR = "verb_forms"


@lru_cache(maxsize=2048)
def verb_forms(base: str) -> list[str]:
    """Every form of an English verb ("make+" -> make, makes, made, making). Written by hand:
    over-generation is harmless (a form that is not a word never occurs), and the irregular
    verbs news copy needs are listed in calques.yaml."""
    base = base.lower()
    table = data(DATA).get(_IRREGULAR) or {}
    if base in table:
        return [base, *table[base]]
    stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
    forms = {base, stem + "ing"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    else:
        forms.add(base + ("es" if re.search(r"(?:s|x|z|ch|sh|o)$", base) else "s"))
        forms.add(base + "d" if base.endswith("e") else base + "ed")
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", base):      # stop -> stopped, plan -> planning
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    if base.endswith("ize"):                                   # realize -> realise
        forms |= set(verb_forms(base[:-3] + "ise"))
    return sorted(forms)


def _canon(classes: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, members in classes.items():
        table = out.setdefault(name.lower(), {})
        for m in members:
            table.setdefault(re.sub(r"\s+", " ", m.lower()), m)
    return out


def _title_rules(classes: dict[str, list[str]]) -> list[CalqueEntry]:
    """Entries for titles that do not fit the country (calques.yaml: title_conventions)."""
    out = []
    for country, conv in (data(DATA).get("title_conventions") or {}).items():
        refs = _alternation(conv.get("refs") or [], case_sensitive=True)
        for office, spec in (conv.get("offices") or {}).items():
            wrong = _alternation(spec.get("wrong") or [])
            right = spec.get("right", "")
            rx = (rf"(?<![\w-])(?:(?P<ref>{refs})\s+(?P<title>{wrong})"
                  rf"|(?P<title2>{wrong})\s+of\s+(?:the\s+)?(?P<ref2>{_alternation([country])}))(?![\w-])")
            out.append(CalqueEntry(
                id=f"title-{re.sub(r'[^a-z]+', '-', country.lower())}-{office}", regex=rx,
                fix=f"{conv.get('short', country)} {right}" if right else None,
                langs=list(data(DATA).get("title_langs") or []), severity="warning",
                explain=(f"the {country} has no ‘{spec['wrong'][0]}’: the office is the {right}. "
                         + str(data(DATA).get("title_explain") or ""))))
    return out


@lru_cache(maxsize=16)
def _rules_cached(settings_json: str) -> list[Rule]:
    cfg = CalqueSettings.model_validate_json(settings_json)
    classes = _classes(cfg.extra_classes)
    canon = _canon(classes)
    entries = [CalqueEntry.model_validate(e) for e in data(DATA).get("entries") or []]
    entries += _title_rules(classes) + list(cfg.extra_entries)
    out = []
    for e in entries:
        if e.id in cfg.disabled:
            continue
        rx, after, before, not_after, not_before = _compile_entry(e, classes)
        # `exclude: {word: a|b}`: the word may be a member of none of the listed classes
        exclude = {g: frozenset(m.lower() for one in c.split("|") for m in classes.get(one, []))
                   for g, c in e.exclude.items()}
        sets = pattern_requirements(e.pattern, classes) if e.pattern else regex_requirements(rx.pattern)
        needs = _best(sets)
        # a pattern's class of phrases matches across any white space ("pointed  out"): only
        # single words are tested as substrings beside `needs`
        also = tuple(c for c in dict.fromkeys(sets) if c != needs
                     and (not e.pattern or not any(" " in w for w in c)))
        chars = tuple(dict.fromkeys(c for p in (rx, after, before) if p is not None
                                    for c in required_chars(p)))
        # the rule is read off `rx` as written; it runs with a guard on its first character
        out.append(Rule(e, first_char_guard(rx), after, before, not_after, not_before, canon,
                        exclude, needs, also, chars))
    return out


def _compile_entry(e: CalqueEntry, classes: dict[str, list[str]]
                   ) -> tuple[re.Pattern, re.Pattern | None, re.Pattern | None,
                              re.Pattern | None, re.Pattern | None]:
    """(match, after, before, not_after, not_before) regular expressions of one entry;
    ValueError names the entry."""
    if not (e.pattern or e.regex):
        raise ValueError(f"calque entry {e.id!r}: needs a `pattern` or a `regex`")
    unknown = [one for c in e.exclude.values() for one in c.split("|") if one not in classes]
    if unknown:
        raise ValueError(f"calque entry {e.id!r}: unknown word class <{unknown[0]}> in `exclude`")
    try:
        rx = re.compile(e.regex if e.regex else compile_pattern(e.pattern, classes))
        after = re.compile(r"\s+" + compile_pattern(e.after, classes).removeprefix(r"(?<![\w-])")
                           ) if e.after else None
        before = re.compile(e.before) if e.before else None
        not_after = re.compile(r"[ \t]*(?:" + e.not_after + ")") if e.not_after else None
        not_before = re.compile("(?:" + e.not_before + r")[ \t]*$") if e.not_before else None
    except (ValueError, re.error) as err:
        raise ValueError(f"calque entry {e.id!r}: {err}") from None
    return rx, after, before, not_after, not_before


# --- which words a rule's match must contain ------------------------------------------------------
# Three hundred regular expressions over every line cost more than the rest of the detector;
# most of them cannot match a given article because a word they need is absent. The words are
# read off the parsed expression (the standard library's own parser: no library does this).
_MIN_LITERAL = 3
_MAX_ALTERNATIVES = 64
_MAX_CLASS_LITERALS = 400


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (None: no such set
    found, so the rule always runs)."""
    return _best(regex_requirements(pattern))


def regex_requirements(pattern: str) -> list[frozenset[str]]:
    """Every set of lower-case strings one of which each match of `pattern` contains."""
    try:
        parsed = _sre.parse(pattern)
    except Exception:                      # an expression the parser rejects never matches
        return []
    return _sequence(list(parsed))


def pattern_literals(pattern: str, classes: dict[str, list[str]] | None = None
                     ) -> frozenset[str] | None:
    """The same for the pattern language, read off its literal slots (cheaper than parsing the
    compiled expression, whose word classes are long alternations). With `classes`, a word
    class slot (<speech_verb>) needs one of its members: the rules that start on a class
    otherwise ran on every line."""
    return _best(pattern_requirements(pattern, classes))


def pattern_requirements(pattern: str, classes: dict[str, list[str]] | None = None
                         ) -> list[frozenset[str]]:
    """Every required slot's words, one set per slot (see pattern_literals)."""
    cands = []
    for slot in pattern.split():
        if slot.startswith("[") or _GAP.fullmatch(slot):
            continue
        words: set[str] = set()
        for alt in slot.split("|"):
            members = (classes or {}).get(alt[1:-1]) if alt.startswith("<") else None
            if members and len(members) <= _MAX_CLASS_LITERALS:
                words |= {re.sub(r"\s+", " ", str(m).lower()) for m in members}
                continue
            if alt.startswith(("<", "*")):
                words = set()
                break
            if alt.endswith("+") and len(alt) > 1:
                words |= set(verb_forms(alt[:-1]))
            else:
                words.add(alt.lstrip("=").lower())
        if words and min(map(len, words)) >= _MIN_LITERAL:
            cands.append(frozenset(words))
    return cands


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    return max(cands, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _pure(items: list) -> set[str] | None:
    """The strings a piece of pattern spells if it is only literals and alternations."""
    out = {""}
    for op, av in items:
        if op is _C.LITERAL:
            out = {s + chr(av).lower() for s in out}
        elif op is _C.SUBPATTERN:
            inner = _pure(list(av[-1]))
            if inner is None:
                return None
            out = {s + t for s in out for t in inner}
        elif op is _C.BRANCH:
            alts = [_pure(list(b)) for b in av[1]]
            if any(a is None for a in alts):
                return None
            out = {s + t for s in out for a in alts for t in a}
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        else:
            return None
        if len(out) > _MAX_ALTERNATIVES:
            return None
    return out


def _sequence(items: list) -> list[frozenset[str]]:
    """Candidate requirements of a sequence: each a set of strings one of which must occur."""
    cands: list[frozenset[str]] = []
    run: set[str] = {""}

    def close() -> None:
        nonlocal run
        if run and min(map(len, run)) >= _MIN_LITERAL:
            cands.append(frozenset(run))
        run = {""}

    for op, av in items:
        pure = _pure([(op, av)]) if op in (_C.LITERAL, _C.SUBPATTERN, _C.BRANCH) else None
        if pure is not None and len(run) * len(pure) <= _MAX_ALTERNATIVES:
            run = {s + t for s in run for t in pure}
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue                       # zero-width: the literal run goes on
        elif op is _C.SUBPATTERN:
            close()
            cands += _sequence(list(av[-1]))
        elif op is _C.BRANCH:
            close()
            per_branch = [_best(_sequence(list(b))) for b in av[1]]
            if all(per_branch):
                cands.append(frozenset().union(*per_branch))  # type: ignore[arg-type]
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            close()
            if av[0] >= 1:
                cands += _sequence(list(av[2]))
        else:
            close()
    close()
    return cands


def rules(cfg: CalqueSettings | None = None) -> list[Rule]:
    return _rules_cached((cfg or CalqueSettings()).model_dump_json())


@lru_cache(maxsize=16)
def _literal_index(settings_json: str) -> LiteralIndex:
    return LiteralIndex(w for r in _rules_cached(settings_json)
                        for c in (r.needs or (), *r.also) for w in c)


@lru_cache(maxsize=16)
def _rules_by_word(settings_json: str) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Required word -> positions of the rules that need it, and the rules that need none:
    the rules a text may match are looked up from its words, not tested one by one (some
    thousand rules, a set test each, per article and again per line)."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for i, r in enumerate(_rules_cached(settings_json)):
        if r.needs is None:
            always.append(i)
        for w in r.needs or ():
            by_word.setdefault(w, []).append(i)
    return {w: tuple(ix) for w, ix in by_word.items()}, tuple(always)


def _has_all(rule: Rule, present: frozenset[str]) -> bool:
    """One word of each of the rule's other required sets is present. Testing only `needs`
    left a rule such as "on the set of" (needs "the") running on every line: with all its
    sets, the regular expressions run on a third fewer lines, 30% less matching time
    (bench_detectors' two articles)."""
    return all(not c.isdisjoint(present) for c in rule.also)


def _candidates(settings_json: str, present: frozenset[str]) -> list[int]:
    """Positions, in rule order, of the rules with no required word or one in `present` (the
    same rules, in the same order, as testing each rule's words)."""
    by_word, always = _rules_by_word(settings_json)
    got = set(always)
    for w in present:
        got.update(by_word.get(w, ()))
    return sorted(got)


# --- matching -----------------------------------------------------------------------------------

def _virtual(doc: Document, ctx: BatchContext) -> tuple[str, Sequence[int]]:
    """The text with the spaces lost by fusion put back, and a map from its offsets to raw ones."""
    from audit.artifacts.tokens import TokenMergeSettings, find_merges
    cfg = detector_settings(ctx.settings, "token-merge", TokenMergeSettings)
    cuts = sorted(c for m in find_merges(doc, ctx.docs, cfg) if m.rule in ("hump", "fused")
                  for c in m.cuts)
    if not cuts:
        return doc.text, range(len(doc.text) + 1)
    parts, index, prev = [], [], 0
    for c in cuts:
        parts.append(doc.text[prev:c])
        index.extend(range(prev, c))
        parts.append(" ")
        index.append(c)
        prev = c
    parts.append(doc.text[prev:])
    index.extend(range(prev, len(doc.text) + 1))
    return "".join(parts), index


class _Same:
    """The offset map of a text with no spaces put back: every offset maps to itself."""

    def __getitem__(self, k: int) -> int:
        return k

    def get(self, k: int, default: int | None = None) -> int:
        return k


def _doc_ok(e: CalqueEntry, text: str) -> bool:
    """An entry's document-wide context: a word the story must (if_in_doc) or must not
    (unless_in_doc) contain ("the Hexagon" is mainland France only in a French story)."""
    if e.if_in_doc and not _near(e.if_in_doc, text):
        return False
    return not (e.unless_in_doc and _near(e.unless_in_doc, text))


def _near(words: list[str], text: str) -> bool:
    return _near_rx(tuple(words)).search(text) is not None


@lru_cache(maxsize=4096)
def _near_rx(words: tuple[str, ...]) -> re.Pattern:
    """One compiled alternation per word list (compiling per line cost a third of the scan)."""
    return first_char_guard(
        re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(w) for w in words)})(?![\w-])", re.I))


def _fill(rule: Rule, m: re.Match) -> tuple[str | None, dict[str, str]]:
    groups = {k: v for k, v in m.groupdict().items() if v}
    fix = rule.entry.fix
    if fix is None:
        return None, groups
    values: dict[str, str] = {}
    for k, v in groups.items():
        base = re.sub(r"_\d+$", "", k)
        norm = re.sub(r"\s+", " ", v.lower())
        values[k] = rule.canon.get(base, {}).get(norm, re.sub(r"\s+", " ", v))
    try:
        return re.sub(r"\s+", " ", fix.format_map(_Default(values))).strip(), groups
    except (ValueError, IndexError):
        return fix, groups


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return ""


def find_calques(doc: Document, ctx: BatchContext, cfg: CalqueSettings | None = None
                 ) -> list[Match]:
    """All lexicon matches in the document's non-noise lines, longest first where they overlap."""
    cfg = cfg or CalqueSettings()

    def make() -> list[Match]:
        if (doc.lang or "en") != "en":
            return []
        vtext, index = _virtual(doc, ctx)
        # no fused words (most articles): the view is the text, offsets map to themselves
        back = _Same() if isinstance(index, range) else {raw: v for v, raw in enumerate(index)}
        lines = [ln for ln in doc.lines if not doc.is_noise(ln.start, ln.end)]
        # a split can be wrong ("officialism" read as "official ism"): lines with splits are
        # scanned raw too, so the words token-merge cut apart are still seen whole
        cut = [ln for ln in lines if back[ln.end] - back[ln.start] != ln.end - ln.start]
        low = vtext.lower() + " " + " ".join(doc.text[ln.start:ln.end].lower() for ln in cut)
        lits = _literal_index(key)       # the settings' JSON once per article, not per line
        present = lits.present(low)
        every = _rules_cached(key)
        active = [i for i in _candidates(key, present)
                  if _has_all(every[i], present) and _doc_ok(every[i].entry, doc.text)]
        found = _scan(doc, vtext, index, back, lines, active, lits, key)
        if cut:
            raw = range(len(doc.text) + 1)
            found += _scan(doc, doc.text, raw, {i: i for i in raw}, cut, active, lits, key)
        return _unless_alone(_dedupe(found))

    key = cfg.model_dump_json()
    return per_doc(f"calques:{key}", doc, make)


def _scan(doc: Document, text: str, index: Sequence[int], back: dict[int, int],
          lines: list[Span], active: list[int], lits: LiteralIndex, key: str) -> list[Match]:
    """Matches of the active rules (positions in the rule list) on some lines of one view of
    the text (raw, or with fusions split); `index` maps the view's offsets to raw ones and
    `back` raw offsets to the view's."""
    found: list[Match] = []
    every = _rules_cached(key)
    on = set(active)
    for ln in lines:
        vs, ve = back.get(ln.start, ln.start), back.get(ln.end, ln.end)
        line_raw = doc.text[ln.start:ln.end]
        view = text[vs:ve]
        here = lits.present(view.lower())
        has: dict[str, bool] = {}        # character class -> on this line (shared by rules)
        # the active rules with a word on this line (a word every match needs), in rule order
        for i in _candidates(key, here):
            rule = every[i]
            if i not in on or not _has_all(rule, here) or not _has_chars(rule, view, has):
                continue
            e = rule.entry
            if e.if_near and not _near(e.if_near, line_raw):
                continue
            if e.unless_near and _near(e.unless_near, line_raw):
                continue
            for m in rule.rx.finditer(text, vs, ve):
                if not _context_ok(rule, m, text, vs, ve):
                    continue
                start, end = index[m.start()], index[m.end() - 1] + 1
                while start < end and doc.text[start].isspace():
                    start += 1
                while end > start and doc.text[end - 1].isspace():
                    end -= 1
                if start >= end:
                    continue
                fix, groups = _fill(rule, m)
                found.append(Match(start, end, rule, fix, groups))
    return found


def _has_chars(rule: Rule, view: str, has: dict[str, bool]) -> bool:
    """The line holds a character of each class the rule's match needs (a rule needing a digit
    skips lines without one). The five rules with no required word ran on every line, 40% of
    the matching time on bench_detectors' articles."""
    for c in rule.chars:
        got = has.get(c.pattern)
        if got is None:
            got = has[c.pattern] = c.search(view) is not None
        if not got:
            return False
    return True


def _context_ok(rule: Rule, m: re.Match, vtext: str, vs: int, ve: int) -> bool:
    """The entry's conditions on what surrounds the match (after, before, not_after,
    not_before), on the name it caught, and on the words it may not catch (exclude)."""
    if rule.after and not rule.after.match(vtext, m.end(), ve):
        return False
    if rule.not_after and rule.not_after.match(vtext, m.end(), ve):
        return False
    head = vtext[vs:m.start()]
    if rule.before and not rule.before.search(head):
        return False
    if rule.not_before and rule.not_before.search(head):
        return False
    groups = m.groupdict()
    name = re.sub(rf"^{_honorific()}\s+", "", groups.get("name") or "")
    if name and name.split()[0].rstrip(".") in _not_names() | calendar_words():
        return False
    return not any((groups.get(g) or "").lower() in words for g, words in rule.exclude.items())


def _unless_alone(found: list[Match]) -> list[Match]:
    """Weak entries (renderings an agency's own English uses) count only beside a strong one:
    AFP's English "anti-jihadist coalition" is house style, the same words in a text with
    other calques are the translation's. (A strong entry of the same family: see `_family`.)"""
    strong = {_family(m.rule.entry) for m in found if not m.rule.entry.weak}
    return [m for m in found if not m.rule.entry.weak or _family(m.rule.entry) in strong]


def _family(e: CalqueEntry) -> str:
    """A weak entry needs a strong one of its own family: a spinner's doubtful swaps
    ('successful' for 'in') count only beside an unmistakable swap ('nan' for 'the'), not beside
    a translation calque."""
    return "spinner" if e.id.startswith("spun-") else "translation"


def _dedupe(found: list[Match]) -> list[Match]:
    """Longest first; a match that overlaps a kept one is the same calque seen twice, unless
    the two only share a word at their edges ("in execution of an order" and "order ...
    emitted": two calques)."""
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Match] = []
    for m in found:
        if not any(_same_calque(m, k) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _same_calque(a: Match, b: Match) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return False
    inside = (a.start >= b.start and a.end <= b.end) or (b.start >= a.start and b.end <= a.end)
    return inside or shared >= 0.4 * min(a.end - a.start, b.end - b.start)


def recased_spans(doc: Document, ctx: BatchContext) -> list[Span]:
    """Words inside a calque that its fix recases or replaces ("informed reuters" -> "told
    Reuters", "first minister" -> "Prime Minister"): the casing detector leaves these to the
    calque fix, and still judges the words the fix keeps as written ("asked to the Rsf to")."""
    cfg = detector_settings(ctx.settings, "calques", CalqueSettings)
    out = []
    for m in find_calques(doc, ctx, cfg):
        kept = set(re.findall(r"[\w'’-]+", m.suggestion or ""))
        for w in re.finditer(r"[\w'’-]+", doc.text[m.start:m.end]):
            if w.group() not in kept:
                out.append(Span(m.start + w.start(), m.start + w.end()))
    return out


@register("calques")
class Calques(Detector):
    Settings = CalqueSettings
    order = 25

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        from audit.learn.weights import lexicon_verdict
        found = find_calques(doc, ctx, self.settings)
        for m in found:
            e = m.rule.entry
            # the learned weights never drop a lexicon match; they grade it and say why
            severity, learned = lexicon_verdict(doc, m, found, e.severity)
            yield Finding.at(
                doc, m.start, m.end, e.kind, severity,  # type: ignore[arg-type]
                _message(e), self.name,
                suggestion=m.suggestion,
                evidence={"rule": e.id, "source_langs": list(e.langs), "matched": m.groups,
                          "explain": e.explain, **learned})


def _message(e: CalqueEntry) -> str:
    if e.id.startswith("title-"):
        return f"A title that does not fit the country: {e.explain}"
    if not e.langs and e.kind == "mistranslation":
        return f"A word swapped by a synonym spinner: {e.explain}"
    langs = [language_name(code) for code in e.langs[:3]]
    where = " or ".join(langs) if langs else "another language"
    if e.kind == "grammar":
        return f"A {where} construction carried over into English: {e.explain}"
    if e.kind == "punctuation":
        return f"Typography of the {where} press carried over into English: {e.explain}"
    return f"Literal translation from {where}: {e.explain}"
