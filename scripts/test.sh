#!/usr/bin/env bash
# Set everything up (first run only; installs Debian's chromium for the browser test when
# run as root) and run the whole test suite, one test file per process on each core
# (pytest-xdist; JCM_TEST_PROCESSES=0 runs it in this process alone).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f scripts/install-browser.sh ]; then
  bash scripts/install-browser.sh || echo "warning: could not install chromium; the browser test will be skipped" >&2
fi
exec .venv/bin/python -m pytest -n "${JCM_TEST_PROCESSES:-auto}" --dist loadfile "$@"
