"""Document features for translation provenance: what the learned model reads.

Two sets, for the model's two stages (audit/provenance.py):
- `doc_features`: is this English translated at all? The function-word and construction
  profile of the English (rates per 1,000 words), its typography, sentence shape, and the
  artifacts the detectors found (calques, foreign romanisations, residue, fused words...);
- `lang_features`: for one candidate source language, how much points to it: the rule-based
  votes (audit/data/provenance.yaml), name romanisations that follow its spelling rules,
  typography and constructions of its press, the per-language cues (`cues`: its idiom rendered
  word for word, its own media cited, its calendars and titles; each named in the evidence),
  and how much the story happens where it is spoken.

Every feature keeps its count and a few surfaces, so that a decision can name its strongest
features in words ("a space before ':' 4 times"). The patterns are data
(audit/data/provenance_profile.yaml); only derived ratios are computed here.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from wordfreq import zipf_frequency

from audit import provenance_names as pn
from audit.artifacts._ngrams import bigram_count, common_words
from audit.artifacts._text import zipf
from audit.artifacts._prefilter import PatternFilter, first_char_guard
from audit.types import Document, Finding

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
PAIR_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]")
CAPWORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’-]*")
ROMANISED_ZIPF = 3.0     # names rarer than this in English are read for romanisation habits
FINDING_KINDS = ("calque", "mistranslation", "language-residue", "token-merge", "casing",
                 "grammar", "fragment", "punctuation")


@dataclass
class Measure:
    """One feature's value with what was counted (for the evidence)."""
    value: float
    count: int = 0
    words: str = ""
    examples: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = self.words.replace("{n}", str(self.count))
        shown = list(dict.fromkeys(e.casefold() for e in self.examples))
        if len(shown) > 1 or (shown and shown[0] not in self.words.casefold()):
            text += " (" + ", ".join(f"'{e}'" for e in list(dict.fromkeys(self.examples))[:3]) + ")"
        return text


@lru_cache(maxsize=1)
def profile_spec() -> dict[str, Any]:
    path = resources.files("audit") / "data" / "provenance_profile.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for group in ("profile", "typography"):
        for p in spec.get(group) or []:
            p["_rx"] = re.compile(p["regex"], re.IGNORECASE if "i" in p.get("flags", "") else 0)
    for lang, pats in (spec.get("romanisation") or {}).items():
        for p in pats:
            p["_rx"] = re.compile(p["regex"])
            p["_not"] = re.compile(p["not"]) if p.get("not") else None
    for p in spec.get("places") or []:
        p["_rx"] = re.compile(p["regex"])
    spec["_constructions"] = {lang: [re.compile(r) for r in rxs]
                              for lang, rxs in (spec.get("constructions") or {}).items()}
    for c in spec.get("cues") or []:
        c["_rx"] = re.compile(c["regex"])
    return spec


def content_text(doc: Document) -> str:
    """The document's lines that are not noise, one per line (site chrome says nothing)."""
    return "\n".join(doc.slice(s) for s in doc.lines if not doc.is_noise(s.start, s.end))


@dataclass
class DocProfile:
    """Everything measured on one document, shared by both stages."""
    doc_measures: dict[str, Measure]
    lang_measures: dict[str, dict[str, Measure]]      # language -> feature -> measure


@lru_cache(maxsize=1)
def _filter() -> PatternFilter:
    """Every pattern of the profile, read once for the words its matches need."""
    spec = profile_spec()
    rxs = [p["_rx"] for group in ("profile", "typography", "places") for p in spec.get(group) or []]
    rxs += [p["_rx"] for pats in (spec.get("romanisation") or {}).values() for p in pats]
    rxs += [rx for group in spec["_constructions"].values() for rx in group]
    rxs += [c["_rx"] for c in spec.get("cues") or []]
    return PatternFilter(rxs)


@lru_cache(maxsize=1)
def _guarded() -> dict[int, re.Pattern]:
    """Each pattern of the profile with a lookahead on its first character (the same matches,
    found 2.3 times faster over bench_detectors' two articles: _prefilter.first_char_guard)."""
    spec = profile_spec()
    rxs = [p["_rx"] for group in ("profile", "typography", "places") for p in spec.get(group) or []]
    rxs += [rx for group in spec["_constructions"].values() for rx in group]
    rxs += [c["_rx"] for c in spec.get("cues") or []]
    return {id(rx): first_char_guard(rx) for rx in rxs}


