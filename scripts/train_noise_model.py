"""Train the learned noise-line model on the real development folds, print cross-validated scores
split BY OUTLET and BY EVENT, and write audit/data/noise_model.json.

    .venv/bin/python scripts/train_noise_model.py              # CV, then train on all, write
    .venv/bin/python scripts/train_noise_model.py --dry-run    # CV only
    .venv/bin/python scripts/train_noise_model.py --baselines  # also jusText and the hand weights
    .venv/bin/python scripts/train_noise_model.py --dry-run --shipped   # the shipped file, CV-scored
    .venv/bin/python scripts/train_noise_model.py --dry-run --errors /tmp/noise-errors.txt

What it learns: whether a line is noise (gold noise findings of the dev fold: site chrome,
captions, credits, bylines, repeated text) from structure and statistics only
(audit/boilerplate/features.py: shape, position, recurrence in the batch), never from listed
strings. A logistic regression (scikit-learn) over standardised features; the shipped file holds
means, scales and coefficients, so run time needs only a dot product and every feature's share
of a line's log-odds can be shown as evidence.

Cross-validation folds are outlets (GroupKFold): no outlet's chrome is both trained and scored;
then leave-one-event-out (no story's pages on both sides). The chosen settings are the best by
outlet CV; the event CV is printed beside them as the check of what holds on unseen stories.
Two figures per fold set: line-level (the model alone, each line one example) and the scorer's
noise F1 (the whole classifier: model plus the pattern library, duplicates, lists, smoothing,
scored by audit's own scorer on the held-out outlets' documents). The intercept shift is the one
with the best cross-validated scorer F1 among those keeping precision >= --min-precision.

Training folds: dev, test, fresh, fresh2, fresh3, fresh4 and fresh5 (all are development data since
the fresh6 pull; `--folds` picks fewer). fresh6 is the final unseen measurement: the script refuses it.
Per class (chrome, counters, teasers, taglines, agency tags, copyright, captions, bylines,
another script, duplicates), recall of the gold noise lines and the false positives are printed.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import boilerplate  # noqa: E402
from audit.boilerplate.classify import classify, doc_features  # noqa: E402
from audit.boilerplate.features import FEATURE_WORDS, NAMES  # noqa: E402
from audit.boilerplate.model import DATA_FILE, NoiseModel, shipped_model  # noqa: E402
from audit.boilerplate.patterns import build_library  # noqa: E402
from audit.config import Config  # noqa: E402
from audit.evaluate import EvalResult, load_documents, load_gold, score  # noqa: E402
from audit.gold import resolve_gold  # noqa: E402
from audit.types import Alignment, Document  # noqa: E402

OUT = ROOT / "audit" / "data" / DATA_FILE
TRAIN_FOLDS = "dev+test+fresh+fresh2+fresh3+fresh4+fresh5"
FORBIDDEN = {"fresh6", "all"}                # the final unseen measurement is never trained on
# Intercept shifts tried (log-odds). The shipped model uses -1.5 (--grid=-1.5:2): -1.0 and -0.5
# scored CV F1 0.891/0.894 against 0.888 but put content lines of the synthetic fixtures over the
# threshold through neighbour smoothing (tests/test_boilerplate.py).
SHIFTS = [x / 2 for x in range(-4, 1)]
PATTERN_SCALES = [1.0, 2.0]             # weight of the pattern library against shape


@dataclass
class Data:
    docs: dict[str, Document]
    gold: object
    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray           # outlet of each line
    events: np.ndarray           # event (story) of each line
    doc_of: list[str]            # document of each line


def check_folds(folds: str) -> str:
    bad = sorted(set(folds.split("+")) & FORBIDDEN)
    if bad:
        raise SystemExit(f"--folds {folds}: {', '.join(bad)} is the final unseen measurement "
                         "(realtext/README.md); the noise model is never trained or tuned on it")
    return folds


def _gold(fold: str, texts: Path, tmp: Path) -> Path:
    out = tmp / "real-train.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "realtext.py"), "--texts", str(texts),
                    "gold", "--fold", check_folds(fold), "--out", str(out)], check=True,
                   capture_output=True)
    return out


def _covered(span, ranges) -> float:
    size = max(1, span.end - span.start)
    return max((min(r.end, span.end) - max(r.start, span.start) for r in ranges
                if r.start < span.end and span.start < r.end), default=0) / size


def load(texts: Path, tmp: Path, folds: str = TRAIN_FOLDS) -> Data:
    """The folds' lines: features, labels (1 = a gold noise finding covers most of the line,
    0 = no noise finding touches it; lines partly noise or mostly doubtful are left out)."""
    gold = load_gold(_gold(folds, texts, tmp))
    cfg = Config()
    docs, _ = load_documents(gold, texts, cfg)
    rg = resolve_gold(gold, docs)
    st = cfg.boilerplate
    lib = build_library(st)
    batch = list(docs.values())
    spans = [boilerplate.line_spans(d) for d in batch]
    recs = boilerplate.recurrences(batch, spans, st)
    xs, ys, groups, events, doc_of = [], [], [], [], []
    for d, sp, rec in zip(batch, spans, recs):
        noise = [g for g in rg.items if g.doc == d.id and g.family == "noise"]
        ignore = rg.ignore.get(d.id, [])
        f = doc_features(d, sp, lib, st, rec.lookup)
        meta = gold.documents[d.id]
        for s, x in zip(sp, f.x):
            if _covered(s, ignore) > 0.5:
                continue
            cover = _covered(s, noise)
            if 0 < cover <= 0.5:
                continue
            xs.append(x)
            ys.append(int(cover > 0.5))
            groups.append(str(meta.get("outlet") or d.id))
            events.append(str(meta.get("event") or d.id))
            doc_of.append(d.id)
    return Data(docs, gold, np.array(xs), np.array(ys), np.array(groups), np.array(events),
                doc_of)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> NoiseModel:
    from sklearn.linear_model import LogisticRegression
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=4000)
    lr.fit((x - mean) / scale, y)
    return NoiseModel.standardised(NAMES, mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def fit_standardised_coef(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """The coefficients on standardised features (comparable across features, for the log)."""
    from sklearn.linear_model import LogisticRegression
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return LogisticRegression(C=c, max_iter=4000).fit((x - x.mean(axis=0)) / scale, y).coef_[0]


def shifted(m: NoiseModel, shift: float, pattern_scale: float = 1.0) -> NoiseModel:
    return NoiseModel(m.names, m.weight, m.intercept + shift, pattern_scale)


def _folds(data: Data, k: int, by: str = "outlet"):
    """Train/test line indexes: k folds of outlets, or one fold per event."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut
    if by == "event":
        return list(LeaveOneGroupOut().split(data.x, data.y, data.events))
    return list(GroupKFold(n_splits=k).split(data.x, data.y, data.groups))


