"""A finding's evidence in words: one sentence and, where it helps, a small table.

Detectors record *why* as JSON-like structures (findings.json keeps them raw). Editors read
sentences: "Judged a French romanisation kept in English; the gazetteer spelling is “Hashd
al-Shaabi”, which 3 other outlets use", then a table of the spellings and who used them. This
module is the one place where structures become words, for the HTML pages and the PDFs alike.

Renderers are chosen by the evidence's *shape* (the keys it carries: `spellings`, `cues`,
`explain`, `parts` + `zipf`...) and then by its `rule`, not by detector name, so a new detector
that records the same shape reads well at once. Anything else goes through the generic
renderer, which still writes words (keys humanised, lists as "a, b and 3 more", mappings as
"a (2), b (1)") and never prints a bracket or a quoted key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping

MAX_ROWS = 8          # table rows shown; the rest are counted
MAX_ITEMS = 6         # list items written out in a sentence; the rest are counted
MAX_CHARS = 400       # a sentence longer than this is cut at a word


@dataclass
class EvidenceTable:
    caption: str
    head: list[str]
    rows: list[list[str]]
    more: int = 0                     # rows left out (counted under the table)

    @property
    def key(self) -> str:
        """Identity of what the table shows: on paper a table seen earlier in the same PDF is
        referred to, not printed again (one article's spelling table recurred on 4 of 12 pages)."""
        return repr((self.caption, self.head, self.rows, self.more))


@dataclass
class Evidence:
    sentence: str
    table: EvidenceTable | None = None
    renderer: str = "generic"         # which renderer wrote it (tests and debugging)

    def words(self) -> str:
        """Everything a reader sees, as one string (what tests search)."""
        parts = [self.sentence]
        if self.table:
            parts += [self.table.caption, " ".join(self.table.head)]
            parts += [" ".join(r) for r in self.table.rows]
        return " ".join(p for p in parts if p)


# --- words for values ------------------------------------------------------------------------

@lru_cache(maxsize=None)
def language(code: str) -> str:
    """'fr' -> 'French', from the calque lexicon's table; the code itself when unlisted."""
    try:
        from audit.artifacts._text import language_name
        name = language_name(code)
    except Exception:  # the report must render even without the detectors' data
        name = code
    return "English" if name == "en" else name


def human(key: str) -> str:
    """`standard_outlets_elsewhere` -> `standard outlets elsewhere`."""
    return str(key).replace("_", " ").replace("-", " ").strip()


def number(v: float | int) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def listing(items: list[str], limit: int = MAX_ITEMS) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 4 more'."""
    items = [i for i in items if i]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def words(v: Any, depth: int = 0) -> str:
    """Any JSON-like value as plain words: no brackets, braces or quoted keys."""
    if v is None:
        return "none"
    if isinstance(v, (bool, int, float)):
        return number(v)
    if isinstance(v, str):
        return _clean(v)
    if isinstance(v, Mapping):
        if not v:
            return "none"
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v.values()):
            return listing([f"{_clean(str(k))} ({number(x)})" for k, x in v.items()])
        if depth >= 2:
            return f"{len(v)} details"
        return ", ".join(f"{human(k)} {words(x, depth + 1)}" for k, x in list(v.items())[:MAX_ITEMS])
    if isinstance(v, (list, tuple, set)):
        seq = list(v)
        if not seq:
            return "none"
        if all(not isinstance(x, (Mapping, list, tuple)) for x in seq):
            return listing([words(x, depth + 1) for x in seq])
        if depth >= 2:
            return f"{len(seq)} items"
        shown = "; ".join(words(x, depth + 1) for x in seq[:3])
        return shown + (f"; and {len(seq) - 3} more" if len(seq) > 3 else "")
    return _clean(str(v))


def _clean(s: str) -> str:
    """Strings from evidence are words already; brackets in them would read as structure."""
    return s.replace("{", "(").replace("}", ")").replace("[", "(").replace("]", ")").replace('": ', '" ')


