"""Scoring rules of `audit eval` (shared/gold/README.md) on a small hand-made gold file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.evaluate import GoldError, evaluate, load_gold, main, score
from audit.types import (AlignedGroup, Alignment, Claim, ClaimMention, Document, Finding, SentRef)

FIX = Path(__file__).parent / "fixtures" / "eval"
GOLD = FIX / "gold.yaml"


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    out = {}
    for p in sorted(FIX.glob("*.txt")):
        out[p.stem] = Document(id=p.stem, path=str(p), text=p.read_text(encoding="utf-8"))
    return out


def find(docs, doc_id: str, text: str, kind: str, severity: str = "warning", nth: int = 1,
         detector: str = "test") -> Finding:
    """A prediction on the nth occurrence of `text` in a document."""
    doc = docs[doc_id]
    start = -1
    for _ in range(nth):
        start = doc.text.index(text, start + 1)
    return Finding.at(doc, start, start + len(text), kind, severity, "m", detector)


def ref(docs, doc_id: str, text: str) -> SentRef:
    start = docs[doc_id].text.index(text)
    return SentRef(doc_id, start, start + len(text))


def run(gold, docs, findings, alignment=None):
    return score(gold, docs, findings, alignment or Alignment())


# --- resolution ---------------------------------------------------------------------------------

def test_gold_counts_per_family_with_occurrence_all_and_line_matching(gold, docs):
    res = run(gold, docs, [])
    totals = {f: s.gold_total for f, s in res.families.items()}
    # entity: Cheikh Hasina, Sheik Hasena x2 (occurrence: all), Brahmapoutre (optional)
    # noise: "Share this article" x2 (equal lines only), caption, byline, NBSP line
    assert totals == {"entity": 4, "surface": 1, "translation": 1, "noise": 5}
    assert res.families["entity"].gold_optional == 1
    assert res.to_dict()["overall"]["fn"] == 10   # 11 gold, one optional


def test_line_equal_wins_over_prefix_and_prefix_gives_whole_line(gold, docs):
    res = run(gold, docs, [])
    share = [g for g in res.gold if g.finding.loc.line == "Share this article"]
    text = docs["flood_copy"].text
    assert [g.text for g in share] == ["Share this article", "Share this article"]
    assert [text.count("\n", 0, g.start) + 1 for g in share] == [11, 14]   # not line 12 "...with your friends"
    byline = next(g for g in res.gold if g.finding.kind == "byline")
    assert byline.text == "Reporting by Anis Rahman; Editing by Jane Doe"
    nbsp = next(g for g in res.gold if g.doc == "flood_radio")
    assert nbsp.text == "Read more:\u00a0 Monsoon arrives early in Assam"


# --- hits, misses, drops ------------------------------------------------------------------------

def test_other_kind_of_same_family_hits(gold, docs):
    res = run(gold, docs, [find(docs, "flood_copy", "rescue. operations", "punctuation")])
    s = res.to_dict()["families"]["surface"]
    assert (s["tp"], s["fp"], s["fn"], s["precision"], s["recall"]) == (1, 0, 0, 1.0, 1.0)


def test_wrong_family_is_a_false_positive_and_a_miss(gold, docs):
    res = run(gold, docs, [find(docs, "flood_copy", "rescue. operations", "calque")])
    d = res.to_dict()["families"]
    assert (d["translation"]["tp"], d["translation"]["fp"]) == (0, 1)
    assert d["surface"]["fn"] == 1 and d["surface"]["recall"] == 0.0
    assert [p.finding.text for p in res.false_positives()] == ["rescue. operations"]


def test_prediction_overlapping_ignore_is_neither_hit_nor_false_positive(gold, docs):
    res = run(gold, docs, [find(docs, "flood_copy", "ordered to", "grammar")])
    assert res.to_dict()["families"]["surface"]["fp"] == 0
    assert res.predictions[0].status == "ignored"
    assert res.dropped_counts() == {"ignored": 1}


def test_ignore_span_drops_a_prediction_even_when_it_would_hit(gold, docs):
    """README rule 3, literally: overlapping an ignore span drops the prediction, hit or not."""
    preds = [find(docs, "flood_copy", "Sheik Hasena visited", "entity-variant", nth=1),
             find(docs, "flood_copy", "visited the camps", "grammar")]
    res = run(gold, docs, preds)
    assert [p.status for p in res.predictions] == ["ignored", "ignored"]
    assert res.to_dict()["families"]["entity"]["tp"] == 0


def test_gold_inside_a_gold_noise_line_is_reported_unreachable(tmp_path, docs):
    g = load_gold(_gold(tmp_path, "  - {doc: flood_copy, kind: caption, line: 'Photo: AFP'}\n"
                                  "  - {doc: flood_copy, kind: casing, span: Munir Uz}\n",
                        head="documents: [flood_copy]\nfindings:\n"))
    res = score(g, docs, [find(docs, "flood_copy", "Munir Uz", "casing")], Alignment())
    assert res.unreachable == [1] and res.predictions[0].status == "in-noise-line"
    assert "no prediction can hit" in res.format_text()


def test_prediction_inside_noise_line_dropped_but_noise_prediction_hits(gold, docs):
    preds = [find(docs, "flood_copy", "AFP / Munir", "punctuation"),
             find(docs, "flood_wire", "Anis Rahman", "entity-variant"),
             find(docs, "flood_copy", "Photo: AFP / Munir Uz Zaman", "boilerplate")]
    res = run(gold, docs, preds)
    assert [p.status for p in res.predictions] == ["in-noise-line", "in-noise-line", "hit"]
    d = res.to_dict()
    assert d["families"]["surface"]["fp"] == 0 and d["families"]["entity"]["fp"] == 0
    assert d["families"]["noise"]["tp"] == 1 and d["families"]["noise"]["fn"] == 4


def test_optional_gold_counts_only_when_hit(gold, docs):
    cheikh = find(docs, "flood_copy", "Cheikh Hasina", "entity-variant")
    without = run(gold, docs, [cheikh]).families["entity"]
    assert (without.gold_hit, without.fn, without.recall) == (1, 2, pytest.approx(1 / 3))
    with_opt = run(gold, docs, [cheikh, find(docs, "flood_copy", "Brahmapoutre", "entity-variant")])
    e = with_opt.families["entity"]
    assert (e.gold_hit, e.fn, e.recall) == (2, 2, 0.5)


def test_occurrence_all_needs_each_occurrence(gold, docs):
    first = find(docs, "flood_copy", "Sheik Hasena", "entity-variant", nth=1)
    second = find(docs, "flood_copy", "Sheik Hasena", "entity-variant", nth=2)
    one = run(gold, docs, [first]).families["entity"]
    both = run(gold, docs, [first, second]).families["entity"]
    assert (one.gold_hit, both.gold_hit) == (1, 2)


def test_two_tp_notions_duplicate_predictions(gold, docs):
    """Two predictions on one gold finding: both count in precision, the gold once in recall."""
    a = find(docs, "flood_copy", "announced the authorities", "calque")
    b = find(docs, "flood_copy", "announced", "mistranslation")
    t = run(gold, docs, [a, b]).families["translation"]
    assert (t.tp, t.fp, t.gold_hit, t.fn) == (2, 0, 1, 0)
    det = run(gold, docs, [a, b]).details()["families"]["translation"]
    assert det["predictions_hit"] == 2 and det["gold_hit"] == 1 and det["gold_counted"] == 1


def test_precision_recall_f1_and_overall_micro_average(gold, docs):
    preds = [find(docs, "flood_copy", "Cheikh Hasina", "entity-variant"),
             find(docs, "flood_copy", "Floods", "entity-variant", severity="info"),  # fp
             find(docs, "flood_copy", "Share this article", "boilerplate", nth=1),
             find(docs, "flood_copy", "Share this article", "boilerplate", nth=2),  # "with your friends" line: fp
             find(docs, "flood_radio", "Around 40,000", "casing")]                    # fp
    d = run(gold, docs, preds).to_dict()
    assert d["families"]["entity"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "tp": 1, "fp": 1, "fn": 2}
    assert d["families"]["noise"] == {"precision": 0.5, "recall": 0.2, "f1": 0.2857, "tp": 1, "fp": 1, "fn": 4}
    assert d["overall"]["tp"] == 2 and d["overall"]["fp"] == 3 and d["overall"]["fn"] == 8
    assert d["overall"]["precision"] == 0.4 and d["overall"]["recall"] == 0.2
    assert d["overall"]["f1"] == round(2 * 0.4 * 0.2 / 0.6, 4)


def test_acceptable_spelling_at_warning_is_flagged_but_not_at_info(gold, docs):
    preds = [find(docs, "flood_wire", "Sheikh Hasina", "entity-variant", severity="warning"),
             find(docs, "flood_wire", "Sheikh", "entity-variant", severity="error"),       # inside the form
             find(docs, "flood_radio", "Brahmaputra", "entity-variant", severity="info")]
    res = run(gold, docs, preds)
    assert res.acceptable_flagged == 2
    assert [p.status for p in res.predictions] == ["acceptable", "acceptable", "fp"]
    assert res.to_dict()["families"]["entity"]["fp"] == 3


def test_acceptable_form_matches_whole_words_case_insensitively(gold, docs):
    doc = Document(id="flood_wire", path="x", text=docs["flood_wire"].text.replace(
        "Prime Minister Sheikh Hasina", "Prime Minister HASINA, and Hasinas"))
    local = {**docs, "flood_wire": doc}
    hasina = find(local, "flood_wire", "HASINA,", "entity-variant")
    plural = find(local, "flood_wire", "Hasinas", "entity-variant")
    res = run(gold, local, [hasina, plural])
    assert [p.status for p in res.predictions] == ["acceptable", "fp"]


def test_acceptable_spelling_on_gold_finding_is_still_false_positive(gold, docs):
    # "Hasina" inside the foreign form "Cheikh Hasina": the flag is on an acceptable word
    res = run(gold, docs, [find(docs, "flood_copy", "Hasina", "entity-variant")])
    assert res.predictions[0].status == "acceptable"
    assert res.families["entity"].gold_hit == 0


def test_unscored_documents_and_kinds_are_ignored(gold, docs):
    other = Document(id="elsewhere", path="x", text="Sheik Hasena spoke.")
    preds = [Finding.at(other, 0, 12, "entity-variant", "error", "m", "t"),
             find(docs, "flood_copy", "60,000", "discrepancy"),
             find(docs, "flood_copy", "of displaced", "language-residue")]
    res = run(gold, {**docs, "elsewhere": other}, preds)
    assert [p.status for p in res.predictions] == ["doc-not-in-gold", "unscored-kind", "fp"]
    assert res.to_dict()["overall"]["fp"] == 1   # language-residue is scored as translation


def test_zero_denominators_give_zero(gold, docs):
    d = run(gold, docs, []).to_dict()
    assert d["families"]["surface"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}


# --- claims -------------------------------------------------------------------------------------

RIVER = {"flood_wire": "Brahmaputra river rose", "flood_copy": "river Brahmapoutre rose",
         "flood_radio": "The Brahmaputra rose above"}


def test_claim_aligned_by_one_group(gold, docs):
    group = AlignedGroup("g1", "s1", [ref(docs, d, t) for d, t in RIVER.items()])
    res = run(gold, docs, [], Alignment(groups=[group]))
    river = next(c for c in res.claims if c.id == "river-danger-mark")
    assert river.aligned and river.via == "group g1"
    assert res.to_dict()["claims"] == {"aligned": 1, "total": 3, "discrepancies_found": 0,
                                        "discrepancies_total": 1}


def test_claim_aligned_pairwise_only_when_every_pair_linked(gold, docs):
    w, c, r = (ref(docs, d, t) for d, t in RIVER.items())
    two_pairs = [AlignedGroup("a", "s", [w, c]), AlignedGroup("b", "s", [c, r])]
    res = run(gold, docs, [], Alignment(groups=two_pairs))
    assert not next(x for x in res.claims if x.id == "river-danger-mark").aligned
    res = run(gold, docs, [], Alignment(groups=two_pairs + [AlignedGroup("c", "s", [w, r])]))
    river = next(x for x in res.claims if x.id == "river-danger-mark")
    assert river.aligned and river.via == "pairwise"


def test_claim_aligned_through_tool_claim_mentions(gold, docs):
    wire = ref(docs, "flood_wire", "the army to help")
    copy = ref(docs, "flood_copy", "to help the rescue")
    claim = Claim("k1", "s", "army", [ClaimMention(wire.doc_id, wire.start, wire.end, 1, "army"),
                                     ClaimMention(copy.doc_id, copy.start, copy.end, 1, "army")])
    res = run(gold, docs, [], Alignment(claims=[claim]))
    army = next(x for x in res.claims if x.id == "army-ordered")
    assert army.aligned and army.via == "claim k1"


def test_unaligned_claim_names_unplaced_mentions(gold, docs):
    group = AlignedGroup("g", "s", [ref(docs, "flood_wire", "Brahmaputra river rose")])
    res = run(gold, docs, [], Alignment(groups=[group]))
    river = next(x for x in res.claims if x.id == "river-danger-mark")
    assert not river.aligned and len(river.unplaced) == 2
    assert "claims not aligned" in res.format_text()


def _mention(docs, doc_id, text, value):
    r = ref(docs, doc_id, text)
    return ClaimMention(doc_id, r.start, r.end, value, text)


def test_discrepancy_found_when_tool_flags_two_different_gold_values(gold, docs):
    tool = Claim("k", "s", "displaced", [_mention(docs, "flood_wire", "40,000", 40000),
                                         _mention(docs, "flood_copy", "60,000", 60000)], discrepancy=True)
    res = run(gold, docs, [], Alignment(claims=[tool]))
    assert res.to_dict()["claims"]["discrepancies_found"] == 1
    assert next(c for c in res.claims if c.id == "people-displaced").found_by == "k"


def test_discrepancy_not_found_with_equal_values_or_without_flag(gold, docs):
    same = Claim("k", "s", "displaced", [_mention(docs, "flood_wire", "40,000", 40000),
                                         _mention(docs, "flood_radio", "40,000", 40000)], discrepancy=True)
    unflagged = Claim("u", "s", "displaced", [_mention(docs, "flood_wire", "40,000", 40000),
                                              _mention(docs, "flood_copy", "60,000", 60000)])
    res = run(gold, docs, [], Alignment(claims=[same, unflagged]))
    assert res.to_dict()["claims"]["discrepancies_found"] == 0
    # the unflagged tool claim still aligns the two mentions it holds, not the whole claim
    assert not next(c for c in res.claims if c.id == "people-displaced").aligned


# --- output -------------------------------------------------------------------------------------

def test_to_dict_has_exactly_the_documented_shape(gold, docs):
    d = run(gold, docs, [find(docs, "flood_copy", "Cheikh Hasina", "entity-variant")]).to_dict()
    assert list(d) == ["families", "overall", "acceptable_flagged", "claims"]
    assert list(d["families"]) == ["entity", "surface", "translation", "noise"]
    for fam in [*d["families"].values(), d["overall"]]:
        assert list(fam) == ["precision", "recall", "f1", "tp", "fp", "fn"]
    assert list(d["claims"]) == ["aligned", "total", "discrepancies_found", "discrepancies_total"]
    json.dumps(d)


def test_text_report_shows_false_positive_text_and_misses(gold, docs):
    text = run(gold, docs, [find(docs, "flood_radio", "water board", "calque")]).format_text()
    assert "'water board'" in text and "flood_radio:3" in text
    assert "missed gold findings (10)" in text and "'Cheikh Hasina'" in text


# --- bad gold files -----------------------------------------------------------------------------

HEAD = "documents:\n  flood_wire: {outlet: W}\n  '000_123': {}\nfindings:\n"


def _gold(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    p = tmp_path / "g.yaml"
    p.write_text(head + body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, expected", [
    ("  - {doc: flood_wire, span: x}\n", r"g.yaml:5: findings\[0\]: missing key 'kind'"),
    ("  - {doc: flood_wire, kind: typo, span: x}\n", r"g.yaml:5: findings\[0\]: unknown kind 'typo'"),
    ("  - {doc: flood_wire, kind: casing, span: x, ocurrence: 2}\n", r"g.yaml:5: .*unknown key 'ocurrence'"),
    ("  - {doc: flood_wire, kind: casing}\n", r"g.yaml:5: .*exactly one of 'span' or 'line'"),
    ("  - {doc: nowhere, kind: casing, span: x}\n", r"g.yaml:5: .*doc 'nowhere' is not listed"),
    ("  - {doc: flood_wire, kind: casing, span: x, occurrence: 0}\n", r"g.yaml:5: .*occurrence must be"),
    ("  - {doc: flood_wire, kind: casing, span: [x]\n", r"g.yaml:6:\d+: YAML error"),
    ("  - {doc: flood_wire, kind: casing, span: x}\nclaims:\n  - id: c\n    discrepancy: true\n"
     "    mentions:\n      - {doc: flood_wire, span: a, value: 1}\n",
     r"g.yaml:7: claims\[0\] \(c\): discrepancy: true needs"),
])
def test_structural_errors_name_file_and_line(tmp_path, body, expected):
    with pytest.raises(GoldError, match=expected):
        load_gold(_gold(tmp_path, body))


def test_numeric_looking_ids_are_kept_as_written(tmp_path):
    g = load_gold(_gold(tmp_path, "  - {doc: '000_123', kind: casing, span: x}\n"))
    assert "000_123" in g.documents and g.findings[0].loc.doc == "000_123"


@pytest.mark.parametrize("body, expected", [
    ("  - {doc: flood_wire, kind: casing, span: Dacca}\n",
     r"g.yaml:5: findings\[0\]: span 'Dacca' not found in flood_wire"),
    ("  - {doc: flood_wire, kind: boilerplate, line: Subscribe now}\n",
     r"g.yaml:5: findings\[0\]: line 'Subscribe now' not found in flood_wire"),
    ("  - {doc: flood_wire, kind: casing, span: Floods, occurrence: 3}\n",
     r"g.yaml:5: .*'Floods' occurs 2 time\(s\) in flood_wire; occurrence 3 asked"),
    ("  - {doc: flood_wire, kind: casing, span: Floods}\nignore:\n  - {doc: flood_wire, span: Tsunami}\n",
     r"g.yaml:7: ignore\[0\]: span 'Tsunami' not found"),
])
def test_resolution_errors_name_file_and_line(tmp_path, docs, body, expected):
    g = load_gold(_gold(tmp_path, body, head="documents:\n  flood_wire: {}\nversion: 1\nfindings:\n"))
    with pytest.raises(GoldError, match=expected):
        score(g, docs, [], Alignment())


def test_missing_document_file_is_a_gold_error(tmp_path):
    from audit.config import Config
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "flood_wire.txt").write_text((FIX / "flood_wire.txt").read_text())
    g = _gold(tmp_path, "  - {doc: flood_wire, kind: casing, span: Floods}\n",
              head="documents:\n  flood_wire: {}\n  flood_gone: {}\nfindings:\n")
    with pytest.raises(GoldError, match=r"g.yaml:3: documents.flood_gone: no file for document 'flood_gone'"):
        evaluate(g, tmp_path / "docs", Config())


def test_evaluate_end_to_end_runs_the_pipeline(tmp_path):
    from audit.config import Config
    res = evaluate(GOLD, FIX, Config())
    d = res.to_dict()
    assert d["claims"]["total"] == 3 and d["claims"]["discrepancies_total"] == 1
    assert {f: s.gold_total for f, s in res.families.items()} == \
        {"entity": 4, "surface": 1, "translation": 1, "noise": 5}
    assert res.docs["flood_copy"].outlet == "Portal Copy"


def test_module_entry_point_prints_json_and_reports_bad_gold(capsys, tmp_path):
    assert main([str(GOLD), str(FIX), "--json"]) == 0
    # the fixture's gold gives origins (so provenance is scored) but no events (so no grouping)
    assert set(json.loads(capsys.readouterr().out)) == {"families", "overall", "acceptable_flagged", "claims",
                                                        "provenance"}
    bad = _gold(tmp_path, "  - {doc: flood_wire, kind: nope, span: x}\n")
    assert main([str(bad), str(FIX)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "g.yaml:5:" in err
