"""The one direction of flow: ingest → boilerplate → artifacts → provenance → align, as
map and reduce steps.

    ingest        map     file bytes (read here, in the client) → Documents        [cached per file]
    boilerplate   reduce  line recurrence across the batch (which lines unrelated articles share)
                  map     one document's line verdicts → doc.noise, noise findings,
                          the document's word counts                                [cached per doc]
    word stats    reduce  the batch's word statistics, merged from every document's counts
    artifacts     reduce  batch-aware detectors: name consensus (entity groups)
                  map     per-document detectors, given the batch view (ids, texts,
                          word statistics, entity names); then provenance           [cached per doc]
    align         reduce  stories (grouping), then per-story sentence groups, claims, diffs

Map steps are the functions in audit/steps.py; an executor (audit/execution) runs them in this
process, a local process pool or a Dask cluster and returns results in batch order, so a run's
output never depends on where or on how many workers it ran. The client holds the documents
once; workers hold the chunk of documents they are given plus the stage's broadcast value.
"""
from __future__ import annotations

import json
import time
from array import array
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from audit import align, boilerplate, steps
from audit.artifacts import consensus
from audit.artifacts.registry import build, phases
from audit.cache import Cache
from audit.execution import Executor, SerialExecutor
from audit.reads import Answers, fill_quotes
from audit.serialize import jsonable
from audit.types import BatchContext, Document, Finding, Problem, RunResult, Span


@contextmanager
def _timed(timings: dict[str, float], stage: str,
           progress: Callable[[str], None] | None = None) -> Iterator[None]:
    if progress:
        progress(stage)  # the CLI's progress bar shows the stage being run
    t0 = time.perf_counter()
    yield
    timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - t0, 4)


def run_settings(cfg) -> dict[str, Any]:
    """The config as the stages read it and the reports echo it: where the run executed is not
    part of it (the results are the same anywhere)."""
    return cfg.model_dump(mode="json", exclude={"execution"})


def analyse(docs: list[Document], cfg, name: str = "audit",
            problems: list[Problem] | None = None,
            progress: Callable[[str], None] | None = None,
            executor: Executor | None = None, cache: Cache | None = None) -> RunResult:
    """Run every stage after ingest on already-loaded documents (in batch order)."""
    ex = executor or SerialExecutor()
    cache = cache or Cache(None)
    settings = run_settings(cfg)
    timings: dict[str, float] = {}
    with _timed(timings, "boilerplate", progress):
        findings, stats = _boilerplate(docs, cfg.boilerplate, ex, cache)
    batch_key = cache.key("batch", repr(settings), *(_doc_digest(d) for d in docs)) if cache.enabled else ""
    with _timed(timings, "artifacts", progress):
        findings, entities, prov, more = _artifacts(docs, cfg, settings, findings, stats, ex, cache, batch_key)
    ex.release()                     # the last map step is done: workers' memory back before align
    timings["provenance"] = 0.0      # inferred in the detectors' last map step
    with _timed(timings, "align", progress):
        alignment = _align(docs, entities, findings, cfg, cache, batch_key)
        # post-alignment step (translation owner): an outlet's rare wording where the other
        # outlets of its aligned sentence agree (audit/artifacts/consensus.py)
        findings += consensus.after_alignment(docs, alignment, findings, cfg)
    findings.sort(key=lambda f: (f.doc_id, f.start, f.end, f.kind))
    return RunResult(name=name, documents=docs, findings=findings, entities=entities,
                     alignment=alignment, problems=[*(problems or []), *more], provenance=prov,
                     settings=settings, timings=timings)


# --- boilerplate ----------------------------------------------------------------------------------

