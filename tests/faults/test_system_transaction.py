"""System transactions (the relay, the PM tick, fan-outs, the metrics' backlog sample) are
bounded like tenant transactions: a locked table or a frozen database ends in
DatabaseUnavailable within the lock timeout or the watchdog's deadline, not a wait for as
long as the fault lasts.

Each fault is lifted by a timer after ``HELD`` seconds, so without the bounds the call
returns normally (late) and the test fails instead of hanging.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from maintrac.config import Settings
from maintrac.db.errors import DatabaseUnavailable
from maintrac.services import outbox
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant
from tests.faults.cluster import PrivateCluster

SLACK = 2.0
HELD = 10.0


def test_locked_outbox_ends_a_system_transaction_within_the_lock_timeout(
    cluster: PrivateCluster,
    cluster_tenant: Tenant,
    cluster_runtime: Runtime,
    cluster_settings: Settings,
) -> None:
    with psycopg.connect(cluster.psql_url()) as locker:
        locker.execute("LOCK TABLE outbox_messages IN ACCESS EXCLUSIVE MODE")
        release = threading.Timer(HELD, locker.rollback)
        release.start()
        started = time.monotonic()
        try:
            with (
                pytest.raises(DatabaseUnavailable) as raised,
                cluster_runtime.database.system_transaction() as session,
            ):
                outbox.claim(session, 10)
            took = time.monotonic() - started
        finally:
            release.cancel()
            locker.rollback()
    assert raised.value.reason == "lock_timeout"
    assert took < cluster_settings.database_lock_timeout_ms / 1000 + SLACK


def test_frozen_database_ends_a_system_transaction_within_the_deadline(
    cluster: PrivateCluster,
    cluster_tenant: Tenant,
    cluster_runtime: Runtime,
    cluster_settings: Settings,
) -> None:
    with cluster_runtime.database.system_transaction() as session:  # a pooled connection
        outbox.backlog(session)
    bound = cluster_settings.database_statement_timeout_ms / 1000
    bound += cluster_settings.database_deadline_grace_seconds
    cluster.freeze()
    thaw = threading.Timer(HELD, cluster.thaw)
    thaw.start()
    started = time.monotonic()
    try:
        with (
            pytest.raises(DatabaseUnavailable),
            cluster_runtime.database.system_transaction() as session,
        ):
            outbox.backlog(session)
        took = time.monotonic() - started
    finally:
        thaw.cancel()
        cluster.thaw()
    assert took < bound + cluster_settings.database_connect_timeout_seconds + SLACK
    cluster.wait_ready()
    with cluster_runtime.database.system_transaction() as session:
        pending, _oldest = outbox.backlog(session)
    assert pending >= 0
