"""`execution:` in config.yaml: where the map steps run and where the cache lives."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ws|wss|ucx)://[^\s/]+(:\d+)?/?$")


class ExecutionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jobs: int | None = Field(None, ge=1, le=1024)   # worker processes; None: every core
    scheduler: str | None = None     # a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786
    backend: Literal["processes", "dask"] = "processes"   # local workers: "processes" (a process pool) or "dask" (LocalCluster)
    cache: bool = True               # reuse per-document results of earlier runs
    cache_dir: str | None = None     # default: <output>/.audit-cache
    worker_timeout: float = Field(60.0, gt=0)   # seconds without any worker before a run gives up

    @field_validator("scheduler")
    @classmethod
    def _address(cls, v: str | None) -> str | None:
        if v is not None and not _ADDRESS.match(v):
            raise ValueError(f"must be a Dask scheduler address like tcp://HOST:8786 (got {v!r})")
        return v

