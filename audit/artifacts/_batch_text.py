"""The batch's texts as an index, for rules that ask "does another article write this?".

The casing rules asked it by scanning every text of the batch for each question (a name
written the same way elsewhere, a particle's lower-case spelling, an initialism in capitals):
one scan of the whole batch per capitalised run of every article, quadratic in the batch. Here
the texts are read once into an inverted index of their words (built when first asked, once
per batch and process); a question is answered from the few articles the index admits, then
checked on their text with the same `in` / `count` / `re.search` as before, so the answers are
the scan's. Written by hand: the question is substring containment of a phrase, with the
index only narrowing it down (a suffix array of the batch would answer it alone but costs more
to build than the few questions an article asks).

Why the index is exact as a filter: the phrase is words of the WORD pattern separated by white
space, so in any text holding it, its inner words are words of that text, its last word begins
a word of the text and its first word ends one (audit/artifacts/_text.py: WORD).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from audit.artifacts._text import WORD

_MAX_KEYS = 2_000          # a prefix matching more words than this ("A") is no filter


class BatchText:
    def __init__(self, docs: Sequence) -> None:
        self.docs = docs                                 # objects with .id and .text
        self._post: dict[str, list[int]] | None = None
        self._vocab: list[str] = []
        self._rvocab: list[str] = []
        self._memo: dict[tuple[str, str], object] = {}

    # --- the questions ----------------------------------------------------------------------

    def holding(self, phrase: str, words: list[str]) -> list[int]:
        """Positions of the documents whose text contains `phrase` (its words: `words`)."""
        key = ("in", phrase)
        if key not in self._memo:
            self._memo[key] = [i for i in self._admitted(words) if phrase in self.docs[i].text]
        return self._memo[key]  # type: ignore[return-value]

    def count(self, phrase: str, words: list[str]) -> int:
        """Occurrences of `phrase` summed over the batch (str.count in each text)."""
        key = ("count", phrase)
        if key not in self._memo:
            self._memo[key] = sum(self.docs[i].text.count(phrase) for i in self._admitted(words))
        return self._memo[key]  # type: ignore[return-value]

    def has_initialism(self, upper: str) -> bool:
        """Does some text write `upper` as a word of its own (\\bIMF\\b)? One scan per
        initialism and batch: the listed initialisms are few."""
        key = ("initialism", upper)
        if key not in self._memo:
            rx = re.compile(rf"\b{re.escape(upper)}\b")
            self._memo[key] = any(rx.search(d.text) for d in self.docs)
        return self._memo[key]  # type: ignore[return-value]

    # --- the index ------------------------------------------------------------------------------

    def _admitted(self, words: list[str]) -> Sequence[int]:
        """The documents that may hold a phrase made of `words` joined by white space, in
        batch order (every document when the words give no filter)."""
        if len(words) < 2 or not all(WORD.fullmatch(w) for w in words):
            return range(len(self.docs))
        post = self._index()
        options = [[w] for w in words[1:-1]]                      # inner words: whole words
        options.append(self._starting(words[-1]))                 # last: begins a word
        options.append(self._ending(words[0]))                    # first: ends a word
        options = [o for o in options if o is not None]
        if not options:
            return range(len(self.docs))
        best = min(options, key=lambda keys: sum(len(post.get(k, ())) for k in keys))
        got: set[int] = set()
        for k in best:
            got.update(post.get(k, ()))
        return sorted(got)

    def _index(self) -> dict[str, list[int]]:
        if self._post is None:
            post: dict[str, list[int]] = {}
            for i, d in enumerate(self.docs):
                for w in set(WORD.findall(d.text)):
                    post.setdefault(w, []).append(i)
            self._post = post
            self._vocab = sorted(post)
            self._rvocab = sorted(w[::-1] for w in post)
        return self._post

    def _starting(self, prefix: str) -> list[str] | None:
        """Words of the batch that begin with `prefix` (None: too many to be a filter)."""
        return _range(self._vocab, prefix, lambda w: w)

    def _ending(self, suffix: str) -> list[str] | None:
        return _range(self._rvocab, suffix[::-1], lambda r: r[::-1])


def _range(sorted_words: list[str], prefix: str, back) -> list[str] | None:
    out = []
    i = bisect_left(sorted_words, prefix)
    while i < len(sorted_words) and sorted_words[i].startswith(prefix):
        if len(out) >= _MAX_KEYS:
            return None
        out.append(back(sorted_words[i]))
        i += 1
    return out
