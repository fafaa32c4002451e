"""The streamed xlsx writer (``services.xlsx``) against hostile text and edge values: built
the way the worker builds it from real rows, and opened with openpyxl and a plain XML
parser. Text that starts like a formula stays text (inline strings are never formulas),
as it stays text in the CSV; characters XML cannot carry are removed instead of breaking
the file; big numbers, decimals and date-times come back as the values they are."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel as untyped_to_excel
from sqlalchemy import text

from maintrac.core.reports import COLUMNS, ReportKind
from maintrac.db.transaction import Database
from maintrac.jobs.reports import run_build
from maintrac.services import reports, xlsx
from tests.conftest import Tenant
from tests.reports.helpers import read_file

NASTY = {
    "control": "ctl\x01\x02\x08\x0b\x0c\x0e\x1f end",
    "formula": '=HYPERLINK("https://evil.example/x","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "markup": "<b>&amp; \"quoted\" 'apos'</b> ]]> &#x41;",
    "spaces": "  leading and trailing  ",
    "lines": "line one\r\nline two\ttabbed\nline three",
    "unicode": "Pumpe \N{WRENCH} \u00fc \u4e2d \N{NO-BREAK SPACE}\u2028",
    "nonchar": "before\ufffe\uffffafter",
}


def to_excel(moment: datetime) -> float:
    """openpyxl's own serial number of a date-time (its stubs leave it untyped)."""
    return float(untyped_to_excel(moment))  # type: ignore[no-untyped-call]


def utc(*parts: int) -> datetime:
    """A UTC wall time without its zone: what a spreadsheet cell holds."""
    year, month, day, hour, minute, second = parts
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).replace(tzinfo=None)


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _build(db: Database, tenant: Tenant, kind: str, fmt: str, **parameters: Any) -> bytes:
    response = tenant.post(
        "/v1/reports", json={"kind": kind, "format": fmt, "parameters": parameters}
    )
    assert response.status_code == 202, response.text
    report_id = uuid.UUID(response.json()["id"])
    assert run_build(db, tenant.id, report_id, reports.BuildOptions()) is not None
    file = tenant.get(f"/v1/reports/{report_id}/file")
    assert file.status_code == 200, file.text
    return file.content


def _parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_hostile_titles_stay_text_and_do_not_break_the_file(
    app_db: Database, tenant: Tenant
) -> None:
    for name, title in NASTY.items():
        created = tenant.create_work_order(title=f"placeholder {name}")
        # Stored as is (the API trims titles; older rows, imports and sync may not have).
        with app_db.tenant_transaction(tenant.id) as session:
            session.execute(
                text("UPDATE work_orders SET title = :title WHERE id = :id"),
                {"title": title, "id": created["id"]},
            )

    content = _build(app_db, tenant, "work-orders", "xlsx")
    csv_header, csv_rows = read_file(_build(app_db, tenant, "work-orders", "csv"), "csv")

    # Every part is well-formed XML (an unescaped '&' or a control character is not).
    for part, data in _parts(content).items():
        if part.endswith((".xml", ".rels")):
            ElementTree.fromstring(data)  # noqa: S314  # the file under test
    sheet = _parts(content)["xl/worksheets/sheet1.xml"].decode()
    assert "<f>" not in sheet  # no formula anywhere: text is inline strings

    header, rows = read_file(content, "xlsx")
    assert header == csv_header == [c.name for c in COLUMNS[ReportKind.WORK_ORDERS]]
    title_at = header.index("title")
    titles = sorted(str(r[title_at]) for r in rows)
    # Exactly the CSV's text (which PostgreSQL writes as stored), less what XML cannot
    # carry: nothing escaped twice, no quote added, whitespace and line ends kept.
    assert titles == sorted(_ILLEGAL.sub("", r[title_at]) for r in csv_rows)
    assert titles == sorted(_ILLEGAL.sub("", t) for t in NASTY.values())
    assert "ctl end" in titles
    assert NASTY["formula"] in titles
    assert NASTY["lines"] in titles  # the \r survives (written as &#13;)

    # The CSV does not defuse a leading = + - @ either: both formats carry the text as is.
    assert sorted(r[title_at] for r in csv_rows) == sorted(NASTY.values())

    workbook = load_workbook(io.BytesIO(content))  # not read-only: types and styles
    ws = workbook.worksheets[0]
    assert ws.title == "work-orders"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert {ws.cell(row=r, column=title_at + 1).data_type for r in range(2, len(rows) + 2)} == {"s"}
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b is True
    assert ws.auto_filter.ref == f"A1:Q{len(rows) + 1}"