def line_cv(data: Data, k: int, c: float, by: str = "outlet") -> dict:
    """The model alone, one example per line, held-out outlets (or events)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score
    p_lr, p_gb = np.zeros(len(data.y)), np.zeros(len(data.y))
    for tr, te in _folds(data, k, by):
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


def _noise_result(data: Data, findings) -> EvalResult:
    return score(data.gold, data.docs, findings, Alignment())


def _noise_score(res: EvalResult) -> tuple[float, float, float, int, int]:
    n = res.families["noise"]
    return n.precision, n.recall, n.f1, n.tp, n.fp


def _findings(data: Data, st, models: dict[str, NoiseModel | None]):
    """Noise findings of all the folds' documents, each classified by its CV fold's model
    (recurrence over the whole pool, as a run of that batch would see it)."""
    lib = build_library(st)
    batch = copy.deepcopy(list(data.docs.values()))     # apply_verdicts retitles documents
    spans = [boilerplate.line_spans(d) for d in batch]
    recs = boilerplate.recurrences(batch, spans, st)
    out = []
    for d, sp, rec in zip(batch, spans, recs):
        v = classify(d, sp, lib, st, rec.lookup, rec.name, models[d.id])
        out += boilerplate.apply_verdicts(d, v, lib, st)
    return out


def _cv_models(data: Data, k: int, c: float, by: str = "outlet") -> dict[str, NoiseModel]:
    """Per document, the model trained on the other outlets' (events') folds."""
    per_doc: dict[str, NoiseModel] = {}
    for tr, te in _folds(data, k, by):
        m = fit(data.x[tr], data.y[tr], c)
        for i in te:
            per_doc[data.doc_of[i]] = m
    fallback = fit(data.x, data.y, c)       # a document with no usable line
    return {d: per_doc.get(d, fallback) for d in data.docs}


def _settings(patterns: bool = True):
    st = Config().boilerplate
    if not patterns:
        from audit.boilerplate.patterns import _shipped
        st = st.model_copy(update={"disable": [p.name for p in _shipped()[0]]})
    return st


def scorer_cv(data: Data, k: int, c: float, grid=None, patterns: bool = True,
              by: str = "outlet") -> dict[tuple[float, float], EvalResult]:
    """The whole classifier, each document judged by a model trained on the other outlets (or
    events); `patterns=False` switches the whole pattern library off (structure alone)."""
    st = _settings(patterns)
    per_doc = _cv_models(data, k, c, by)
    out = {}
    for shift, scale in grid or [(s, p) for p in PATTERN_SCALES for s in SHIFTS]:
        models = {d: shifted(m, shift, scale) for d, m in per_doc.items()}
        out[(shift, scale)] = _noise_result(data, _findings(data, st, models))
    return out


def shipped_result(data: Data) -> EvalResult:
    """The shipped model file as it is (trained on what it was trained on: optimistic on its
    own training documents; the reference point before a retrain)."""
    m = shipped_model()
    return _noise_result(data, _findings(data, _settings(), {d: m for d in data.docs}))


# --- per class: what the gold noise lines are, for the error report ------------------------

_CLASSES: list[tuple[str, re.Pattern[str]]] = [
    ("agency tag", re.compile(r"^\(?[A-Z]{3,}\b.{0,30}\)|MENAFN|^\W*[A-Z]{2,}\s*[-–—]\s*$")),
    ("copyright", re.compile(r"©|copyright|all rights reserved|\(c\)\s*\d{4}", re.I)),
    ("read-more teaser", re.compile(r"read (?:more|also|next|full)|continue reading|»\s*$|"
                                    r"see also|related|more from|also read", re.I)),
    ("counter/reading stats", re.compile(r"^\W*\d[\d,.]*\s*(?:k|m)?\W*$|\b(?:min(?:ute)?s?|sec)\s*"
                                         r"read\b|\bviews?\b|\bcomments?\b|\bshares?\b|"
                                         r"\blikes?\b|\d+\s*(?:hours?|days?|mins?)\s+ago", re.I)),
]


def noise_class(text: str, kind: str) -> str:
    """A reporting bucket for a noise line (gold or predicted): kind first, then shape."""
    if kind in ("caption", "byline", "duplicate"):
        return {"caption": "caption/credit"}.get(kind, kind)
    t = text.strip()
    letters = [c for c in t if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) >= 0.5:
        return "another script"
    for name, rx in _CLASSES:
        if rx.search(t):
            return name
    words = t.split()
    if len(words) <= 2 and not re.search(r"[.!?]$", t):
        return "one/two-word chrome"
    if len(words) <= 12 and not re.search(r"[.!?]$", t):
        return "short chrome/tagline"
    return "long chrome (sentences)"


def per_class(res: EvalResult) -> dict[str, list[int]]:
    """class -> [gold, gold hit, false positives]."""
    out: dict[str, list[int]] = {}
    for g in res.gold:
        if g.family != "noise" or g.finding.optional:
            continue
        row = out.setdefault(noise_class(g.text, g.finding.kind), [0, 0, 0])
        row[0] += 1
        row[1] += bool(g.hit_by)
    for p in res.false_positives():
        if p.family == "noise":
            out.setdefault(noise_class(p.finding.text, p.finding.kind), [0, 0, 0])[2] += 1
    return out


def per_fold(res: EvalResult, data: Data) -> dict[str, tuple[float, float, float]]:
    """Noise P/R/F1 of the CV predictions on each real-text fold's documents."""
    fold = {d: str(m.get("fold")) for d, m in data.gold.documents.items()}
    n: dict[str, list[int]] = {}
    for g in res.gold:
        if g.family == "noise" and not g.finding.optional:
            row = n.setdefault(fold[g.doc], [0, 0, 0, 0])
            row[0] += 1
            row[1] += bool(g.hit_by)
    for p in res.predictions:
        if p.family == "noise" and p.status in ("hit", "fp", "acceptable"):
            row = n.setdefault(fold[p.finding.doc_id], [0, 0, 0, 0])
            row[2 if p.status == "hit" else 3] += 1
    out = {}
    for f, (gold, hit, tp, fp) in sorted(n.items()):
        prec, rec = tp / max(1, tp + fp), hit / max(1, gold)
        out[f] = (prec, rec, 2 * prec * rec / max(1e-9, prec + rec))
    return out


