"""The cache of earlier runs never changes a result: cached, uncached and damaged-cache runs write
the same findings; a re-run after new articles arrive reuses the untouched ones' work."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from audit import pipeline, serialize
from audit.cache import Cache
from audit.cli import main
from audit.config import Config
from audit.ingest import plan
from audit.types import RunResult

ROOT = Path(__file__).resolve().parent.parent


def run(folder: Path, cache: Cache) -> RunResult:
    cfg = Config.model_validate({"sources": [{"paths": [str(folder)]}]})
    inputs, problems = plan(cfg.sources, folder)
    docs, more = pipeline.load(inputs, cfg.language, cache)
    return pipeline.analyse(docs, cfg, name="batch", problems=problems + more, cache=cache)


def as_json(result: RunResult) -> str:
    data = serialize.to_json(result, generated_at="-")
    data["run"].pop("timings")
    return json.dumps(data, sort_keys=True)


def test_cached_and_uncached_runs_are_equal(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml", "*.md"))
    plain = as_json(run(batch, Cache(None)))
    cache = Cache(tmp_path / "cache")
    first = as_json(run(batch, cache))
    assert cache.hits == 0 and cache.misses > 0
    again = Cache(tmp_path / "cache")
    second = as_json(run(batch, again))
    assert again.misses == 0 and again.hits > 0           # nothing recomputed
    assert plain == first == second


def test_damaged_entries_or_database_are_misses_not_results(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml"))
    cache = Cache(tmp_path / "cache")
    expected = as_json(run(batch, cache))
    cache.close()
    db = sqlite3.connect(tmp_path / "cache" / "cache.sqlite3")
    rows = db.execute("SELECT key, value FROM entries").fetchall()
    assert rows
    for i, (key, value) in enumerate(rows):             # truncated, emptied, one byte flipped
        value = bytes(value)
        bad = value[: len(value) // 2] if i % 3 == 0 else b"" if i % 3 == 1 else value[:-1] + b"x"
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (bad, key))
    db.commit()
    db.close()
    damaged = Cache(tmp_path / "cache")
    assert as_json(run(batch, damaged)) == expected
    assert damaged.errors >= len(rows) - 1 and damaged.hits == 0
    damaged.close()
    (tmp_path / "cache" / "cache.sqlite3").write_bytes(b"not a database at all" * 100)
    for extra in ("-wal", "-shm"):
        (tmp_path / "cache" / f"cache.sqlite3{extra}").unlink(missing_ok=True)
    unreadable = Cache(tmp_path / "cache")
    assert as_json(run(batch, unreadable)) == expected
    assert unreadable.errors and not unreadable.enabled


def test_an_interrupted_run_keeps_only_committed_entries(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml"))
    cache = Cache(tmp_path / "cache")
    cache.put("half", {"never": "committed"})          # a run killed before its next commit
    del cache
    expected = as_json(run(batch, Cache(None)))
    again = Cache(tmp_path / "cache")
    assert Cache.missing(again.get("half"))
    assert as_json(run(batch, again)) == expected


def test_new_articles_reuse_the_work_on_the_others(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for p in seeds[:3]:
        shutil.copy(p, batch)
    run(batch, Cache(tmp_path / "cache"))
    for p in seeds[3:]:
        shutil.copy(p, batch)
    cache = Cache(tmp_path / "cache")
    incremental = as_json(run(batch, cache))
    assert cache.hits >= 3                    # at least the three old files' ingest
    assert incremental == as_json(run(batch, Cache(None)))


def test_settings_are_part_of_the_key(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml"))
    cache = Cache(tmp_path / "cache")
    run(batch, cache)
    cfg = Config.model_validate({"sources": [{"paths": [str(batch)]}],
                                 "boilerplate": {"enabled": False}})
    inputs, _ = plan(cfg.sources, batch)
    docs, _ = pipeline.load(inputs, cfg.language, cache)
    res = pipeline.analyse(docs, cfg, cache=cache)
    assert not any(f.family == "noise" for f in res.findings)


def test_cli_cache_lives_in_the_output_folder_or_cache_dir(tmp_path):
    (tmp_path / "in").mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        shutil.copy(p, tmp_path / "in")
    cfg = tmp_path / "batch.yaml"
    cfg.write_text("sources:\n  - paths: in\noutput: out\nreport: {html: false, pdf: false}\n",
                   encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["run", "-c", str(cfg), "-q"]).exit_code == 0
    assert (tmp_path / "out" / ".audit-cache" / "cache.sqlite3").is_file()
    cfg.write_text(cfg.read_text(encoding="utf-8") + "execution: {cache_dir: shared-cache}\n",
                   encoding="utf-8")
    assert runner.invoke(main, ["run", "-c", str(cfg), "-q"]).exit_code == 0
    assert (tmp_path / "shared-cache" / "cache.sqlite3").is_file()


# --- what a document's detectors read of the batch (audit/reads.py) ------------------------------

def _stats(cap_mid, lower, cap_docs, spellings, pieces):
    from audit.artifacts._text import BatchStats
    return BatchStats(cap_mid, lower, cap_docs, spellings, pieces)


def _casing_like(stats) -> tuple:
    """Reads the way the casing and token-merge rules read: counts compared, a count derived,
    a word's spellings and documents, a piece's presence."""
    caps, lowers = stats.cap_mid.get("lula", 0), stats.lower.get("lula", 0)
    sp = stats.spellings.get("lula", {})
    form = max(sp, key=sp.get) if sp else None
    mostly = lowers <= max(1, caps // 4)
    return form, mostly, "a1" in stats.cap_docs.get("lula", ()), "Shaabi" in stats.pieces


def test_reads_match_a_batch_that_answers_the_same_and_no_other():
    from audit.reads import Answers, Reads, tracked_stats
    old = _stats({"lula": 8}, {"lula": 1}, {"lula": {"a1", "a2"}}, {"lula": {"Lula": 8}}, {"Shaabi"})
    reads = Reads()
    seen = _casing_like(tracked_stats(old, reads))
    assert seen == ("Lula", True, True, True) == _casing_like(old)

    def holds(new) -> bool:
        return reads.hold(Answers(new, lambda: iter(()), []))

    # more capitals and a third document: every comparison above comes out the same
    assert holds(_stats({"lula": 12}, {"lula": 1}, {"lula": {"a1", "a2", "a3"}},
                        {"lula": {"Lula": 12}}, {"Shaabi", "Gaza"}))
    # each of these changes an answer the reads got
    assert not holds(_stats({"lula": 8}, {"lula": 3}, {"lula": {"a1"}}, {"lula": {"Lula": 8}}, {"Shaabi"}))
    assert not holds(_stats({"lula": 8}, {"lula": 1}, {"lula": {"a2"}}, {"lula": {"Lula": 8}}, {"Shaabi"}))
    assert not holds(_stats({"lula": 8}, {"lula": 1}, {"lula": {"a1"}},
                            {"lula": {"Lula": 8, "LULA": 1}}, {"Shaabi"}))
    assert not holds(_stats({"lula": 8}, {"lula": 1}, {"lula": {"a1"}}, {"lula": {"Lula": 8}}, set()))


def test_a_count_used_as_a_number_is_recorded_exactly():
    from audit.reads import Answers, Reads, settle, tracked_stats
    old = _stats({"lula": 8}, {}, {}, {}, set())
    reads = Reads()
    stats = tracked_stats(old, reads)
    message = f"written {stats.cap_mid.get('lula', 0)} times"
    evidence = settle({"capitals": stats.cap_mid.get("lula", 0) + 0})
    assert message == "written 8 times" and evidence == {"capitals": 8}
    assert type(evidence["capitals"]) is int
    assert reads.hold(Answers(_stats({"lula": 8}, {}, {}, {}, set()), lambda: iter(()), []))
    assert not reads.hold(Answers(_stats({"lula": 9}, {}, {}, {}, set()), lambda: iter(()), []))


def test_entity_words_are_read_word_by_word_and_quoted_counts_are_the_current_batch():
    """A table derived from the entity groups records the words looked up, not every group's
    name; a count quoted in evidence is filled in from the batch the result is shown in."""
    from audit.reads import (Answers, Quote, Reads, derived_table, fill_quotes, quote,
                             register_derived, tracked_entities, tracked_stats)
    from audit.types import EntityGroup

    def words(groups):
        return {w.lower(): w for g in groups for w in g.canonical.split()}
    register_derived("test.words", words)
    old_groups = [EntityGroup("e1", "Kataib Hezbollah", "consensus", [], {})]
    reads = Reads()
    table = derived_table(tracked_entities(old_groups, reads), "test.words")
    assert "hezbollah" in table and table.get("hamas") is None
    assert derived_table(old_groups, "test.words") == {"kataib": "Kataib", "hezbollah": "Hezbollah"}
    stats = _stats({"lula": 8}, {"lula": 1}, {"lula": {"a1", "a2"}}, {}, set())
    tracked = tracked_stats(stats, reads)
    evidence = {"capitals": quote(tracked, "cap_mid", "lula"),
                "documents": [quote(tracked, "cap_docs", "lula", size=True)]}
    assert evidence["capitals"] == Quote("cap_mid", "lula")            # not a read
    assert quote(stats, "cap_mid", "lula") == 8                         # untracked: the value

    def holds(groups, new_stats=stats) -> bool:
        return reads.hold(Answers(new_stats, lambda: iter(()), groups))
    # another group elsewhere in the batch, and more capitals: the words looked up answer the same
    grown = _stats({"lula": 11}, {"lula": 1}, {"lula": {"a1", "a2", "a3"}}, {}, set())
    assert holds([*old_groups, EntityGroup("e2", "Omar Bashir", "consensus", [], {})], grown)
    assert fill_quotes(evidence, grown) == {"capitals": 11, "documents": [3]}
    # a group that names a word looked up (hamas), or drops one (hezbollah): not reused
    assert not holds([*old_groups, EntityGroup("e2", "Hamas", "consensus", [], {})])
    assert not holds([EntityGroup("e1", "Kataib", "consensus", [], {})])


def _chrome_doc():
    from test_boilerplate import doc_from_text
    return doc_from_text("Floods cut off mountain villages\n"
                         "Rescue teams reached three villages on Monday after days of rain, "
                         "officials said.\n"
                         "Riverside Evening Edition\n", "x")


def _recurrence(unrelated: list[int], estimated: int, copies: int = 2, same_outlet: bool = False):
    from audit.boilerplate import DocRecurrence, Recurrence
    from audit.boilerplate.batch import _key
    rec = DocRecurrence({_key("Riverside Evening Edition"): Recurrence(
        unrelated, copies, same_outlet, sampled=True, estimated_unrelated=estimated)},
        {e: f"doc{e}" for e in unrelated})
    return rec


def test_line_verdicts_are_keyed_on_what_decides_them_not_on_exact_counts():
    """The noise map's key reads a line's recurrence up to the cap (features.RECURRENCE_CAP):
    a widely printed line printed by more articles, or by other ones, keeps the key; a count
    under the cap, the copies, or a same-outlet print changes it."""
    from audit.boilerplate.features import RECURRENCE_CAP
    key = pipeline._recurrence_key
    wide = key(_recurrence([1, 2, 3], RECURRENCE_CAP + 40))
    assert wide == key(_recurrence([4, 5, 6, 7], RECURRENCE_CAP + 90))          # does not
    assert wide != key(_recurrence([1, 2, 3], RECURRENCE_CAP - 1))               # does
    assert wide != key(_recurrence([1, 2, 3], RECURRENCE_CAP + 40, copies=3))
    assert wide != key(_recurrence([1, 2, 3], RECURRENCE_CAP + 40, same_outlet=True))
    assert key(_recurrence([1], 5)) != key(_recurrence([1, 2], 6))


def test_a_reused_line_verdict_quotes_the_current_batch_like_a_computed_one():
    """A document's noise result computed with one recurrence, then quoted from another batch
    with the same decision (steps.quote_recurrence), equals the result computed in that batch:
    counts, the articles named and the message are the new batch's; verdicts unchanged."""
    from audit import steps
    from audit.boilerplate import BoilerplateSettings, line_spans
    from audit.boilerplate.features import RECURRENCE_CAP
    for model in (True, False):
        st = BoilerplateSettings(model=model)
        old_doc, new_doc = _chrome_doc(), _chrome_doc()
        old = (old_doc, line_spans(old_doc), _recurrence([1, 2, 3], RECURRENCE_CAP + 40))
        new = (new_doc, line_spans(new_doc), _recurrence([4, 5, 6, 7], RECURRENCE_CAP + 90))
        assert pipeline._recurrence_key(old[2]) == pipeline._recurrence_key(new[2])
        reused, computed = steps.noise_map(old, st), steps.noise_map(new, st)
        chrome = [f for f in computed.findings if f.text == "Riverside Evening Edition"]
        assert chrome and "recurs_in" in chrome[0].evidence, computed.findings
        # the page's words stop at the cap; findings.json has the estimate and the articles
        assert f"also printed in about {RECURRENCE_CAP} or more unrelated" in chrome[0].message
        assert any(c.get("unrelated") == RECURRENCE_CAP + 90 for c in chrome[0].evidence["cues"])
        assert [f.message for f in reused.findings] == [f.message for f in computed.findings]
        assert reused.findings != computed.findings
        steps.quote_recurrence(new, reused)
        assert reused.findings == computed.findings
        assert reused.noise == computed.noise
        steps.quote_recurrence(new, computed)                      # a computed one: unchanged
        assert computed.findings == reused.findings