def _matches(rx: re.Pattern, text: str, present: frozenset[str] | None = None,
             limit: int = 3) -> tuple[int, list[str]]:
    """Count and first examples of `rx` in `text`; `present` (the filter's words found in the
    text) skips a pattern that cannot match."""
    if present is not None and not _filter().may_match(rx, present):
        return 0, []
    n, ex = 0, []
    for m in _guarded().get(id(rx), rx).finditer(text):
        n += 1
        if len(ex) < limit and m.group().strip():
            ex.append(m.group().strip())
    return n, ex


def _scaled(per: str, n: int, words: int, sentences: int) -> float:
    if per == "words":
        return 1000.0 * n / max(words, 50)
    if per == "sentences":
        return n / max(sentences, 3)
    return math.log1p(n)


def profile(doc: Document, findings: list[Finding], votes: dict[str, float] | None = None) -> DocProfile:
    """Measure one document. `votes` are the rule-based tally's weights per language."""
    spec = profile_spec()
    text = content_text(doc)
    present = _filter().present(text)
    tokens = WORD.findall(text)
    words = len(tokens)
    sents = [doc.slice(s) for s in doc.content_sentences()] or [text]
    m: dict[str, Measure] = {}
    lang: dict[str, dict[str, Measure]] = {}
    for group in ("profile", "typography"):
        for p in spec.get(group) or []:
            n, ex = _matches(p["_rx"], text, present)
            value = _scaled(p["per"], n, words, len(sents))
            label = p["words"] + (f" ({value:.1f} per 1,000 words)" if p["per"] == "words" else "")
            m[p["id"]] = Measure(value, n, label, ex)
            share = 1.0 / len(p.get("langs") or [1])      # « » says less than « » and ' ?'
            for code in p.get("langs") or []:
                _add_lang(lang, code, "press-habits", n, ex, p["words"].replace("{n}", str(n)), share)
    _derived(m, text, sents, tokens)
    _finding_measures(m, lang, doc, findings)
    _constructions(m, lang, text, words, present)
    _romanisations(m, lang, text, present)
    _places(lang, text, present)
    _names_and_lexicon(m, lang, tokens)
    _outlet_home(lang, doc)
    _english_edition(m, doc)
    for code, w in (votes or {}).items():
        lang.setdefault(code, {})["rule-votes"] = Measure(
            math.log1p(w), int(round(w)), "the rule-based votes (calques, romanisations, typography)")
    return DocProfile(m, lang)


def _add_lang(lang: dict, code: str, feat: str, n: int, ex: list[str], words: str,
              weight: float = 1.0) -> None:
    """Add `n` matches (each worth `weight`) to one language's feature; the value is
    log(1 + weighted count)."""
    if n <= 0:
        return
    cur = lang.setdefault(code, {}).get(feat)
    count = n + (cur.count if cur else 0)
    mass = n * weight + (math.expm1(cur.value) if cur else 0.0)
    examples = (cur.examples if cur else []) + ex
    label = cur.words if cur and words in cur.words else (f"{cur.words}; {words}" if cur else words)
    lang[code][feat] = Measure(math.log1p(mass), count, label, examples[:3])


def _constructions(m: dict[str, Measure], lang: dict, text: str, words: int,
                   present: frozenset[str] | None = None) -> None:
    total, examples = 0, []
    for code, rxs in profile_spec()["_constructions"].items():
        for rx in rxs:
            n, ex = _matches(rx, text, present)
            total += n
            examples += ex
            _add_lang(lang, code, "constructions", n, ex, "terms and constructions of its press")
    for c in profile_spec().get("cues") or []:       # per-language cues, named one by one
        n, ex = _matches(c["_rx"], text, present)
        total += n
        examples += ex
        for code in c["langs"]:
            _add_lang(lang, code, "cues", n, ex, c["words"], 1.0 / len(c["langs"]))
    m["constructions"] = Measure(1000.0 * total / max(words, 50), total,
                                 "terms and constructions of a foreign press {n} times", examples[:3])


