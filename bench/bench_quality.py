"""One table of detection quality: the seeds, our synthetic sets, and the real-text folds.

    .venv/bin/python bench/bench_quality.py [--texts /work/realtext/texts] [--json]

Rows: `seeds` (development), `heldout` and `blind` (text we wrote: synthetic fixtures, never
estimates of real performance), `real dev` (tuned on), `real test` (never tuned on once the
corpus had landed, but part of it was dev while it was landing: realtext/README.md), `real fresh`
and `fresh2`..`fresh5` (each pulled after the detectors were built: unseen events and outlets,
honest once, development data since), and `fresh6`, this round's unseen fold, which runs only when
named (`--only fresh6`) so that no development run sees it. The
real folds are built from realtext/parts by scripts/realtext.py; they are skipped with a note when the texts are not on this machine (see realtext/README.md to pull them).
Every figure comes from the same scorer as `audit eval`.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.config import Config  # noqa: E402
from audit.evaluate import evaluate  # noqa: E402

DEVELOPMENT_FOLDS = ("dev", "test", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")
UNSEEN_FOLD = "fresh6"      # scored once at the end of a round, never by default (realtext/README.md)
SYNTHETIC = [("seeds", "seeds"), ("heldout (synthetic)", "heldout"), ("blind (synthetic)", "blind")]


def _real_gold(fold: str, texts: Path, tmp: Path) -> Path | None:
    out = tmp / f"real-{fold}.yaml"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "realtext.py"), "--texts", str(texts),
                        "gold", "--fold", fold, "--out", str(out)], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"real {fold}: {r.stderr.strip() or r.stdout.strip()}", file=sys.stderr)
        return None
    return out


def _row(name: str, gold: Path, docs: Path) -> dict:
    t0 = time.perf_counter()
    res = evaluate(gold, docs, Config())
    d = res.to_dict()
    d["name"], d["documents"], d["seconds"] = name, len(res.docs), round(time.perf_counter() - t0, 1)
    return d


def _fmt(d: dict) -> str:
    f, o = d["families"], d["overall"]
    prov = d.get("provenance")
    grp = (d.get("grouping") or {}).get("story_bcubed")
    c = d["claims"]
    cells = [
        f"{d['name']:<20}", f"{d['documents']:>4}",
        f"{f['entity']['precision']:.2f}/{f['entity']['recall']:.2f}",
        *(f"{f[k]['f1']:.2f}" for k in ("surface", "translation", "noise")),
        f"{o['precision']:.2f}/{o['recall']:.2f}/{o['f1']:.2f}",
        f"{d['acceptable_flagged']:>3}",
        f"{prov['precision']:.2f}/{prov['recall']:.2f}/{prov['language_right']}of{prov['tp']}" if prov else "-",
        f"{grp['precision']:.2f}/{grp['recall']:.2f}/{grp['f1']:.2f}" if grp else "-",
        f"{c['aligned']}/{c['total']} {c['discrepancies_found']}/{c['discrepancies_total']}",
    ]
    return " | ".join(cells)


HEADER = " | ".join([f"{'set':<20}", "docs", "entity P/R", "surf F1", "trans F1", "noise F1",
                     "overall P/R/F1", "acc", "provenance P/R/lang", "stories P/R/F1", "claims disc"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=Path("/work/realtext/texts"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", nargs="*", help="row names to run (seeds heldout blind dev test fresh fresh2 fresh3 "
                    "fresh4 fresh5 fresh6); fresh6, the unseen fold, runs only when named here")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in SYNTHETIC:
            if not a.only or folder in a.only:
                rows.append(_row(name, ROOT / folder / "gold.yaml", ROOT / folder))
        for fold in (*DEVELOPMENT_FOLDS, UNSEEN_FOLD):
            if (a.only or fold == UNSEEN_FOLD) and fold not in (a.only or ()):
                continue
            if not a.texts.is_dir():
                print(f"real {fold}: no texts at {a.texts} (realtext/README.md says how to pull them)", file=sys.stderr)
                continue
            gold = _real_gold(fold, a.texts, Path(tmp))
            if gold and "documents: {}" in gold.read_text(encoding="utf-8"):
                print(f"real {fold}: no documents in this fold yet", file=sys.stderr)
            elif gold:
                rows.append(_row(f"real {fold}", gold, a.texts))
    if a.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(HEADER)
    print("-" * len(HEADER))
    for d in rows:
        print(_fmt(d))
    print("\nacc = acceptable spellings flagged; claims = aligned/total, discrepancies found/total. "
          "Synthetic rows are text we wrote: fixtures, not estimates of real performance.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
