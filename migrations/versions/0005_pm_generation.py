"""PM generation: lead times, the plan's GL code and last generated occurrence, the plan's
history (skipped occurrences), and the owner-run function that finds the
tenants with due plans.

The worker finds work across tenants only through ``pm_due_tenants()``: owner-run
(SECURITY DEFINER), it returns tenant ids and nothing else, so the worker's own session
stays the non-owner app role under RLS, like a request. It reads ``pm_plans`` (through a
SELECT-only policy for the owner, added here) and ``meters`` (the owner's policy from
0003).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE pm_plans
            ADD COLUMN lead_time_days integer NOT NULL DEFAULT 0
                CHECK (lead_time_days BETWEEN 0 AND 365),
            ADD COLUMN gl_code_id uuid,
            ADD COLUMN last_generated_occurrence integer
                CHECK (last_generated_occurrence >= 0),
            ADD COLUMN last_generated_at timestamptz,
            ADD CONSTRAINT fk_pm_plans_gl_codes
                FOREIGN KEY (tenant_id, gl_code_id) REFERENCES gl_codes (tenant_id, id)
        """
    )
    # Plans that follow a meter, found when a reading arrives.
    op.execute(
        "CREATE INDEX ix_pm_plans_meter ON pm_plans (tenant_id, meter_id) "
        "WHERE deleted_at IS NULL AND active AND meter_id IS NOT NULL"
    )

    op.execute(
        f"""
        CREATE TABLE pm_plan_events (
            {KEY},
            pm_plan_id      uuid NOT NULL,
            -- What has no work order to show for it. Generated occurrences are the plan's
            -- work orders (pm_plan_id, pm_occurrence), whose own history says so.
            type            text NOT NULL CHECK (type IN ('skipped')),
            occurrence_from integer NOT NULL CHECK (occurrence_from >= 0),
            occurrence_to   integer NOT NULL CHECK (occurrence_to >= occurrence_from),
            created_at      timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_pm_plan_events PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_pm_plan_events_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id),
            CONSTRAINT fk_pm_plan_events_pm_plans
                FOREIGN KEY (tenant_id, pm_plan_id) REFERENCES pm_plans (tenant_id, id)
        )
        """
    )
    op.execute("CREATE INDEX ix_pm_plan_events_plan ON pm_plan_events (tenant_id, pm_plan_id, id)")
    for statement in ddl.append_only_table(
        "pm_plan_events", "a plan's history (skipped occurrences), never rewritten"
    ):
        op.execute(statement)

    # The owner may read plans across tenants, only through pm_due_tenants() below.
    op.execute(
        f"CREATE POLICY owner_finds_due_plans ON pm_plans FOR SELECT TO {ddl.OWNER_ROLE} "
        "USING (true)"
    )
    # Due by the calendar: the next due point minus the lead time (N x 24 h) has passed;
    # by the meter: the meter's latest reading has reached the next threshold. The worker
    # recomputes each plan in its tenant transaction; this only says where to look.
    op.execute(
        """
        CREATE FUNCTION pm_due_tenants(until timestamptz) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER
        -- pg_temp last (and every name qualified): a caller's temporary objects can never
        -- stand in for a table inside this owner-run function.
        SET search_path = pg_catalog, public, pg_temp AS $$
          SELECT DISTINCT p.tenant_id
          FROM public.pm_plans p
          LEFT JOIN public.meters m ON m.tenant_id = p.tenant_id AND m.id = p.meter_id
          WHERE p.deleted_at IS NULL AND p.active
            AND (p.next_due_at - p.lead_time_days * interval '24 hours' <= until
                 OR (p.next_due_meter IS NOT NULL AND m.deleted_at IS NULL
                     AND m.last_reading_value >= p.next_due_meter))
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION pm_due_tenants(timestamptz) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION pm_due_tenants(timestamptz) TO {ddl.APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION pm_due_tenants(timestamptz)")
    op.execute("DROP POLICY owner_finds_due_plans ON pm_plans")
    op.execute("DROP TABLE pm_plan_events")
    op.execute("DROP INDEX ix_pm_plans_meter")
    op.execute(
        """
        ALTER TABLE pm_plans
            DROP CONSTRAINT fk_pm_plans_gl_codes,
            DROP COLUMN last_generated_at,
            DROP COLUMN last_generated_occurrence,
            DROP COLUMN gl_code_id,
            DROP COLUMN lead_time_days
        """
    )