def test_big_numbers_decimals_and_date_times_round_trip(app_db: Database, tenant: Tenant) -> None:
    asset = tenant.create("/v1/assets", {"name": "Boiler", "code": "B1"})
    work_order = tenant.create_work_order(
        title="Edge values", assetId=asset["id"], estimatedHours=99999.75
    )
    meter = tenant.create("/v1/meters", {"assetId": asset["id"], "name": "Flow", "unit": "m3"})
    tenant.create(
        f"/v1/meters/{meter['id']}/readings",
        {"value": 123456789012.125, "takenAt": "2026-06-30T12:34:56.789Z"},
    )
    with app_db.tenant_transaction(tenant.id) as session:
        session.execute(
            text(
                "UPDATE work_orders SET number = 9007199254740993, "  # 2**53 + 1
                "due_at = '2026-12-31T23:59:59.999999Z', "
                "completed_at = '1900-01-15T06:00:00Z', status = 'complete' WHERE id = :id"
            ),
            {"id": work_order["id"]},
        )

    header, rows = read_file(_build(app_db, tenant, "work-orders", "xlsx"), "xlsx")
    row = dict(zip(header, rows[0], strict=True))
    assert row["number"] == 9007199254740993  # every digit is in the file (Excel keeps 15)
    assert isinstance(row["number"], int)
    assert row["estimatedHours"] == 99999.75
    assert row["actualMinutes"] == 0
    # To the second, like the CSV (which truncates): not rounded up into the next year.
    assert row["dueAt"] == utc(2026, 12, 31, 23, 59, 59)
    # Before 1900-03-01 Excel's serials count a 29 February 1900 that never was.
    assert row["completedAt"] == utc(1900, 1, 15, 6, 0, 0)
    assert row["title"] == "Edge values"

    header, rows = read_file(
        _build(app_db, tenant, "asset-history", "xlsx", assetId=asset["id"]), "xlsx"
    )
    reading = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "reading")
    assert reading["value"] == 123456789012.125
    assert reading["at"] == utc(2026, 6, 30, 12, 34, 56)
    assert reading["workOrderNumber"] is None


def test_the_writer_with_python_values() -> None:
    """The writer also takes Python values (``datetime``, ``Decimal``, ``bool``...) and
    agrees with openpyxl's own date arithmetic."""
    moments = [
        utc(1900, 1, 1, 0, 0, 0),
        utc(1900, 2, 28, 23, 0, 0),
        utc(1900, 3, 1, 0, 0, 0),
        utc(2026, 12, 2, 1, 2, 3),
        utc(9999, 12, 31, 23, 59, 59),
    ]
    for moment in moments:
        assert xlsx.serial(moment) == pytest.approx(to_excel(moment), abs=1e-9)
    aware = datetime(2026, 12, 2, 2, 2, 3, tzinfo=timezone(timedelta(hours=1)))  # 01:02:03Z
    assert xlsx.serial(aware) == pytest.approx(to_excel(moments[3]), abs=1e-9)

    long_text = "x" * (xlsx.MAX_CELL_CHARS + 10)
    rows: list[list[Any]] = [
        ["a\x00b", Decimal("1.50"), moments[3], True],
        [long_text, Decimal("NaN"), None, 7],
        [None, float("inf"), moments[0].date(), 2.5],
    ]
    columns = [
        ("text", xlsx.Cells.TEXT),
        ("decimal", xlsx.Cells.NUMBER),
        ("when", xlsx.Cells.DATETIME),
        ("other", xlsx.Cells.NUMBER),
    ]
    seen: list[int] = []
    file = io.BytesIO()
    assert xlsx.write_sheet(file, "it's a sheet", columns, rows, on_row=seen.append) == 3
    assert seen == [1, 2, 3]
    workbook = load_workbook(io.BytesIO(file.getvalue()), read_only=True)
    assert workbook.sheetnames == ["it's a sheet"]
    values = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert values[0] == ["text", "decimal", "when", "other"]
    assert values[1] == ["ab", 1.5, moments[3], True]
    assert values[2] == ["x" * xlsx.MAX_CELL_CHARS, "NaN", None, 7]
    assert values[3] == [None, "inf", moments[0], 2.5]