def _boilerplate(docs: list[Document], st, ex: Executor, cache: Cache):
    """Reduce (line recurrence), then map (verdicts and word counts per document)."""
    spans = [boilerplate.line_spans(d) for d in docs]
    digest = {id(d): _doc_digest(d) for d in docs} if cache.enabled else {}
    recs = _recurrences(docs, spans, st, cache, [digest.get(id(d), "") for d in docs]) if st.enabled \
        else [boilerplate.DocRecurrence()] * len(docs)
    items = list(zip(docs, spans, recs))
    key = (lambda it: cache.key("noise", st.model_dump_json(), digest[id(it[0])], _spans(it[1]), _recurrence_key(it[2]))) \
        if cache.enabled else None
    results = cached_map(ex, cache, steps.noise_map, items, st, key, "boilerplate")
    findings: list[Finding] = []
    for item, res in zip(items, results):
        doc = item[0]
        if cache.enabled:               # a reused result quotes the batch it was computed in
            steps.quote_recurrence(item, res)
        steps.apply_noise(doc, res)
        findings += res.findings
    return findings, steps.merge_stats([r.stats for r in results])


def _recurrences(docs: list[Document], spans: list[list[Span]], st, cache: Cache,
                 digests: list[str]) -> list[boilerplate.DocRecurrence]:
    """The recurrence reduce, reused whole when every document is as before (a re-run with no
    change: 2-3 s of the 1k syndication feed's CPU). A changed batch recomputes it, since any
    article can share a line with any other, but with the copy verdicts and unprinted lines of
    earlier runs (`_recurrence_memo`): only pairs involving a new or changed article are
    judged again."""
    if not cache.enabled:
        return boilerplate.recurrences(docs, spans, st)
    key = cache.key("recurrence", st.model_dump_json(), *(x for d, sp, dg in zip(docs, spans, digests)
                                                          for x in (d.id, dg, _spans(sp))))
    hit = cache.get(key)
    if not cache.missing(hit):
        cache.tally("recurrence", 1, 0)
        return hit
    cache.tally("recurrence", 0, 1)
    memo, store = _recurrence_memo(docs, spans, st, cache)
    recs = boilerplate.recurrences(docs, spans, st, memo)
    store()
    cache.put(key, recs)
    cache.flush()
    return recs


def _recurrence_memo(docs: list[Document], spans: list[list[Span]], st, cache: Cache):
    """The recurrence reduce's memo (boilerplate/memo.py) loaded from the cache, and a function
    that stores what the reduce added. Copy verdicts are one entry per document, keyed by its
    line digest and the copy settings; unprinted lines one entry per document with copies,
    keyed by its digest and its copies' digests and ids. Measured with bench/bench_rerun.py
    (1,000 syndication articles + 50): see the README's re-run row."""
    params = repr((st.copy_jaccard, st.copy_shared))
    lds = [boilerplate.line_digest(d, sp) for d, sp in zip(docs, spans)]
    raw = [ld.to_bytes(8, "little") for ld in lds]          # the digests as key material
    pair_keys = [cache.key("copy-verdicts", params, b) for b in raw]
    known = []
    for k in pair_keys:
        got = cache.get(k)
        known.append(got if isinstance(got, dict) else {})

    def unprinted_key(d: int, near: list[int]) -> str:
        return cache.key("unprinted", raw[d], *(x for e in near for x in (raw[e], docs[e].id)))

    counts = {"reused": 0, "computed": 0}

    def unprinted_get(d: int, near: list[int]):
        got = cache.get(unprinted_key(d, near))
        if cache.missing(got):
            return None
        counts["reused"] += 1
        return got

    def unprinted_put(d: int, near: list[int], value) -> None:
        counts["computed"] += 1
        cache.put(unprinted_key(d, near), value)

    memo = boilerplate.RecurrenceMemo(lds, known, unprinted_get=unprinted_get,
                                      unprinted_put=unprinted_put)

    def store() -> None:
        for d, k in enumerate(pair_keys):
            value = memo.to_store(d)
            if value is not None:
                cache.put(k, value)
        cache.tally("copy pairs", memo.reused, memo.judged)
        cache.tally("unprinted", counts["reused"], counts["computed"])
        cache.flush()
    return memo, store


def _recurrence_key(rec: boilerplate.DocRecurrence) -> str:
    """What a document's line verdicts read of the batch: per recurring line, the decision its
    recurrence makes (boilerplate.recurrence_decision: counts up to the cap where they stop
    moving the verdict), not which articles print it or exact counts. Measured on bench_run's
    1,000 syndication articles + 50 (bench/bench_rerun.py): the exact Recurrence (unrelated
    articles by id) reused none of the 1,000 earlier documents' verdicts (the feed's chrome
    recurs in every article, so every count moves); the decision reuses 583 (the rest: new
    copies of their stories, or a newcomer in a widely held line's sample, boilerplate/batch.py
    `_probe`). The articles and counts quoted in evidence are this batch's
    (steps.quote_recurrence, after the cache)."""
    return json.dumps(sorted((k, boilerplate.recurrence_decision(r)) for k, r in rec.recs.items()),
                      ensure_ascii=False)