def _derived(m: dict[str, Measure], text: str, sents: list[str], tokens: list[str]) -> None:
    words = len(tokens)
    lengths = [len(WORD.findall(s)) for s in sents if s.strip()]
    mean = sum(lengths) / len(lengths) if lengths else 0.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in lengths) / len(lengths)) if lengths else 0.0
    m["sentence-length"] = Measure(mean, len(lengths), f"{mean:.0f} words per sentence on average")
    m["sentence-length-sd"] = Measure(sd, len(lengths), f"sentence lengths spread by {sd:.0f} words")
    commas = text.count(",")
    m["commas"] = Measure(commas / max(len(sents), 3), commas, "commas per sentence ({n} commas)")
    said, other = m["said"].count + m["told"].count, m["other-speech-verbs"].count
    m["said-share"] = Measure((said + 1) / (said + other + 2), said,
                              f"'said'/'told' {said} times against {other} other reporting verbs")
    curly, straight = m["curly-double-quotes"].count, m["straight-double-quotes"].count
    m["curly-share"] = Measure((curly + 1) / (curly + straight + 2), curly, "curly quotes {n} times")
    m["words"] = Measure(math.log1p(words), words, "{n} words")
    _vocabulary(m, text, sents, tokens)


def _vocabulary(m: dict[str, Measure], text: str, sents: list[str], tokens: list[str]) -> None:
    """Capitalised and rare words, quotes, and how ordinary the word pairs are. Translated
    news names more people, places and offices per sentence (capitalised words), and its
    machine-made English sticks to the commonest word pairs (fewer pairs missing from
    symspellpy's table of English bigrams than in native copy, measured on the dev fold)."""
    n = max(len(tokens), 50)
    caps = [w for w in tokens if w[0].isupper()]
    rare_caps = [w for w in caps if _zipf(w.lower()) < 2.5]
    m["capitalised"] = Measure(1000.0 * len(caps) / n, len(caps), "capitalised words {n} times")
    m["rare-names"] = Measure(1000.0 * len(rare_caps) / n, len(rare_caps),
                              "names unknown to English word lists {n} times",
                              list(dict.fromkeys(rare_caps))[:3])
    lower = [w.lower() for w in tokens if w[0].isalpha()]
    rare = [w for w in lower if _zipf(w) < 3.0]
    m["rare-words"] = Measure(len(rare) / n, len(rare), "rare words {n} times", rare[:3])
    quotes = sum(text.count(q) for q in '"“”')
    m["quotes"] = Measure(quotes / max(len(sents), 3), quotes, "quotation marks {n} times")
    the_initial = sum(1 for s in sents if s.lstrip().startswith("The "))
    m["the-initial"] = Measure(the_initial / max(len(sents), 3), the_initial,
                               "sentences opening on 'The' {n} times")
    seq = [t.lower() for t in PAIR_TOKEN.findall(text)]      # punctuation breaks a pair
    common = common_words(1_000_001)      # unigram_count(w) > 1,000,000, as one set
    pairs = [(a, b) for a, b in zip(seq, seq[1:]) if a.isalpha() and b.isalpha()
             and a.lower() in common and b.lower() in common]
    missing = [f"{a} {b}" for a, b in pairs if bigram_count(a, b) == 0]
    m["uncommon-pairs"] = Measure(len(missing) / max(len(pairs), 10), len(missing),
                                  "pairs of common words English rarely writes {n} times", missing[:3])


def _finding_measures(m: dict[str, Measure], lang: dict, doc: Document, findings: list[Finding]) -> None:
    by_kind: dict[str, list[Finding]] = {k: [] for k in (*FINDING_KINDS, "entity-foreign", "entity-garbled")}
    for f in findings:
        if f.doc_id != doc.id:
            continue
        ev = f.evidence or {}
        if f.kind == "entity-variant":
            verdict = ev.get("verdict")
            if verdict in ("foreign", "garbled"):
                by_kind[f"entity-{verdict}"].append(f)
            if verdict == "foreign" and ev.get("language"):
                _add_lang(lang, str(ev["language"]), "foreign-names", 1, [f.text],
                          "names spelt the way its language romanises them")
        elif f.kind in by_kind:
            by_kind[f.kind].append(f)
        if f.kind == "calque" and ev.get("source_langs"):
            for i, code in enumerate(list(ev["source_langs"])[:3]):
                _add_lang(lang, str(code), "calques", 1, [f.text], "calques of its idiom", 1.0 / (1 + i))
        if f.kind == "language-residue" and ev.get("detected"):
            _add_lang(lang, str(ev["detected"]), "residue", 1, [f.text], "words left in it")
    names = {"calque": "calques", "mistranslation": "mistranslations", "language-residue":
             "words left in another language", "token-merge": "fused words", "casing":
             "casing damage", "grammar": "grammar damage", "fragment": "sentence fragments",
             "punctuation": "punctuation damage", "entity-foreign": "foreign romanisations of names",
             "entity-garbled": "garbled names"}
    for kind, fs in by_kind.items():
        ex = list(dict.fromkeys(f.text for f in fs))[:3]
        m[f"found-{kind}"] = Measure(math.log1p(len(fs)), len(fs), f"{names[kind]}: {{n}}", ex)


