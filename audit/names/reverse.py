"""Foreign forms with no English counterpart in their own group: undo a language's romanisation
and see whether a known English name comes out.

A French copy writes "Ouganda" where no outlet of the batch writes "Uganda", an Italian one
"Porto Harcourt", a Spanish one "Gasi" for Ghazi (no z sound in Spanish); grouping never puts
these next to an English spelling, so nothing compares them. Here each language's rules
(audit/data/romanisation.yaml) run backwards on such a mention, its generic place words are
translated ("oued" -> wadi, "porto" -> port, also a word just before the name, in lower case
or split off by the gazetteer), and the result is looked up:

  known     a spelling of the gazetteer or of another group of the batch (same close key)
  lexicon   words English text knows far better than the spelling as written (wordfreq),
            e.g. Ouganda -> Uganda

The hit carries its markers' strength: two weak markers (or one strong) make it foreign at
once; fewer, or word statistics about a spelling English also uses, wait for evidence from the
rest of the article (audit/names/evidence.py). A group that reads as another language is no
target for the others (an Italian "Porto X" is not matched to a French "Port-X").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from audit.names.gazetteer import Gazetteer
from audit.names.translit import Rule, close_key, lexicon_rule, orth, romanisation, strength_of
from audit.names.verdict import Judged, Resolved
from audit.names.words import is_acronym, zipf
from audit.types import Document

MAX_VARIANTS = 32             # per token and language
RARE = 2.0                    # a token English knows better than this is left as written
LEXICON_TARGET = 2.5          # a word-list English form must be at least this common ...
LEXICON_GAIN = 1.5            # ... and this much more common than the form as written
COMMON_WORD = 4.0             # a batch spelling made only of words this common is no target
KNOWN_AS_WRITTEN = 1.0        # a respelled word English uses this much needs other evidence
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))([^\W\d_]+)[ \u00a0]$")


@dataclass
class ReverseHit:
    judged: Judged                # the mention (for a lower-case word before it: the name part)
    lang: str
    english: str                  # the English spelling found
    how: str                      # "known" | "lexicon"
    rules: list[Rule] = field(default_factory=list)
    entry_id: str | None = None
    result: Resolved | None = None
    start: int | None = None      # a wider span when a lower-case word before the name is part
    text: str | None = None
    langs: tuple[str, ...] = ()   # every language that reads it so (Porto: it, pt)

    @property
    def needs_evidence(self) -> bool:
        """Word statistics alone condemn only a spelling English never uses: 'Cheikh' is also
        the own spelling of Senegalese names, so it waits for other French markers."""
        return self.how == "lexicon" and any(
            orth(a) != orth(b) and zipf(a) >= KNOWN_AS_WRITTEN
            for a, b in zip(self.judged.occ.mention.names, self.english.split()))

    @property
    def strength(self) -> int:
        return strength_of(self.rules)


def _word_rule(word: str, english: str, strength: str, lang: str) -> Rule:
    name = romanisation().lang_names.get(lang, lang)
    return Rule(re.compile(re.escape(word)), english, f"{name} '{word}' for '{english}'",
                strength, lang, "word")


def token_variants(tok: str, lang: str) -> dict[str, tuple[Rule, ...]]:
    """Spellings `tok` may stand for in English if written in `lang`, with the rules used
    (a fresh dict; the work is cached per token and language)."""
    return dict(_token_variants(tok, lang))


@lru_cache(maxsize=50_000)
def _token_variants(tok: str, lang: str) -> tuple[tuple[str, tuple[Rule, ...]], ...]:
    r = romanisation()
    base = orth(tok)
    out: dict[str, tuple[Rule, ...]] = {base: ()}
    word = r.words.get(lang, {}).get(base)
    if word is not None:
        out[word[0]] = (_word_rule(base, word[0], word[1], lang),)
    for rule in r.foreign.get(lang, ()):
        for v, fired in list(out.items()):
            if len(out) >= MAX_VARIANTS:
                break
            if rule.pattern.search(v):
                new = rule.pattern.sub(rule.to, v)
                out.setdefault(new, fired + (rule,))
    return tuple(out.items())


def _key(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(close_key(n) for n in names)


@dataclass
class _Index:
    """Close keys of every English spelling known to the gazetteer and the batch."""
    keys: dict[tuple[str, ...], tuple[str, str | None, Resolved | None]] = \
        field(default_factory=dict)

    def add(self, names: tuple[str, ...], text: str, entry_id: str | None,
            res: Resolved | None) -> None:
        if not names or any(is_acronym(n) for n in names):
            return
        if res is not None and all(zipf(n) >= COMMON_WORD for n in names):
            return                       # "Sea", "Security Council": words, not a name to match
        self.keys.setdefault(_key(names), (text, entry_id, res))


_GAZ_KEYS: dict[int, dict] = {}


def _gazetteer_keys(gaz: Gazetteer) -> dict:
    """The gazetteer's part of the index, built once per gazetteer (it was rebuilt on every
    batch: a third of the detector's time on a one-article batch)."""
    if id(gaz) not in _GAZ_KEYS:
        if len(_GAZ_KEYS) > 8:
            _GAZ_KEYS.clear()
        idx = _Index()
        for f in gaz.forms:
            if f.kind in ("canonical", "alias"):
                idx.add(f.names, f.text, f.entry_id, None)
        _GAZ_KEYS[id(gaz)] = (gaz, idx.keys)     # holding gaz keeps its id from reuse
    return _GAZ_KEYS[id(gaz)][1]


