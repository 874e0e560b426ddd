"""findings.json: exact shape, JSON-safety, and a lossless round trip."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields

import pytest

from audit import __version__
from audit.serialize import SCHEMA_VERSION, SchemaError, from_json, to_json
from audit.types import (AlignedGroup, Alignment, Claim, ClaimMention, Document, EntityGroup, Finding,
                         Mention, Problem, RunResult, SentRef, SourceMeta, Span, Story, WordDiff)

TEXT_A = ("Quake hits central Chile\n\nSANTIAGO, March 2 (Wire) – A quake of magnitude 6.1 struck "
          "near Talca on Saturday, officials said. Michelle Bachelet visited the area.\n\nPhoto: Wire\n")
TEXT_B = ("Earthquake shakes Chile\n\nAn earthquake of magnitude 6.4 shakes the region of Talca, "
          "announced the authorities. Michele Bachellet went to the place.\n")


def _span(text: str, part: str) -> Span:
    i = text.index(part)
    return Span(i, i + len(part))


def _doc(doc_id: str, text: str, outlet: str) -> Document:
    lines = [_span(text, ln) for ln in text.split("\n") if ln]
    return Document(id=doc_id, path=f"in/{doc_id}.txt", text=text, outlet=outlet, date="2024-03-02",
                    title=text.split("\n")[0], title_span=lines[0], lang="en", url=None,
                    dateline=_span(text, "SANTIAGO, March 2 (Wire) –") if "SANTIAGO" in text else None,
                    lines=lines, paragraphs=lines, sentences=lines[1:], paragraph_langs=["en"] * len(lines),
                    source=SourceMeta(name="wires", outlet=outlet, trust=0.8, lang="en"),
                    noise=[_span(text, "Photo: Wire")] if "Photo" in text else [],
                    removed=["<nav>Home</nav>"], meta={"encoding": "utf-8"})


@pytest.fixture()
def result() -> RunResult:
    a, b = _doc("cl_wire", TEXT_A, "Example Wire"), _doc("cl_copy", TEXT_B, "Copy Site")
    sa, sb = _span(TEXT_A, "magnitude 6.1"), _span(TEXT_B, "magnitude 6.4")
    m, cap = _span(TEXT_B, "Michele Bachellet"), _span(TEXT_A, "Photo: Wire")
    findings = [
        Finding.at(b, m.start, m.end, "entity-variant", "warning", "Garbled name", "entity-variants",
                   suggestion="Michelle Bachelet", evidence={"other_spellings": {"Michelle Bachelet": {"cl_wire": 1}}}),
        Finding.at(a, cap.start, cap.end, "caption", "info", "Photo credit",
                   "boilerplate", evidence={"rule": "caption-prefix"}),
        Finding.at(b, sb.start, sb.end, "discrepancy", "warning", "6.1 elsewhere", "claims"),
    ]
    ma = _span(TEXT_A, "Michelle Bachelet")
    entities = [EntityGroup("e1", "Michelle Bachelet", "consensus",
                            [Mention("cl_wire", ma.start, ma.end, "Michelle Bachelet"),
                             Mention("cl_copy", m.start, m.end, "Michele Bachellet")],
                            {"Michelle Bachelet": "canonical", "Michele Bachellet": "garbled"})]
    ra, rb = SentRef("cl_wire", a.sentences[0].start, a.sentences[0].end), SentRef("cl_copy", b.sentences[0].start, b.sentences[0].end)
    alignment = Alignment(
        stories=[Story("s1", "story", ["cl_wire", "cl_copy"], "Chile quake",
                       [{"doc": "cl_copy", "source": "cl_wire", "score": 0.71}])],
        groups=[AlignedGroup("g1", "s1", [ra, rb], 0.83)],
        claims=[Claim("c1", "s1", "quake magnitude",
                      [ClaimMention("cl_wire", sa.start, sa.end, 6.1, "6.1", "magnitude", "Talca", "2024-03-02"),
                       ClaimMention("cl_copy", sb.start, sb.end, 6.4, "6.4", "magnitude", "Talca", "2024-03-02")],
                      group_id="g1", discrepancy=True)],
        diffs=[WordDiff(ra, rb, [(0, "A "), (-1, "quake"), (1, "earthquake")], [{"word": "earthquake"}])],
    )
    return RunResult(name="chile", documents=[a, b], findings=findings, entities=entities,
                     alignment=alignment, problems=[Problem("in/bad.html", "not UTF-8 at byte 12")],
                     provenance={"cl_copy": {"lang": "es", "score": 0.62, "evidence": ["calque"]}},
                     settings={"name": "chile", "detectors": {"casing": {"enabled": True}}},
                     timings={"ingest": 0.01, "align": 0.2})


def test_top_level_and_section_keys(result):
    data = to_json(result, generated_at="2024-03-02T10:00:00+00:00")
    assert list(data) == ["schema_version", "tool", "run", "problems", "documents", "findings",
                          "entities", "stories", "groups", "claims", "diffs"]
    assert data["schema_version"] == SCHEMA_VERSION == "1.0"
    assert data["tool"] == {"name": "audit", "version": __version__}
    assert data["run"] == {"name": "chile", "generated_at": "2024-03-02T10:00:00+00:00",
                           "settings": result.settings, "timings": result.timings}
    doc = data["documents"][0]
    assert {"id", "path", "outlet", "date", "title", "lang", "url", "words", "dateline", "lines",
            "paragraphs", "sentences", "noise", "provenance", "text", "source"} <= set(doc)
    dateline, cap = _span(TEXT_A, "SANTIAGO, March 2 (Wire) –"), _span(TEXT_A, "Photo: Wire")
    assert doc["dateline"] == [dateline.start, dateline.end]
    assert doc["noise"] == [[cap.start, cap.end]]
    assert data["documents"][1]["provenance"]["lang"] == "es" and doc["provenance"] is None
    assert [f["family"] for f in data["findings"]] == ["entity", "noise", "claim"]
    assert data["entities"][0]["spellings"] == {"Michelle Bachelet": {"cl_wire": 1}, "Michele Bachellet": {"cl_copy": 1}}
    assert data["groups"][0]["doc_ids"] == ["cl_copy", "cl_wire"]
    assert data["diffs"][0]["ops"] == [[0, "A "], [-1, "quake"], [1, "earthquake"]]


def test_finding_offsets_point_at_their_text(result):
    data = json.loads(json.dumps(to_json(result), ensure_ascii=False))
    texts = {d["id"]: d["text"] for d in data["documents"]}
    for f in data["findings"]:
        assert texts[f["doc_id"]][f["start"]:f["end"]] == f["text"]


def test_round_trip_is_lossless(result):
    data = json.loads(json.dumps(to_json(result), ensure_ascii=False))
    back = from_json(data)
    assert back == result
    assert to_json(back, generated_at="x") == to_json(result, generated_at="x")


def test_every_document_field_is_written(result):
    """A new Document field must be added to the schema (and its doc), not silently dropped."""
    doc = to_json(result)["documents"][0]
    assert {f.name for f in fields(Document)} <= set(doc)


def test_non_json_values_in_free_form_dicts_become_plain_json(result):
    result.findings[0].evidence = {"seen": {"b", "a"}, "when": dt.date(2024, 3, 2), "pair": (1, 2),
                                   "ratio": float("nan"), "span": Span(3, 9)}
    ev = json.loads(json.dumps(to_json(result)))["findings"][0]["evidence"]
    assert ev == {"seen": ["a", "b"], "when": "2024-03-02", "pair": [1, 2], "ratio": None, "span": [3, 9]}


def test_newer_minor_is_read_and_other_major_refused(result):
    data = to_json(result)
    data["schema_version"] = "1.7"
    data["documents"][0]["future_field"] = 1
    data["findings"][0]["confidence"] = 0.9
    assert from_json(data).findings[0] == result.findings[0]
    data["schema_version"] = "2.0"
    with pytest.raises(SchemaError, match="schema_version 2.0"):
        from_json(data)
