# MainTrac API. `make dev` serves the API with demo data; `make test` runs every gate CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install dev serve migrate generate fix check lint typecheck layers spec \
        generated-fresh db-conventions test test-fast bench bench-sync bench-compare \
        bench-profile bench-instructions clean

help:
	@echo "make dev       set up everything and serve the API with demo data"
	@echo "make test      every gate CI runs: make check, then the whole test suite"
	@echo "make check     read-only gates: lint, types, layers, spec, generated code, DB conventions"
	@echo "make fix       apply ruff fixes and formatting"
	@echo "make generate  regenerate generated/ from openapi/openapi.yaml"
	@echo "make bench     print performance figures (bench/)"
	@echo "make bench-compare  the list endpoint side by side with the two peers (minutes)"
	@echo "make bench-instructions  instructions per request (valgrind), before/after and peers"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@echo "Installing MainTrac and its development tools into $(VENV) (a few minutes on a cold cache)..."
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	set -o pipefail; $(BIN)/pip install --progress-bar off -e '.[dev]' \
	  | { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; }
	touch $(STAMP)

install: $(STAMP)

# The API, a worker, beat and the outbox relay, with PostgreSQL and Redis found or started
# in .data/; Ctrl-C stops everything it started. Settings land in .data/dev.env.
dev: $(STAMP)
	$(BIN)/maintrac dev

serve: $(STAMP)
	$(BIN)/maintrac serve

migrate: $(STAMP)
	$(BIN)/maintrac migrate

generate: $(STAMP)
	$(BIN)/datamodel-codegen

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests scripts migrations bench
	$(BIN)/ruff format src tests scripts migrations bench

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts migrations bench
	$(BIN)/ruff format --check src tests scripts migrations bench

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

spec: $(STAMP)
	$(BIN)/openapi-spec-validator openapi/openapi.yaml

generated-fresh: $(STAMP)
	@$(BIN)/datamodel-codegen --check || { echo "generated/ is stale: run 'make generate'"; exit 1; }

db-conventions: $(STAMP)
	$(BIN)/python scripts/check_db_conventions.py

# Areas add their gates here (mk/*.mk): CHECKS runs in `make check`, TESTS after pytest.
CHECKS :=
TESTS :=
-include mk/*.mk

check: lint typecheck layers spec generated-fresh db-conventions $(CHECKS)

test: check
	$(BIN)/pytest
	@for target in $(TESTS); do $(MAKE) --no-print-directory $$target || exit 1; done

test-fast: $(STAMP)
	$(BIN)/pytest -x -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/list_throughput.py

bench-sync: $(STAMP)
	$(BIN)/python bench/sync_bench.py

# 1,000,000 work orders over 100 tenants (+ a 1,000,000-row tenant), the project against
# the FastAPI and raw peers in alternating wrk rounds. ARGS="--keep" keeps the database.
bench-compare: $(STAMP)
	$(BIN)/python bench/compare.py $(ARGS)

# py-spy samples of the project under load, grouped by layer.
bench-profile: $(STAMP)
	$(BIN)/python bench/profile_layers.py $(ARGS)

# Instructions per request (valgrind), in-process: an A/B that host load does not move.
# ARGS="--baseline ../before --peers --page 50".
bench-instructions: $(STAMP)
	$(BIN)/python bench/instructions.py $(ARGS)

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache .hypothesis