def _index(results: list[Resolved], gaz: Gazetteer, skip: set[int] = frozenset()) -> _Index:
    """`skip`: groups (by id) that are suspect themselves: never a target."""
    idx = _Index(dict(_gazetteer_keys(gaz)))
    for r in results:
        if id(r) in skip:
            continue
        for j in r.judged:
            if j.verdict in ("canonical", "acceptable"):
                idx.add(tuple(j.occ.mention.names), j.text, r.entry.key if r.entry else None, r)
    return idx


def _alone(r: Resolved) -> bool:
    """A group of one spelling that nothing was compared with."""
    if r.entry is not None:
        return False
    spellings = {tuple(orth(n) for n in j.occ.mention.names) for j in r.judged}
    return len(spellings) == 1 and all(j.verdict in ("canonical", "unknown") for j in r.judged)


def _candidates(names: tuple[str, ...], lang: str) -> list[tuple[tuple[str, ...], list[Rule]]]:
    """Respellings of a name in `lang`'s conventions, with the rules each used (fresh lists;
    the work is cached per name and language: the two reading rounds and the articles of a
    feed ask about the same names again)."""
    return [(new, list(rules)) for new, rules in _candidates_cached(names, lang)]


@lru_cache(maxsize=50_000)
def _candidates_cached(names: tuple[str, ...], lang: str
                       ) -> tuple[tuple[tuple[str, ...], tuple[Rule, ...]], ...]:
    return tuple((new, tuple(rules)) for new, rules in _candidates_uncached(names, lang))


def _candidates_uncached(names: tuple[str, ...], lang: str
                         ) -> list[tuple[tuple[str, ...], list[Rule]]]:
    per_tok = [list(token_variants(n, lang).items()) for n in names]
    out = []
    for combo in product(*per_tok):
        new = tuple(v for v, _ in combo)
        rules = [rule for _, fired in combo for rule in fired]
        words = sum(1 for _, fired in combo if any(r.kind == "word" for r in fired))
        if words and words == len(new):
            continue                     # "Mer" alone is the sea, not a name
        if rules:
            out.append((new, rules))
        if len(new) == 2 and any(rule.kind == "word" for rule in rules):
            out.append(((new[1], new[0]), rules))     # Franja de Gaza: head noun first
    return out


def _rare_changes(names: tuple[str, ...], new: tuple[str, ...], rules: list[Rule]) -> bool:
    """Rewritten tokens must be words English hardly knows (translated place words aside)."""
    words = {r.to for r in rules if r.kind == "word"}
    return all(orth(a) == b or b in words or zipf(a) < RARE for a, b in zip(names, new))


