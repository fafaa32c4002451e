# SDKs generated from the contract: clients/python (openapi-python-client) and
# clients/typescript (openapi-typescript types for an openapi-fetch client).
#
#   make sdk              regenerate both after editing openapi/openapi.yaml
#   make sdk-python       clients/python only
#   make sdk-typescript   clients/typescript/schema.d.ts only
#   make sdk-fresh        (in make check) fail when a committed client is stale
#   make sdk-typecheck    (in make check) tsc --noEmit over clients/typescript and its test
#   make sdk-tools        the pinned generators: openapi-python-client in the venv, npm ci
#   make sdk-build        (in make test) the publishable packages, in clients/dist/: the
#                         Python wheel and sdist, and the TypeScript tarball (npm pack)
#
# Both packages are versioned by the contract's `info.version` (`make sdk` writes it into
# clients/typescript/package.json; the Python generator takes it itself; sdk-fresh fails on
# a mismatch). The Python README, pyproject and errors module come from the templates in
# clients/python-templates/. Both end-to-end tests (tests/sdk/) run in pytest against the
# live server; the TypeScript one installs the packed tarball and imports it from there.

.PHONY: sdk sdk-python sdk-typescript sdk-fresh sdk-typecheck sdk-tools sdk-python-generator \
        sdk-version sdk-build

SDK_SPEC := openapi/openapi.yaml
SDK_PY_DIR := clients/python
SDK_PY_PACKAGE := maintrac_client
SDK_PY_CONFIG := clients/python-generator-config.yaml
SDK_PY_TEMPLATES := clients/python-templates
SDK_DIST := clients/dist
# Keep equal to the pin in pyproject.toml's dev extras.
SDK_PY_GENERATOR_VERSION := 0.29.1
SDK_TS_DIR := clients/typescript
SDK_TS_BIN := $(SDK_TS_DIR)/node_modules/.bin
SDK_TS_INSTALLED := $(SDK_TS_DIR)/node_modules/.package-lock.json

CHECKS += sdk-fresh sdk-typecheck
TESTS += sdk-build

# The contract's version, which both packages carry.
SDK_VERSION = $(shell $(BIN)/python -c 'import yaml; print(yaml.safe_load(open("$(SDK_SPEC)"))["info"]["version"])')

# The pinned generator in the project venv (the dev extras install it; this covers a venv
# made before that, or one holding another version).
sdk-python-generator: $(STAMP)
	@$(BIN)/pip show openapi-python-client 2>/dev/null \
	  | grep -qx 'Version: $(SDK_PY_GENERATOR_VERSION)' \
	  || $(BIN)/pip install --quiet 'openapi-python-client==$(SDK_PY_GENERATOR_VERSION)'

# npm ci when package.json or package-lock.json is newer than node_modules.
$(SDK_TS_INSTALLED): $(SDK_TS_DIR)/package.json $(SDK_TS_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "sdk: clients/typescript needs Node.js 20+ and npm"; exit 1; }
	cd $(SDK_TS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

sdk-tools: sdk-python-generator $(SDK_TS_INSTALLED)

# Shell steps writing the Python client to "$out" (replaced whole). Its post hooks
# ($(SDK_PY_CONFIG)) run the venv's pinned ruff. openapi-python-client turns a schema with
# `oneOf`/`anyOf` into an untyped union, so the contract says "exactly one of" with
# if/then/else instead; this guard fails if a request body ever falls back to `Any`.
SDK_PY_GENERATE = \
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate \
	  --path $(SDK_SPEC) --config $(SDK_PY_CONFIG) --meta uv --fail-on-warning \
	  --custom-template-path $(SDK_PY_TEMPLATES) \
	  --overwrite --output-path "$$out" >/dev/null && \
	if grep -rln 'body: Any' "$$out/$(SDK_PY_PACKAGE)/api"; then \
	  echo "sdk-python: these operations lost their typed body"; exit 1; fi

SDK_TS_GENERATE = $(SDK_TS_BIN)/openapi-typescript $(SDK_SPEC) --output "$$out" >/dev/null

sdk-python: sdk-python-generator
	@out=$(SDK_PY_DIR) && $(SDK_PY_GENERATE)
	@echo "sdk-python: regenerated $(SDK_PY_DIR)"

sdk-typescript: $(SDK_TS_INSTALLED) sdk-version
	@out=$(SDK_TS_DIR)/schema.d.ts && $(SDK_TS_GENERATE)
	@echo "sdk-typescript: regenerated $(SDK_TS_DIR)/schema.d.ts"

# clients/typescript/package.json (and its lockfile) at the contract's version.
# (Only when it differs: rewriting the lockfile would make the next make run npm ci.)
sdk-version: $(STAMP)
	@cd $(SDK_TS_DIR) && [ "$$(node -p 'require("./package.json").version')" = "$(SDK_VERSION)" ] \
	  || npm version --no-git-tag-version $(SDK_VERSION) >/dev/null

sdk: sdk-python sdk-typescript

sdk-fresh: sdk-python-generator $(SDK_TS_INSTALLED)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	out="$$tmp/python" && $(SDK_PY_GENERATE) && \
	out="$$tmp/schema.d.ts" && $(SDK_TS_GENERATE) && \
	stale=0 && \
	{ diff -r -q --exclude=__pycache__ --exclude=.mypy_cache --exclude=.ruff_cache \
	    "$$tmp/python" $(SDK_PY_DIR) || stale=1; } && \
	{ diff -q "$$tmp/schema.d.ts" $(SDK_TS_DIR)/schema.d.ts || stale=1; } && \
	ts_version=$$(node -p 'require("./$(SDK_TS_DIR)/package.json").version') && \
	{ [ "$$ts_version" = "$(SDK_VERSION)" ] || { echo "$(SDK_TS_DIR)/package.json is at $$ts_version, the contract at $(SDK_VERSION)"; stale=1; }; } && \
	if [ $$stale = 1 ]; then echo "clients/ is stale: run 'make sdk'"; exit 1; fi

sdk-typecheck: $(SDK_TS_INSTALLED)
	$(SDK_TS_BIN)/tsc -p $(SDK_TS_DIR) --noEmit

# What a release publishes, built from the committed sources: the wheel of
# clients/python (pip fetches its uv_build backend) and the npm tarball of
# clients/typescript (`npm pack`, whose prepack compiles it).
sdk-build: $(STAMP) $(SDK_TS_INSTALLED)
	@rm -rf $(SDK_DIST) && mkdir -p $(SDK_DIST)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(SDK_DIST) ./$(SDK_PY_DIR)
	cd $(SDK_TS_DIR) && npm pack --silent --pack-destination ../dist >/dev/null
	@ls $(SDK_DIST)/maintrac_client-$(SDK_VERSION)-py3-none-any.whl \
	    $(SDK_DIST)/maintrac-client-$(SDK_VERSION).tgz
