"""Letter changes between two spellings of one name, and what they cost.

A spelling whose consonants are the reference's (doubling aside) differs only in its vowel runs
and doubled letters: "Bazum" for Bazoum (ou→u), "Faser" for Faeser (ae→a), "Recap" for Recep
(e→a), "Mohamed" for Mohammed (mm→m). Some of these moves are routine romanisation choices and
some are damage; which is which is learned from labelled spellings (audit/names/learn_costs.py)
and stored as data (audit/data/edit_costs.yaml): every move has a cost, the log-odds that a
spelling making it is damage rather than an acceptable variant. A move never seen falls back to
its class (a vowel changed, dropped or added; a letter doubled or undoubled).

Written by hand: rapidfuzz gives edit operations letter by letter, but not the vowel-run
alignment that says "ou→u" (one move) rather than "delete o" at some position.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from audit.names.translit import fold

VOWELS = "aeiouy"
_RUNS = re.compile(r"[aeiouy]+|([^aeiouy])\1*")


@dataclass(frozen=True)
class Move:
    """One vowel-run or doubling difference: 'ou→u', 'e→a', '∅→e', 'mm→m'."""
    ref: str
    var: str
    kind: str          # vowel-change | vowel-drop | vowel-add | undouble | double
    where: str         # initial | medial | final

    @property
    def symbol(self) -> str:
        return f"{self.ref or '∅'}→{self.var or '∅'}"

    def words(self) -> str:
        """The move as a reviewer reads it."""
        if self.kind == "undouble":
            return f"drops a doubled letter ({self.symbol})"
        if self.kind == "double":
            return f"doubles a letter ({self.symbol})"
        if self.kind == "vowel-drop":
            return f"drops a vowel ({self.ref}→∅)"
        if self.kind == "vowel-add":
            return f"adds a vowel (∅→{self.var})"
        return f"moves a vowel ({self.symbol})"


def _runs(s: str) -> list[str]:
    return [m.group() for m in _RUNS.finditer(s)]


def _slots(s: str) -> tuple[list[str], list[str]] | None:
    """Consonant runs and the vowel runs around them (len(consonants) + 1 vowel slots)."""
    cons: list[str] = []
    vows: list[str] = [""]
    for r in _runs(s):
        if r[0] in VOWELS:
            vows[-1] += r
        else:
            cons.append(r)
            vows.append("")
    return cons, vows


def _where(i: int, n: int) -> str:
    return "initial" if i == 0 else "final" if i == n else "medial"


@lru_cache(maxsize=50_000)
def moves(ref: str, var: str) -> tuple[Move, ...] | None:
    """The moves that turn `ref` into `var`, or None when their consonants differ (beyond
    doubling): those are consonant changes, judged elsewhere. () when they fold alike."""
    r, v = fold(ref).replace(" ", ""), fold(var).replace(" ", "")
    if r == v:
        return ()
    rc, rv = _slots(r)
    vc, vv = _slots(v)
    if [c[0] for c in rc] != [c[0] for c in vc]:
        return None
    out: list[Move] = []
    n = len(rc)
    for i, (a, b) in enumerate(zip(rv, vv)):
        if a == b or i == n and a.replace("y", "i") == b.replace("y", "i"):
            continue                 # final y/i is one letter to English (Mamady/Mamadi)
        kind = "vowel-drop" if not b else "vowel-add" if not a else "vowel-change"
        out.append(Move(a, b, kind, _where(i, n)))
    for i, (a, b) in enumerate(zip(rc, vc)):
        if a != b:
            out.append(Move(a, b, "undouble" if len(a) > len(b) else "double", "medial"))
    return tuple(out)


# --- the learned table -----------------------------------------------------------------------

@dataclass(frozen=True)
class CostTable:
    prior: float                       # log-odds of damage before any move is seen
    by_symbol: dict[str, float]        # "ou→u" -> cost
    by_kind: dict[str, float]          # "vowel-change" -> cost
    counts: dict[str, tuple[int, int]]  # symbol -> (damaged, acceptable) seen in training

    def cost(self, m: Move) -> float:
        """Log-odds that a spelling making this move is damage (positive = damage)."""
        got = self.by_symbol.get(m.symbol)
        return got if got is not None else self.by_kind.get(m.kind, 0.0)

    def score(self, ms: tuple[Move, ...]) -> float:
        return sum(self.cost(m) for m in ms)


@lru_cache(maxsize=1)
def table() -> CostTable:
    """audit/data/edit_costs.yaml, read once."""
    raw = yaml.safe_load((resources.files("audit") / "data" / "edit_costs.yaml")
                         .read_text(encoding="utf-8")) or {}
    sym = raw.get("moves") or {}
    return CostTable(
        prior=float(raw.get("prior", 0.0)),
        by_symbol={k: float(v["cost"]) for k, v in sym.items()},
        by_kind={k: float(v["cost"]) for k, v in (raw.get("kinds") or {}).items()},
        counts={k: (int(v.get("damaged", 0)), int(v.get("acceptable", 0))) for k, v in sym.items()},
    )


def probability(cost: float) -> float:
    return 1.0 / (1.0 + math.exp(-cost))
