"""Entity variants: one name spelled several ways across the batch, and which spellings are
damage (garbled), another language's romanisation (foreign) or routine (acceptable).

Runs first (order 10) and publishes its groups on the batch: `ctx.entities` is a list of
`EntityGroup`s (id, canonical, source "gazetteer"/"consensus", every mention with its span,
and a verdict per spelling). Later stages use them:

    canonical_map(ctx.entities) -> {(doc_id, start, end): canonical}

maps every mention span to its entity's canonical spelling, so alignment can line "Qateb
Hezbollah" up with "Kataib Hezbollah".

Only garbled (error) and foreign (warning) spellings become findings: acceptable spellings are
recorded in the groups for the report's entity table, because any finding counts in precision.
Foreign covers romanisations (rule "foreign-romanisation", "gazetteer-foreign"), other languages'
acronyms ("foreign-acronym": ONU, FDS for SDF) and forms read back to a known English name
("reverse-romanisation": Porto Harcourt, djebel Marra); garbled covers consonant changes, fused
words, listed bad forms and spell-checker words ("spell-checker": El Obey for El Obeid), and
(issue 9) one-off vowel moves or doublings against most outlets, weighed with learned move costs
("against-majority": Bazum where four outlets write Bazoum), lone slips one edit or a swap from
what outlets agree on or from the name the article itself used ("near-miss"), names cut by a
space, hyphen, quote mark or possessive ("broken-name") and organisation names translated word
by word ("translated-name": Brigades of the Party of God). Round 6 added a source press's
spelling where English text knows another ("press-spelling": Oussama for Osama, from wordfreq's
lists of the source languages), Slavic adjectival forms of a place outlets write as a noun
("slavic-adjective": Kakhovskaya HPP) and names garbled by an encoding round trip ("mojibake":
MĂ©ndez, repaired by ftfy). Round 7 added multi-word names re-rendered word by word
("reworded-name": Progressive Democratic Party for Democratic Progressive Party, Cupboard
Committee for Cabinet Committee, United Sates).
The work is in audit/names/ (mentions, transliteration keys, grouping, verdicts); this module
turns its verdicts into findings a reviewer can check.
"""
from __future__ import annotations

import logging
from functools import cached_property

from pydantic import Field

from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.names import gazetteer as gazetteer_mod
from audit.names import majority
from audit.names.edits import moves
from audit.names.batch import BatchNames, analyse, doc_mentions
from audit.names.gazetteer import Gazetteer, GazetteerEntry
from audit.names.grouping import MatchSettings
from audit.names.mentions import NameMention, NameWords, name_words
from audit.names.translit import acc_key, lang_name
from audit.names.verdict import SEVERITY, Judged, Resolved, VerdictSettings
from audit.types import BatchContext, Document, EntityGroup, Finding, Mention, Problem

log = logging.getLogger(__name__)
VERDICT_ORDER = ("canonical", "acceptable", "unknown", "foreign", "garbled")


class Settings(DetectorSettings):
    shipped_gazetteer: bool = True            # load audit/data/gazetteer.yaml
    gazetteer: list[GazetteerEntry] = []      # extra entries (same id/canonical: extends one)
    gazetteer_files: list[str] = []           # extra YAML files of entries
    titles: list[str] = []                    # extra titles stripped before names
    not_names: list[str] = []                 # capitalised words that never start or end a name
    min_consensus_outlets: int = Field(2, ge=1)
    min_fuzzy: float = Field(75.0, ge=0, le=100)
    known_word_zipf: float = Field(3.0, ge=0, le=8)
    rare_word_zipf: float = Field(2.0, ge=0, le=8)
    distinctive_zipf: float = Field(4.0, ge=0, le=8)


