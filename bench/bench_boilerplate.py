"""CPU time of the boilerplate stage alone on generated feeds: the batch reduce (line recurrence
across articles) and the per-document map (line verdicts), in this process.

    .venv/bin/python bench/bench_boilerplate.py --sizes 1000 10000 [--shape syndication] [--profile]

The feeds come from bench/gen_feed.py (cached under --root); ingest is not timed. CPU time
(time.process_time), not wall time: the machine is shared. The map is timed serially (what one
core does for the whole batch); the pipeline spreads it over the workers.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gen_feed  # noqa: E402

from audit import boilerplate, ingest  # noqa: E402
from audit.boilerplate.patterns import build_library  # noqa: E402
from audit.config import Config  # noqa: E402


def load(root: Path, shape: str, n: int):
    folder = root / f"{shape}-{n}"
    if not (folder / "config.yaml").exists():
        gen_feed.generate(n, folder, shape)
    paths = sorted((folder / "articles").rglob("*.txt"))
    docs, _ = ingest.load_paths(paths, Config().language)
    return docs


def stage(docs, st) -> dict[str, float]:
    lib = build_library(st)
    t0 = time.process_time()
    spans = [boilerplate.line_spans(d) for d in docs]
    recs = boilerplate.recurrences(docs, spans, st)
    t1 = time.process_time()
    lines = noise = 0
    for d, sp, rec in zip(docs, spans, recs):
        verdicts = boilerplate.classify_doc(d, sp, lib, st, rec)
        lines += len(verdicts)
        noise += sum(v.noise for v in verdicts)
    t2 = time.process_time()
    return {"reduce": t1 - t0, "map": t2 - t1, "lines": lines, "noise": noise}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--shape", default="syndication")
    ap.add_argument("--root", type=Path, default=Path("/tmp/audit-bench-boilerplate"))
    ap.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    a = ap.parse_args()
    st = Config().boilerplate
    for n in a.sizes:
        docs = load(a.root, a.shape, n)
        prof = cProfile.Profile() if a.profile else None
        if prof:
            prof.enable()
        r = stage(docs, st)
        if prof:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        print(f"{a.shape}-{n}: {len(docs)} docs, {r['lines']} lines ({r['noise']} noise): "
              f"reduce {r['reduce']:.1f} s cpu, map {r['map']:.1f} s cpu, "
              f"total {r['reduce'] + r['map']:.1f} s cpu", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
