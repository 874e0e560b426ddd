"""One batch through the name checks: mentions -> clusters -> canonical -> verdicts, then the
second looks that need the whole batch judged first (listed phrases, foreign acronyms, reverse
romanisation, spell-checker words) and last the article-level evidence that lets weak markers
count."""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.names import (acronyms, adjectival, broken, evidence, majority, meanings, misrender,
                         mojibake, nearmiss, reverse, reworded, spellcheck)
from audit.names.gazetteer import Form, Gazetteer, form_names, slug
from audit.names.grouping import Cluster, MatchSettings, Occurrence, group_batch
from audit.names.mentions import NameMention, NameTok, NameWords, extract
from audit.names.translit import acc_key, orth, spelling_class
from audit.names.verdict import (Judged, Resolved, VerdictSettings, consensus, corroborate,
                                 judge, within_article)
from audit.types import Document


def outlet_of(doc: Document) -> tuple[str, float]:
    """Who published it (the unit of consensus: two copies from one outlet count once)."""
    name = doc.outlet or doc.source.outlet or doc.source.name or doc.id
    return name, float(doc.source.trust)


@dataclass
class BatchNames:
    """The batch's name results, with the indexes the second looks ask per hit. Every
    look-up below replaced a scan of `results` (or of every mention) per hit, which made the
    names stage quadratic in the batch. The indexes stay exact because batch.py changes the
    results in few ways, all through these methods: a mention is added (`add`), a result's
    mentions are replaced by a subset (`set_judged`), a result is appended to `results`, or
    `results` is replaced by a filtered copy (`drop_empty`)."""
    docs: dict[str, Document]
    results: list[Resolved]
    _outlets: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)
    _by_doc: dict[str, dict[int, Resolved]] = field(default_factory=dict, repr=False)
    _indexed: bool = field(default=False, repr=False)
    _held: dict[int, tuple[Resolved, list, int, set[int]]] = field(default_factory=dict, repr=False)
    _members: tuple[list, int, set[int]] | None = field(default=None, repr=False)
    _entries: dict[str, Resolved] = field(default_factory=dict, repr=False)
    _empties: bool = field(default=True, repr=False)   # `results` may hold an emptied result
    writers: dict[str, set[str]] = field(default_factory=dict, repr=False)  # orth(token) -> outlets

    def outlet(self, doc_id: str) -> tuple[str, float]:
        if doc_id not in self._outlets:          # asked millions of times at 1,000 articles
            self._outlets[doc_id] = outlet_of(self.docs[doc_id])
        return self._outlets[doc_id]

    def results_in(self, doc_id: str) -> list[Resolved]:
        """The results that have (or had) a mention in `doc_id`: a superset, in no set order;
        callers still check each mention. The look-ups that edit one article's mentions
        (_make_room, _absorb, _listed_overlap) scanned every mention of the batch per call,
        quadratic in the batch. The results built before the first question are indexed
        then; a mention added later is indexed by `add`; replacing a result's mentions by a
        subset leaves the index a superset. Results are held, so their ids stay unique. (An
        earlier version re-checked every result per question for changed lists: 38 s of the
        names stage's 75 at 10,000 articles.)"""
        if not self._indexed:
            self._indexed = True
            for r in self.results:
                for j in r.judged:
                    self._by_doc.setdefault(j.occ.mention.doc_id, {})[id(r)] = r
        return list(self._by_doc.get(doc_id, {}).values())

    def add(self, r: Resolved, j: Judged) -> None:
        """Append a judged mention to a result (and to the per-article index)."""
        r.judged.append(j)
        if self._indexed:
            self._by_doc.setdefault(j.occ.mention.doc_id, {})[id(r)] = r

    def set_judged(self, r: Resolved, judged: list[Judged]) -> None:
        """Replace a result's mentions by a subset of them."""
        r.judged = judged
        if not judged:
            self._empties = True

    def member(self, r: Resolved) -> bool:
        """`r` itself (identity) is in `results`: kept as a set of ids, extended with what was
        appended since and rebuilt when `results` was replaced (a scan per question before)."""
        got = self._members
        if got is None or got[0] is not self.results or got[1] > len(self.results):
            got = (self.results, 0, set())
        if got[1] < len(self.results):
            got[2].update(id(x) for x in self.results[got[1]:])
            got = (self.results, len(self.results), got[2])
        self._members = got
        return id(r) in got[2]

    def contains(self, r: Resolved) -> bool:
        """`r in results` (identity, then equality) without the scan when `r` is listed."""
        return self.member(r) or r in self.results

    def entry_result(self, entry_id: str) -> Resolved | None:
        """The first result (in batch order) of a gazetteer entry. A result with an entry is
        never dropped (drop_empty keeps it) and results are only appended, so the first one
        stays first: remembered once found."""
        got = self._entries.get(entry_id)
        if got is not None:
            return got
        for r in self.results:
            if r.entry is not None and r.entry.key == entry_id:
                self._entries[entry_id] = r
                return r
        return None

    def holds(self, r: Resolved, j: Judged) -> bool:
        """Whether `j` itself (identity, not equality) is among `r.judged`. Scanning the list per
        question cost 19 s of 45 at 1,000 articles reprinting one story (results of thousands of
        mentions, asked once per move). The ids of a result's judged mentions are kept and
        refreshed as `results_in` does: rebuilt when the list was replaced, extended with what
        was appended since (the names stage only appends to a list or replaces it; a listed
        object is alive, so its id is unique)."""
        held = self._held.get(id(r))
        if held is None or held[0] is not r or held[1] is not r.judged or held[2] > len(r.judged):
            held = (r, r.judged, 0, set())
        if held[2] < len(r.judged):
            held[3].update(id(x) for x in r.judged[held[2]:])
            held = (r, r.judged, len(r.judged), held[3])
        self._held[id(r)] = held
        return id(j) in held[3]

    def drop_empty(self) -> None:
        """Drop the results left with no mention and no gazetteer entry. Only the first
        results and `set_judged` can leave one empty, so the filter runs only after them (it
        ran per move and per absorbed span: a pass over the batch's results each time)."""
        if self._empties:
            self.results = [r for r in self.results if r.judged or r.entry is not None]
            self._empties = False


