"""Retrain the learned weights of translation candidates on the real development fold, print
cross-validated scores, and write audit/data/translation_weights.json.

    .venv/bin/python scripts/train_translation_weights.py            # train, print CV, write
    .venv/bin/python scripts/train_translation_weights.py --dry-run  # print CV only

What it learns: which of phrase-stats' candidates (pairs of common words that symspellpy's
English bigram table lacks, outside what the calque lexicon already explains) lie in a labelled
calque or mistranslation. A logistic regression (scikit-learn) over standardised features;
cross-validation folds are split BY OUTLET (GroupKFold), so no outlet's house style is both
trained and scored. Each document's positives are capped in weight (`--cap`), so a synonym
spinner with forty labelled swaps does not dominate what is learnt. The threshold is the one
with the best cross-validated F1 among those with precision >= `--min-precision`; when no
threshold reaches it, the model is written disabled (threshold above 1) and says so: emitting
guesses would cost the translation family more precision than it gains recall.

Only the dev fold is read (scripts/realtext.py's outlet split); the test fold is never touched.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

OUT = ROOT / "audit" / "data" / "translation_weights.json"
TRANSLATION_KINDS = {"calque", "mistranslation"}
# Lexicon matches are never dropped by the model (the lexicon explains known cases); below
# INFO_BELOW their severity is lowered to info. Phrase candidates at or above ERROR_ABOVE are errors.
ERROR_ABOVE = 0.8
INFO_BELOW = 0.2
# Each feature in words, for the evidence of a flag ("strongest features").
FEATURE_WORDS = {
    "first_count": "first word is common in English",
    "second_count": "second word is common in English",
    "expected": "the pair would be frequent if the words combined freely",
    "first_function": "first word is a function word",
    "second_function": "second word is a function word",
    "first_fan": "first word opens many English pairs",
    "second_fan": "second word closes many English pairs",
    "inflected_pair": "English writes the pair with another inflection",
    "rarest_zipf": "both words are everyday words (wordfreq)",
    "doc_absent_rate": "the article has many pairs English does not write",
    "doc_rare_rate": "the article has many rare lower-case words",
    "doc_calques": "the article has other known calques",
    "near_calque": "a known calque is within a few words",
    "lexicon": "a calque-lexicon entry matched",
    "weak_entry": "the entry is one agencies' own English also uses",
    "mistranslation_entry": "the entry is a known mistranslation",
}


def dev_gold(texts: Path, fold: str) -> Path:
    """The fold's gold file (labels only; claims are not needed here)."""
    import realtext
    parts = realtext.load_parts()
    docs = realtext.all_docs(parts)
    folds = realtext.doc_folds(parts)    # doc id -> fold; fresh parts are never in dev or test
    gold = realtext.gold_dict(docs, [p for _, p in parts], folds, fold)
    gold["claims"] = []
    path = Path(tempfile.mkdtemp()) / "train.yaml"
    path.write_text(yaml.safe_dump(gold, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def collect(gold_path: Path, texts: Path):
    """Candidates of every document of the fold with labels, outlets and document ids."""
    from audit import pipeline
    from audit.artifacts import phrase_stats
    from audit.config import Config
    from audit.evaluate import load_documents
    from audit.gold import load_gold, resolve_gold
    from audit.types import BatchContext
    cfg = Config()
    gold = load_gold(gold_path)
    docs, _ = load_documents(gold, texts, cfg)
    run = pipeline.analyse(list(docs.values()), cfg, name="train")     # marks noise, like a run
    rg = resolve_gold(gold, docs)
    spans: dict[str, list[tuple[int, int]]] = {}
    for it in rg.items:
        if it.finding.kind in TRANSLATION_KINDS:
            spans.setdefault(it.doc, []).append((it.span.start, it.span.end))
    ctx = BatchContext(docs=list(docs.values()), settings=run.settings)
    from audit.artifacts._text import detector_settings
    from audit.artifacts.calques import CalqueSettings, find_calques
    from audit.learn.weights import lexicon_features
    ccfg = detector_settings(run.settings, "calques", CalqueSettings)
    rows, labels, groups, doc_ids = [], [], [], []

    def add(doc, start: int, end: int, features: dict) -> None:
        rows.append(features)
        labels.append(any(s < end and start < e for s, e in spans.get(doc.id, [])))
        groups.append(str(gold.documents[doc.id].get("outlet", doc.id)))
        doc_ids.append(doc.id)
    for doc in docs.values():
        matches = find_calques(doc, ctx, ccfg)
        for m in matches:
            if m.rule.entry.kind != "grammar" and not doc.is_noise(m.start, m.end):
                add(doc, m.start, m.end, lexicon_features(doc, m, matches))
        for c in phrase_stats.candidates(doc, ctx):
            add(doc, c.start, c.end, c.features)
    return rows, np.array(labels), groups, doc_ids


def weights(labels: np.ndarray, doc_ids: list[str], cap: float) -> np.ndarray:
    """Positives of a document weigh at most `cap` in total (a spinner's forty swaps count as
    `cap` examples); negatives weigh one each."""
    pos = Counter(d for d, y in zip(doc_ids, labels) if y)
    return np.array([min(1.0, cap / pos[d]) if y else 1.0 for d, y in zip(doc_ids, labels)])


def make_model(c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))


def cross_validate(X, y, groups, w, c: float, folds: int) -> np.ndarray:
    from sklearn.model_selection import GroupKFold
    p = np.zeros(len(y))
    for tr, te in GroupKFold(folds).split(X, y, groups):
        m = make_model(c)
        m.fit(X[tr], y[tr], logisticregression__sample_weight=w[tr])
        p[te] = m.predict_proba(X[te])[:, 1]
    return p


def scores_at(p: np.ndarray, y: np.ndarray, thr: float) -> tuple[int, int, float, float, float]:
    sel = p >= thr
    tp, n = int((sel & y).sum()), int(sel.sum())
    prec = tp / n if n else 0.0
    rec = tp / int(y.sum()) if y.sum() else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return n, tp, prec, rec, f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=Path, default=Path("/work/realtext/texts"))
    ap.add_argument("--gold", type=Path, help="a dev gold file (default: built from realtext/parts)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--train", default="dev", help="training folds joined by + (dev, dev+test+fresh)")
    ap.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--cap", type=float, default=5.0, help="total weight of one document's positives")
    ap.add_argument("--min-precision", type=float, default=0.5)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)

    from sklearn.metrics import roc_auc_score
    if "fresh6" in a.train.split("+") or a.train == "all":
        ap.error("--train: fresh6 is the held-out test set; train on dev, test, fresh, fresh2..fresh5")
    gold = a.gold or dev_gold(a.texts, a.train)
    rows, y, groups, doc_ids = collect(gold, a.texts)
    names = list(FEATURE_WORDS)
    X = np.array([[r[f] for f in names] for r in rows], dtype=float)
    w = weights(y, doc_ids, a.cap)
    print(f"dev fold: {len(y)} candidates, {int(y.sum())} in a labelled calque or mistranslation, "
          f"{len(set(groups))} outlets")
    p = cross_validate(X, y, groups, w, a.C, a.folds)
    print(f"cross-validated by outlet ({a.folds} folds): ROC AUC {roc_auc_score(y, p):.3f}")
    lex = X[:, names.index("lexicon")] == 1
    print(f"lexicon matches: {int(lex.sum())} ({int(y[lex].sum())} hit a label); ROC AUC among them "
          f"{roc_auc_score(y[lex], p[lex]) if 0 < y[lex].sum() < lex.sum() else float('nan'):.3f}")
    for lo, hi in [(0.0, INFO_BELOW), (INFO_BELOW, ERROR_ABOVE), (ERROR_ABOVE, 1.01)]:
        band = lex & (p >= lo) & (p < hi)
        print(f"  probability {lo:.2f}-{min(hi, 1):.2f}: {int(band.sum())} matches, "
              f"{int(y[band].sum())} hit ({y[band].mean() if band.any() else 0:.2f})")
    ph, yp = p[~lex], y[~lex]
    print(f"phrase candidates: {int((~lex).sum())} ({int(yp.sum())} in a label); ROC AUC "
          f"{roc_auc_score(yp, ph):.3f}; emitted when the probability reaches the threshold:")
    print(f"{'threshold':>9} {'flagged':>7} {'hits':>5} {'P':>6} {'R':>6} {'F1':>6}")
    best = None
    for thr in [x / 20 for x in range(2, 20)]:
        n, tp, prec, rec, f1 = scores_at(ph, yp, thr)
        print(f"{thr:9.2f} {n:7d} {tp:5d} {prec:6.3f} {rec:6.3f} {f1:6.3f}")
        if n >= 5 and prec >= a.min_precision and (best is None or f1 > best[1]):
            best = (thr, f1, prec, rec)
    final = make_model(a.C).fit(X, y, logisticregression__sample_weight=w)
    scaler, lr = final[0], final[-1]
    threshold = best[0] if best else 1.01
    print("chosen threshold:", f"{threshold:.2f} (CV P {best[2]:.3f} R {best[3]:.3f} F1 {best[1]:.3f})"
          if best else f"none reaches precision {a.min_precision}: model written disabled")
    print("coefficients (standardised):")
    for f, c in sorted(zip(names, lr.coef_[0]), key=lambda fc: -abs(fc[1])):
        print(f"  {c:+.3f}  {FEATURE_WORDS[f]}")
    model = {"features": names, "mean": [round(float(x), 6) for x in scaler.mean_],
             "scale": [round(float(x), 6) for x in scaler.scale_],
             "coef": [round(float(x), 6) for x in lr.coef_[0]],
             "intercept": round(float(lr.intercept_[0]), 6), "threshold": threshold,
             "error_above": ERROR_ABOVE, "info_below": INFO_BELOW,
             "cv": {"folds": a.folds, "split": "outlet", "auc": round(float(roc_auc_score(y, p)), 4),
                    "phrase_auc": round(float(roc_auc_score(yp, ph)), 4),
                    **({"precision": round(best[2], 4), "recall": round(best[3], 4),
                        "f1": round(best[1], 4)} if best else {})},
             "trained_on": {"fold": "dev", "candidates": int(len(y)), "positives": int(y.sum()),
                            "C": a.C, "cap": a.cap, "date": dt.date.today().isoformat()}}
    if a.dry_run:
        return 0
    data = {"about": "Learned weights of translation candidates (audit/learn/weights.py); written by "
                     "scripts/train_translation_weights.py from the real development fold.",
            "feature_words": FEATURE_WORDS, "models": {"translation": model}}
    a.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
