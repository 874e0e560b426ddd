"""The output manifest: a re-run retires only the files audit itself wrote and nobody changed."""
from __future__ import annotations

import hashlib
import json

from audit.report import manifest


def test_retire_removes_unchanged_own_files_not_written_again(tmp_path):
    for name, text in (("index.html", "v1"), ("story-old.html", "old story"), ("doc-a.html", "a")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    manifest.record(tmp_path, [tmp_path / n for n in ("index.html", "story-old.html", "doc-a.html")])
    previous = manifest.read(tmp_path)
    assert set(previous) == {"index.html", "story-old.html", "doc-a.html"}
    (tmp_path / "doc-a.html").write_text("annotated by the desk", encoding="utf-8")
    (tmp_path / "index.html").write_text("v2", encoding="utf-8")          # written again this run
    removed = manifest.retire(tmp_path, previous, {"index.html"})
    assert removed == ["story-old.html"]
    assert (tmp_path / "doc-a.html").read_text(encoding="utf-8") == "annotated by the desk"
    assert (tmp_path / "index.html").exists()


def test_a_tampered_manifest_cannot_reach_outside_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep", encoding="utf-8")
    digest = hashlib.sha256(b"keep").hexdigest()
    (out / manifest.MANIFEST).write_text(json.dumps({"files": {"../precious.txt": digest,
                                                               str(victim): digest}}), encoding="utf-8")
    assert manifest.read(out) == {}
    assert manifest.retire(out, {"../precious.txt": digest, str(victim): digest}, set()) == []
    assert victim.read_text(encoding="utf-8") == "keep"


def test_unreadable_manifest_means_no_previous_run(tmp_path):
    (tmp_path / manifest.MANIFEST).write_text("{not json", encoding="utf-8")
    assert manifest.read(tmp_path) == {}
