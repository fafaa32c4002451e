"""The generated Python SDK (clients/python, package ``maintrac_client``) end to end against
the live server: create work orders, list them two at a time to the end, move one through
open -> in_progress -> complete, and get the 409 problem of a final work order as the
typed ``Problem`` model.

The SDK returns documented error responses instead of raising them: ``sync`` returns
``WorkOrder | Problem`` and ``sync_detailed`` a ``Response`` whose ``parsed`` is one of the
two. ``application/problem+json`` bodies are parsed like JSON (the generator treats any
``+json`` media type as JSON). Only an undocumented status raises, as ``UnexpectedStatus``,
when the client is made with ``raise_on_unexpected_status=True``.
"""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from typing import TypeVar
from uuid import UUID

from maintrac_client import AuthenticatedClient
from maintrac_client.api.work_orders import (
    create_work_order,
    get_work_order,
    list_work_orders,
    update_work_order,
)
from maintrac_client.models import (
    Problem,
    WorkOrder,
    WorkOrderCreate,
    WorkOrderPage,
    WorkOrderPriority,
    WorkOrderStatus,
    WorkOrderUpdate,
)
from maintrac_client.types import UNSET, Unset

from tests.conftest import Tenant

T = TypeVar("T")


def expect(value: object, kind: type[T]) -> T:
    """``value``, narrowed to ``kind`` (a Problem instead fails with its detail)."""
    assert isinstance(value, kind), value
    return value


def _set_status(
    client: AuthenticatedClient, work_order: WorkOrder, to: WorkOrderStatus
) -> WorkOrder:
    etag = get_work_order.sync_detailed(work_order.id, client=client).headers["etag"]
    response = update_work_order.sync_detailed(
        work_order.id, client=client, body=WorkOrderUpdate(status=to), if_match=etag
    )
    assert response.status_code == HTTPStatus.OK, response.content
    return expect(response.parsed, WorkOrder)


def test_python_sdk_work_order_lifecycle(live_url: str, tenant: Tenant) -> None:
    with AuthenticatedClient(
        base_url=f"{live_url}/v1", token=tenant.token(), raise_on_unexpected_status=True
    ) as client:
        due = dt.datetime(2026, 12, 1, 16, tzinfo=dt.UTC)
        created = [
            expect(
                create_work_order.sync(
                    client=client,
                    body=WorkOrderCreate(
                        title=f"SDK check {i}", priority=WorkOrderPriority.HIGH, due_at=due
                    ),
                ),
                WorkOrder,
            )
            for i in range(1, 6)
        ]
        assert [wo.title for wo in created] == [f"SDK check {i}" for i in range(1, 6)]
        assert all(wo.status is WorkOrderStatus.OPEN for wo in created)
        assert created[0].due_at == due

        seen: list[UUID] = []
        cursor: str | Unset = UNSET
        pages = 0
        while True:
            page = expect(
                list_work_orders.sync(client=client, limit=2, cursor=cursor), WorkOrderPage
            )
            pages += 1
            assert len(page.data) <= 2
            seen += [wo.id for wo in page.data]
            if not page.has_more:
                assert page.next_cursor is None
                break
            assert page.next_cursor is not None
            cursor = page.next_cursor
        assert pages == 3
        assert sorted(seen) == sorted(wo.id for wo in created)

        first = created[0]
        started = _set_status(client, first, WorkOrderStatus.IN_PROGRESS)
        assert started.status is WorkOrderStatus.IN_PROGRESS
        assert started.completed_at is None
        completed = _set_status(client, first, WorkOrderStatus.COMPLETE)
        assert completed.status is WorkOrderStatus.COMPLETE
        assert isinstance(completed.completed_at, dt.datetime)

        refused = update_work_order.sync_detailed(
            first.id, client=client, body=WorkOrderUpdate(status=WorkOrderStatus.IN_PROGRESS)
        )
        assert refused.status_code == HTTPStatus.CONFLICT
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = expect(refused.parsed, Problem)
        assert problem.status == 409
        assert problem.code == "invalid_status_transition"
        assert problem.type_ == "/problems/invalid-status-transition"
        assert problem.allowed_statuses == []
        # The plain call returns the same typed problem.
        again = update_work_order.sync(
            first.id, client=client, body=WorkOrderUpdate(status=WorkOrderStatus.IN_PROGRESS)
        )
        assert expect(again, Problem).allowed_statuses == []
