"""Past one machine: a real Dask scheduler and two workers on 127.0.0.1 (subprocesses on free
ports, started and stopped here) run the seeds and heldout/ batches; the findings equal the local
run's. An unreachable scheduler fails fast with exit code 2; a cluster whose workers are gone
is reported, never waited on forever."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import pipeline, serialize
from audit.cli import main
from audit.config import Config
from audit.execution import ExecutionError, ExecutionSettings, SerialExecutor, make_executor
from audit.ingest import load_paths

ROOT = Path(__file__).resolve().parent.parent
DASK = str(Path(sys.executable).parent / "dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def start(args: list[str], log: Path) -> subprocess.Popen:
    fh = open(log, "wb")
    return subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def n_workers(address: str) -> int:
    from distributed import Client
    try:
        with Client(address, timeout="2s") as c:
            return len(c.scheduler_info()["workers"])
    except OSError:
        return -1


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers (warmed by the preload module)."""
    logs = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [start([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                   logs / "scheduler.log")]
    try:
        wait_for(lambda: n_workers(address) == 0, 60, "the scheduler")
        for i in range(2):
            procs.append(start([DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                "--no-dashboard", "--preload", "audit.execution.warm",
                                "--name", f"w{i}"], logs / f"worker{i}.log"))
        wait_for(lambda: n_workers(address) == 2, 120, "two workers")
        yield address, procs
    finally:
        for p in reversed(procs):
            stop(p)


def findings(paths: list[Path], executor) -> dict:
    docs, problems = load_paths(paths, Config().language)
    with executor:
        result = pipeline.analyse(docs, Config(), name="batch", problems=problems, executor=executor)
    data = serialize.to_json(result, generated_at="-")
    data["run"].pop("timings")
    return data


def scheduler_task_count(address: str) -> int:
    """How many of our tasks (run_chunk) the scheduler has seen finish, ever."""
    from distributed import Client
    with Client(address, timeout="5s") as c:
        return c.run_on_scheduler(
            lambda dask_scheduler: sum(tp.state_counts.get("memory", 0)
                                       for name, tp in dask_scheduler.task_prefixes.items()
                                       if name == "run_chunk"))


def test_seeds_and_heldout_on_a_dask_cluster_equal_the_local_run(cluster):
    address, procs = cluster
    for folder in ("seeds", "heldout"):
        local = findings([ROOT / folder], SerialExecutor())
        before = scheduler_task_count(address)
        ex = make_executor(ExecutionSettings(scheduler=address))
        assert ex.workers == 2
        remote = findings([ROOT / folder], ex)
        assert scheduler_task_count(address) > before      # the scheduler ran our tasks
        assert ex.tasks_run >= 2
        assert local["findings"] and json.dumps(local, sort_keys=True) == json.dumps(remote, sort_keys=True)
    assert all(p.poll() is None for p in procs)              # nothing fell over


def test_cli_runs_against_the_scheduler(cluster, tmp_path):
    address, _ = cluster
    cfg = tmp_path / "batch.yaml"
    cfg.write_text(f"name: seeds\nsources:\n  - paths: {ROOT / 'seeds'}\noutput: out\n"
                   f"report: {{pdf: false}}\nexecution: {{scheduler: '{address}', cache: false}}\n",
                   encoding="utf-8")
    res = CliRunner().invoke(main, ["run", "-c", str(cfg), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == 5 and data["findings"]


def test_unreachable_scheduler_fails_fast_with_exit_2(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"            # nothing listens there
    cfg = tmp_path / "batch.yaml"
    cfg.write_text(f"sources:\n  - paths: {ROOT / 'seeds'}\noutput: out\n", encoding="utf-8")
    t0 = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).parent / "audit"), "run", "-c", str(cfg), "-q",
                           "--scheduler", address], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"{address}: cannot reach the Dask scheduler")
    assert time.monotonic() - t0 < 60
    assert not (tmp_path / "out" / "findings.json").exists()


def test_a_malformed_scheduler_address_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["run", "-c", str(ROOT / "config.yaml"), "--scheduler", "localhost"])
    assert res.exit_code == 2 and "--scheduler: must be a Dask scheduler address" in res.output


def test_a_cluster_without_workers_is_reported_not_waited_on(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    sched = start([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                  tmp_path / "scheduler.log")
    try:
        wait_for(lambda: n_workers(address) == 0, 60, "the scheduler")
        ex = make_executor(ExecutionSettings(scheduler=address, worker_timeout=3))
        with pytest.raises(ExecutionError, match=f"{address}: no worker connected for 3 s"):
            findings([ROOT / "seeds"], ex)
    finally:
        stop(sched)
