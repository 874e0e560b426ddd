"""MT grammar: the grammar of the source language showing through an English translation.

Machine translation from French, Spanish, Italian and Portuguese keeps the source's
prepositions ("discuss about", "depend of"), articles ("the Iraq said", "the its president"),
adjective order ("the forces American"), agreement ("the people was", "these advices"),
comparatives ("more strong than") and subject-less sentences ("Is necessary to act"). The
rules are data (audit/data/mt_grammar.yaml): regular expressions over words and word classes,
each with its source languages, fix and explanation; config adds and disables rules.

Written by hand because no shipped English tagger is trustworthy here (stack.md: no spaCy
model on PyPI we can vouch for; language-tool needs a Java server from GitHub). Instead of
parts of speech the rules use small hand-written word classes (the nouns a nationality may
follow, the countries that take "the", uncountable nouns) and check what stands around the
match, so that the English readings ("married with two children", "interested to hear",
"the Iraq war", "make the most of") stay unflagged. Precision comes first: rules an English
writer could trip over themselves are `weak` and only fire in a document that shows another
translation artifact. Where a calque entry (calques.yaml) matches the same words, the calque
finding is the one reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from audit.artifacts._text import (LiteralIndex, context_before, data, detector_settings,
                                   language_name, line_is_headline)
from audit.artifacts.registry import Detector, DetectorSettings, check_severity, register
from audit.types import BatchContext, Document, Finding, Span

DATA = "mt_grammar.yaml"
CLASSES = "word_classes.yaml"
GROUPS = ("preposition", "article", "order", "agreement", "comparative", "subject")
_SLOT = re.compile(r"<<(\w+)>>")
_FIELD = re.compile(r"\{(?:(a):)?(\w+)(?:\|(lower))?\}")
_SENTENCE_START = ("line", "sentence", "quote")


class MtRule(BaseModel):
    """One rule of mt_grammar.yaml (the fields are documented at the top of that file)."""
    model_config = ConfigDict(extra="forbid")
    id: str
    group: str
    regex: str
    case: str = "insensitive"
    before: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    exclude: dict[str, list[str]] = {}
    sentence_start: bool = False
    fix: str | None = None
    fix_map: str | dict[str, Any] | None = None
    langs: list[str] = []
    message: str = ""
    explain: str = ""
    severity: str = "warning"
    weak: bool = False
    kind: str = "grammar"         # or "calque": a word order editors file as a translation idiom

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in ("grammar", "calque"):
            raise ValueError(f"kind must be grammar or calque, not {v!r}")
        return v

    @field_validator("group")
    @classmethod
    def _group(cls, v: str) -> str:
        if v not in GROUPS:
            raise ValueError(f"group must be one of {', '.join(GROUPS)}, not {v!r}")
        return v

    @field_validator("case")
    @classmethod
    def _case(cls, v: str) -> str:
        if v not in ("insensitive", "sensitive"):
            raise ValueError(f"case must be insensitive or sensitive, not {v!r}")
        return v

    @field_validator("severity")
    @classmethod
    def _severity(cls, v: str) -> str:
        return check_severity(v)


class MtGrammarSettings(DetectorSettings):
    extra_rules: list[MtRule] = []
    disabled: list[str] = []                     # rule ids to switch off
    extra_classes: dict[str, list[str]] = {}     # more members for <<order_noun>>, ...
    check_headlines: bool = False                # title-case headlines break the case tests
    weak_needs: int = 1                          # other artifacts a weak rule needs in its document

    @model_validator(mode="after")
    def _rules_compile(self) -> "MtGrammarSettings":
        """A config rule must compile now, so a typo is a config error, not a crash later."""
        classes = _classes(_frozen(self.extra_classes))
        for r in self.extra_rules:
            _compile(r, classes, _maps())
        return self


def _frozen(extra: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(v)) for k, v in extra.items()))


@dataclass
class Rule:
    spec: MtRule
    rx: re.Pattern
    before: re.Pattern | None
    not_before: re.Pattern | None
    not_after: re.Pattern | None
    exclude: dict[str, frozenset[str]]
    fix_maps: dict[str, dict[str, str]]          # group -> lower value -> replacement


@dataclass
class Hit:
    start: int
    end: int
    rule: Rule
    groups: dict[str, str]


# --- compiling ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _maps() -> dict[str, dict[str, str]]:
    return {name: {str(k).lower(): str(v) for k, v in (table or {}).items()}
            for name, table in (data(DATA).get("maps") or {}).items()}


def _nationalities() -> list[str]:
    """Demonyms from word_classes.yaml that are adjectives only ('Iraqi', not 'US' or 'New
    Zealand', which are names too), plus this file's extra ones ('Arab', 'Western')."""
    countries = data(CLASSES).get("country") or {}
    out = []
    for country, adjs in countries.items():
        for a in adjs:
            if a != country and not a.isupper() and "." not in a:
                out.append(a)
    return out + list(data(DATA).get("classes", {}).get("extra_nationality") or [])


def _zero_article_names() -> list[str]:
    """Countries (word_classes.yaml) and organisations English names without 'the'."""
    mine = data(DATA).get("classes") or {}
    takes = {str(x) for x in mine.get("takes_article") or []}
    countries = [c for c in (data(CLASSES).get("country") or {}) if c not in takes]
    return countries + [str(x) for x in mine.get("zero_article_org") or []]


@lru_cache(maxsize=8)
def _classes(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]]:
    out = {name: [str(m) for m in members]
           for name, members in (data(DATA).get("classes") or {}).items()}
    for name, members in (data(CLASSES) or {}).items():
        if isinstance(members, list):                # weekday, month, outlet, ...
            out.setdefault(name, [str(m) for m in members])
    out["nationality"] = _nationalities()
    out["zero_article_name"] = _zero_article_names()
    for name, table in _maps().items():
        out.setdefault(name, list(table))
    for name, members in extra:
        out.setdefault(name, []).extend(members)
    return out


def _alternation(members: list[str]) -> str:
    """Longest first; a member written as a regex piece ('\\d[\\d,.]*') is kept as it is."""
    parts = sorted({m for m in members if m}, key=len, reverse=True)
    out = []
    for m in parts:
        if "\\" in m:
            out.append(m)
        else:
            out.append(r"\s+".join(re.escape(w) for w in m.split()))
    return "(?:" + "|".join(out) + ")"


def _expand(regex: str, classes: dict[str, list[str]], rule_id: str) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in classes:
            raise ValueError(f"mt-grammar rule {rule_id!r}: unknown class <<{name}>>")
        return _alternation(classes[name])
    return _SLOT.sub(sub, regex)


def _compile(spec: MtRule, classes: dict[str, list[str]], maps: dict[str, dict[str, str]]) -> Rule:
    """The rule's regular expressions; ValueError names the rule."""
    flags = re.I if spec.case == "insensitive" else 0
    try:
        rx = re.compile(_expand(spec.regex, classes, spec.id), flags)
        before = re.compile("(?:" + spec.before + r")\Z", re.I) if spec.before else None
        not_before = re.compile("(?:" + spec.not_before + r")\Z", re.I) if spec.not_before else None
        not_after = (re.compile(_expand(spec.not_after, classes, spec.id), re.I)
                     if spec.not_after else None)
    except re.error as err:
        raise ValueError(f"mt-grammar rule {spec.id!r}: bad regular expression: {err}") from None
    return Rule(spec, rx, before, not_before, not_after, _excluded(spec, classes),
                _fix_maps(spec, maps, rx))


def _excluded(spec: MtRule, classes: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """Words a group may not catch; an item "<<class>>" stands for the class's members."""
    out = {}
    for group, words in spec.exclude.items():
        flat: set[str] = set()
        for w in words:
            m = _SLOT.fullmatch(w)
            if m and m.group(1) not in classes:
                raise ValueError(f"mt-grammar rule {spec.id!r}: unknown class {w} in `exclude`")
            flat.update(x.lower() for x in (classes[m.group(1)] if m else [w]))
        out[group] = frozenset(flat)
    return out


def _fix_maps(spec: MtRule, maps: dict[str, dict[str, str]], rx: re.Pattern
              ) -> dict[str, dict[str, str]]:
    """`fix_map: name` applies a map to the first named group; `{group: name-or-dict}` per group."""
    fm = spec.fix_map
    if fm is None:
        return {}
    if isinstance(fm, str):
        first = next(iter(rx.groupindex), None)
        if fm not in maps:
            raise ValueError(f"mt-grammar rule {spec.id!r}: unknown map {fm!r}")
        return {first: maps[fm]} if first else {}
    out = {}
    for group, table in fm.items():
        if isinstance(table, str):
            if table not in maps:
                raise ValueError(f"mt-grammar rule {spec.id!r}: unknown map {table!r}")
            out[group] = maps[table]
        else:
            out[group] = {str(k).lower(): str(v) for k, v in table.items()}
    return out


@lru_cache(maxsize=16)
def _rules_cached(settings_json: str) -> list[Rule]:
    cfg = MtGrammarSettings.model_validate_json(settings_json)
    classes, maps = _classes(_frozen(cfg.extra_classes)), _maps()
    specs = [MtRule.model_validate(r) for r in data(DATA).get("rules") or []]
    return [_compile(s, classes, maps) for s in specs + list(cfg.extra_rules)
            if s.id not in cfg.disabled]


def rules(cfg: MtGrammarSettings | None = None) -> list[Rule]:
    return _rules_cached((cfg or MtGrammarSettings()).model_dump_json())


@lru_cache(maxsize=16)
def _needs(settings_json: str) -> tuple[list[frozenset[str] | None], LiteralIndex]:
    """Per rule, the words one of which its every match contains (None: always runs), and
    an index of them all: a rule runs only on the lines holding one of its words."""
    from audit.artifacts.calques import required_literals
    needs = [required_literals(r.rx.pattern) for r in _rules_cached(settings_json)]
    return needs, LiteralIndex(w for n in needs for w in n or ())


@lru_cache(maxsize=16)
def _rules_by_word(settings_json: str) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The rules that always run (no required word), and for each required word the rules that
    need it (positions in rule order)."""
    needs, _ = _needs(settings_json)
    by_word: dict[str, list[int]] = {}
    for k, need in enumerate(needs):
        for w in need or ():
            by_word.setdefault(w, []).append(k)
    return (tuple(k for k, n in enumerate(needs) if n is None),
            {w: tuple(ks) for w, ks in by_word.items()})


# --- matching -----------------------------------------------------------------------------------

def _context_ok(rule: Rule, m: re.Match, text: str, line_start: int, line_end: int) -> bool:
    head = text[line_start:m.start()]
    if rule.before and not rule.before.search(head):
        return False
    if rule.not_before and rule.not_before.search(head):
        return False
    if rule.not_after and rule.not_after.match(text, m.end(), line_end):
        return False
    for group, words in rule.exclude.items():
        value = (m.groupdict().get(group) or "").lower()
        if value in words:
            return False
    if rule.spec.sentence_start:
        if context_before(text, m.start(), line_start) not in _SENTENCE_START:
            return False
        if _sentence_is_question(text, m.end(), line_end):
            return False
    return True


def _sentence_is_question(text: str, pos: int, line_end: int) -> bool:
    m = re.search(r"[.!?]", text[pos:line_end])
    return bool(m) and m.group() == "?"


def _fill(rule: Rule, groups: dict[str, str], matched: str) -> str | None:
    fix = rule.spec.fix
    if fix is None:
        return None

    def value(name: str) -> str:
        raw = re.sub(r"\s+", " ", groups.get(name) or "")
        table = rule.fix_maps.get(name)
        return table.get(raw.lower(), raw) if table else raw

    def sub(m: re.Match) -> str:
        v = value(m.group(2))
        if m.group(3) == "lower":
            v = v.lower()
        if m.group(1) == "a" and v:
            from audit.artifacts.grammar import sound_of
            v = ("an " if sound_of(v) == "vowel" else "a ") + v
        return v

    out = re.sub(r"\s+", " ", _FIELD.sub(sub, fix)).strip()
    if matched[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


def find_hits(doc: Document, ctx: BatchContext, cfg: MtGrammarSettings) -> list[Hit]:
    """Every rule match in the content lines, longest first where two overlap."""
    found: list[Hit] = []
    key = cfg.model_dump_json()
    needs, index = _needs(key)
    rules = _rules_cached(key)
    always, by_word = _rules_by_word(key)
    for ln in doc.lines:
        if doc.is_noise(ln.start, ln.end):
            continue
        if not cfg.check_headlines and line_is_headline(doc, ln):
            continue
        here = index.present(doc.text[ln.start:ln.end].lower())
        # the rules one of whose words is on the line, in rule order (was: every rule's word
        # set tested against the line's words, 53 tests a line)
        todo = set(always)
        for w in here:
            todo.update(by_word.get(w, ()))
        for k in sorted(todo):
            rule = rules[k]
            for m in rule.rx.finditer(doc.text, ln.start, ln.end):
                if not _context_ok(rule, m, doc.text, ln.start, ln.end):
                    continue
                start, end = m.span("span") if "span" in rule.rx.groupindex else m.span()
                while end > start and doc.text[end - 1].isspace():
                    end -= 1
                if end > start:
                    groups = {k: v for k, v in m.groupdict().items() if v}
                    found.append(Hit(start, end, rule, groups))
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for h in found:
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def _calque_spans(doc: Document, ctx: BatchContext) -> list[Span]:
    """Where the calque lexicon matched: those words are the calque detector's finding."""
    from audit.artifacts.calques import CalqueSettings, find_calques
    cfg = detector_settings(ctx.settings, "calques", CalqueSettings)
    if not cfg.enabled:
        return []
    return [Span(m.start, m.end) for m in find_calques(doc, ctx, cfg)]


@register("mt-grammar")
class MtGrammar(Detector):
    Settings = MtGrammarSettings
    order = 45   # after calques (25): reads their spans to leave those words to them

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        if (doc.lang or "en") != "en":
            return
        hits = find_hits(doc, ctx, self.settings)
        if not hits:
            return
        calques = _calque_spans(doc, ctx)
        hits = [h for h in hits if not any(c.start < h.end and h.start < c.end for c in calques)]
        strong = [h for h in hits if not h.rule.spec.weak]
        for h in hits:
            others = len(calques) + len(strong) - (0 if h.rule.spec.weak else 1)
            if h.rule.spec.weak and others < self.settings.weak_needs:
                continue
            yield self._finding(doc, h, others)

    def _finding(self, doc: Document, h: Hit, others: int) -> Finding:
        spec = h.rule.spec
        text = doc.text[h.start:h.end]
        where = " or ".join(language_name(c) for c in spec.langs[:3]) or "another language"
        evidence: dict[str, Any] = {"rule": spec.id, "group": spec.group,
                                    "source_langs": list(spec.langs), "matched": h.groups,
                                    "explain": spec.explain}
        if spec.weak:
            evidence["other_artifacts_in_document"] = others
        return Finding.at(doc, h.start, h.end, spec.kind, spec.severity,  # type: ignore[arg-type]
                          f"{spec.message} ({where} grammar carried over)", self.name,
                          suggestion=_fill(h.rule, h.groups, text), evidence=evidence)
