"""Deleting expired rows, one kind per owner-run function (migration 0004).

The app role has no DELETE anywhere (soft deletes by design); each ``housekeep_*`` function
is a SECURITY DEFINER that deletes at most ``batch`` rows of one kind, in the current
tenant only, with retention floors written in the function itself.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from maintrac.db.transaction import TenantSession


def idempotency_keys(session: TenantSession, batch: int) -> int:
    return _count(session, "SELECT housekeep_idempotency_keys(:batch)", batch=batch)


def outbox_messages(session: TenantSession, batch: int, keep: timedelta) -> int:
    return _count(
        session, "SELECT housekeep_outbox_messages(:batch, :keep)", batch=batch, keep=keep
    )


def job_runs(session: TenantSession, batch: int, keep: timedelta) -> int:
    return _count(session, "SELECT housekeep_job_runs(:batch, :keep)", batch=batch, keep=keep)


def sync_checkpoints(session: TenantSession, batch: int, grace: timedelta) -> int:
    return _count(
        session, "SELECT housekeep_sync_checkpoints(:batch, :grace)", batch=batch, grace=grace
    )


def sync_resends(
    session: TenantSession, batch: int, grace: timedelta, device_keep: timedelta
) -> int:
    return _count(
        session,
        "SELECT housekeep_sync_resends(:batch, :grace, :device_keep)",
        batch=batch,
        grace=grace,
        device_keep=device_keep,
    )


def _count(session: TenantSession, sql: str, **params: object) -> int:
    return int(session.execute(text(sql), params).scalar_one())
