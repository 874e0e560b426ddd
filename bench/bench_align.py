"""Benchmark alignment on generated batches: time and peak memory for grouping (stories and
topics) and for the whole alignment, at 1,000 and 10,000 articles, and the growth between them;
and the stories' B-cubed precision/recall against the generated stories (an article's id is
`<story>-<outlet>`; eight stories of one topic share actors, places and background).

    .venv/bin/python bench/bench_align.py            # 1k and 10k
    .venv/bin/python bench/bench_align.py 2000       # any sizes
    .venv/bin/python bench/bench_align.py --feed giant 1000    # grouping of a gen_feed.py batch
    .venv/bin/python bench/bench_align.py --stage giant 1000   # the align stage of a real run

`--stage SHAPE N` runs `audit run`'s stages up to alignment on a bench/gen_feed.py batch (ingest,
boilerplate, detectors: serial, not timed), then times `align_batch` as the run calls it, with
the run's entity groups and findings: CPU and wall time, peak RSS of the process, the largest
sentence group (outlets) and the counts of groups, claims and diffs.

Each size runs in its own process so peak memory (ru_maxrss) is that size's own. Document
generation (bench/gen_articles.py) is not timed.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(n: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_articles import generate

    from audit.align import AlignSettings
    from audit.align.batch import _units, align_units
    from audit.align.features import build_index
    from audit.align.normalize import load_lexicon
    from audit.align.stories import group_stories

    docs = generate(n)
    settings = AlignSettings()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    index = build_index(docs, [], load_lexicon(settings.synonyms))
    t1, c1 = time.perf_counter(), time.process_time()
    stories, pairs = group_stories(index, settings.stories)
    t2, c2 = time.perf_counter(), time.process_time()
    units = _units(stories, settings.stories.max_unit_docs)
    al = align_units(index, stories, units, [], [], settings)
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    bp, br = bcubed([d.id for d in docs], stories)
    return {"bcubed_p": round(bp, 3), "bcubed_r": round(br, 3),"articles": n, "sentences": len(index.sentences), "normalise_s": round(t1 - t0, 2),
            "grouping_s": round(t2 - t1, 2), "grouping_cpu_s": round(c2 - c1, 2), "aligning_s": round(t3 - t2, 2), "total_s": round(t3 - t0, 2),
            "candidate_pairs": len(pairs), "stories": sum(s.kind == "story" for s in stories),
            "topics": sum(s.kind == "topic" for s in stories), "groups": len(al.groups),
            "claims": len(al.claims), "discrepancies": sum(c.discrepancy for c in al.claims),
            "diffs": len(al.diffs), "near_copies": sum(len(s.near_copies) for s in stories),
            "peak_rss_mb": round(rss / 1024), "rss_before_mb": round(rss0 / 1024)}


def feed(n: int, shape: str) -> dict:
    """Grouping alone on a bench/gen_feed.py feed (the batches of bench_run.py), scored against the
    stories the generator reprinted. The outlets' chrome (its first two and last four paragraphs,
    which the boilerplate stage removes in a run) is left out, so this measures grouping, not noise
    removal; ids are `<story>-<n>` for bcubed()."""
    import random
    import tempfile

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_feed

    from audit.align import AlignSettings
    from audit.align.features import build_index
    from audit.align.normalize import load_lexicon
    from audit.align.stories import group_stories
    from audit.ingest.build import make_document
    from audit.types import SourceMeta
    sizes = gen_feed.story_sizes(random.Random(7), n, shape)      # generate()'s first draw, seed 7
    story = [f"s{k:05d}" for k, m in enumerate(sizes) for _ in range(m)]
    docs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(gen_feed.generate(n, Path(tmp), shape)):
            paras = path.read_text(encoding="utf-8").split("\n\n")[2:-4]
            date = paras[1] if len(paras) > 1 else None
            docs.append(make_document(f"{story[i]}-{i}", path.name, "\n\n".join(paras), SourceMeta(), date=date))
    settings = AlignSettings()
    index = build_index(docs, [], load_lexicon(settings.synonyms))
    t0, c0 = time.perf_counter(), time.process_time()
    stories, _ = group_stories(index, settings.stories)
    t1, c1 = time.perf_counter(), time.process_time()
    bp, br = bcubed([d.id for d in docs], stories)
    return {"shape": shape, "articles": n, "generated_stories": len(sizes),
            "stories": sum(st.kind == "story" for st in stories), "grouping_s": round(t1 - t0, 2),
            "grouping_cpu_s": round(c1 - c0, 2), "bcubed_p": round(bp, 3), "bcubed_r": round(br, 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def stage(n: int, shape: str) -> dict:
    """The align stage of a real run on a gen_feed.py batch (see the module docstring)."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_feed

    from audit import align, pipeline
    from audit.config import load_config
    from audit.types import Alignment
    got: dict = {}

    def capture(docs, entities, findings, settings):
        got["args"] = (docs, entities, findings, settings)
        return Alignment()
    with tempfile.TemporaryDirectory() as tmp:
        gen_feed.generate(n, Path(tmp), shape)
        run_align, align.align_batch = align.align_batch, capture
        try:
            pipeline.run(load_config(Path(tmp) / "config.yaml"), Path(tmp))
        finally:
            align.align_batch = run_align
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    al = align.align_batch(*got["args"])
    t1, c1 = time.perf_counter(), time.process_time()
    outlets = max((len({m.doc_id for m in g.members}) for g in al.groups), default=0)
    return {"shape": shape, "articles": n, "align_s": round(t1 - t0, 2), "align_cpu_s": round(c1 - c0, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "rss_before_mb": round(rss0 / 1024), "stories": sum(st.kind == "story" for st in al.stories),
            "groups": len(al.groups), "largest_group_outlets": outlets, "claims": len(al.claims),
            "discrepancies": sum(c.discrepancy for c in al.claims), "diffs": len(al.diffs)}


def bcubed(ids: list[str], stories) -> tuple[float, float]:
    """B-cubed precision and recall of the stories against the generated ones."""
    cluster = {d: {d} for d in ids}
    for st in stories:
        if st.kind == "story":
            for d in st.doc_ids:
                cluster[d] = set(st.doc_ids)
    truth: dict[str, set[str]] = {}
    for d in ids:
        truth.setdefault(d.split("-")[0], set()).add(d)
    p = sum(len(cluster[d] & truth[d.split("-")[0]]) / len(cluster[d]) for d in ids) / len(ids)
    r = sum(len(cluster[d] & truth[d.split("-")[0]]) / len(truth[d.split("-")[0]]) for d in ids) / len(ids)
    return p, r


def main(sizes: list[int]) -> None:
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{n:>6} articles  {r['sentences']:>7} sentences  normalise {r['normalise_s']:>6.2f}s  "
              f"grouping {r['grouping_s']:>6.2f}s ({r['grouping_cpu_s']:.1f}s CPU)  aligning {r['aligning_s']:>6.2f}s  "
              f"total {r['total_s']:>6.2f}s  peak RSS {r['peak_rss_mb']} MB")
        print(f"        stories {r['stories']}  topics {r['topics']}  candidate pairs {r['candidate_pairs']}  "
              f"groups {r['groups']}  claims {r['claims']} ({r['discrepancies']} discrepant)  "
              f"diffs {r['diffs']}  near-copies {r['near_copies']}")
        print(f"        stories vs generated stories: B-cubed P {r['bcubed_p']:.3f} R {r['bcubed_r']:.3f}")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        size = b["articles"] / a["articles"]
        print(f"growth x{size:.0f} articles: grouping x{b['grouping_s'] / max(a['grouping_s'], 1e-3):.1f}, "
              f"total x{b['total_s'] / max(a['total_s'], 1e-3):.1f} (linear would be x{size:.0f})")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    elif len(sys.argv) > 3 and sys.argv[1] == "--feed":          # --feed SHAPE N: gen_feed batches
        print(json.dumps(feed(int(sys.argv[3]), sys.argv[2])))
    elif len(sys.argv) > 3 and sys.argv[1] == "--stage":         # --stage SHAPE N: align of a real run
        print(json.dumps(stage(int(sys.argv[3]), sys.argv[2])))
    else:
        main([int(x) for x in sys.argv[1:]] or [1000, 10000])
