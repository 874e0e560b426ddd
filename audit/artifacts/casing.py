"""Casing: capitals where English has none, and none where it needs them.

Four rules:
- a function word capitalised in mid-sentence ("people And they", "show The vehicle",
  "Sulemani, Whose"), unless it starts a sentence, a quoted sentence or a heading, or belongs
  to a name or title ("The Hague", "Gone With The Wind": a listed name, a long run of capitals,
  or the same capitalised run in another document of the batch);
- a proper noun in lower case ("israel", "reuters"): known names (countries, outlets) and words
  the batch writes capitalised in mid-sentence and never in lower case, when word statistics
  give them no common-noun reading (the word is as frequent in other languages as in English,
  as names are, or rare in English);
- a whole sentence starting in lower case (fragments are the fragment detector's), except
  desk codes and slugs ("bur-hme/sbh");
- an English initialism in title case ("Rsf", "Msf", "Usa": Italian and Spanish house style),
  from the list in word_classes.yaml (`initialisms`, letter-by-letter readings only: British
  "Nato" is a house style, foreign "Onu" is the entity detector's).
Words a calque's fix replaces or recases are left to it ("informed reuters" -> "told Reuters");
a function word capitalised in mid-sentence is flagged even inside a calque.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from audit.artifacts._text import (OTHER_LANGS, BatchStats, Token, batch_stats, calendar_words,
                                   content_lines, context_before, data, international_gap,
                                   is_capitalised, is_headline, is_title, quote_spans, tokens,
                                   word_set, zipf)
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding, Span

FW = "function_words.yaml"
CLASSES = "word_classes.yaml"


class CasingSettings(DetectorSettings):
    extra_function_words: list[str] = []
    extra_names: list[str] = []             # names written with a capitalised function word
    extra_proper_nouns: list[str] = []      # names to correct when written in lower case
    min_batch_capitals: int = 2             # mid-sentence capitals needed to learn a name
    max_common_gap: float = 1.0             # international_gap below this: a name, not a word
    max_common_zipf: float = 4.5            # English words this common are never learnt as names
    title_run: int = 4                      # this many capitalised words in a row: a title


def _function_words(cfg: CasingSettings) -> frozenset[str]:
    en = data(FW).get("en") or {}
    words = {w.lower() for group in en.values() for w in group}
    return frozenset(words | {w.lower() for w in cfg.extra_function_words})


@lru_cache(maxsize=8)
def _known_names_cached(extra: tuple[str, ...]) -> dict[str, str]:
    return _build_known_names(list(extra))


def _known_names(cfg: CasingSettings) -> dict[str, str]:
    return _known_names_cached(tuple(cfg.extra_proper_nouns))


def _build_known_names(extra: list[str]) -> dict[str, str]:
    """Lower-case form -> standard spelling, for one-word countries, adjectives and outlets."""
    d = data(CLASSES)
    out: dict[str, str] = {}
    for country, adjs in (d.get("country") or {}).items():
        for name in [country, *adjs]:
            if " " not in name and "." not in name and not name.isupper():
                out.setdefault(name.lower(), name)   # not "US": "us" is a word
    for outlet in d.get("outlet") or []:
        w = outlet.lower()
        if " " in outlet or outlet.islower() or outlet.isupper() and zipf(w) >= 3.0:
            continue                                 # "AP", "ABC": "ap", "abc" are strings too
        if zipf(w) >= 3.0 and international_gap(w) >= 1.0 or _max_other(w) >= 5.0:
            continue                                 # "Mehr", "Bild": ordinary words somewhere
        out.setdefault(w, outlet)
    for name in extra:
        out[name.lower()] = name
    return out


def _max_other(w: str) -> float:
    return max(zipf(w, lang) for lang in OTHER_LANGS)


def _names_with_fw(cfg: CasingSettings) -> list[str]:
    return [n.lower() for n in (data(FW).get("names_with_function_words") or []) + cfg.extra_names]


@register("casing")
class Casing(Detector):
    Settings = CasingSettings
    order = 35

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        if (doc.lang or "en") != "en":
            return
        from audit.artifacts.calques import recased_spans
        from audit.artifacts.fragments import sentence_openers
        covered = recased_spans(doc, ctx)
        stats = batch_stats(ctx.docs)
        fws = _function_words(self.settings)
        known = _known_names(self.settings)
        entity_names = _entity_words(ctx)
        flagged: list[Span] = []
        for ln in content_lines(doc):
            line = doc.text[ln.start:ln.end]
            headline = is_headline(line)
            quotes = quote_spans(doc.text, ln.start, ln.end)
            toks = tokens(doc.text, ln.start, ln.end)
            for i, tok in enumerate(toks):
                f = None
                if not headline and tok.text.lower() in fws and is_title(tok.text):
                    # a capital in mid-sentence is wrong whatever a calque fix does around it
                    f = self._function_word(doc, ctx, ln, toks, i, quotes)
                elif _inside(tok, covered) or _is_slug(doc.text, tok):
                    continue
                elif tok.text.islower():
                    f = self._proper_noun(doc, tok, stats, known, entity_names)
                elif is_title(tok.text):
                    f = _title_case_initialism(doc, toks, i)
                if f:
                    flagged.append(f.span)
                    yield f
        for op in sentence_openers(doc):
            if op.kind == "sentence" and not _inside(op.token, covered) \
                    and not _is_slug(doc.text, op.token) \
                    and not any(s.overlaps(op.token.span) for s in flagged):
                w = op.token.text
                yield Finding.at(doc, op.token.start, op.token.end, "casing", "warning",
                                 "The sentence starts in lower case", self.name,
                                 suggestion=w[0].upper() + w[1:],
                                 evidence={"rule": "sentence-starts-lower-case",
                                           "after": doc.text[max(0, op.token.start - 20):op.token.start].strip()})

    # --- rule 1: capitalised function words -------------------------------------------------------

    def _function_word(self, doc: Document, ctx: BatchContext, ln: Span, toks: list[Token], i: int,
                       quotes: list[tuple[int, int]]) -> Finding | None:
        tok = toks[i]
        text = doc.text
        where = context_before(text, tok.start, ln.start)
        if where not in ("word", "comma", "semicolon"):
            return None
        if any(a < tok.start < b and _quote_opens_sentence(text, a, b) for a, b in quotes):
            return None                                  # inside a quoted sentence
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.text == "A" and (_is_letter_label(prev) or not _word_follows(text, tok.end)):
            return None                                  # "Plan A", "grade A."
        if self._in_name(doc, ctx, toks, i):
            return None
        before = prev.text if prev else ""
        return Finding.at(
            doc, tok.start, tok.end, "casing", "warning",
            f"‘{tok.text}’ is a function word capitalised in mid-sentence"
            + (f" (after ‘{before}’)" if before else ""), self.name,
            suggestion=tok.text.lower(),
            evidence={"rule": "function-word-capitalised", "word": tok.text, "after": before,
                      "before": nxt.text if nxt else "", "position": where})

    def _in_name(self, doc: Document, ctx: BatchContext, toks: list[Token], i: int) -> bool:
        """Is the capitalised function word part of a name or a title?"""
        tok, text = toks[i], doc.text
        lo = hi = i
        while lo > 0 and is_capitalised(toks[lo - 1].text) and _adjacent(text, toks[lo - 1], toks[lo]):
            lo -= 1
        while hi + 1 < len(toks) and is_capitalised(toks[hi + 1].text) and _adjacent(text, toks[hi], toks[hi + 1]):
            hi += 1
        run = toks[lo:hi + 1]
        fws = _function_words(self.settings)
        many_fw = sum(1 for t in run if t.text.lower() in fws) >= 2
        if (len(run) >= self.settings.title_run or many_fw) and any(
                self._common_word(t.text, ctx) for t in run if t.text.lower() not in fws):
            return True                                  # "Lord Of The Rings", not "And Hamas In October"
        if tok.text == "The" and hi > i:
            return True                                  # "The Hague", "The Economist"
        if _in_listed_name(text, tok, _names_with_fw(self.settings)):
            return True
        if len(run) > 1:
            phrase = text[run[0].start:run[-1].end]
            if any(d.id != doc.id and phrase in d.text for d in ctx.docs):
                return True                              # the batch writes this name the same way
        return False

    def _common_word(self, word: str, ctx: BatchContext) -> bool:
        """A capitalised word that is normally lower case: the mark of a title in title case."""
        w = word.lower()
        stats = batch_stats(ctx.docs)
        if w in _known_names(self.settings) or word in calendar_words() or w in _entity_words(ctx):
            return False
        if stats.cap_mid.get(w, 0) >= 2 and stats.lower.get(w, 0) == 0:
            return False                                 # the batch treats it as a name
        return zipf(w) >= 3.0

    # --- rule 2: proper nouns in lower case ---------------------------------------------------------

    def _proper_noun(self, doc: Document, tok: Token, stats: BatchStats, known: dict[str, str],
                     entity_names: dict[str, str]) -> Finding | None:
        for part, offset in _parts(tok.text):
            w = part.lower()
            if len(w) < 3 or not part.islower() or _touches_symbol(doc.text, tok, offset, part):
                continue
            found = _proper_evidence(w, stats, known, entity_names, self.settings)
            if found:
                form, evidence = found
                start = tok.start + offset
                return Finding.at(doc, start, start + len(part), "casing", "warning",
                                  f"A proper noun in lower case: ‘{part}’ is the name ‘{form}’",
                                  self.name, suggestion=form, evidence=evidence)
        return None


# --- rule 4: initialisms in title case ---------------------------------------------------------

def _title_case_initialism(doc: Document, toks: list[Token], i: int) -> Finding | None:
    """'Rsf', 'Msf', 'Usa': an English initialism written in title case (Italian and Spanish
    house style). A listed initialism followed by another capitalised word with no article
    before it reads as a name ("Ngo Dinh Diem") and is left alone."""
    tok = toks[i]
    upper = tok.text.upper()
    if len(tok.text) < 3 or upper not in _initialisms():
        return None
    prev = toks[i - 1].text.lower() if i else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and is_capitalised(nxt.text) and doc.text[tok.end:nxt.start].strip() == "" \
            and prev not in word_set(FW, "before_initialism"):
        return None
    return Finding.at(doc, tok.start, tok.end, "casing", "warning",
                      f"‘{tok.text}’ is the initialism {upper}, written in capitals in English",
                      "casing", suggestion=upper,
                      evidence={"rule": "initialism-title-case", "initialism": upper,
                                "why": "read letter by letter; title case is Italian and Spanish "
                                       "house style"})


@lru_cache(maxsize=1)
def _initialisms() -> frozenset[str]:
    return frozenset(str(x) for x in data(CLASSES).get("initialisms") or [])


_SLUG = re.compile(r"^[a-z]{2,6}(?:[-/][a-z]{2,6})+$")


def _is_slug(text: str, tok: Token) -> bool:
    """Desk codes and slugs ("bur-hme/sbh/bds", "ap-us-flood"): lower case by convention."""
    start, end = tok.start, tok.end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    chunk = text[start:end].strip(".,;:()[]")
    return "/" in chunk or bool(_SLUG.match(chunk))


def _proper_evidence(w: str, stats: BatchStats, known: dict[str, str],
                     entity_names: dict[str, str], cfg: CasingSettings
                     ) -> tuple[str, dict] | None:
    caps = stats.cap_mid.get(w, 0)
    lowers = stats.lower.get(w, 0)
    spellings = stats.spellings.get(w, {})
    form = max(spellings, key=spellings.get) if spellings else known.get(w) or entity_names.get(w)
    if not form:
        return None
    gap = international_gap(w)
    evidence = {"rule": "proper-noun-lower-case", "written_capitalised_in_batch": caps,
                "written_lower_case_in_batch": lowers, "documents": len(stats.cap_docs.get(w, ())),
                "zipf_en": zipf(w), "international_gap": round(gap, 2)}
    mostly_capital = lowers <= max(1, caps // 4)
    if w in word_set(CLASSES, "ambiguous"):
        ok = caps >= 3 and lowers <= 1
        evidence["why"] = "also a common word; the batch writes it capitalised"
    elif w in known:
        ok = True                                        # "reuters", "israel": never lower case
        evidence["why"] = "a country, nationality or news outlet"
    elif w in entity_names:
        ok = mostly_capital and caps >= 1
        evidence["why"] = "part of a name found in the batch"
    else:
        # a common English word ("news", "mark", "prime") written in lower case is that word,
        # however often the batch capitalises it in names ("Fox News", "Prime Minister")
        ok = (caps >= cfg.min_batch_capitals and lowers <= 1 and zipf(w) < cfg.max_common_zipf
              and (gap <= cfg.max_common_gap or zipf(w) < 3.0))
        evidence["why"] = "the batch writes it capitalised; it has no common-noun reading"
    return (form, evidence) if ok else None


def _entity_words(ctx: BatchContext) -> dict[str, str]:
    """Capitalised words of the entity groups found earlier in the batch (e.g. 'Hezbollah')."""
    out: dict[str, str] = {}
    for g in ctx.entities:
        for word in re.findall(r"[^\W\d_]+", g.canonical):
            if word[:1].isupper() and len(word) > 3 and zipf(word.lower()) < 4.0:
                out.setdefault(word.lower(), word)
    return out


def _parts(word: str) -> list[tuple[str, int]]:
    out, offset = [], 0
    for piece in re.split(r"([-'’])", word):
        if piece and piece not in "-'’":
            out.append((piece, offset))
        offset += len(piece)
    return out


def _touches_symbol(text: str, tok: Token, offset: int, part: str) -> bool:
    """reuters.com, @reuters, #israel: handles, links and tags keep their own casing."""
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    after2 = text[tok.end + 1] if tok.end + 1 < len(text) else " "
    return before in "@#/._" or after in "@/_" or (after == "." and after2.isalnum())


def _in_listed_name(text: str, tok: Token, names: list[str]) -> bool:
    """Does a listed name ("Of Mice and Men") cover the token where it stands?"""
    word = tok.text.lower()
    for name in names:
        if word not in name.split():
            continue
        lo = max(0, tok.start - len(name))
        for m in re.finditer(re.escape(name), text[lo:tok.end + len(name)], re.I):
            if lo + m.start() <= tok.start and tok.end <= lo + m.end():
                return True
    return False


def _inside(tok: Token, spans: list[Span]) -> bool:
    return any(s.start <= tok.start and tok.end <= s.end for s in spans)


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start].strip() == ""


def _quote_opens_sentence(text: str, a: int, b: int) -> bool:
    """A quotation that begins with a capital is a quoted sentence with its own casing."""
    m = re.search(r"[^\W\d_]", text[a:b])
    return bool(m) and m.group().isupper()


def _is_letter_label(prev: Token | None) -> bool:
    return prev is not None and prev.text.lower() in word_set(FW, "letter_label_nouns")


def _word_follows(text: str, end: int) -> bool:
    return bool(re.match(r"[ \t]+[“\"‘(]?[^\W\d_]", text[end:end + 4]))
