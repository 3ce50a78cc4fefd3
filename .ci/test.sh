#!/usr/bin/env bash
# The whole test command: services, the console's build and component tests, lint, types,
# layering, then pytest (schema check and the console's browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/services.sh
# shellcheck disable=SC1091
[ -f .ci/.postgres-env ] && . .ci/.postgres-env

# The console builds and the browser installs while the Python checks run.
log=$(mktemp -d)
(bash .ci/console.sh build && bash .ci/console.sh test) >"$log/console" 2>&1 &
console_job=$!
bash .ci/browser.sh >"$log/browser" 2>&1 &
browser_job=$!

echo "== ruff";          .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== console: build, types and component tests"
console_status=0; wait "$console_job" || console_status=$?
cat "$log/console"
[ "$console_status" -eq 0 ] || { echo "the console's build or tests failed" >&2; exit 1; }
echo "== chromium"
browser_status=0; wait "$browser_job" || browser_status=$?
cat "$log/browser"
[ "$browser_status" -eq 0 ] || { echo "Chromium could not be installed" >&2; exit 1; }
echo "== pytest"
set +e
.venv/bin/pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
