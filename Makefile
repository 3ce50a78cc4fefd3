# The two commands of the README. Everything they need is installed by the project's own files.
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: serve test

$(INSTALLED): pyproject.toml .ci/venv.sh
	@bash .ci/venv.sh

## Run the server on the embedded default (SQLite + in-memory bus), migrated, admin bootstrapped.
serve: $(INSTALLED)
	@$(VENV)/bin/pytake serve

## Run lint, types, layering, the schema check and every test on real PostgreSQL and Redis.
test: $(INSTALLED)
	@bash .ci/test.sh
