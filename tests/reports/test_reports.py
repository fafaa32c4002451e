"""Reports end to end: requested over HTTP, built by a real ``maintrac worker`` subprocess
(fed by a real relay and Redis), downloaded, opened with real readers (csv, openpyxl)
and checked against the data they report on."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from maintrac.core.reports import COLUMNS, ColumnType, ReportKind
from maintrac.db.transaction import Database
from tests.conftest import Tenant
from tests.jobs.conftest import Processes
from tests.reports.helpers import Dataset, build_dataset, cell_text, read_file, wait_until_finished


def _request(tenant: Tenant, kind: str, fmt: str, **parameters: Any) -> dict[str, Any]:
    response = tenant.post(
        "/v1/reports", json={"kind": kind, "format": fmt, "parameters": parameters}
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    assert response.headers["Location"] == f"/v1/reports/{body['id']}"
    assert body["status"] == "queued"
    return body


def _normal(kind: ReportKind, rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Rows of either format as comparable values: text, int, float or ISO text."""
    columns = COLUMNS[kind]
    out = []
    for row in rows:
        values: list[Any] = []
        for column, value in zip(columns, row, strict=True):
            textual = cell_text(value)
            if textual == "":
                values.append(None)
            elif column.type is ColumnType.INTEGER:
                values.append(int(textual))
            elif column.type is ColumnType.NUMBER:
                values.append(float(textual))
            else:
                values.append(textual)
        out.append(tuple(values))
    return out


def _seconds(moment: str | None) -> str | None:
    return None if moment is None else moment[:19] + "Z"


#: Labour minutes logged on each work order by the data set (corrections count once).
ACTUAL_MINUTES = {"wo1": 30 + 45 + 25 + 15, "wo2": 60 + 10}


def _work_order_row(data: Dataset, name: str) -> tuple[Any, ...]:
    wo = data.work_orders[name]
    assets = {a["id"]: a for a in data.assets.values()}
    asset = assets.get(wo["assetId"]) or {}
    assignee = data.people["assignee"] if wo.get("assigneeId") else None
    hours = wo.get("estimatedHours")
    return (
        wo["id"],
        wo["number"],
        wo["title"],
        wo["status"],
        wo["priority"],
        asset.get("code"),
        asset.get("name"),
        None if assignee is None else assignee["displayName"],
        "MECH" if wo.get("taskCodeId") else None,
        "GL-100" if wo.get("glCodeId") else None,
        wo.get("pmPlanId"),
        _seconds(wo.get("dueAt")),
        _seconds(wo.get("completedAt")),
        None if hours is None else float(Decimal(str(hours))),
        ACTUAL_MINUTES.get(name, 0),
        _seconds(wo["createdAt"]),
        _seconds(wo["updatedAt"]),
    )


def _expected(data: Dataset, kind: ReportKind, subset: str) -> list[tuple[Any, ...]]:
    wo = data.work_orders
    me, other = data.people["me"], data.people["other"]
    if kind is ReportKind.WORK_ORDERS:
        names = ["wo1", "wo2"] if subset == "pump" else list(wo)
        return sorted((_work_order_row(data, n) for n in names), key=lambda r: r[0])
    if kind is ReportKind.PM_COMPLIANCE:
        plan = (data.plan["id"], data.plan["name"])
        return [(*plan, "2026-10", 2, 1, 1, 0), (*plan, "2026-11", 2, 0, 0, 2)]
    if kind is ReportKind.LABOUR:
        return sorted(
            [
                (me["id"], me["displayName"], "MECH", "GL-100", 100, 3),
                (other["id"], other["displayName"], None, None, 60, 1),
            ],
            key=lambda r: (r[1], r[0]),
        )
    pump, motor = data.assets["P101"], data.assets["M1"]
    return [
        (
            "reading",
            "2026-10-01T06:00:00Z",
            "M1",
            motor["name"],
            None,
            None,
            None,
            None,
            "Run hours",
            100.0,
            "h",
        ),
        (
            "reading",
            "2026-11-01T06:00:00Z",
            "M1",
            motor["name"],
            None,
            None,
            None,
            None,
            "Run hours",
            150.5,
            "h",
        ),
        *sorted(
            [
                (
                    "work_order",
                    _seconds(wo[n]["createdAt"]),
                    asset["code"],
                    asset["name"],
                    wo[n]["number"],
                    wo[n]["title"],
                    wo[n]["status"],
                    None,
                    None,
                    None,
                    None,
                )
                for n, asset in (("wo1", pump), ("wo2", motor))
            ],
            key=lambda r: str(r[1]),
        ),
    ]


CASES: list[tuple[ReportKind, str, dict[str, Any]]] = [
    (ReportKind.WORK_ORDERS, "all", {}),
    (ReportKind.WORK_ORDERS, "pump", {"assetId": "P101", "includeSubAssets": True}),
    (ReportKind.PM_COMPLIANCE, "", {"fromMonth": "2026-10", "toMonth": "2026-11"}),
    (ReportKind.LABOUR, "", {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}),
    (ReportKind.ASSET_HISTORY, "", {"assetId": "P101"}),
]


