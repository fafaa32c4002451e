"""Offline sync: change tracking that misses nothing, pull checkpoints, resends, conflicts.

Every synced table gets ``change_seq``: the id of the transaction that last wrote the row
(``pg_current_xact_id()``). A pull reads, in one REPEATABLE READ snapshot, the rows whose
``change_seq`` is at least the previous pull's snapshot ``xmin``, and records its own
snapshot's ``xmin`` under the timestamp it hands to the device. Every transaction the
pull could not see has an id at or above that ``xmin``, so its rows come in the next pull:
a change committed concurrently with a pull is in that pull or the next, never in neither
(wall-clock ``updated_at`` cannot promise this: a transaction stamps before it commits).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

SYNCED = (
    "work_orders",
    "work_log_entries",
    "asset_readings",
    "work_order_events",
    "assets",
    "meters",
    "users",
    "task_codes",
    "asset_categories",
    "gl_codes",
)
KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION set_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.change_seq := pg_current_xact_id()::text::bigint;
          RETURN NEW;
        END
        $$
        """
    )
    for table in SYNCED:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN change_seq bigint NOT NULL "
            "DEFAULT pg_current_xact_id()::text::bigint"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_change_seq BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION set_change_seq()"
        )
        op.execute(f"CREATE INDEX ix_{table}_change_seq ON {table} (tenant_id, change_seq)")
        # The owner may read ids across tenants, only through sync_id_taken() below.
        op.execute(
            f"CREATE POLICY owner_checks_ids ON {table} FOR SELECT TO {ddl.OWNER_ROLE} USING (true)"
        )

    # The device whose push made a change: its own earlier pushes are not conflicts with
    # its later edits.
    op.execute(
        "ALTER TABLE work_order_events ADD COLUMN device_id text "
        "CHECK (char_length(device_id) <= 200)"
    )
    op.execute(
        f"""
        CREATE TABLE sync_checkpoints (
            {KEY},
            pulled_at     bigint NOT NULL CHECK (pulled_at > 0),
            snapshot_xmin bigint NOT NULL CHECK (snapshot_xmin > 0),
            -- The lastPulledAt this pull was called with: the device's previous sync. A
            -- push after this pull judges conflicts against that one, since the device's
            -- offline edits were made on top of what it held then.
            previous_pulled_at bigint,
            user_id       uuid,
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_checkpoints PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_sync_checkpoints_pulled_at UNIQUE (tenant_id, pulled_at),
            CONSTRAINT fk_sync_checkpoints_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    for statement in ddl.append_only_table(
        "sync_checkpoints", "a checkpoint of a pull is written once and never changed"
    ):
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE sync_resends (
            {KEY},
            table_name    text NOT NULL,
            record_id     uuid NOT NULL,
            change_seq    bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_resends PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_sync_resends_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_sync_resends_change_seq ON sync_resends (tenant_id, change_seq)")
    for statement in ddl.append_only_table(
        "sync_resends", "a record to send again in later pulls, written once"
    ):
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE sync_conflicts (
            {KEY},
            table_name    text NOT NULL CHECK (char_length(table_name) BETWEEN 1 AND 63),
            record_id     uuid NOT NULL,
            field         text,
            client_value  jsonb,
            server_value  jsonb,
            resolution    text NOT NULL CHECK (char_length(resolution) BETWEEN 1 AND 50),
            user_id       uuid,
            device_id     text CHECK (char_length(device_id) <= 200),
            occurred_at   timestamptz NOT NULL DEFAULT now(),
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_conflicts PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_sync_conflicts_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id),
            CONSTRAINT fk_sync_conflicts_users FOREIGN KEY (tenant_id, user_id)
                REFERENCES users (tenant_id, id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_sync_conflicts_record ON sync_conflicts (tenant_id, table_name, record_id)"
    )
    for statement in ddl.append_only_table("sync_conflicts", "an audit log, never rewritten"):
        op.execute(statement)

    # Devices make their own ids. One that another tenant's row already has is refused
    # (without saying so): this owner-run function sees ids across tenants and says only
    # yes or no, for the synced tables a device may create rows in.
    op.execute(
        """
        CREATE FUNCTION sync_id_taken(kind text, record uuid) RETURNS boolean
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        -- pg_temp last (and every name qualified): a caller's temporary view or function
        -- can never stand in for a table inside this owner-run function.
        SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
          RETURN CASE kind
            WHEN 'work_orders' THEN EXISTS (SELECT 1 FROM public.work_orders WHERE id = record)
            WHEN 'work_log_entries'
              THEN EXISTS (SELECT 1 FROM public.work_log_entries WHERE id = record)
            WHEN 'asset_readings'
              THEN EXISTS (SELECT 1 FROM public.asset_readings WHERE id = record)
            ELSE true
          END;
        END
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION sync_id_taken(text, uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION sync_id_taken(text, uuid) TO {ddl.APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION sync_id_taken(text, uuid)")
    op.execute("DROP TABLE sync_conflicts")
    op.execute("DROP TABLE sync_resends")
    op.execute("DROP TABLE sync_checkpoints")
    op.execute("ALTER TABLE work_order_events DROP COLUMN device_id")
    for table in SYNCED:
        op.execute(f"DROP POLICY owner_checks_ids ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_change_seq ON {table}")
        op.execute(f"DROP INDEX ix_{table}_change_seq")
        op.execute(f"ALTER TABLE {table} DROP COLUMN change_seq")
    op.execute("DROP FUNCTION set_change_seq()")