def _q(s: Any) -> str:
    return f"“{_clean(str(s))}”"


def _cut(s: str) -> str:
    s = " ".join(s.split())
    if len(s) <= MAX_CHARS:
        return s
    return s[:MAX_CHARS].rsplit(" ", 1)[0] + " …"


def _langs(codes: Any) -> str:
    if isinstance(codes, Mapping):
        codes = list(codes)
    if isinstance(codes, str):
        codes = [codes]
    return listing([language(str(c)) for c in codes or []], limit=4)


def _table(caption: str, head: list[str], rows: list[list[str]], limit: int = MAX_ROWS) -> EvidenceTable | None:
    if not rows:
        return None
    return EvidenceTable(caption, head, [[_clean(c) for c in r] for r in rows[:limit]], max(0, len(rows) - limit))


# --- renderers by shape ------------------------------------------------------------------------

_ENTITY_RULES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "foreign-romanisation": lambda e: f"a {e.get('language_name') or language(str(e.get('language', '')))} romanisation kept in English copy",
    "gazetteer-foreign": lambda e: f"the {e.get('language_name') or language(str(e.get('language', '')))} form of the name, listed in the gazetteer",
    "foreign-acronym": lambda e: (f"the {e.get('language_name') or 'foreign'} acronym"
                                  + (f"; English copy writes {_q(e['english_acronym'])}" if e.get("english_acronym") else "")),
    "reverse-romanisation": lambda e: (f"a {e.get('language_name') or 'foreign'} spelling that reads as "
                                       f"{_q(e.get('english') or e.get('canonical'))} once undone"),
    "consonant-change": lambda e: "consonants changed from the reference spelling",
    "within-article": lambda e: (f"this article spells the name {len(e.get('article_spellings') or [])} ways "
                                 f"({listing([str(x) for x in e.get('article_spellings') or []])})"),
    "fused-word": lambda e: (f"the name fused with the next word {_q(e.get('fused_word', ''))}"
                             + (f" ({_q(e['name_token'])} + {_q(e['fused_word'])})" if e.get("name_token") else "")),
    "spell-checker": lambda e: (f"a spell-checker's change: the name's {_q(e.get('name_word'))} became the English word "
                                f"{_q(e.get('english_word'))}"),
    "common-noun-misrendering": lambda e: (f"a common word standing in for the name"
                                           + (f", next to {_q(e['context'])}" if e.get("context") else "")),
}


def _spelling_rows(ev: Mapping[str, Any], own: str) -> list[list[str]]:
    rows = []
    for s in ev.get("spellings") or []:
        if not isinstance(s, Mapping):
            continue
        outlets = s.get("outlets") or {}
        if isinstance(outlets, Mapping):
            ranked = sorted(outlets.items(), key=lambda kv: (-_num(kv[1]), str(kv[0])))
            who = listing([f"{k} ×{number(n) if isinstance(n, (int, float)) else words(n)}" for k, n in ranked], limit=5)
            total = sum(_num(n) for _, n in ranked)
        else:
            who, total = words(outlets), 0
        rows.append((s.get("spelling") != own, s.get("verdict") != "canonical", -total,
                     [str(s.get("spelling", "")), str(s.get("verdict", "")), who]))
    return [r for *_, r in sorted(rows, key=lambda r: r[:3])]


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def render_spellings(ev: Mapping[str, Any], text: str) -> Evidence:
    rule = str(ev.get("rule", ""))
    why = _ENTITY_RULES.get(rule, lambda e: human(rule) if rule else "")(ev)
    verdict = str(ev.get("verdict") or "")
    parts = [f"Judged {verdict}" + (f": {why}" if why else "") if verdict else (why[:1].upper() + why[1:])]
    canon = ev.get("canonical")
    if canon:
        src = {"gazetteer": "the gazetteer", "consensus": "the batch's consensus"}.get(
            str(ev.get("canonical_source")), human(str(ev.get("canonical_source") or "the reference")))
        ref = f"the reference spelling is {_q(canon)}, from {src}"
        n = ev.get("standard_outlets_elsewhere")
        if isinstance(n, int) and n:
            ref += f", and {n} other {'outlet writes' if n == 1 else 'outlets write'} a standard form"
        parts.append(ref)
    diffs = [d for d in ev.get("differences") or [] if isinstance(d, Mapping)]
    if diffs:
        bits = []
        for d in diffs[:4]:
            how = [str(x) for x in (d.get("consonant_changes") or []) + (d.get("foreign_rules") or [])]
            bits.append(f"{_clean(str(d.get('reference', '')))} → {_clean(str(d.get('spelling', '')))}"
                        + (f" ({listing(how, 3)})" if how else ""))
        parts.append("changes " + "; ".join(bits))
    elif ev.get("foreign_rules"):
        parts.append("pattern " + words(ev["foreign_rules"]))
    if ev.get("document_evidence"):
        parts.append(f"the same article also shows {words(ev['document_evidence'])}")
    sentence = _cut("; ".join(p for p in parts if p) + ".")
    table = _table("Spellings of this name across the batch", ["Spelling", "Verdict", "Outlets (mentions)"],
                   _spelling_rows(ev, text))
    return Evidence(sentence, table, "spellings")