@lru_cache(maxsize=100_000)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _romanisations(m: dict[str, Measure], lang: dict, text: str,
                   present: frozenset[str] | None = None) -> None:
    spec = profile_spec()
    # each name once; an everyday English word ("Earthquake", "High", "Previously") says
    # nothing of a romanisation even when its letters match one (q/gh, ou)
    caps = [w for w in dict.fromkeys(CAPWORD.findall(text))
            if len(w) > 2 and _zipf(w.lower()) < ROMANISED_ZIPF]
    total = 0
    for code, pats in (spec.get("romanisation") or {}).items():
        for p in pats:
            if present is not None and not _filter().may_match(p["_rx"], present):
                continue                 # the names are the text's words: none can match
            hits = list(dict.fromkeys(w for w in caps if p["_rx"].search(w)
                                      and not (p["_not"] and p["_not"].match(w))))
            if hits:
                total += len(hits)
                _add_lang(lang, code, "romanisation", len(hits), hits[:3],
                          f"names with {p['words']}")
    m["romanised-names"] = Measure(math.log1p(total), total, "names romanised in a foreign way: {n}")


def _places(lang: dict, text: str, present: frozenset[str] | None = None) -> None:
    counts: dict[str, tuple[int, list[str]]] = {}
    for p in profile_spec().get("places") or []:
        n, ex = _matches(p["_rx"], text, present)
        for code in p["langs"]:
            c, e = counts.get(code, (0, []))
            counts[code] = (c + n, e + ex)
    total = sum(c for c, _ in counts.values()) or 1
    for code, (c, ex) in counts.items():
        if c:
            lang.setdefault(code, {})["places"] = Measure(
                c / total, c, "the story happens where it is spoken ({n} place names)",
                list(dict.fromkeys(ex))[:3])


def _names_and_lexicon(m: dict[str, Measure], lang: dict, tokens: list[str]) -> None:
    """Per language: how its spelling fits the names English does not know (`name-shape`), and
    which of the words English does not use its word list knows (`lexicon`); see
    audit/provenance_names.py. Each rare word once."""
    rare = [w for w in dict.fromkeys(tokens) if len(w) > 3 and _zipf(w.lower()) < pn.RARE_ZIPF]
    names = [w for w in rare if w[0].isupper()]
    shape: dict[str, float] = {}
    shown: dict[str, list[str]] = {}
    for w in names:
        for code, share in pn.shape_votes(w):
            shape[code] = shape.get(code, 0.0) + share
            if share >= 0.3:
                shown.setdefault(code, []).append(w)
    foreign = sum(v for c, v in shape.items() if c != "en") or 1.0
    for code, mass in shape.items():
        if code != "en" and mass >= 0.05:        # the share of the names' foreign spelling
            lang.setdefault(code, {})["name-shape"] = Measure(
                mass / foreign, len(shown.get(code, [])),
                "names spelt the way its language is romanised", shown.get(code, [])[:3])
    known, share, seen = 0, {}, {}
    for w in rare:
        langs = _knows(w.lower())
        known += bool(langs)
        for c in langs:
            share[c] = share.get(c, 0.0) + 1.0 / len(langs)
            seen.setdefault(c, []).append(w)
    for c, v in share.items():                     # the share of those words it knows
        lang.setdefault(c, {})["lexicon"] = Measure(
            v / known, len(seen[c]), "words English does not use that its word list knows", seen[c][:3])
    m["foreign-words"] = Measure(1000.0 * known / max(len(tokens), 50), known,
                                 "words English does not use that another language's list knows {n} times")


@lru_cache(maxsize=100_000)
def _knows(word: str) -> tuple[str, ...]:
    """The languages of pn.LEXICON_LANGS whose word list knows `word`."""
    return tuple(c for c in pn.LEXICON_LANGS if zipf(word, c) >= pn.RARE_ZIPF)


