"""The real-text corpus: verify the third-party texts, check label parts, build gold files per fold.

The texts are real articles pulled byte for byte from the `search` tool (corpus `pages`); they
are third-party copy and never enter this repository. What is committed is `realtext/parts/*.yaml`:
per document the URL, query, rank, sha256 and metadata, and the labels in the gold format
(shared/gold/README.md) with short surfaces. This script joins the two:

    python scripts/realtext.py verify [--texts DIR]             # every text present, sha256 right
    python scripts/realtext.py check realtext/parts/X.yaml      # one part: texts, spans resolve
    python scripts/realtext.py gold --fold dev --out dev.yaml   # a gold file for `audit eval` (dev|test|fresh)
    python scripts/realtext.py folds                            # which outlets are in which fold
    python scripts/realtext.py stats                            # counts by origin, event, fold

Folds are split by OUTLET, so no outlet's house style is in both. `realtext/folds.yaml` freezes
the fold of every outlet of the first four parts; an outlet not in it goes by its own hash. The
first split (every third outlet of a hash-sorted list per origin class) moved outlets while texts
were still landing, which is why it is frozen. `fresh` is the parts marked with a top-level
`fold:` key: pulled after the detectors were built, on events and outlets nobody had seen.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "realtext" / "parts"
FOLDS = ROOT / "realtext" / "folds.yaml"
DEFAULT_TEXTS = Path("/work/realtext/texts")
DOC_KEYS = {"url", "query", "rank", "sha256", "chars", "outlet", "origin", "origin_basis",
            "published", "event", "note"}
REQUIRED = ("url", "query", "rank", "sha256", "outlet", "origin", "event")
LIST_KEYS = ("entities", "findings", "ignore", "claims")
MAX_WORDS = 10


def origin_class(origin: str) -> str:
    """native / translated / respun: the classes the fold split keeps balanced. Any language
    code but English is a translation (the same reading as `audit eval`'s provenance score)."""
    from audit.evaluate_docs import is_translated
    if is_translated(origin):
        return "translated"
    return "respun" if origin.startswith("en-") else "native"


def outlet_key(outlet: str) -> str:
    """One outlet however a labeller wrote it ("Xinhua English" = "xinhua")."""
    k = re.sub(r"[^a-z0-9]+", " ", outlet.casefold())
    k = re.sub(r"\b(english|edition|online|news agency|the)\b", " ", k)
    return " ".join(k.split())


def load_parts(parts_dir: Path = PARTS) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for p in sorted(parts_dir.glob("*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        out.append((p, data))
    return out


def assign_folds(docs: dict[str, dict[str, Any]], frozen: dict[str, str] | None = None) -> dict[str, str]:
    """outlet key -> 'dev' | 'test': the frozen table first (realtext/folds.yaml), then each new
    outlet by its own hash, so adding texts never moves an outlet between folds."""
    frozen = load_frozen() if frozen is None else frozen
    folds = {}
    for meta in docs.values():
        k = outlet_key(str(meta["outlet"]))
        folds[k] = frozen.get(k) or ("test" if int(hashlib.sha256(k.encode()).hexdigest(), 16) % 3 == 2 else "dev")
    return folds


def load_frozen() -> dict[str, str]:
    return yaml.safe_load(FOLDS.read_text(encoding="utf-8")) if FOLDS.is_file() else {}


def doc_folds(parts: list[tuple[Path, dict[str, Any]]]) -> dict[str, str]:
    """doc id -> 'dev' | 'test' | 'fresh' | 'fresh2'. A part with a top-level `fold:` is a fresh test part,
    pulled after the detectors were built, on events and outlets nobody had seen."""
    out: dict[str, str] = {}
    docs = all_docs(parts)
    folds = assign_folds({d: m for _, p in parts if not p.get("fold") for d, m in (p.get("documents") or {}).items()})
    for _, p in parts:
        for d, m in (p.get("documents") or {}).items():
            out[d] = _fresh_fold(p) if p.get("fold") else folds[outlet_key(str(m["outlet"]))]
    assert set(out) == set(docs)
    return out


LATER_FRESH = ("fresh2", "fresh3", "fresh4", "fresh5", "fresh6")
FOLDS_ORDER = ("dev", "test", "fresh", *LATER_FRESH)


def _fresh_fold(part: dict[str, Any]) -> str:
    """`fold: fresh2` ... `fresh6` mark the later fresh pulls (new events and outlets
    each, pulled after the previous fresh set had been measured and then trained on); any other
    value is the first fresh set."""
    fold = part.get("fold")
    return fold if fold in LATER_FRESH else "fresh"


def _surfaces(item: dict[str, Any]) -> list[str]:
    out = [str(item[k]) for k in ("span", "line") if k in item]
    for m in item.get("mentions", []) or []:
        out += _surfaces(m)
    return out


def check_part(path: Path, data: dict[str, Any], texts: Path) -> list[str]:
    """Problems of one part: metadata, hashes, long surfaces, spans that do not resolve."""
    errors: list[str] = []
    docs = data.get("documents") or {}
    if not docs:
        return [f"{path}: no documents"]
    for doc_id, meta in docs.items():
        where = f"{path}: documents.{doc_id}"
        missing = [k for k in REQUIRED if k not in (meta or {})]
        if missing:
            errors.append(f"{where}: missing {', '.join(missing)}")
            continue
        unknown = set(meta) - DOC_KEYS
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        errors += _check_text(where, texts / f"{doc_id}.txt", meta)
    for key in LIST_KEYS:
        for i, item in enumerate(data.get(key) or []):
            for s in _surfaces(item):
                if len(s.split()) > MAX_WORDS:
                    errors.append(f"{path}: {key}[{i}]: surface over {MAX_WORDS} words: {s[:60]!r}")
    if not errors:
        errors += _resolve(path, data, texts)
    return errors


def _check_text(where: str, file: Path, meta: dict[str, Any]) -> list[str]:
    if not file.is_file():
        return [f"{where}: text missing: {file}"]
    raw = file.read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
        return [f"{where}: sha256 mismatch for {file}"]
    if "chars" in meta and len(raw.decode("utf-8")) != int(meta["chars"]):
        return [f"{where}: {file} has {len(raw.decode('utf-8'))} characters, manifest says {meta['chars']}"]
    return []


def _resolve(path: Path, data: dict[str, Any], texts: Path) -> list[str]:
    """Resolve every label with audit's own gold loader, so `audit eval` will accept it."""
    from audit.config import Config
    from audit.evaluate import load_documents
    from audit.gold import GoldError, load_gold, resolve_gold
    gold = gold_dict(data["documents"], [data], folds=None)
    with tempfile.TemporaryDirectory() as tmp:
        gpath = Path(tmp) / f"{path.stem}.yaml"
        gpath.write_text(yaml.safe_dump(gold, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            g = load_gold(gpath)
            cfg = Config()
            cfg.language.enabled = False
            docs, _ = load_documents(g, texts, cfg)
            resolve_gold(g, docs)
        except GoldError as e:
            return [f"{path}: {str(e).replace(str(gpath), path.name)}"]
    return []


def gold_dict(docs: dict[str, dict[str, Any]], parts: list[dict[str, Any]],
              folds: dict[str, str] | None, fold: str = "all") -> dict[str, Any]:
    """A gold file (shared/gold/README.md format) for the documents of one fold (`folds`: doc id
    -> fold; None for a single part being checked)."""
    wanted = set(fold.split("+"))
    keep = {d: m for d, m in docs.items() if folds is None or fold == "all" or folds[d] in wanted}
    out: dict[str, Any] = {"version": 1, "documents": {}}
    for d, m in keep.items():
        meta = {k: m[k] for k in ("outlet", "origin", "published", "event") if k in m}
        if "published" in meta:
            meta["published"] = str(meta["published"])
        if folds is not None:
            meta["fold"] = folds[d]
        out["documents"][d] = meta
    entities = [e for p in parts for e in p.get("entities") or []]
    out["entities"] = entities
    for key in ("findings", "ignore"):
        out[key] = [i for p in parts for i in p.get(key) or [] if i.get("doc") in keep]
    claims = []
    for p in parts:
        for c in p.get("claims") or []:
            ms = [m for m in c.get("mentions") or [] if m.get("doc") in keep]
            if len(ms) < 2:
                continue
            claim = {**c, "mentions": ms}
            if c.get("discrepancy") and len({m.get("value") for m in ms if "value" in m}) < 2:
                claim["discrepancy"] = False      # the fold kept only outlets that agree
            claims.append(claim)
    out["claims"] = claims
    return out


def all_docs(parts: list[tuple[Path, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for p, data in parts:
        for d, m in (data.get("documents") or {}).items():
            if d in docs:
                raise SystemExit(f"{p}: document id {d} is also in another part")
            docs[d] = m
    return docs


def _fold_arg(value: str) -> str:
    names = value.split("+")
    bad = [n for n in names if n not in (*FOLDS_ORDER, "all")]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown fold {bad[0]!r} ({', '.join(FOLDS_ORDER)}, all)")
    return value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of the texts (outside the repo)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("verify")
    c = sub.add_parser("check")
    c.add_argument("parts", nargs="+", type=Path)
    g = sub.add_parser("gold")
    g.add_argument("--fold", type=_fold_arg, default="dev",
                   help=", ".join(FOLDS_ORDER) + ", all, or several joined by + (dev+test)")
    g.add_argument("--out", type=Path, required=True)
    sub.add_parser("folds")
    sub.add_parser("stats")
    a = ap.parse_args(argv)

    if a.cmd == "check":
        errors = []
        for p in a.parts:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            errors += check_part(p, data, a.texts)
        print("\n".join(errors) or f"ok: {len(a.parts)} part(s)")
        return 1 if errors else 0
    parts = load_parts()
    docs = all_docs(parts)
    if a.cmd == "verify":
        bad = [e for d, m in docs.items() for e in _check_text(d, a.texts / f"{d}.txt", m)]
        print("\n".join(bad) or f"ok: {len(docs)} texts verified in {a.texts}")
        return 1 if bad else 0
    folds = doc_folds(parts)
    if a.cmd == "gold":
        gold = gold_dict(docs, [p for _, p in parts], folds, a.fold)
        a.out.write_text(yaml.safe_dump(gold, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"{a.out}: {len(gold['documents'])} documents, {len(gold['findings'])} findings, "
              f"{len(gold['claims'])} claims ({a.fold} fold)")
        return 0
    if a.cmd == "folds":
        for k, f in sorted({outlet_key(str(m["outlet"])): folds[d] for d, m in docs.items()}.items()):
            print(f"{f:5} {k}")
        return 0
    _stats(docs, folds)
    return 0


def _stats(docs: dict[str, dict[str, Any]], fold_of: dict[str, str]) -> None:
    print(f"{len(docs)} texts, {len({outlet_key(str(m['outlet'])) for m in docs.values()})} outlets")
    for name, key in (("origin", lambda m: str(m["origin"])), ("class", lambda m: origin_class(str(m["origin"]))),
                      ("event", lambda m: str(m["event"]))):
        cnt = Counter((key(m), fold_of[d]) for d, m in docs.items())
        vals = sorted({v for v, _ in cnt})
        print(f"\nby {name} ({'+'.join(FOLDS_ORDER)}): " + ", ".join(
            f"{v} " + "+".join(str(cnt[(v, f)]) for f in FOLDS_ORDER)
            for v in vals))


if __name__ == "__main__":
    sys.exit(main())
