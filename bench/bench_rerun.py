"""The analysis side of a re-run, in one process: where a grown feed's re-run spends its CPU and
which cached items it reuses (issue 10).

Runs `pipeline.load` + `pipeline.analyse` (no reports) on bench_run's 1,000-article
syndication feed with an empty cache, then again after 50 new articles join (gen_feed seed 99,
as bench_run does), and prints per stage the CPU seconds of this process (serial executor: all
the work is here, so CPU is the steady figure on a shared machine) and the cache's tally of
items reused / computed / found stale. `--check` also runs the grown feed without a cache and
compares findings (timings aside).

    python bench/bench_rerun.py [--dir /tmp/rr] [--n 1000] [--check]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_feed  # noqa: E402

from audit import pipeline, serialize  # noqa: E402
from audit.cache import Cache  # noqa: E402
from audit.config import load_config  # noqa: E402
from audit.ingest import plan  # noqa: E402


def analyse(folder: Path, cache: Cache) -> tuple[dict, dict]:
    """One run: (stage -> CPU seconds, findings.json as data without timings)."""
    cfg = load_config(folder / "config.yaml")
    cpu: dict[str, float] = {}
    t = time.process_time()
    inputs, problems = plan(cfg.sources, folder)
    docs, more = pipeline.load(inputs, cfg.language, cache)
    cpu["ingest"] = time.process_time() - t
    marks: list[tuple[str, float]] = []
    res = pipeline.analyse(docs, cfg, name="bench", problems=problems + more, cache=cache,
                           progress=lambda stage: marks.append((stage, time.process_time())))
    end = time.process_time()
    for (stage, t0), (_, t1) in zip(marks, [*marks[1:], ("", end)]):
        cpu[stage] = t1 - t0
    cache.close()
    data = serialize.to_json(res, generated_at="-")
    data["run"].pop("timings")
    return cpu, data


def show(label: str, cpu: dict, cache: Cache | None) -> None:
    stages = " ".join(f"{k} {v:.1f}" for k, v in cpu.items())
    print(f"{label:<12} cpu {sum(cpu.values()):6.1f} s  [{stages}]", flush=True)
    if cache is not None:
        print(f"{'':12} {cache.summary()}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bench-rerun"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--check", action="store_true", help="compare with an uncached run of the grown feed")
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the +50 re-run into this file")
    a = ap.parse_args()
    folder = a.dir / f"syndication-{a.n}"
    if not (folder / "config.yaml").exists():
        gen_feed.generate(a.n, folder, "syndication")
    store = a.dir / "cache"
    shutil.rmtree(store, ignore_errors=True)
    first = Cache(store)
    cpu, _ = analyse(folder, first)
    show("first run", cpu, first)
    new = gen_feed.generate(50, folder, "syndication", seed=99, start=a.n)
    try:
        again = Cache(store)
        if a.profile:
            import cProfile
            prof = cProfile.Profile()
            cpu2, grown = prof.runcall(analyse, folder, again)
            prof.dump_stats(a.profile)
        else:
            cpu2, grown = analyse(folder, again)
        show("+50 re-run", cpu2, again)
        print(f"{'':12} re-run / first run: {sum(cpu2.values()) / sum(cpu.values()):.0%} of the CPU", flush=True)
        same = Cache(store)
        cpu3, _ = analyse(folder, same)
        show("no change", cpu3, same)
        if a.check:
            cpu4, plain = analyse(folder, Cache(None))
            show("uncached", cpu4, None)
            ok = json.dumps(plain, sort_keys=True) == json.dumps(grown, sort_keys=True)
            print(f"{'':12} cached re-run equals the uncached run: {ok}", flush=True)
    finally:
        for p in new:
            p.unlink()


if __name__ == "__main__":
    main()
