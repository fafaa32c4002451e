"""DDL that every migration repeats, written once: RLS, the updated_at trigger, grants.

Migrations import these so that each tenant table gets exactly the same policy text, which
the conventions linter (``maintrac.db.conventions``) then checks in the migrated catalog.
"""

from __future__ import annotations

from typing import Final

#: The role the service connects as (or a group role its login role is a member of).
#: NOSUPERUSER NOBYPASSRLS, owns nothing: row-level security always applies to it.
APP_ROLE: Final = "maintrac_app"
#: The role that owns the schema and runs migrations.
OWNER_ROLE: Final = "maintrac_owner"

#: The current tenant as the policies read it. NULLIF: after a transaction that set it
#: ends, a pooled connection reads '' (not NULL), and ''::uuid would raise.
CURRENT_TENANT: Final = "NULLIF(current_setting('app.current_tenant', true), '')::uuid"


def tenant_table(table: str, *, privileges: str = "SELECT, INSERT, UPDATE") -> list[str]:
    """Statements that make ``table`` a tenant table: RLS forced, one policy, trigger, grants.

    The application role gets no DELETE: rows are soft-deleted (``deleted_at``), and the
    database itself refuses a hard delete from the service.
    """
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        (
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        ),
        *updated_at_trigger(table),
        f"GRANT {privileges} ON {table} TO {APP_ROLE}",
    ]


def append_only_table(table: str, reason: str) -> list[str]:
    """Statements for an append-only tenant table: RLS, and only SELECT and INSERT granted.

    Rows are never edited or deleted, not even by the service: the database refuses it.
    The table comment records the exemption from updated_at/deleted_at for the linter.
    """
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        (
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        ),
        f"COMMENT ON TABLE {table} IS 'conventions: append-only ({_quoted(reason)})'",
        f"GRANT SELECT, INSERT ON {table} TO {APP_ROLE}",
    ]


def _quoted(text: str) -> str:
    """``text`` for inside a SQL string literal."""
    return text.replace("'", "''")


def versioned(table: str) -> list[str]:
    """A ``version`` column bumped on every update: the resource's ETag."""
    return [
        (
            f"CREATE TRIGGER trg_{table}_version BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION bump_version()"
        ),
    ]


def updated_at_trigger(table: str) -> list[str]:
    return [
        (
            f"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION set_updated_at()"
        ),
    ]


#: Functions the schema relies on. uuid_generate_v7 is the server-side fallback for ids
#: (PostgreSQL < 18 has no uuidv7()); the application generates ids itself (core.ids).
FUNCTIONS: Final = [
    """
    CREATE OR REPLACE FUNCTION uuid_generate_v7() RETURNS uuid
    LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
      SELECT encode(
        set_bit(set_bit(
          overlay(uuid_send(gen_random_uuid())
                  PLACING substring(int8send(
                    floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                  FROM 1 FOR 6),
          52, 1), 53, 1),
        'hex')::uuid
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION app_set_tenant(tenant uuid) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      -- Transaction-local (is_local = true): safe behind PgBouncer in transaction mode.
      PERFORM set_config('app.current_tenant', tenant::text, true);
      RETURN EXISTS (SELECT 1 FROM tenants WHERE id = tenant AND deleted_at IS NULL);
    END
    $$
    """,
]
