#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (browser builds cannot be downloaded here).
set -euo pipefail
# shellcheck source=.ci/apt.sh
. "$(dirname "$0")/apt.sh"
# Customers write emoji: without a colour emoji font they show as empty boxes.
if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/noto ]; then
  apt_install chromium fonts-noto-color-emoji
fi
chromium --version
