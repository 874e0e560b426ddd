"""Foreign-language acronyms: FDS for SDF, OTAN for NATO, ONU for UN.

Machine translation renders the words of a name but keeps the source's acronym, whose letters
follow the source language's word order. Three ways to tell one:

listed     the gazetteer lists the acronyms of international bodies in other languages as
           foreign forms (ONU, OTAN, OIM ...); a title-case copy of a listed one (Onu, Otan)
           standing alone is the same acronym.
reordered  the letters of an English acronym of the batch or the gazetteer with the head noun
           first (FDS for SDF, Forces démocratiques syriennes; OTAN for NATO), or defined next
           to an expansion whose English initials run in another order ("Government of National
           Unity (GUN)").
conflict   defined next to an expansion that another article or the gazetteer abbreviates
           differently, by its English initials ("... Army (ENL)" where others write "(LNA)").

An acronym several outlets use, a form the gazetteer lists as English, or the English initials
of a name in the batch is never flagged: NSA and SNA are both English.

Written by hand: acronym finders (e.g. Schwartz-Hearst) pair an acronym with its expansion in
one language; none knows that the pair should have matched across languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from audit.names.gazetteer import Form, Gazetteer
from audit.names.verdict import Judged, Resolved
from audit.names.words import is_acronym, name_word_list, zipf
from audit.types import Document

ROMANCE = ("fr", "es", "it", "pt")
TITLE_CASE_ZIPF = 3.5        # 'Onu', 'Ue' alone: only when English hardly uses the word
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DEF = re.compile(r"\(([A-Z]{2,6})\)")
_CLAUSE_END = re.compile(r"[.;:!?\"“”()\[\]\n,]")


@dataclass
class AcronymHit:
    judged: Judged                # the mention, as judged so far
    english: str                  # the English acronym ("RSF")
    how: str                      # "listed" | "reordered" | "conflict"
    entry_id: str | None = None   # gazetteer entry of the English form
    result: Resolved | None = None  # or the batch group holding it
    expansion: str = ""
    langs: tuple[str, ...] = ()
    notes: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def _connectors() -> frozenset[str]:
    """Connectors inside expansions, in English and the languages acronyms come from."""
    return frozenset(w.lower() for w in name_word_list("acronym_connectors"))


def _stem(word: str) -> str:
    w = anyascii(word).lower()
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _connectors()]


def bag(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


def initials(text: str) -> str:
    return "".join(w[0].upper() for w in content_words(text))


@dataclass
class _Known:
    """English acronyms and multi-word names of the batch and the gazetteer."""
    # acronym -> outlets that use it ("" = the gazetteer, for an entity the batch mentions)
    acronyms: dict[str, set[str]] = field(default_factory=dict)
    entry_of: dict[str, str] = field(default_factory=dict)        # acronym -> gazetteer entry
    result_of: dict[str, Resolved] = field(default_factory=dict)  # acronym -> batch group
    names: dict[frozenset, tuple[str, str | None, Resolved | None]] = field(default_factory=dict)
    name_initials: set[str] = field(default_factory=set)
    acronyms_of: dict[frozenset, set[str]] = field(default_factory=dict)  # name bag -> acronyms


_GAZ_ENTRIES: dict[int, tuple] = {}


def _gazetteer_entries(gaz: Gazetteer) -> list[tuple[str, list[str], list]]:
    """Per entry: its acronyms and (bag, text, initials) of its multi-word names; built once per
    gazetteer (rebuilding it took a quarter of a one-article batch)."""
    if id(gaz) not in _GAZ_ENTRIES:
        if len(_GAZ_ENTRIES) > 8:
            _GAZ_ENTRIES.clear()
        by_entry: dict[str, list[Form]] = {}
        for f in gaz.forms:
            if f.kind in ("canonical", "alias"):
                by_entry.setdefault(f.entry_id, []).append(f)
        out = []
        for entry_id, forms in by_entry.items():
            acrs = sorted({f.text for f in forms if is_acronym(f.text) and " " not in f.text})
            names = [(bag(f.text), f.text, initials(f.text)) for f in forms
                     if len(content_words(f.text)) >= 2 and not is_acronym(f.text.replace(" ", ""))]
            out.append((entry_id, acrs, names))
        _GAZ_ENTRIES[id(gaz)] = (gaz, out)       # holding gaz keeps its id from reuse
    return _GAZ_ENTRIES[id(gaz)][1]


_GAZ_KNOWN: dict[int, tuple] = {}


def _gazetteer_known(gaz: Gazetteer) -> tuple[_Known, list[tuple[str, list[str]]]]:
    """What _known takes from the gazetteer alone (its acronyms' entries, its names, their
    initials and acronyms), and the entries that have acronyms, in order; built once per
    gazetteer (the loop over every entry was a third of the acronym step on one article).
    Read-only: _known copies what it extends."""
    if id(gaz) not in _GAZ_KNOWN:
        if len(_GAZ_KNOWN) > 8:
            _GAZ_KNOWN.clear()
        k = _Known()
        with_acrs = []
        for entry_id, acrs, names in _gazetteer_entries(gaz):
            for a in acrs:
                k.entry_of.setdefault(a, entry_id)
            if acrs:
                with_acrs.append((entry_id, acrs))
            for b, text, ini in names:
                k.names.setdefault(b, (text, entry_id, None))
                k.name_initials.add(ini)
                k.acronyms_of.setdefault(b, set()).update(acrs)
        _GAZ_KNOWN[id(gaz)] = (gaz, (k, with_acrs))   # holding gaz keeps its id from reuse
    return _GAZ_KNOWN[id(gaz)][1]


def _known(results: list[Resolved], gaz: Gazetteer, outlet) -> _Known:
    """The gazetteer's acronyms count only for entities the batch mentions: a Sahel story's
    FDS (Burkina's defence forces) is not the Syrian SDF reordered."""
    base, with_acrs = _gazetteer_known(gaz)
    k = _Known(entry_of=dict(base.entry_of), names=dict(base.names),
               name_initials=set(base.name_initials), acronyms_of=dict(base.acronyms_of))
    present = {r.entry.key for r in results if r.entry is not None and r.judged}
    for entry_id, acrs in with_acrs:            # in gazetteer order, as before
        if entry_id in present:
            for a in acrs:
                k.acronyms.setdefault(a, set()).add("")
    for r in results:
        for j in r.judged:
            if j.verdict not in ("canonical", "acceptable"):
                continue
            m = j.occ.mention
            if is_acronym(j.text) and len(m.toks) == 1:
                k.acronyms.setdefault(j.text, set()).add(outlet(m.doc_id))
                k.result_of.setdefault(j.text, r)
            elif len(content_words(j.text)) >= 2:
                k.names.setdefault(bag(j.text), (j.text, r.entry.key if r.entry else None, r))
                k.name_initials.add(initials(j.text))
    return k


# --- definitions: "Expansion Words (XYZ)" --------------------------------------------------------

@dataclass
class Definition:
    acronym: str
    start: int                    # of the acronym inside the parentheses
    words: list[str]              # the expansion's content words, in text order
    text: str                     # the expansion as written
    offsets: list[int] = field(default_factory=list)   # of each word inside `text`

    def written(self, n: int) -> str:
        """The last n content words as written, with the connectors between them."""
        return self.text[self.offsets[-n]:] if 0 < n <= len(self.offsets) else self.text


def definitions(doc: Document) -> list[Definition]:
    out = []
    for m in _DEF.finditer(doc.text):
        acr = m.group(1)
        lo = max(doc.text.rfind("\n", 0, m.start()), m.start() - 120)
        before = doc.text[lo + 1:m.start()]
        cut = [c.end() for c in _CLAUSE_END.finditer(before)]
        before = before[cut[-1]:] if cut else before
        words = [(w.group(), w.start()) for w in _WORD.finditer(before)]
        content = [(w, s) for w, s in words if w.lower() not in _connectors()]
        take = content[-(len(acr) + 1):]
        if take:
            text = before[take[0][1]:].rstrip()
            out.append(Definition(acr, m.start(1), [w for w, _ in take], text,
                                  [o - take[0][1] for _, o in take]))
    return out


def _expansion(d: Definition, k: _Known) -> tuple[str | None, str | None, frozenset | None]:
    """The English name a definition spells out, and its English initials: a known name whose
    words are the last n words of the expansion in any order, else capitalised words whose
    count is the acronym's length."""
    def known(n: int) -> tuple[str, str, frozenset] | None:
        b = frozenset(_stem(w) for w in d.words[-n:])
        return (k.names[b][0], initials(k.names[b][0]), b) if b in k.names else None

    size = len(d.acronym)
    for n in range(min(len(d.words), size + 1), size - 1, -1):
        if (got := known(n)) is not None:
            return got
    words = d.words[-size:]
    if len(words) == size and all(w[:1].isupper() for w in words):
        return d.written(size), "".join(w[0].upper() for w in words), None
    for n in range(min(len(d.words), size - 1), 1, -1):   # "Islamic State (ISIS)"
        if (got := known(n)) is not None:
            return got
    return None, None, None


def _judge_definition(d: Definition, k: _Known, gaz: Gazetteer) -> tuple[str, str, str] | None:
    """(how, English acronym, English name) when the defined acronym is a foreign one."""
    name, eng, b = _expansion(d, k)
    if not eng or d.acronym == eng or eng not in k.acronyms:
        return None                      # English, or no English acronym to hold it against
    known_for = set(k.acronyms_of.get(b, set())) if b is not None else set()
    if d.acronym in known_for or d.acronym in k.acronyms and "" in k.acronyms[d.acronym]:
        return None
    return ("reordered" if sorted(d.acronym) == sorted(eng) else "conflict"), eng, name or ""


# --- the batch ---------------------------------------------------------------------------------

def _acronym_judged(results: list[Resolved]) -> list[tuple[Judged, Resolved]]:
    return [(j, r) for r in results for j in r.judged
            if len(j.occ.mention.toks) == 1 and 2 <= len(j.text) <= 6 and j.text.isalpha()]


def _caps_line(doc: Document, pos: int) -> bool:
    """Inside an all-capitals line (a shouted headline): every word looks like an acronym."""
    lo = doc.text.rfind("\n", 0, pos) + 1
    hi = doc.text.find("\n", pos)
    words = _WORD.findall(doc.text[lo:hi if hi >= 0 else len(doc.text)])
    return len(words) >= 3 and sum(w.isupper() for w in words) / len(words) > 0.6


def _english_of(entry_id: str, gaz: Gazetteer) -> str:
    forms = [f for f in gaz.forms if f.entry_id == entry_id and f.kind in ("canonical", "alias")]
    acr = [f.text for f in forms if is_acronym(f.text) and " " not in f.text]
    return acr[0] if acr else gaz.entries[entry_id].canonical


def find(results: list[Resolved], gaz: Gazetteer, docs: dict[str, Document], outlet
         ) -> list[AcronymHit]:
    """Every foreign acronym mention of the batch. `outlet(doc_id)` -> outlet name."""
    k = _known(results, gaz, outlet)
    mentions = _acronym_judged(results)
    marked = {j.occ.mention.doc_id for r in results for j in r.judged if j.verdict == "foreign"}
    hits = _listed(mentions, gaz)
    defs = {doc_id: definitions(doc) for doc_id, doc in docs.items()}
    flagged = _defined(defs, k, gaz, marked)
    english_defs = {(doc_id, d.acronym) for doc_id, ds in defs.items() for d in ds
                    if _expansion(d, k)[1] == d.acronym}
    clean_users: dict[str, set[str]] = {}    # acronym -> outlets of articles with no foreign mark
    for j, _ in mentions:
        if j.occ.mention.doc_id not in marked:
            clean_users.setdefault(j.text, set()).add(outlet(j.occ.mention.doc_id))
    for j, _ in mentions:
        m = j.occ.mention
        key = (m.doc_id, j.text)
        if id(j) in hits or not is_acronym(j.text) or key in english_defs \
                or j.occ.form is not None or gaz.lookup((j.text,)):
            continue
        if key not in flagged:
            eng = _reordered(j.text, m.doc_id, k, outlet)
            if eng is None or _caps_line(docs[m.doc_id], m.start) \
                    or (len(j.text) <= SHORT_REORDERED and m.doc_id not in marked) \
                    or _credit(docs[m.doc_id].text, m.start, m.end) \
                    or clean_users.get(j.text, set()) - {outlet(m.doc_id)}:
                continue                 # an English article of another outlet uses it too
            flagged[key] = ("reordered", eng, "")
        how, eng, name = flagged[key]
        hits[id(j)] = AcronymHit(j, eng, how, k.entry_of.get(eng), k.result_of.get(eng), name)
    return list(hits.values())


def _listed(mentions: list[tuple[Judged, Resolved]], gaz: Gazetteer) -> dict[int, AcronymHit]:
    """Foreign acronyms the gazetteer lists, and their title-case copies."""
    hits: dict[int, AcronymHit] = {}
    for j, _ in mentions:
        form = j.occ.form
        if form is not None and form.kind == "foreign" and is_acronym(j.text):
            hits[id(j)] = AcronymHit(j, _english_of(form.entry_id, gaz), "listed", form.entry_id,
                                     langs=form.langs or ((form.lang,) if form.lang else ()))
            continue
        listed = _title_case_listed(j, gaz)
        if listed is not None:           # Italian copy writes acronyms in title case (Onu, Ue)
            langs = tuple(sorted(listed.langs, key=lambda lang: lang != "it"))
            hits[id(j)] = AcronymHit(j, _english_of(listed.entry_id, gaz), "listed",
                                     listed.entry_id, langs=langs)
    return hits


def _defined(defs: dict[str, list[Definition]], k: _Known, gaz: Gazetteer, marked: set[str]
             ) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(doc, acronym) -> (how, English acronym, English name) for acronyms defined the foreign
    way; an article with foreign markers that uses one undefined gets the same verdict."""
    flagged: dict[tuple[str, str], tuple[str, str, str]] = {}
    defined: dict[str, tuple[str, str, str]] = {}
    for doc_id, ds in defs.items():
        for d in ds:
            verdict = _judge_definition(d, k, gaz)
            if verdict is not None:
                flagged.setdefault((doc_id, d.acronym), verdict)
                defined.setdefault(d.acronym, verdict)
    for doc_id in marked:
        for acr, verdict in defined.items():
            flagged.setdefault((doc_id, acr), verdict)
    return flagged


# Three letters reordered are too often an acronym of their own (fresh3: an Indian outlet's
# "news agency ANI" beside the batch's NIA): undefined, they count only in an article that
# shows other foreign markers.
SHORT_REORDERED = 3


def _credit(text: str, start: int, end: int) -> bool:
    """An agency credit ("(dpa/NAN)", "AFP/NAN"): agencies' own acronyms, never reordered."""
    return text[start - 1:start] == "/" or text[end:end + 1] == "/"


def _reordered(acr: str, doc_id: str, k: _Known, outlet) -> str | None:
    """An English acronym of the batch or the gazetteer with the same letters, whose last
    letter (the English head noun) comes first here: FDS for SDF, OTAN for NATO."""
    if len(acr) < 3 or acr in k.name_initials:
        return None                      # two letters (SU, NU) are too easily something else
    mine = outlet(doc_id)
    for eng, users in k.acronyms.items():
        if eng == acr or sorted(eng) != sorted(acr) or acr[0] != eng[-1]:
            continue
        if users - {mine}:
            return eng
    return None


def _title_case_listed(j: Judged, gaz: Gazetteer) -> Form | None:
    """'Onu' alone for the listed 'ONU' (Italian copy writes acronyms in title case)."""
    t = j.text
    if not (2 <= len(t) <= 5 and t[0].isupper() and t[1:].islower()):
        return None
    if gaz.lookup((t,)) or zipf(t) >= TITLE_CASE_ZIPF:
        return None
    forms = [f for f in gaz.lookup((t.upper(),)) if f.kind == "foreign"]
    return forms[0] if forms else None
