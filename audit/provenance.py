"""Translation provenance: whether an English article was translated, and from which language.

Two kinds of evidence, both kept:
- rule-based votes (audit/data/provenance.yaml): each artifact is a vote, a calque for the
  languages whose idiom it copies, a foreign romanisation for the language whose spelling rules
  it follows, untranslated residue for its own language, typographic habits (« », a space
  before "?", "(Baghdad) The...") for the press that uses them. When they name a language on
  several independent signals (`min_signals`; habits of any machine-translation pipeline, such
  as fused words, do not count as one) they decide, as before;
- the learned model (audit/provenance_model.py, weights in audit/data/provenance_model.json,
  fitted by scripts/train_provenance.py on the real-text folds dev+test+fresh+fresh2+fresh3+fresh4+fresh5): the
  English's function-word and construction profile, typography, artifacts and the rule votes
  decide "translated", then romanisations, places, the source press's terms and habits and the
  per-language cues (its idiom rendered word for word, its own media cited by name, its
  calendars and titles: provenance_profile.yaml `cues`) decide the language. Fluent
  translations leave no artifact, so the rules alone found 3 of 66 translated dev articles.

Text patterns are read in the content only, never in the lines the boilerplate stage marked as
noise. None when nothing points away from English.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from audit import provenance_model
from audit.types import Document, Finding


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    path = resources.files("audit") / "data" / "provenance.yaml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for p in cfg.get("text_patterns") or []:
        p["_rx"] = re.compile(p["regex"])
    return cfg


def _calque_votes(langs: list[str], weight: float) -> dict[str, float]:
    if not langs:
        return {}
    if len(langs) >= 5:
        return {lang: weight / len(langs) for lang in langs}
    return {lang: weight if i == 0 else weight / 2 for i, lang in enumerate(langs)}


def _finding_votes(f: Finding, spec: dict[str, Any]) -> tuple[str | None, dict[str, float]]:
    """(signal name, language -> weight) for one finding, or (None, {})."""
    ev = f.evidence or {}
    rules = spec.get("findings") or {}
    if (f.kind == "calque" or f.detector == "calques") and ev.get("source_langs") and "calque" in rules:
        return "calque", _calque_votes(list(ev.get("source_langs") or []), rules["calque"]["weight"])
    if f.kind == "entity-variant" and ev.get("verdict") == "foreign" and ev.get("language"):
        r = rules.get("entity-foreign") or {}
        return "entity-foreign", {str(ev["language"]): float(r.get("weight", 1.0))}
    if f.kind == "casing" and ev.get("rule") == "function-word-capitalised":
        return "casing-function-word", dict((rules.get("casing-function-word") or {}).get("langs") or {})
    if f.kind == "token-merge":
        return "token-merge", dict((rules.get("token-merge") or {}).get("langs") or {})
    if f.kind == "language-residue" and ev.get("detected"):
        r = rules.get("language-residue") or {}
        return "language-residue", {str(ev["detected"]): float(r.get("weight", 1.5))}
    return None, {}


class _Tally:
    """Weights per language, with a cap per signal."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.per_signal: dict[tuple[str, str], float] = {}
        self.evidence: list[dict[str, Any]] = []

    def add(self, signal: str, votes: dict[str, float], cap: float | None, item: dict[str, Any]) -> None:
        added = {}
        for lang, w in votes.items():
            used = self.per_signal.get((signal, lang), 0.0)
            w = min(w, cap - used) if cap is not None else w
            if w <= 0:
                continue
            self.per_signal[(signal, lang)] = used + w
            self.totals[lang] = self.totals.get(lang, 0.0) + w
            added[lang] = round(w, 3)
        if added:
            self.evidence.append({"signal": signal, "langs": added, **item})

    def signals_for(self, lang: str, weak: set[str]) -> set[str]:
        """The independent signals that gave `lang` weight (weak ones left out)."""
        return {sig for (sig, l), w in self.per_signal.items() if l == lang and w > 0 and sig not in weak}


def rule_votes(doc: Document, findings: list[Finding]) -> _Tally:
    """The rule-based tally (audit/data/provenance.yaml): weights per language from calques,
    foreign romanisations, residue and the source press's typography."""
    spec = _config()
    tally = _Tally()
    caps = {k: (v or {}).get("cap") for k, v in (spec.get("findings") or {}).items()}
    for f in sorted(findings, key=lambda f: f.start):
        if f.doc_id != doc.id:
            continue
        signal, votes = _finding_votes(f, spec)
        if signal:
            tally.add(signal, votes, caps.get(signal), {
                "kind": f.kind, "text": f.text, "start": f.start, "end": f.end,
                "why": (f.evidence or {}).get("rule", "")})
    for p in spec.get("text_patterns") or []:
        for m in p["_rx"].finditer(doc.text):
            if not p.get("in_noise") and doc.is_noise(m.start(), m.end()):
                continue                                 # site chrome says nothing of the source
            votes = dict(p.get("langs") or {})
            named = m.groupdict().get("lang")
            if named and p.get("named_lang"):
                code = p["named_lang"].get(named[:1].upper() + named[1:].lower())
                if code:
                    votes = {code: float(p.get("weight", 1.0))}
            tally.add(p["id"], votes, p.get("cap"), {
                "kind": "text", "text": m.group(), "start": m.start(), "end": m.end(),
                "why": p.get("explain", "")})
    return tally


def infer(doc: Document, findings: list[Finding]) -> dict[str, Any]:
    """The likely source language of one English document: {'lang': ISO code or None,
    'score': 0..1, 'evidence': [...]}. Two stages: the learned model
    (audit/data/provenance_model.json, audit/provenance_model.py) decides whether the English
    reads as translated, from its function-word and construction profile, typography and
    artifacts; then which language it came from. The rule-based votes are features of both
    and, when they alone name a language on several independent signals, decide."""
    if doc.lang and doc.lang != "en":
        return {"lang": None, "score": 0.0, "evidence": []}
    spec = _config()
    tally = rule_votes(doc, findings)
    ruled = _verdict(tally, spec)
    model = provenance_model.load()
    if model is None:
        return ruled
    decision = model.decide(doc, findings, tally, ruled)
    evidence = [*decision.evidence(doc), *ruled["evidence"]]
    if ruled["lang"]:
        return {"lang": ruled["lang"], "score": max(ruled["score"], round(decision.p_translated, 2)),
                "evidence": evidence}
    if not decision.translated:           # what pointed away from English, not enough
        return {"lang": None, "score": 0.0, "evidence": ruled["evidence"]}
    return {"lang": decision.lang, "score": round(decision.p_translated, 2), "evidence": evidence}


def _verdict(tally: _Tally, spec: dict[str, Any]) -> dict[str, Any]:
    ranked = sorted(tally.totals.items(), key=lambda kv: (-kv[1], kv[0]))
    top_lang, top = ranked[0] if ranked else (None, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    total = sum(tally.totals.values())
    limit = int(spec.get("max_evidence", 15))
    evidence = sorted(tally.evidence, key=lambda e: -max(e["langs"].values()))[:limit]
    if top_lang is None or top < float(spec.get("min_weight", 1.5)) or top <= second:
        return {"lang": None, "score": 0.0, "evidence": evidence}
    if len(tally.signals_for(top_lang, set(spec.get("weak_signals") or []))) < int(spec.get("min_signals", 1)):
        return {"lang": None, "score": 0.0, "evidence": evidence}
    score = round(top / (total + 1.0), 2)
    return {"lang": top_lang, "score": score, "evidence": evidence}
