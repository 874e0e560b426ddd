"""HTML reports from synthetic RunResults (not the seeds): pages, segments, tables, filters,
the diff page, and the seeds run through the real pipeline."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from audit.report import ReportError, ReportSettings, write_diff_page, write_reports
from audit.report.annotate import Mark, segments
from audit.report.model import build_report, build_rows, count_words
from audit.types import (AlignedGroup, Alignment, Claim, ClaimMention, Document, EntityGroup, Finding,
                         Mention, Problem, RunResult, SentRef, SourceMeta, Span, Story, WordDiff)

ROOT = Path(__file__).resolve().parent.parent

# --- a synthetic batch: three outlets on one earthquake, one unrelated article ---------------

HESPRESS = """Death toll from Al Haouz earthquake rises to 2,946

Rabat, Sept. 13 – The death toll from the earthquake that struck Al Haouz province has risen to 2,946, the Interior Ministry said on Wednesday.
Rescue teams are still searching villages in the High Atlas mountains near Marrakesh.
Residents of Amizmiz said aid reached them on the fourth day.
Subscribe to our newsletter
"""

FRANCE = """Earthquake in Morocco: the toll rises to 2,901 dead

Rabat (AFP) – The toll of the earthquake which struck the province of Al-Hauz has risen to 2,901 dead, announced the Ministry Of the Interior Tuesday.
Rescue teams are still searching villages in the High Atlas mountains near Marrakch. .
The king Mohammed VI visited the wounded at the hospital of Marrakech, took the floor and thanked the rescuers.
which had arrived from Spain and Qatar.
Photo: AFP / Fadel Senna
"""

EFE = """Morocco: the earthquake leaves 2,946 dead according to the new balance

Madrid (EFE) – The earthquake which struck El Haouz has left 2,946 dead, the Interior Ministry said on Wednesday in its new balance.
Villagers in Amizmiz said that theaid arrived only on the fourth day.
The Spanish rescuers (الوحدة العسكرية للطوارئ) returned to Madrid.
"""

OTHER = """Parliament passes the budget for 2024