def print_classes(title: str, res: EvalResult) -> None:
    print(f"  per class ({title}): class  gold  recall  false-positives")
    for name, (n, hit, fp) in sorted(per_class(res).items(), key=lambda t: -t[1][0]):
        print(f"    {name:<26} {n:4d}  {hit / n if n else 0:5.2f}  {fp:4d}")


def write_errors(path: Path, res: EvalResult, data: Data) -> None:
    """Misses and false positives with their class, document fold and outlet (for a reader
    tuning on the development folds; never run on fresh6)."""
    lines = []
    for g in res.misses():
        if g.family == "noise":
            m = data.gold.documents[g.doc]
            lines.append(f"MISS\t{noise_class(g.text, g.finding.kind)}\t{g.finding.kind}\t"
                         f"{m.get('fold')}\t{g.doc}\t{g.text[:150]!r}")
    for p in res.false_positives():
        if p.family == "noise":
            f = p.finding
            m = data.gold.documents[f.doc_id]
            cues = ", ".join(f"{c['name']} {c['weight']:+.1f}" for c in
                             (f.evidence or {}).get("cues", [])[:5])
            lines.append(f"FP\t{noise_class(f.text, f.kind)}\t{f.kind}\t{m.get('fold')}\t"
                         f"{f.doc_id}\t{f.text[:150]!r}\t{cues}")
    path.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(lines)} rows)")


