"""The seeds' acceptance figures (issues 3, 4 and 5) as a regression test, plus the precision
guard that matters most on real desks: an English original gets no artifact flags at all."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.config import Config
from audit.evaluate import EvalResult, evaluate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def results() -> dict[str, EvalResult]:
    """One run per labelled folder, shared by the tests of this module."""
    return {folder: evaluate(ROOT / folder / "gold.yaml", ROOT / folder, Config())
            for folder in ("seeds", "heldout")}


@pytest.fixture(scope="module")
def result(results) -> EvalResult:
    return results["seeds"]


@pytest.mark.parametrize("family,precision,recall", [
    ("entity", 0.90, 0.90), ("surface", 0.85, 0.85), ("translation", 0.0, 0.70),
    ("noise", 0.95, 0.95)])
def test_family_meets_its_target(result, family, precision, recall):
    got = result.to_dict()["families"][family]
    assert got["precision"] >= precision and got["recall"] >= recall, got


def test_no_acceptable_spelling_is_flagged(result):
    assert result.to_dict()["acceptable_flagged"] == 0


def test_claims_align_and_the_troop_discrepancy_is_found(result):
    claims = result.to_dict()["claims"]
    assert claims["aligned"] >= 7 and claims["total"] == 8
    assert claims["discrepancies_found"] == claims["discrepancies_total"] == 1


@pytest.mark.parametrize("folder,doc_id", [
    ("seeds", "000_bf6e4b1cc8464a9d"), ("seeds", "002_e98b90fb3a4848fd"),
    ("heldout", "derna_01_reuters"), ("heldout", "sudan_01_ap")])
def test_english_originals_get_no_artifact_flags(results, folder, doc_id):
    flagged = [(p.finding.kind, p.finding.text) for p in results[folder].predictions
               if p.finding.doc_id == doc_id and p.finding.family in {"entity", "surface", "translation"}]
    assert flagged == []
