"""The cache of earlier runs never changes a result: cached, uncached and damaged-cache runs write
the same findings; a re-run after new articles arrive reuses the untouched ones' work."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from audit import pipeline, serialize
from audit.cache import Cache
from audit.cli import main
from audit.config import Config
from audit.ingest import plan
from audit.types import RunResult

ROOT = Path(__file__).resolve().parent.parent


def run(folder: Path, cache: Cache) -> RunResult:
    cfg = Config.model_validate({"sources": [{"paths": [str(folder)]}]})
    inputs, problems = plan(cfg.sources, folder)
    docs, more = pipeline.load(inputs, cfg.language, cache)
    return pipeline.analyse(docs, cfg, name="batch", problems=problems + more, cache=cache)


def as_json(result: RunResult) -> str:
    data = serialize.to_json(result, generated_at="-")
    data["run"].pop("timings")
    return json.dumps(data, sort_keys=True)


def test_cached_and_uncached_runs_are_equal(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "heldout", batch, ignore=shutil.ignore_patterns("*.yaml", "*.md"))
    plain = as_json(run(batch, Cache(None)))
    cache = Cache(tmp_path / "cache")
    first = as_json(run(batch, cache))
    assert cache.hits == 0 and cache.misses > 0
    again = Cache(tmp_path / "cache")
    second = as_json(run(batch, again))
    assert again.misses == 0 and again.hits > 0           # nothing recomputed
    assert plain == first == second


def test_a_damaged_or_half_written_entry_is_a_miss_not_a_result(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml"))
    expected = as_json(run(batch, Cache(tmp_path / "cache")))
    entries = sorted((tmp_path / "cache").rglob("*.pkl"))
    assert entries
    for i, p in enumerate(entries):                     # truncated, flipped, emptied
        raw = p.read_bytes()
        p.write_bytes(raw[: len(raw) // 2] if i % 3 == 0 else b"" if i % 3 == 1 else raw[:-1] + b"x")
    (tmp_path / "cache" / "00").mkdir(exist_ok=True)
    (tmp_path / "cache" / "00" / ".abc.tmp").write_bytes(b"left by an interrupted run")
    damaged = Cache(tmp_path / "cache")
    assert as_json(run(batch, damaged)) == expected
    assert damaged.errors >= len(entries) - 1 and damaged.hits == 0


def test_new_articles_reuse_the_work_on_the_others(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for p in seeds[:3]:
        shutil.copy(p, batch)
    run(batch, Cache(tmp_path / "cache"))
    for p in seeds[3:]:
        shutil.copy(p, batch)
    cache = Cache(tmp_path / "cache")
    incremental = as_json(run(batch, cache))
    assert cache.hits >= 3                    # at least the three old files' ingest
    assert incremental == as_json(run(batch, Cache(None)))


def test_settings_are_part_of_the_key(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "seeds", batch, ignore=shutil.ignore_patterns("*.yaml"))
    cache = Cache(tmp_path / "cache")
    run(batch, cache)
    cfg = Config.model_validate({"sources": [{"paths": [str(batch)]}],
                                 "boilerplate": {"enabled": False}})
    inputs, _ = plan(cfg.sources, batch)
    docs, _ = pipeline.load(inputs, cfg.language, cache)
    res = pipeline.analyse(docs, cfg, cache=cache)
    assert not any(f.family == "noise" for f in res.findings)


def test_cli_cache_lives_in_the_output_folder_or_cache_dir(tmp_path):
    (tmp_path / "in").mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        shutil.copy(p, tmp_path / "in")
    cfg = tmp_path / "batch.yaml"
    cfg.write_text("sources:\n  - paths: in\noutput: out\nreport: {html: false, pdf: false}\n",
                   encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["run", "-c", str(cfg), "-q"]).exit_code == 0
    assert any((tmp_path / "out" / ".audit-cache").rglob("*.pkl"))
    cfg.write_text(cfg.read_text(encoding="utf-8") + "execution: {cache_dir: shared-cache}\n",
                   encoding="utf-8")
    assert runner.invoke(main, ["run", "-c", str(cfg), "-q"]).exit_code == 0
    assert any((tmp_path / "shared-cache").rglob("*.pkl"))
