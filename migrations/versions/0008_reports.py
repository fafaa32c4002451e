"""Reports as jobs: the report requests and their files, stored in PostgreSQL.

* ``reports``: one requested export (kind, format, parameters, status, progress, counts,
  error, expiry). The API inserts it ``queued``; the worker moves it to ``running`` and
  then ``succeeded`` or ``failed``.
* ``report_chunks``: the finished file, in ordered ``bytea`` chunks of about 1 MiB. They
  are written in the same transaction that marks the report ``succeeded``, so a file is
  either whole or absent. Stored in the database (not on a local disk) so that the
  database backup (pgBackRest) covers it and any API process on any machine can serve
  it; ``lz4`` TOAST compression (fast) shrinks CSV several times, and costs nothing on
  an xlsx, which is already a zip.

Expired files are deleted by the owner-run ``housekeep_report_chunks`` (the app role has
no DELETE), in bounded batches, in the current tenant only; the report row is then
soft-deleted by the service.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"
CURRENT = ddl.CURRENT_TENANT
DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"

KINDS = "'work-orders', 'pm-compliance', 'labour', 'asset-history'"

HOUSEKEEP = f"""
    CREATE FUNCTION housekeep_report_chunks(batch integer) RETURNS integer
    LANGUAGE sql VOLATILE {DEFINER} AS $$
      -- Chunks of expired reports of the current tenant only; at most `batch` per call.
      WITH doomed AS (
        SELECT c.tenant_id, c.id FROM public.report_chunks c
        JOIN public.reports r ON r.tenant_id = c.tenant_id AND r.id = c.report_id
        WHERE c.tenant_id = {CURRENT} AND r.expires_at < now()
        LIMIT least(greatest(batch, 1), 100000)
      ), gone AS (
        DELETE FROM public.report_chunks c USING doomed d
        WHERE c.tenant_id = d.tenant_id AND c.id = d.id RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$
"""
HOUSEKEEPING_NOTE = (
    "Housekeeping: chunks of expired reports are deleted in bounded batches by the "
    "owner-run housekeep_report_chunks() of migration 0008 (the app role has no DELETE)."
)


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE reports (
            {KEY},
            kind          text NOT NULL CHECK (kind IN ({KINDS})),
            format        text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            parameters    jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(parameters) = 'object'),
            status        text NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
            requested_by  uuid,
            rows_done     bigint NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
            rows_total    bigint CHECK (rows_total >= 0),
            row_count     bigint CHECK (row_count >= 0),
            byte_size     bigint CHECK (byte_size >= 0),
            error         text,
            attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            started_at    timestamptz,
            finished_at   timestamptz,
            expires_at    timestamptz,
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now(),
            deleted_at    timestamptz,
            CONSTRAINT pk_reports PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_reports_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id),
            CONSTRAINT fk_reports_users_requester FOREIGN KEY (tenant_id, requested_by)
                REFERENCES users (tenant_id, id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_reports_expires ON reports (tenant_id, expires_at) "
        "WHERE deleted_at IS NULL"
    )
    for statement in ddl.tenant_table("reports"):
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE report_chunks (
            {KEY},
            report_id   uuid NOT NULL,
            seq         integer NOT NULL CHECK (seq >= 0),
            data        bytea NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_report_chunks PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_report_chunks_seq UNIQUE (tenant_id, report_id, seq),
            CONSTRAINT fk_report_chunks_reports FOREIGN KEY (tenant_id, report_id)
                REFERENCES reports (tenant_id, id)
        )
        """
    )
    op.execute("ALTER TABLE report_chunks ALTER COLUMN data SET COMPRESSION lz4")
    for statement in ddl.append_only_table(
        "report_chunks", "a finished file is written once; only housekeeping deletes it"
    ):
        op.execute(statement)
    op.execute(HOUSEKEEP)
    op.execute("REVOKE ALL ON FUNCTION housekeep_report_chunks(integer) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION housekeep_report_chunks(integer) TO {ddl.APP_ROLE}")
    op.execute(
        f"""
        DO $$ BEGIN
          EXECUTE format('COMMENT ON TABLE report_chunks IS %L', concat_ws(' ',
            obj_description('report_chunks'::regclass, 'pg_class'), '{HOUSEKEEPING_NOTE}'));
        END $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION housekeep_report_chunks(integer)")
    op.execute("DROP TABLE report_chunks")
    op.execute("DROP TABLE reports")
