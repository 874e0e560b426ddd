"""The gazetteer: house spellings, aliases and known bad forms of the names a desk meets.

Shipped in audit/data/gazetteer.yaml and extended from config (inline entries and extra files);
an entry whose id (or canonical) matches a shipped one adds to it instead of replacing it, so a
desk can add an alias without copying the entry. Bad entries become one-line problems naming
the file and entry, and the rest of the gazetteer still loads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from audit.names.translit import orth, romanisation
from audit.names.words import is_acronym, name_word_list

FormKind = Literal["canonical", "alias", "foreign", "known_bad"]
# libyaml's loader when PyYAML was built with it: the shipped gazetteer is large enough for the
# pure-Python parser to dominate a small batch's run time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Misrendering(BaseModel):
    model_config = ConfigDict(extra="forbid")
    word: str
    context_hint: str = ""

    @field_validator("context_hint")
    @classmethod
    def _regex(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"context_hint is not a regular expression: {e}") from None
        return v


class ForeignForm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    form: str
    lang: str
    langs: list[str] = []         # other languages that write the same form (ONU: fr, es, it, pt)


class GazetteerEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    canonical: str
    type: Literal["org", "person", "place", "other"] = "other"
    country: str | None = None
    aliases: list[str] = []
    foreign: list[ForeignForm] = []
    known_bad: list[str] = []
    common_noun_misrenderings: list[Misrendering] = []
    note: str | None = None

    @property
    def key(self) -> str:
        return self.id or slug(self.canonical)


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", orth(s)).strip("-") or "entity"


@dataclass(frozen=True)
class Form:
    """One written form of an entry, as name tokens (particles and connectors dropped)."""
    entry_id: str
    text: str
    kind: str
    names: tuple[str, ...]
    lang: str | None = None
    langs: tuple[str, ...] = ()      # every language that writes a foreign form (lang first)


def form_names(text: str) -> tuple[str, ...]:
    """'al-Hashd al-Shaabi' -> ('Hashd', 'Shaabi'); 'Islamic Resistance in Iraq' drops 'in'."""
    r = romanisation()
    connectors = name_word_list("form_connectors")
    parts = [p for p in re.split(r"[\s\-]+", text.strip()) if p]
    out = []
    for i, p in enumerate(parts):
        low = p.lower()
        last = i == len(parts) - 1
        if not last and (low in r.particles or low in r.hyphen_particles):
            continue
        if low in connectors and not last and i > 0:
            continue
        out.append(re.sub(r"['’]$", "", p))
    return tuple(out)


def names_key(names: Iterable[str]) -> tuple[str, ...]:
    """Exact-match key: orthographic tokens; acronyms keep their case (IS is not 'is')."""
    return tuple("=" + n if is_acronym(n) else orth(n) for n in names)


@dataclass
class Gazetteer:
    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    forms: list[Form] = field(default_factory=list)
    exact: dict[tuple[str, ...], list[Form]] = field(default_factory=dict)
    vocab: frozenset[str] = frozenset()

    def lookup(self, names: Iterable[str]) -> list[Form]:
        return self.exact.get(names_key(names), [])

    def reference_forms(self, entry_id: str) -> list[Form]:
        """Canonical and aliases: the spellings a variant is compared against."""
        return [f for f in self.forms
                if f.entry_id == entry_id and f.kind in ("canonical", "alias")]

    def knows(self, word: str) -> bool:
        return orth(word) in self.vocab


def _forms(e: GazetteerEntry) -> list[Form]:
    out = [Form(e.key, e.canonical, "canonical", form_names(e.canonical))]
    out += [Form(e.key, a, "alias", form_names(a)) for a in e.aliases]
    out += [Form(e.key, f.form, "foreign", form_names(f.form), f.lang,
                 tuple(dict.fromkeys([f.lang, *f.langs]))) for f in e.foreign]
    out += [Form(e.key, b, "known_bad", form_names(b)) for b in e.known_bad]
    return [f for f in out if f.names]


def build(entries: list[GazetteerEntry]) -> Gazetteer:
    merged: dict[str, GazetteerEntry] = {}
    for e in entries:
        if e.key in merged:
            old = merged[e.key]
            merged[e.key] = old.model_copy(update={
                "aliases": _union(old.aliases, e.aliases),
                "foreign": old.foreign + [f for f in e.foreign if f not in old.foreign],
                "known_bad": _union(old.known_bad, e.known_bad),
                "common_noun_misrenderings": old.common_noun_misrenderings + [
                    m for m in e.common_noun_misrenderings
                    if m not in old.common_noun_misrenderings],
                "canonical": e.canonical or old.canonical,
            })
        else:
            merged[e.key] = e
    g = Gazetteer(entries=merged)
    for e in merged.values():
        for f in _forms(e):
            g.forms.append(f)
            g.exact.setdefault(names_key(f.names), []).append(f)
    g.vocab = frozenset(orth(n) for f in g.forms for n in f.names)
    return g


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


# --- loading -----------------------------------------------------------------------------------

def parse_entries(raw: object, where: str) -> tuple[list[GazetteerEntry], list[tuple[str, str]]]:
    """Entries from a loaded YAML document (a list, or a mapping with `entities`), with
    (where, message) problems for the bad ones."""
    if isinstance(raw, dict):
        raw = raw.get("entities", [])
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [(where, "expected a list of entries (or a mapping with `entities:`)")]
    out, problems = [], []
    for i, item in enumerate(raw, 1):
        try:
            out.append(GazetteerEntry.model_validate(item))
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            problems.append((f"{where}: entry {i}", f"{loc}: {err['msg']}" if loc else err["msg"]))
    return out, problems


@lru_cache(maxsize=1)
def shipped_entries() -> tuple[GazetteerEntry, ...]:
    text = (resources.files("audit") / "data" / "gazetteer.yaml").read_text(encoding="utf-8")
    entries, problems = parse_entries(yaml.load(text, Loader=_LOADER), "audit/data/gazetteer.yaml")
    if problems:
        raise ValueError("; ".join(f"{w}: {m}" for w, m in problems))
    return tuple(entries)


def load_file(path: str) -> tuple[list[GazetteerEntry], list[tuple[str, str]]]:
    p = Path(path)
    try:
        raw = yaml.load(p.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        return [], [(path, "gazetteer file not found")]
    except (OSError, UnicodeDecodeError) as e:
        return [], [(path, f"cannot read gazetteer file: {e}")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        return [], [(where, f"not valid YAML: {getattr(e, 'problem', e)}")]
    return parse_entries(raw, path)


_CACHE: dict[tuple, Gazetteer] = {}


def _mtime(path: str) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return -1.0


def load(shipped: bool = True, files: Iterable[str] = (), extra: Iterable[GazetteerEntry] = ()
         ) -> tuple[Gazetteer, list[tuple[str, str]]]:
    """The shipped gazetteer (unless turned off), then files, then inline entries."""
    files, extra = tuple(files), tuple(extra)
    key = (shipped, tuple((f, _mtime(f)) for f in files), tuple(e.model_dump_json() for e in extra))
    problems: list[tuple[str, str]] = []
    entries: list[GazetteerEntry] = list(shipped_entries()) if shipped else []
    for f in files:
        got, probs = load_file(f)
        entries += got
        problems += probs
    entries += list(extra)
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = build(entries)
    return _CACHE[key], problems