def doc_mentions(doc: Document, gaz: Gazetteer, words: NameWords) -> list[NameMention]:
    """One document's name mentions: a function of the document (its text and noise), the
    gazetteer and the name words alone, so the pipeline runs it as a map step on workers and
    caches it per document (1.6 s of the 1,000-article feed in the client, 69 s at 10,000)."""
    join = lambda s: bool(gaz.lookup(form_names(s)))  # noqa: E731
    return extract(doc, words, keep=gaz.knows, join=join)


def analyse(docs: list[Document], gaz: Gazetteer, words: NameWords, mcfg: MatchSettings,
            vcfg: VerdictSettings, per_doc: list[list[NameMention]] | None = None) -> BatchNames:
    """`per_doc`: each document's `doc_mentions`, in batch order, when already extracted."""
    by_id = {d.id: d for d in docs}
    texts = {d.id: d.text for d in docs}
    if per_doc is None:
        per_doc = [doc_mentions(d, gaz, words) for d in docs]
    mentions: list[NameMention] = [m for ms in per_doc for m in ms]
    heads = {d.id: (d.title_span.start, d.title_span.end) for d in docs if d.title_span}
    clusters = group_batch(mentions, texts, gaz, mcfg, heads)
    batch = BatchNames(by_id, [])
    # clusters split one name by shape ("Nancy Faeser" and a lone "Faeser" are two), so the
    # outlets behind a spelling are counted over the whole batch, not only within its cluster
    batch.writers = majority.token_outlets(mentions, batch.outlet)
    ids: set[str] = set()
    for c in clusters:
        batch.results.append(_resolve(c, batch, gaz, mcfg, vcfg, ids))
    _add_misrenderings(batch, docs, gaz, ids)
    _add_phrases(batch, docs, gaz, ids, mcfg, vcfg)
    _add_acronyms(batch, gaz, ids)
    _add_reverse(batch, gaz, ids)
    _add_spellchecked(batch)
    corroborate(batch.results)
    evidence.promote(batch.results, mcfg)
    for res in batch.results:
        _against_majority(res, batch, gaz, vcfg)
    targets, short = nearmiss.split_short(nearmiss.supported(
        batch.results, batch.outlet, gaz.vocab, nearmiss.short_settings(vcfg.near)), vcfg.near)
    _add_near_misses(batch, gaz, vcfg, targets, short)
    _add_broken(batch, docs, mentions, gaz, ids, vcfg, targets)
    _add_translated(batch, docs, gaz, ids)
    _add_reworded(batch, gaz, ids, vcfg)
    _add_adjectival(batch, vcfg)
    _add_mojibake(batch, docs, ids)
    return batch


