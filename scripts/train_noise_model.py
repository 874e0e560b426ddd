"""Train the learned noise-line model on the real development fold, print cross-validated scores
split BY OUTLET, and write audit/data/noise_model.json.

    .venv/bin/python scripts/train_noise_model.py              # CV, then train on all dev, write
    .venv/bin/python scripts/train_noise_model.py --dry-run    # CV only
    .venv/bin/python scripts/train_noise_model.py --baselines  # also jusText and the hand weights

What it learns: whether a line is noise (gold noise findings of the dev fold: site chrome,
captions, credits, bylines, repeated text) from structure and statistics only
(audit/boilerplate/features.py: shape, position, recurrence in the batch), never from listed
strings. A logistic regression (scikit-learn) over standardised features; the shipped file holds
means, scales and coefficients, so run time needs only a dot product and every feature's share
of a line's log-odds can be shown as evidence.

Cross-validation folds are outlets (GroupKFold): no outlet's chrome is both trained and scored.
Two figures per fold set: line-level (the model alone, each line one example) and the scorer's
noise F1 (the whole classifier: model plus the pattern library, duplicates, lists, smoothing,
scored by audit's own scorer on the held-out outlets' documents). The intercept shift is the one
with the best cross-validated scorer F1 among those keeping precision >= --min-precision.

Only the dev fold is read; test, fresh and fresh2 are never touched here.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import boilerplate  # noqa: E402
from audit.boilerplate.classify import classify, doc_features  # noqa: E402
from audit.boilerplate.features import FEATURE_WORDS, NAMES  # noqa: E402
from audit.boilerplate.model import DATA_FILE, NoiseModel  # noqa: E402
from audit.boilerplate.patterns import build_library  # noqa: E402
from audit.config import Config  # noqa: E402
from audit.evaluate import load_documents, load_gold, score  # noqa: E402
from audit.gold import resolve_gold  # noqa: E402
from audit.types import Alignment, Document  # noqa: E402

OUT = ROOT / "audit" / "data" / DATA_FILE
SHIFTS = [x / 2 for x in range(-4, 0)]       # intercept shifts tried (log-odds)
PATTERN_SCALES = [1.0, 2.0]             # weight of the pattern library against shape


@dataclass
class Data:
    docs: dict[str, Document]
    gold: object
    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray           # outlet of each line
    doc_of: list[str]            # document of each line


def _gold(fold: str, texts: Path, tmp: Path) -> Path:
    out = tmp / f"real-{fold}.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "realtext.py"), "--texts", str(texts),
                    "gold", "--fold", fold, "--out", str(out)], check=True, capture_output=True)
    return out


def _covered(span, ranges) -> float:
    size = max(1, span.end - span.start)
    return max((min(r.end, span.end) - max(r.start, span.start) for r in ranges
                if r.start < span.end and span.start < r.end), default=0) / size


def load(texts: Path, tmp: Path) -> Data:
    """The dev fold's lines: features, labels (1 = a gold noise finding covers most of the line,
    0 = no noise finding touches it; lines partly noise or mostly doubtful are left out)."""
    gold = load_gold(_gold("dev", texts, tmp))
    cfg = Config()
    docs, _ = load_documents(gold, texts, cfg)
    rg = resolve_gold(gold, docs)
    st = cfg.boilerplate
    lib = build_library(st)
    batch = list(docs.values())
    spans = [boilerplate.line_spans(d) for d in batch]
    recs = boilerplate.recurrences(batch, spans, st)
    xs, ys, groups, doc_of = [], [], [], []
    for d, sp, rec in zip(batch, spans, recs):
        noise = [g for g in rg.items if g.doc == d.id and g.family == "noise"]
        ignore = rg.ignore.get(d.id, [])
        f = doc_features(d, sp, lib, st, rec.lookup)
        for s, x in zip(sp, f.x):
            if _covered(s, ignore) > 0.5:
                continue
            cover = _covered(s, noise)
            if 0 < cover <= 0.5:
                continue
            xs.append(x)
            ys.append(int(cover > 0.5))
            groups.append(str(gold.documents[d.id].get("outlet") or d.id))
            doc_of.append(d.id)
    return Data(docs, gold, np.array(xs), np.array(ys), np.array(groups), doc_of)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> NoiseModel:
    from sklearn.linear_model import LogisticRegression
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit((x - mean) / scale, y)
    return NoiseModel.standardised(NAMES, mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def fit_standardised_coef(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """The coefficients on standardised features (comparable across features, for the log)."""
    from sklearn.linear_model import LogisticRegression
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return LogisticRegression(C=c, max_iter=2000).fit((x - x.mean(axis=0)) / scale, y).coef_[0]


def shifted(m: NoiseModel, shift: float, pattern_scale: float = 1.0) -> NoiseModel:
    return NoiseModel(m.names, m.weight, m.intercept + shift, pattern_scale)


def _folds(data: Data, k: int):
    from sklearn.model_selection import GroupKFold
    return list(GroupKFold(n_splits=k).split(data.x, data.y, data.groups))


def line_cv(data: Data, k: int, c: float) -> dict:
    """The model alone, one example per line, held-out outlets."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score
    p_lr, p_gb = np.zeros(len(data.y)), np.zeros(len(data.y))
    for tr, te in _folds(data, k):
        m = fit(data.x[tr], data.y[tr], c)
        p_lr[te] = [1 / (1 + np.exp(-m.logit(list(r)))) for r in data.x[te]]
        gb = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3)
        gb.fit(data.x[tr], data.y[tr])
        p_gb[te] = gb.predict_proba(data.x[te])[:, 1]
    out = {}
    for name, p in (("logistic regression", p_lr), ("gradient boosting", p_gb)):
        pred = p >= 0.5
        tp = int((pred & (data.y == 1)).sum())
        prec = tp / max(1, pred.sum())
        rec = tp / max(1, (data.y == 1).sum())
        out[name] = {"auc": roc_auc_score(data.y, p), "ap": average_precision_score(data.y, p),
                     "precision@0.5": prec, "recall@0.5": rec,
                     "f1@0.5": 2 * prec * rec / max(1e-9, prec + rec)}
    return out