def test_an_unchanged_batch_reuses_its_reduces_and_a_named_gazetteer_file_is_part_of_the_key(tmp_path):
    """A re-run of the same batch reuses the recurrence reduce and name consensus whole; an
    article changed, or the content of a gazetteer file the settings name, recomputes them, and
    every run equals an uncached one."""
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml", "*.md"))
    extra = tmp_path / "desk.yaml"
    extra.write_text("entities:\n  - id: desk-one\n    canonical: Rudaw Desk\n    type: org\n",
                     encoding="utf-8")

    def go(cache: Cache) -> str:
        cfg = Config.model_validate({"sources": [{"paths": [str(batch)]}],
                                     "detectors": {"entity-variants": {"gazetteer_files": [str(extra)]}}})
        inputs, problems = plan(cfg.sources, batch)
        docs, more = pipeline.load(inputs, cfg.language, cache)
        return as_json(pipeline.analyse(docs, cfg, problems=problems + more, cache=cache))

    def computed(cache: Cache) -> dict[str, int]:
        return {k: t["computed"] for k, t in cache.tallies.items() if k in ("recurrence", "entity-variants")}
    plain = go(Cache(None))
    assert go(Cache(tmp_path / "c")) == plain
    again = Cache(tmp_path / "c")
    assert go(again) == plain
    assert computed(again) == {"recurrence": 0, "entity-variants": 0}          # does not
    extra.write_text(extra.read_text(encoding="utf-8").replace("Rudaw Desk", "Shafaq Desk"),
                     encoding="utf-8")
    edited = Cache(tmp_path / "c")
    assert go(edited) == go(Cache(None))
    assert computed(edited) == {"recurrence": 0, "entity-variants": 1}          # does
    first = sorted(batch.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nShare this article\n", encoding="utf-8")
    changed = Cache(tmp_path / "c")
    assert go(changed) == go(Cache(None))
    assert computed(changed) == {"recurrence": 1, "entity-variants": 1}


def _feed(folder: Path, n: int, start: int = 0, seed: int = 7) -> list[Path]:
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_feed
    return gen_feed.generate(n, folder, "syndication", seed=seed, start=start)


def test_a_grown_feed_reuses_detectors_and_noise_and_equals_an_uncached_run(tmp_path):
    """New articles sorted in among old ones (other outlets' folders): the old articles' detector
    results (casing's included) are reused on the decisions they read, and their provenance on
    their findings other than noise; the output equals an uncached run of the grown feed. (Line
    verdicts are keyed on recurrence counts up to features.RECURRENCE_CAP, which the chrome of
    a feed this small does not reach: new articles change every article's counts below it.)"""
    feed = tmp_path / "feed"
    _feed(feed, 60)
    counted: dict[str, list[int]] = {}
    real = pipeline.cached_map

    def counting(ex, cache, fn, items, shared, key, label, valid=None, run=None):
        inner = run or (lambda todo: ex.map(fn, todo, shared, label))

        def run_counted(todo):
            counted.setdefault(label, []).append(len(todo))
            return inner(todo)
        return real(ex, cache, fn, items, shared, key, label, valid, run_counted)

    pipeline.cached_map = counting
    try:
        run(feed / "articles", Cache(tmp_path / "cache"))
        new = _feed(feed, 6, start=60, seed=99)
        counted.clear()
        cache = Cache(tmp_path / "cache")
        incremental = as_json(run(feed / "articles", cache))
    finally:
        pipeline.cached_map = real
    assert incremental == as_json(run(feed / "articles", Cache(None)))
    assert len(new) == 6
    # the 6 new ones and the few whose reads changed (or whose noise lines did): all 66 before
    # casing read entity words per word and quoted its counts after deciding
    assert counted["detectors"][0] <= 66 // 3, counted
    # keyed without noise findings (all 66 were recomputed with them); entity-variant findings,
    # whose evidence counts the batch's spellings, still change for articles naming the same people
    assert counted["provenance"][0] < 60, counted
    # name mentions: a map step cached per document (its text and noise), so only the new
    # articles and those whose noise lines changed extract theirs again
    assert 6 <= counted["mentions"][0] < 66 // 2, counted


def test_provenance_ignores_noise_findings_which_its_cache_key_leaves_out():
    """pipeline keys provenance on a document (noise spans included) and its findings other than
    noise: a noise finding's evidence quotes batch-wide counts that new articles change. That is
    only exact while provenance.infer reads no noise finding."""
    from audit import provenance
    result = run(ROOT / "seeds", Cache(None))
    noisy = 0
    for doc in result.documents:
        mine = [f for f in result.findings if f.doc_id == doc.id]
        rest = [f for f in mine if f.family != "noise"]
        noisy += len(mine) > len(rest)
        assert provenance.infer(doc, mine) == provenance.infer(doc, rest), doc.id
    assert noisy >= 3



def test_text_questions_are_recorded_with_their_answers_not_as_every_text():
    """casing asks the batch's texts "does another article write this name so?": recorded as the
    question and its answer (reads.text_query), the result holds when new articles join without
    changing the answer, and not when the answer changes; asked untracked it is the same answer."""
    from audit.artifacts import casing
    from audit.reads import WHOLE_TEXTS, Answers, Reads, TextRef, TrackedList, text_query
    old = [TextRef("a1", "Protests in Rio Grande do Sul on Monday."),
           TextRef("a2", "The IMF said on Monday that Rio Grande Do Sul must pay.")]
    reads = Reads()
    view = TrackedList(old, WHOLE_TEXTS, reads)
    asked = (text_query(view, casing.HELD_ELSEWHERE, "Rio Grande Do Sul", ("Rio", "Grande", "Do", "Sul"), "a2"),
             text_query(view, casing.COUNT, "Rio Grande do Sul", ("Rio", "Grande", "do", "Sul")),
             text_query(view, casing.INITIALISM, "IMF"))
    assert asked == (False, 1, True)
    assert asked == (text_query(old, casing.HELD_ELSEWHERE, "Rio Grande Do Sul", ("Rio", "Grande", "Do", "Sul"), "a2"),
                     text_query(old, casing.COUNT, "Rio Grande do Sul", ("Rio", "Grande", "do", "Sul")),
                     text_query(old, casing.INITIALISM, "IMF"))
    assert WHOLE_TEXTS not in reads.whole                  # not every text's fingerprint

    def holds(texts) -> bool:
        return reads.hold(Answers(None, lambda: ((t.id, t.text) for t in texts), []))
    assert holds([*old, TextRef("a3", "Floods in Porto Alegre.")])
    assert not holds([*old, TextRef("a3", "Rio Grande Do Sul again.")])       # held elsewhere now
    assert not holds([*old, TextRef("a3", "Rio Grande do Sul again.")])       # the count moved
    assert not holds([old[1], TextRef("a1", "Protests on Monday.")])          # a text changed


def _findings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for k in ("timings", "generated_at"):
        data["run"].pop(k, None)
    return data


def test_cli_rerun_after_new_articles_on_two_workers_equals_a_no_cache_run(tmp_path):
    """`audit run` as a user re-runs a grown feed: on two worker processes (which get no texts,
    so documents asking questions of the other texts come back to the client) the cached re-run
    writes the same findings.json as a --no-cache run of the grown feed, and reuses work."""
    feed = tmp_path / "feed"
    _feed(feed, 44)
    cfg = feed / "batch.yaml"
    cfg.write_text("sources:\n  - paths: articles\nreport: {html: false, pdf: false}\n", encoding="utf-8")
    runner = CliRunner()

    def audit(out: str, *extra: str) -> dict:
        res = runner.invoke(main, ["run", "-c", str(cfg), "--out", str(tmp_path / out), "-q",
                                   "--jobs", "2", *extra])
        assert res.exit_code == 0, res.output
        return _findings(tmp_path / out / "findings.json")
    audit("cached")
    _feed(feed, 4, start=44, seed=99)
    cache = tmp_path / "cached" / ".audit-cache" / "cache.sqlite3"
    before = sqlite3.connect(cache).execute("SELECT count(*) FROM entries").fetchone()[0]
    grown = audit("cached")
    after = sqlite3.connect(cache).execute("SELECT count(*) FROM entries").fetchone()[0]
    assert len(grown["documents"]) == 48
    assert grown == audit("plain", "--no-cache")
    # new entries: ingest of the 4 new files, line verdicts of all 48 (the generated chrome
    # recurs in every article, so every article's recurrence counts move), the alignment, and
    # detectors and provenance of the new and the few whose reads changed: fewer than one a
    # document for those two steps together (96 when nothing was reused); besides, at most one
    # a document each for the recurrence memo's copy verdicts and unprinted lines and for the
    # name mentions (new articles, and articles whose noise changed)
    memo = 3 * 48
    assert 4 + 48 + 1 + 2 * 4 <= after - before < 4 + 48 + 1 + 48 + memo, (before, after)
