"""The job layer: the transactional outbox, job runs, job failures, housekeeping functions.

* ``outbox_messages``: a job requested by a request, written in the same transaction as the
  change that caused it. The relay (``maintrac relay``) publishes committed rows to Celery
  and only then marks them published, so a rollback sends nothing and Redis being down (or a
  crash between commit and publish) loses nothing: PostgreSQL is the durable record, Redis
  only the transport. An insert NOTIFYs ``maintrac_outbox`` (delivered at commit) so the
  relay wakes at once; it also polls.
* ``job_runs``: one row per task execution whose work committed, written in the task's own
  transaction: a redelivered message finds its row and does nothing twice.
* ``job_failures``: a task's final failure (retries exhausted) with its error.

The relay and the periodic fan-out must see rows of every tenant; the service role has RLS
and no DELETE. They go through narrow owner-run ``SECURITY DEFINER`` functions, each doing
one fixed thing (claim pending outbox rows, mark them published, list tenant ids, delete one
kind of expired row in the current tenant), with pg_temp last in their search_path.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"
CURRENT = ddl.CURRENT_TENANT
#: Every owner-run function: pg_temp last, so no caller's temporary object can stand in for
#: a table (the app role has no TEMPORARY privilege either).
DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"

FUNCTIONS = {
    "outbox_claim(integer)": f"""
        CREATE FUNCTION outbox_claim(batch integer)
        RETURNS TABLE (tenant_id uuid, id uuid, task text, args jsonb, attempts integer)
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          -- Locked until the caller's transaction ends; SKIP LOCKED lets several relays
          -- share the work without publishing a row twice at the same time.
          SELECT o.tenant_id, o.id, o.task, o.args, o.attempts
          FROM public.outbox_messages o
          WHERE o.published_at IS NULL AND o.deleted_at IS NULL AND o.not_before <= now()
          ORDER BY o.not_before, o.id
          LIMIT least(greatest(batch, 1), 10000)
          FOR UPDATE SKIP LOCKED
        $$
    """,
    "outbox_mark_published(uuid[], uuid[])": f"""
        CREATE FUNCTION outbox_mark_published(tenants uuid[], ids uuid[]) RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH done AS (
            UPDATE public.outbox_messages o
            SET published_at = now(), attempts = o.attempts + 1, last_error = NULL
            FROM unnest(tenants, ids) AS p(tenant_id, id)
            WHERE o.tenant_id = p.tenant_id AND o.id = p.id AND o.published_at IS NULL
            RETURNING 1
          )
          SELECT count(*)::integer FROM done
        $$
    """,
    "outbox_mark_failed(uuid, uuid, text)": f"""
        CREATE FUNCTION outbox_mark_failed(tenant uuid, message uuid, error text) RETURNS void
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          -- A row that cannot be published (an unknown task name) waits longer each time
          -- (up to an hour) instead of blocking the rows behind it.
          UPDATE public.outbox_messages o
          SET attempts = o.attempts + 1, last_error = left(error, 2000),
              not_before = now() + least(interval '1 hour', interval '1 second' * 2 ^ o.attempts)
          WHERE o.tenant_id = tenant AND o.id = message AND o.published_at IS NULL
        $$
    """,
    "job_tenant_ids()": f"""
        CREATE FUNCTION job_tenant_ids() RETURNS SETOF uuid
        LANGUAGE sql STABLE {DEFINER} AS $$
          -- Ids only, of active tenants: what a periodic fan-out needs, nothing more.
          SELECT t.id FROM public.tenants t WHERE t.deleted_at IS NULL ORDER BY t.id
        $$
    """,
    # Housekeeping: each deletes at most `batch` rows of one kind in the current tenant;
    # the retention a caller passes can only lengthen the floor written here.
    "housekeep_idempotency_keys(integer)": f"""
        CREATE FUNCTION housekeep_idempotency_keys(batch integer) RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH doomed AS (
            SELECT k.tenant_id, k.id FROM public.idempotency_keys k
            WHERE k.tenant_id = {CURRENT} AND k.expires_at < now()
            LIMIT least(greatest(batch, 1), 100000)
          ), gone AS (
            DELETE FROM public.idempotency_keys k USING doomed d
            WHERE k.tenant_id = d.tenant_id AND k.id = d.id RETURNING 1
          )
          SELECT count(*)::integer FROM gone
        $$
    """,
    "housekeep_outbox_messages(integer, interval)": f"""
        CREATE FUNCTION housekeep_outbox_messages(batch integer, keep interval) RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH doomed AS (
            SELECT o.tenant_id, o.id FROM public.outbox_messages o
            WHERE o.tenant_id = {CURRENT} AND o.published_at IS NOT NULL
              AND o.published_at < now() - greatest(keep, interval '1 day')
            LIMIT least(greatest(batch, 1), 100000)
          ), gone AS (
            DELETE FROM public.outbox_messages o USING doomed d
            WHERE o.tenant_id = d.tenant_id AND o.id = d.id RETURNING 1
          )
          SELECT count(*)::integer FROM gone
        $$
    """,
    "housekeep_job_runs(integer, interval)": f"""
        CREATE FUNCTION housekeep_job_runs(batch integer, keep interval) RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH doomed AS (
            SELECT r.tenant_id, r.id FROM public.job_runs r
            WHERE r.tenant_id = {CURRENT}
              AND r.created_at < now() - greatest(keep, interval '1 day')
            LIMIT least(greatest(batch, 1), 100000)
          ), gone AS (
            DELETE FROM public.job_runs r USING doomed d
            WHERE r.tenant_id = d.tenant_id AND r.id = d.id RETURNING 1
          )
          SELECT count(*)::integer FROM gone
        $$
    """,
    # A checkpoint is found by a device's lastPulledAt (the latest at or before it). It is
    # no longer used once its device pulled again (a later checkpoint names it as
    # previous_pulled_at) and that later pull is itself past the grace period (the push
    # that follows a pull, or a retried pull whose response was lost, still looks it up).
    # The tenant's oldest checkpoint stays as the floor: a device holding a deleted one
    # falls back to an earlier checkpoint, which only sends more, never less.
    "housekeep_sync_checkpoints(integer, interval)": f"""
        CREATE FUNCTION housekeep_sync_checkpoints(batch integer, grace interval)
        RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH floor AS (
            SELECT min(c.pulled_at) AS pulled_at FROM public.sync_checkpoints c
            WHERE c.tenant_id = {CURRENT}
          ), doomed AS (
            SELECT c.tenant_id, c.id FROM public.sync_checkpoints c, floor f
            WHERE c.tenant_id = {CURRENT} AND c.pulled_at > f.pulled_at
              AND EXISTS (
                SELECT 1 FROM public.sync_checkpoints n
                WHERE n.tenant_id = c.tenant_id AND n.previous_pulled_at = c.pulled_at
                  AND n.created_at < now() - greatest(grace, interval '1 hour'))
            -- Oldest first: a checkpoint goes no later than the one that superseded it, so
            -- no remaining checkpoint ever looks like a device's latest when it is not.
            ORDER BY c.pulled_at
            LIMIT least(greatest(batch, 1), 100000)
          ), gone AS (
            DELETE FROM public.sync_checkpoints c USING doomed d
            WHERE c.tenant_id = d.tenant_id AND c.id = d.id RETURNING 1
          )
          SELECT count(*)::integer FROM gone
        $$
    """,
    # A resend is read by pulls whose checkpoint snapshot is at or below its change_seq.
    # It is acknowledged when no checkpoint a device may still use is: every device that
    # pulled in the last `device_keep` has pulled again since it was written. The floor
    # (the tenant's oldest checkpoint, kept only as a fallback for lookups) is not a
    # device's checkpoint once others exist: its successors may have been deleted.
    "housekeep_sync_resends(integer, interval, interval)": f"""
        CREATE FUNCTION housekeep_sync_resends(batch integer, grace interval,
                                               device_keep interval) RETURNS integer
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          WITH floor AS (
            SELECT min(c.pulled_at) AS pulled_at, count(*) AS checkpoints
            FROM public.sync_checkpoints c WHERE c.tenant_id = {CURRENT}
          ), usable AS (
            SELECT c.snapshot_xmin FROM public.sync_checkpoints c, floor f
            WHERE c.tenant_id = {CURRENT}
              AND (c.pulled_at > f.pulled_at OR f.checkpoints = 1)
              AND c.created_at > now() - greatest(device_keep, interval '7 days')
              AND NOT EXISTS (
                SELECT 1 FROM public.sync_checkpoints n
                WHERE n.tenant_id = c.tenant_id AND n.previous_pulled_at = c.pulled_at
                  AND n.created_at < now() - greatest(grace, interval '1 hour'))
          ), doomed AS (
            SELECT r.tenant_id, r.id FROM public.sync_resends r
            WHERE r.tenant_id = {CURRENT}
              AND r.created_at < now() - greatest(grace, interval '1 hour')
              AND r.change_seq < coalesce((SELECT min(u.snapshot_xmin) FROM usable u),
                                          9223372036854775807)
            LIMIT least(greatest(batch, 1), 100000)
          ), gone AS (
            DELETE FROM public.sync_resends r USING doomed d
            WHERE r.tenant_id = d.tenant_id AND r.id = d.id RETURNING 1
          )
          SELECT count(*)::integer FROM gone
        $$
    """,
}

HOUSEKEEPING_NOTE = (
    "Housekeeping: rows past their retention are deleted in bounded batches by the owner-run "
    "housekeep_*() functions of migration 0004, because the app role has no DELETE by design; "
    "each function deletes one kind of expired row of the current tenant only."
)
#: Tables the owner-run housekeeping functions delete from (the app role cannot).
HOUSEKEPT = ("idempotency_keys", "outbox_messages", "job_runs", "sync_checkpoints", "sync_resends")


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE outbox_messages (
            {KEY},
            task          text NOT NULL CHECK (char_length(task) BETWEEN 1 AND 200),
            args          jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(args) = 'object'),
            not_before    timestamptz NOT NULL DEFAULT now(),
            published_at  timestamptz,
            attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error    text,
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now(),
            deleted_at    timestamptz,
            CONSTRAINT pk_outbox_messages PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_outbox_messages_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    # Pending rows only: the relay's scan stays small however many rows were published.
    op.execute(
        "CREATE INDEX ix_outbox_messages_pending ON outbox_messages (tenant_id, not_before) "
        "WHERE published_at IS NULL"
    )
    op.execute(
        "CREATE INDEX ix_outbox_messages_published ON outbox_messages (tenant_id, published_at) "
        "WHERE published_at IS NOT NULL"
    )
    # The service writes outbox rows (and reads them back); only the relay's owner-run
    # functions mark them published, and only housekeeping deletes them.
    for statement in ddl.tenant_table("outbox_messages", privileges="SELECT, INSERT"):
        op.execute(statement)
    op.execute(
        f"CREATE POLICY owner_relays ON outbox_messages TO {ddl.OWNER_ROLE} "
        "USING (true) WITH CHECK (true)"
    )
    op.execute(
        """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          -- Delivered at commit, never on rollback: the relay wakes only for committed rows.
          PERFORM pg_notify('maintrac_outbox', '');
          RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER trg_outbox_messages_notify AFTER INSERT ON outbox_messages "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )

    op.execute(
        f"""
        CREATE TABLE job_runs (
            {KEY},
            task_id     uuid NOT NULL,
            task        text NOT NULL CHECK (char_length(task) BETWEEN 1 AND 200),
            created_at  timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_job_runs PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_job_runs_task_id UNIQUE (tenant_id, task_id),
            CONSTRAINT fk_job_runs_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_job_runs_created ON job_runs (tenant_id, created_at)")
    for statement in ddl.append_only_table(
        "job_runs", "the record that a task's work committed, written in that transaction"
    ):
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE job_failures (
            {KEY},
            task_id     uuid NOT NULL,
            task        text NOT NULL CHECK (char_length(task) BETWEEN 1 AND 200),
            args        jsonb NOT NULL DEFAULT '{{}}',
            attempts    integer NOT NULL CHECK (attempts >= 1),
            error       text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_job_failures PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_job_failures_task_id UNIQUE (tenant_id, task_id),
            CONSTRAINT fk_job_failures_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_job_failures_created ON job_failures (tenant_id, created_at)")
    for statement in ddl.append_only_table(
        "job_failures", "a final failure is a fact, recorded once"
    ):
        op.execute(statement)

    # Finding checkpoints a later pull superseded (housekeeping).
    op.execute(
        "CREATE INDEX ix_sync_checkpoints_previous "
        "ON sync_checkpoints (tenant_id, previous_pulled_at)"
    )
    # The fan-out of periodic work lists tenant ids through job_tenant_ids() only.
    op.execute(
        f"CREATE POLICY owner_lists_tenants ON tenants FOR SELECT TO {ddl.OWNER_ROLE} USING (true)"
    )

    for signature, body in FUNCTIONS.items():
        op.execute(body)
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {ddl.APP_ROLE}")
    for table in HOUSEKEPT:
        # Appended to the table's comment (an append-only exemption there stays as it is).
        op.execute(
            f"""
            DO $$ BEGIN
              EXECUTE format('COMMENT ON TABLE {table} IS %L', concat_ws(' ',
                obj_description('{table}'::regclass, 'pg_class'), '{HOUSEKEEPING_NOTE}'));
            END $$
            """
        )


def downgrade() -> None:
    for table in HOUSEKEPT:
        op.execute(
            f"""
            DO $$ BEGIN
              EXECUTE format('COMMENT ON TABLE {table} IS %L', nullif(btrim(replace(
                obj_description('{table}'::regclass, 'pg_class'), '{HOUSEKEEPING_NOTE}', '')), ''));
            END $$
            """
        )
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
    op.execute("DROP POLICY owner_lists_tenants ON tenants")
    op.execute("DROP INDEX ix_sync_checkpoints_previous")
    op.execute("DROP TABLE job_failures")
    op.execute("DROP TABLE job_runs")
    op.execute("DROP TABLE outbox_messages")
    op.execute("DROP FUNCTION outbox_notify()")
