"""Learn the cost of each vowel move and doubled letter from labelled spellings, and write the
table audit/names/edits.py reads (audit/data/edit_costs.yaml).

Training pairs (reference spelling, other spelling, label):
  - the gazetteer: every pair of an entry's canonical and aliases is acceptable (both ways);
    canonical -> known_bad and canonical -> foreign forms are damage;
  - gold files (shared/gold/README.md format): canonical and `acceptable` spellings -> each
    other (acceptable), and -> `garbled` / `foreign` spellings (damage). Only spellings that
    occur in the gold file's own documents count, so a gold file that lists spellings seen in
    other folds teaches nothing about them.

Names are compared token by token (same number of name tokens, or a lone token against the
reference token it matches); only pairs whose consonants agree give moves (edits.moves).
Each move's cost is the smoothed log-odds that a spelling making it is damage:

    cost(move) = ln((damaged + B * q) / (acceptable + B * (1 - q)))

where q is the damage rate of the move's kind (vowel-change, vowel-drop, vowel-add, double,
undouble) with add-one smoothing and B = 2: a move seen rarely takes its kind's cost.

    python -m audit.names.learn_costs --gold dev.yaml --docs TEXTS [--out audit/data/edit_costs.yaml]
"""
from __future__ import annotations

import argparse
import math
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from audit.names.edits import Move, moves
from audit.names.gazetteer import form_names, shipped_entries
from audit.names.translit import fold

BACKOFF = 2.0
KINDS = ("vowel-change", "vowel-drop", "vowel-add", "double", "undouble")


@dataclass(frozen=True)
class Pair:
    ref: str
    var: str
    damaged: bool
    source: str


def _token_moves(ref: str, var: str) -> tuple[Move, ...] | None:
    """Moves between two names: token by token, or a lone token against its best match."""
    r, v = form_names(ref), form_names(var)
    if not r or not v:
        return None
    if len(r) != len(v):
        if len(v) != 1:
            return None
        cands = [moves(t, v[0]) for t in r]
        cands = [c for c in cands if c is not None]
        return min(cands, key=len) if cands else None
    out: list[Move] = []
    for a, b in zip(r, v):
        got = moves(a, b)
        if got is None:
            return None
        out += got
    return tuple(out)


def gazetteer_pairs() -> list[Pair]:
    out = []
    for e in shipped_entries():
        good = [e.canonical, *e.aliases]
        for i, a in enumerate(good):
            for b in good[i + 1:]:
                out += [Pair(a, b, False, "gazetteer"), Pair(b, a, False, "gazetteer")]
        for bad in [*e.known_bad, *(f.form for f in e.foreign)]:
            out.append(Pair(e.canonical, bad, True, "gazetteer"))
    return out


def gold_pairs(gold: dict, texts: Iterable[str]) -> list[Pair]:
    """Pairs from a gold file's entities, keeping spellings its documents contain."""
    corpus = "\n".join(texts)
    seen = lambda s: s in corpus  # noqa: E731
    out = []
    for e in gold.get("entities") or []:
        good = [s for s in dict.fromkeys([e["canonical"], *(e.get("acceptable") or [])])]
        good_seen = [s for s in good if seen(s)]
        for i, a in enumerate(good_seen):
            for b in good_seen[i + 1:]:
                out += [Pair(a, b, False, "gold"), Pair(b, a, False, "gold")]
        for bad in [*(e.get("garbled") or []), *(e.get("foreign") or [])]:
            if not seen(bad):
                continue
            refs = [(r, _token_moves(r, bad)) for r in good]
            refs = [(r, m) for r, m in refs if m]
            if refs:
                ref = min(refs, key=lambda rm: len(rm[1]))[0]
                out.append(Pair(ref, bad, True, "gold"))
    return out


def learn(pairs: list[Pair]) -> dict:
    sym: dict[str, Counter] = {}
    kinds: dict[str, Counter] = {k: Counter() for k in KINDS}
    kind_of: dict[str, str] = {}
    used = Counter()
    for p in pairs:
        ms = _token_moves(p.ref, p.var)
        if not ms or fold(p.ref) == fold(p.var):
            continue
        used["damaged" if p.damaged else "acceptable"] += 1
        for m in set(ms):
            label = "damaged" if p.damaged else "acceptable"
            sym.setdefault(m.symbol, Counter())[label] += 1
            kinds[m.kind][label] += 1
            kind_of[m.symbol] = m.kind
    kind_q = {k: (c["damaged"] + 1) / (c["damaged"] + c["acceptable"] + 2) for k, c in kinds.items()}
    table = {
        "prior": round(math.log((used["damaged"] + 1) / (used["acceptable"] + 1)), 3),
        "pairs": dict(used),
        "kinds": {k: {"cost": round(math.log(q / (1 - q)), 3), "damaged": kinds[k]["damaged"],
                      "acceptable": kinds[k]["acceptable"]} for k, q in kind_q.items()},
        "moves": {},
    }
    for s in sorted(sym, key=lambda s: (kind_of[s], s)):
        c, q = sym[s], kind_q[kind_of[s]]
        cost = math.log((c["damaged"] + BACKOFF * q) / (c["acceptable"] + BACKOFF * (1 - q)))
        table["moves"][s] = {"cost": round(cost, 3), "kind": kind_of[s],
                             "damaged": c["damaged"], "acceptable": c["acceptable"]}
    return table


HEADER = """\
# Learned costs of letter changes between two spellings of one name (audit/names/edits.py).
# Written by `python -m audit.names.learn_costs`; do not edit by hand, re-learn instead.
#
# A move is one difference in a vowel run or a doubled letter, the consonants otherwise equal:
# "ou→u" (Bazoum/Bazum), "mm→m" (Mohammed/Mohamed), "e→∅" (a final vowel dropped).
# cost: the log-odds that a spelling making the move is damage (garbled or foreign) rather
# than an acceptable variant; positive = damage. damaged / acceptable: training pairs with it.
# kinds: the cost of a move never seen, by its kind. Sources: {sources}.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, action="append", default=[],
                    help="gold file(s) whose entity spellings to learn from (development only)")
    ap.add_argument("--docs", type=Path, help="folder of the gold files' documents")
    ap.add_argument("--out", type=Path,
                    default=Path(str(resources.files("audit") / "data" / "edit_costs.yaml")))
    a = ap.parse_args(argv)
    pairs = gazetteer_pairs()
    sources = ["the shipped gazetteer"]
    for g in a.gold:
        gold = yaml.safe_load(g.read_text(encoding="utf-8")) or {}
        docs = a.docs or g.parent
        texts = [(docs / f"{d}.txt").read_text(encoding="utf-8")
                 for d in gold.get("documents") or {} if (docs / f"{d}.txt").exists()]
        pairs += gold_pairs(gold, texts)
        sources.append(f"{len(texts)} documents of {g.name}")
    table = learn(pairs)
    a.out.write_text(HEADER.format(sources=", ".join(sources))
                     + yaml.safe_dump(table, allow_unicode=True, sort_keys=False, width=100),
                     encoding="utf-8")
    print(f"{a.out}: {len(table['moves'])} moves from {table['pairs']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
