"""Calques: literal renderings of foreign idioms and titles ("first minister", "informed
Reuters", "reacted Jon Finer", "American Defense Minister").

The knowledge is a lexicon (audit/data/calques.yaml) of patterns over words and word classes
(outlets, countries, speech verbs from audit/data/word_classes.yaml), each with its source
languages, fix and explanation, plus a table of title conventions per country (a US "Defense
Minister" is the Defense Secretary). Config adds entries and class members. Slots generalise
what a phrase list cannot: <Number> takes any count in digits or words ("made 11,300 dead",
"since more than twenty years"), "*ed" any past tense ("…,” hammered the minister", unless
English itself inverts that verb), and an entry's not_before / not_after / if_near /
unless_near keep ordinary English out ("strike a balance", "the balance of power"). An entry
may file its match as grammar instead of calque: a preposition carried over from the source
("asked to the population to") is an error of English grammar to an editor.

Patterns are matched on a view of each line in which the spaces lost by fusion are put back
(token-merge's split points), so "staffinformed reuters" still shows "informed reuters".
The pattern language is compiled to regular expressions by hand: it is small, and it keeps
the data file readable by editors who do not write regexes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from audit.artifacts._text import data, detector_settings, per_doc
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding, Span

DATA = "calques.yaml"
# A calque is usually a translation artifact; a preposition carried over ("asked to the
# population to") is a grammar error of English, which is how editors file it.
KINDS = ("calque", "grammar", "mistranslation")
CLASSES = "word_classes.yaml"
_PARTICLE = r"(?:al|el|as|ad|ar|an|bin|ibn|bint|abu|de|del|della|da|di|du|van|von|der|dos|le|la)"
# A name word: "Finer", "al-Sudani", an initial "J." (a full stop after a longer word ends the
# sentence: "…said Prokudin. Witnesses" is not one name).
_NAME_WORD = rf"(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|{_PARTICLE}-[A-Z][\w'’]*)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,3}}"
# A quantity in digits ("11,300", "30.000", "2.5 million") or words ("twenty", "twenty-five",
# "a dozen", "hundreds"): the slot <Number> (group `number`).
_UNITS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          "fifteen|sixteen|seventeen|eighteen|nineteen")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER = (r"(?:\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)(?:\s+(?:million|billion|thousand|hundred))?"
           rf"|(?i:(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|a\s+hundred|a\s+thousand|a\s+dozen"
           r"|dozens|hundreds|thousands|tens|several|a\s+few|many)(?:\s+(?:hundred|thousand|million))?)")
_BUILTIN = {"Name": _NAME, "Number": _NUMBER}
_NOT_NAMES = {"In", "The", "A", "An", "And", "But", "On", "At", "For", "Of", "To", "With", "By",
              "It", "He", "She", "They", "We", "This", "That", "These", "Those", "His", "Her",
              "Its", "Their", "Mr", "Mrs", "Ms", "Dr"}


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
        if v not in ("info", "warning", "error"):
            raise ValueError(f"severity must be info, warning or error, not {v!r}")
        return v

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
            body = _BUILTIN[cls] if cls in _BUILTIN else _alternation(classes.get(cls) or ["\0"])
            if cls not in _BUILTIN and cls not in classes:
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
        else:
            alts.append(_alternation([alt]))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def compile_pattern(pattern: str, classes: dict[str, list[str]]) -> str:
    """'informed [to] <outlet>' -> a regular expression with named groups."""
    used: dict[str, int] = {}
    pieces = []
    for slot in pattern.split():
        optional = slot.startswith("[") and slot.endswith("]")
        pieces.append((_slot(slot[1:-1] if optional else slot, classes, used), optional))
    out, started = "", False
    for body, optional in pieces:
        if not started:                  # optional slots before the first required one
            out += f"(?:{body}\\s+)?" if optional else body
            started = not optional
        else:
            out += f"(?:\\s+{body})?" if optional else f"\\s+{body}"
    return r"(?<![\w-])" + out + r"(?![\w-])"


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
                langs=["fr", "es", "it", "pt", "de", "ru", "ar"], severity="warning",
                explain=(f"the {country} has no ‘{spec['wrong'][0]}’: the office is the {right}. "
                         "Other countries' title for the office was carried over in translation "
                         "(French 'ministre américain de la Défense', Spanish 'ministro de Defensa "
                         "estadounidense').")))
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
        exclude = {g: frozenset(m.lower() for m in classes.get(c, [])) for g, c in e.exclude.items()}
        out.append(Rule(e, rx, after, before, not_after, not_before, canon, exclude))
    return out


def _compile_entry(e: CalqueEntry, classes: dict[str, list[str]]
                   ) -> tuple[re.Pattern, re.Pattern | None, re.Pattern | None,
                              re.Pattern | None, re.Pattern | None]:
    """(match, after, before, not_after, not_before) regular expressions of one entry;
    ValueError names the entry."""
    if not (e.pattern or e.regex):
        raise ValueError(f"calque entry {e.id!r}: needs a `pattern` or a `regex`")
    unknown = [c for c in e.exclude.values() if c not in classes]
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


def rules(cfg: CalqueSettings | None = None) -> list[Rule]:
    return _rules_cached((cfg or CalqueSettings()).model_dump_json())


# --- matching -----------------------------------------------------------------------------------

def _virtual(doc: Document, ctx: BatchContext) -> tuple[str, list[int]]:
    """The text with the spaces lost by fusion put back, and a map from its offsets to raw ones."""
    from audit.artifacts.tokens import TokenMergeSettings, find_merges
    cfg = detector_settings(ctx.settings, "token-merge", TokenMergeSettings)
    cuts = sorted(c for m in find_merges(doc, ctx.docs, cfg) if m.rule in ("hump", "fused")
                  for c in m.cuts)
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


def _near(words: list[str], text: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I) for w in words)


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
        back = {raw: v for v, raw in enumerate(index)}
        found: list[Match] = []
        for ln in doc.lines:
            if doc.is_noise(ln.start, ln.end):
                continue
            vs, ve = back.get(ln.start, ln.start), back.get(ln.end, ln.end)
            line_raw = doc.text[ln.start:ln.end]
            for rule in rules(cfg):
                e = rule.entry
                if e.if_near and not _near(e.if_near, line_raw):
                    continue
                if e.unless_near and _near(e.unless_near, line_raw):
                    continue
                for m in rule.rx.finditer(vtext, vs, ve):
                    if not _context_ok(rule, m, vtext, vs, ve):
                        continue
                    start, end = index[m.start()], index[m.end() - 1] + 1
                    while start < end and doc.text[start].isspace():
                        start += 1
                    if start >= end:
                        continue
                    fix, groups = _fill(rule, m)
                    found.append(Match(start, end, rule, fix, groups))
        return _dedupe(found)

    return per_doc(f"calques:{cfg.model_dump_json()}", doc, make)


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
    name = groups.get("name")
    if name and name.split()[0].rstrip(".") in _NOT_NAMES | _calendar():
        return False
    return not any((groups.get(g) or "").lower() in words for g, words in rule.exclude.items())


@lru_cache(maxsize=1)
def _calendar() -> frozenset[str]:
    d = data(CLASSES)
    return frozenset((d.get("weekday") or []) + (d.get("month") or []))


def _dedupe(found: list[Match]) -> list[Match]:
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Match] = []
    for m in found:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def calque_spans(doc: Document, ctx: BatchContext) -> list[Span]:
    """Where the calque lexicon matched."""
    cfg = detector_settings(ctx.settings, "calques", CalqueSettings)
    return [Span(m.start, m.end) for m in find_calques(doc, ctx, cfg)]


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
        for m in find_calques(doc, ctx, self.settings):
            e = m.rule.entry
            yield Finding.at(
                doc, m.start, m.end, e.kind, e.severity,  # type: ignore[arg-type]
                _message(e), self.name,
                suggestion=m.suggestion,
                evidence={"rule": e.id, "source_langs": list(e.langs), "matched": m.groups,
                          "explain": e.explain})


def _message(e: CalqueEntry) -> str:
    if e.id.startswith("title-"):
        return f"A title that does not fit the country: {e.explain}"
    names = data(DATA).get("language_names") or {}
    langs = [names.get(code, code) for code in e.langs[:3]]
    where = " or ".join(langs) if langs else "another language"
    if e.kind == "grammar":
        return f"A {where} construction carried over into English: {e.explain}"
    return f"Literal translation from {where}: {e.explain}"