def _resolve(c: Cluster, batch: BatchNames, gaz: Gazetteer, mcfg: MatchSettings,
             vcfg: VerdictSettings, ids: set[str]) -> Resolved:
    if c.entry_id is not None:
        entry = gaz.entries[c.entry_id]
        refs = [f.names for f in gaz.reference_forms(entry.key)]
        res = Resolved(entry.key, entry.canonical, "gazetteer", entry, refs, 0, standard=refs)
    else:
        cons = consensus(c, batch.outlet, batch.writers)
        res = Resolved(_unique(slug(cons.text), ids), cons.text, "consensus", None, cons.refs,
                       cons.support, standard=cons.standard)
    ids.add(res.id)
    outlets_by_class: dict[tuple, set[str]] = {}
    for o in c.occs:
        key = tuple(spelling_class(n) for n in o.mention.names)
        outlets_by_class.setdefault(key, set()).add(batch.outlet(o.mention.doc_id)[0])
    for o in c.occs:
        text = batch.docs[o.mention.doc_id].text
        key = tuple(spelling_class(n) for n in o.mention.names)
        res.judged.append(judge(o, res, len(outlets_by_class[key]), text[o.mention.end:],
                                mcfg, vcfg))
    if res.source == "gazetteer":
        refs = {acc_key(" ".join(r)) for r in res.refs}
        res.support = len({batch.outlet(j.occ.mention.doc_id)[0] for j in res.judged
                           if acc_key(" ".join(j.occ.mention.names)) in refs})
    canon = form_names(res.canonical)
    if canon:
        within_article(res, canon, mcfg, vcfg)
    return res


_REJUDGED = {("acceptable", "romanisation"), ("foreign", "foreign-romanisation")}


def _against_majority(res: Resolved, batch: BatchNames, gaz: Gazetteer,
                      vcfg: VerdictSettings) -> None:
    """One-off vowel moves and doublings against most outlets (audit/names/majority.py)."""
    if not any((j.verdict, j.rule) in _REJUDGED for j in res.judged):
        return                  # nothing majority.judge or accent_unbacked would look at
    seen = majority.token_outlets((j.occ.mention for j in res.judged), batch.outlet)
    for tok, outlets in seen.items():          # the outlets of the batch behind each token
        outlets |= batch.writers.get(tok, set())
    # a listed place or organisation, or a batch name never written with a first name that
    # English text knows, has an English form of its own (Valencia, Tripoli); a person's name
    # and a place English has no form for keep their accents (López, Nzérékoré)
    exonym = res.entry.type in ("place", "org") if res.entry is not None else \
        not any(len(j.occ.mention.names) > 1 for j in res.judged) \
        and majority.english_form(res.canonical, vcfg.majority)
    owned = majority.owned_name(res, vcfg.majority)
    for j in res.judged:
        own = batch.outlet(j.occ.mention.doc_id)[0]
        majority.judge(j, seen, own, gaz.vocab, vcfg.majority, owned)
        majority.accent_unbacked(j, seen, own, vcfg.majority, res.source != "gazetteer",
                                 exonym)


def _unique(base: str, ids: set[str]) -> str:
    out, k = base, 2
    while out in ids:
        out, k = f"{base}-{k}", k + 1
    return out


