"""The canonical spelling of each entity, and a verdict on every other spelling.

canonical   the gazetteer's house spelling, else the spelling most outlets use (weighted by
            trust), preferring spellings no foreign romanisation explains and words English
            text knows.
acceptable  aliases and routine romanisation choices: recorded for the entity table, never
            flagged (an info finding would still count against precision).
foreign     another language's romanisation (French "ch" for "sh", Spanish "j" for "kh").
garbled     consonants changed beyond romanisation choices against the gazetteer or a
            consensus of outlets, a name fused with the next word, a listed bad form, or one
            article spelling one name several ways (two spellings of a distinctive token is
            suspicious, three is strong).
unknown     differs, but nothing says which spelling is right (one outlet against another).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from audit.names.majority import MajoritySettings, native_word
from audit.names.nearmiss import NearSettings

from audit.names.gazetteer import GazetteerEntry, form_names
from audit.names.grouping import Cluster, MatchSettings, Occurrence, distinctive, names_match
from audit.names.translit import (LEVELS, TokenDiff, collapse_doubles, explain, explain_name,
                                  fold, fused_word, orth, spelling_class)
from audit.names.words import is_acronym, name_zipf, zipf

SEVERITY = {"foreign": "warning", "garbled": "error"}


@dataclass
class VerdictSettings:
    min_consensus_outlets: int = 2   # outlets behind a consensus spelling before others are garbled
    rare_word_zipf: float = 2.0      # a spelling this rare, beside a better one, is suspect
    known_word_zipf: float = 3.0     # a word this common is never called garbled
    zipf_margin: float = 0.8         # how much better known the other spelling in an article is
    majority: MajoritySettings = field(default_factory=MajoritySettings)
    near: NearSettings = field(default_factory=NearSettings)


@dataclass
class Judged:
    occ: Occurrence
    verdict: str = "acceptable"
    rule: str = ""
    lang: str | None = None
    ref: tuple[str, ...] = ()
    diffs: list[TokenDiff] = field(default_factory=list)
    suggestion: str | None = None
    notes: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.occ.mention.text


@dataclass
class Resolved:
    id: str
    canonical: str
    source: str                       # "gazetteer" | "consensus"
    entry: GazetteerEntry | None
    refs: list[tuple[str, ...]]       # spellings a variant is compared with
    support: int                      # outlets behind the canonical spelling
    judged: list[Judged] = field(default_factory=list)
    standard: list[tuple[str, ...]] = field(default_factory=list)  # never flagged in an article


# --- canonical ---------------------------------------------------------------------------------

def _classes(occs: list[Occurrence], outlet: Callable[[str], tuple[str, float]]
             ) -> dict[tuple, dict]:
    """Spellings grouped by skeleton (Sakhr/Sakhar together), with the outlets behind each."""
    out: dict[tuple, dict] = {}
    for o in occs:
        names = tuple(o.mention.names)
        c = out.setdefault(tuple(spelling_class(n) for n in names),
                           {"spellings": {}, "outlets": {}})
        name, trust = outlet(o.mention.doc_id)
        c["outlets"][name] = max(trust, c["outlets"].get(name, 0.0))
        sp = c["spellings"].setdefault(o.mention.text, {"outlets": set(), "n": 0, "names": names})
        sp["outlets"].add(name)
        sp["n"] += 1
    return out


def _looks_foreign(var: tuple[str, ...], ref: tuple[str, ...]) -> bool:
    """Does `var` read as `ref` in another language's romanisation?"""
    if len(ref) != len(var) or ref == var:
        return False
    lang, diffs = explain_name(list(ref), list(var))
    return bool(lang) and sum(d.foreign_strength for d in diffs) >= 2 \
        and all(LEVELS.index(d.level) <= LEVELS.index("vowel") for d in diffs)


def _token_support(names: tuple[str, ...], cluster: Cluster) -> int:
    """How many mentions (full names and lone surnames) share each of this spelling's tokens."""
    seen = [{_orth2(n) for n in o.mention.names} for o in cluster.occs]
    return sum(1 for n in names for toks in seen if _orth2(n) in toks)


