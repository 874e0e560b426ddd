"""Calibrate the story model (audit/data/story_model.yaml) on gold files whose documents carry an
`event`: the real-copy dev fold, never the test fold.

    .venv/bin/python scripts/realtext.py gold --fold dev --out /tmp/dev.yaml
    .venv/bin/python bench/calibrate_stories.py /tmp/dev.yaml --docs /work/realtext/texts [--write]

Every pair of documents of the first gold file is one example (same event or not) with the features of
audit/align/story_features.py, computed by the same code the pipeline runs (the batch is the
gold file's documents, after boilerplate and the name detector). Events are split into folds;
each fold's pairs are scored by a logistic regression fitted on pairs of the other folds' events
only, the out-of-fold probabilities are clustered exactly as group_stories does (average link,
date gate), and the threshold with the best B-cubed F1 at precision >= MIN_PRECISION is kept.
The final weights are fitted on all its pairs; further gold files (the seeds) are only scored. `--write` stores them; without it nothing is written.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FEATURES = ("tfidf", "emb", "names", "lead", "figures", "undated", "gap")
FOLDS = 5
THRESHOLDS = [round(float(t), 2) for t in np.arange(0.15, 0.96, 0.05)]
MIN_PRECISION = 0.95
LEAD_GATE = 3           # names each lead needs for the lead gate (--lead-gate; 0: none)
C = 1.0


def batch(gold_path: Path, docs_dir: Path):
    """(documents after the detectors, entity groups, doc -> event) of one gold file."""
    from audit import pipeline
    from audit.config import load_config
    from audit.evaluate import load_documents
    from audit.gold import load_gold
    cfg = load_config(ROOT / "config.yaml")
    cfg.align.enabled = False
    gold = load_gold(gold_path)
    docs, _ = load_documents(gold, docs_dir, cfg)
    run = pipeline.analyse(list(docs.values()), cfg, name="calibrate")
    events = {d: str(m["event"]) for d, m in gold.documents.items() if m.get("event")}
    return run.documents, run.entities, events


def examples(docs, entities, events, story_days: int):
    from audit.align.features import build_index
    from audit.align.normalize import load_lexicon
    from audit.align.story_features import build_reps, date_gap, pair_features
    index = build_index(docs, entities, load_lexicon(()))
    reps = build_reps(index)
    tri = np.array(list(combinations(range(len(reps.ids)), 2)), np.int64)
    X = pair_features(reps, tri[:, 0], tri[:, 1], FEATURES)
    ev = [events[d] for d in reps.ids]
    y = np.array([ev[a] == ev[b] for a, b in tri.tolist()])
    gated = date_gap(reps, tri[:, 0], tri[:, 1]) > story_days
    if LEAD_GATE:                           # story_features.lead_gated: leads that share no name
        gated |= pair_features(reps, tri[:, 0], tri[:, 1], ["lead_apart"], LEAD_GATE)[:, 0] > 0
    return reps.ids, ev, tri, X, y, gated


def bcubed(labels: list[int], ev: list[str]) -> tuple[float, float, float]:
    cl, tr = defaultdict(set), defaultdict(set)
    for i, (c, e) in enumerate(zip(labels, ev)):
        cl[c].add(i)
        tr[e].add(i)
    p = float(np.mean([len(cl[c] & tr[e]) / len(cl[c]) for c, e in zip(labels, ev)]))
    r = float(np.mean([len(cl[c] & tr[e]) / len(tr[e]) for c, e in zip(labels, ev)]))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def clusters(n: int, tri: np.ndarray, p: np.ndarray, t: float) -> list[int]:
    from audit.align.stories import average_link
    groups = average_link(n, tri, p, t)
    labels = [0] * n
    for k, g in enumerate(groups):
        for i in g:
            labels[i] = k
    return labels


def fit(X, y, extra=None):
    """Logistic regression on (X, y), plus the hard examples `extra` = (X, y, weight per pair)."""
    from sklearn.linear_model import LogisticRegression
    w = np.ones(len(y))
    if extra is not None:
        X, y, w = np.vstack([X, extra[0]]), np.concatenate([y, extra[1]]), np.concatenate([w, extra[2]])
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X, y, sample_weight=w)


def synthetic(n: int, seed: int, story_days: int):
    """Generated articles (bench/gen_articles.py): eight stories per topic share actors, places
    and background, which the real dev fold (one event per subject) never shows. Event = story."""
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_articles import generate
    docs = generate(n, seed=seed)
    return examples(docs, [], {d.id: d.id.split("-")[0] for d in docs}, story_days)


def out_of_fold(ev, tri, X, y, extra=None) -> np.ndarray:
    names = sorted(set(ev))
    fold = {e: i % FOLDS for i, e in enumerate(names)}
    fa = np.array([fold[ev[a]] for a in tri[:, 0]])
    fb = np.array([fold[ev[b]] for b in tri[:, 1]])
    p = np.zeros(len(y))
    for f in range(FOLDS):
        train = (fa != f) & (fb != f)
        test = (fa == f) | (fb == f)
        p[test & (p == 0)] = fit(X[train], y[train], extra).predict_proba(X[test & (p == 0)])[:, 1]
    return p


def main() -> int:
    global FEATURES, LEAD_GATE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, nargs="+")
    ap.add_argument("--docs", type=Path, nargs="+", required=True, help="one folder per gold file")
    ap.add_argument("--story-days", type=int, default=5)
    ap.add_argument("--hard", type=int, default=0, help="generated articles added as same-topic examples")
    ap.add_argument("--hard-weight", type=float, default=0.25, help="weight of each generated pair")
    ap.add_argument("--features", default=",".join(FEATURES), help="comma-separated story_features names")
    ap.add_argument("--lead-gate", type=int, default=LEAD_GATE,
                    help="pairs whose leads each name this many and share none are gated (0: off)")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="score further gold files at every threshold")
    a = ap.parse_args()
    FEATURES = tuple(a.features.split(","))
    LEAD_GATE = a.lead_gate
    parts = []
    for g, d in zip(a.gold, a.docs if len(a.docs) == len(a.gold) else a.docs * len(a.gold)):
        parts.append(examples(*batch(g, d), a.story_days))
    extra = None
    if a.hard:
        _, _, _, hX, hy, hg = synthetic(a.hard, 1, a.story_days)
        keep = ~hg                          # gated pairs (dates, leads) are never scored
        extra = (hX[keep], hy[keep], np.full(int(keep.sum()), a.hard_weight))
        held = synthetic(a.hard, 2, a.story_days)
        parts.append(held)
        a.gold.append(Path(f"generated articles ({a.hard}, another seed)"))
    ids, ev, tri, X, y, gated = parts[0]
    p = np.where(gated, 0.0, out_of_fold(ev, tri, X, y, extra))
    print(f"{len(ids)} documents, {len(set(ev))} events, {len(y)} pairs ({int(y.sum())} same event)")
    best = None
    for t in THRESHOLDS:
        pr, rc, f1 = bcubed(clusters(len(ids), tri, p, t), ev)
        print(f"  threshold {t:.2f}: B-cubed P {pr:.3f} R {rc:.3f} F1 {f1:.3f}")
        if pr >= MIN_PRECISION and (best is None or f1 > best[3] + 1e-9):
            best = (t, round(pr, 4), round(rc, 4), round(f1, 4))
    Xall, yall = X, y                       # further gold files are checked, never fitted
    model = fit(Xall, yall, extra)
    coef = {f: round(float(c), 4) for f, c in zip(FEATURES, model.coef_[0])}
    print("weights", coef, "intercept", round(float(model.intercept_[0]), 4))
    for (pids, pev, ptri, pX, py, pg), g in zip(parts[1:], a.gold[1:]):
        q = np.where(pg, 0.0, model.predict_proba(pX)[:, 1])
        for t in THRESHOLDS if a.verbose else (best[0],) if best else ():
            print(f"  {g}: B-cubed P/R/F1 at {t}: {np.round(bcubed(clusters(len(pids), ptri, q, t), pev), 3)}")
    if best is None:
        print("no threshold reaches the precision floor; nothing written")
        return 1
    print(f"chosen threshold {best[0]} (out-of-fold P {best[1]:.3f} R {best[2]:.3f} F1 {best[3]:.3f})")
    if a.write:
        hard = f"; plus {len(extra[1])} pairs of {a.hard} generated articles (seed 1) at weight {a.hard_weight}" if extra else ""
        out = {"trained_on": f"real-copy dev fold ({a.gold[0].name}, {len(ids)} documents, {len(set(ev))} events): "
                             f"{len(yall)} pairs, {int(yall.sum())} same-event{hard}; {date.today().isoformat()}",
               "cross_validation": {"folds": FOLDS, "split": "by event", "precision": round(best[1], 4),
                                    "recall": round(best[2], 4), "f1": round(best[3], 4)},
               "features": list(FEATURES), "coef": coef, "intercept": round(float(model.intercept_[0]), 4),
               "threshold": best[0], "lead_gate": LEAD_GATE}
        path = ROOT / "audit" / "data" / "story_model.yaml"
        header = ("# Story model: same-event probability of an article pair (audit/align/story_features.py).\n"
                  "# Written by bench/calibrate_stories.py on the real-copy dev fold; do not edit by hand.\n")
        path.write_text(header + yaml.safe_dump(out, sort_keys=False), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