def _lexicon(names: tuple[str, ...], new: tuple[str, ...], rules: list[Rule], lang: str
             ) -> list[Rule] | None:
    """Every respelled token is a far better known English word than as written (translated
    place words aside, but one token at least must be respelled)."""
    extra: list[Rule] = []
    words = {r.to for r in rules if r.kind == "word"}
    if all(orth(a) == b or b in words for a, b in zip(names, new)):
        return None
    for a, b in zip(names, new):
        if orth(a) == b or b in words:
            continue
        ea, eb = zipf(a), zipf(b)
        if eb < LEXICON_TARGET or eb - ea < LEXICON_GAIN:
            return None
        known = lexicon_rule(b, a, lang)
        if known is not None:
            extra.append(known)
        elif ea >= 1.0:
            return None                  # a word English uses, and not one of `lang`'s either
    return extra


def _look(names: tuple[str, ...], idx: _Index, own: Resolved | None
          ) -> list[tuple[str, list[Rule], str, tuple]]:
    out = []
    for lang in romanisation().foreign:
        for new, rules in _candidates(names, lang):
            if not _rare_changes(names, new, rules):
                continue
            hit = idx.keys.get(_key(new))
            if hit is not None and own is not None and hit[2] is own:
                hit = None                   # its own spelling, read with routine choices
            if hit is not None:
                out.append((lang, rules, "known", hit))
            else:
                extra = _lexicon(names, new, rules, lang)
                if extra is not None:
                    out.append((lang, rules + extra, "lexicon", (_english(names, new), None, None)))
    return out


def _english(names: tuple[str, ...], new: tuple[str, ...]) -> str:
    """The English spelling, capitalised like the original tokens."""
    return " ".join(b[:1].upper() + b[1:] if a[:1].isupper() else b for a, b in zip(names, new))


def _best(found: list) -> tuple | None:
    """The reading with the strongest markers (known spellings before word statistics), and
    every language that reads it as strongly."""
    if not found:
        return None
    rank = lambda f: (f[2] == "known", strength_of(f[1]), -len(f[1]))  # noqa: E731
    best = max(found, key=rank)
    langs = tuple(dict.fromkeys(f[0] for f in found if rank(f) == rank(best)
                                and f[3][0] == best[3][0]))
    return best, langs


def find(results: list[Resolved], gaz: Gazetteer, docs: dict[str, Document]) -> list[ReverseHit]:
    """Two rounds: first find the groups that read as another language, then read them again
    with those groups taken out of the targets."""
    alone = [r for r in results if _alone(r)]
    first = _readings(alone, _index(results, gaz))
    suspect = {id(r) for r in alone if any(first.get(tuple(j.occ.mention.names))
                                            for j in r.judged)}
    idx = _index(results, gaz, suspect)
    done = _readings([r for r in alone if id(r) in suspect], idx)
    hits: list[ReverseHit] = []
    for r in alone:
        for j in r.judged:
            best = done.get(tuple(j.occ.mention.names))
            if best is not None:
                (lang, rules, how, (text, entry_id, res)), langs = best
                hits.append(ReverseHit(j, lang, text, how, list(rules), entry_id, res,
                                       langs=langs))
    hits += _words_before(results, idx, docs)
    return hits


def _readings(groups: list[Resolved], idx: _Index) -> dict[tuple[str, ...], tuple | None]:
    done: dict[tuple[str, ...], tuple | None] = {}
    for r in groups:
        for j in r.judged:
            names = tuple(j.occ.mention.names)
            if names and names not in done and not any(is_acronym(n) for n in names):
                done[names] = _best(_look(names, idx, r))
    return done


def _words_before(results: list[Resolved], idx: _Index, docs: dict[str, Document]
                  ) -> list[ReverseHit]:
    """'oued Zem', 'Porto Harcourt': a generic place word of another language just before a
    name (lower case, or split off because the gazetteer knows the name after it)."""
    words = romanisation().words
    out = []
    for r in results:
        for j in r.judged:
            m = j.occ.mention
            text = docs[m.doc_id].text
            found = _WORD_BEFORE.search(text[max(0, m.start - 30):m.start])
            if found is None:
                continue
            word = found.group(1).lower()
            for lang, table in words.items():
                if word not in table:
                    continue
                english, strength = table[word]
                hit = idx.keys.get(_key((english,) + tuple(m.names)))
                if hit is None:
                    continue
                start = m.start - len(found.group(0))
                out.append(ReverseHit(j, lang, hit[0], "known",
                                      [_word_rule(word, english, strength, lang)], hit[1], hit[2],
                                      start=start, text=text[start:m.end],
                                      langs=tuple(k for k, t in words.items() if word in t)))
                break
    return out
