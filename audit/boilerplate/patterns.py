"""The pattern library: shipped site-chrome, caption and credit patterns plus config extensions.

Knowledge of what chrome looks like is data (audit/data/boilerplate.yaml); this module only
loads, validates and matches it. Patterns are tried one by one (a combined alternation measured
no faster: Python's re does not share work between alternatives); `max_words` keeps most of
them off long lines, and whole-line patterns anchored with ^ fail at the first character.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import ValidationError

from audit.boilerplate.settings import BoilerplateSettings, PatternSpec

DATA_FILE = "boilerplate.yaml"
MEMO_LINES = 50_000          # line texts whose pattern hits a Library remembers
# Separators of breadcrumbs and kicker rows ("World > Middle East", "News | Iraq").
_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")     # structure.words_of (no import cycle)
_CRUMB = re.compile(r"\s*(?:[|/>›»·•:]|\s[-–—]\s)\s*")


class LibraryError(ValueError):
    """A bad pattern in the shipped data file or in config; str() names where."""


@dataclass(frozen=True)
class Pattern:
    spec: PatternSpec
    rx: re.Pattern[str]

    @property
    def name(self) -> str:
        return self.spec.name

    def weight(self, prior: float) -> float:
        """Log-odds this pattern adds: alone it lifts the prior to its stated confidence."""
        c = self.spec.confidence
        return math.log(c / (1 - c)) - prior


@dataclass(frozen=True)
class PastTense:
    """A language's past-tense cue: listed forms, plus a regular ending outside adjective use."""
    words: frozenset[str]
    suffix: str = ""
    not_after: frozenset[str] = frozenset()

    def find(self, words: list[str]) -> str | None:
        low = [w.casefold() for w in words]
        for i, w in enumerate(low):
            if w in self.words:
                return words[i]
            if (self.suffix and i > 0 and len(w) > len(self.suffix) + 2
                    and w.endswith(self.suffix) and low[i - 1] not in self.not_after):
                return words[i]
        return None


@dataclass(frozen=True)
class Hit:
    pattern: Pattern
    match: str


@dataclass(frozen=True)
class InlineTag:
    """Chrome inside a content line (data file: `inline_tags`); the group `tag` is the span,
    `name` (with site_name) must name the outlet."""
    name: str
    rx: re.Pattern[str]
    explain: str = ""
    site_name: bool = False


@dataclass
class Library:
    patterns: list[Pattern]
    section_labels: frozenset[str]
    past_tense: dict[str, PastTense] = field(default_factory=dict)
    inline_tags: list[InlineTag] = field(default_factory=list)
    _memo: dict[tuple[str, int], list[Hit]] = field(default_factory=dict, repr=False,
                                                    compare=False)
    _past_memo: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False,
                                                    compare=False)

    def match(self, line: str, n_words: int) -> list[Hit]:
        """Every pattern matching the stripped line (region gating is the classifier's job).

        Remembered per line text: a batch prints the same chrome and the same syndicated
        paragraphs again and again, and trying a hundred patterns was half the stage's map
        CPU (1,000 generated articles, 25 of 58 s profiled). Bounded; a list a caller gets is
        its own copy."""
        key = (line, n_words)
        hits = self._memo.get(key)
        if hits is None:
            hits = self._match(line, n_words)
            if len(self._memo) >= MEMO_LINES:
                self._memo.clear()
            self._memo[key] = hits
        return list(hits)

    def _match(self, line: str, n_words: int) -> list[Hit]:
        hits = []
        for p in self.patterns:
            if p.spec.max_words is not None and n_words > p.spec.max_words:
                continue
            m = p.rx.search(line)
            if m:
                hits.append(Hit(p, m.group(0)))
        return hits

    def past_tense_word(self, lang: str | None, words: list[str]) -> str | None:
        """The first past-tense verb of the line (by the data file's rules for `lang`)."""
        rules = self.past_tense.get((lang or "en").split("-")[0].lower())
        return rules.find(words) if rules else None

    def has_past_tense(self, lang: str | None, line: str) -> bool:
        """Whether the line holds a past-tense verb; remembered per line text, as match()."""
        key = (lang or "", line)
        hit = self._past_memo.get(key)
        if hit is None:
            hit = self.past_tense_word(lang, _WORDS.findall(line)) is not None
            if len(self._past_memo) >= MEMO_LINES:
                self._past_memo.clear()
            self._past_memo[key] = hit
        return hit

    def section_label(self, line: str) -> bool:
        """A line made only of section names or place names (optionally a breadcrumb)."""
        parts = [p for p in _CRUMB.split(line.strip().casefold()) if p]
        return bool(parts) and len(parts) <= 5 and all(p.strip(" .") in self.section_labels
                                                         for p in parts)


