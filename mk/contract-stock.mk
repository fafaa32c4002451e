# The integrator's contract run (README, "Contract testing"): the stock
# `st run <api>/v1/openapi.json --checks all` with the root schemathesis.toml and nothing
# else (no hooks), against a local deployment (the API as in production, a worker, the
# outbox relay, a private redis-server) on a scratch database; every phase, a new seed
# each run (printed). A failure or a warning fails it.
#
#   make contract-stock                 a run with a new seed
#   make contract-stock SEED=123        replay a run
#   make contract-stock CONTRACT_STOCK_ARGS='--max-examples 10'   extra `st run` options

.PHONY: contract-stock

SEED ?=
CONTRACT_STOCK_ARGS ?=

# In `make test` (after pytest): runs are clean (no failure, no warning) since the local
# deployment has its worker and relay (README, "Contract testing").
TESTS += contract-stock

contract-stock: $(STAMP)
	$(BIN)/python scripts/contract_stock.py $(if $(SEED),--seed $(SEED)) $(CONTRACT_STOCK_ARGS)
