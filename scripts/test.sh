#!/usr/bin/env bash
# One command: set up everything the tests need (venv, dev packages, Debian chromium and LibreOffice) and run
# all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
# Debian packages the tests drive: chromium (browser tests), LibreOffice without a GUI (Impress and Calc: the
# exports must open in office software with no formula cell, tests/test_office.py) and poppler-utils (pdftotext
# and pdftoppm read LibreOffice's PDFs of the slides).
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if [ ! -x /usr/bin/chromium ] || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "installing Debian chromium, LibreOffice (headless) and poppler-utils for the tests"
  $SUDO apt-get update -qq
  [ -x /usr/bin/chromium ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  command -v soffice >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-draw-nogui >/dev/null
  command -v pdftotext >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends poppler-utils >/dev/null
fi
# The PostgreSQL integration tests need the local server; start it if it is installed but stopped.
if command -v pg_ctlcluster >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
exec .venv/bin/python -m pytest "$@"