@dataclass
class Consensus:
    text: str
    refs: list[tuple[str, ...]]       # spellings of the canonical's class
    standard: list[tuple[str, ...]]   # of those, the canonical and spellings two outlets share
    support: int                      # outlets behind the class


def consensus(cluster: Cluster, outlet: Callable[[str], tuple[str, float]],
              writers: dict[str, set[str]] | None = None) -> Consensus:
    """The canonical spelling of a cluster the gazetteer does not list: the class of spellings
    most (trusted) outlets use, not a foreign romanisation of another class, then within it the
    spelling with most outlets, then (a tie) the one whose tokens most outlets of the whole
    batch write (`writers`: orth(token) -> outlets; a surname written alone elsewhere is a
    cluster of its own), most shared tokens, and words English text knows."""
    writers = writers or {}

    def batch_support(names: tuple[str, ...]) -> int:
        return sum(len(writers.get(orth(n), ())) for n in names)
    full = max(len(o.mention.names) for o in cluster.occs)
    classes = _classes([o for o in cluster.occs if len(o.mention.names) == full], outlet)

    def pick(c: dict) -> tuple[str, dict]:
        return max(c["spellings"].items(), key=lambda kv: (
            len(kv[1]["outlets"]), batch_support(kv[1]["names"]), _token_support(kv[1]["names"], cluster),
            name_zipf(list(kv[1]["names"])), kv[1]["n"], kv[0].isascii(), -len(kv[0])))

    reps = {k: pick(c) for k, c in classes.items()}

    def rank(k: tuple) -> tuple:
        c, names = classes[k], reps[k][1]["names"]
        foreign = any(_looks_foreign(names, reps[j][1]["names"]) for j in classes if j != k)
        return (not foreign, round(sum(c["outlets"].values()), 3), name_zipf(list(names)) > 0,
                sum(s["n"] for s in c["spellings"].values()))

    best = max(classes, key=rank)
    text, sp = reps[best]
    canon = sp["names"]
    refs = [s["names"] for s in classes[best]["spellings"].values()
            if not _looks_foreign(s["names"], canon)]
    standard = [canon] + [s["names"] for s in classes[best]["spellings"].values()
                          if len(s["outlets"]) >= 2 and s["names"] in refs]
    return Consensus(text, refs, standard, len(classes[best]["outlets"]))


# --- verdicts ----------------------------------------------------------------------------------

def comparable(var: tuple[str, ...], refs: list[tuple[str, ...]], cfg: MatchSettings
               ) -> list[tuple[str, ...]]:
    """Reference spellings comparable with `var`: same length (acronyms only with acronyms),
    and for a lone word the last token of longer names it matches (a surname)."""
    acronym = all(is_acronym(t) for t in var)
    out = [r for r in refs if len(r) == len(var) and all(is_acronym(t) for t in r) == acronym]
    if len(var) == 1 and not acronym:
        out += [(r[-1],) for r in refs if len(r) > 1 and names_match((r[-1],), var, cfg)]
    return out


