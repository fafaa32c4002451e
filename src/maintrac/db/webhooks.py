"""Webhook endpoints and deliveries, and the per-work-order event sequence.

Tables of migration 0006 (``webhook_endpoints``, ``webhook_deliveries``), written as the
app role under RLS: every statement sees its own tenant's rows only.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from maintrac.db.transaction import TenantSession


def work_order_sequence(session: TenantSession, work_order_id: uuid.UUID) -> int:
    """How many history entries the work order has, this transaction's included.

    Every change of a work order takes its row lock first (``FOR UPDATE``), so two
    transactions never count the same number: the count orders the work order's events
    as they committed. Entries are never deleted (the table is append-only).
    """
    return int(
        session.execute(
            text("SELECT count(*) FROM work_order_events WHERE work_order_id = :id"),
            {"id": work_order_id},
        ).scalar_one()
    )


def current_tenant(session: TenantSession) -> uuid.UUID:
    """The tenant the transaction is scoped to."""
    return uuid.UUID(
        str(session.execute(text("SELECT current_setting('app.current_tenant')")).scalar_one())
    )
