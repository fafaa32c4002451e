"""The one domain -> wire mapping: overrides, ETag and Location, list envelopes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel

from maintrac.api.responses import (
    WIRE_OVERRIDES,
    PmPlanOut,
    PmPlanPageOut,
    list_response,
    one_response,
    page_response,
)
from maintrac.core import pm
from maintrac.core import work_orders as wo
from maintrac.core.pagination import Page
from maintrac_contract import models

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))


def _work_order(**changes: object) -> wo.WorkOrder:
    fields: dict[str, object] = {
        "id": uuid.UUID("0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d"),
        "number": 1042,
        "title": "Replace belt",
        "description": None,
        "status": wo.Status.IN_PROGRESS,
        "priority": wo.Priority.HIGH,
        "asset_id": None,
        "assignee_id": None,
        "task_code_id": None,
        "gl_code_id": None,
        "pm_plan_id": None,
        "pm_occurrence": None,
        "estimated_hours": Decimal("2.50"),
        "actual_minutes": 45,
        "due_at": None,
        "completed_at": None,
        "version": 7,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return wo.WorkOrder(**{**fields, **changes})  # type: ignore[arg-type]


def _plan(schedule: pm.Schedule) -> pm.PmPlan:
    return pm.PmPlan(
        id=uuid.UUID("0193a3c4-7f1e-7c2a-9b0d-000000000060"),
        name="Monthly boiler inspection",
        description=None,
        asset_id=None,
        asset_category_id=None,
        template=pm.WorkOrderTemplate(title="Inspect", estimated_hours=Decimal("1.5")),
        schedule=schedule,
        active=True,
        next_occurrence=0,
        next_due_at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        next_due_meter=None,
        last_completed_at=None,
        version=2,
        created_at=NOW,
        updated_at=NOW,
    )


def test_one_response_maps_by_name_with_etag_and_location() -> None:
    response = one_response(
        _work_order(), models.WorkOrder, status=201, location="/v1/work-orders/x"
    )
    assert response.status_code == 201
    assert response.headers["ETag"] == '"7"'
    assert response.headers["Location"] == "/v1/work-orders/x"
    assert response.content_type == "application/json"
    body = json.loads(response.body)
    assert body["status"] == "in_progress"
    assert body["priority"] == "high"
    assert body["estimatedHours"] == 2.5
    # A derived domain property (minutes logged -> hours) is read like any attribute.
    assert body["actualHours"] == 0.75
    assert body["createdAt"] == "2026-11-25T09:30:00Z"
    # Domain-only attributes never reach the wire.
    assert "version" not in body
    assert "actualMinutes" not in body


def test_an_object_without_a_version_has_no_etag() -> None:
    occurrence = pm.Occurrence(number=0, due_at=None, due_meter=None, reason=pm.Reason.CALENDAR)
    response = one_response(occurrence, models.PmOccurrence)
    assert "ETag" not in response.headers
    assert "Location" not in response.headers


def test_overrides_rename_and_convert_where_domain_and_wire_differ() -> None:
    schedule = pm.Schedule(
        type=pm.TriggerType.METER,
        meter_id=uuid.UUID("0193a3c4-7f1e-7c2a-9b0d-000000000040"),
        meter_interval=Decimal("500"),
        meter_anchor=Decimal("1500.5"),
    )
    body = json.loads(one_response(_plan(schedule), PmPlanOut).body)
    # schedule -> trigger, listing only the fields of its type; template -> workOrderTemplate.
    assert body["trigger"] == {
        "type": "meter",
        "meterId": "0193a3c4-7f1e-7c2a-9b0d-000000000040",
        "meterInterval": 500.0,
        "meterAnchor": 1500.5,
    }
    assert body["workOrderTemplate"]["title"] == "Inspect"
    assert body["workOrderTemplate"]["priority"] == "medium"
    # The tenant's local time is shown in UTC.
    assert body["nextDueAt"] == "2026-12-01T08:00:00Z"


def test_page_response_maps_every_item_and_the_envelope() -> None:
    calendar = pm.Schedule(
        type=pm.TriggerType.CALENDAR_FIXED,
        interval_count=1,
        interval_unit=pm.IntervalUnit.MONTH,
        anchor_at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
    )
    body = json.loads(page_response(Page([_plan(calendar)] * 2, "next"), PmPlanPageOut).body)
    assert body["nextCursor"] == "next"
    assert body["hasMore"] is True
    assert [p["trigger"] for p in body["data"]] == [
        {
            "type": "calendar_fixed",
            "intervalCount": 1,
            "intervalUnit": "month",
            "anchorAt": "2026-12-01T08:00:00Z",
        }
    ] * 2

    last = json.loads(page_response(Page([_work_order()], None), models.WorkOrderPage).body)
    assert (last["nextCursor"], last["hasMore"]) == (None, False)
    assert last["data"][0]["number"] == 1042


def test_list_response_for_a_window_that_is_not_a_cursor_page() -> None:
    due = [pm.Occurrence(number=3, due_at=NOW, due_meter=None, reason=pm.Reason.CALENDAR)]
    body = json.loads(list_response(due, models.PmOccurrencePage, has_more=True).body)
    assert body == {
        "data": [
            {
                "occurrence": 3,
                "dueAt": "2026-11-25T09:30:00Z",
                "dueMeter": None,
                "reason": "calendar",
            }
        ],
        "nextCursor": None,
        "hasMore": True,
    }


@pytest.mark.parametrize("model", list(WIRE_OVERRIDES))
def test_every_override_names_a_field_of_its_model(model: type[BaseModel]) -> None:
    assert sorted(set(WIRE_OVERRIDES[model]) - set(model.model_fields)) == []