_POSITION = {"head": "above the first content paragraph", "tail": "below the last content paragraph",
             "body": "inside the text"}


def render_cues(ev: Mapping[str, Any], text: str, kind: str = "") -> Evidence:
    cues = [c for c in ev.get("cues") or [] if isinstance(c, Mapping)]
    conf, thr = ev.get("confidence"), ev.get("threshold")
    head = f"Marked as {kind or 'noise'}"
    if isinstance(conf, (int, float)):
        head += f" with confidence {number(conf)}" + (f" (threshold {number(thr)})" if isinstance(thr, (int, float)) else "")
    where = []   # the line is on the finding itself (the detector counts lines its own way)
    if ev.get("position"):
        where.append(_POSITION.get(str(ev["position"]), human(str(ev["position"]))))
    if where:
        head += ", " + ", ".join(where)
    dup = ev.get("duplicate_of")
    if isinstance(dup, Mapping) and dup.get("line"):
        head += f"; repeats line {words(dup['line'])}" + (
            f" ({number(dup['similarity'])}% alike)" if isinstance(dup.get("similarity"), (int, float)) else "")
    strongest = sorted(cues, key=lambda c: -_num(c.get("weight")))
    reasons = [_clean(str(c.get("explain") or human(str(c.get("name", ""))))) for c in strongest
               if _num(c.get("weight")) > 0 and c.get("source") != "position"]   # position is said already
    sentence = _cut(head + (": " + "; ".join(reasons[:3]) if reasons else "") + ".")
    rows = []
    for c in strongest:
        what = str(c.get("explain") or human(str(c.get("name", ""))))
        if c.get("match") and str(c.get("match")) not in what:
            what += f" (matched {_q(c['match'])})"
        w = c.get("weight")
        rows.append([human(str(c.get("source", ""))), what,
                     (f"{w:+.1f}" if isinstance(w, (int, float)) else words(w))])
    return Evidence(sentence, _table("Cues weighed", ["Kind of cue", "What was seen", "Weight"], rows), "cues")


def render_lexicon(ev: Mapping[str, Any], text: str) -> Evidence:
    parts = [_clean(str(ev.get("explain", ""))).rstrip(".") + "."]
    if ev.get("source_langs"):
        parts.append(f"Typical of translation from {_langs(ev['source_langs'])}.")
    n = ev.get("other_artifacts_in_document")
    if isinstance(n, int) and n:
        parts.append(f"The article shows {n} other translation {'artifact' if n == 1 else 'artifacts'}.")
    rows = [["Lexicon rule", human(str(ev.get("rule", "")))]]
    if ev.get("group"):
        rows.append(["Group", human(str(ev["group"]))])
    matched = ev.get("matched")
    if isinstance(matched, Mapping) and matched:
        rows.append(["Matched", " · ".join(f"{human(k)} {_q(v)}" for k, v in matched.items())])
    if ev.get("source_langs"):
        rows.append(["Source languages", _langs(ev["source_langs"])])
    return Evidence(_cut(" ".join(parts)), _table("Lexicon entry", ["", ""], rows), "lexicon")


