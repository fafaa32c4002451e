# Contract conformance over real HTTP (README, "Contract testing"): `st run` against the
# API served by uvicorn on a loopback port, on a scratch database; every operation, every
# check, the examples, coverage, fuzzing and stateful (OpenAPI links) phases,
# deterministic. About 9,000 requests in 1.5 to 2.5 minutes; `make test` runs it after pytest.
#
#   make contract-http                         the whole run (scripts/contract_http.py)
#   make contract-http CONTRACT_HTTP_ARGS='--max-examples 5'   extra `st run` options
#
# Configuration: tests/contract/schemathesis-http.toml; hooks: tests/contract/hooks_http.py.
# Reports and the server's log: tests/artifacts/contract-http/.

.PHONY: contract-http

CONTRACT_HTTP_ARGS ?=

TESTS += contract-http

contract-http: $(STAMP)
	$(BIN)/python scripts/contract_http.py $(CONTRACT_HTTP_ARGS)