def test_every_kind_in_both_formats_built_by_a_real_worker(
    processes: Processes, app_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant("Report Plant")
    data = build_dataset(app_db, tenant)
    requested = []
    for kind, subset, parameters in CASES:
        resolved = {k: data.assets[v]["id"] if k == "assetId" else v for k, v in parameters.items()}
        for fmt in ("csv", "xlsx"):
            requested.append((kind, subset, fmt, _request(tenant, kind.value, fmt, **resolved)))
    processes.start("relay")
    processes.worker("reports", "-Q", "reports")

    intruder = make_tenant("Intruder Plant")
    for kind, subset, fmt, report in requested:
        finished = wait_until_finished(tenant, report["id"])
        assert finished["status"] == "succeeded", (finished, processes.log_text())
        assert finished["progress"] == 1
        expected = _expected(data, kind, subset)
        assert finished["rowCount"] == len(expected)
        response = tenant.get(f"/v1/reports/{report['id']}/file")
        assert response.status_code == 200, response.text
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert disposition.endswith(f'.{fmt}"')
        assert finished["byteSize"] == len(response.content)
        header, rows = read_file(response.content, fmt)
        assert header == [c.name for c in COLUMNS[kind]]
        got = _normal(kind, rows)
        if kind is ReportKind.ASSET_HISTORY:
            assert [r[:11] for r in got] == expected, (kind, fmt)
        else:
            assert got == expected, (kind, subset, fmt)
        # Another tenant sees neither the report nor its file.
        assert intruder.get(f"/v1/reports/{report['id']}").status_code == 404
        assert intruder.get(f"/v1/reports/{report['id']}/file").status_code == 404

    listed = tenant.get("/v1/reports", params={"limit": 4})
    assert listed.status_code == 200
    page = listed.json()
    assert page["hasMore"] is True
    assert len(page["data"]) == 4
    ids = [r["id"] for r in page["data"]]
    second = tenant.get("/v1/reports", params={"limit": 50, "cursor": page["nextCursor"]}).json()
    ids += [r["id"] for r in second["data"]]
    assert ids == [r["id"] for *_, r in reversed(requested)]
    assert intruder.get("/v1/reports").json()["data"] == []


def test_file_is_a_409_problem_until_the_report_succeeded(tenant: Tenant) -> None:
    report = _request(tenant, "work-orders", "csv")  # no worker runs: it stays queued
    response = tenant.get(f"/v1/reports/{report['id']}/file")
    assert response.status_code == 409
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "/problems/report-not-ready"
    assert problem["code"] == "report_not_ready"


@pytest.mark.parametrize(
    ("kind", "parameters"),
    [
        ("pm-compliance", {"fromMonth": "2026-10"}),
        ("pm-compliance", {"fromMonth": "2026-13", "toMonth": "2026-12"}),
        ("labour", {"from": "2026-11-01T00:00:00Z"}),
        ("labour", None),
        ("asset-history", {}),
        (
            "labour",
            {
                "from": "2026-11-01T00:00:00Z",
                "to": "2026-12-01T00:00:00Z",
                "assetId": "0193a3c4-7f1e-7c2a-9b0d-000000000001",
            },
        ),
        ("work-orders", {"fromMonth": "2026-10"}),
        ("work-orders", {"colour": "red"}),
        ("stock-levels", {}),
    ],
)
def test_parameters_are_checked_per_kind(
    tenant: Tenant, kind: str, parameters: dict[str, Any] | None
) -> None:
    body: dict[str, Any] = {"kind": kind, "format": "csv"}
    if parameters is not None:
        body["parameters"] = parameters
    response = tenant.post("/v1/reports", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_failed"


def test_a_period_that_ends_before_it_starts_is_accepted(tenant: Tenant) -> None:
    report = _request(
        tenant, "labour", "csv", **{"from": "2026-11-01T00:00:00Z", "to": "2026-10-01T00:00:00z"}
    )
    assert report["parameters"]["to"] == "2026-10-01T00:00:00z"


def test_unknown_asset_is_an_invalid_reference(
    tenant: Tenant, make_tenant: Callable[..., Tenant]
) -> None:
    theirs = make_tenant().create("/v1/assets", {"name": "Theirs"})
    response = tenant.post(
        "/v1/reports",
        json={"kind": "asset-history", "format": "xlsx", "parameters": {"assetId": theirs["id"]}},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_reference"


def test_reports_need_the_reports_permission(tenant: Tenant) -> None:
    headers = tenant.headers(["work_orders:read"])
    assert tenant.http.get("/v1/reports", headers=headers).status_code == 403
    response = tenant.http.post(
        "/v1/reports", headers=headers, json={"kind": "labour", "format": "csv"}
    )
    assert response.status_code == 403
