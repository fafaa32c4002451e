"""Two beats and two workers at once: every periodic tick's work is done exactly once."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import text

from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant
from tests.conftest import DatabaseUrls
from tests.jobs.conftest import Processes, wait_for

TICK_SECONDS = 3


def test_two_beats_two_workers_do_each_tick_once(
    private_database: DatabaseUrls, processes: Processes
) -> None:
    owner = Database(make_engine(private_database.owner, pool_size=1))
    app = Database(make_engine(private_database.app, pool_size=1))
    try:
        watched = provision_tenant(owner, "Watched Plant", "UTC")
        provision_tenant(owner, "Other Plant", "UTC")  # fanned out to as well, does nothing
        processes.env.update(
            DATABASE_URL=private_database.app,
            MIGRATION_DATABASE_URL=private_database.owner,
            PROBE_TENANT=str(watched),
            PROBE_TICK_SECONDS=str(TICK_SECONDS),
        )
        for name in ("w1", "w2"):
            processes.worker(name)
        for _ in range(2):
            processes.start("beat")

        def ticks() -> list[str]:
            with app.tenant_transaction(watched) as session:
                return list(
                    session.scalars(text("SELECT title FROM work_orders WHERE title LIKE 'tick %'"))
                )

        try:
            wait_for(lambda: len(set(ticks())) >= 4, 90, "four ticks")
        except AssertionError:
            raise AssertionError(processes.log_text()) from None
        processes.stop_all()  # let in-flight duplicates finish before counting
        counts = Counter(ticks())
        assert all(re.fullmatch(r"tick \d+", title) for title in counts)
        assert max(counts.values()) == 1, counts
        # Both beats did send every tick (each fan-out logged by a worker), so the test
        # would have seen duplicates without the per-slot task ids.
        log = processes.log_text()
        assert log.count("Sending due task tests.tick") >= 2 * 3, log[-3000:]
    finally:
        owner.dispose()
        app.dispose()