@register("entity-variants")
class EntityVariants(Detector):
    order = 10
    Settings = Settings

    def mentions_of(self, doc: Document) -> list[NameMention]:
        """One document's name mentions: the map part of this reduce (pipeline.py runs it per
        document on the workers and caches it; `run` takes the results as `mentions`)."""
        return doc_mentions(doc, *self._mention_inputs)

    @cached_property
    def _mention_inputs(self) -> tuple[Gazetteer, NameWords]:
        """The gazetteer and name words `mentions_of` reads, loaded once per detector:
        gazetteer_mod.load re-reads every extra gazetteer file on each call, and `mentions_of`
        runs for every document (its problems are reported by `run`)."""
        s: Settings = self.settings  # type: ignore[assignment]
        gaz, _ = gazetteer_mod.load(s.shipped_gazetteer, s.gazetteer_files, s.gazetteer)
        return gaz, name_words(s.titles, s.not_names)

    def run(self, ctx: BatchContext, mentions: list[list[NameMention]] | None = None
            ) -> list[Finding]:
        s: Settings = self.settings  # type: ignore[assignment]
        gaz, problems = gazetteer_mod.load(s.shipped_gazetteer, s.gazetteer_files, s.gazetteer)
        _report(ctx, problems)
        mcfg = MatchSettings(known_word_zipf=s.known_word_zipf, distinctive_zipf=s.distinctive_zipf,
                             min_fuzzy=s.min_fuzzy)
        vcfg = VerdictSettings(min_consensus_outlets=s.min_consensus_outlets,
                               rare_word_zipf=s.rare_word_zipf, known_word_zipf=s.known_word_zipf)
        batch = analyse(ctx.docs, gaz, name_words(s.titles, s.not_names), mcfg, vcfg, mentions)
        ctx.entities = [entity_group(r) for r in batch.results if _publish(r)]
        findings = []
        for res in batch.results:
            table = _ResultTable(res, batch)
            for j in res.judged:
                if j.verdict in SEVERITY:
                    f = _finding(j, res, batch, table)
                    if not batch.docs[f.doc_id].is_noise(f.start, f.end):
                        findings.append(f)
        return findings


def _report(ctx: BatchContext, problems: list[tuple[str, str]]) -> None:
    sink = getattr(ctx, "problems", None)
    for where, msg in problems:
        if isinstance(sink, list):
            sink.append(Problem(where, msg, stage="entity-variants"))
        else:
            log.warning("%s: %s", where, msg)


# --- groups ------------------------------------------------------------------------------------

def _publish(res: Resolved) -> bool:
    spellings = {j.text for j in res.judged}
    docs = {j.occ.mention.doc_id for j in res.judged}
    return res.entry is not None or len(spellings) > 1 or len(docs) > 1 \
        or any(j.verdict in SEVERITY for j in res.judged)


def entity_group(res: Resolved) -> EntityGroup:
    verdicts: dict[str, str] = {}
    for j in res.judged:
        old = verdicts.get(j.text)
        if old is None or VERDICT_ORDER.index(j.verdict) > VERDICT_ORDER.index(old):
            verdicts[j.text] = j.verdict
    mentions = sorted((Mention(j.occ.mention.doc_id, j.occ.mention.start, j.occ.mention.end, j.text)
                       for j in res.judged), key=lambda m: (m.doc_id, m.start))
    return EntityGroup(res.id, res.canonical, res.source, mentions, verdicts)


def canonical_map(entities: list[EntityGroup]) -> dict[tuple[str, int, int], str]:
    """Every mention span of the batch -> its entity's canonical spelling."""
    return {(m.doc_id, m.start, m.end): g.canonical for g in entities for m in g.mentions}


# --- findings ----------------------------------------------------------------------------------

def _span(j: Judged) -> tuple[int, int]:
    """The mention, or for a fused name only the fused token (with its al-)."""
    m = j.occ.mention
    if j.rule != "fused-word":
        return m.start, m.end
    tok = [t for t in m.toks if not t.particle][j.notes["token_index"]]
    k = m.toks.index(tok)
    start = m.toks[k - 1].start if k and m.toks[k - 1].particle else tok.start
    return start, tok.end


