"""Transliteration-aware keys and the step-by-step comparison of two spellings of one name.

Two spellings are compared the way a desk editor would: first strip what never matters
(apostrophes for ayn/hamza, case), then try one foreign romanisation at a time on the suspect
spelling (French "ch" for "sh" ...), then the choices English outlets make themselves
(doubled letters, e/a/i vowels, q/k). Whatever is still different is a real change of the
consonants. The rules live in audit/data/romanisation.yaml; this module only applies them.

Written by hand: anyascii folds letters and jellyfish gives phonetic keys, but no library knows
which romanisation choices are routine in English copy and which betray another language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import groupby

import jellyfish
import yaml
from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

LEVELS = ("same", "acceptable", "close", "vowel", "consonant")


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    to: str
    why: str
    strength: str = ""      # foreign rules: "strong" | "weak"
    lang: str = ""
    kind: str = "rule"      # "rule" (a spelling), "word" (a translated place word), "lexicon"


@dataclass(frozen=True)
class Romanisation:
    marks: str
    particles: frozenset[str]
    hyphen_particles: frozenset[str]
    weak_words: frozenset[str]
    fusable: tuple[str, ...]
    rewrites: tuple[Rule, ...]
    vowel_map: dict
    close: tuple[Rule, ...]
    foreign: dict           # lang -> tuple[Rule, ...]
    lang_names: dict        # lang -> "French"
    words: dict = field(default_factory=dict)   # lang -> {word: (english, strength)}


def _rule(raw: dict, lang: str = "") -> Rule:
    return Rule(re.compile(raw["pattern"]), raw.get("to", ""), raw.get("why", ""),
                raw.get("strength", ""), lang)


@lru_cache(maxsize=1)
def romanisation() -> Romanisation:
    """The shipped rules (read once)."""
    raw = yaml.safe_load((resources.files("audit") / "data" / "romanisation.yaml")
                         .read_text(encoding="utf-8"))
    acc = raw.get("acceptable") or {}
    vowel_map = {}
    for target, letters in (acc.get("vowel_classes") or {}).items():
        for ch in letters:
            vowel_map[ch] = target
    foreign = {lang: tuple(_rule(r, lang) for r in spec.get("rules") or [])
               for lang, spec in (raw.get("foreign") or {}).items()}
    names = {**(raw.get("language_names") or {}),
             **{lang: spec.get("name", lang) for lang, spec in (raw.get("foreign") or {}).items()}}
    words = {lang: {str(w["word"]).lower(): (str(w["english"]).lower(), w.get("strength", "weak"))
                    for w in spec.get("words") or []}
             for lang, spec in (raw.get("foreign") or {}).items()}
    return Romanisation(
        marks=raw.get("marks", "'’"),
        particles=frozenset(raw.get("particles") or []),
        hyphen_particles=frozenset(raw.get("hyphen_particles") or []),
        weak_words=frozenset(raw.get("weak_name_words") or []),
        fusable=tuple(raw.get("fusable_words") or []),
        rewrites=tuple(_rule(r) for r in acc.get("rewrite") or []),
        vowel_map=vowel_map,
        close=tuple(_rule(r) for r in raw.get("close") or []),
        foreign=foreign,
        lang_names=names,
        words=words,
    )


# --- normal forms ------------------------------------------------------------------------------

def strip_marks(s: str) -> str:
    marks = romanisation().marks
    return "".join(ch for ch in s if ch not in marks)


@lru_cache(maxsize=50_000)
def orth(s: str) -> str:
    """Lower case, NFC, no ayn/hamza marks or hyphens: 'Kata'ib' -> 'kataib', 'Aïn' -> 'aïn'."""
    s = unicodedata.normalize("NFC", s).lower()
    return re.sub(r"[\s\-]+", " ", strip_marks(s)).strip()


@lru_cache(maxsize=50_000)
def collapse_doubles(s: str) -> str:
    return "".join(ch for ch, _ in groupby(s))


@lru_cache(maxsize=50_000)
def fold(s: str) -> str:
    """ASCII letters only: 'Ḥashd' -> 'hashd' (anyascii turns some marks into quotes: dropped)."""
    return re.sub(r"[^a-z ]", "", anyascii(orth(s)).lower())


def _sub_all(rules: tuple[Rule, ...], s: str) -> str:
    for r in rules:
        s = r.pattern.sub(r.to, s)
    return s


def _vowels(s: str) -> str:
    vm = romanisation().vowel_map
    return collapse_doubles("".join(vm.get(ch, ch) for ch in s))


@lru_cache(maxsize=50_000)
def acc_key(s: str) -> str:
    """Equal for spellings that differ only by routine English choices (Kataib/Kata'ib/Kataeb)."""
    r = romanisation()
    return _vowels(collapse_doubles(_sub_all(r.rewrites, fold(s))))


@lru_cache(maxsize=50_000)
def close_key(s: str) -> str:
    """acc_key, also blind to romanisation choices for one sound (Qassem/Kassem, Fadhel/Fazel)."""
    r = romanisation()
    base = collapse_doubles(_sub_all(r.rewrites, fold(s)))
    return _vowels(collapse_doubles(_sub_all(r.close, base)))


