# Offline sync with the real client: tests/watermelon runs WatermelonDB's synchronize()
# (LokiJS adapter, Node 20+) against the live server; tests/watermelon/test_watermelon_e2e.py
# drives it inside `make test` (pytest), so nothing is added to CHECKS or TESTS here.
#
#   make watermelon-tools   npm ci in tests/watermelon (what CI's install step runs)
#   make watermelon-test    only that end-to-end test, verbose
#   make bench-sync         the sync benchmark (bench/sync_bench.py; defined in the Makefile)

.PHONY: watermelon-tools watermelon-test

watermelon-tools:
	@bash scripts/ci/install-watermelon.sh

watermelon-test: $(STAMP) watermelon-tools
	$(BIN)/pytest -q tests/watermelon