def _entry_result(batch: BatchNames, gaz: Gazetteer, entry_id: str, ids: set[str]) -> Resolved:
    found = batch.entry_result(entry_id)
    if found is not None:
        return found
    entry = gaz.entries[entry_id]
    refs = [f.names for f in gaz.reference_forms(entry.key)]
    res = Resolved(entry.key, entry.canonical, "gazetteer", entry, refs, 0, standard=refs)
    batch.results.append(res)
    ids.add(res.id)
    return res


def _make_room(batch: BatchNames, doc_id: str, start: int, end: int) -> bool:
    """Drop mentions overlapping [start, end): a listed phrase is better evidence, unless a
    longer flagged mention is already there (then False)."""
    def hit(j: Judged) -> bool:
        m = j.occ.mention
        return m.doc_id == doc_id and m.start < end and start < m.end

    def wider(j: Judged) -> bool:
        return j.occ.mention.start < start or j.occ.mention.end > end
    near = batch.results_in(doc_id)
    if any(hit(j) and wider(j) and j.verdict in ("garbled", "foreign") for r in near for j in r.judged):
        return False
    emptied = False
    for r in near:
        if any(hit(j) for j in r.judged):
            batch.set_judged(r, [j for j in r.judged if not hit(j)])
            emptied = emptied or not r.judged
    if emptied:
        batch.drop_empty()
    return True


def _add_phrases(batch: BatchNames, docs: list[Document], gaz: Gazetteer, ids: set[str],
                 mcfg: MatchSettings, vcfg: VerdictSettings) -> None:
    """Listed foreign and bad forms the mention finder could not see as one name."""
    for d in docs:
        for start, end, form in misrender.find_phrases(d, gaz):
            if not _make_room(batch, d.id, start, end):
                continue
            res = _entry_result(batch, gaz, form.entry_id, ids)
            text = d.text[start:end]
            occ = Occurrence(NameMention(d.id, (NameTok(text, start, end),), text), form)
            batch.add(res, judge(occ, res, 1, "", mcfg, vcfg))


def _add_misrenderings(batch: BatchNames, docs: list[Document], gaz: Gazetteer,
                       ids: set[str]) -> None:
    for d in docs:
        for mr in misrender.find(d, gaz):
            res = _entry_result(batch, gaz, mr.entry_id, ids)
            tok = NameTok(mr.text, mr.start, mr.end)
            occ = Occurrence(NameMention(d.id, (tok,), mr.text), Form(mr.entry_id, mr.text,
                                                                      "known_bad", (mr.text,)))
            batch.add(res, Judged(occ, "garbled", "common-noun-misrendering",
                                  suggestion=res.canonical, notes={"context": mr.hint}))


# --- second looks: acronyms, reverse romanisation, spell-checker words ---------------------------

def _move(batch: BatchNames, old: Judged, new: Judged, target: Resolved | None) -> None:
    """Replace `old` by `new`, in `target` (or where `old` was)."""
    home = _home(batch, old)
    if home is not None:
        batch.set_judged(home, [j for j in home.judged if j is not old])
    dest = target or home
    if dest is None:
        return
    if not batch.contains(dest):
        batch.results.append(dest)
    batch.add(dest, new)
    batch.drop_empty()


def _home(batch: BatchNames, old: Judged) -> Resolved | None:
    """The first result (in batch order) holding `old`. Looked for among the results with a
    mention in its article (batch.results_in): scanning every mention of the batch per move
    was quadratic (the largest names cost at 10,000 articles, 90 s profiled). When the index
    does not give exactly one result of the batch, the full scan decides, as before."""
    holders = [r for r in batch.results_in(old.occ.mention.doc_id) if batch.holds(r, old)]
    if len(holders) == 1 and batch.member(holders[0]):
        return holders[0]
    return next((r for r in batch.results if batch.holds(r, old)), None)


def _target(batch: BatchNames, gaz: Gazetteer, ids: set[str], entry_id: str | None,
            result: Resolved | None) -> Resolved | None:
    if entry_id is not None:
        return _entry_result(batch, gaz, entry_id, ids)
    return result if result is not None and batch.contains(result) else None


