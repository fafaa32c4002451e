"""How far behind the relay is: ``outbox_stats()`` for the metrics; and
``pm_due_tenants`` no longer names deactivated tenants.

``maintrac_outbox_backlog`` and ``maintrac_outbox_oldest_age_seconds`` need the pending
outbox rows of every tenant, which the app role cannot see (RLS). One more narrow owner-run
function, like the relay's own: it returns two numbers and nothing about any row.

``pm_due_tenants`` (0005) listed every tenant with due plans, deactivated ones too, whose
generation then failed every tick (their tenant transaction refuses them): it now skips
them, as ``job_tenant_ids`` does.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"


PM_DUE_TENANTS = """
    CREATE OR REPLACE FUNCTION pm_due_tenants(until timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
      SELECT DISTINCT p.tenant_id
      FROM public.pm_plans p
      JOIN public.tenants t ON t.id = p.tenant_id AND t.deleted_at IS NULL
      LEFT JOIN public.meters m ON m.tenant_id = p.tenant_id AND m.id = p.meter_id
      WHERE p.deleted_at IS NULL AND p.active
        AND (p.next_due_at - p.lead_time_days * interval '24 hours' <= until
             OR (p.next_due_meter IS NOT NULL AND m.deleted_at IS NULL
                 AND m.last_reading_value >= p.next_due_meter))
    $$
"""


def upgrade() -> None:
    op.execute(PM_DUE_TENANTS)
    op.execute(
        f"""
        CREATE FUNCTION outbox_stats()
        RETURNS TABLE (pending bigint, oldest_age_seconds double precision)
        LANGUAGE sql STABLE {DEFINER} AS $$
          -- Due rows only: a delayed message (not_before later) is not late yet; its age
          -- counts from when it became due.
          SELECT count(*),
                 coalesce(extract(epoch FROM now() - min(o.not_before)), 0)::double precision
          FROM public.outbox_messages o
          WHERE o.published_at IS NULL AND o.deleted_at IS NULL AND o.not_before <= now()
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION outbox_stats() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION outbox_stats() TO {ddl.APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION outbox_stats()")
    op.execute(
        PM_DUE_TENANTS.replace(
            "      JOIN public.tenants t ON t.id = p.tenant_id AND t.deleted_at IS NULL\n", ""
        )
    )
