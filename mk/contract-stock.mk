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

# Not yet in TESTS: the run still ends with the warning "mostly rejected" for POST /assets,
# /meters and /pm-plans, because Schemathesis's coverage phase sends the same boundary
# Idempotency-Key ("0") with every body, and a reused key is rightly a 422 (see the
# README, "Contract testing"). Add `TESTS += contract-stock` once that is settled.

contract-stock: $(STAMP)
	$(BIN)/python scripts/contract_stock.py $(if $(SEED),--seed $(SEED)) $(CONTRACT_STOCK_ARGS)
