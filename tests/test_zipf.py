"""_text.zipf's shortcut for single-token words gives wordfreq's own answer."""
from __future__ import annotations

import random

import pytest
import wordfreq

from audit.artifacts import _text

LANGS = ["en", "fr", "es", "de", "it", "pt", "nl", "tr", "pl", "id", "ru", "ar"]


@pytest.mark.parametrize("lang", LANGS)
def test_one_token_zipf_equals_wordfreq_on_listed_and_unlisted_words(lang):
    rng = random.Random(lang)
    for wordlist in ("best", "small"):
        table = wordfreq.get_frequency_dict(lang, wordlist)
        listed = [w for w in table if w.isascii() and w.isalpha() and w.islower()]
        words = rng.sample(listed, min(3000, len(listed)))
        words += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 12)))
                  for _ in range(1000)]
        words += [w + "s" for w in words[:500]] + [w[:-1] for w in words[:500] if len(w) > 1]
        assert _text._plain_lookup(lang)
        for w in words:
            assert _text._one_token_zipf(w, lang, wordlist) == wordfreq.zipf_frequency(w, lang, wordlist=wordlist), w


def test_zipf_takes_the_shortcut_only_for_lower_case_ascii_words(monkeypatch):
    """Capitals, digits, apostrophes and non-ASCII letters go through wordfreq's tokenizer."""
    calls = []
    real = _text._one_token_zipf
    monkeypatch.setattr(_text, "_one_token_zipf", lambda *a: calls.append(a[0]) or real(*a))
    _text.zipf.cache_clear()
    try:
        for w in ("reuters", "Reuters", "l'homme", "covid19", "sinistrés", "x"):
            assert _text.zipf(w, "fr", large=True) == wordfreq.zipf_frequency(w, "fr", wordlist="best")
    finally:
        _text.zipf.cache_clear()
    assert calls == ["reuters", "x"]
