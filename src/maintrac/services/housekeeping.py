"""Periodic clean-up of rows that only grow, in bounded batches.

What is deleted (each by its own owner-run function, in the current tenant only):

* idempotency keys past their expiry (24 h after first use);
* outbox messages published more than ``outbox_retention`` ago;
* job runs older than ``run_retention`` (a message redelivered later than that would run
  again: keep it well above the broker's visibility timeout);
* sync checkpoints no device can still use: a checkpoint is found by a device's
  ``lastPulledAt``; once that device pulled again (a later checkpoint names it as its
  ``previous_pulled_at``) and that later pull is older than ``sync_grace`` (the push that
  follows a pull and a retried pull whose answer was lost still look it up), nothing needs
  it. The tenant's oldest checkpoint stays: a device holding a deleted checkpoint falls
  back to an earlier one, which only sends more, never less;
* acknowledged sync resends: every device that pulled within ``sync_device_retention``
  has pulled again since the resend was written (its change is below the snapshot of every
  checkpoint still in use), and it is older than ``sync_grace``. The floor checkpoint does
  not count once the tenant has others (it stays only as a lookup fallback). So a device
  that lost a pull's answer and retries more than ``sync_grace`` later falls back to an
  earlier checkpoint: it receives more changes than it needs, deletions included, but may
  miss a resend of its own rejected change (the record then converges at its next edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from maintrac.db import housekeeping as repo
from maintrac.db.transaction import TenantSession

KINDS = ("idempotency_keys", "outbox_messages", "job_runs", "sync_checkpoints", "sync_resends")


@dataclass(frozen=True, slots=True)
class Retention:
    batch: int = 1000
    outbox_retention: timedelta = timedelta(days=7)
    run_retention: timedelta = timedelta(days=7)
    sync_grace: timedelta = timedelta(hours=24)
    sync_device_retention: timedelta = timedelta(days=90)


def sweep_batch(session: TenantSession, kind: str, retention: Retention) -> int:
    """Delete at most ``retention.batch`` expired rows of ``kind``; returns how many.

    A caller repeats it, one transaction per batch, until fewer than a batch come back.
    """
    if kind == "idempotency_keys":
        return repo.idempotency_keys(session, retention.batch)
    if kind == "outbox_messages":
        return repo.outbox_messages(session, retention.batch, retention.outbox_retention)
    if kind == "job_runs":
        return repo.job_runs(session, retention.batch, retention.run_retention)
    if kind == "sync_checkpoints":
        return repo.sync_checkpoints(session, retention.batch, retention.sync_grace)
    if kind == "sync_resends":
        return repo.sync_resends(
            session, retention.batch, retention.sync_grace, retention.sync_device_retention
        )
    raise ValueError(f"unknown housekeeping kind: {kind}")