@lru_cache(maxsize=1)
def _read_shipped() -> dict:
    text = resources.files("audit.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _specs_from_data(data: dict) -> list[PatternSpec]:
    specs = []
    for gi, group in enumerate(data.get("groups") or []):
        defaults = {k: v for k, v in group.items() if k not in {"group", "patterns"}}
        for pi, raw in enumerate(group.get("patterns") or []):
            try:
                specs.append(PatternSpec.model_validate(
                    {**defaults, **raw, "group": group.get("group", f"group{gi}")}))
            except ValidationError as e:
                where = f"{DATA_FILE}: groups[{gi}].patterns[{pi}] ({raw.get('name', '?')})"
                raise LibraryError(f"{where}: {e.errors()[0]['msg']}") from None
    return specs


def _compile(spec: PatternSpec) -> Pattern:
    flags = re.IGNORECASE if spec.ignore_case else 0
    return Pattern(spec, re.compile(spec.regex, flags))


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[PatternSpec, ...], frozenset[str]]:
    data = _read_shipped()
    labels = frozenset(str(x).casefold() for x in data.get("section_labels") or [])
    return tuple(_specs_from_data(data)), labels


def build_library(settings: BoilerplateSettings) -> Library:
    """Shipped patterns minus `disable`, plus config `patterns` (a config name replaces a
    shipped pattern of the same name)."""
    shipped, labels = _shipped()
    extra = {s.name: s for s in settings.patterns}
    disabled = set(settings.disable)
    specs = [s for s in shipped if s.name not in disabled and s.name not in extra]
    specs += [s for s in settings.patterns if s.name not in disabled]
    patterns = [_compile(s) for s in specs]
    past = {str(k): PastTense(frozenset(str(w).casefold() for w in v.get("words") or []),
                              str(v.get("suffix") or ""),
                              frozenset(str(w).casefold() for w in v.get("not_after") or []))
            for k, v in (_read_shipped().get("past_tense") or {}).items()}
    return Library(patterns, labels, past, _inline_tags())


@lru_cache(maxsize=1)
def _inline_tags_cached() -> tuple[InlineTag, ...]:
    out = []
    for i, raw in enumerate(_read_shipped().get("inline_tags") or []):
        try:
            rx = re.compile(str(raw["regex"]))
        except (KeyError, re.error) as e:
            raise LibraryError(f"{DATA_FILE}: inline_tags[{i}]: {e}") from None
        if "tag" not in rx.groupindex:
            raise LibraryError(f"{DATA_FILE}: inline_tags[{i}]: the regex needs a group (?P<tag>...)")
        out.append(InlineTag(str(raw.get("name", f"inline-tag-{i}")), rx,
                             str(raw.get("explain", "")), bool(raw.get("site_name", False))))
    return tuple(out)


def _inline_tags() -> list[InlineTag]:
    return list(_inline_tags_cached())


def stoplist_names() -> dict[str, str]:
    """ISO 639-1 code -> jusText stoplist name (from the data file)."""
    return _stoplists()


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, str]:
    return {str(k): str(v) for k, v in (_read_shipped().get("stoplists") or {}).items()}


@lru_cache(maxsize=1)
def generic_outlet_words() -> frozenset[str]:
    """Words of outlet names shared by many outlets ("news", "daily"): no evidence that a line
    names this outlet (from the data file)."""
    return frozenset(str(w).casefold() for w in _read_shipped().get("generic_outlet_words") or [])


def date_words() -> dict:
    """The `date_words` block of the data file (month and weekday names, stamp words)."""
    return dict(_read_shipped().get("date_words") or {})


@lru_cache(maxsize=1)
def caption_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """(present-tense verbs, participles after is/are) of photo-caption style (data file):
    what a picture shows is described in the present, news is reported in the past."""
    raw = _read_shipped().get("caption_verbs") or {}
    return (frozenset(str(w).casefold() for w in raw.get("present") or []),
            frozenset(str(w).casefold() for w in raw.get("shown") or []))


@lru_cache(maxsize=1)
def call_to_action_verbs() -> frozenset[str]:
    """Verbs a page addresses its reader with ("Sign up", "Click to Gallery", "Watch Video"):
    a line opening on one, with no past tense, is an instruction, not reporting (data file)."""
    return frozenset(str(w).casefold() for w in _read_shipped().get("call_to_action") or [])

