#!/usr/bin/env bash
# Run the test suite, setting up first when .venv is missing or out of date. Extra arguments go
# to pytest (e.g. `bash scripts/test.sh -k ingest`).
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
have=$(cat .venv/.audit-setup 2>/dev/null || true)
if [ "$want" != "$have" ] || ! .venv/bin/python -c "import audit, pytest" 2>/dev/null; then
  bash scripts/setup.sh </dev/null
fi
exec .venv/bin/pytest "$@"
