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

# Not yet in TESTS: the last run (seed 374143821) still had one failure (POST /sync/pull,
# U+0000 in a key of the open `migration` object) and "mostly rejected" warnings for
# POST /meters, /pm-plans (example ids in coverage bodies), PATCH /users/{userId} (a fixed
# If-Match) and POST /webhook-endpoints (no DNS here): see the README, "Contract testing".
# Add `TESTS += contract-stock` once a run is clean.

contract-stock: $(STAMP)
	$(BIN)/python scripts/contract_stock.py $(if $(SEED),--seed $(SEED)) $(CONTRACT_STOCK_ARGS)
