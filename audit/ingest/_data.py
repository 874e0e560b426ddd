"""Shipped data files (audit/data/): read once, cached."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    return (resources.files("audit") / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def data_yaml(name: str) -> Any:
    return yaml.safe_load(data_text(name))


@lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a one-entry-per-line file."""
    out = []
    for line in data_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)