def _noise_score(data: Data, docs: list[Document], findings) -> tuple[float, float, float, int, int]:
    res = score(data.gold, data.docs, findings, Alignment())
    n = res.families["noise"]
    return n.precision, n.recall, n.f1, n.tp, n.fp


def _findings(data: Data, st, models: dict[str, NoiseModel | None]):
    """Noise findings of the whole dev fold, each document classified by its fold's model
    (recurrence over the whole fold, as a run of that batch would see it)."""
    lib = build_library(st)
    batch = copy.deepcopy(list(data.docs.values()))     # apply_verdicts retitles documents
    spans = [boilerplate.line_spans(d) for d in batch]
    recs = boilerplate.recurrences(batch, spans, st)
    out = []
    for d, sp, rec in zip(batch, spans, recs):
        v = classify(d, sp, lib, st, rec.lookup, rec.name, models[d.id])
        out += boilerplate.apply_verdicts(d, v, lib, st)
    return out


def _cv_models(data: Data, k: int, c: float) -> dict[str, NoiseModel]:
    """Per document, the model trained on the other outlets' folds."""
    per_doc: dict[str, NoiseModel] = {}
    for tr, te in _folds(data, k):
        m = fit(data.x[tr], data.y[tr], c)
        for i in te:
            per_doc[data.doc_of[i]] = m
    fallback = fit(data.x, data.y, c)       # a document with no usable line
    return {d: per_doc.get(d, fallback) for d in data.docs}


def scorer_cv(data: Data, k: int, c: float, grid=None, patterns: bool = True
              ) -> dict[tuple[float, float], tuple]:
    """The whole classifier, each document judged by a model trained on the other outlets;
    `patterns=False` switches the whole pattern library off (what structure alone does)."""
    st = Config().boilerplate
    if not patterns:
        from audit.boilerplate.patterns import _shipped
        st = st.model_copy(update={"disable": [p.name for p in _shipped()[0]]})
    per_doc = _cv_models(data, k, c)
    out = {}
    for shift, scale in grid or [(s, p) for p in PATTERN_SCALES for s in SHIFTS]:
        models = {d: shifted(m, shift, scale) for d, m in per_doc.items()}
        out[(shift, scale)] = _noise_score(data, list(data.docs.values()),
                                           _findings(data, st, models))
    return out