Dakar – The National Assembly of Senegal adopted the budget on Saturday after a long debate.
"""

SENT = re.compile(r"[^\n]+")


def make_doc(doc_id: str, text: str, outlet: str, date: str, lang: str = "en") -> Document:
    lines = [Span(m.start(), m.end()) for m in SENT.finditer(text)]
    return Document(id=doc_id, path=f"batch/{doc_id}.txt", text=text, outlet=outlet, date=date,
                    title=text[lines[0].start:lines[0].end], title_span=lines[0], lang=lang,
                    lines=lines, paragraphs=list(lines), sentences=list(lines),
                    source=SourceMeta(name=outlet, outlet=outlet))


def span(doc: Document, needle: str, occurrence: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = doc.text.index(needle, pos + 1)
    return pos, pos + len(needle)


def find(doc: Document, needle: str, kind: str, severity: str, message: str, suggestion=None,
         evidence=None, occurrence: int = 1) -> Finding:
    s, e = span(doc, needle, occurrence)
    return Finding.at(doc, s, e, kind, severity, message, f"test-{kind}", suggestion, evidence)


def line_ref(doc: Document, needle: str) -> SentRef:
    s, _ = span(doc, needle)
    ln = next(l for l in doc.lines if l.start <= s < l.end)
    return SentRef(doc.id, ln.start, ln.end)


def word_ops(a: str, b: str) -> list[tuple[int, str]]:
    """Word-level ops in diff-match-patch form (what the alignment stage hands over)."""
    import difflib
    ta, tb = re.findall(r"\S+\s*", a), re.findall(r"\S+\s*", b)
    ops: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append((0, "".join(ta[i1:i2])))
        else:
            if i2 > i1:
                ops.append((-1, "".join(ta[i1:i2])))
            if j2 > j1:
                ops.append((1, "".join(tb[j1:j2])))
    return ops


def build_sample() -> RunResult:
    h = make_doc("hespress-0913", HESPRESS, "Hespress English", "2023-09-13")
    f = make_doc("f24-0912", FRANCE, "France 24 (AFP)", "2023-09-12")
    e = make_doc("efe:17", EFE, "EFE", "2023-09-13")
    o = make_doc("senegal-budget", OTHER, "APS", "2023-12-02")
    h.noise = [Span(*span(h, "Subscribe to our newsletter"))]
    f.noise = [Span(*span(f, "Photo: AFP / Fadel Senna"))]
    findings = [
        find(h, "Subscribe to our newsletter", "boilerplate", "info", "site chrome: newsletter prompt",
             evidence={"rule": "boilerplate pattern", "pattern": "subscribe to"}),
        find(f, "Photo: AFP / Fadel Senna", "caption", "info", "photo credit line"),
        find(f, "Al-Hauz", "entity-variant", "warning", "Spanish/French romanisation of a Moroccan place",
             "Al Haouz", {"other spellings": {"Al Haouz": {"Hespress English": 1}}, "verdict": "foreign"}),
        find(f, "Marrakch", "entity-variant", "error", "garbled city name", "Marrakesh",
             {"edit distance": 1, "zipf": 0.0}),
        find(f, ". .", "punctuation", "warning", "doubled full stop", "."),
        find(f, "Ministry Of the Interior", "calque", "warning",
             "French word order (ministère de l'Intérieur)", "Interior Ministry"),
        find(f, "Of", "casing", "warning", "capitalised function word", "of"),
        find(f, "took the floor", "calque", "info", "calque of French 'a pris la parole'", "spoke"),
        find(f, "which had arrived from Spain and Qatar.", "fragment", "warning",
             "relative clause cut loose after a full stop"),
        find(e, "theaid", "token-merge", "error", "two words run together", "the aid",
             {"parts": ["the", "aid"], "zipf": [7.7, 5.0]}),
        find(e, "balance", "mistranslation", "warning", "Spanish 'balance' means toll here", "toll"),
        find(e, "الوحدة العسكرية للطوارئ", "language-residue", "info", "Arabic text left in English copy"),
        find(h, "2,946", "discrepancy", "warning", "France 24 (AFP) reports 2,901 (a day earlier)"),
    ]
    ents = [
        EntityGroup("e1", "Al Haouz", "gazetteer",
                    [Mention(h.id, *span(h, "Al Haouz"), "Al Haouz"), Mention(f.id, *span(f, "Al-Hauz"), "Al-Hauz"),
                     Mention(e.id, *span(e, "El Haouz"), "El Haouz")],
                    {"Al Haouz": "canonical", "El Haouz": "acceptable", "Al-Hauz": "foreign"}),
        EntityGroup("e2", "Marrakesh", "consensus",
                    [Mention(h.id, *span(h, "Marrakesh"), "Marrakesh"), Mention(f.id, *span(f, "Marrakch"), "Marrakch"),
                     Mention(f.id, *span(f, "Marrakech"), "Marrakech")],
                    {"Marrakesh": "canonical", "Marrakech": "acceptable", "Marrakch": "garbled"}),
    ]
    story = Story("s1", "story", [h.id, f.id, e.id], "Morocco earthquake toll",
                  near_copies=[{"doc": e.id, "source": h.id, "score": 0.61}])
    g1 = AlignedGroup("g1", "s1", [line_ref(h, "The death toll"), line_ref(f, "The toll of"),
                                   line_ref(e, "The earthquake which")], 0.82)
    g2 = AlignedGroup("g2", "s1", [line_ref(h, "Rescue teams"), line_ref(f, "Rescue teams")], 0.97)
    g3 = AlignedGroup("g3", "s1", [line_ref(h, "Residents of Amizmiz"), line_ref(e, "Villagers in Amizmiz")], 0.71)
    a, b = g2.members
    diff = WordDiff(a, b, word_ops(h.text[a.start:a.end], f.text[b.start:b.end]),
                    marks=[{"text": "Marrakch", "kind": "entity-variant", "verdict": "garbled",
                            "suggestion": "Marrakesh"}])
    claim = Claim("c1", "s1", "earthquake deaths",
                  [ClaimMention(h.id, *span(h, "2,946"), 2946, "2,946", "dead", "Morocco", h.date),
                   ClaimMention(f.id, *span(f, "2,901"), 2901, "2,901", "dead", "Morocco", f.date),
                   ClaimMention(e.id, *span(e, "2,946"), 2946, "2,946", "dead", "Morocco", None)],
                  "g1", discrepancy=True)
    return RunResult(
        name="Maghreb desk – week 37", documents=[h, f, e, o], findings=findings, entities=ents,
        alignment=Alignment([story], [g1, g2, g3], [claim], [diff]),
        problems=[Problem("batch/broken.html:3", "not valid UTF-8 (byte 0xff at offset 41)")],
        provenance={f.id: {"lang": "fr", "score": 0.9, "evidence": ["calque"]},
                    e.id: {"lang": "es", "score": 0.7, "evidence": []}},
        settings={"name": "Maghreb desk – week 37", "detectors": {"calque": {"enabled": True}}},
        timings={"ingest": 0.012, "artifacts": 0.31})


# --- a tiny HTML reader: visible text and elements, without a browser -------------------------

class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag
                and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> tuple[RunResult, Path, list[Path]]:
    res = build_sample()
    out = tmp_path_factory.mktemp("report")
    (out / "notes.txt").write_text("the desk's own file")
    written = write_reports(res, out, ReportSettings(pdf=False))
    return res, out, written


# --- segments ---------------------------------------------------------------------------------

def test_overlapping_spans_become_flat_segments_with_every_cover():
    text = "the Ministry Of the Interior said"
    marks = [Mark("calque", 4, 28), Mark("casing", 13, 15), Mark("name", 0, 12)]
    segs = segments(text, 0, len(text), marks)
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s.keys for s in segs}
    assert by_text["Of"] == ["calque", "casing"]
    assert by_text["Ministry"] == ["calque", "name"]
    assert by_text[" said"] == []
    assert [s.text for s in segs if "calque" in s.opens] == ["Ministry"]
    assert [s.text for s in segs if "calque" in s.closes] == [" the Interior"]


def test_segments_clip_to_range_and_flag_noise():
    text = "Intro line.\nPhoto: Reuters\nBody text here."
    noise = [Span(12, 26)]
    segs = segments(text, 5, 32, [Mark("x", 0, 8), Mark("y", 30, 40)], noise)
    assert "".join(s.text for s in segs) == text[5:32]
    assert [s.text for s in segs if s.noise] == ["Photo: Reuters"]
    assert segs[0].keys == ["x"] and segs[0].opens == ["x"]
    assert segs[-1].keys == ["y"] and segs[-1].closes == ["y"]


def test_segments_reject_range_outside_text():
    with pytest.raises(ValueError):
        segments("abc", 0, 9, [])


def test_content_words_exclude_noise():
    d = make_doc("x", "Alpha beta gamma\nRead more at example.com\n", "X", "2024-01-01")
    d.noise = [Span(17, 41), Span(20, 30)]  # overlapping ranges count once
    assert count_words(d) == (7, 3)


# --- view-model -------------------------------------------------------------------------------

def test_score_counts_artifact_families_per_thousand_content_words():
    res = build_sample()
    view = build_report(res, ReportSettings())
    f24 = next(d for d in view.docs if d.id == "f24-0912")
    # entity warning + entity error + punctuation + calque + casing + calque info + fragment:
    # 1 + 3 + 1 + 1 + 1 + 0.25 + 1 = 8.25 weighted; the caption is noise and does not count
    assert f24.weighted == pytest.approx(8.25)
    assert f24.score == round(8.25 * 1000 / f24.content_words, 1)
    assert f24.source_lang == "fr"
    other = next(d for d in view.docs if d.id == "senegal-budget")
    assert other.score == 0


def test_story_rows_keep_each_column_in_order():
    res = build_sample()
    view = build_report(res, ReportSettings())
    story = view.stories[0]
    kinds = [r.kind for r in story.rows]
    assert kinds.count("aligned") == 3
    for i, dv in enumerate(story.docs):
        starts = [seg_start(dv, b) for r in story.rows for b in r.cells[i]]
        assert starts == sorted(starts), dv.id
    g2 = next(r for r in story.rows if r.group_id == "g2")
    assert g2.cells[2] == [] and len(g2.diffs) == 1
    marked = [p for p in g2.diffs[0].pieces if p.mark]
    assert [p.text for p in marked] == ["Marrakch"] and "garbled" in marked[0].mark


def seg_start(dv, block) -> int:
    text = "".join(s.text for s in block.segs)
    return dv.doc.text.index(text)


def test_rows_without_alignment_put_every_document_in_one_row():
    res = build_sample()
    view = build_report(res, ReportSettings())
    docs = view.docs[:2]
    rows = build_rows(docs, [])
    assert len(rows) == 1 and rows[0].kind == "unique"
    shown = "".join(s.text for b in rows[0].cells[1] for s in b.segs)
    assert "Ministry Of the Interior" in shown and "Photo: AFP" in shown


def test_entity_spellings_list_outlets_and_verdicts():
    view = build_report(build_sample(), ReportSettings())
    marr = next(e for e in view.entities if e.canonical == "Marrakesh")
    rows = {s.spelling: (s.verdict, s.outlets) for s in marr.spellings}
    assert rows["Marrakch"] == ("garbled", [("France 24 (AFP)", 1)])
    assert marr.spellings[0].spelling == "Marrakesh"


# --- pages ------------------------------------------------------------------------------------

def test_pages_written_and_user_files_kept(sample_out):
    res, out, written = sample_out
    names = sorted(p.name for p in written)
    assert names == sorted(["index.html", "story-s1.html", "doc-hespress-0913.html", "doc-f24-0912.html",
                            "doc-efe_17.html", "doc-senegal-budget.html", ".audit-page-cache.json"])
    assert (out / "notes.txt").read_text() == "the desk's own file"
    assert not list(out.glob(".*.tmp"))


def test_index_shows_documents_entities_claims_problems_and_charts(sample_out):
    _, out, _ = sample_out
    html = (out / "index.html").read_text()
    page = Page(html)
    text = " ".join(page.text)
    for expected in ("Hespress English", "France 24 (AFP)", "Issue score", "per 1,000 content",
                     "Marrakch", "garbled", "2,901", "2023-09-12", "values disagree",
                     "batch/broken.html:3", "not valid UTF-8", "Findings per outlet"):
        assert expected in text, expected
    assert page.find("a", href="story-s1.html") and page.find("a", href="doc-efe_17.html")
    assert "<svg" in html and "http://www.w3.org/2000/svg" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "external asset"


def test_document_page_links_findings_to_spans(sample_out):
    res, out, _ = sample_out
    page = Page((out / "doc-f24-0912.html").read_text())
    links = {a["href"][1:] for a in page.find("a") if (a.get("href") or "").startswith("#f")}
    ids = {a["id"] for _, a in page.elements if a.get("id")}
    assert links and links <= ids
    hl = [a for t, a in page.elements if "hl" in (a.get("class") or "").split()]
    assert all(a.get("tabindex") == "0" for a in hl)
    # the casing finding sits inside the calque: one segment carries both
    assert any(a["data-m"].split() == ["surface:casing:warning", "translation:calque:warning"] for a in hl)
    assert any("noise" in (a.get("class") or "") for _, a in page.elements)


def test_document_text_is_complete_and_in_order(sample_out):
    res, out, _ = sample_out
    html = (out / "doc-efe_17.html").read_text()
    body = html[html.index('<div class="text"'):html.index("</section>")]
    visible = re.sub(r'<span class="tip".*?</span></span></span>', "", body, flags=re.S)
    import html as h
    plain = h.unescape(re.sub(r"<[^>]+>", "", visible))
    assert plain.strip() == res.doc("efe:17").text.strip()


def test_story_page_columns_diffs_and_marks(sample_out):
    _, out, _ = sample_out
    html = (out / "story-s1.html").read_text()
    page = Page(html)
    assert len(page.find("th", scope="col")) == 4  # gutter + three outlets
    assert html.count('<tr class="aligned') == 3
    assert "<del>" in html and "<ins>" in html
    assert '<mark class="artifact" tabindex="0">Marrakch' in html
    assert "hidden" in page.find("form", id="filters")[0]  # shown by the script only


def test_filter_controls_list_only_present_families(sample_out):
    _, out, _ = sample_out
    page = Page((out / "doc-senegal-budget.html").read_text())
    assert not page.find("form", id="filters")
    page = Page((out / "doc-efe_17.html").read_text())
    fams = [a["value"] for a in page.find("input", name="family")]
    assert fams == ["surface", "translation"]


def test_diff_page_for_two_documents(tmp_path):
    res = build_sample()
    keep = {"hespress-0913", "f24-0912"}
    pair = RunResult(res.name, [d for d in res.documents if d.id in keep],
                     [f for f in res.findings if f.doc_id in keep], alignment=res.alignment,
                     provenance=res.provenance)
    path = write_diff_page(pair, tmp_path / "a-vs-b.html", ReportSettings())
    html = path.read_text()
    assert "Hespress English vs France 24 (AFP)" in html
    assert html.count('<tr class="aligned') == 2   # g1 and g2 have both; g3 only one of them
    assert "<del>" in html and "Findings in France 24 (AFP)" in html
    assert "Amizmiz said aid reached" in html  # g3's Hespress sentence, now unaligned
    head = Page(html[html.index('<table class="data docs">'):html.index("</table>")])
    cells = " ".join(head.text)
    for d in pair.documents:                    # id and headline, as on the index, not the path
        assert d.id in cells and d.title in cells and d.path not in cells
    table = html[html.index('<table class="data docs">'):html.index("</table>")]
    assert '<td>fr <span class="muted">(0.9)</span></td>' in table      # probable source language
    assert '<td><span class="muted">en</span></td>' in table            # else the detected one


def test_counts_read_in_the_singular_and_plural(tmp_path):
    res = build_sample()
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    cards = " ".join(" ".join(Page((tmp_path / "index.html").read_text()).text).split())
    assert "1 story" in cards and "1 stories" not in cards and "4 documents" in cards
    res.alignment.stories.append(Story("s2", "story", ["senegal-budget", "efe:17"], "Budget"))
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    cards = " ".join(" ".join(Page((tmp_path / "index.html").read_text()).text).split())
    assert "2 stories" in cards


def test_empty_result_still_renders(tmp_path):
    res = RunResult("empty batch", [], [])
    written = write_reports(res, tmp_path, ReportSettings(pdf=False))
    assert [p.name for p in written] == ["index.html"]
    assert "No documents were read" in (tmp_path / "index.html").read_text()


def test_missing_template_is_one_clear_error(tmp_path):
    import shutil
    tpl = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", tpl)
    (tpl / "story.html").unlink()
    with pytest.raises(ReportError, match=r"report template missing: .*tpl/story\.html"):
        write_reports(build_sample(), tmp_path / "out", ReportSettings(pdf=False, templates_dir=tpl))
    with pytest.raises(ReportError, match="templates folder not found"):
        write_reports(build_sample(), tmp_path / "out", ReportSettings(templates_dir=tmp_path / "nope"))


def test_settings_reject_unknown_keys_and_bad_weights():
    with pytest.raises(ValueError, match="extra"):
        ReportSettings.model_validate({"pagesize": "A4"})
    with pytest.raises(ValueError, match=">= 0"):
        ReportSettings.model_validate({"score_weights": {"error": -1}})
    assert ReportSettings.model_validate({"score_weights": {"error": 5}}).score_weights["info"] == 0.25


# --- the seeds through the real pipeline ------------------------------------------------------

def test_seeds_report_renders_whatever_stages_exist(tmp_path):
    from audit import config, ingest, pipeline
    docs, problems = ingest.load_paths(sorted((ROOT / "seeds").glob("*.txt")))
    res = pipeline.analyse(docs, config.Config(), name="seeds", problems=problems)
    written = write_reports(res, tmp_path, ReportSettings(pdf=False))
    assert len([p for p in written if p.name.startswith("doc-")]) == len(docs) == 5
    assert len([p for p in written if p.name.startswith("story-")]) == len(res.alignment.stories)
    index = (tmp_path / "index.html").read_text()
    for d in docs:
        assert d.id in index
    for f in res.findings:
        page = (tmp_path / f"doc-{f.doc_id}.html").read_text()
        assert f'data-m="{f.family}:{f.kind}:{f.severity}' in page or f"{f.family}:{f.kind}:{f.severity}" in page


def test_consistently_spelled_entities_are_listed_not_tabled(tmp_path):
    res = build_sample()
    h = res.doc("hespress-0913")
    res.entities.append(EntityGroup("e3", "Rabat", "gazetteer", [Mention(h.id, *span(h, "Rabat"), "Rabat")],
                                    {"Rabat": "canonical"}))
    view = build_report(res, ReportSettings())
    assert [e.canonical for e in view.plain_entities] == ["Rabat"]
    assert "Rabat" not in [e.canonical for e in view.varied_entities]
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    html = (tmp_path / "index.html").read_text()
    table = html[html.index('<table class="data entities">'):]
    table = table[:table.index("</table>")]
    assert "Rabat" not in table and "Marrakch" in table
    assert "Spelled consistently (1)" in html


def test_broken_custom_template_names_the_file(tmp_path):
    import shutil
    tpl = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", tpl)
    (tpl / "index.html").write_text('{% extends "base.html" %}{% block main %}{{ report.no_such_field }}{% endblock %}')
    with pytest.raises(ReportError, match=r"tpl/index\.html: template error: .*no_such_field"):
        write_reports(build_sample(), tmp_path / "out", ReportSettings(pdf=False, templates_dir=tpl))
    (tpl / "index.html").write_text("{% if %}")
    with pytest.raises(ReportError, match=r"tpl/index\.html:1: template error"):
        write_reports(build_sample(), tmp_path / "out", ReportSettings(pdf=False, templates_dir=tpl))


def test_an_article_page_names_the_source_language_in_words(tmp_path):
    """'probably translated from es' read as a code to editors: the sentence names the language."""
    from audit import config, ingest, pipeline
    from audit.report import ReportSettings, write_reports
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    docs, problems = ingest.load_paths([seeds / "004_b437bb3b9080d679.txt"])
    res = pipeline.analyse(docs, config.Config(), name="one", problems=problems)
    assert res.provenance[docs[0].id].get("lang") == "es"
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    page = next(tmp_path.glob("doc-*.html")).read_text(encoding="utf-8")
    assert "probably translated from <b>Spanish</b>" in page