def _spellings(res: Resolved, batch: BatchNames) -> list[dict]:
    rows: dict[str, dict] = {}
    for j in res.judged:
        row = rows.setdefault(j.text, {"spelling": j.text, "verdict": j.verdict, "outlets": {}})
        if VERDICT_ORDER.index(j.verdict) > VERDICT_ORDER.index(row["verdict"]):
            row["verdict"] = j.verdict
        name = batch.outlet(j.occ.mention.doc_id)[0]
        row["outlets"][name] = row["outlets"].get(name, 0) + 1
    return sorted(rows.values(), key=lambda r: (-sum(r["outlets"].values()), r["spelling"]))


class _ResultTable:
    """What every finding of one result quotes (its spellings by outlet, which outlets write the
    standard form), computed once per result: recomputed per finding it cost 10 s of the
    detectors' 40 at 1,000 articles reprinting one story (results of thousands of mentions)."""

    def __init__(self, res: Resolved, batch: BatchNames):
        self.res, self.batch = res, batch
        self._rows: list[dict] | None = None
        self._standard: dict[str, set[str]] | None = None

    def spellings(self) -> list[dict]:
        """A fresh copy per finding: evidence is the finding's own."""
        if self._rows is None:
            self._rows = _spellings(self.res, self.batch)
        return [{**r, "outlets": dict(r["outlets"])} for r in self._rows]

    def standard_outlets(self, doc_id: str) -> int:
        """Outlets writing the standard form in an article other than `doc_id`."""
        if self._standard is None:
            refs = {tuple(acc_key(n) for n in r) for r in self.res.refs}
            self._standard = {}
            for j in self.res.judged:
                if j.verdict in ("canonical", "acceptable") \
                        and tuple(acc_key(n) for n in j.occ.mention.names) in refs:
                    d = j.occ.mention.doc_id
                    self._standard.setdefault(self.batch.outlet(d)[0], set()).add(d)
        return sum(1 for docs in self._standard.values() if docs - {doc_id})


def _finding(j: Judged, res: Resolved, batch: BatchNames, table: _ResultTable | None = None) -> Finding:
    doc = batch.docs[j.occ.mention.doc_id]
    start, end = _span(j)
    if j.rule == "fused-word":
        w = j.notes["fused_word"]
        j.notes["name_token"] = doc.text[start:end - len(w)]
        j.suggestion = f"{j.notes['name_token']} {w}"
    table = table or _ResultTable(res, batch)
    others = table.standard_outlets(doc.id)
    evidence = {
        "rule": j.rule,
        "verdict": j.verdict,
        "entity": res.id,
        "entity_type": res.entry.type if res.entry else None,
        "canonical": res.canonical,
        "canonical_source": res.source,
        "standard_outlets_elsewhere": others,
        "spellings": table.spellings(),
        "differences": [{"reference": d.ref, "spelling": d.var, "level": d.level,
                         "routine": d.steps, "consonant_changes": d.changes,
                         "foreign_rules": [r.why for r in d.foreign]}
                        for d in j.diffs if d.level != "same"],
    }
    if j.lang:
        evidence["language"] = j.lang
        evidence["language_name"] = lang_name(j.lang)
    evidence.update(j.notes)
    severity = SEVERITY[j.verdict]
    return Finding.at(doc, start, end, "entity-variant", severity,  # type: ignore[arg-type]
                      _message(j, res, doc.text[start:end], others), "entity-variants",
                      suggestion=j.suggestion, evidence=evidence)


def _backing(res: Resolved, others: int) -> str:
    if others:
        plural = "s" if others != 1 else ""
        return f"other outlets write “{res.canonical}” ({others} outlet{plural})"
    return f"the gazetteer spelling is “{res.canonical}”" if res.source == "gazetteer" \
        else f"the usual spelling is “{res.canonical}”"


