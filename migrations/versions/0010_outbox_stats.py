"""How far behind the relay is: ``outbox_stats()`` for the metrics.

``maintrac_outbox_backlog`` and ``maintrac_outbox_oldest_age_seconds`` need the pending
outbox rows of every tenant, which the app role cannot see (RLS). One more narrow owner-run
function, like the relay's own: it returns two numbers and nothing about any row.

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


def upgrade() -> None:
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