def _row(res: EvalResult) -> str:
    p, r, f1, tp, fp = _noise_score(res)
    return f"P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=Path("/work/realtext/texts"))
    ap.add_argument("--folds", default=TRAIN_FOLDS, type=check_folds,
                    help=f"real-text folds to train on, joined by + (default {TRAIN_FOLDS}; "
                         "never fresh6)")
    ap.add_argument("--k", type=int, default=5, help="outlet folds of the CV")
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    ap.add_argument("--min-precision", type=float, default=0.95,
                    help="content lines must stay content: the CV precision to keep")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--baselines", action="store_true")
    ap.add_argument("--shipped", action="store_true",
                    help="also score the shipped model file as it is")
    ap.add_argument("--no-event-cv", action="store_true")
    ap.add_argument("--grid", default=None, metavar="SHIFT:SCALE,...",
                    help="only these (intercept shift, pattern scale) pairs, e.g. --grid=-1:2,0:2")
    ap.add_argument("--errors", type=Path, help="write the CV misses and false positives here")
    ap.add_argument("--drop", default="", metavar="FEATURE,...",
                    help="ablation: these features held at zero (the CV before a feature)")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = load(a.texts, Path(tmp), a.folds)
    dropped = [n for n in a.drop.split(",") if n]
    if dropped:
        unknown = sorted(set(dropped) - set(NAMES))
        if unknown:
            raise SystemExit(f"--drop: unknown features {', '.join(unknown)}")
        data.x[:, [NAMES.index(n) for n in dropped]] = 0.0
        print(f"ablation: {', '.join(dropped)} held at zero")
    print(f"folds {a.folds}: {len(data.docs)} documents, {len(set(data.groups))} outlets, "
          f"{len(set(data.events))} events, {len(data.y)} lines ({int(data.y.sum())} noise)")
    if a.shipped:
        res = shipped_result(data)
        print(f"shipped model file as it is: {_row(res)}")
        print_classes("shipped", res)
    print(f"line-level CV, {a.k} folds split by outlet:")
    for name, r in line_cv(data, a.k, a.c).items():
        print(f"  {name:<20} " + "  ".join(f"{k} {v:.3f}" for k, v in r.items()))
    if a.baselines:
        for name, res in baselines(data).items():
            print(f"  baseline {name:<32} noise {_row(res)}")
    grid = ([tuple(float(v) for v in g.split(":")) for g in a.grid.split(",")]
            if a.grid else None)
    cv = scorer_cv(data, a.k, a.c, grid)
    print(f"scorer noise, whole classifier, {a.k}-fold CV by outlet "
          "(shift: of the intercept; patterns: scale of the pattern weights):")
    for (shift, scale), res in cv.items():
        print(f"  shift {shift:+.2f} patterns x{scale:.1f}: {_row(res)}")
    scores = {k: _noise_score(v) for k, v in cv.items()}
    ok = {k: v for k, v in scores.items() if v[0] >= a.min_precision} or scores
    # ties: the larger pattern scale (the patterns are the known cases), the smaller shift
    best = max(ok, key=lambda k: (ok[k][2], ok[k][0], k[1], -abs(k[0])))
    p, r, f1 = scores[best][:3]
    print(f"chosen shift {best[0]:+.2f}, patterns x{best[1]:.1f}: CV by outlet {_row(cv[best])}")
    print_classes("CV by outlet", cv[best])
    print("  per fold (CV by outlet): " + "; ".join(
        f"{f} P {p_:.2f} R {r_:.2f} F1 {f_:.2f}" for f, (p_, r_, f_) in per_fold(cv[best], data).items()))
    if a.errors:
        write_errors(a.errors, cv[best], data)
    ev = None
    if not a.no_event_cv:
        ev = _noise_score(scorer_cv(data, a.k, a.c, [best], by="event")[best])
        print(f"  leave-one-event-out ({len(set(data.events))} events): "
              f"P {ev[0]:.3f} R {ev[1]:.3f} F1 {ev[2]:.3f}")
    sp, sr, sf1 = _noise_score(scorer_cv(data, a.k, a.c, [best], patterns=False)[best])[:3]
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
                 "scripts/train_noise_model.py from the real-text folds' noise labels.",
        "trained": dt.date.today().isoformat(),
        "command": " ".join(["scripts/train_noise_model.py", *(argv if argv is not None
                                                              else sys.argv[1:])]),
        "folds": a.folds,
        "lines": int(len(data.y)), "noise_lines": int(data.y.sum()),
        "outlets": len(set(data.groups)), "events": len(set(data.events)),
        "c": a.c, "intercept_shift": best[0],
        "cv_by_outlet": {"folds": a.k, "precision": round(p, 4), "recall": round(r, 4),
                         "f1": round(f1, 4),
                         "without_patterns": {"precision": round(sp, 4), "recall": round(sr, 4),
                                              "f1": round(sf1, 4)}},
        **({"cv_by_event": {"precision": round(ev[0], 4), "recall": round(ev[1], 4),
                            "f1": round(ev[2], 4)}} if ev else {}),
        "feature_words": FEATURE_WORDS,
        "model": model.to_dict(),
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


def baselines(data: Data) -> dict[str, EvalResult]:
    """The hand-weighted classifier (no model) and jusText, scored the same way."""
    st = Config().boilerplate.model_copy(update={"model": False})
    out = {"hand weights (model: false)": _noise_result(
        data, _findings(data, st, {d: None for d in data.docs}))}
    out["jusText (lines as paragraphs)"] = _noise_result(data, _justext_findings(data))
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

if __name__ == "__main__":
    sys.exit(main())
