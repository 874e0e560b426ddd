"""wordfreq's tables held compactly (audit/execution/wordtables.py) answer exactly as wordfreq's
own dicts: every word of every list audit reads, words absent from them, and whole-word
lookups through zipf_frequency (numbers, several tokens, other scripts)."""
from __future__ import annotations

import wordfreq

from audit.execution import wordtables

LISTS = [(lang, "best") for lang in ("en", "es", "de", "it", "fr", "pt")] + \
        [(lang, "small") for lang in ("nl", "ru", "ar", "tr", "pl", "id")]


def test_every_word_of_every_list_has_wordfreqs_frequency():
    for lang, wordlist in LISTS:
        original = wordtables._ORIGINAL(lang, wordlist)
        table = wordtables.get_frequency_dict(lang, wordlist)
        assert len(table) == len(original) > 10_000, (lang, wordlist)
        wrong = [w for w, f in original.items() if w not in table or table[w] != f]
        assert not wrong, (lang, wordlist, wrong[:5])
        assert set(table) == set(original)


def test_words_not_in_a_list_are_absent():
    table = wordtables.get_frequency_dict("en", "best")
    for word in ("qzxvbnotaword", "", "the ", "THE", 7):
        assert word not in table
    assert "the" in table and table["the"] > 0.01


def test_installed_wordfreq_gives_the_same_zipf_frequencies():
    words = ["the", "Bazoum", "staffinformed", "Mobilisation", "2024", "12.5", "al-Sudani",
             "sinistrés", "Kata'ib", "New York", "qzxvbnotaword", "Москва", "بغداد"]
    langs = ["en", "fr", "de", "ru", "ar"]
    wordtables.install()
    assert wordfreq.get_frequency_dict is wordtables.get_frequency_dict
    compact = {(w, lang): wordfreq.zipf_frequency(w, lang) for w in words for lang in langs}
    wordfreq.get_frequency_dict = wordtables._ORIGINAL
    wordfreq._wf_cache.clear()
    try:
        plain = {(w, lang): wordfreq.zipf_frequency(w, lang) for w in words for lang in langs}
    finally:
        wordtables.install()
        wordfreq._wf_cache.clear()
    assert compact == plain
    assert compact[("the", "en")] > 7 and compact[("qzxvbnotaword", "en")] == 0


def test_a_table_saved_to_disk_loads_with_the_same_frequencies_and_a_torn_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_WORDTABLES_DIR", str(tmp_path))
    wordtables.get_frequency_dict.cache_clear()
    try:
        built = wordtables.get_frequency_dict("nl", "small")          # built, then saved
        stem = wordtables._cache_dir() / "nl-small"
        assert (tmp_path in stem.parents) and stem.with_name("nl-small.trie").is_file()
        loaded = wordtables.FrequencyTable.load(stem)
        assert dict(loaded.items()) == dict(built.items()) == wordtables._ORIGINAL("nl", "small")
        stem.with_name("nl-small.bucket").write_bytes(b"\x00\x01")     # torn by a killed run
        wordtables.get_frequency_dict.cache_clear()
        again = wordtables.get_frequency_dict("nl", "small")
        assert dict(again.items()) == dict(built.items())
        assert len(wordtables.FrequencyTable.load(stem)) == len(built)  # rewritten whole
    finally:
        wordtables.get_frequency_dict.cache_clear()
