"""Hostile article text stays inert: escaped in every HTML page and in the PDF, and the PDF
renderer never fetches from the network."""
from __future__ import annotations

import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest

import audit.report.pdf as report_pdf
from audit.report import ReportSettings, write_diff_page, write_reports
from audit.types import (AlignedGroup, Alignment, Claim, ClaimMention, EntityGroup, Finding, Mention,
                         Problem, RunResult, SentRef, Story, WordDiff)
from test_report_html import make_doc, span

ROOT = Path(__file__).resolve().parent.parent
EVIL = '<script>alert(1)</script>'
HOSTILE = f"""Breaking: {EVIL} in the {{{{ 7*7 }}}} council</style><style>body{{display:none}}</style>

Officials in Lagos said <img src="http://example.com/x.png" onerror="alert(2)"> the vote was delayed.
A second line with <a href="javascript:alert(3)">a link</a> and url(http://example.com/bg.png) inside.
<style>@import url("http://example.com/evil.css");</style><link rel="stylesheet" href="https://example.com/s.css">
"""
TWIN = """Breaking: the council vote in Lagos was delayed again

Officials in Lagos said the vote was delayed until Friday.
"""


def hostile_result() -> RunResult:
    d = make_doc("evil", HOSTILE, 'Daily "Quote" <b>Bold</b>', "2024-03-01")
    t = make_doc("twin", TWIN, "Punch", "2024-03-01")
    d.removed = ['<iframe src="http://example.com/ad"></iframe>', EVIL]
    d.url = "javascript:alert(4)"
    fs = [Finding.at(d, *span(d, EVIL), "token-merge", "error", f"message {EVIL}", "x",
                     f"<b>{EVIL}</b>", {"html": EVIL, "nested": {"k": "</style>"}}),
          Finding.at(d, *span(d, "{{ 7*7 }}"), "calque", "warning", "{{ 7*7 }}", "{% raw %}", {}),
          Finding.at(d, *span(d, '<img src="http://example.com/x.png" onerror="alert(2)">'), "fragment",
                     "info", "img tag in text", None, {})]
    g = AlignedGroup("g", "s", [SentRef(d.id, *span(d, "Officials in Lagos said <img")),
                                SentRef(t.id, *span(t, "Officials in Lagos said the vote"))], 0.5)
    ln_d = next(l for l in d.lines if d.text[l.start:l.end].startswith("Officials"))
    ln_t = next(l for l in t.lines if t.text[l.start:l.end].startswith("Officials"))
    g.members = [SentRef(d.id, ln_d.start, ln_d.end), SentRef(t.id, ln_t.start, ln_t.end)]
    diff = WordDiff(g.members[0], g.members[1],
                    [(0, "Officials in Lagos said "), (-1, '<img src="http://example.com/x.png" onerror="alert(2)"> '),
                     (0, "the vote was delayed"), (1, " until Friday")],
                    marks=[{"text": "<img", "kind": EVIL}])
    return RunResult(
        name=f"batch {EVIL} {{{{ 7*7 }}}}</title>", documents=[d, t], findings=fs,
        entities=[EntityGroup("e", f"Lagos {EVIL}", "consensus", [Mention(d.id, *span(d, "Lagos"), "Lagos")],
                              {"Lagos": f"garbled{EVIL}"})],
        alignment=Alignment([Story("s", "story", [d.id, t.id], f"story {EVIL}",
                                   [{"doc": d.id, "source": t.id, "score": 0.9}])], [g],
                            [Claim("c", "s", f"about {EVIL}", [ClaimMention(d.id, *span(d, "7"), 7, "7", EVIL, EVIL)],
                                   discrepancy=True)], [diff]),
        problems=[Problem(f"in/{EVIL}.txt:1", f"bad {EVIL}")],
        provenance={d.id: {"lang": f"fr{EVIL}", "score": 0.5}},
        settings={"name": EVIL, "css": "</style><script>alert(5)</script>"}, timings={EVIL: 0.1})


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    written = write_reports(hostile_result(), out, ReportSettings(pdf=False))
    diff = write_diff_page(hostile_result(), out / "diff-evil.html", ReportSettings())
    return [p for p in written if p.suffix == ".html"] + [diff]


