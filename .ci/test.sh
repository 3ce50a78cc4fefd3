#!/usr/bin/env bash
# The whole test command: services, lint, types, layering, then pytest (schema check included).
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/services.sh
# shellcheck disable=SC1091
[ -f .ci/.postgres-env ] && . .ci/.postgres-env

echo "== ruff";          .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
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