def render_zipf(ev: Mapping[str, Any], text: str) -> Evidence:
    parts = [str(p) for p in ev.get("parts") or []]
    z = ev.get("zipf")
    if isinstance(z, (list, tuple)):
        z = dict(zip(parts, z))
    z = z if isinstance(z, Mapping) else {}
    pieces = " + ".join(_q(p) for p in parts)
    sentence = f"Reads as {pieces} run together" if parts else "Reads as two words run together"
    known = [f"{_clean(p)} {number(z[p])}" for p in parts if isinstance(z.get(p), (int, float))]
    if known:
        sentence += f": word frequencies (Zipf) {listing(known)}"
    joined = next((k for k in z if k not in parts), None)
    if joined is not None and isinstance(z[joined], (int, float)):
        sentence += f", while {_q(joined)} itself scores {number(z[joined])}"
    if ev.get("why"):
        sentence += f"; {_clean(str(ev['why']))}"
    rows = [[_clean(str(k)), number(v)] for k, v in z.items() if isinstance(v, (int, float))]
    return Evidence(_cut(sentence + "."), _table("Word frequency (Zipf scale: 0 unknown, 7 very common)",
                                                 ["Word", "Zipf"], rows), "zipf")


def _times(n: Any) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{words(n)} times") if isinstance(n, int) else f"{words(n)} times"


def _casing(ev: Mapping[str, Any], text: str) -> Evidence | None:
    rule = ev.get("rule")
    if rule == "function-word-capitalised":
        ctx = [f"after {_q(ev['after'])}" if ev.get("after") else "", f"before {_q(ev['before'])}" if ev.get("before") else ""]
        return Evidence(f"{_q(ev.get('word', text))} is a function word, capitalised in mid-sentence"
                        + (f" ({' and '.join(c for c in ctx if c)})" if any(ctx) else "") + ".", None, "casing")
    if rule == "proper-noun-lower-case":
        cap, low = ev.get("written_capitalised_in_batch"), ev.get("written_lower_case_in_batch")
        s = f"A proper noun written in lower case: the batch writes it with a capital {_times(cap)}"
        s += f" and in lower case {_times(low)}" if low is not None else ""
        s += f", in {words(ev['documents'])} documents" if ev.get("documents") else ""
        s += f" ({_clean(str(ev['why']))})" if ev.get("why") else ""
        rows = [[human(k), words(v)] for k, v in ev.items() if k not in ("rule", "why")]
        return Evidence(_cut(s + "."), _table("The statistics behind it", ["Statistic", "Value"], rows), "casing")
    if rule == "initialism-title-case":
        return Evidence(f"{_q(ev.get('initialism', text))} is an initialism, read letter by letter, written in title case"
                        + (f" ({_clean(str(ev['why']))})" if ev.get("why") else "") + ".", None, "casing")
    return None


_FRAGMENTS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "fragment-clause": lambda e: (f"A clause of {words(e.get('words'))} words, starting with {_q(e.get('first_word'))}, "
                                  f"stands alone after {_q(e.get('after'))}."),
    "fragment-name-alone": lambda e: f"The name {_q(e.get('name'))} stands as a sentence of its own.",
    "paragraph-ends-on-comma": lambda e: "The paragraph ends on a comma: the text was cut.",
    "fragment-stray": lambda e: (f"A stray piece of {words(e.get('words'))} word(s), {_q(e.get('first_word'))}, "
                                 f"stands after {_q(e.get('after'))}."),
    "doubled-punctuation": lambda e: f"Doubled punctuation {_q(e.get('found'))}.",
    "quote-nested": lambda e: "Quotation marks are nested or left open.",
    "a-an": lambda e: (f"{_q(e.get('next_word'))} begins with a {words(e.get('sound'))} sound, so the article is "
                       f"{'“an”' if e.get('sound') == 'vowel' else '“a”'}."),
    "residue-word": lambda e: (f"{words(e.get('words', 1))} word(s) in {language(str(e.get('detected', '')))} left in "
                               f"{language(str(e.get('article_language', 'en')))} copy: word frequency (Zipf) "
                               f"{words(e.get('zipf_source'))} in {language(str(e.get('detected', '')))}, "
                               f"{words(e.get('zipf_en'))} in English."),
}


