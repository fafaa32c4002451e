"""The build itself, driven in this process against the real database (the worker runs
the same functions; ``test_reports.py`` runs them in a real worker): progress is visible
over HTTP while the building transaction is still open, a half-built file never is, and
expired reports are removed by the periodic clean-up."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from maintrac.db.transaction import Database
from maintrac.jobs.reports import expire_tenant, run_build
from maintrac.services import reports
from tests.conftest import Tenant
from tests.reports.helpers import read_file

ROWS = 2_500


def _bulk_work_orders(db: Database, tenant: Tenant, count: int) -> None:
    with db.tenant_transaction(tenant.id) as session:
        session.execute(
            text(
                "INSERT INTO work_orders (tenant_id, id, number, title) "
                "SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, "
                "uuid_generate_v7(), n, 'Bulk ' || n FROM generate_series(1, :count) AS n"
            ),
            {"count": count},
        )


def _request(tenant: Tenant, kind: str, fmt: str, **parameters: Any) -> str:
    response = tenant.post(
        "/v1/reports", json={"kind": kind, "format": fmt, "parameters": parameters}
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def test_progress_moves_while_the_build_runs_and_the_file_appears_whole(
    app_db: Database, tenant: Tenant
) -> None:
    _bulk_work_orders(app_db, tenant, ROWS)
    report_id = _request(tenant, "work-orders", "csv")
    seen: list[dict[str, Any]] = []

    def watch(rows_done: int) -> None:
        with app_db.tenant_transaction(tenant.id) as side:
            reports.record_progress(side, uuid.UUID(report_id), rows_done)
        seen.append(tenant.get(f"/v1/reports/{report_id}").json())
        # The chunks written so far belong to the open building transaction: no file yet.
        assert tenant.get(f"/v1/reports/{report_id}/file").status_code == 409

    with app_db.tenant_transaction(tenant.id) as session:
        started = reports.start_build(session, uuid.UUID(report_id))
    assert started is not None
    opts = reports.BuildOptions(progress_every=500, itersize=300, chunk_bytes=16_384)
    with (
        app_db.tenant_transaction(tenant.id) as session,
        app_db.tenant_transaction(tenant.id) as reader,
    ):
        built = reports.build(session, started, opts, watch, reader=reader)

    assert [s["rowsDone"] for s in seen] == [500, 1000, 1500, 2000, 2500]
    assert all(s["status"] == "running" for s in seen)
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress)
    assert 0 < progress[0] < progress[-2] < 1
    assert built.row_count == ROWS
    final = tenant.get(f"/v1/reports/{report_id}").json()
    assert final["status"] == "succeeded"
    assert final["progress"] == 1
    file = tenant.get(f"/v1/reports/{report_id}/file")
    assert final["byteSize"] == len(file.content) > 3 * 16_384  # several chunks, in order
    _, rows = read_file(file.content, "csv")
    assert sorted(int(r[1]) for r in rows) == list(range(1, ROWS + 1))  # each once


def test_a_finished_report_is_not_built_again(app_db: Database, tenant: Tenant) -> None:
    report_id = uuid.UUID(_request(tenant, "work-orders", "xlsx"))
    opts = reports.BuildOptions()
    assert run_build(app_db, tenant.id, report_id, opts) == 0
    first = tenant.get(f"/v1/reports/{report_id}").json()
    assert run_build(app_db, tenant.id, report_id, opts) is None  # a redelivered message
    assert tenant.get(f"/v1/reports/{report_id}").json() == first


def test_an_inverted_period_reports_nothing(app_db: Database, tenant: Tenant) -> None:
    report_id = uuid.UUID(
        _request(
            tenant,
            "labour",
            "xlsx",
            **{"from": "2026-11-01T00:00:00Z", "to": "2026-10-01t00:00:00z"},
        )
    )
    assert run_build(app_db, tenant.id, report_id, reports.BuildOptions()) == 0
    header, rows = read_file(tenant.get(f"/v1/reports/{report_id}/file").content, "xlsx")
    assert header[0] == "personId"
    assert rows == []


def test_expired_reports_and_their_files_are_removed(app_db: Database, tenant: Tenant) -> None:
    _bulk_work_orders(app_db, tenant, 300)
    expired = uuid.UUID(_request(tenant, "work-orders", "csv"))
    kept = uuid.UUID(_request(tenant, "work-orders", "csv"))
    small = reports.BuildOptions(chunk_bytes=1_024)
    for report_id in (expired, kept):
        assert run_build(app_db, tenant.id, report_id, small) == 300
    with app_db.tenant_transaction(tenant.id) as session:
        session.execute(
            text("UPDATE reports SET expires_at = now() - interval '1 minute' WHERE id = :id"),
            {"id": expired},
        )
        chunks = session.execute(
            text("SELECT count(*) FROM report_chunks WHERE report_id = :id"), {"id": expired}
        ).scalar_one()
    assert chunks > 10

    removed = expire_tenant(app_db, tenant.id)

    assert removed == chunks + 1  # every chunk, then the report
    assert tenant.get(f"/v1/reports/{expired}").status_code == 404
    assert tenant.get(f"/v1/reports/{expired}/file").status_code == 404
    assert tenant.get(f"/v1/reports/{kept}/file").status_code == 200
    assert [r["id"] for r in tenant.get("/v1/reports").json()["data"]] == [str(kept)]
    assert expire_tenant(app_db, tenant.id) == 0