def _orths(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(orth(t) for t in names)


def _score(diffs: list[TokenDiff]) -> tuple:
    return (max(LEVELS.index(d.level) for d in diffs),
            sum(len(d.changes) for d in diffs), -sum(d.foreign_strength for d in diffs))


def judge(occ: Occurrence, res: Resolved, var_outlets: int, text_after: str,
          mcfg: MatchSettings, vcfg: VerdictSettings) -> Judged:
    """The verdict on one occurrence, compared with the closest standard spelling.

    `var_outlets`: how many outlets write this spelling; `text_after`: the raw text after it.
    """
    j = Judged(occ, suggestion=res.canonical)
    var = tuple(occ.mention.names)
    if occ.form is not None:
        return _from_form(j, res)
    if occ.mention.text == res.canonical:
        j.verdict, j.rule = "canonical", res.source
        return j
    if any(_orths(r) == _orths(var) for r in comparable(var, res.standard, mcfg)):
        j.verdict, j.rule = "acceptable", "standard spelling"   # what the majority writes
        return j
    refs = [r for r in comparable(var, res.refs, mcfg) if r != var] or \
        comparable(var, [form_names(res.canonical)], mcfg)
    if not refs:
        j.verdict, j.rule = "unknown", "no comparable spelling"
        return j
    for ref in refs:
        for i, (r, v) in enumerate(zip(ref, var)):
            w = fused_word(r, v)
            if w and text_after[:1].isspace() and text_after.lstrip()[:1].islower() \
                    and (zipf(v) == 0 or zipf(v) < zipf(r) - 1):
                j.verdict, j.rule, j.ref = "garbled", "fused-word", ref
                j.notes = {"fused_word": w, "name_token": r, "token_index": i}
                return j
    scored = []
    for ref in refs:
        lang, diffs = explain_name(list(ref), list(var), lexicon=True)
        scored.append((_score(diffs), lang, diffs, ref))
    _, lang, diffs, ref = min(scored, key=lambda s: s[0])
    j.ref, j.diffs = ref, diffs
    if len(var) < len(form_names(res.canonical)) and len(ref) == 1:
        j.suggestion = ref[0]
    strength = sum(d.foreign_strength for d in diffs)
    if lang and strength < 2:
        # one weak marker is not enough on its own: judge the spelling as if no foreign rule
        # applied, and leave the language for document evidence (audit/names/evidence.py)
        j.notes["foreign_candidate"] = lang
        diffs = [explain(r, v, None) for r, v in zip(ref, var)]
        lang, strength = None, 0
        j.diffs = diffs
    changed = [d for d in diffs if d.level == "consonant"]
    if changed:
        backed = res.source == "gazetteer" or (res.support >= vcfg.min_consensus_outlets
                                               and var_outlets < res.support)
        rare = all(zipf(d.var) < vcfg.known_word_zipf for d in changed)
        other = _other_name(changed)
        j.verdict, j.rule = ("unknown", other) if other else \
            ("garbled", "consonant-change") if backed and rare else \
            ("unknown", "consonants differ, no consensus")
        j.lang = lang if strength else None
    elif lang and strength >= 2:
        j.verdict, j.rule, j.lang = "foreign", "foreign-romanisation", lang
    else:
        j.verdict, j.rule = "acceptable", "romanisation"
    return j


def _other_name(changed: list[TokenDiff]) -> str:
    """Why a consonant difference is no slip in the reference, or "" when it may be one.

    A slip changes a letter or two of a name; a token that changes more than half of the
    reference's consonants is another word the fuzzy match brought in ("Kazakh" beside the
    gazetteer's "Gaza": g→k, +k, +h). And damage does not add accents that make a word another
    language writes: "Mickaël" (French zipf 3.2) beside "Michael" is the French form of the
    name, its bearer's own spelling, not a garbling (fresh5: both were flagged; the labels call
    Mickaël acceptable and Kazakh no name of Gaza)."""
    for d in changed:
        if len(d.changes) > max(1, len(_consonants(d.ref)) // 2):
            return "another name: most consonants differ"
        if not d.var.isascii() and native_word(d.var):
            return "another language's form of the name"
    return ""


def _consonants(tok: str) -> str:
    return re.sub(r"[aeiouy ]", "", collapse_doubles(fold(tok)))


def _from_form(j: Judged, res: Resolved) -> Judged:
    f = j.occ.form
    j.ref = f.names
    if f.kind == "canonical":
        j.verdict, j.rule = ("canonical" if j.text == res.canonical else "acceptable"), "gazetteer"
    elif f.kind == "alias":
        j.verdict, j.rule = "acceptable", "gazetteer alias"
    elif f.kind == "foreign":
        j.verdict, j.rule, j.lang = "foreign", "gazetteer-foreign", f.lang
        if len(f.langs) > 1:
            j.notes["languages"] = list(f.langs)
    else:
        j.verdict, j.rule = "garbled", "gazetteer-known-bad"
    return j


# --- one article, several spellings ------------------------------------------------------------

def _orth2(tok: str) -> str:
    return collapse_doubles(orth(tok))


def _position(var: tuple[str, ...], canon: tuple[str, ...], mcfg: MatchSettings) -> dict[int, str]:
    if len(var) == len(canon):
        return dict(enumerate(var))
    if len(var) == 1:
        for p in range(len(canon) - 1, -1, -1):
            if names_match((canon[p],), var, mcfg):
                return {p: var[0]}
    return {}


def within_article(res: Resolved, canon: tuple[str, ...], mcfg: MatchSettings,
                   vcfg: VerdictSettings) -> None:
    """Flag spellings of a distinctive token that disagree inside one article."""
    standard: dict[int, set[str]] = {}
    for ref in res.standard:
        for p, tok in _position(ref, canon, mcfg).items():
            standard.setdefault(p, set()).add(_orth2(tok))
    by_doc: dict[str, list[tuple[Judged, dict[int, str]]]] = {}
    for j in res.judged:
        if j.rule != "common-noun-misrendering":
            by_doc.setdefault(j.occ.mention.doc_id, []).append(
                (j, _position(tuple(j.occ.mention.names), canon, mcfg)))
    for p, ctok in enumerate(canon):
        if not distinctive(ctok, mcfg):
            continue
        seen_in: dict[str, set[str]] = {}
        for doc_id, items in by_doc.items():
            for _, pos in items:
                if p in pos:
                    seen_in.setdefault(_orth2(pos[p]), set()).add(doc_id)
        for doc_id, items in by_doc.items():
            _check_position(ctok, p, items, standard.get(p, set()), seen_in, doc_id, vcfg)


def _check_position(ctok: str, p: int, items: list, standard: set[str],
                    seen_in: dict[str, set[str]], doc_id: str, vcfg: VerdictSettings) -> None:
    """Three spellings of one token in an article are strong evidence of damage; two are
    suspicious, flagged only when the odd one is a one-off and a better-known spelling exists."""
    forms: dict[str, str] = {}
    for _, pos in items:
        if p in pos:
            forms.setdefault(_orth2(pos[p]), pos[p])
    if len(forms) < 2:
        return
    spelled = sorted(forms.values())
    for j, pos in items:
        if p not in pos or _orth2(pos[p]) in standard:
            continue
        if j.verdict in ("garbled", "foreign"):
            j.notes.setdefault("article_spellings", spelled)     # more evidence, same verdict
            continue
        tok = pos[p]
        if len(forms) >= 3:
            if explain(ctok, tok).level in ("same", "acceptable"):
                continue
            strength = "strong"
        else:
            other = next(f for k, f in forms.items() if k != _orth2(tok))
            one_off = seen_in.get(_orth2(tok), set()) <= {doc_id}
            better = _orth2(other) in standard or bool(seen_in.get(_orth2(other), set()) - {doc_id})
            clearer = zipf(other) - zipf(tok) >= vcfg.zipf_margin or \
                explain(other, tok).level in ("vowel", "consonant")
            if not (one_off and better and clearer and zipf(tok) < vcfg.rare_word_zipf):
                continue
            strength = "suspicious"
        j.notes["before"] = (j.verdict, j.rule)
        j.verdict, j.rule = "garbled", "within-article"
        j.notes["article_spellings"] = spelled
        j.notes["strength"] = strength


def corroborate(results: list[Resolved]) -> None:
    """Two spellings in one article only count in an article that shows other name damage:
    an English original may well write Hezbollah and Hizbollah; a machine-translated copy that
    also garbles another name is not given the benefit of the doubt."""
    damaged = {j.occ.mention.doc_id for r in results for j in r.judged
               if j.verdict in SEVERITY and j.notes.get("strength") != "suspicious"}
    for r in results:
        for j in r.judged:
            if j.notes.get("strength") == "suspicious" and j.occ.mention.doc_id not in damaged:
                j.verdict, j.rule = j.notes.pop("before")
                j.notes.pop("strength")
                j.notes["uncorroborated_article_spellings"] = j.notes.pop("article_spellings")
