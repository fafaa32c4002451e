"""The database convention linter (maintrac.db.conventions), against a real PostgreSQL.

A module-scoped scratch database holds a conforming ``public`` schema (``tenants``, and the
tenant tables ``gadgets`` and ``widgets``). Each rule case then builds one deliberately wrong
table in a fresh schema inside a transaction that is rolled back, and checks that exactly the
expected rules fire.
"""

from __future__ import annotations

import re
import runpy
import secrets
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from maintrac.db import conventions
from maintrac.db.conventions import Violation, lint_schema, main

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CURRENT_TENANT = "NULLIF(current_setting('app.current_tenant', true), '')::uuid"
TENANTS = "public.tenants (id)"
TENANT_POLICY = f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"

HELPERS = """
-- UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 12 bits of sub-millisecond
-- fraction (method 3, so ids from one session sort in generation order), variant 10 and
-- 62 random bits taken from a v4 UUID.
CREATE FUNCTION public.uuid_generate_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
           substring(int8send(floor(t.ms)::bigint) FROM 3)
           || int2send((28672 + floor((t.ms - floor(t.ms)) * 4096))::smallint)
           || substring(uuid_send(gen_random_uuid()) FROM 9),
           'hex')::uuid
  FROM (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms) AS t
$$;

CREATE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
"""


def tenant_table(
    schema: str,
    name: str,
    *,
    columns: tuple[str, ...] = (),
    constraints: tuple[str, ...] = (),
    primary_key: str = "tenant_id, id",
    after: str = "",
) -> str:
    """DDL for a conforming tenant table, with extra columns and constraints."""
    table = f'{schema}."{name}"'
    body = ",\n  ".join(
        (
            "tenant_id uuid NOT NULL",
            "id uuid NOT NULL DEFAULT uuid_generate_v7()",
            *columns,
            "created_at timestamptz NOT NULL DEFAULT now()",
            "updated_at timestamptz NOT NULL DEFAULT now()",
            "deleted_at timestamptz",
            f"PRIMARY KEY ({primary_key})",
            f'CONSTRAINT "fk_{name}_tenants" FOREIGN KEY (tenant_id) REFERENCES {TENANTS}',
            *constraints,
        )
    )
    return f"""
        CREATE TABLE {table} (
          {body}
        );
        CREATE TRIGGER trg_updated_at BEFORE UPDATE ON {table}
          FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table} {TENANT_POLICY};
        {after}
    """


def global_table(schema: str, name: str, *, columns: tuple[str, ...] = ()) -> str:
    """DDL for a conforming global (not per-tenant) table."""
    body = ",\n  ".join(
        (
            "id uuid PRIMARY KEY DEFAULT uuid_generate_v7()",
            *columns,
            "created_at timestamptz NOT NULL DEFAULT now()",
            "updated_at timestamptz NOT NULL DEFAULT now()",
            "deleted_at timestamptz",
        )
    )
    return f"""
        CREATE TABLE {schema}."{name}" ({body});
        CREATE TRIGGER trg_updated_at BEFORE UPDATE ON {schema}."{name}"
          FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
    """


TENANTS_ROOT = f"""
    CREATE TABLE public.tenants (
      id uuid NOT NULL DEFAULT uuid_generate_v7(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      CONSTRAINT pk_tenants PRIMARY KEY (id)
    );
    CREATE TRIGGER trg_updated_at BEFORE UPDATE ON public.tenants
      FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
    ALTER TABLE public.tenants ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.tenants FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_self ON public.tenants
      USING (id = {CURRENT_TENANT}) WITH CHECK (id = {CURRENT_TENANT});
"""

GADGETS = tenant_table(
    "public",
    "gadgets",
    columns=("code text NOT NULL",),
    constraints=("CONSTRAINT uq_gadgets_code UNIQUE (tenant_id, code)",),
    after="CREATE INDEX ix_gadgets_created ON public.gadgets (tenant_id, created_at DESC);",
)