def render_generic(ev: Mapping[str, Any], text: str) -> Evidence:
    """Words for a shape nobody wrote a renderer for: the rule, the plain values, then a table."""
    rule = ev.get("rule")
    plain = [(k, v) for k, v in ev.items() if k != "rule" and not isinstance(v, (Mapping, list, tuple))]
    nested = [(k, v) for k, v in ev.items() if isinstance(v, (Mapping, list, tuple))]
    lead = f"Rule {human(str(rule))}" if rule else "Evidence"
    if ev.get("explain"):
        lead = _clean(str(ev["explain"])).rstrip(".")
        plain = [(k, v) for k, v in plain if k != "explain"]
    bits = [f"{human(k)} {words(v)}" for k, v in plain[:MAX_ITEMS]]
    sentence = _cut(lead + (" (" + ", ".join(bits) + ")" if bits else "") + ".")
    rows = [[human(k), words(v)] for k, v in nested]
    return Evidence(sentence, _table("Details", ["", ""], rows), "generic")


def explain(evidence: Mapping[str, Any] | None, text: str = "", kind: str = "") -> Evidence | None:
    """The words for one finding's evidence (None when it has none)."""
    if not evidence:
        return None
    if not isinstance(evidence, Mapping):
        return Evidence(_cut(words(evidence) + "."), None, "generic")
    ev = evidence
    try:
        if isinstance(ev.get("spellings"), list):
            return render_spellings(ev, text)
        if isinstance(ev.get("cues"), list):
            return render_cues(ev, text, kind)
        if ev.get("explain") and ev.get("source_langs"):
            return render_lexicon(ev, text)
        if "parts" in ev and "zipf" in ev:
            return render_zipf(ev, text)
        cased = _casing(ev, text)
        if cased:
            return cased
        if ev.get("rule") in _FRAGMENTS:
            return Evidence(_cut(_FRAGMENTS[str(ev["rule"])](ev)), None, "rule")
    except (TypeError, ValueError, AttributeError, KeyError):
        pass  # a shape that only looks familiar: the generic words still say what is there
    return render_generic(ev, text)


def provenance(prov: Mapping[str, Any] | None) -> Evidence | None:
    """Why an article reads as a translation: its signals counted by kind, with examples."""
    if not prov or not prov.get("lang"):
        return None
    sigs = [s for s in prov.get("evidence") or [] if isinstance(s, Mapping)]
    by_kind: dict[str, list[str]] = {}
    for s in sigs:
        by_kind.setdefault(human(str(s.get("signal") or s.get("kind") or "signal")), []).append(str(s.get("text", "")))
    lang = language(str(prov["lang"]))
    score = prov.get("score")
    sentence = f"Probably translated from {lang}" + (f" (score {number(score)})" if isinstance(score, (int, float)) else "")
    if by_kind:
        sentence += ": " + "; ".join(f"{len(v)} × {k} ({listing([_q(t.strip()) for t in sorted(set(v))], 3)})" for k, v in
                                     sorted(by_kind.items(), key=lambda kv: -len(kv[1])))
    rows = [[human(str(s.get("signal", ""))), _clean(str(s.get("text", ""))),
             listing([f"{language(k)} {number(v)}" for k, v in (s.get("langs") or {}).items()])] for s in sigs]
    return Evidence(_cut(sentence + "."), _table("Signals of translation", ["Signal", "Text", "Points to"], rows),
                    "provenance")
