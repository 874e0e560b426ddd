"""The map/reduce pipeline gives the same findings.json whatever runs it: one process, a pool of
three workers, or (test_dask.py) a Dask cluster; and `--jobs` / `execution:` choose."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import pipeline, serialize
from audit.cli import main
from audit.config import Config, ConfigError, parse_config
from audit.execution import ProcessExecutor, SerialExecutor, make_executor
from audit.ingest import load_paths

ROOT = Path(__file__).resolve().parent.parent


def findings_json(result) -> dict:
    """findings.json of a run, without what legitimately differs between runs (time)."""
    data = serialize.to_json(result, generated_at="-")
    data["run"].pop("timings")
    return data


def run_with(executor, paths: list[Path]) -> dict:
    docs, problems = load_paths(paths, Config().language)
    with executor:
        return findings_json(pipeline.analyse(docs, Config(), name="batch", problems=problems,
                                              executor=executor))


def test_one_and_three_workers_write_the_same_findings():
    paths = [ROOT / "heldout"]             # seeds and heldout go through Dask in test_dask.py
    one = run_with(SerialExecutor(), paths)
    pool = ProcessExecutor(3)
    three = run_with(pool, paths)
    assert pool.tasks_run >= 3                          # the work really went to the pool
    assert len(one["documents"]) == 8 and one["findings"] and one["stories"]
    assert json.dumps(one, sort_keys=True) == json.dumps(three, sort_keys=True)


def test_jobs_and_execution_config_choose_the_executor():
    assert isinstance(make_executor(None, jobs=1), SerialExecutor)
    ex = make_executor(None, jobs=2)
    assert isinstance(ex, ProcessExecutor) and ex.workers == 2
    ex.close()
    cfg = parse_config("execution: {jobs: 3, cache: false}\n")
    ex = make_executor(cfg.execution, n_items=1000)
    assert isinstance(ex, ProcessExecutor) and ex.workers == 3
    ex.close()
    # the default (every core) keeps a small batch in this process: workers would cost more
    assert isinstance(make_executor(Config().execution, n_items=5), SerialExecutor)


@pytest.mark.parametrize("text, message", [
    ("execution: {jobs: 0}\n", "execution.jobs"),
    ("execution: {backend: threads}\n", "execution.backend"),
    ("execution: {scheduler: 'localhost:8786'}\n", "execution.scheduler"),
    ("execution: {worker: 2}\n", "execution.worker"),
])
def test_execution_config_is_validated(text, message):
    with pytest.raises(ConfigError) as e:
        parse_config(text)
    assert any(message in line and line.startswith("config.yaml:1:") for line in e.value.errors)


def test_cli_jobs_flag_runs_the_pool_and_matches_one_job(tmp_path):
    runner = CliRunner()
    (tmp_path / "in").mkdir()
    for p in (ROOT / "seeds").glob("*.txt"):
        (tmp_path / "in" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    cfg = tmp_path / "batch.yaml"
    cfg.write_text("name: seeds\nsources:\n  - paths: in\noutput: out\nreport: {html: false, pdf: false}\n",
                   encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = runner.invoke(main, ["run", "-c", str(cfg), "--out", str(out), "-q", "--jobs", jobs,
                                   "--no-cache"])
        assert res.exit_code == 0, res.output
        data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        data["run"].pop("timings"), data["run"].pop("generated_at")
        outs.append(data)
        assert not (out / ".audit-cache").exists()          # --no-cache writes no cache either
    assert outs[0] == outs[1]
    assert "execution" not in outs[0]["run"]["settings"]    # where it ran is not a result
    res = runner.invoke(main, ["run", "-c", str(cfg), "--jobs", "0"])
    assert res.exit_code == 2 and "--jobs" in res.output


def test_streamed_findings_json_equals_the_dict(tmp_path):
    docs, problems = load_paths([ROOT / "seeds"], Config().language)
    result = pipeline.analyse(docs, Config(), name="seeds", problems=problems)
    path = serialize.write_file(result, tmp_path / "findings.json", generated_at="-")
    streamed = json.loads(path.read_text(encoding="utf-8"))
    assert streamed == json.loads(json.dumps(serialize.to_json(result, generated_at="-")))
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]       # no temporary left


CLIENT = """
import sys, time
from audit.execution import ProcessExecutor
if __name__ == "__main__":
    ex = ProcessExecutor(2, preload=[])
    ex.map(round, [-1, -2, -3, -4], None)
    print(" ".join(str(p.pid) for p in ex._pool._processes.values()), flush=True)
    time.sleep(600)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_workers_die_with_a_killed_client(tmp_path):
    """A client killed with SIGKILL must not leave its workers waiting on their queue."""
    import os
    import signal
    import subprocess
    import sys
    import time
    script = tmp_path / "client.py"
    script.write_text(CLIENT, encoding="utf-8")
    client = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in client.stdout.readline().split()]
    assert len(workers) == 2
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    deadline = time.monotonic() + 60
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if _running(p)]
    assert not alive, f"workers {alive} outlived their client"