@lru_cache(maxsize=50_000)
def skeleton(s: str) -> str:
    """close_key without inner vowels (Sakhr/Sakhar, Hizballah/Hezbollah); a final vowel stays,
    because it changes the word (Iraq/Iraqi)."""
    k = close_key(s)
    if len(k) <= 2:
        return k
    inner = re.sub(r"[au]", "", k[1:-1])
    return collapse_doubles(k[0] + inner + k[-1])


@lru_cache(maxsize=50_000)
def spelling_class(s: str) -> str:
    """Consonants as written, inner vowels dropped: Sakhr = Sakhar, Soleimani = Sulemani,
    Kataib = Kataeb, but Qateb and Qadab are classes of their own. Spellings of one class count
    together when outlets vote on the canonical form."""
    k = collapse_doubles(_sub_all(romanisation().rewrites, fold(s)))
    if len(k) <= 2:
        return k
    return collapse_doubles(k[0] + re.sub(r"[aeiou]", "", k[1:-1]) + _vowels(k[-1]))


@lru_cache(maxsize=50_000)
def group_keys(s: str) -> frozenset[str]:
    """Phonetic keys for bucketing candidate matches: metaphone of the folded token and of the
    token read back from each foreign romanisation (Prigojine -> prigozhin -> PRKSHN)."""
    keys = {jellyfish.metaphone(fold(s)) if fold(s) else "",
            jellyfish.metaphone(close_key(s)) if close_key(s) else ""}
    low = orth(s)
    for rules in romanisation().foreign.values():
        alt = fold(_sub_all(rules, low))
        if alt:
            keys.add(jellyfish.metaphone(alt))
    keys.discard("")
    return frozenset(keys)


# --- comparing two spellings --------------------------------------------------------------------

@dataclass
class TokenDiff:
    """How a variant token differs from a reference token."""
    ref: str
    var: str
    level: str                                       # one of LEVELS
    lang: str | None = None                          # foreign romanisation that explains it
    foreign: list[Rule] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)   # routine differences, in words
    changes: list[str] = field(default_factory=list)  # consonant changes left over ("t→d")

    @property
    def foreign_strength(self) -> int:
        return strength_of(self.foreign)


def _marker(ref: str, found: str) -> bool:
    """A letter English never writes (ï, é, ñ) that the reference does not have: its removal is
    evidence even where it does not shorten the distance (Baïda/Bayda: ï for y)."""
    return any(not ch.isascii() and ch not in ref for ch in found)


def _foreign_pass(ref: str, var: str, rules: tuple[Rule, ...]) -> tuple[str, list[Rule]]:
    """Apply each rule wherever it brings `var` closer to `ref`, one occurrence at a time."""
    fired: list[Rule] = []
    for rule in rules:
        pos = 0
        while True:
            m = rule.pattern.search(var, pos)
            if not m:
                break
            to = m.expand(rule.to)
            cand = var[:m.start()] + to + var[m.end():]
            before, after = Levenshtein.distance(ref, var), Levenshtein.distance(ref, cand)
            if after < before or (after == before and _marker(ref, m.group())):
                var = cand
                if rule not in fired:
                    fired.append(rule)
                pos = m.start() + len(to)
            else:
                pos = m.start() + 1
            if pos > len(var):
                break
    return var, fired


def foreign_candidates(ref: str, var: str) -> dict[str, tuple[str, list[Rule]]]:
    """For each language whose rules bring `var` closer to `ref`: the rewritten form and rules."""
    out = {}
    for lang, rules in romanisation().foreign.items():
        rewritten, fired = _foreign_pass(ref, var, rules)
        if fired:
            out[lang] = (rewritten, fired)
    return out


_STEPS = (
    ("capitals, apostrophes or hyphens", orth),
    ("diacritics", fold),
    ("doubled letters", lambda s: collapse_doubles(fold(s))),
    ("vowels", acc_key),
    ("romanisation of one sound", close_key),
    ("short vowels", skeleton),
)


def explain(ref: str, var: str, lang: str | None = "", lexicon: bool = False) -> TokenDiff:
    """Why `var` is (or is not) a spelling of `ref`. `lang`: the foreign romanisation to try
    ("" = whichever explains most, None = none). `lexicon`: with a language, also ask that
    language's word list whether it knows `var` better than English does."""
    if ref == var:
        return TokenDiff(ref, var, "same")
    r0, v0 = orth(ref), orth(var)
    cands = foreign_candidates(r0, v0) if lang is not None else {}
    if lang:
        cands = {lang: cands[lang]} if lang in cands else {}
    chosen = max(cands, key=lambda k: (strength_of(cands[k][1]), len(cands[k][1]),
                                       -Levenshtein.distance(acc_key(r0), acc_key(cands[k][0]))),
                 default=None)
    v1, fired = cands[chosen] if chosen else (v0, [])
    if lexicon and lang and r0 != v0:
        known = lexicon_rule(ref, var, lang)
        if known is not None:
            chosen, fired = lang, fired + [known]
    diff = TokenDiff(ref, var, "same", chosen, fired)
    prev = Levenshtein.distance(r0, v1) if fired else Levenshtein.distance(ref.lower(), var.lower())
    for name, fn in _STEPS:
        d = Levenshtein.distance(fn(r0), fn(v1))
        if d < prev:
            diff.steps.append(name)
        prev = d
    if acc_key(r0) == acc_key(v1):
        diff.level = "acceptable" if (diff.steps or fired) else "same"
    elif close_key(r0) == close_key(v1):
        diff.level = "close"
    elif skeleton(r0) == skeleton(v1):
        diff.level = "vowel"
    else:
        diff.level = "consonant"
        diff.changes = consonant_changes(collapse_doubles(fold(r0)), collapse_doubles(fold(v1)))
    return diff


