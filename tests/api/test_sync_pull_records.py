"""The pull's raw records, which PostgreSQL writes as JSON, against their definition.

``core.sync.encode`` defines a raw value (the pull once mapped every row through it in
Python); ``db.sync.changed_json`` has the database write the same JSON. These tests read
the tenant's rows themselves, as the app role (RLS applies), map them through
``encode`` exactly as the old pull did, and compare with what the API sends: every
record, every value, and each value's JSON type (``2.0`` is no ``2`` to a Python client),
for rows chosen for their edges: nulls, timestamps before 1970 and a microsecond before
the next millisecond, whole and fractional numbers, a deactivated user, text that JSON
must escape, soft-deleted rows, and ids sent again that no longer exist.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import psycopg
import uuid6

from maintrac.core.sync import TABLES, encode
from tests.conftest import DatabaseUrls, Tenant

#: Text a JSON encoder must escape (quote, backslash, controls), and non-ASCII.
ODD_TEXT = 'Say "hi" \\ tab\tline\nfeed\r bell\x07 unit\x1f del\x7f é ✓ 🛠 \u2028'


def _pull(tenant: Tenant, last: int | None) -> dict[str, Any]:
    response = tenant.post("/v1/sync/pull", json={"lastPulledAt": last, "schemaVersion": 1})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _typed(value: Any) -> Any:
    """A parsed JSON value with each scalar's type kept (``json.loads``-equal ``0`` and
    ``0.0``, or ``1`` and ``True``, then differ)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _expected(
    database_urls: DatabaseUrls, tenant: Tenant, since: int | None
) -> dict[str, dict[str, Any]]:
    """Each table's changes since the checkpoint xmin ``since`` (everything live when
    None), as the pull computed them before it had PostgreSQL write the JSON."""
    out: dict[str, dict[str, Any]] = {}
    with psycopg.connect(database_urls.app.replace("+psycopg", "")) as conn, conn.transaction():
        conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        for table in TABLES.values():
            soft = conn.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'deleted_at'",
                (table.name,),
            ).fetchone()
            params: tuple[Any, ...] = ()
            if since is None:
                where = "deleted_at IS NULL" if soft else "true"
            else:
                where = (
                    "change_seq >= %s OR id IN (SELECT record_id FROM sync_resends "
                    "WHERE table_name = %s AND change_seq >= %s)"
                )
                params = (since, table.name, since)
            cursor = conn.cursor(row_factory=psycopg.rows.dict_row)
            rows = cursor.execute(f"SELECT * FROM {table.name} WHERE {where}", params).fetchall()
            missing = (
                []
                if since is None
                else [
                    str(r[0])
                    for r in conn.execute(
                        "SELECT record_id FROM sync_resends WHERE table_name = %s "
                        f"AND change_seq >= %s AND record_id NOT IN (SELECT id FROM {table.name})",
                        (table.name, since),
                    )
                ]
            )
            updated = {}
            for row in rows:
                if row.get("deleted_at") is not None:
                    continue
                raw = {}
                for column in table.columns:
                    value = (
                        Decimal(row["actual_minutes"]) / 60
                        if column.name == "actual_hours"
                        else row[column.name]
                    )
                    raw[column.name] = encode(column.kind, value)
                updated[raw["id"]] = raw
            gone = [str(r["id"]) for r in rows if r.get("deleted_at") is not None]
            out[table.name] = {"updated": updated, "deleted": missing + gone}
    return out


def _assert_same(pulled: dict[str, Any], expected: dict[str, dict[str, Any]]) -> None:
    assert list(pulled["changes"]) == list(TABLES)
    for name, table in TABLES.items():
        changes = pulled["changes"][name]
        assert changes["created"] == [], name
        records = {r["id"]: r for r in changes["updated"]}
        assert len(records) == len(changes["updated"]), f"{name}: an id came twice"
        assert _typed(records) == _typed(expected[name]["updated"]), name
        for record in changes["updated"]:
            assert list(record) == [c.name for c in table.columns], name
        assert sorted(changes["deleted"]) == sorted(expected[name]["deleted"]), name


def _app_sql(database_urls: DatabaseUrls, tenant: Tenant, *statements: tuple[str, Any]) -> None:
    """Statements as the app role in the tenant (what the API could have written)."""
    with psycopg.connect(database_urls.app.replace("+psycopg", "")) as conn, conn.transaction():
        conn.execute("SELECT app_set_tenant(%s)", (tenant.id,))
        for sql, params in statements:
            conn.execute(sql, params)