# --- detectors and provenance ---------------------------------------------------------------------

def _artifacts(docs, cfg, settings, findings: list[Finding], stats, ex: Executor, cache: Cache,
               batch_key: str):
    """Each detector phase in order: batch-aware detectors reduce here; per-document ones map.
    Then each document's source language, from all its findings."""
    det_settings = cfg.detector_settings()
    plan = phases(build(det_settings))
    ctx = BatchContext(docs=docs, settings=settings)
    by_doc: dict[str, list[Finding]] = {d.id: [] for d in docs}
    for f in findings:
        by_doc[f.doc_id].append(f)
    prov: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    view = steps.BatchView.of(docs, stats)
    for n, (per_doc, dets) in enumerate(plan):
        if not per_doc:
            for det in dets:
                for f in _batch_detector(det, ctx, cache, batch_key, ex):
                    by_doc[f.doc_id].append(f)
            continue
        # uncached, the last phase infers provenance in the same task; cached, provenance is
        # its own step keyed by the document's findings, so a detector result reused on its
        # reads is not recomputed because a batch-aware detector's findings changed
        shared = steps.DetectShared(settings, det_settings, [d.name for d in dets], view,
                                    steps.slim_entities(ctx.entities),
                                    provenance=n == len(plan) - 1 and not cache.enabled,
                                    track=cache.enabled)
        items = [(d, by_doc[d.id]) for d in docs]
        results = _tracked_detect(ex, cache, items, shared, repr(settings)) if cache.enabled \
            else _detect(ex, items, shared)
        for d, res in zip(docs, results):
            by_doc[d.id] = by_doc[d.id] + res.findings
            if res.provenance is not None:
                prov[d.id] = res.provenance
            problems += res.problems
    if not prov:      # provenance as its own step (cached, or no per-document phase came last)
        items = [(d, by_doc[d.id]) for d in docs]
        # keyed without the noise findings (their evidence quotes batch-wide recurrence counts,
        # which new articles change): provenance reads doc.noise (in the digest), not them
        # (tests/test_cache.py checks that it ignores them)
        key = (lambda it: cache.key("provenance", _doc_digest(it[0]),
                                    _findings_digest([f for f in it[1] if f.family != "noise"]))) \
            if cache.enabled else None
        for d, res in zip(docs, cached_map(ex, cache, steps.provenance_map, items, None, key, "provenance")):
            prov[d.id] = res.provenance
    out = [f for d in docs for f in by_doc[d.id]]
    return out, ctx.entities, prov, _unique([*ctx.problems, *problems])


def _batch_detector(det, ctx: BatchContext, cache: Cache, batch_key: str,
                    ex: Executor | None = None) -> list[Finding]:
    """A batch-aware detector (name consensus), reused whole when the batch is the same: every
    document as the detectors see it (`batch_key`: the settings and each document's digest after
    the noise stage), the entity groups before it and the data files its settings name. A re-run
    with no change skipped 4-5 s of the 1k syndication feed's CPU with it; a grown batch
    recomputes the reduce (it reads every name mention of the batch), but a detector with a
    per-document part (`mentions_of`: entity-variants' name mentions) has it mapped on the
    workers and cached per document (`_prepared`)."""
    if not cache.enabled:
        return _run_batch_detector(det, ctx, cache, ex)
    key = cache.key("batch-detector", det.name, batch_key, _canonical(ctx.entities),
                    *_named_files(det.settings))
    hit = cache.get(key)
    if not cache.missing(hit):
        cache.tally(det.name, 1, 0)
        found, ctx.entities, problems = hit
        ctx.problems.extend(problems)
        return found
    cache.tally(det.name, 0, 1)
    before = len(ctx.problems)
    found = _run_batch_detector(det, ctx, cache, ex)
    cache.put(key, (found, ctx.entities, ctx.problems[before:]))
    return found


