"""The batch text index answers as scanning every text would (audit/artifacts/_batch_text.py)."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from audit.artifacts._batch_text import BatchText
from audit.artifacts._text import WORD


@dataclass
class T:
    id: str
    text: str


DOCS = [
    T("a", "The court in The Hague ruled. Rio Grande do Sul flooded; the IMF paid."),
    T("b", "A Hague-based court; XThe Hague said. Rio Grande do Sul again, Rio Grande do Sul."),
    T("c", "pro-IMF groups met Party For Freedom leaders in The\tHague."),
    T("d", "Nothing here but O'Brien and al-Sudani, and the Party For Freedom."),
    T("e", "imf in lower case, The Haguenots, Sul-Rio"),
]


def _words_runs(text: str) -> list[tuple[str, list[str]]]:
    """Every run of 2-4 words separated by white space only, as the casing rules form them."""
    toks = list(WORD.finditer(text))
    out = []
    for i in range(len(toks)):
        for k in range(2, 5):
            run = toks[i:i + k]
            if len(run) == k and all(text[a.end():b.start()].strip() == "" for a, b in zip(run, run[1:])):
                out.append((text[run[0].start():run[-1].end()], [m.group() for m in run]))
    return out


def test_holding_and_count_match_a_scan_of_every_text():
    index = BatchText(DOCS)
    phrases = [p for d in DOCS for p in _words_runs(d.text)]
    phrases += [("The Hague", ["The", "Hague"]), ("Grande do", ["Grande", "do"]),
                ("Rio Grande do Sul", ["Rio", "Grande", "do", "Sul"]), ("A Hague", ["A", "Hague"])]
    for phrase, words in phrases:
        want = [i for i, d in enumerate(DOCS) if phrase in d.text]
        assert index.holding(phrase, words) == want, phrase
        assert index.count(phrase, words) == sum(d.text.count(phrase) for d in DOCS), phrase
    # a phrase inside longer words ("XThe Hague", "The Haguenots") is still found
    assert index.holding("The Hague", ["The", "Hague"]) == [0, 1, 4]


def test_random_batches_agree_with_the_scan():
    rng = random.Random(3)
    vocab = ["The", "Hague", "do", "Sul", "Rio", "al-Sudani", "O'Brien", "XThe", "Haguenots", "A", "and"]
    docs = [T(str(i), " ".join(rng.choice(vocab) + rng.choice(["", "-x", "'s"]) for _ in range(30)))
            for i in range(40)]
    index = BatchText(docs)
    for d in docs[:10]:
        for phrase, words in _words_runs(d.text):
            assert index.holding(phrase, words) == [i for i, e in enumerate(docs) if phrase in e.text]


def test_initialism_as_a_word_of_its_own():
    index = BatchText(DOCS)
    assert index.has_initialism("IMF")                  # "the IMF paid", "pro-IMF"
    assert not index.has_initialism("ICJ")
    assert index.has_initialism("IMF") == any(re.search(r"\bIMF\b", d.text) for d in DOCS)
