"""The maintenance domain: people, reference data, assets, meters and readings, work log
entries, work order history, PM plans, idempotency keys; work orders gain their links.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

TS = """
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
"""
KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"
NAME = "text NOT NULL CHECK (char_length(btrim({col})) BETWEEN 1 AND 200)"
CODE = r"text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$')"


def _fk(table: str, ref: str, column: str, suffix: str = "") -> str:
    name = f"fk_{table}_{ref}" + (f"_{suffix}" if suffix else "")
    return f"CONSTRAINT {name} FOREIGN KEY (tenant_id, {column}) REFERENCES {ref} (tenant_id, id)"


def _tenant_fk(table: str) -> str:
    return f"CONSTRAINT fk_{table}_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)"


def _run(*statements: str | list[str]) -> None:
    for item in statements:
        for statement in [item] if isinstance(item, str) else item:
            op.execute(statement)


def upgrade() -> None:
    _run(
        """
        CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.version := OLD.version + 1;
          RETURN NEW;
        END
        $$
        """
    )

    # ---------------------------------------------------------------- people
    _run(
        f"""
        CREATE TABLE users (
            {KEY},
            external_id  text CHECK (char_length(external_id) BETWEEN 1 AND 255),
            display_name {NAME.format(col="display_name")},
            -- The contract also refuses whitespace (JSON Schema's set); the database only
            -- insists on one @ between two non-empty parts, so it never refuses what the
            -- contract allows.
            email        text CHECK (char_length(email) <= 320 AND email ~ '^[^@]+@[^@]+$'),
            role         text NOT NULL DEFAULT 'technician' CHECK (char_length(role) BETWEEN 1 AND 50),
            active       boolean NOT NULL DEFAULT true,
            last_seen_at timestamptz,
            version      bigint NOT NULL DEFAULT 1,
            {TS},
            CONSTRAINT pk_users PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_users_external_id UNIQUE (tenant_id, external_id),
            {_tenant_fk("users")}
        )
        """,
        "CREATE UNIQUE INDEX uq_users_email ON users (tenant_id, lower(email)) "
        "WHERE deleted_at IS NULL AND email IS NOT NULL",
        ddl.tenant_table("users"),
        ddl.versioned("users"),
    )
    # Begin a request in one round trip: set the tenant, check it, find the caller.
    _run(
        """
        CREATE FUNCTION app_begin(tenant uuid, subject text)
        RETURNS TABLE (tenant_exists boolean, user_id uuid, user_active boolean)
        LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM set_config('app.current_tenant', tenant::text, true);
          tenant_exists := EXISTS (SELECT 1 FROM tenants t WHERE t.id = tenant AND t.deleted_at IS NULL);
          SELECT u.id, (u.active AND u.deleted_at IS NULL) INTO user_id, user_active
            FROM users u WHERE u.external_id = subject;
          RETURN NEXT;
        END
        $$
        """
    )

    # ---------------------------------------------------------------- reference data
    for table in ("asset_categories", "task_codes", "gl_codes"):
        _run(
            f"""
            CREATE TABLE {table} (
                {KEY},
                code        {CODE},
                name        {NAME.format(col="name")},
                description text CHECK (char_length(description) <= 2000),
                version     bigint NOT NULL DEFAULT 1,
                {TS},
                CONSTRAINT pk_{table} PRIMARY KEY (tenant_id, id),
                {_tenant_fk(table)}
            )
            """,
            f"CREATE UNIQUE INDEX uq_{table}_code ON {table} (tenant_id, lower(code)) "
            "WHERE deleted_at IS NULL",
            ddl.tenant_table(table),
            ddl.versioned(table),
        )

    # ---------------------------------------------------------------- assets
    _run(
        f"""
        CREATE TABLE assets (
            {KEY},
            parent_id     uuid,
            category_id   uuid,
            name          {NAME.format(col="name")},
            code          text CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{{0,39}}$'),
            description   text CHECK (char_length(description) <= 10000),
            location      text CHECK (char_length(location) <= 500),
            serial_number text CHECK (char_length(serial_number) <= 100),
            manufacturer  text CHECK (char_length(manufacturer) <= 200),
            model         text CHECK (char_length(model) <= 200),
            status        text NOT NULL DEFAULT 'in_service'
                          CHECK (status IN ('in_service', 'down', 'retired')),
            version       bigint NOT NULL DEFAULT 1,
            {TS},
            CONSTRAINT pk_assets PRIMARY KEY (tenant_id, id),
            {_tenant_fk("assets")},
            {_fk("assets", "assets", "parent_id", "parent")},
            {_fk("assets", "asset_categories", "category_id")},
            CONSTRAINT ck_assets_not_own_parent CHECK (parent_id <> id)
        )
        """,
        "CREATE INDEX ix_assets_parent ON assets (tenant_id, parent_id) WHERE deleted_at IS NULL",
        "CREATE INDEX ix_assets_category ON assets (tenant_id, category_id) "
        "WHERE deleted_at IS NULL",
        "CREATE UNIQUE INDEX uq_assets_code ON assets (tenant_id, lower(code)) "
        "WHERE deleted_at IS NULL AND code IS NOT NULL",
        ddl.tenant_table("assets"),
        ddl.versioned("assets"),
    )

    # ---------------------------------------------------------------- meters and readings
    _run(
        f"""
        CREATE TABLE meters (
            {KEY},
            asset_id           uuid NOT NULL,
            name               {NAME.format(col="name")},
            unit               text NOT NULL CHECK (char_length(btrim(unit)) BETWEEN 1 AND 20),
            kind               text NOT NULL DEFAULT 'cumulative'
                               CHECK (kind IN ('cumulative', 'gauge')),
            last_reading_value numeric,
            last_reading_at    timestamptz,
            version            bigint NOT NULL DEFAULT 1,
            {TS},
            CONSTRAINT pk_meters PRIMARY KEY (tenant_id, id),
            {_tenant_fk("meters")},
            {_fk("meters", "assets", "asset_id")}
        )
        """,
        "CREATE INDEX ix_meters_asset ON meters (tenant_id, asset_id) WHERE deleted_at IS NULL",
        ddl.tenant_table("meters"),
        ddl.versioned("meters"),
    )
    _run(
        f"""
        CREATE TABLE asset_readings (
            {KEY},
            meter_id      uuid NOT NULL,
            value         numeric NOT NULL,
            taken_at      timestamptz NOT NULL,
            taken_by      uuid,
            work_order_id uuid,
            note          text CHECK (char_length(note) <= 2000),
            source        text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'sync', 'import')),
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_asset_readings PRIMARY KEY (tenant_id, id),
            {_tenant_fk("asset_readings")},
            {_fk("asset_readings", "meters", "meter_id")},
            {_fk("asset_readings", "users", "taken_by")},
            {_fk("asset_readings", "work_orders", "work_order_id")}
        )
        """,
        "CREATE INDEX ix_asset_readings_meter ON asset_readings (tenant_id, meter_id, taken_at, id)",
        ddl.append_only_table(
            "asset_readings", "a reading is never edited; a later reading is a new row"
        ),
    )

    # ---------------------------------------------------------------- work orders gain links
    _run(
        """
        ALTER TABLE work_orders
            ADD COLUMN task_code_id    uuid,
            ADD COLUMN gl_code_id      uuid,
            ADD COLUMN pm_plan_id      uuid,
            ADD COLUMN pm_occurrence   integer CHECK (pm_occurrence >= 0),
            ADD COLUMN estimated_hours numeric(8, 2) CHECK (estimated_hours >= 0),
            ADD COLUMN actual_minutes  integer NOT NULL DEFAULT 0 CHECK (actual_minutes >= 0),
            ADD COLUMN version         bigint NOT NULL DEFAULT 1,
            ADD CONSTRAINT ck_work_orders_pm_occurrence
                CHECK ((pm_plan_id IS NULL) = (pm_occurrence IS NULL)),
            ADD CONSTRAINT uq_work_orders_pm_occurrence
                UNIQUE (tenant_id, pm_plan_id, pm_occurrence)
        """,
        f"ALTER TABLE work_orders ADD {_fk('work_orders', 'assets', 'asset_id')}",
        f"ALTER TABLE work_orders ADD {_fk('work_orders', 'users', 'assignee_id', 'assignee')}",
        f"ALTER TABLE work_orders ADD {_fk('work_orders', 'task_codes', 'task_code_id')}",
        f"ALTER TABLE work_orders ADD {_fk('work_orders', 'gl_codes', 'gl_code_id')}",
        "CREATE INDEX ix_work_orders_asset ON work_orders (tenant_id, asset_id, id) "
        "WHERE deleted_at IS NULL",
        "CREATE INDEX ix_work_orders_updated ON work_orders (tenant_id, updated_at, id)",
        "CREATE INDEX ix_work_orders_due ON work_orders "
        "(tenant_id, (COALESCE(due_at, '9999-12-31 00:00:00+00'::timestamptz)), id) "
        "WHERE deleted_at IS NULL",
        ddl.versioned("work_orders"),
    )

    _run(
        f"""
        CREATE TABLE work_order_events (
            {KEY},
            work_order_id uuid NOT NULL,
            actor_id      uuid,
            type          text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 50),
            changes       jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            occurred_at   timestamptz NOT NULL DEFAULT now(),
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_work_order_events PRIMARY KEY (tenant_id, id),
            {_tenant_fk("work_order_events")},
            {_fk("work_order_events", "work_orders", "work_order_id")},
            {_fk("work_order_events", "users", "actor_id", "actor")}
        )
        """,
        "CREATE INDEX ix_work_order_events_work_order ON work_order_events "
        "(tenant_id, work_order_id, id)",
        ddl.append_only_table("work_order_events", "history is never rewritten"),
    )

    _run(
        f"""
        CREATE TABLE work_log_entries (
            {KEY},
            work_order_id uuid NOT NULL,
            kind          text NOT NULL CHECK (kind IN ('labor', 'material', 'observation')),
            author_id     uuid NOT NULL,
            logged_at     timestamptz NOT NULL,
            minutes       integer CHECK (minutes BETWEEN 0 AND 10080),
            material_name text CHECK (char_length(btrim(material_name)) BETWEEN 1 AND 200),
            quantity      numeric CHECK (quantity >= 0),
            unit          text CHECK (char_length(unit) <= 20),
            unit_cost     numeric CHECK (unit_cost >= 0),
            note          text CHECK (char_length(note) <= 10000),
            corrects_id   uuid,
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_work_log_entries PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_work_log_entries_work_order UNIQUE (tenant_id, work_order_id, id),
            CONSTRAINT uq_work_log_entries_corrects UNIQUE (tenant_id, corrects_id),
            {_tenant_fk("work_log_entries")},
            {_fk("work_log_entries", "work_orders", "work_order_id")},
            {_fk("work_log_entries", "users", "author_id", "author")},
            CONSTRAINT fk_work_log_entries_work_log_entries_corrects
                FOREIGN KEY (tenant_id, work_order_id, corrects_id)
                REFERENCES work_log_entries (tenant_id, work_order_id, id),
            CONSTRAINT ck_work_log_entries_kind_fields CHECK (
                CASE kind
                  WHEN 'labor' THEN minutes IS NOT NULL
                  WHEN 'material' THEN material_name IS NOT NULL AND quantity IS NOT NULL
                  ELSE note IS NOT NULL
                END)
        )
        """,
        ddl.append_only_table(
            "work_log_entries", "entries are corrected by appending a correcting entry"
        ),
    )

    # ---------------------------------------------------------------- PM plans
    _run(
        f"""
        CREATE TABLE pm_plans (
            {KEY},
            name                 {NAME.format(col="name")},
            description          text CHECK (char_length(description) <= 10000),
            asset_id             uuid,
            asset_category_id    uuid,
            wo_title             text NOT NULL CHECK (char_length(btrim(wo_title)) BETWEEN 1 AND 200),
            wo_description       text CHECK (char_length(wo_description) <= 10000),
            task_code_id         uuid,
            priority             text NOT NULL DEFAULT 'medium'
                                 CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            assignee_id          uuid,
            estimated_hours      numeric(8, 2) CHECK (estimated_hours >= 0),
            trigger_type         text NOT NULL CHECK (trigger_type IN
                                 ('calendar_fixed', 'calendar_floating', 'meter', 'calendar_or_meter')),
            interval_count       integer CHECK (interval_count BETWEEN 1 AND 1000),
            interval_unit        text CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
            anchor_at            timestamptz,
            meter_id             uuid,
            meter_interval       numeric CHECK (meter_interval > 0),
            meter_anchor         numeric,
            active               boolean NOT NULL DEFAULT true,
            next_occurrence      integer NOT NULL DEFAULT 0 CHECK (next_occurrence >= 0),
            series_origin        integer NOT NULL DEFAULT 0
                                 CHECK (series_origin BETWEEN 0 AND next_occurrence),
            next_due_at          timestamptz,
            next_due_meter       numeric,
            last_completed_at    timestamptz,
            last_completed_meter numeric,
            version              bigint NOT NULL DEFAULT 1,
            {TS},
            CONSTRAINT pk_pm_plans PRIMARY KEY (tenant_id, id),
            {_tenant_fk("pm_plans")},
            {_fk("pm_plans", "assets", "asset_id")},
            {_fk("pm_plans", "asset_categories", "asset_category_id")},
            {_fk("pm_plans", "task_codes", "task_code_id")},
            {_fk("pm_plans", "users", "assignee_id", "assignee")},
            {_fk("pm_plans", "meters", "meter_id")},
            CONSTRAINT ck_pm_plans_target CHECK ((asset_id IS NULL) <> (asset_category_id IS NULL)),
            CONSTRAINT ck_pm_plans_calendar CHECK (
                trigger_type NOT IN ('calendar_fixed', 'calendar_floating', 'calendar_or_meter')
                OR (interval_count IS NOT NULL AND interval_unit IS NOT NULL AND anchor_at IS NOT NULL)),
            CONSTRAINT ck_pm_plans_meter CHECK (
                trigger_type NOT IN ('meter', 'calendar_or_meter')
                OR (meter_id IS NOT NULL AND meter_interval IS NOT NULL AND meter_anchor IS NOT NULL))
        )
        """,
        "CREATE INDEX ix_pm_plans_next_due ON pm_plans (tenant_id, next_due_at) "
        "WHERE deleted_at IS NULL AND active",
        ddl.tenant_table("pm_plans"),
        ddl.versioned("pm_plans"),
        f"ALTER TABLE work_orders ADD {_fk('work_orders', 'pm_plans', 'pm_plan_id')}",
    )

    # ---------------------------------------------------------------- idempotency keys
    _run(
        f"""
        CREATE TABLE idempotency_keys (
            {KEY},
            key              text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
            operation        text NOT NULL,
            request_hash     text NOT NULL,
            status_code      integer,
            response_headers jsonb,
            response_body    bytea,
            expires_at       timestamptz NOT NULL,
            {TS},
            CONSTRAINT pk_idempotency_keys PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_idempotency_keys_key UNIQUE (tenant_id, key),
            {_tenant_fk("idempotency_keys")}
        )
        """,
        ddl.tenant_table("idempotency_keys"),
    )


def downgrade() -> None:
    _run(
        "DROP TABLE idempotency_keys",
        "ALTER TABLE work_orders DROP CONSTRAINT fk_work_orders_pm_plans",
        "DROP TABLE pm_plans",
        "DROP TABLE work_log_entries",
        "DROP TABLE work_order_events",
        "DROP TRIGGER trg_work_orders_version ON work_orders",
        "DROP INDEX ix_work_orders_due",
        "DROP INDEX ix_work_orders_updated",
        "DROP INDEX ix_work_orders_asset",
        """
        ALTER TABLE work_orders
            DROP CONSTRAINT fk_work_orders_gl_codes,
            DROP CONSTRAINT fk_work_orders_task_codes,
            DROP CONSTRAINT fk_work_orders_users_assignee,
            DROP CONSTRAINT fk_work_orders_assets,
            DROP CONSTRAINT uq_work_orders_pm_occurrence,
            DROP CONSTRAINT ck_work_orders_pm_occurrence,
            DROP COLUMN version,
            DROP COLUMN actual_minutes,
            DROP COLUMN estimated_hours,
            DROP COLUMN pm_occurrence,
            DROP COLUMN pm_plan_id,
            DROP COLUMN gl_code_id,
            DROP COLUMN task_code_id
        """,
        "DROP TABLE asset_readings",
        "DROP TABLE meters",
        "DROP TABLE assets",
        "DROP TABLE gl_codes",
        "DROP TABLE task_codes",
        "DROP TABLE asset_categories",
        "DROP FUNCTION app_begin(uuid, text)",
        "DROP TABLE users",
        "DROP FUNCTION bump_version()",
    )
