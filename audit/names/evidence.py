"""Document evidence: an article translated from French is French in every name.

One weak marker (ou for u, e for a, a final mute -e) does not make a spelling foreign on its
own: English outlets write Moussa, Younis and Mohammed too. But an article that shows strong
markers of one language elsewhere (a diaeresis, ch for sh, a listed foreign form or acronym)
was romanised in that language, and its weak markers are read the same way, provided

- that language's rules explain the whole difference from the canonical spelling (vowels at
  most): a routine variant of it (Haniye for Haniyeh) is no evidence,
- every rewritten word is less known in English than the spelling it is compared with (the
  gazetteer's or other outlets'), and not a common English word, and
- no article without foreign markers uses the rewritten word (then it is an English variant).

Only strong evidence counts as evidence, and a promoted spelling is not evidence in turn.
"""
from __future__ import annotations

from audit.names.gazetteer import form_names
from audit.names.grouping import MatchSettings
from audit.names.translit import LEVELS, TokenDiff, collapse_doubles, explain_name, orth
from audit.names.verdict import Judged, Resolved, comparable
from audit.names.words import zipf

COMMON = 3.0
PROMOTED = "document_evidence"


def languages(results: list[Resolved]) -> dict[str, dict[str, set[str]]]:
    """doc id -> language -> the foreign spellings that show it."""
    out: dict[str, dict[str, set[str]]] = {}
    for r in results:
        for j in r.judged:
            if j.verdict != "foreign" or PROMOTED in j.notes or j.notes.get("pending"):
                continue
            if j.rule == "foreign-acronym" and j.notes.get("acronym_rule") != "listed":
                continue                 # word order alone does not tell French from Spanish
            langs = j.notes.get("languages") or ([j.lang] if j.lang else [])
            for lang in langs:
                out.setdefault(j.occ.mention.doc_id, {}).setdefault(lang, set()).add(j.text)
    return out


def _tok(s: str) -> str:
    return collapse_doubles(orth(s))


def _eligible(j: Judged, r: Resolved) -> bool:
    form = j.occ.form
    if form is not None and form.kind in ("canonical", "alias"):
        return False
    if j.text == r.canonical or tuple(j.occ.mention.names) in r.standard:
        return False
    if j.verdict == "acceptable":
        return j.rule == "romanisation"
    return "foreign_candidate" in j.notes and j.rule in ("consonant-change",
                                                        "consonants differ, no consensus")


def _reading(j: Judged, r: Resolved, lang: str, mcfg: MatchSettings, clean: set[str]
             ) -> tuple[int, tuple[str, ...], list[TokenDiff]] | None:
    """The strongest reading of `j` in `lang` against a reference spelling, if one explains
    the difference and passes the guards in the module docstring."""
    var = tuple(j.occ.mention.names)
    refs = [x for x in comparable(var, [form_names(r.canonical)], mcfg) if x != var]
    best = None
    for ref in refs:
        got, diffs = explain_name(list(ref), list(var), lexicon=True, only=lang)
        if got != lang or any(LEVELS.index(d.level) > LEVELS.index("vowel") for d in diffs):
            continue
        fired = [d for d in diffs if d.foreign]
        if not fired or any(zipf(d.var) >= COMMON or zipf(d.var) >= zipf(d.ref)
                            or _tok(d.var) in clean for d in fired):
            continue
        strength = sum(d.foreign_strength for d in diffs)
        if best is None or strength > best[0]:
            best = (strength, ref, diffs)
    return best


def promote(results: list[Resolved], mcfg: MatchSettings) -> None:
    """Read weak markers in the language the rest of the article shows (see module doc)."""
    ev = languages(results)
    clean = {_tok(n) for r in results for j in r.judged if j.occ.mention.doc_id not in ev
             for n in j.occ.mention.names}
    for r in results:
        for j in r.judged:
            shown = ev.get(j.occ.mention.doc_id)
            if not shown:
                continue
            if j.notes.get("pending"):
                _settle(j, shown)
                continue
            if not _eligible(j, r):
                continue
            options = []
            for lang, spellings in shown.items():
                others = spellings - {j.text}
                if others:
                    got = _reading(j, r, lang, mcfg, clean)
                    if got is not None:
                        options.append((got[0], len(others), lang, got, others))
            if options:
                _, _, lang, (_, ref, diffs), others = max(options, key=lambda o: o[:3])
                _promote(j, r, lang, ref, diffs, others)
    _name_languages(results, ev)


def _promote(j: Judged, r: Resolved, lang: str, ref: tuple[str, ...], diffs: list[TokenDiff],
             others: set[str]) -> None:
    j.notes["before"] = [j.verdict, j.rule]
    j.verdict, j.rule, j.lang, j.ref, j.diffs = "foreign", "foreign-romanisation", lang, ref, diffs
    j.notes[PROMOTED] = sorted(others)[:6]
    j.notes.pop("foreign_candidate", None)
    if len(ref) == 1 and len(form_names(r.canonical)) > 1:
        j.suggestion = ref[0]


def _settle(j: Judged, shown: dict[str, set[str]]) -> None:
    """A reverse-romanisation hit waiting for evidence of its language."""
    for lang in sorted(j.notes["pending"], key=lambda x: -len(shown.get(x, set()))):
        others = shown.get(lang, set()) - {j.text}
        if others:
            j.verdict, j.lang = "foreign", lang
            j.notes[PROMOTED] = sorted(others)[:6]
            j.notes.pop("pending")
            return


def _name_languages(results: list[Resolved], ev: dict[str, dict[str, set[str]]]) -> None:
    """A form several languages write (ONU) takes the language the article shows most."""
    for r in results:
        for j in r.judged:
            langs = j.notes.get("languages")
            if j.verdict != "foreign" or not langs:
                continue
            shown = ev.get(j.occ.mention.doc_id, {})
            ranked = sorted(langs, key=lambda lang: -len(shown.get(lang, set()) - {j.text}))
            if shown.get(ranked[0], set()) - {j.text}:
                j.lang = ranked[0]