def _run_batch_detector(det, ctx: BatchContext, cache: Cache, ex: Executor | None) -> list[Finding]:
    if not hasattr(det, "mentions_of"):
        return det.run(ctx)
    return det.run(ctx, _prepared(det, ctx.docs, cache, ex or SerialExecutor()))


def _prepared(det, docs: list[Document], cache: Cache, ex: Executor) -> list:
    """The detector's per-document part over the batch (steps.mention_map), on the executor's
    workers; cached per document by its digest (its text and noise), the detector's settings
    and the data files they name."""
    shared = steps.PrepareShared(det.name, det.settings)
    settings_text = det.settings.model_dump_json()
    files = _named_files(det.settings)
    key = (lambda d: cache.key("mentions", det.name, settings_text, *files, _doc_digest(d))) \
        if cache.enabled else None
    return cached_map(ex, cache, steps.mention_map, docs, shared, key, "mentions")


def _named_files(settings) -> list[bytes | str]:
    """The bytes of the files a detector's settings name (`*_files`: extra gazetteers), which
    its result reads beyond audit's own data (code_version covers those)."""
    out: list[bytes | str] = []
    for name, value in settings:
        if name.endswith("_files"):
            for p in value:
                try:
                    out += [str(p), Path(p).read_bytes()]
                except OSError:
                    out += [str(p), "unreadable"]
    return out


def _tracked_detect(ex: Executor, cache: Cache, items: list, shared: steps.DetectShared,
                    settings_text: str) -> list[steps.DetectResult]:
    """The detectors of a phase, reusing a document's earlier result when every batch read it
    made gives the same answer in this batch (audit/reads.py); the others run and are stored
    with what they read."""
    view = shared.view
    answers = Answers(view.batch_stats, lambda: ((t.id, t.text) for t in view), shared.entities)
    names = repr(tuple(shared.names))

    def run(todo: list) -> list[steps.DetectResult]:
        out = _detect(ex, todo, shared)
        for res in out:
            res.reads = res.reads.stamp(answers) if res.reads is not None else None
        return out
    out = cached_map(ex, cache, steps.detect_map, items, shared,
                     lambda it: cache.key("detect", settings_text, names, _doc_digest(it[0])), "detectors",
                     valid=lambda hit: hit.reads is not None and hit.reads.hold(answers), run=run)
    for res in out:                  # counts quoted in evidence, from this batch (reads.Quote)
        for f in res.findings:
            f.evidence = fill_quotes(f.evidence, view.batch_stats)
    return out


def _detect(ex: Executor, items: list, shared: steps.DetectShared) -> list[steps.DetectResult]:
    """The detectors of a phase on `items`. Workers in other processes get the batch's word
    statistics but not its texts (bounded memory); the few documents whose detectors read other
    articles' texts come back marked `needs_batch` and run again here, where the texts are."""
    if isinstance(ex, SerialExecutor):
        return ex.map(steps.detect_map, items, shared, "detectors")
    full = shared.view
    shared.view = full.without_texts()
    try:
        out = ex.map(steps.detect_map, items, shared, "detectors")
    finally:
        shared.view = full
    for i, res in enumerate(out):
        if res.needs_batch:
            out[i] = steps.detect_map(items[i], shared)
    return out


def _findings_digest(findings: list[Finding]) -> str:
    return steps.digest(_canonical(findings))


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each map task reports a bad data file again: keep the first of each."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in problems:
        k = (p.where, p.message, p.stage)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


# --- alignment ------------------------------------------------------------------------------------

def _align(docs, entities, findings, cfg, cache: Cache, batch_key: str):
    """Stories and their alignment. Cached for the batch as a whole: every story's alignment
    reads batch-wide word weights (IDF), so it cannot be reused when the batch changes."""
    key = cache.key("align", batch_key) if cache.enabled else None
    if key:
        hit = cache.get(key)
        if not cache.missing(hit):
            return hit
    alignment = align.align_batch(docs, entities, findings, cfg.align)
    if key:
        cache.put(key, alignment)
        cache.flush()
    return alignment


# --- the map helper with the cache ----------------------------------------------------------------

