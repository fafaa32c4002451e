"""Foundation: helper functions, tenants, per-tenant counters, work orders.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TIMESTAMPS = """
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
"""


def upgrade() -> None:
    for statement in ddl.FUNCTIONS:
        op.execute(statement)

    # The root table: a tenant sees only its own row.
    op.execute(
        f"""
        CREATE TABLE tenants (
            id          uuid NOT NULL DEFAULT uuid_generate_v7(),
            name        text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
            time_zone   text NOT NULL DEFAULT 'UTC',
            {TIMESTAMPS},
            CONSTRAINT pk_tenants PRIMARY KEY (id)
        )
        """
    )
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON tenants "
        f"USING (id = {ddl.CURRENT_TENANT}) WITH CHECK (id = {ddl.CURRENT_TENANT})"
    )
    for statement in ddl.updated_at_trigger("tenants"):
        op.execute(statement)
    op.execute(f"GRANT SELECT ON tenants TO {ddl.APP_ROLE}")

    # Per-tenant sequences (work order numbers, ...): one row per (tenant, name).
    op.execute(
        f"""
        CREATE TABLE tenant_counters (
            tenant_id   uuid NOT NULL,
            id          uuid NOT NULL DEFAULT uuid_generate_v7(),
            name        text NOT NULL,
            value       bigint NOT NULL CHECK (value >= 0),
            {TIMESTAMPS},
            CONSTRAINT pk_tenant_counters PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_tenant_counters_name UNIQUE (tenant_id, name),
            CONSTRAINT fk_tenant_counters_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    for statement in ddl.tenant_table("tenant_counters"):
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE work_orders (
            tenant_id    uuid NOT NULL,
            id           uuid NOT NULL DEFAULT uuid_generate_v7(),
            number       bigint NOT NULL CHECK (number >= 1),
            title        text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
            description  text CHECK (char_length(description) <= 10000),
            status       text NOT NULL DEFAULT 'open'
                         CHECK (status IN
                                ('open', 'in_progress', 'on_hold', 'complete', 'cancelled')),
            priority     text NOT NULL DEFAULT 'medium'
                         CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            asset_id     uuid,
            assignee_id  uuid,
            due_at       timestamptz,
            completed_at timestamptz,
            {TIMESTAMPS},
            CONSTRAINT pk_work_orders PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_work_orders_number UNIQUE (tenant_id, number),
            CONSTRAINT fk_work_orders_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id),
            CONSTRAINT ck_work_orders_completed_at
                CHECK ((status = 'complete') = (completed_at IS NOT NULL))
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_work_orders_status ON work_orders (tenant_id, status, id) "
        "WHERE deleted_at IS NULL"
    )
    op.execute(
        "CREATE INDEX ix_work_orders_assignee ON work_orders (tenant_id, assignee_id, id) "
        "WHERE deleted_at IS NULL"
    )
    for statement in ddl.tenant_table("work_orders"):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE work_orders")
    op.execute("DROP TABLE tenant_counters")
    op.execute("DROP TABLE tenants")
    op.execute("DROP FUNCTION app_set_tenant(uuid)")
    op.execute("DROP FUNCTION set_updated_at()")
    op.execute("DROP FUNCTION uuid_generate_v7()")