def _message(j: Judged, res: Resolved, text: str, others: int) -> str:
    back = _backing(res, others)
    spelled = j.notes.get("article_spellings", [])
    ways = f"this article spells it {len(spelled)} ways ({', '.join(spelled)})" if spelled else ""
    if j.rule == "fused-word":
        return (f"“{text}” looks like “{j.notes['name_token']}” fused with the next word "
                f"“{j.notes['fused_word']}”; {back}.")
    if j.rule == "common-noun-misrendering":
        hint = j.notes.get("context", "")
        return (f"“{text}” next to “{hint}” looks like a machine rendering of the name "
                f"“{res.canonical}”.")
    if j.rule == "gazetteer-known-bad":
        return f"“{text}” is a known bad rendering of “{res.canonical}”."
    if j.rule == "foreign-acronym":
        return _acronym_message(j, res, text)
    if j.rule == "reverse-romanisation":
        return _reverse_message(j, text) + _shown(j)
    if j.rule == "spell-checker":
        n = j.notes
        where = f"{n['outlets_spelling_it']} other outlets write “{n['spelled']}”" \
            if n.get("outlets_spelling_it") else f"this article writes “{n['spelled']}” elsewhere"
        return (f"“{text}” looks like a spell-checker's change of “{n['spelled']}”: the name's "
                f"“{n['name_word']}” became the English word “{n['english_word']}”; {where}.")
    if j.rule == "broken-name":
        by = {"space": "a space", "hyphen": "a hyphen", "quote": "a quote mark",
              "possessive": "a possessive", "quotes": "quote marks"}[j.notes["broken_by"]]
        return f"“{text}” is one name cut in two by {by}: “{j.notes['joined']}”; {back}."
    if j.rule == "translated-name":
        return (f"“{text}” translates the name “{j.notes['translates']}” word by word "
                f"({'; '.join(j.notes['glosses'])}); English copy writes “{res.canonical}”.")
    if j.rule == "near-miss":
        return _near_message(j, text)
    if j.rule == "reworded-name":
        return _reworded_message(j, text)
    if j.rule in ("against-majority", "foreign-against-majority"):
        rules = ", ".join(r.split(" (")[0] for r in j.notes.get("foreign_rules", []))
        how = "a slip" if j.verdict == "garbled" else \
            f"{_a(lang_name(j.lang))} {lang_name(j.lang)} romanisation" + (f" ({rules})" if rules else "")
        hints = j.notes.get("romanisation_hints")
        also = f" or another romanisation ({'; '.join(hints)})" if hints else ""
        return f"“{text}” looks like {how}{also}: {majority.explain_cases(j.notes)}."
    if j.rule == "press-spelling":
        return _press_message(j, text, back)
    if j.rule == "mojibake":
        return (f"“{text}” is “{j.suggestion}” after an encoding round trip (UTF-8 read as a "
                f"Windows code page).")
    if j.rule == "slavic-adjective":
        n = j.notes
        lang = lang_name(j.lang)
        return (f"“{text}” keeps the {lang} adjective “{n['adjective']}” (-{n['ending']}) of the "
                f"place {n['noun_outlets']} other outlets call “{n['noun']}”: English copy "
                f"writes the noun (“{j.suggestion}”).")
    if j.verdict == "foreign":
        rules = sorted({r.why.split(" (")[0] for d in j.diffs for r in d.foreign})
        how = f" ({', '.join(rules)})" if rules else \
            " (listed in the gazetteer)" if j.rule == "gazetteer-foreign" else ""
        lang = lang_name(j.lang) or j.lang
        return (f"“{text}” is {_a(lang)} {lang} romanisation kept in English{how}; "
                f"{back}{_shown(j)}.")
    if j.rule == "within-article":
        return f"“{text}” looks garbled: {ways}; {back}."
    changes = ", ".join(c for d in j.diffs for c in d.changes)
    extra = f"; {ways}" if ways else ""
    if not changes and _moves_words(j):
        return f"“{text}” looks garbled: it {_moves_words(j)}{extra}; {back}."
    return f"“{text}” looks garbled: its consonants differ ({changes}){extra}; {back}."


def _reworded_message(j: Judged, text: str) -> str:
    """A multi-word name with its words moved, one slipped or one swapped for a synonym."""
    n = j.notes
    k = n["reference_outlets"]
    who = f"{k} other outlet{'s write' if k != 1 else ' writes'} “{n['reference']}”" if k else \
        f"the gazetteer writes “{n['reference']}”"
    how = {"order": "has the words of the name in another order",
           "slip": f"has “{n['word']}” for “{n['reference_word']}”, one letter apart",
           "synonym": f"has “{n['word']}” for “{n['reference_word']}”, a synonym a rewording "
                      f"tool puts in a name's place"}[n["reworded"]]
    return f"“{text}” {how}; {who}."