def outlet_text(doc: Document) -> str:
    """What the input says of the publisher: the outlet's name (from the config or the article)
    and the host of the page's address, when there is one."""
    host = re.sub(r"^[a-z]+://", "", doc.url or "").split("/", 1)[0]
    return " ".join(x for x in (doc.outlet or doc.source.outlet or "", host) if x)


_DOMAIN = re.compile(r"\.([a-z]{2})(?![\w.])", re.IGNORECASE)


def _outlet_home(lang: dict, doc: Document) -> None:
    """Where the outlet is at home, from its name and address: a place of the `places` table in
    the name ("Radio Moldova", "Havana Times", "Interfax-Ukraine") or a country-code domain
    ("Fakti.bg", "babel.ua": `outlet_domains`). A translation is most often made by the outlet's
    own desk from its own language, whatever country the story happens in, which is where
    `places` (the story's country) goes wrong: held out by outlet, places pulled toward the
    story's language in most of the wrong source-language answers of the real-text folds.
    A language feature only: as a "translated" feature (the outlet is at home abroad) it
    lowered the held-out AUC (0.891 -> 0.885), since many such outlets write English natively."""
    text = outlet_text(doc)
    if not text:
        return
    spec = profile_spec()
    domains = spec.get("outlet_domains") or {}
    homes = [p["langs"] for p in spec.get("places") or [] if p["_rx"].search(text)]
    homes += [domains.get(tld.lower()) or [] for tld in _DOMAIN.findall(text)]
    votes: dict[str, float] = {}
    for langs in homes:                 # a place or domain of several languages splits its vote
        for code in langs:
            votes[code] = max(votes.get(code, 0.0), 1.0 / len(langs))
    for code, v in votes.items():
        lang.setdefault(code, {})["outlet-home"] = Measure(
            v, 1, "the outlet is at home where it is spoken", [text])


_EDITION_NAME = re.compile(r"\bEnglish\b")
_QUALIFIER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|[(\[].*$")   # "(English)", "[English ed. of ...]", "(unclosed"
_EDITION_HOST = re.compile(r"^(?:[a-z]+://)?(?:en|eng|english)[.-]|^(?:[a-z]+://)?[^/]+/(?:en|eng|english)(?:/|$)",
                           re.IGNORECASE)


def _english_edition(m: dict[str, Measure], doc: Document) -> None:
    """Whether the outlet is the English edition of an outlet that publishes in another
    language: "English" in its name proper ("teleSUR English", "El País English") or an English
    section of its address ("en.irna.ir", "english.aawsat.com", "aa.com.tr/en/"). Parenthetical
    and bracketed qualifiers are not the name: "Pravda.ru (English)" or "(English edition of
    ...)" are notes a labeller writes because they know the desk translates, so reading them
    would learn the annotation convention, not the outlet (62 of the 75 outlet names with
    "English" in the real-text labels were such notes). Such desks mostly translate their own
    language's wire: of the 13 articles of the real-text folds dev..fresh5 this test marks (no
    training article carries an address), 12 were translated (92%, against 41% of all
    articles). A "translated" feature the model weighs beside the English itself (held out by
    outlet and by event in scripts/train_provenance.py); absent when the input names no outlet."""
    name = (doc.outlet or doc.source.outlet or "").strip()
    proper, before = name, None
    while proper != before:                     # nested qualifiers: innermost first
        before, proper = proper, _QUALIFIER.sub(" ", proper)
    url = doc.url or ""
    hit = ([name] if _EDITION_NAME.search(proper) else []) + \
        ([url] if url and _EDITION_HOST.search(url) else [])
    m["english-edition"] = Measure(1.0 if hit else 0.0, len(hit),
                                   "the outlet is the English edition of a foreign-language outlet",
                                   hit[:1])


LANG_FEATURES = ("rule-votes", "romanisation", "places", "press-habits", "foreign-names",
                 "calques", "residue", "constructions", "cues", "name-shape", "lexicon",
                 "outlet-home")


def lang_vector(p: DocProfile, code: str) -> dict[str, float]:
    got = p.lang_measures.get(code) or {}
    return {f: (got[f].value if f in got else 0.0) for f in LANG_FEATURES}


def doc_vector(p: DocProfile) -> dict[str, float]:
    return {k: v.value for k, v in p.doc_measures.items()}