def _add_acronyms(batch: BatchNames, gaz: Gazetteer, ids: set[str]) -> None:
    outlet = lambda doc_id: batch.outlet(doc_id)[0]  # noqa: E731
    for hit in acronyms.find(batch.results, gaz, batch.docs, outlet):
        langs = list(hit.langs)
        notes = {"acronym_rule": hit.how, "english_acronym": hit.english}
        if hit.expansion:
            notes["expansion"] = hit.expansion
        if len(langs) > 1:
            notes["languages"] = langs
        new = Judged(hit.judged.occ, "foreign", "foreign-acronym", langs[0] if langs else None,
                     suggestion=hit.english, notes=notes)
        _move(batch, hit.judged, new, _target(batch, gaz, ids, hit.entry_id, hit.result))


def _add_reverse(batch: BatchNames, gaz: Gazetteer, ids: set[str]) -> None:
    for hit in reverse.find(batch.results, gaz, batch.docs):
        occ = hit.judged.occ
        if hit.start is not None:
            m = occ.mention
            if _target(batch, gaz, ids, hit.entry_id, hit.result) is None \
                    or not _make_room(batch, m.doc_id, hit.start, m.end):
                continue
            word = NameTok(hit.text[:m.start - hit.start].strip(), hit.start,
                           hit.start + len(hit.text[:m.start - hit.start].strip()))
            occ = Occurrence(NameMention(m.doc_id, (word,) + m.toks, hit.text))
        notes = {"reverse": hit.how, "english": hit.english, "languages": list(hit.langs),
                 "foreign_rules": [r.why for r in hit.rules]}
        new = Judged(occ, "foreign", "reverse-romanisation", hit.lang, suggestion=hit.english,
                     notes=notes)
        if hit.strength < 2 or hit.needs_evidence:
            new.verdict, new.lang = "unknown", None
            notes["pending"] = list(hit.langs)
        target = _target(batch, gaz, ids, hit.entry_id, hit.result)
        if hit.start is None and target is None and hit.how == "lexicon":
            _rename(batch, hit.judged, hit.english)
        if hit.start is None:
            _move(batch, hit.judged, new, target)
        elif target is not None:
            batch.add(target, new)


def _rename(batch: BatchNames, j: Judged, english: str) -> None:
    """A group of one foreign spelling takes the English form word statistics point to."""
    home = _home(batch, j)
    if home is not None and home.entry is None and home.canonical != english:
        home.canonical, home.refs, home.standard = english, [form_names(english)], []
        for k in home.judged:
            if k.verdict == "canonical":
                k.verdict, k.rule = "unknown", "differs from the English form"


def _add_near_misses(batch: BatchNames, gaz: Gazetteer, vcfg: VerdictSettings,
                     targets: dict, short: dict | None = None) -> None:
    """Lone spellings one slip from a token the batch agrees on (audit/names/nearmiss.py)."""
    for hit in nearmiss.find(batch.results, batch.outlet, gaz.vocab, vcfg.near, vcfg.majority,
                             targets, short):
        old = hit.judged
        verdict = "foreign" if hit.lang else "garbled"
        notes = {"slip": hit.how, "reference_outlets": hit.support,
                 "reference": " ".join(hit.ref), "edits": nearmiss.edits(hit.ref, hit.var)}
        if hit.majority:
            notes["majority"] = hit.majority
        if hit.rules:
            notes["foreign_rules"] = hit.rules
        new = Judged(old.occ, verdict, "near-miss", hit.lang, ref=hit.ref,
                     suggestion=_respell(old.occ.mention, hit.ref), notes=notes)
        _move(batch, old, new, hit.result)