WIDGETS = tenant_table(
    "public",
    "widgets",
    columns=("gadget_id uuid", "spare_gadget_id uuid", "name text NOT NULL"),
    constraints=(
        # ON DELETE SET NULL names its column: a bare SET NULL would null tenant_id too.
        (
            "CONSTRAINT fk_widgets_gadgets FOREIGN KEY (tenant_id, gadget_id)"
            " REFERENCES public.gadgets (tenant_id, id) ON DELETE SET NULL (gadget_id)"
        ),
        # The same table referenced twice: fk_{table}_{ref}_{suffix}.
        (
            "CONSTRAINT fk_widgets_gadgets_spare FOREIGN KEY (tenant_id, spare_gadget_id)"
            " REFERENCES public.gadgets (tenant_id, id)"
        ),
    ),
    after="""
        CREATE INDEX ix_widgets_gadget ON public.widgets (tenant_id, gadget_id);
        CREATE UNIQUE INDEX ux_widgets_name ON public.widgets (lower(name), tenant_id)
          WHERE deleted_at IS NULL;
    """,
)

CONFORMING_PUBLIC = "\n".join(
    (
        TENANTS_ROOT,
        GADGETS,
        WIDGETS,
        "CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);",
    )
)


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    name = f"maintrac_lint_{secrets.token_hex(6)}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(HELPERS))
        conn.execute(sa.text(CONFORMING_PUBLIC))
    yield engine
    engine.dispose()


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection whose transaction is rolled back: DDL done through it leaves no trace."""
    with engine.connect() as conn:
        yield conn
        conn.rollback()


# ------------------------------------------------------------------ the conforming schema


def test_conforming_schema_has_no_violations(conn: sa.Connection) -> None:
    assert lint_schema(conn) == []


def test_uuid_generate_v7_is_a_time_ordered_version_7_uuid(conn: sa.Connection) -> None:
    before_ms = time.time_ns() // 1_000_000
    rows = conn.execute(
        sa.text("SELECT g, uuid_generate_v7() AS id FROM generate_series(1, 500) AS g ORDER BY g")
    ).all()
    after_ms = time.time_ns() // 1_000_000
    ids = [uuid.UUID(str(row.id)) for row in rows]
    assert len(set(ids)) == len(ids)
    for value in ids:
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert before_ms - 1000 <= value.int >> 80 <= after_ms + 1000  # same host, same clock
    # 48-bit milliseconds then 12-bit sub-millisecond fraction: never goes backwards.
    prefixes = [(value.int >> 80, (value.int >> 64) & 0xFFF) for value in ids]
    assert prefixes == sorted(prefixes)


def test_set_updated_at_maintains_updated_at(engine: sa.Engine) -> None:
    tenant, gadget = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO tenants (id, name) VALUES (:t, 'Acme')"), {"t": tenant})
        conn.execute(
            sa.text("INSERT INTO gadgets (tenant_id, id, code) VALUES (:t, :g, 'G-1')"),
            {"t": tenant, "g": gadget},
        )
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE gadgets SET code = 'G-2' WHERE id = :g"), {"g": gadget})
            row = conn.execute(
                sa.text("SELECT created_at, updated_at FROM gadgets WHERE id = :g"), {"g": gadget}
            ).one()
        assert row.updated_at > row.created_at
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM gadgets WHERE tenant_id = :t"), {"t": tenant})
            conn.execute(sa.text("DELETE FROM tenants WHERE id = :t"), {"t": tenant})


# ------------------------------------------------------------------ one case per rule

S = "{s}"  # replaced by the case's fresh schema


@dataclass(frozen=True)
class Case:
    id: str
    ddl: str
    expected: frozenset[str]
    table: str = "things"


def case(id_: str, ddl: str, *expected: str, table: str = "things") -> Case:
    return Case(id_, ddl, frozenset(expected), table)


def things(
    *,
    columns: tuple[str, ...] = (),
    constraints: tuple[str, ...] = (),
    primary_key: str = "tenant_id, id",
    after: str = "",
) -> str:
    return tenant_table(
        S, "things", columns=columns, constraints=constraints, primary_key=primary_key, after=after
    )


PARTS = tenant_table(S, "parts", constraints=("CONSTRAINT uq_parts_id UNIQUE (id, tenant_id)",))

CASES = [
    # --- names
    case("table-snake-case", tenant_table(S, "WorkOrders"), "table-snake-case", table="WorkOrders"),
    case("table-name-plural", tenant_table(S, "thing"), "table-name-plural", table="thing"),
    case("table-name-plural/irregular-ok", tenant_table(S, "people"), table="people"),
    case(
        "table-name-plural/uncountable-last-word",
        tenant_table(S, "work_order_equipment"),
        table="work_order_equipment",
    ),
    case("column-snake-case", things(columns=('"dueDate" timestamptz',)), "column-snake-case"),
    # --- primary key and id
    case("primary-key/tenant-pk-is-id", things(primary_key="id"), "primary-key"),
    case("primary-key/wrong-order", things(primary_key="id, tenant_id"), "primary-key"),
    case(
        "primary-key/global-id-not-uuid",
        f"""{global_table(S, "units")}
            ALTER TABLE {S}.units DROP COLUMN id;
            ALTER TABLE {S}.units ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;""",
        "primary-key",
        table="units",
    ),
    case(
        "primary-key/global-missing",
        f"{global_table(S, 'units')} ALTER TABLE {S}.units DROP CONSTRAINT units_pkey;",
        "primary-key",
        table="units",
    ),
    case(
        "id-default-uuidv7",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN id SET DEFAULT gen_random_uuid();"),
        "id-default-uuidv7",
    ),
    case(
        "id-default-uuidv7/no-default-ok",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN id DROP DEFAULT;"),
    ),
    # --- timestamps, trigger, soft delete
    case(
        "timestamps/created-at-nullable",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN created_at DROP NOT NULL;"),
        "timestamps",
    ),
    case(
        "timestamps/updated-at-no-default",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN updated_at DROP DEFAULT;"),
        "timestamps",
    ),
    case(
        "timestamps/created-at-missing",
        things(after=f"ALTER TABLE {S}.things DROP COLUMN created_at;"),
        "timestamps",
    ),
    case(
        "timestamps/updated-at-wrong-type",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN updated_at TYPE date;"),
        "timestamps",
    ),
    case(
        "updated-at-trigger/missing",
        things(after=f"DROP TRIGGER trg_updated_at ON {S}.things;"),
        "updated-at-trigger",
    ),
    case(
        "updated-at-trigger/after-update",
        things(
            after=f"""DROP TRIGGER trg_updated_at ON {S}.things;
                CREATE TRIGGER trg_updated_at AFTER UPDATE ON {S}.things
                  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();"""
        ),
        "updated-at-trigger",
    ),
    case(
        "updated-at-trigger/update-of-column",
        things(
            columns=("name text",),
            after=f"""DROP TRIGGER trg_updated_at ON {S}.things;
                CREATE TRIGGER trg_updated_at BEFORE UPDATE OF name ON {S}.things
                  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();""",
        ),
        "updated-at-trigger",
    ),
    case(
        "updated-at-trigger/disabled",
        things(after=f"ALTER TABLE {S}.things DISABLE TRIGGER trg_updated_at;"),
        "updated-at-trigger",
    ),
    case(
        "soft-delete/missing",
        things(after=f"ALTER TABLE {S}.things DROP COLUMN deleted_at;"),
        "soft-delete",
    ),
    case(
        "soft-delete/not-null",
        things(
            after=f"""ALTER TABLE {S}.things ALTER COLUMN deleted_at SET DEFAULT 'infinity',
                ALTER COLUMN deleted_at SET NOT NULL;"""
        ),
        "soft-delete",
    ),
    case(
        "timestamp-without-tz",
        things(columns=("due_at timestamp",)),
        "timestamp-without-tz",
    ),
    case(
        "timestamp-without-tz/created-at-reported-once",
        things(after=f"ALTER TABLE {S}.things ALTER COLUMN created_at TYPE timestamp;"),
        "timestamp-without-tz",
    ),
    case(
        "timestamp-without-tz/domain",
        f"CREATE DOMAIN {S}.local_time AS timestamp(0);"
        + things(columns=(f"due_at {S}.local_time",)),
        "timestamp-without-tz",
    ),
    case(
        "timestamp-without-tz/array",
        things(columns=("history timestamp[]",)),
        "timestamp-without-tz",
    ),
    # --- tenant columns and keys
    case(
        "tenant-id",
        f"""CREATE TABLE {S}.things (
              tenant_id text NOT NULL,
              id uuid NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now(),
              updated_at timestamptz NOT NULL DEFAULT now(),
              deleted_at timestamptz,
              PRIMARY KEY (tenant_id, id));
            CREATE TRIGGER trg_updated_at BEFORE UPDATE ON {S}.things
              FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
            ALTER TABLE {S}.things ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {S}.things
              USING (tenant_id::uuid = {CURRENT_TENANT})
              WITH CHECK (tenant_id::uuid = {CURRENT_TENANT});""",
        "tenant-id",
    ),
    case(
        "fk-name",
        things(after=f"ALTER TABLE {S}.things RENAME CONSTRAINT fk_things_tenants TO things_fk;"),
        "fk-name",
    ),
    case(
        "fk-name/singular-ref",
        things(
            after=f"ALTER TABLE {S}.things RENAME CONSTRAINT fk_things_tenants TO fk_things_tenant;"
        ),
        "fk-name",
    ),
    case(
        "fk-tenant-composite/tenant-id-not-first",
        PARTS
        + things(
            columns=("part_id uuid",),
            constraints=(
                (
                    "CONSTRAINT fk_things_parts FOREIGN KEY (part_id, tenant_id)"
                    f" REFERENCES {S}.parts (id, tenant_id)"
                ),
            ),
        ),
        "fk-tenant-composite",
    ),
    case(
        "fk-tenant-composite/tenant-id-to-id",
        PARTS
        + things(
            columns=("part_id uuid",),
            constraints=(
                (
                    "CONSTRAINT fk_things_parts FOREIGN KEY (tenant_id, part_id)"
                    f" REFERENCES {S}.parts (id, tenant_id)"
                ),
            ),
        ),
        "fk-tenant-composite",
    ),
    case(
        "fk-tenant-composite/other-column-to-tenants",
        things(
            columns=("partner_id uuid",),
            constraints=(
                (
                    "CONSTRAINT fk_things_tenants_partner FOREIGN KEY (partner_id)"
                    " REFERENCES public.tenants (id)"
                ),
            ),
        ),
        "fk-tenant-composite",
    ),
    case(
        "fk-set-null-columns",
        things(
            columns=("gadget_id uuid",),
            constraints=(
                (
                    "CONSTRAINT fk_things_gadgets FOREIGN KEY (tenant_id, gadget_id)"
                    " REFERENCES public.gadgets (tenant_id, id) ON DELETE SET NULL"
                ),
            ),
        ),
        "fk-set-null-columns",
    ),
    case(
        "fk-set-null-columns/lists-tenant-id",
        things(
            columns=("gadget_id uuid",),
            constraints=(
                (
                    "CONSTRAINT fk_things_gadgets FOREIGN KEY (tenant_id, gadget_id)"
                    " REFERENCES public.gadgets (tenant_id, id)"
                    " ON DELETE SET NULL (tenant_id, gadget_id)"
                ),
            ),
        ),
        "fk-set-null-columns",
    ),
    case(
        "unique-includes-tenant/constraint",
        things(columns=("code text",), constraints=("CONSTRAINT uq_things_code UNIQUE (code)",)),
        "unique-includes-tenant",
    ),
    case(
        "unique-includes-tenant/expression-index",
        things(
            columns=("code text",),
            after=f"CREATE UNIQUE INDEX ux_things_code ON {S}.things (lower(code));",
        ),
        "unique-includes-tenant",
    ),
    case(
        "unique-includes-tenant/include-column-does-not-count",
        things(
            columns=("code text",),
            after=f"CREATE UNIQUE INDEX ux_things_code ON {S}.things (code) INCLUDE (tenant_id);",
        ),
        "unique-includes-tenant",
    ),
    case(
        "index-leads-with-tenant",
        things(after=f"CREATE INDEX ix_things_created ON {S}.things (created_at, tenant_id);"),
        "index-leads-with-tenant",
    ),
    case(
        "index-leads-with-tenant/expression",
        things(
            columns=("code text",),
            after=f"CREATE INDEX ix_things_code ON {S}.things (lower(code));",
        ),
        "index-leads-with-tenant",
    ),
    # --- row-level security
    case(
        "rls-enabled",
        things(after=f"ALTER TABLE {S}.things DISABLE ROW LEVEL SECURITY;"),
        "rls-enabled",
    ),
    case(
        "rls-forced",
        things(after=f"ALTER TABLE {S}.things NO FORCE ROW LEVEL SECURITY;"),
        "rls-forced",
    ),
    case(
        "rls-policy/missing",
        things(after=f"DROP POLICY tenant_isolation ON {S}.things;"),
        "rls-policy",
    ),
    case(
        "rls-policy/permissive-true",
        things(
            after=f"""DROP POLICY tenant_isolation ON {S}.things;
                CREATE POLICY everything ON {S}.things USING (true) WITH CHECK (true);"""
        ),
        "rls-policy",
    ),
    case(
        "rls-policy/no-with-check",
        things(
            after=f"""DROP POLICY tenant_isolation ON {S}.things;
                CREATE POLICY tenant_isolation ON {S}.things
                  USING (tenant_id = {CURRENT_TENANT});"""
        ),
        "rls-policy",
    ),
    case(
        "rls-policy/no-nullif",
        things(
            after=f"""DROP POLICY tenant_isolation ON {S}.things;
                CREATE POLICY tenant_isolation ON {S}.things
                  USING (tenant_id = current_setting('app.current_tenant', true)::uuid)
                  WITH CHECK (tenant_id = current_setting('app.current_tenant', true)::uuid);
            """
        ),
        "rls-policy",
    ),
    case(
        "rls-policy/other-setting",
        things(
            after=f"""DROP POLICY tenant_isolation ON {S}.things;
                CREATE POLICY tenant_isolation ON {S}.things
                  USING (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid)
                  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid);
            """
        ),
        "rls-policy",
    ),
    case(
        "rls/root-tenants-table",
        f"""CREATE TABLE {S}.tenants (
              id uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
              created_at timestamptz NOT NULL DEFAULT now(),
              updated_at timestamptz NOT NULL DEFAULT now(),
              deleted_at timestamptz);
            CREATE TRIGGER trg_updated_at BEFORE UPDATE ON {S}.tenants
              FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();""",
        "rls-enabled",
        "rls-forced",
        "rls-policy",
        table="tenants",
    ),
    case("global-table-needs-no-rls", global_table(S, "units"), table="units"),
    # --- exemptions
    case(
        "exemption/append-only-with-reason",
        things(
            after=f"""DROP TRIGGER trg_updated_at ON {S}.things;
                ALTER TABLE {S}.things DROP COLUMN updated_at, DROP COLUMN deleted_at;
                COMMENT ON TABLE {S}.things IS
                  'Meter readings. conventions: append-only (readings are never edited)';"""
        ),
    ),
    case(
        "exemption/append-only-still-needs-created-at",
        things(
            after=f"""ALTER TABLE {S}.things DROP COLUMN created_at;
                COMMENT ON TABLE {S}.things IS 'conventions: append-only (log)';"""
        ),
        "timestamps",
    ),
    case(
        "exemption-reason/append-only",
        things(
            after=f"""DROP TRIGGER trg_updated_at ON {S}.things;
                ALTER TABLE {S}.things DROP COLUMN updated_at, DROP COLUMN deleted_at;
                COMMENT ON TABLE {S}.things IS 'conventions: append-only';"""
        ),
        "exemption-reason",
    ),
    case(
        "exemption-reason/empty-parentheses",
        things(after=f"COMMENT ON TABLE {S}.things IS 'conventions: append-only ( )';"),
        "exemption-reason",
    ),
    case(
        "exemption/skip-with-reason",
        f"""CREATE TABLE {S}."Odd Thing" (k int, "When" timestamp);
            COMMENT ON TABLE {S}."Odd Thing" IS 'conventions: skip (vendor import staging)';""",
        table="Odd Thing",
    ),
    case(
        "exemption-reason/skip",
        f"""CREATE TABLE {S}."Odd Thing" (k int, "When" timestamp);
            COMMENT ON TABLE {S}."Odd Thing" IS 'conventions: skip';""",
        "exemption-reason",
        table="Odd Thing",
    ),
    case(
        "exemption-unknown",
        things(after=f"COMMENT ON TABLE {S}.things IS 'conventions: append_only (typo)';"),
        "exemption-unknown",
    ),
    case(
        "alembic-version-always-skipped",
        f"CREATE TABLE {S}.alembic_version (version_num varchar(32) PRIMARY KEY);",
        table="alembic_version",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(conn: sa.Connection, case: Case) -> None:
    schema = f"lint_case_{secrets.token_hex(4)}"
    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    conn.execute(sa.text(case.ddl.replace(S, f'"{schema}"')))

    table_exists = conn.execute(
        sa.text(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = :schema AND c.relname = :table)"
        ),
        {"schema": schema, "table": case.table},
    ).scalar_one()
    assert table_exists, f"the case built no table {case.table!r}"

    violations = lint_schema(conn, schema)

    assert {v.rule for v in violations} == case.expected, violations
    assert {v.table for v in violations} <= {case.table}, violations
    assert all(v.detail for v in violations)


def test_every_documented_rule_has_a_failing_case() -> None:
    documented = set(re.findall(r"^``([a-z0-9-]+)``$", conventions.__doc__ or "", re.MULTILINE))
    covered = set().union(*(c.expected for c in CASES))
    assert len(documented) >= 18
    assert documented == covered


def test_violations_are_sorted_by_table_then_rule(conn: sa.Connection) -> None:
    schema = f"lint_case_{secrets.token_hex(4)}"
    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    conn.execute(
        sa.text(
            f"""
            CREATE TABLE "{schema}".zebra (x int);
            CREATE TABLE "{schema}".aardvark (tenant_id uuid, y timestamp);
            """
        )
    )
    violations = lint_schema(conn, schema)
    assert violations == sorted(violations, key=lambda v: (v.table, v.rule))
    assert violations[0].table == "aardvark"
    assert violations[-1].table == "zebra"
    zebra = [v for v in violations if v.table == "zebra"]
    assert [v.rule for v in zebra] == sorted(v.rule for v in zebra)
    assert {"primary-key", "soft-delete", "table-name-plural", "timestamps"} <= {
        v.rule for v in zebra
    }
    assert all(isinstance(v, Violation) for v in violations)


# ------------------------------------------------------------------ command line


@pytest.fixture
def bad_schema(engine: sa.Engine) -> Iterator[str]:
    """A committed schema (the CLI uses its own connection) with one non-plural table."""
    schema = f"lint_cli_{secrets.token_hex(4)}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(sa.text(global_table(f'"{schema}"', "unit")))
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_main_conforming_schema_returns_0(
    engine: sa.Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database-url", database_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["schema 'public' follows the database conventions"]


def test_main_reports_violations_and_returns_1(
    database_url: str, bad_schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database-url", database_url, "--schema", bad_schema]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("unit: table-name-plural: ")
    assert out[-1] == f"1 violation(s) in 1 table(s) of schema {bad_schema!r}"


def test_main_reads_migration_database_url(
    engine: sa.Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MIGRATION_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.argv", ["conventions"])
    monkeypatch.delitem(sys.modules, "maintrac.db.conventions")  # run it afresh as __main__
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("maintrac.db.conventions", run_name="__main__")
    assert exit_info.value.code == 0
    assert "follows the database conventions" in capsys.readouterr().out


def test_main_without_url_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MIGRATION_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "MIGRATION_DATABASE_URL" in capsys.readouterr().err


def test_main_unreachable_database_returns_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", "postgresql+psycopg://postgres@127.0.0.1:1/postgres"]) == 2
    assert "cannot read the catalog" in capsys.readouterr().err
