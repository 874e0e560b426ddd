"""wordfreq's frequency tables, held compactly in every process that runs the stages.

wordfreq turns each word list into a Python dict (word -> frequency) and keeps it, with the
raw list of lists it was read from, for the life of the process. The detectors and name rules
ask about a dozen languages' lists (English, French, Spanish, German, Italian, Portuguese at
full size for names and residue; a dozen small lists), so each process running them held them
all. Measured with memray on the 1,000-article syndication batch: 420 MB of the client's
976 MB high-water mark were these dicts and lists, and each pool worker held its own copy
(pool workers 262 MB warm, 459 MB after the detectors).

`install()` replaces `wordfreq.get_frequency_dict` (the one table every `zipf_frequency` /
`word_frequency` call reads) with a table of the same words and the same frequencies: a
marisa-trie of the words and an array of each word's frequency bucket (two bytes a word).
Lookups return the very floats wordfreq computes (`cB_to_freq(-bucket)`), so every result is
unchanged (tests/test_wordtables.py compares every word of the lists audit reads); the raw
lists are read without keeping them. Installed when audit.execution is imported: the client
(pipeline.py imports it), the pool's fork server and Dask workers (their tasks' code lives
here) all use it.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from functools import lru_cache

import marisa_trie
import wordfreq

_ORIGINAL = wordfreq.get_frequency_dict


class FrequencyTable(Mapping):
    """word -> frequency, as wordfreq's dict for the same list (a later bucket wins, as there).

    Measured on the 17 lists a run reads (1,000-article batch): wordfreq's dicts 266 MB and
    1.4 s CPU to build; these tables 44 MB and 3.7 s. Sorted words in one UTF-8 string found by
    bisection (written by hand) took 90 MB and 3.3 s, so the trie it is."""

    def __init__(self, pack: list[list[str]]):
        self._trie = marisa_trie.Trie(w for bucket in pack for w in bucket)
        self._bucket = array("H", bytes(2 * len(self._trie)))
        ids = self._trie
        for index, bucket in enumerate(pack):
            for word in bucket:
                self._bucket[ids[word]] = index
        self._freq = [wordfreq.cB_to_freq(-i) for i in range(len(pack))]

    def __getitem__(self, word: str) -> float:
        return self._freq[self._bucket[self._trie[word]]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._trie

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie)

    def __len__(self) -> int:
        return len(self._trie)


@lru_cache(maxsize=None)
def get_frequency_dict(lang: str, wordlist: str = "best", match_cutoff: None = None) -> FrequencyTable:
    """wordfreq.get_frequency_dict, compact; the raw list is read uncached (its lru_cache would
    keep every word string alive)."""
    read = getattr(wordfreq.get_frequency_list, "__wrapped__", wordfreq.get_frequency_list)
    return FrequencyTable(read(lang, wordlist))


def install() -> None:
    """Make wordfreq use the compact tables in this process (idempotent)."""
    wordfreq.get_frequency_dict = get_frequency_dict
