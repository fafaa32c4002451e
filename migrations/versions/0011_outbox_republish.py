"""The republish sweep: an outbox message the broker lost is published again.

Redis here keeps nothing on disk: a message already published (``published_at`` set) and
still in Redis when Redis restarts is gone, and the outbox alone did not know. The relay
now checks every published message once it is older than ``OUTBOX_REPUBLISH_AFTER_SECONDS``:

* its job ran (a ``job_runs`` row) or failed for good (a ``job_failures`` row): settled,
  never looked at again;
* the broker still holds it (waiting in a queue, or taken by a worker: running, or waiting
  for a retry countdown; the relay looks in Redis): checked again after as long;
* neither: lost. It is made pending again (``published_at`` NULL) and the relay publishes
  it with the same task id, so a tenant task still runs once. After
  ``OUTBOX_REPUBLISH_MAX_ATTEMPTS`` republishes it is given up instead: the row keeps
  ``last_error`` and a ``job_failures`` row records the final state.

``broker_seen_at`` is when the relay last knew the broker had the message (published, or
found there by the sweep); NULL once settled, so the partial index
``ix_outbox_messages_unsettled`` holds only the messages still to check, however many were
published. Rows published before this migration have none and are not checked.

Only the owner-run functions below touch outbox rows (the app role has no UPDATE); they
read ``job_runs`` and ``job_failures`` of every tenant and may add a ``job_failures`` row,
through owner-only policies like the relay's ``owner_relays``.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"

#: A message unchecked for longer than this is not republished: a job_runs row may be kept
#: only this long (housekeeping's floor), so "no row" no longer means "never ran".
HORIZON = "interval '1 day'"

MARK_PUBLISHED = """
    CREATE OR REPLACE FUNCTION outbox_mark_published(tenants uuid[], ids uuid[]) RETURNS integer
    LANGUAGE sql VOLATILE {definer} AS $$
      WITH done AS (
        UPDATE public.outbox_messages o
        SET published_at = now(), attempts = o.attempts + 1, last_error = NULL{seen}
        FROM unnest(tenants, ids) AS p(tenant_id, id)
        WHERE o.tenant_id = p.tenant_id AND o.id = p.id AND o.published_at IS NULL
        RETURNING 1
      )
      SELECT count(*)::integer FROM done
    $$
