#!/usr/bin/env bash
# Install everything audit needs on a fresh Debian 12 machine (run as root), idempotently.
# System packages: Pango stack for WeasyPrint, fonts covering Latin diacritics and Arabic,
# poppler-utils (pdftoppm), Chromium + libatomic1 for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=0
for p in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
         poppler-utils chromium libatomic1 python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
      python3 python3-venv ca-certificates \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-noto-core poppler-utils \
      chromium libatomic1 >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip setuptools wheel
.venv/bin/pip install -q -e '.[dev]'
echo "setup: done ($(.venv/bin/audit --version))"
