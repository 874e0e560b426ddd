#!/usr/bin/env bash
# Install everything audit needs on a fresh Debian 12 machine, idempotently (as root, or with sudo).
# System packages: Pango stack for WeasyPrint, fonts covering Latin diacritics and Arabic,
# poppler-utils (pdftoppm), Chromium + libatomic1 for the browser tests (stack.md §2, P11).
# Then a virtualenv in .venv with audit installed in editable mode, with the dev extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3 python3-venv ca-certificates
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
              fonts-dejavu-core fonts-noto-core poppler-utils
              chromium libatomic1)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip setuptools wheel
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
# Stamp: scripts/test.sh re-runs setup only when the dependencies or this script change.
cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1 > .venv/.audit-setup
echo "setup: done ($(.venv/bin/audit --version))"
