#!/usr/bin/env bash
# Install the headless browser the real-browser tests (tests/browser/) drive.
#
# Debian's own chromium package (no browser download of Playwright's own: `playwright install`
# is never run) plus Japanese fonts, so screenshots of the Japanese interface show real glyphs
# rather than empty boxes. Needs root (CI runs as root). Safe to run twice.
set -euo pipefail

if [ -x /usr/bin/chromium ] && fc-list :lang=ja 2>/dev/null | grep -q .; then
    echo "chromium and Japanese fonts already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-liberation fontconfig
/usr/bin/chromium --version || true
