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

import os
from array import array
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import marisa_trie
import wordfreq

_ORIGINAL = wordfreq.get_frequency_dict


class FrequencyTable(Mapping):
    """word -> frequency, as wordfreq's dict for the same list (a later bucket wins, as there).

    Measured on the 17 lists a run reads (1,000-article batch): wordfreq's dicts 266 MB and
    1.4 s CPU to build; these tables 44 MB and 3.7 s. Sorted words in one UTF-8 string found by
    bisection (written by hand) took 90 MB and 3.3 s, so the trie it is."""

    def __init__(self, trie: marisa_trie.Trie, bucket: array, buckets: int):
        self._trie = trie
        self._bucket = bucket
        self._freq = [wordfreq.cB_to_freq(-i) for i in range(buckets)]

    @classmethod
    def build(cls, pack: list[list[str]]) -> "FrequencyTable":
        trie = marisa_trie.Trie(w for bucket in pack for w in bucket)
        bucket = array("H", bytes(2 * len(trie)))
        for index, words in enumerate(pack):
            for word in words:
                bucket[trie[word]] = index
        return cls(trie, bucket, len(pack))

    def save(self, stem: Path) -> None:
        """Write the table beside `stem` atomically (a half-written file is never read)."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        tmp = f".{os.getpid()}.tmp"
        self._trie.save(str(stem) + ".trie" + tmp)
        Path(str(stem) + ".bucket" + tmp).write_bytes(self._bucket.tobytes() + _count(len(self._freq)))
        os.replace(str(stem) + ".bucket" + tmp, str(stem) + ".bucket")
        os.replace(str(stem) + ".trie" + tmp, str(stem) + ".trie")

    @classmethod
    def load(cls, stem: Path) -> "FrequencyTable":
        """The saved table, its trie memory-mapped, so every process of a run shares its pages."""
        trie = marisa_trie.Trie()
        trie.mmap(str(stem) + ".trie")
        raw = Path(str(stem) + ".bucket").read_bytes()
        bucket = array("H")
        bucket.frombytes(raw[:-4])
        if len(bucket) != len(trie):
            raise ValueError(f"{stem}: bucket array does not match its trie")
        return cls(trie, bucket, int.from_bytes(raw[-4:], "little"))

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
    stem = _cache_dir() / f"{lang}-{wordlist}"
    if (Path(str(stem) + ".trie")).is_file() and (Path(str(stem) + ".bucket")).is_file():
        try:
            return FrequencyTable.load(stem)
        except (OSError, ValueError):
            pass                       # unreadable or torn: rebuild below
    read = getattr(wordfreq.get_frequency_list, "__wrapped__", wordfreq.get_frequency_list)
    table = FrequencyTable.build(read(lang, wordlist))
    try:
        table.save(stem)
    except OSError:
        pass                           # a read-only cache folder only costs the build next time
    return table


def _count(n: int) -> bytes:
    return n.to_bytes(4, "little")


def _cache_dir() -> Path:
    """Built tables are kept on disk: building the 17 lists costs 3.7 s CPU in every process
    (client, each pool worker), loading them 0.0x s, and a memory-mapped trie is shared between
    processes. Keyed by wordfreq's version, since the lists ship with it."""
    base = os.environ.get("AUDIT_WORDTABLES_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "audit", "wordtables")
    try:
        version = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return Path(base) / f"wordfreq-{version}"


def install() -> None:
    """Make wordfreq use the compact tables in this process (idempotent)."""
    wordfreq.get_frequency_dict = get_frequency_dict
