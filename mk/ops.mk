# Operations (docs/operations.md): backups with pgBackRest and the restore drill.
#
#   make drill-restore     the restore drill with the production settings (archive_timeout
#                          60 s, 90 s of writes; about 3 minutes): a disposable cluster on a
#                          private port and directory, seeded and written through the API,
#                          destroyed, restored to the latest point and to a time; prints RPO
#                          and RTO against the targets (1 h / 4 h) and fails when one is missed
#                          or the data differs from what was acknowledged.
#                          Options: DRILL_ARGS='--archive-timeout 10 --write-seconds 25 --keep'
#   make pgbackrest-tools  install pgbackrest when missing (scripts/ci/install-pgbackrest.sh)
#
# pytest runs a shorter drill (tests/ops/test_restore_drill.py) inside `make test`, so
# nothing is added to CHECKS or TESTS here.

.PHONY: drill-restore pgbackrest-tools

DRILL_ARGS ?=

drill-restore: $(STAMP)
	$(BIN)/maintrac backup drill --json tests/artifacts/drill-restore.json $(DRILL_ARGS)

pgbackrest-tools:
	@bash scripts/ci/install-pgbackrest.sh
