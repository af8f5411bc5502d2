#!/usr/bin/env bash
# Set everything up (first run only) and start the web app on the built-in baseline scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