_STRENGTH = {"strong": 2, "weak": 1, "hint": 0}
_NEVER = re.compile(r"(?!)")
LEXICON_MIN = 2.0        # zipf of the spelling in the foreign language's word list
LEXICON_MARGIN = 1.5     # ... above its zipf in English
LEXICON_REF_MARGIN = 1.0 # and the reference spelling this much better known in English


def lexicon_rule(ref: str, var: str, lang: str) -> Rule | None:
    """A weak marker from word statistics: wordfreq's list for `lang` knows `var` (Ouganda in
    French) much better than English does, and English knows `ref` better than `var`."""
    from audit.names.words import zipf
    en = zipf(var)
    if en >= 3.0 or zipf(ref) - en < LEXICON_REF_MARGIN:
        return None
    there = zipf(var, lang)
    if there < LEXICON_MIN or there - en < LEXICON_MARGIN:
        return None
    name = lang_name(lang)
    article = "an" if name[:1] in "AEIOU" else "a"
    why = f"{article} {name} spelling (wordfreq zipf {there:.1f} in {lang}, {en:.1f} in en)"
    return Rule(_NEVER, "", why, "weak", lang, "lexicon")


def strength_of(rules: list[Rule] | tuple[Rule, ...]) -> int:
    """Evidence that a spelling is foreign: 2 = one strong marker is enough."""
    return sum(_STRENGTH.get(r.strength, 1) for r in rules)


def explain_name(ref: list[str], var: list[str], lexicon: bool = False, only: str | None = None
                 ) -> tuple[str | None, list[TokenDiff]]:
    """Token-by-token differences of two names of equal length, all read with the one foreign
    romanisation that explains the most (a French copy is French in every token).
    `lexicon`: add word-list markers (verdicts only: it loads foreign word lists); `only`: try
    that one language."""
    best_lang, best = None, [explain(r, v, None) for r, v in zip(ref, var)]
    best_score = 0
    langs = set()
    for r, v in zip(ref, var):
        langs.update(foreign_candidates(orth(r), orth(v)))
    if only is not None:
        langs &= {only}
    for lang in sorted(langs):
        diffs = [explain(r, v, lang) for r, v in zip(ref, var)]
        score = sum(d.foreign_strength for d in diffs)
        if lexicon and (score == 1 or only is not None):
            # word lists only where they can decide: one weak marker, or a language asked for
            # (each foreign list costs a tenth of a second to load)
            diffs = [explain(r, v, lang, True) for r, v in zip(ref, var)]
            score = sum(d.foreign_strength for d in diffs)
        worse = sum(LEVELS.index(d.level) for d in diffs) > sum(LEVELS.index(d.level) for d in best)
        hinted = only is not None and any(d.foreign for d in diffs)   # hints count when asked
        if (score > best_score or hinted) and not worse:
            best_lang, best, best_score = lang, diffs, score
    return best_lang, best


def edit_label(op, ref: str, var: str) -> str:
    """One Levenshtein edit as a reviewer reads it: 'k→q', '-h' (dropped), '+c' (added)."""
    if op.tag == "replace":
        return f"{ref[op.src_pos]}→{var[op.dest_pos]}"
    if op.tag == "delete":
        return f"-{ref[op.src_pos]}"
    return f"+{var[op.dest_pos]}"


def consonant_changes(ref: str, var: str) -> list[str]:
    """Consonant edits between two folded spellings, for the evidence: ['k→q', 't→d']."""
    out = []
    vowels = set(romanisation().vowel_map)
    for op in Levenshtein.editops(ref, var):
        a = ref[op.src_pos] if op.tag != "insert" else ""
        b = var[op.dest_pos] if op.tag != "delete" else ""
        if (a in vowels or not a) and (b in vowels or not b):
            continue
        out.append(edit_label(op, ref, var))
    return out


def fused_word(ref: str, var: str) -> str | None:
    """The next word glued onto a name: ('Nujaba', 'Nujabaa') -> 'a'."""
    r, v = orth(ref), orth(var)
    for w in romanisation().fusable:
        if v == r + w and not r.endswith(w * 2):
            return w
    return None


def lang_name(lang: str | None) -> str:
    return romanisation().lang_names.get(lang or "", lang or "")
