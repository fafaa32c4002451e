"""A client-side deadline on every database round trip.

Server-side timeouts (``statement_timeout``, ``lock_timeout``) end slow work only while the
server runs. A frozen server (SIGSTOP, a paused VM, a stuck disk) still accepts TCP and
acknowledges bytes in the kernel, so neither those timeouts nor TCP keepalives ever fire,
and psycopg waits for an answer for as long as the freeze lasts. This watchdog gives each
statement, COMMIT and ROLLBACK ``limit`` seconds (the server's own statement timeout plus
a grace): past that it shuts the connection's socket down, the waiting call fails at once
with a lost connection, and the pool discards it.

Why aborting is safe: the server never commits without receiving COMMIT, so cutting a
connection before COMMIT was sent rolls its transaction back; a cut during COMMIT is
reported as an unknown outcome (``db.errors.CommitOutcomeUnknown``) by the transaction.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

logger = logging.getLogger(__name__)


#: Key in a connection's ``info``: set by ``Database`` for the length of one checkout, so
#: only its bounded transactions are watched (a migration's long statement is not).
GUARDED = "maintrac.round_trip_deadline"


def _fairy(conn: Any) -> Any:
    """The pooled connection behind a SQLAlchemy Connection, or None once it was
    invalidated (a rollback after a lost connection has nothing left to watch)."""
    if conn.invalidated or conn.closed:
        return None
    return conn.connection


def guard(conn: Any) -> None:
    """Watch ``conn`` (a SQLAlchemy Connection) until it goes back to the pool."""
    conn.info[GUARDED] = True


class RoundTripWatchdog:
    """One daemon thread per engine; arming and disarming are a dict write under a lock."""

    def __init__(self, limit: float, *, interval: float = 0.1) -> None:
        self.limit = limit
        self.interval = interval
        self._armed: dict[int, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.aborted = 0

    def install(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._arm_cursor)
        event.listen(engine, "after_cursor_execute", self._disarm_cursor)
        event.listen(engine, "commit", self._arm_connection)
        event.listen(engine, "rollback", self._arm_connection)
        event.listen(engine.pool, "checkin", self._disarm_dbapi)

    # SQLAlchemy's listener signatures
    def _arm_cursor(self, conn: Any, *_args: Any) -> None:
        self._arm_connection(conn)

    def _disarm_cursor(self, conn: Any, *_args: Any) -> None:
        fairy = _fairy(conn)
        if fairy is not None and fairy.info.get(GUARDED):
            self.disarm(fairy.dbapi_connection)

    def _arm_connection(self, conn: Any) -> None:
        fairy = _fairy(conn)
        if fairy is not None and fairy.info.get(GUARDED):
            self.arm(fairy.dbapi_connection)

    def _disarm_dbapi(self, dbapi_connection: Any, record: Any, *_args: Any) -> None:
        record.info.pop(GUARDED, None)
        self.disarm(dbapi_connection)

    def arm(self, dbapi_connection: Any) -> None:
        if dbapi_connection is None:
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.limit, dbapi_connection)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="db-round-trip-watchdog", daemon=True
                )
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        if dbapi_connection is not None:
            with self._lock:
                self._armed.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            now = time.monotonic()
            with self._lock:
                expired = [key for key, (deadline, _) in self._armed.items() if deadline <= now]
                for key in expired:
                    # Under the lock: the connection cannot be checked in (and its socket
                    # reused) while it is being cut.
                    _, dbapi_connection = self._armed.pop(key)
                    self._cut(dbapi_connection)

    def _cut(self, dbapi_connection: Any) -> None:
        try:
            fd = dbapi_connection.pgconn.socket
            with socket.socket(fileno=os.dup(fd)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # already closed or broken: nothing left to cut
            logger.debug("watchdog: connection already closed", exc_info=True)
            return
        self.aborted += 1
        logger.warning(
            "database round trip exceeded %.1f s: connection cut (server frozen or unreachable)",
            self.limit,
        )