def test_html_pages_have_only_our_markup(hostile_out):
    import json
    ours = {(ROOT / "templates" / "static" / f"{n}.js").read_text() for n in ("filters", "story", "index")}
    assert len(hostile_out) == 5  # index, story, two documents, diff
    for page in hostile_out:
        html = page.read_text()
        tags = Tags(html)
        names = [t for t, _ in tags.tags]
        scripts = [a for t, a in tags.tags if t == "script"]
        code = [b for a, b in zip(scripts, tags.script_bodies) if a.get("type") != "application/json"]
        data = [b for a, b in zip(scripts, tags.script_bodies) if a.get("type") == "application/json"]
        assert code and set(code) <= ours, page.name            # only our own scripts run
        for d in data:                                           # data blocks: inert JSON that stays inside
            assert "<" not in d and json.loads(d), page.name
        assert len(code) + len(data) == names.count("script"), page.name
        assert names.count("style") == 1, page.name
        for bad in ("img", "iframe", "link"):
            assert bad not in names, (page.name, bad)
        assert not [a for _, attrs in tags.tags for a in attrs if a.startswith("on")], page.name
        assert not [v for _, attrs in tags.tags for v in attrs.values() if v and "javascript:" in v]
        assert "the 49 council" not in html and "{{ 7*7 }}" in html  # never evaluated
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_reads_literally(hostile_out):
    index = next(p for p in hostile_out if p.name == "index.html").read_text()
    doc = next(p for p in hostile_out if p.name == "doc-evil.html").read_text()
    assert "{{ 7*7 }}" in doc and "&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in doc
    assert "&lt;iframe" in doc  # removed blocks listed as text
    assert "Daily &#34;Quote&#34; &lt;b&gt;Bold&lt;/b&gt;" in index
    assert 'url(http://example.com/bg.png)' in doc  # as text, outside any <style>


def test_pdf_is_inert_and_fetches_nothing(tmp_path, monkeypatch):
    fetchers = []
    real = report_pdf.local_only_fetcher

    def spy(root):
        f = real(root)
        fetchers.append(f)
        return f

    def no_network(*a, **k):
        raise AssertionError(f"network access attempted: {a}")

    monkeypatch.setattr(report_pdf, "local_only_fetcher", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    # one process, so the spy sees every fetcher (workers would build their own)
    written = write_reports(hostile_result(), tmp_path, ReportSettings(html=False, pdf_workers=1))
    # the hostile article has an error, so it gets its own PDF (and so does its story)
    assert {p.name for p in written if p.suffix == ".pdf"} == {"summary.pdf", "story-s.pdf", "doc-evil.pdf"}
    assert len(fetchers) == 3
    assert fetchers and all(not f.asked for f in fetchers)  # escaped text asks for nothing
    from pypdf import PdfReader
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "summary.pdf")).pages)
    assert EVIL in text and "{{ 7*7 }}" in text and "</style>" in text
    assert "the 49 council" not in text


def test_fetcher_refuses_network_and_files_outside_the_report(tmp_path, monkeypatch):
    import weasyprint
    from PIL import Image
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail(f"network: {a}"))
    (tmp_path / "report").mkdir()
    Image.new("RGB", (3, 3), "red").save(tmp_path / "report" / "ok.png")
    Image.new("RGB", (3, 3), "blue").save(tmp_path / "outside.png")
    f = report_pdf.local_only_fetcher(tmp_path / "report")
    html = ('<img src="http://example.com/x.png"><img src="ok.png"><img src="../outside.png">'
            '<div style="background: url(https://example.com/b.png)">x</div>'
            '<style>@import url("http://example.com/a.css");</style>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')
    weasyprint.HTML(string=html, base_url=str(tmp_path / "report") + "/", url_fetcher=f).write_pdf()
    assert set(f.refused) == {"http://example.com/x.png", "https://example.com/b.png",
                              "http://example.com/a.css", (tmp_path / "outside.png").as_uri()}
    assert (tmp_path / "report" / "ok.png").as_uri() in f.asked
    assert (tmp_path / "report" / "ok.png").as_uri() not in f.refused