def _press_message(j: Judged, text: str, back: str) -> str:
    """'... French text writes “Oussama” (zipf 3.1) far more than English (1.6), which writes
    “Osama” (3.3)': the word statistics behind the verdict, for a reviewer to weigh."""
    lang = lang_name(j.lang) or j.lang
    why = "; ".join(f"{lang} text writes “{c['spelling']}” (zipf {c['zipf_' + j.lang]:.1f}) far "
                    f"more than English text ({c['zipf_en']:.1f}), which writes “{c['reference']}” "
                    f"({c['reference_zipf_en']:.1f})" for c in j.notes["press"])
    return f"“{text}” is the {lang} press's spelling kept in English: {why}; {back}."


def _moves_words(j: Judged) -> str:
    """'drops a vowel (e→∅)' when the consonants match but a final vowel went."""
    got = [m.words() for r, v in zip(j.ref, j.occ.mention.names) for m in (moves(r, v) or ())]
    return ", ".join(got)


def _a(word: str | None) -> str:
    return "an" if (word or "x")[:1].lower() in "aeiou" else "a"


def _shown(j: Judged) -> str:
    """Document evidence, when a weak marker was read in the article's language."""
    shown = j.notes.get("document_evidence")
    if not shown:
        return ""
    lang = lang_name(j.lang) or j.lang
    return f"; the article writes other names the {lang} way ({', '.join(shown[:4])})"


def _near_message(j: Judged, text: str) -> str:
    """A lone spelling one slip from what other outlets write (audit/names/nearmiss.py)."""
    n = j.notes
    ref, k = n["reference"], n["reference_outlets"]
    others = f"{k} other outlet{'s' if k != 1 else ''} write “{ref}”" if k else \
        f"the gazetteer writes “{ref}”"
    if n["slip"] == "moves":
        return f"“{text}” looks like a slip: {majority.explain_cases(n)}."
    if j.verdict == "foreign":
        rules = ", ".join(r.split(" (")[0] for r in n.get("foreign_rules", []))
        lang = lang_name(j.lang) or j.lang
        return f"“{text}” looks like {_a(lang)} {lang} romanisation ({rules}); {others}."
    if n["slip"] == "article":
        return (f"“{text}” is not how this article wrote the name before: “{ref}” "
                f"({', '.join(n.get('edits', []))}).")
    if n["slip"] == "split":
        return f"“{text}” splits one name in two; {others}."
    if n["slip"] == "swap":
        return f"“{text}” has the letters of “{ref}” in another order; {others}."
    return f"“{text}” is one slip from “{ref}” ({', '.join(n.get('edits', []))}); {others}."


def _acronym_message(j: Judged, res: Resolved, text: str) -> str:
    n = j.notes
    eng = n.get("english_acronym") or res.canonical
    whose = f"the {lang_name(j.lang)}" if j.lang else "another language's"
    name = n.get("expansion") or res.canonical
    if n.get("acronym_rule") == "listed":
        why = "listed in the gazetteer"
    elif n.get("acronym_rule") == "conflict":
        why = f"other copy abbreviates “{name}” as “{eng}”"
    else:
        why = f"the letters of “{eng}” in another word order, the head noun first"
    return (f"“{text}” is {whose} acronym for “{name}” ({why}); English copy writes “{eng}”.")


def _reverse_message(j: Judged, text: str) -> str:
    n = j.notes
    rules = "; ".join(n.get("foreign_rules", []))
    lang = lang_name(j.lang) if j.lang else "another language's"
    if n.get("reverse") == "lexicon":
        return (f"“{text}” reads as “{n['english']}” once its {lang} spelling is undone "
                f"({rules}), and English text knows that form far better")
    return (f"“{text}” reads as “{n['english']}”, a known name, once its {lang} spelling is "
            f"undone ({rules})")