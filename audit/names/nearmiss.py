"""A lone spelling one slip away from a name the batch agrees on.

Grouping merges spellings that sound alike; a slip of the keys or of a scraper often does not:
"Kahmaranmaras" (two letters swapped) beside six outlets' Kahramanmaras, "Tazbir" for Tabriz,
"Prigozchin" for Prigozhin, "Embryer" for Embraer, "Adi Yaman" for Adiyaman (a name split in
two). Such a spelling forms a group of its own with one outlet behind it, so no consensus judges
it. This second look compares each such token with the tokens at least `min_support` outlets
write (or the gazetteer lists) that share its first letter (edit distances computed in C by
rapidfuzz), and through an anagram key (letters moved). A candidate counts when

  - the lone token is unknown to English text (wordfreq) and written by one outlet only;
  - it keeps the supported token's first letter and is one edit away (two for long words), or
    holds the same letters in another order, or joins up into it ("Adi Yaman");
  - exactly one supported token is that close.

Consonant-equal pairs (vowel moves, doubled letters) are weighed with the learned move costs
(audit/names/majority.py) instead. What another language's romanisation rules explain is
foreign, with the language; the rest is garbled.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from audit.names.majority import MajoritySettings, case_for
from audit.names.translit import (LEVELS, _sub_all, collapse_doubles, edit_label, explain_name, fold, orth,
                                  romanisation)
from audit.names.words import is_acronym, name_word_list, zipf

VERDICTS_TO_CHECK = ("canonical", "unknown", "acceptable")


@dataclass(frozen=True)
class NearSettings:
    min_support: int = 2          # outlets behind the token a slip is compared with
    max_zipf: float = 1.5         # a lone token English knows better is left alone
    min_len: int = 5              # shorter tokens are too easily one letter from another name
    min_short_len: int = 3        # ... unless the rest of a full name outlets write pins them
    max_target_zipf: float = 3.5  # a common English word (Nigerian 4.0) is no name to slip
                                  # from; a proper name English knows (Louvre 3.1) is


@dataclass
class Target:
    token: str                    # as written by the supporting outlets
    outlets: set[str] = field(default_factory=set)
    result: object = None         # the Resolved it belongs to
    listed: bool = False
    roles: set[str] = field(default_factory=set)   # where outlets write it: first/middle/last/only


@dataclass
class NearHit:
    judged: object                # the Judged mention
    result: object                # the Resolved it moves to
    ref: tuple[str, ...]
    var: tuple[str, ...]
    how: str                      # "swap" | "edit" | "split" | "moves"
    support: int
    lang: str | None = None
    rules: list[str] = field(default_factory=list)
    majority: list[dict] = field(default_factory=list)


def _key(tok: str) -> str:
    return collapse_doubles(fold(tok).replace(" ", ""))


def _derived(ref: str, var: str) -> bool:
    """'guayaquilan' from 'guayaquil': an English word made from the name, not a slip."""
    return var.startswith(ref) and var[len(ref):] in name_word_list("derived_suffixes")


class TokenIndex:
    """Supported tokens by first letter (edits are scored in C by rapidfuzz over the few
    tokens sharing a first letter: a deletion index cost 0.4 s to build on 124 articles, this
    a few ms) and by anagram key (letters moved)."""

    def __init__(self, targets: dict[str, Target]):
        self.targets = targets
        self.by_first: dict[str, list[str]] = {}
        self.anagrams: dict[str, set[str]] = {}
        for k in targets:
            self.by_first.setdefault(k[0], []).append(k)
            self.anagrams.setdefault(k[0] + "".join(sorted(k)), set()).add(k)

    def near(self, tok: str) -> list[tuple[str, str]]:
        """(target key, how) for the supported tokens one slip from `tok`."""
        k = _key(tok)
        out = []
        limit = 2 if len(k) >= 8 else 1
        for c, dist, _ in process.extract(k, self.by_first.get(k[0], []), scorer=OSA.distance,
                                          score_cutoff=limit, limit=None):
            if c != k and not _derived(c, k) and dist <= (2 if min(len(c), len(k)) >= 8 else 1):
                out.append((c, "edit"))
        for c in self.anagrams.get(k[0] + "".join(sorted(k)), set()):
            if c != k and (c, "edit") not in out:
                out.append((c, "swap"))
        for rules in romanisation().foreign.values():      # Tsoneros read back as Choneros
            c = _key(_sub_all(rules, orth(tok)))
            if c != k and c in self.targets and all(c != x for x, _ in out):
                out.append((c, "edit"))
        return out


def supported(results, outlet: Callable[[str], tuple[str, float]], listed: frozenset[str],
              cfg: NearSettings) -> dict[str, Target]:
    """Tokens of accepted spellings that enough outlets write, or the gazetteer lists."""
    out: dict[str, Target] = {}
    for r in results:
        for j in r.judged:
            if j.verdict not in ("canonical", "acceptable"):
                continue
            names = j.occ.mention.names
            for i, tok in enumerate(names):
                if is_acronym(tok) or len(_key(tok)) < cfg.min_len:
                    continue
                t = out.setdefault(_key(tok), Target(tok, result=r))
                t.outlets.add(outlet(j.occ.mention.doc_id)[0])
                t.roles.add(role(i, len(names)))
                t.listed = t.listed or orth(tok) in listed
    return {k: t for k, t in out.items() if (len(t.outlets) >= cfg.min_support or t.listed)
            and zipf(t.token) < cfg.max_target_zipf}


def role(i: int, n: int) -> str:
    """Where a token stands in its name: a first name and a surname are different words."""
    return "only" if n == 1 else "first" if i == 0 else "last" if i == n - 1 else "middle"


def _same_role(t: Target, i: int, n: int) -> bool:
    """A token of a full name slips from a token outlets write in the same place, or from a
    lone name when it is the surname ("Murat Çalık" is no slip of Călin Georgescu's first
    name). A lone token may slip from any."""
    mine = role(i, n)
    return mine == "only" or mine in t.roles or (mine == "last" and "only" in t.roles) \
        or t.listed


def _backed(t: Target, own: str, cfg: NearSettings) -> bool:
    """Listed, or written by enough outlets besides this one."""
    return t.listed or len(t.outlets - {own}) >= cfg.min_support - 1 and \
        len(t.outlets) >= cfg.min_support


def _spelling_outlets(r, outlet) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for k in r.judged:
        out.setdefault(k.text, set()).add(outlet(k.occ.mention.doc_id)[0])
    return out


def find(results, outlet: Callable[[str], tuple[str, float]], listed: frozenset[str],
         cfg: NearSettings, mcfg: MajoritySettings, targets: dict[str, Target] | None = None,
         short: dict[str, Target] | None = None) -> list[NearHit]:
    """`targets`: supported(...) when the caller has it already; `short`: supported tokens of
    `min_short_len` to `min_len` letters, compared only inside a full name (split_short)."""
    if targets is None:
        targets, short = split_short(supported(results, outlet, listed, short_settings(cfg)), cfg)
    if not targets and not short:
        return []
    index = TokenIndex(targets)
    short_index = TokenIndex(short) if short else None
    seen: dict[str, set[str]] = {}
    for k, t in targets.items():
        seen.setdefault(orth(t.token), set()).update(t.outlets)
    hits = []
    for r in results:
        by_text = None
        for j in list(r.judged):
            if j.verdict not in VERDICTS_TO_CHECK or j.occ.form is not None:
                continue
            by_text = by_text or _spelling_outlets(r, outlet)
            if len(by_text[j.text]) != 1:
                continue
            hit = _check(j, r, targets, index, seen, outlet, listed, cfg, mcfg, short_index)
            if hit is not None:
                hits.append(hit)
    done = {id(h.judged) for h in hits}
    return hits + [h for h in _article_slips(results, outlet, listed, cfg) if id(h.judged) not in done]


def _article_slips(results, outlet, listed: frozenset[str], cfg: NearSettings) -> list[NearHit]:
    """A lone surname one or two edits from the last word of the full name its own article
    used before ("Senkan" after "Mehmet Serkan Sincan"): the article contradicts itself, so no
    other outlet is needed. The word must be no surname of anyone else in the batch."""
    full: dict[str, list[tuple[int, str, object]]] = {}
    for r in results:
        for j in r.judged:
            m = j.occ.mention
            if len(m.names) > 1 and j.verdict != "garbled":
                full.setdefault(m.doc_id, []).append((m.start, m.names[-1], r))
    lasts = {_key(last) for items in full.values() for _, last, _ in items}
    out = []
    for r in results:
        by_text = None
        for j in r.judged:
            m = j.occ.mention
            if len(m.names) != 1 or j.verdict not in VERDICTS_TO_CHECK or j.occ.form is not None \
                    or m.doc_id not in full:
                continue
            tok = m.names[0]
            k = _key(tok)
            if len(k) < cfg.min_len or k in lasts or orth(tok) in listed or is_acronym(tok) \
                    or zipf(tok) >= cfg.max_zipf:
                continue
            by_text = by_text or _spelling_outlets(r, outlet)
            if len(by_text[j.text]) != 1:
                continue
            cands = {(last, id(res)): res for start, last, res in full[m.doc_id]
                     if start < m.start and len(_key(last)) >= cfg.min_len
                     and _key(last)[0] == k[0] and zipf(last) < cfg.max_target_zipf
                     and OSA.distance(_key(last), k) <= 2 and not _derived(_key(last), k)}
            names = {last for last, _ in cands}
            if len(names) != 1:
                continue
            (last, _), res = next(iter(cands.items()))
            out.append(NearHit(j, res, (last,), (tok,), "article", 0))
    return out


def _check(j, r, targets, index: TokenIndex, seen, outlet, listed, cfg: NearSettings,
           mcfg: MajoritySettings, short_index: TokenIndex | None = None) -> NearHit | None:
    names = tuple(j.occ.mention.names)
    own = outlet(j.occ.mention.doc_id)[0]
    joined = _key("".join(names))
    if len(names) > 1 and joined in targets and _backed(targets[joined], own, cfg) \
            and all(zipf(n) < 4.0 for n in names):
        t = targets[joined]
        return NearHit(j, t.result, (t.token,), names, "split", len(t.outlets - {own}))
    pair = _split_pair(names, targets, own, cfg)
    if pair is not None:
        i, t = pair                 # "Ji Shishan County" where outlets write Jishishan
        return NearHit(j, t.result, names[:i] + (t.token,) + names[i + 2:], names, "split",
                       len(t.outlets - {own}))
    found = []
    for i, tok in enumerate(names):
        k = _key(tok)
        if k in targets or orth(tok) in listed or is_acronym(tok) \
                or zipf(tok) >= (cfg.max_zipf if len(k) >= cfg.min_len else cfg.max_target_zipf):
            continue
        if len(k) < cfg.min_len:
            got = _short_slip(k, tok, i, names, r, short_index, own, cfg) \
                if short_index is not None and len(k) >= cfg.min_short_len else None
            if got is not None:
                found.append((i, got))
            continue
        near = _nearest(k, [(c, how) for c, how in index.near(tok) if targets[c].result is not r
                            and _backed(targets[c], own, cfg)
                            and _same_role(targets[c], i, len(names))])
        if len(near) != 1:
            continue
        found.append((i, near[0]))
    if len(found) != 1:
        return None
    i, (c, how) = found[0]
    t = targets[c] if c in targets else short_index.targets[c]
    ref = names[:i] + (t.token,) + names[i + 1:]
    hit = NearHit(j, t.result, ref, names, how, len(t.outlets))
    case = case_for(t.token, names[i], own, seen, listed, mcfg)
    if case is not None and case.moves:
        hit.how = "moves"
        hit.majority = [{"reference": case.ref, "spelling": case.var, "outlets": case.ref_outlets,
                         "moves": [m.words() for m in case.moves],
                         "learned_costs": dict(case.move_costs), "damage": case.damage}]
        if case.damage < mcfg.min_damage:
            return None
    lang, diffs = explain_name([t.token], [names[i]])
    if lang and diffs[0].foreign_strength >= 1 and LEVELS.index(diffs[0].level) <= 3:
        hit.lang, hit.rules = lang, [x.why for x in diffs[0].foreign]
    return hit


def short_settings(cfg: NearSettings) -> NearSettings:
    """The settings that make supported() keep short tokens too (split them off after)."""
    return replace(cfg, min_len=min(cfg.min_len, cfg.min_short_len))


def split_short(every: dict[str, Target], cfg: NearSettings
                ) -> tuple[dict[str, Target], dict[str, Target]]:
    """(tokens of `min_len` letters or more, shorter ones) of one supported() pass."""
    long = {k: t for k, t in every.items() if len(k) >= cfg.min_len}
    return long, {k: t for k, t in every.items() if len(k) < cfg.min_len}


def _short_slip(k: str, tok: str, i: int, names: tuple[str, ...], r, short_index: TokenIndex,
                own: str, cfg: NearSettings) -> tuple[str, str] | None:
    """A short token ('Poch', 'Thok') one slip or a letter swap from a short token outlets
    write, inside a full name those outlets write with every other word the same ("Ho Duc
    Poch" where three outlets write Ho Duc Phoc). Alone, a short token is too easily one
    letter from another name; the rest of the name pins it down."""
    if k in short_index.targets or len(names) < 2:
        return None
    near = _nearest(k, [(c, how) for c, how in short_index.near(tok)
                        if short_index.targets[c].result is not r
                        and _backed(short_index.targets[c], own, cfg)])
    if len(near) != 1:
        return None
    c = near[0][0]
    others = [orth(n) for x, n in enumerate(names) if x != i]
    for j in short_index.targets[c].result.judged:
        theirs = j.occ.mention.names
        if j.verdict in ("canonical", "acceptable") and len(theirs) == len(names) \
                and _key(theirs[i]) == c \
                and [orth(n) for x, n in enumerate(theirs) if x != i] == others:
            return near[0]
    return None


def _nearest(k: str, near: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Of several supported tokens within reach, the one that holds the same letters in
    another order when no other does (Kamchastky: Kamchatsky's letters, two edits from
    Kamchatka). Otherwise all of them: several names within an edit are a family of names
    made from one root (Ust-Kamchatsk beside Kamchatka and Kamchatsky), not a slip."""
    if len(near) < 2:
        return near
    swaps = [(c, how) for c, how in near if sorted(c) == sorted(k)]
    return swaps if len(swaps) == 1 else near


def _split_pair(names: tuple[str, ...], targets: dict[str, Target], own: str,
                cfg: NearSettings) -> tuple[int, Target] | None:
    """Two neighbouring tokens of a longer mention that join up into one token other outlets
    write, neither of them a supported token or a common word on its own."""
    if len(names) < 3:
        return None
    for i in range(len(names) - 1):
        a, b = names[i], names[i + 1]
        joined = _key(a + b)
        t = targets.get(joined)
        if t is None or not _backed(t, own, cfg) or is_acronym(a) or is_acronym(b) \
                or _key(a) in targets or _key(b) in targets \
                or zipf(a) >= 4.0 or zipf(b) >= 4.0:
            continue
        return i, t
    return None


def edits(ref: tuple[str, ...], var: tuple[str, ...]) -> list[str]:
    """Letter edits from the reference to the spelling, for the evidence: ['h→r', '+c']."""
    a, b = fold(" ".join(ref)), fold(" ".join(var))
    return [edit_label(op, a, b) for op in Levenshtein.editops(a, b)]
