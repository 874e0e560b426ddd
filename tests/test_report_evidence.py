"""Evidence in words: every finding of the labelled sets renders as sentences (and small
tables), in the HTML pages and the PDF alike, never as a raw structure."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from audit.report.evidence import explain, words

ROOT = Path(__file__).resolve().parent.parent
RAW = re.compile(r'[{}\[\]]|": ')


@pytest.fixture(scope="module", params=["seeds", "heldout", "blind"])
def run(request):
    from audit import config, ingest, pipeline
    folder = ROOT / request.param
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    docs, problems = ingest.load_paths(paths)
    return pipeline.analyse(docs, config.Config(), name=request.param, problems=problems)


def test_every_finding_has_evidence_in_words(run):
    assert run.findings
    for f in run.findings:
        ev = explain(f.evidence, f.text, f.kind)
        if not f.evidence:
            continue
        assert ev is not None and ev.sentence.strip(), f
        assert not RAW.search(ev.words()), (f.detector, ev.words())
        assert ev.sentence.endswith((".", "…", "”", ")")), ev.sentence


def test_known_shapes_get_their_own_renderer(run):
    """The generic words are the fallback for new shapes, not what the main detectors get."""
    by_detector = {f.detector: explain(f.evidence, f.text, f.kind).renderer for f in run.findings if f.evidence}
    expect = {"entity-variants": "spellings", "boilerplate": "cues", "calques": "lexicon", "token-merge": "zipf"}
    for det, renderer in expect.items():
        if det in by_detector:
            assert by_detector[det] == renderer, det


class Text(HTMLParser):
    """Visible text of a page, leaving out the findings.json-like data blocks for scripts."""
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "pre"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "pre"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def test_rendered_evidence_has_no_raw_structures(run, tmp_path):
    """Pages show evidence as words: no braces, brackets or quoted keys outside the article's
    own text (the quoted spans and the annotated text are the article's, checked apart)."""
    write_reports(run, tmp_path, ReportSettings(pdf=False))
    for path in tmp_path.glob("doc-*.html"):
        html = path.read_text(encoding="utf-8")
        evid = re.findall(r'<(?:p class="ev-s"|table class="ev-t")>(.*?)</(?:p|table)>', html, flags=re.S)
        assert evid or "Nothing flagged" in html
        for chunk in evid:
            t = Text()
            t.feed(chunk)
            assert not RAW.search(" ".join(t.parts)), (path.name, chunk[:300])


def test_generic_words_for_an_unknown_shape():
    ev = explain({"rule": "new-rule", "score": 0.8123, "counts": {"Reuters": 2, "AFP": 1},
                  "pairs": [{"a": "x", "b": [1, 2]}, {"a": "y"}], "flag": True, "note": "a [b] {c}"})
    text = ev.words()
    assert ev.renderer == "generic"
    assert text.startswith("Rule new rule (score 0.812, flag yes, note a (b) (c))")
    assert "Reuters (2) and AFP (1)" in text and "a x, b 1 and 2; a y" in text
    assert not RAW.search(text)
    assert words({"k": {"deep": {"deeper": [1]}}}) == "k deep 1 details"
