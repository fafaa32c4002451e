# Contract gates (README, "Contract gates"): the spec is linted, and compared with the
# released contract, in every `make check`.
#
#   make contract-lint     Spectral: spectral:oas (all rules) + the maintrac rules in
#                          .spectral.yaml; exceptions, each with its reason, in
#                          tools/contract/lint-exceptions.yaml
#   make contract-diff     fail on a change to openapi/openapi.yaml that breaks a client of
#                          openapi/released/v1.yaml (scripts/contract_diff.py; -v: CONTRACT_DIFF_FLAGS=-v)
#   make release-contract  make the (lint-clean) working spec the released baseline
#   make contract-tools    npm ci in tools/contract, when its lockfile changed

.PHONY: contract-tools contract-lint contract-diff release-contract

CONTRACT_SPEC := openapi/openapi.yaml
CONTRACT_BASELINE := openapi/released/v1.yaml
CONTRACT_TOOLS := tools/contract
CONTRACT_INSTALLED := $(CONTRACT_TOOLS)/node_modules/.package-lock.json
CONTRACT_DIFF_FLAGS ?=

CHECKS += contract-lint contract-diff

# npm ci when package.json or package-lock.json is newer than node_modules (like the venv's
# stamp); CI runs scripts/ci/install-node-tools.sh first, which leaves this up to date.
$(CONTRACT_INSTALLED): $(CONTRACT_TOOLS)/package.json $(CONTRACT_TOOLS)/package-lock.json
	@command -v npm >/dev/null || { echo "contract: Node.js 20.17+ and npm are needed for tools/contract (Spectral)"; exit 1; }
	cd $(CONTRACT_TOOLS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

contract-tools: $(CONTRACT_INSTALLED)

contract-lint: $(STAMP) $(CONTRACT_INSTALLED)
	$(BIN)/python scripts/contract_lint.py --spec $(CONTRACT_SPEC)

contract-diff: $(STAMP)
	$(BIN)/python scripts/contract_diff.py --base $(CONTRACT_BASELINE) --spec $(CONTRACT_SPEC) $(CONTRACT_DIFF_FLAGS)

# Releasing accepts every change since the last release, breaking ones included: it lists
# them first. Only a lint-clean spec is released.
release-contract: contract-lint
	@if [ -f $(CONTRACT_BASELINE) ]; then \
	  $(BIN)/python scripts/contract_diff.py --base $(CONTRACT_BASELINE) --spec $(CONTRACT_SPEC) --report; fi
	@mkdir -p $(dir $(CONTRACT_BASELINE))
	cp $(CONTRACT_SPEC) $(CONTRACT_BASELINE)
	@echo "release-contract: $(CONTRACT_BASELINE) is now a copy of $(CONTRACT_SPEC); commit it with the change it releases."
