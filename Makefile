# The two commands of the README. Everything they need is installed by the project's own files.
VENV := .venv
INSTALLED := $(VENV)/.installed
CONSOLE_BUILT := web/console_build/index.html
CONSOLE_SOURCES := $(shell find console/src -type f -not -path 'console/src/gql/*' 2>/dev/null) \
	console/index.html console/package.json console/package-lock.json console/vite.config.ts \
	console/codegen.ts console/tsconfig.json schema.graphql

.PHONY: serve test screenshots

$(INSTALLED): pyproject.toml .ci/venv.sh
	@bash .ci/venv.sh

$(CONSOLE_BUILT): $(INSTALLED) $(CONSOLE_SOURCES)
	@bash .ci/console.sh build

## Run the server on the embedded default (SQLite + in-memory bus), migrated, admin bootstrapped,
## with the console at http://127.0.0.1:8080/ (built first when its sources changed).
serve: $(INSTALLED) $(CONSOLE_BUILT)
	@$(VENV)/bin/pytake serve

## Run lint, types, layering, the schema check, the console's tests and every test on real
## PostgreSQL and Redis, in a real Chromium for the console.
test: $(INSTALLED)
	@bash .ci/test.sh

## Take the console's screenshots again, into docs/screenshots (the README shows them).
screenshots: $(INSTALLED) $(CONSOLE_BUILT)
	@bash .ci/services.sh && bash .ci/browser.sh >/dev/null && \
	PYTAKE_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -q tests/console