"""

FUNCTIONS = {
    "outbox_sweep_claim(interval, integer)": f"""
        CREATE FUNCTION outbox_sweep_claim(after interval, batch integer)
        RETURNS TABLE (tenant_id uuid, id uuid, task text, ran boolean)
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          -- Published messages due for a check, oldest first, locked until the caller's
          -- transaction ends (another relay's sweep skips them). ran: their job committed
          -- or failed for good; the others need a look in the broker.
          SELECT o.tenant_id, o.id, o.task,
                 EXISTS (SELECT 1 FROM public.job_runs r
                         WHERE r.tenant_id = o.tenant_id AND r.task_id = o.id)
                 OR EXISTS (SELECT 1 FROM public.job_failures f
                            WHERE f.tenant_id = o.tenant_id AND f.task_id = o.id)
          FROM public.outbox_messages o
          WHERE o.broker_seen_at IS NOT NULL
            AND o.broker_seen_at < now() - greatest(after, interval '0')
          ORDER BY o.broker_seen_at
          LIMIT least(greatest(batch, 1), 10000)
          FOR UPDATE OF o SKIP LOCKED
        $$
    """,
    "outbox_sweep_settle(uuid[], uuid[], boolean[], integer)": f"""
        CREATE FUNCTION outbox_sweep_settle(tenants uuid[], ids uuid[], held boolean[],
                                            cap integer)
        RETURNS TABLE (tenant_id uuid, id uuid, task text, outcome text, republishes integer)
        LANGUAGE sql VOLATILE {DEFINER} AS $$
          -- held: the broker had the message when the caller looked (after its claim).
          -- ran is read again here: a job that committed since the claim is not lost.
          WITH judged AS (
            SELECT o.tenant_id, o.id, o.task, o.args, o.republishes,
                   CASE
                     WHEN EXISTS (SELECT 1 FROM public.job_runs r
                                  WHERE r.tenant_id = o.tenant_id AND r.task_id = o.id)
                       OR EXISTS (SELECT 1 FROM public.job_failures f
                                  WHERE f.tenant_id = o.tenant_id AND f.task_id = o.id)
                       THEN 'ran'
                     WHEN g.held THEN 'held'
                     WHEN o.republishes < least(greatest(cap, 0), 100)
                          AND o.broker_seen_at > now() - {HORIZON}
                       THEN 'republished'
                     ELSE 'abandoned'
                   END AS outcome
            FROM unnest(tenants, ids, held) AS g(tenant_id, id, held)
            JOIN public.outbox_messages o ON o.tenant_id = g.tenant_id AND o.id = g.id
            WHERE o.published_at IS NOT NULL AND o.broker_seen_at IS NOT NULL
          ), settled AS (
            UPDATE public.outbox_messages o
            SET broker_seen_at = CASE WHEN j.outcome = 'held' THEN now() END,
                published_at = CASE WHEN j.outcome = 'republished' THEN NULL
                                    ELSE o.published_at END,
                not_before = CASE WHEN j.outcome = 'republished' THEN now()
                                  ELSE o.not_before END,
                republishes = o.republishes + (j.outcome = 'republished')::integer,
                last_error = CASE j.outcome
                  WHEN 'republished' THEN 'lost by the broker; republished'
                  WHEN 'abandoned' THEN 'lost by the broker; not republished again after '
                                        || o.republishes || ' republish(es)'
                  ELSE o.last_error END
            FROM judged j
            WHERE o.tenant_id = j.tenant_id AND o.id = j.id
            RETURNING o.tenant_id, o.id, o.task, j.outcome, o.republishes
          ), recorded AS (
            INSERT INTO public.job_failures (tenant_id, id, task_id, task, args, attempts, error)
            SELECT j.tenant_id, public.uuid_generate_v7(), j.id, j.task, j.args - '_trace',
                   j.republishes + 1,
                   'lost by the broker ' || (j.republishes + 1) || ' time(s) and never run; '
                   || 'republish attempts exhausted (OUTBOX_REPUBLISH_MAX_ATTEMPTS)'
            FROM judged j WHERE j.outcome = 'abandoned'
            ON CONFLICT ON CONSTRAINT uq_job_failures_task_id DO NOTHING
          )
          SELECT s.tenant_id, s.id, s.task, s.outcome, s.republishes FROM settled s
        $$
    """,
}

#: Owner-only policies: the sweep functions read runs and failures of every tenant and may
#: record a failure (FORCE ROW LEVEL SECURITY applies to the owner too).
POLICIES = (
    f"CREATE POLICY owner_sweeps_outbox ON job_runs FOR SELECT TO {ddl.OWNER_ROLE} USING (true)",
    f"CREATE POLICY owner_sweeps_outbox ON job_failures FOR SELECT TO {ddl.OWNER_ROLE} USING (true)",
    (
        f"CREATE POLICY owner_records_lost_jobs ON job_failures FOR INSERT TO {ddl.OWNER_ROLE} "
        "WITH CHECK (true)"
    ),
)


def upgrade() -> None:
    op.execute(
        "ALTER TABLE outbox_messages ADD COLUMN broker_seen_at timestamptz, "
        "ADD COLUMN republishes integer NOT NULL DEFAULT 0 CHECK (republishes >= 0)"
    )
    # Unsettled messages only (published in the last minutes, or still held by the broker):
    # the sweep reads the whole partial index, which stays small. tenant_id first like every
    # index of a tenant table; the sweep's cross-tenant scan filters on the second column.
    op.execute(
        "CREATE INDEX ix_outbox_messages_unsettled ON outbox_messages "
        "(tenant_id, broker_seen_at) WHERE broker_seen_at IS NOT NULL"
    )
    op.execute(MARK_PUBLISHED.format(definer=DEFINER, seen=", broker_seen_at = now()"))
    for statement in POLICIES:
        op.execute(statement)
    for signature, body in FUNCTIONS.items():
        op.execute(body)
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {ddl.APP_ROLE}")


def downgrade() -> None:
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
    op.execute("DROP POLICY owner_records_lost_jobs ON job_failures")
    op.execute("DROP POLICY owner_sweeps_outbox ON job_failures")
    op.execute("DROP POLICY owner_sweeps_outbox ON job_runs")
    op.execute(MARK_PUBLISHED.format(definer=DEFINER, seen=""))
    op.execute("DROP INDEX ix_outbox_messages_unsettled")
    op.execute("ALTER TABLE outbox_messages DROP COLUMN republishes, DROP COLUMN broker_seen_at")
