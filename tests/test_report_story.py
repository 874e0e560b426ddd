"""The story view at hundreds of outlets: one reading text with a heat map, variant readings
grouped with counts, a few columns side by side, and a page that stays small."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from audit.report import ReportSettings, write_reports
from audit.report.model import build_report
from audit.types import AlignedGroup, Alignment, Claim, ClaimMention, Finding, RunResult, SentRef, Story
from test_report_html import make_doc

SENTENCES = [
    "Gunmen attacked a checkpoint near Kirsan on Monday, killing 12 people, officials said.",
    "The army said it had deployed 2,500 troops to the province after the attack.",
    "Witnesses said the assault began before dawn and lasted several hours.",
    "A commander of the Front claimed responsibility in a statement posted online.",
    "The government condemned the attack and promised a full investigation.",
    "Aid groups said roads into Kirsan remained blocked by checkpoints.",
]


def syndicated(n: int) -> RunResult:
    """A wire story and n-1 reprints: one in 15 gives 2,000 troops, every 7th drops the last
    sentence, every 5th rewords the third, one garbles the place name."""
    docs, members = [], {k: [] for k in range(len(SENTENCES))}
    claims = []
    findings = []
    for i in range(n):
        sents = list(SENTENCES)
        if i and i % 15 == 0:
            sents[1] = sents[1].replace("2,500", "2,000")
        if i and i % 5 == 0:
            sents[2] = "According to witnesses, the assault started before dawn and went on for hours."
        if i == 3:
            sents[5] = sents[5].replace("Kirsan", "Kirzan")
        keep = [k for k in range(len(sents)) if not (i and i % 7 == 0 and k == len(sents) - 1)]
        text = f"Attack near Kirsan\n\n" + "\n\n".join(sents[k] for k in keep) + "\n"
        d = make_doc(f"copy-{i:03d}", text, "Wire Agency" if i == 0 else f"Outlet {i:03d}", "2024-03-04")
        d.paragraphs = [l for l in d.lines]
        docs.append(d)
        for k in keep:
            a = text.index(sents[k])
            members[k].append(SentRef(d.id, a, a + len(sents[k])))
        a = text.index("2,")
        claims.append(ClaimMention(d.id, a, a + 5, 2000.0 if "2,000" in text else 2500.0, text[a:a + 5], "troops"))
        if i == 3:
            a = text.index("Kirzan")
            findings.append(Finding.at(d, a, a + 6, "entity-variant", "error", "garbled place name", "entity-variants",
                                       "Kirsan", {"rule": "consonant-change", "verdict": "garbled", "canonical": "Kirsan",
                                                  "spellings": [{"spelling": "Kirsan", "verdict": "canonical",
                                                                 "outlets": {"Wire Agency": 1}}]}))
    story = Story("s1", "story", [d.id for d in docs], "Attack near Kirsan",
                  near_copies=[{"doc": d.id, "source": docs[0].id, "score": 0.9} for d in docs[1:]])
    groups = [AlignedGroup(f"g{k}", "s1", ms, 0.9) for k, ms in members.items()]
    return RunResult(f"{n} outlets", docs, findings,
                     alignment=Alignment([story], groups, [Claim("c1", "s1", "troops deployed", claims, "g1", True)]))


@pytest.fixture(scope="module")
def forty():
    return build_report(syndicated(40), ReportSettings()).stories[0]


def test_reading_text_is_the_likely_source(forty):
    assert forty.reading.base.id == "copy-000"
    assert "likely source" in forty.reading.why and "39 articles copy it" in forty.reading.why


def test_variants_are_grouped_with_counts(forty):
    rows = {r.group_id: r for r in forty.reading.rows}
    troops = rows["g1"]
    assert troops.same == 38 and [(v.count, "2,000" in v.text) for v in troops.variants] == [(2, True)]
    assert troops.absent == 0 and troops.heat == 1        # one word in twelve, in two outlets
    worded = rows["g2"]
    assert [v.count for v in worded.variants] == [7] and worded.heat == 2   # 7 of 39 reword half of it
    assert troops.disputed and not worded.disputed
    last = rows["g5"]
    assert last.absent == 5                                # copies 7, 14, 21, 28 and 35 drop it
    assert [v.outlets for v in last.variants] == [["Outlet 003"]]
    quiet = rows["g3"]
    assert quiet.heat == 0 and not quiet.variants and quiet.same == 40


def test_claim_values_grouped_by_number(forty):
    values = forty.claims[0].values
    assert [(v.text, v.count) for v in values] == [("2,500", 38), ("2,000", 2)]


def test_columns_are_the_base_and_the_most_divergent(forty):
    cols = [dv.label for dv in forty.columns]
    assert len(cols) == 6 and cols[0] == "Wire Agency"
    assert "Outlet 015" in cols and "Outlet 030" in cols   # they differ in two sentences
    assert len(forty.rows[0].cells) == 6


def test_page_shows_heat_variants_and_switcher_data(tmp_path):
    res = syndicated(40)
    write_reports(res, tmp_path, ReportSettings(pdf=False))
    html = (tmp_path / "story-s1.html").read_text()
    assert html.count('<li id="r') == 7                     # title + six sentences
    assert "— <b>2 outlets</b>" in html and "2,000" in html
    assert html.count('<th scope="col"') == 6
    data = json.loads(re.search(r'<script type="application/json" id="story-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["docs"]) == 40 and data["groups"] == 6
    assert len(data["t"]) < 40                              # shared sentences stored once


def test_500_outlet_page_stays_small(tmp_path):
    write_reports(syndicated(500), tmp_path, ReportSettings(pdf=False))
    size = (tmp_path / "story-s1.html").stat().st_size
    assert size <= 3 * 1024 * 1024, size
    assert max(p.stat().st_size for p in tmp_path.glob("*.html")) <= 3 * 1024 * 1024


def test_story_pdf_reads_at_hundreds_of_outlets(tmp_path):
    from pypdf import PdfReader
    write_reports(syndicated(120), tmp_path, ReportSettings(html=False, pdf_per_article=False))
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "story-s1.pdf")).pages]
    text = " ".join(" ".join(pages).split())
    assert "Side by side: 6 of 120 outlets" in text and "2,000" in text
    assert len(pages) <= 15
