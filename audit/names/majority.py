"""A one-off spelling against a strong majority of outlets.

Routine romanisation leaves a name's consonants alone and moves its vowels or doubles a letter
(Mohammed/Mohamed, Qassem/Qassim), so such a spelling is acceptable on its own. But when one
outlet writes "Bazum" and four others write "Bazoum", the odd one out is a slip, not a house
style. This rule weighs two things, both as log-odds of damage:

  the moves      each vowel move or doubling has a learned cost (audit/names/edits.py, from
                 labelled acceptable vs garbled/foreign spellings): how often a spelling that
                 makes the move is damage rather than a romanisation choice, over the base rate;
  the majority   ln(outlets writing the reference token / outlets writing this token), the
                 former counted up to `majority_cap` (ten outlets are not more sure than four
                 that a routine move is a slip).

A token is judged only when it is a one-off (its outlet alone writes it, or half as many
outlets as write the reference), the majority is at
least `min_majority_outlets` other outlets, English text does not know the token better than
the reference (an established spelling such as Mohamed is a choice), and the gazetteer does
not list it. When the only other explanation is a weak marker of another language's
romanisation (French "ou" for o), the verdict is foreign in that language instead of garbled.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from audit.names.edits import Move, moves, table
from audit.names.translit import LEVELS, explain, fold, foreign_candidates, lang_name, orth
from audit.names.words import name_word_list, zipf

NATIVE_ZIPF = 2.0


@dataclass(frozen=True)
class MajoritySettings:
    min_majority_outlets: int = 2     # other outlets writing the reference token
    place_majority_outlets: int = 3   # ... of a place or thing's name (no owner's spelling):
                                      # fresh's Hantub Bridge against 2 outlets' Hantoub is
                                      # labelled acceptable; Quilpé against 3 is a slip
    established_zipf: float = 1.5     # a token English text knows this well (Rasoul 1.5) is an
                                      # established spelling, a choice rather than a slip
    min_damage: float = 0.75          # log-odds the moves plus the majority must reach
    majority_cap: int = 4             # beyond this many outlets a majority is no stronger
    minority_ratio: int = 2           # a spelling more than one outlet writes needs this many
                                      # times as many outlets against it
    press_zipf: float = 2.5           # a press's spelling: this well known in its language ...
    press_margin: float = 1.0         # ... and this much better known there, and its English
                                      # counterpart this much better known in English
    head_noun_zipf: float = 4.0       # a last word this common is a head noun (Bridge 4.5)
    exonym_zipf: float = 3.0          # a batch place name English text knows this well has an
                                      # English form of its own (Tripoli 3.3, Valencia 3.6;
                                      # Nzerekore, Tillaberi 0, Bogota 2.9)


@dataclass
class TokenCase:
    ref: str
    var: str
    moves: tuple[Move, ...]
    ref_outlets: int
    var_outlets: int
    damage: float                     # log-odds: moves over the base rate, plus the majority
    move_costs: list[tuple[str, float]] = field(default_factory=list)


def token_outlets(mentions, outlet: Callable[[str], tuple[str, float]]) -> dict[str, set[str]]:
    """orth(token) -> the outlets that write it in any of these name mentions (an entity's, or
    the whole batch's)."""
    out: dict[str, set[str]] = {}
    for m in mentions:
        name = outlet(m.doc_id)[0]
        for tok in m.names:
            out.setdefault(orth(tok), set()).add(name)
    return out


def case_for(ref: str, var: str, own: str, seen: dict[str, set[str]], listed: frozenset[str],
             cfg: MajoritySettings, min_outlets: int | None = None) -> TokenCase | None:
    """The case against token `var` (written by outlet `own`) next to `ref`, if it has one.
    `min_outlets`: the majority needed (default cfg.min_majority_outlets)."""
    ms = moves(ref, var)
    if ms == () or orth(var) in listed:
        return None                 # accents only: a house style unless a majority says so
    if ms is None:
        if _foreign_reading([TokenCase(ref, var, (), 0, 0, 0.0)], None) is None:
            return None
        ms = ()                     # consonants differ, but another language's rules explain it
    ref_out = len(seen.get(orth(ref), set()) - {own})
    var_out = len(seen.get(orth(var), set()))
    if var_out > max(1, ref_out // cfg.minority_ratio) \
            or ref_out < (min_outlets or cfg.min_majority_outlets):
        return None
    zv = zipf(var)
    if zv >= cfg.established_zipf or zv > zipf(ref):
        return None
    t = table()
    costs = [(m.symbol, round(t.cost(m) - t.prior, 3)) for m in ms]
    damage = sum(c for _, c in costs) + math.log(min(ref_out, cfg.majority_cap) / max(var_out, 1))
    return TokenCase(ref, var, ms, ref_out, var_out, round(damage, 3), costs)


def judge(j, seen: dict[str, set[str]], own: str, listed: frozenset[str],
          cfg: MajoritySettings, owned: bool = True) -> bool:
    """Re-judge an acceptable spelling against the majority; True when the verdict changed.
    `owned`: the name has a Latin spelling of its own, a person's (Bazoum: two outlets against
    one suffice). A place or thing romanised from another script (Hantoub/Hantub Bridge) has
    none: "u" for "ou" is a romanisation choice there unless `place_majority_outlets` agree."""
    need = cfg.min_majority_outlets if owned else cfg.place_majority_outlets
    if j.verdict != "acceptable" or j.rule != "romanisation" or not j.ref \
            or len(j.ref) != len(j.occ.mention.names):
        return False
    cases, press = [], []
    for r, v in zip(j.ref, j.occ.mention.names):
        if orth(r) == orth(v):
            continue
        lang = press_language(r, v, cfg)
        if lang is not None:
            press.append((r, v, lang))
            continue
        case = case_for(r, v, own, seen, listed, cfg, need)
        if case is None:
            alt = _written_ref(v, own, seen)
            if alt is not None and orth(alt) != orth(r):
                alt = alt[:1].upper() + alt[1:] if v[:1].isupper() else alt
                case = case_for(alt, v, own, seen, listed, cfg, need)
        if case is None:
            if _settled(v, own, seen, cfg):
                continue            # a routine choice beside the slip (Mohammad Al-Jallali)
            return False
        cases.append(case)
    if press and not cases:
        return _press_verdict(j, press)
    if not cases or sum(c.damage for c in cases) < cfg.min_damage * len(cases):
        return False
    lang = _foreign_reading(cases, j.notes.get("foreign_candidate"))
    foreign = lang is not None
    j.notes["before"] = (j.verdict, j.rule)
    j.verdict, j.rule = ("foreign", "foreign-against-majority") if foreign else \
        ("garbled", "against-majority")
    if foreign:
        j.lang = lang
        j.notes.pop("foreign_candidate", None)
        j.notes["foreign_rules"] = sorted({r.why for c in cases
                                           for r in explain(c.ref, c.var, lang).foreign})
    else:
        hints = _hints(cases)
        if hints:
            j.notes["romanisation_hints"] = hints
    j.notes["majority"] = [{"reference": c.ref, "spelling": c.var, "outlets": c.ref_outlets,
                            "moves": [m.words() for m in c.moves],
                            "learned_costs": dict(c.move_costs), "damage": c.damage}
                           for c in cases]
    return True


def press_language(ref: str, var: str, cfg: MajoritySettings) -> str | None:
    """The language whose press writes `var` where English text writes `ref` (Oussama for
    Osama: French text knows Oussama at zipf 3.1, English at 1.6, and English knows Osama at
    3.3), from wordfreq's word lists of the languages English copy is translated from. A
    romanisation is a house style only when English text uses it too; one that a source
    language's press prefers, beside the spelling English prefers, says where the copy came
    from. Accents are left to accent_unbacked (Trípoli vs López)."""
    if fold(ref) == fold(var):
        return None
    z_en = zipf(var)
    if zipf(ref) < z_en + cfg.press_margin:
        return None
    best, lang = max((zipf(var, x), x) for x in name_word_list("press_languages"))
    if best < cfg.press_zipf or best < z_en + cfg.press_margin or best <= zipf(ref, lang):
        return None
    return lang


def _press_verdict(j, press: list[tuple[str, str, str]]) -> bool:
    """Foreign in the one language whose press prefers every changed token."""
    langs = {lang for _, _, lang in press}
    if len(langs) != 1:
        return False
    lang = langs.pop()
    j.notes["before"] = (j.verdict, j.rule)
    j.verdict, j.rule, j.lang = "foreign", "press-spelling", lang
    j.notes.pop("foreign_candidate", None)
    j.notes["press"] = [{"reference": r, "spelling": v, "zipf_en": zipf(v),
                         f"zipf_{lang}": zipf(v, lang), "reference_zipf_en": zipf(r)}
                        for r, v, _ in press]
    return True


def _written_ref(var: str, own: str, seen: dict[str, set[str]]) -> str | None:
    """The token other outlets of the entity write most that differs from `var` only in vowels
    and doubled letters: the reference when the listed one is a form nobody in the batch
    writes (the gazetteer's Yevgeniy where five outlets write Yevgeny)."""
    best, most = None, 0
    for tok, outlets in seen.items():
        n = len(outlets - {own})
        if n > most and tok != orth(var) and moves(tok, var):
            best, most = tok, n
    return best


def _settled(var: str, own: str, seen: dict[str, set[str]], cfg: MajoritySettings) -> bool:
    """A token that is a spelling of its own: English text knows it (Mohammad), or other outlets
    write it too. Beside a slip in another token it is no reason to let the slip pass."""
    return zipf(var) >= cfg.established_zipf or len(seen.get(orth(var), set()) - {own}) >= 1


def _foreign_reading(cases: list[TokenCase], hint: str | None) -> str | None:
    """The language whose romanisation rules (hints included) explain every changed token."""
    langs = set(foreign_candidates(orth(cases[0].ref), orth(cases[0].var)))
    for c in cases[1:]:
        langs &= set(foreign_candidates(orth(c.ref), orth(c.var)))
    ok = [lang for lang in sorted(langs)
          if all(LEVELS.index(explain(c.ref, c.var, lang).level) <= 1 for c in cases)
          and sum(explain(c.ref, c.var, lang).foreign_strength for c in cases) >= 1]
    if hint in ok:
        return hint
    return ok[0] if ok else None


def _hints(cases: list[TokenCase]) -> list[str]:
    """Weak hints of another language's romanisation that fit every change, in words
    ("French: ou for u"): not enough for a foreign verdict, worth telling a reviewer."""
    out = []
    for lang in sorted(set.intersection(*(set(foreign_candidates(orth(c.ref), orth(c.var)))
                                          for c in cases))):
        diffs = [explain(c.ref, c.var, lang) for c in cases]
        if all(LEVELS.index(d.level) <= 1 and d.foreign for d in diffs):
            rules = sorted({r.why.split(" (")[0] for d in diffs for r in d.foreign})
            out.append(f"{lang_name(lang)}: {', '.join(rules)}")
    return out


def explain_cases(notes: dict) -> str:
    """'4 other outlets spell it Bazoum; this spelling moves a vowel (ou→u)'."""
    parts = []
    for c in notes.get("majority", []):
        n = c["outlets"]
        how = f"; this spelling {' and '.join(c['moves'])}" if c["moves"] else ""
        parts.append(f"{n} other outlet{'s' if n != 1 else ''} spell it “{c['reference']}”{how}")
    return "; ".join(parts)


def accent_unbacked(j, seen: dict[str, set[str]], own: str, cfg: MajoritySettings,
                    consensus: bool = True, exonym: bool = False) -> bool:
    """A spelling that differs from the English form only by accents is the name's own
    spelling (Nzérékoré, Tillabéri, Labé: Latin-script names of francophone places, which
    native-English copy from the BBC down writes so; López, Müller, Mazón), so acceptable,
    however many outlets drop the accents: stripping them is a house style, not repair of a
    translation. Only an `exonym`, a name English has a form of its own for (Trípoli for
    Tripoli, Irán for Iran: a listed place or organisation, or a batch name English text
    knows, `exonym_zipf`), keeps its foreign verdict. Spellings that differ by more than
    accents keep their verdict unless they are native and unbacked (Guaíba against one
    outlet's Guiaba). True when the verdict was reverted to acceptable."""
    if j.verdict != "foreign" or j.rule != "foreign-romanisation" \
            or len(j.ref) != len(j.occ.mention.names):
        return False
    pairs = [(r, v) for r, v in zip(j.ref, j.occ.mention.names) if orth(r) != orth(v)]
    if not pairs:
        return False
    accents = all(fold(r) == fold(v) for r, v in pairs)
    backed = all(len(seen.get(orth(r), set()) - {own}) >= cfg.min_majority_outlets
                 for r, _ in pairs)
    native = [v for _, v in pairs if not v.isascii() and native_word(v)]
    if exonym and (accents or backed):
        native = []
    if accents and not exonym:
        native = native or [v for _, v in pairs]
    elif not accents and not (native and consensus and not backed):
        return False
    elif not native and (backed or not consensus):
        return False
    j.notes["before"] = (j.verdict, j.rule)
    j.verdict, j.lang = "acceptable", None
    j.rule = "native spelling" if native else "accents, no majority"
    if native:
        j.notes["native_spelling"] = native
    return True


def owned_name(res, cfg: MajoritySettings) -> bool:
    """Does this entity have a Latin spelling of its own (a person's)? A gazetteer entry says
    so by its type; a batch name is taken for a place or thing when it is written with an
    English head noun ("Hantoub Bridge", "Nangarhar Province": a last word English text
    writes at zipf >= `head_noun_zipf`), else for a person."""
    if res.entry is not None:
        return res.entry.type == "person"
    return not any(len(j.occ.mention.names) > 1
                   and zipf(j.occ.mention.names[-1]) >= cfg.head_noun_zipf for j in res.judged)


def english_form(name: str, cfg: MajoritySettings) -> bool:
    """Does English text know this name (folded, all its words) as a word of its own?"""
    return zipf(fold(name)) >= cfg.exonym_zipf


def native_word(tok: str) -> bool:
    """Is this accented word its language's own spelling (zipf >= NATIVE_ZIPF there)?"""
    return any(zipf(tok, lang) >= NATIVE_ZIPF for lang in name_word_list("accent_languages"))
