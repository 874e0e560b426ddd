"""One very large article through ingest and every analysis stage: time and peak memory per size.

    .venv/bin/python bench/bench_large.py [--sizes 300000,1000000,3000000] [--line 5000000]

Issue 13: a 300 kB article took 66 s and a 3 MB one was still running at 300 s, because
Document.is_noise scanned every noise range for every line (lines x ranges) and the
`comment-policy` pattern was quadratic in the line length. Each size is a seed article repeated
(so noise, duplicates and names recur as they would in a dump), loaded with `max_chars` raised
above it, and run through `pipeline.analyse` in a fresh process (peak RSS is per size).
`--line` also times the boilerplate pattern library on one line of that many characters.
Prints one JSON line per measurement (wall and CPU seconds: the machine may be shared).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_393928cfdeb5277e.txt"


def one(size: int) -> dict:
    """Run in a child process: ingest + analyse one article of `size` characters."""
    sys.path.insert(0, str(ROOT))
    import tempfile
    from audit import ingest, pipeline
    from audit.config import Config
    seed = SEED.read_text(encoding="utf-8")
    text = ((seed + "\n\n") * (size // len(seed) + 1))[:size]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(text, encoding="utf-8")
        cfg = Config.model_validate({"sources": [{"paths": [str(path)], "max_chars": size + 1}],
                                     "report": {"pdf": False}})
        t0 = time.perf_counter()
        docs, problems = ingest.load_sources(cfg.sources, cfg.language, Path(tmp))
        t1 = time.perf_counter()
        result = pipeline.analyse(docs, cfg, problems=problems)
        t2 = time.perf_counter()
    use, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = use.ru_utime + use.ru_stime + kids.ru_utime + kids.ru_stime   # worker processes too
    return {"chars": size, "lines": len(docs[0].lines), "ingest_s": round(t1 - t0, 1),
            "analyse_s": round(t2 - t1, 1), "cpu_s": round(cpu, 1),
            "stages": result.timings, "peak_mb": round(use.ru_maxrss / 1024)}


def line(size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from audit.boilerplate.patterns import build_library
    from audit.boilerplate.settings import BoilerplateSettings
    lib = build_library(BoilerplateSettings())
    seed = SEED.read_text(encoding="utf-8").replace("\n", " ")
    text = (seed * (size // len(seed) + 1))[:size]
    t0, c0 = time.perf_counter(), time.process_time()
    lib.match(text, len(text.split()))
    return {"line_chars": size, "patterns": len(lib.patterns), "match_s": round(time.perf_counter() - t0, 2),
            "match_cpu_s": round(time.process_time() - c0, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300000,1000000,3000000")
    ap.add_argument("--line", type=int, default=5_000_000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, n = args.child.split(":")
        print(json.dumps(one(int(n)) if kind == "doc" else line(int(n))))
        return
    jobs = [f"doc:{s}" for s in args.sizes.split(",") if s] + ([f"line:{args.line}"] if args.line else [])
    for job in jobs:
        out = subprocess.run([sys.executable, __file__, "--child", job], capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