def cached_map(ex: Executor, cache: Cache, fn: Callable, items: Sequence, shared: Any,
               key: Callable[[Any], str] | None, label: str,
               valid: Callable[[Any], bool] | None = None,
               run: Callable[[list], list] | None = None) -> list:
    """`ex.map(fn, items, shared)`, skipping items whose result the cache holds (and `valid`
    accepts, when given); `run` computes the missing ones instead of `ex.map`."""
    run = run or (lambda todo: ex.map(fn, todo, shared, label))
    if key is None:
        return run(list(items))
    keys = [key(it) for it in items]
    out: list[Any] = [cache.get(k) for k in keys]
    todo = [i for i, v in enumerate(out) if cache.missing(v) or (valid is not None and not valid(v))]
    cache.tally(label, len(items) - len(todo), len(todo),
                sum(1 for i in todo if not cache.missing(out[i])))
    ex.advance(len(items) - len(todo))
    for i, res in zip(todo, run([items[i] for i in todo])):
        out[i] = res
        cache.put(keys[i], res)
    cache.flush()
    return out


def _canonical(value: Any) -> str:
    """Canonical JSON of a small value, for keys: equal content gives equal text whatever the
    objects' identity (pickle is not canonical: it records which strings are the same object)."""
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False)


def _spans(spans: list[Span]) -> bytes:
    return array("q", [x for s in spans for x in (s.start, s.end)]).tobytes()


def _doc_digest(doc: Document) -> str:
    """A fingerprint of a document's current state: text, every structure field, noise and
    metadata (its dataclass fields; not the lookup indexes a Document may cache on itself).
    Span lists go in as packed integers: a generic JSON walk of 1,000 documents took seconds."""
    parts: list[bytes | str] = []
    for f in fields(doc):
        v = getattr(doc, f.name)
        if isinstance(v, list) and v and isinstance(v[0], Span):
            parts.append(_spans(v))
        elif isinstance(v, str):
            parts.append(v)
        else:
            parts.append(json.dumps(jsonable(v), sort_keys=True, ensure_ascii=False))
    return steps.digest(*parts)


# --- ingest + analyse -------------------------------------------------------------------------------

def load(inputs, language, cache: Cache | None = None,
         progress: Callable[[str], None] | None = None) -> tuple[list[Document], list[Problem]]:
    """Read every input in the client (workers need no shared disk), reusing the parsed
    documents of files whose bytes, source settings and language settings are unchanged."""
    from audit.ingest import lang, read
    from audit.ingest.sources import unique_id
    cache = cache or Cache(None)
    docs: list[Document] = []
    problems: list[Problem] = []
    taken = {inp.doc_id for inp in inputs}
    lang_key = language.model_dump_json()
    for inp in inputs:
        key = None
        if cache.enabled:
            try:
                key = cache.key("ingest", str(inp.path), inp.doc_id, repr(inp.source), lang_key,
                                Path(inp.path).read_bytes())
            except OSError:
                key = None           # the reader reports the unreadable file
        hit = cache.get(key) if key else None
        if hit is None or cache.missing(hit):
            cache.tally("ingest", 0, 1)
            got, probs = read(inp)
            for doc in got:
                lang.annotate(doc, language)
            if key and got:
                cache.put(key, (got, probs))
        else:
            cache.tally("ingest", 1, 0)
            got, probs = hit
        for doc in got:
            if doc.id != inp.doc_id and doc.id in taken:   # a JSONL id equal to a file stem
                doc.id = unique_id(doc.id, taken)
            taken.add(doc.id)
        docs.extend(got)
        problems.extend(probs)
        if progress:
            progress(str(inp.path))
    cache.flush()
    return docs, problems


def run(cfg, base: Path, executor: Executor | None = None, cache: Cache | None = None) -> RunResult:
    """Load the configured sources (relative to `base`, the config file's folder) and analyse them."""
    from audit import ingest
    timings: dict[str, float] = {}
    with _timed(timings, "ingest"):
        inputs, problems = ingest.plan(cfg.sources, base)
        docs, more = load(inputs, cfg.language, cache)
    result = analyse(docs, cfg, name=cfg.name, problems=problems + more, executor=executor, cache=cache)
    result.timings = {**timings, **result.timings}
    return result