def baselines(data: Data) -> dict[str, tuple]:
    """The hand-weighted classifier (no model) and jusText, scored the same way on dev."""
    st = Config().boilerplate.model_copy(update={"model": False})
    out = {"hand weights (model: false)": _noise_score(
        data, list(data.docs.values()), _findings(data, st, {d: None for d in data.docs}))}
    out["jusText (lines as paragraphs)"] = _noise_score(data, list(data.docs.values()),
                                                        _justext_findings(data))
    return out


def _justext_findings(data: Data):
    """jusText's own classifier (stop-word density, length, link density, neighbours) with each
    line as an HTML paragraph; a line it calls bad is predicted noise."""
    import html

    import justext

    from audit.types import Finding
    out = []
    for d in data.docs.values():
        spans = boilerplate.line_spans(d)
        page = "<html><body>" + "".join(f"<p>{html.escape(d.text[s.start:s.end])}</p>"
                                        for s in spans) + "</body></html>"
        paras = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"))
        if len(paras) != len(spans):
            continue
        for s, p in zip(spans, paras):
            if p.is_boilerplate:
                out.append(Finding.at(d, s.start, s.end, "boilerplate", "info", "jusText",
                                      "justext"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=Path("/work/realtext/texts"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    ap.add_argument("--min-precision", type=float, default=0.97,
                    help="content lines must stay content: the CV precision to keep")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--baselines", action="store_true")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = load(a.texts, Path(tmp))
    print(f"dev fold: {len(data.docs)} documents, {len(set(data.groups))} outlets, "
          f"{len(data.y)} lines ({int(data.y.sum())} noise)")
    print(f"line-level CV, {a.folds} folds split by outlet:")
    for name, r in line_cv(data, a.folds, a.c).items():
        print(f"  {name:<20} " + "  ".join(f"{k} {v:.3f}" for k, v in r.items()))
    if a.baselines:
        for name, (p, r, f1, tp, fp) in baselines(data).items():
            print(f"  baseline {name:<32} noise P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    cv = scorer_cv(data, a.folds, a.c)
    print(f"scorer noise F1, whole classifier, {a.folds}-fold CV by outlet "
          "(shift: of the intercept; patterns: scale of the pattern weights):")
    for (shift, scale), (p, r, f1, tp, fp) in cv.items():
        print(f"  shift {shift:+.2f} patterns x{scale:.1f}: P {p:.3f} R {r:.3f} F1 {f1:.3f} "
              f"(tp {tp}, fp {fp})")
    ok = {k: v for k, v in cv.items() if v[0] >= a.min_precision} or cv
    # ties (the dev fold has few prose-shaped chrome lines, so the pattern scale often makes
    # no difference there): the larger pattern scale, since the patterns are the known cases
    best = max(ok, key=lambda k: (ok[k][2], ok[k][0], k[1], -abs(k[0])))
    p, r, f1 = cv[best][:3]
    print(f"chosen shift {best[0]:+.2f}, patterns x{best[1]:.1f}: CV by outlet P {p:.3f} "
          f"R {r:.3f} F1 {f1:.3f}")
    sp, sr, sf1 = scorer_cv(data, a.folds, a.c, [best], patterns=False)[best][:3]
    print(f"  the same without the pattern library (structure and statistics only): "
          f"P {sp:.3f} R {sr:.3f} F1 {sf1:.3f}")
    model = shifted(fit(data.x, data.y, a.c), *best)
    std = fit_standardised_coef(data.x, data.y, a.c)
    top = sorted(zip(NAMES, std), key=lambda t: -abs(t[1]))
    print("coefficients (standardised):", ", ".join(f"{n} {c:+.2f}" for n, c in top))
    if a.dry_run:
        return 0
    OUT.write_text(json.dumps({
        "about": "Learned noise-line model (audit/boilerplate/model.py); written by "
                 "scripts/train_noise_model.py from the real development fold's noise labels.",
        "trained": dt.date.today().isoformat(),
        "lines": int(len(data.y)), "noise_lines": int(data.y.sum()),
        "outlets": len(set(data.groups)), "c": a.c, "intercept_shift": best[0],
        "cv_by_outlet": {"folds": a.folds, "precision": round(p, 4), "recall": round(r, 4),
                         "f1": round(f1, 4),
                         "without_patterns": {"precision": round(sp, 4), "recall": round(sr, 4),
                                              "f1": round(sf1, 4)}},
        "feature_words": FEATURE_WORDS,
        "model": model.to_dict(),
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
