# Fault drills (issue 11): a private PostgreSQL and Redis + `maintrac serve` with production
# settings, a relay and a worker, under a bounded loopback load, through restart, outage,
# freeze, no free connection slot, a locked table, Redis killed, Redis frozen, slow clients,
# and oversized and hostile input. Prints the table and fails when an acknowledged write is
# lost, a failed one applied, any answer is a 500, or an outbox job never runs.
# One drill: make drill-faults DRILL_ARGS="--only redis-killed,redis-frozen"
#
#   make drill-faults     about five minutes; needs initdb and redis-server (Debian: postgresql,
#                         redis-server)
#
# The regression tests of each fault (tests/faults/) run in the ordinary `make test`.

.PHONY: drill-faults

drill-faults: $(STAMP)
	$(BIN)/python bench/fault_drills.py $(DRILL_ARGS)
