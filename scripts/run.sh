#!/usr/bin/env bash
# One command: set up, build the demo warehouse if missing, start the dashboard on port 8501.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m data_sources.demo --if-missing
exec .venv/bin/streamlit run dashboard.py --server.port "${PORT:-8501}" "$@"
