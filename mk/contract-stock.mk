# The integrator's contract run (README, "Contract testing"): the stock
# `st run <api>/v1/openapi.json --checks all` with the root schemathesis.toml and nothing
# else (no hooks), against the API served as in production on a scratch database; every
# phase, a new seed each run (printed). A failure or a warning fails it.
#
#   make contract-stock                 a run with a new seed
#   make contract-stock SEED=123        replay a run
#   make contract-stock CONTRACT_STOCK_ARGS='--max-examples 10'   extra `st run` options

.PHONY: contract-stock

SEED ?=
CONTRACT_STOCK_ARGS ?=

# Not yet in TESTS: the last full run (seed 1999257292) had no failure but one warning,
# "missing test data" for GET /reports/{reportId}/file and POST .../deliveries/{id}/retry
# (they succeed only after a worker ran; this run has none) and DELETE /gl-codes/{id},
# /task-codes/{id} (not reached in stateful): see the README, "Contract testing".
# Add `TESTS += contract-stock` once a run is clean.

contract-stock: $(STAMP)
	$(BIN)/python scripts/contract_stock.py $(if $(SEED),--seed $(SEED)) $(CONTRACT_STOCK_ARGS)
