# Fault drills (issue 11): a private PostgreSQL + `maintrac serve` with production settings
# under a bounded loopback load, through restart, outage, freeze, no free connection slot,
# a locked table, slow clients, and oversized and hostile input. Prints the table and
# fails when an acknowledged write is lost, a failed one applied, or any answer is a 500.
#
#   make drill-faults     about three minutes; needs initdb (Debian: apt-get install postgresql)
#
# The regression tests of each fault (tests/faults/) run in the ordinary `make test`.

.PHONY: drill-faults

drill-faults: $(STAMP)
	$(BIN)/python bench/fault_drills.py $(DRILL_ARGS)
