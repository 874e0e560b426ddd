"""Vowel moves and doubled letters between two spellings, and the costs learned for them."""
import math

import yaml

from audit.names.edits import moves, table
from audit.names.learn_costs import KINDS, Pair, gold_pairs, learn, main


def test_moves_align_vowel_runs_and_doubled_letters():
    assert [(m.symbol, m.kind, m.where) for m in moves("Bazoum", "Bazum")] == [
        ("ou→u", "vowel-change", "medial")]
    assert [(m.symbol, m.kind) for m in moves("Mohammed", "Mohamed")] == [("mm→m", "undouble")]
    assert [(m.symbol, m.kind, m.where) for m in moves("Abdramane", "Abdraman")] == [
        ("e→∅", "vowel-drop", "final")]
    assert moves("Bazoum", "Bazouw") is None          # a consonant changed: not a move
    assert moves("Mazón", "Mazon") == ()               # accents fold away
    assert "moves a vowel (ou→u)" == moves("Bazoum", "Bazum")[0].words()


def test_learned_costs_follow_the_labels_and_back_off_to_the_kind():
    pairs = [Pair(f"Ba{c}oum", f"Ba{c}um", True, "t") for c in "zdt"]
    pairs += [Pair(f"Mo{c}ammed", f"Mo{c}amed", False, "t") for c in "hklnr"]
    pairs += [Pair("Hassan", "Hasan", False, "t")]
    t = learn(pairs)
    assert t["moves"]["ou→u"]["damaged"] == 3 and t["moves"]["ou→u"]["acceptable"] == 0
    assert t["moves"]["ou→u"]["cost"] > t["kinds"]["vowel-change"]["cost"] > t["moves"]["mm→m"]["cost"]
    assert set(t["kinds"]) == set(KINDS)


def test_gold_pairs_only_learn_spellings_the_documents_contain():
    gold = {"entities": [{"canonical": "Mohamed Bazoum", "acceptable": ["Bazoum"],
                          "garbled": ["Bazum", "Bazoom"]}]}
    got = gold_pairs(gold, ["President Bazoum was held; Bazum said nothing."])
    # Bazoom is labelled but absent: it teaches nothing; the one acceptable spelling seen
    # makes no pair on its own
    assert [(p.var, p.damaged) for p in got] == [("Bazum", True)]


def test_the_learner_writes_the_table_the_detector_reads(tmp_path):
    gold = tmp_path / "dev.yaml"
    gold.write_text("documents: {a: {outlet: X}}\nentities:\n  - canonical: Bazoum\n"
                    "    garbled: [Bazum]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Bazoum and Bazum.", encoding="utf-8")
    out = tmp_path / "costs.yaml"
    assert main(["--gold", str(gold), "--docs", str(tmp_path), "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["moves"]["ou→u"]["damaged"] >= 1 and "prior" in data


def test_the_shipped_table_is_complete():
    t = table()
    assert t.by_symbol and set(t.by_kind) == set(KINDS)
    assert all(math.isfinite(c) for c in t.by_symbol.values())
    # the gazetteer's aliases teach that undoubling Mohammed is routine
    assert t.counts["mm→m"][1] > t.counts["mm→m"][0]