def _add_broken(batch: BatchNames, docs: list[Document], mentions: list[NameMention],
                gaz: Gazetteer, ids: set[str], vcfg: VerdictSettings, targets: dict) -> None:
    """Names cut by a space, hyphen, quote mark or possessive (audit/names/broken.py)."""
    listed = _listed_keys(gaz)
    known = set(targets) | set(listed)
    tokens = set(gaz.vocab) | {orth(n) for m in mentions for n in m.names}
    spelled = _supported_spellings(batch, vcfg.near.min_support)
    by_doc: dict[str, list[NameMention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc_id, []).append(m)

    def is_known(names: tuple[str, ...]) -> str | None:
        forms = gaz.lookup(names)
        if forms:
            return forms[0].entry_id
        return spelled.get(tuple(orth(n) for n in names))

    for d in docs:
        lines = _content_lines(d)
        hits = broken.mid_word(d.id, d.text, lines, known, tokens)
        hits += broken.between(by_doc.get(d.id, []), d.text, is_known)
        for h in hits:
            _judge_broken(batch, gaz, ids, h, targets, listed)


def _add_translated(batch: BatchNames, docs: list[Document], gaz: Gazetteer,
                    ids: set[str]) -> None:
    """Names rendered by translating their words (audit/names/meanings.py)."""
    for d in docs:
        lines = _content_lines(d)
        for h in meanings.find(d.id, d.text, lines, gaz):
            if _listed_overlap(batch, d.id, h.start, h.end):
                continue
            target = _entry_result(batch, gaz, h.entry_id, ids)
            start, end = _absorb(batch, d.id, h.start, h.end)
            if not batch.contains(target):
                batch.results.append(target)
            text = d.text[start:end]
            occ = Occurrence(NameMention(d.id, (NameTok(text, start, end),), text))
            batch.add(target, Judged(occ, "garbled", "translated-name",
                                     suggestion=target.canonical,
                                     notes={"glosses": list(h.glosses), "translates": h.form}))


def _add_reworded(batch: BatchNames, gaz: Gazetteer, ids: set[str],
                  vcfg: VerdictSettings) -> None:
    """Multi-word names re-rendered word by word: moved, one word slipped, one word swapped
    for a spinner's synonym (audit/names/reworded.py)."""
    refs = _multiword_references(batch, gaz)
    if not refs:
        return
    index = reworded.Index(refs)
    for r in list(batch.results):
        by_text: dict[str, set[str]] = {}
        for j in r.judged:
            by_text.setdefault(j.text, set()).add(batch.outlet(j.occ.mention.doc_id)[0])
        for j in [j for j in r.judged if j.verdict in ("canonical", "acceptable", "unknown")
                  and len(j.occ.mention.names) >= 2 and len(by_text[j.text]) == 1
                  and (j.occ.form is None or j.occ.form.kind not in ("canonical", "alias"))]:
            own = batch.outlet(j.occ.mention.doc_id)[0]
            hit = index.find(tuple(j.occ.mention.names), own, vcfg.near.min_support)
            if hit is None:
                continue
            target = _entry_result(batch, gaz, hit.ref.key, ids) if hit.ref.listed else \
                next((x for x in batch.results if x.id == hit.ref.key), None)
            if target is None or target is r and hit.how != "order":
                continue
            ref = " ".join(hit.ref.names)
            notes = {"reworded": hit.how, "reference": ref, "word": hit.word,
                     "reference_word": hit.ref_word,
                     "reference_outlets": len(hit.ref.outlets - {own})}
            _move(batch, j, Judged(j.occ, "garbled", "reworded-name", ref=hit.ref.names,
                                   suggestion=ref, notes=notes), target)


def _multiword_references(batch: BatchNames, gaz: Gazetteer) -> list[reworded.Reference]:
    """Names of two or more words: the gazetteer's spellings, and those outlets write."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], str, set[str]]] = {}
    for r in batch.results:
        for j in r.judged:
            names = j.occ.mention.names
            if len(names) > 1 and j.verdict in ("canonical", "acceptable"):
                got = out.setdefault(tuple(orth(n) for n in names), (names, r.id, set()))
                got[2].add(batch.outlet(j.occ.mention.doc_id)[0])
    refs = [reworded.Reference(n, key, frozenset(o), False) for n, key, o in out.values()]
    refs += [reworded.Reference(f.names, f.entry_id, frozenset(), True) for f in gaz.forms
             if f.kind in ("canonical", "alias") and len(f.names) > 1]
    return refs


def _add_adjectival(batch: BatchNames, vcfg: VerdictSettings) -> None:
    """Slavic adjectival forms of a place other outlets write as a noun
    (audit/names/adjectival.py): foreign, in the language of the ending."""
    index = adjectival.NounIndex(batch.writers, vcfg.near.min_support)
    for r in list(batch.results):
        for j in [j for j in r.judged if j.verdict in ("canonical", "acceptable", "unknown")
                  and (j.occ.form is None or j.occ.form.kind not in ("canonical", "alias"))]:
            hit = adjectival.find(j.occ.mention.names, batch.outlet(j.occ.mention.doc_id)[0], index)
            if hit is None:
                continue
            noun = hit.noun[:1].upper() + hit.noun[1:] if hit.token[:1].isupper() else hit.noun
            notes = {"adjective": hit.token, "noun": noun, "ending": hit.ending,
                     "noun_outlets": hit.outlets}
            _move(batch, j, Judged(j.occ, "foreign", "slavic-adjective", hit.lang,
                                   suggestion=j.text.replace(hit.token, noun), notes=notes), r)


def _add_mojibake(batch: BatchNames, docs: list[Document], ids: set[str]) -> None:
    """Name words an encoding round trip garbled (audit/names/mojibake.py), grouped by the
    repaired spelling."""
    made: dict[str, Resolved] = {}
    for d in docs:
        for h in mojibake.find(d.text, _content_lines(d)):
            if not _make_room(batch, d.id, h.start, h.end):
                continue
            res = made.get(h.fixed)
            if res is None:
                res = made[h.fixed] = Resolved(_unique(slug(h.fixed), ids), h.fixed, "consensus",
                                               None, [(h.fixed,)], 0)
                ids.add(res.id)
                batch.results.append(res)
            occ = Occurrence(NameMention(d.id, (NameTok(h.text, h.start, h.end),), h.text))
            batch.add(res, Judged(occ, "garbled", "mojibake", suggestion=h.fixed,
                                  notes={"repaired": h.fixed}))


def _listed_overlap(batch: BatchNames, doc_id: str, start: int, end: int) -> bool:
    """A listed spelling (canonical or alias) covers it: "Hezbollah Brigades" is English."""
    return any(j.occ.mention.doc_id == doc_id and j.occ.mention.start <= start
               and end <= j.occ.mention.end and j.occ.form is not None
               and j.occ.form.kind in ("canonical", "alias")
               for r in batch.results_in(doc_id) for j in r.judged)


def _absorb(batch: BatchNames, doc_id: str, start: int, end: int) -> tuple[int, int]:
    """Drop the mentions overlapping [start, end) and return the span covering them all
    ("Kataib Hezb" + "Hezb ollah" -> "Kataib Hezb ollah")."""
    for r in batch.results_in(doc_id):
        for j in r.judged:
            m = j.occ.mention
            if m.doc_id == doc_id and m.start < end and start < m.end:
                start, end = min(start, m.start), max(end, m.end)
    _make_room(batch, doc_id, start, end)
    for r in batch.results_in(doc_id):   # a flagged wider mention survives _make_room: drop it too
        batch.set_judged(r, [j for j in r.judged if not (j.occ.mention.doc_id == doc_id
                                                         and j.occ.mention.start < end
                                                         and start < j.occ.mention.end)])
    batch.drop_empty()
    return start, end


_LISTED: dict[int, tuple] = {}


def _listed_keys(gaz: Gazetteer) -> dict[str, tuple[str, str]]:
    """Key of every listed name token -> (entry id, token); built once per gazetteer."""
    if id(gaz) not in _LISTED:
        if len(_LISTED) > 8:
            _LISTED.clear()
        listed: dict[str, tuple[str, str]] = {}
        for f in gaz.forms:
            if f.kind in ("canonical", "alias"):
                for n in f.names:
                    if len(f.names) == 1 or broken.key(n) not in listed:
                        listed[broken.key(n)] = (f.entry_id, n)
        _LISTED[id(gaz)] = (gaz, listed)         # holding gaz keeps its id from reuse
    return _LISTED[id(gaz)][1]


def _content_lines(d: Document) -> list[tuple[int, int]]:
    """The document's lines outside noise (the whole text when it has no line structure)."""
    spans = [(ln.start, ln.end) for ln in d.lines] if d.lines else [(0, len(d.text))]
    return [(a, b) for a, b in spans if not d.is_noise(a, b)]


def _supported_spellings(batch: BatchNames, min_outlets: int) -> dict[tuple[str, ...], str]:
    """Multi-token spellings enough outlets write -> their entity id."""
    out: dict[tuple[str, ...], set[str]] = {}
    owner: dict[tuple[str, ...], str] = {}
    for r in batch.results:
        for j in r.judged:
            names = tuple(orth(n) for n in j.occ.mention.names)
            if len(names) > 1 and j.verdict in ("canonical", "acceptable"):
                out.setdefault(names, set()).add(batch.outlet(j.occ.mention.doc_id)[0])
                owner[names] = r.id
    return {k: owner[k] for k, v in out.items() if len(v) >= min_outlets}


def _judge_broken(batch: BatchNames, gaz: Gazetteer, ids: set[str], h: broken.Broken,
                  targets: dict, listed: dict[str, tuple[str, str]]) -> None:
    if h.key in gaz.entries:
        target, joined = _entry_result(batch, gaz, h.key, ids), None
    elif any(r.id == h.key for r in batch.results):
        target, joined = next(r for r in batch.results if r.id == h.key), None
    elif h.key in targets:
        target, joined = targets[h.key].result, targets[h.key].token
    else:
        entry_id, joined = listed[h.key]
        target = _entry_result(batch, gaz, entry_id, ids)
    if target is None:
        return
    start, end = _absorb(batch, h.doc_id, h.start, h.end)
    if not batch.contains(target):
        batch.results.append(target)
    suggestion = joined or target.canonical
    text = batch.docs[h.doc_id].text[start:end]
    occ = Occurrence(NameMention(h.doc_id, (NameTok(text, start, end),), text))
    batch.add(target, Judged(occ, "garbled", "broken-name", suggestion=suggestion,
                             notes={"broken_by": h.how, "joined": suggestion}))


def _respell(m: NameMention, ref: tuple[str, ...]) -> str:
    """The mention's text with its name tokens replaced by the reference's."""
    names = [t for t in m.toks if not t.particle]
    if len(ref) != len(names):
        return " ".join(ref)
    out, pos = [], m.start
    text = m.text
    for t, r in zip(names, ref):
        out.append(text[pos - m.start:t.start - m.start] + r)
        pos = t.end
    return "".join(out) + text[pos - m.start:]


def _add_spellchecked(batch: BatchNames) -> None:
    texts = {doc_id: d.text for doc_id, d in batch.docs.items()}
    for hit in spellcheck.find(batch.results, texts, batch.outlet):
        notes = {"english_word": hit.word, "name_word": hit.name_word, "spelled": hit.spelling}
        occ = hit.judged.occ
        if hit.lead is not None:             # "El Father": the particle belongs to the span
            m = occ.mention
            word, start = hit.lead
            text = batch.docs[m.doc_id].text[start:m.end]
            occ = Occurrence(NameMention(m.doc_id, (NameTok(word, start, start + len(word), True),)
                                         + m.toks, text))
        new = Judged(occ, "garbled", "spell-checker", suggestion=hit.spelling, notes=notes)
        _move(batch, hit.judged, new, hit.target)
    for hit, support in spellcheck.find_across(batch.results, batch.outlet):
        notes = {"english_word": hit.word, "name_word": hit.name_word, "spelled": hit.spelling,
                 "outlets_spelling_it": support}
        new = Judged(hit.judged.occ, "garbled", "spell-checker", ref=hit.judged.ref,
                     suggestion=hit.spelling, notes=notes)
        _move(batch, hit.judged, new, hit.target)