def _checkpoint_xmin(database_urls: DatabaseUrls, tenant: Tenant, pulled_at: int) -> int:
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        row = conn.execute(
            "SELECT snapshot_xmin FROM sync_checkpoints WHERE tenant_id = %s "
            "AND pulled_at <= %s ORDER BY pulled_at DESC LIMIT 1",
            (tenant.id, pulled_at),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _seed(tenant: Tenant, database_urls: DatabaseUrls) -> dict[str, str]:
    me = tenant.me()
    asset = tenant.create("/v1/assets", {"name": "Pump P-101", "location": ODD_TEXT})
    meter = tenant.create("/v1/meters", {"assetId": asset["id"], "name": "Run hours", "unit": "h"})
    for value in (1492.5, 3, 0.00001, 123456789.125):
        tenant.create(f"/v1/meters/{meter['id']}/readings", {"value": value})
    task_code = tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})
    category = tenant.create("/v1/asset-categories", {"code": "PUMP", "name": "Pumps"})
    gl_code = tenant.create("/v1/gl-codes", {"code": "6100", "name": "Repairs"})
    full = tenant.create_work_order(
        title="Belt squeals",
        description=ODD_TEXT,
        priority="urgent",
        assetId=asset["id"],
        assigneeId=me["id"],
        taskCodeId=task_code["id"],
        glCodeId=gl_code["id"],
        estimatedHours=2,
        dueAt="2026-12-01T08:00:00.999Z",
    )
    bare = tenant.create_work_order(title="Nothing else set")
    whole = tenant.create_work_order(title="Whole hours", estimatedHours=1.25)
    for minutes in (10, 60):
        tenant.create(
            f"/v1/work-orders/{full['id']}/log-entries", {"kind": "labor", "minutes": minutes}
        )
    tenant.create(
        f"/v1/work-orders/{full['id']}/log-entries",
        {
            "kind": "material",
            "materialName": "Bearing",
            "quantity": 3,
            "unit": "pc",
            "unitCost": 0.1,
        },
    )
    tenant.create_user(displayName="Left the plant", email="gone@example.com")
    inactive = tenant.create_user(displayName="On leave")
    _app_sql(
        database_urls,
        tenant,
        # A microsecond before the next millisecond, before and after 1970 (rounded down).
        (
            "UPDATE work_orders SET due_at = '1969-07-20 20:17:40.999999+00' WHERE id = %s",
            (bare["id"],),
        ),
        # A whole millisecond that float arithmetic makes one lower (-...604.0001, floored).
        (
            "UPDATE work_orders SET due_at = '1935-07-24 01:28:56.396+00' WHERE id = %s",
            (whole["id"],),
        ),
        ("UPDATE users SET active = false WHERE id = %s", (inactive["id"],)),
        ("UPDATE assets SET category_id = %s WHERE id = %s", (category["id"], asset["id"])),
    )
    return {"full": full["id"], "bare": bare["id"], "asset": asset["id"], "meter": meter["id"]}


def test_a_first_pull_sends_every_value_as_encode_defines_it(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    ids = _seed(tenant, database_urls)
    gone = tenant.create_work_order(title="Deleted before the first sync")
    assert tenant.delete(f"/v1/work-orders/{gone['id']}").status_code == 204

    pulled = _pull(tenant, None)

    expected = _expected(database_urls, tenant, None)
    assert ids["full"] in expected["work_orders"]["updated"]
    assert gone["id"] not in expected["work_orders"]["updated"]
    assert len(expected["asset_readings"]["updated"]) == 4
    _assert_same(pulled, expected)
    bare = {r["id"]: r for r in pulled["changes"]["work_orders"]["updated"]}[ids["bare"]]
    assert bare["due_at"] == -14182939001  # 1969-07-20T20:17:40.999999Z, rounded down
    assert bare["estimated_hours"] is None
    assert bare["actual_hours"] == 0.0


def test_an_incremental_pull_sends_changes_deletions_and_missing_ids_as_before(
    tenant: Tenant, database_urls: DatabaseUrls
) -> None:
    ids = _seed(tenant, database_urls)
    last = _pull(tenant, None)["timestamp"]
    missing = str(uuid6.uuid7())  # a rejected create: marked to be sent again, never stored
    patched = tenant.patch(
        f"/v1/work-orders/{ids['bare']}", json={"description": ODD_TEXT, "estimatedHours": 0.5}
    )
    assert patched.status_code == 200, patched.text
    assert tenant.delete(f"/v1/work-orders/{ids['full']}").status_code == 204
    assert tenant.delete(f"/v1/meters/{ids['meter']}").status_code == 204
    _app_sql(
        database_urls,
        tenant,
        (
            (
                "INSERT INTO sync_resends (tenant_id, id, table_name, record_id) "
                "VALUES (NULLIF(current_setting('app.current_tenant', true), '')::uuid, %s, "
                "'work_orders', %s)"
            ),
            (uuid.UUID(str(uuid6.uuid7())), missing),
        ),
    )

    pulled = _pull(tenant, last)

    expected = _expected(database_urls, tenant, _checkpoint_xmin(database_urls, tenant, last))
    assert missing in expected["work_orders"]["deleted"]
    assert ids["full"] in expected["work_orders"]["deleted"]
    assert ids["meter"] in expected["meters"]["deleted"]
    _assert_same(pulled, expected)
    assert pulled["changes"]["work_orders"]["deleted"][0] == missing  # the missing first
