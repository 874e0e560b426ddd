"""The speed-ups of issue 10 keep results: the indexes and filters they added agree with the
scans they replaced (benchmarks are in bench/, not here)."""
from __future__ import annotations

import random
from pathlib import Path

from audit import ingest
from audit.artifacts import calques
from audit.artifacts._prefilter import required_chars
from audit.artifacts._text import quote_spans
from audit.names.batch import analyse
from audit.names.gazetteer import load as load_gazetteer
from audit.names.grouping import MatchSettings
from audit.names.mentions import name_words
from audit.names.verdict import VerdictSettings

ROOT = Path(__file__).resolve().parents[1]


def _labelled_docs():
    paths = [p for d in ("seeds", "heldout", "blind") for p in sorted((ROOT / d).glob("*.txt"))
             if not p.name.lower().startswith("readme")]
    docs, _ = ingest.load_paths(paths)
    return docs


def test_every_required_word_set_of_a_calque_rule_is_in_each_of_its_matches():
    """calques._has_all skips a rule on a line missing one of its word sets: each set must
    really be needed by every match (checked on the labelled texts, rule by rule)."""
    key = calques.CalqueSettings().model_dump_json()
    chars = {id(r): required_chars(r.rx) for r in calques._rules_cached(key)}
    checked = 0
    for doc in _labelled_docs():
        for ln in doc.lines:
            for rule in calques._rules_cached(key):
                for m in rule.rx.finditer(doc.text, ln.start, ln.end):
                    # and the characters calques._has_chars asks of the line
                    assert all(c.search(m.group()) for c in chars[id(rule)]), (rule.entry.id, m.group())
                    low = m.group().lower()
                    for words in (rule.needs or frozenset(), *rule.also):
                        if words:
                            assert any(w in low for w in words), (rule.entry.id, m.group(), words)
                    checked += bool(rule.also)
    assert checked > 0                      # some matched rule had extra sets to check


def _quote_spans_by_character(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The earlier implementation (every character visited), as the reference."""
    out, opened, straight = [], None, None
    for i in range(start, end):
        c = text[i]
        if c in "“«„":
            opened = i if opened is None else opened
        elif c in "”»" and opened is not None:
            out.append((opened, i + 1))
            opened = None
        elif c == '"':
            if straight is None:
                straight = i
            else:
                out.append((straight, i + 1))
                straight = None
    if opened is not None:
        out.append((opened, end))
    return out


def test_quote_spans_visiting_only_quote_marks_pairs_as_before():
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice('ab “«„”»" .') for _ in range(rng.randint(0, 30)))
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        assert quote_spans(text, a, b) == _quote_spans_by_character(text, a, b), (text, a, b)


def test_batch_names_indexes_agree_with_scans_after_a_whole_batch():
    """After every second look has edited the results: results_in is a superset of the
    results holding a mention in the article, member() is identity membership, and the
    remembered first result of an entry is the first in batch order."""
    docs = _labelled_docs()
    gaz, _ = load_gazetteer(True, [], [])
    batch = analyse(docs, gaz, name_words(), MatchSettings(), VerdictSettings())
    assert batch.results
    for doc in docs:
        near = {id(r) for r in batch.results_in(doc.id)}
        holding = {id(r) for r in batch.results
                   if any(j.occ.mention.doc_id == doc.id for j in r.judged)}
        assert holding <= near
    for r in batch.results:
        assert batch.member(r)
    keys = {r.entry.key for r in batch.results if r.entry is not None}
    assert keys
    for key in keys:
        first = next(r for r in batch.results if r.entry is not None and r.entry.key == key)
        assert batch.entry_result(key) is first
    assert all(r.judged or r.entry is not None for r in batch.results)
