"""The generated Python SDK (clients/python, package ``maintrac_client``) end to end against
the live server: create work orders, list them two at a time to the end, move one through
open -> in_progress -> complete, and get the 409 problem of a final work order as the
typed ``Problem`` model (and as an ``ApiProblem`` exception through ``unwrap``); create an
asset with a meter and a reading, with idempotency keys and ETags; and round-trip a sync
pull (a full pull holds them; a later change comes in the pull from its timestamp).

The SDK returns documented error responses instead of raising them: ``sync`` returns
``WorkOrder | Problem`` and ``sync_detailed`` a ``Response`` whose ``parsed`` is one of the
two. ``application/problem+json`` bodies are parsed like JSON (the generator treats any
``+json`` media type as JSON). Only an undocumented status raises, as ``UnexpectedStatus``,
when the client is made with ``raise_on_unexpected_status=True``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus
from typing import TypeVar
from uuid import UUID

import pytest
from maintrac_client import AuthenticatedClient
from maintrac_client.api.assets import (
    create_asset,
    create_meter,
    create_meter_reading,
    get_asset,
    list_meter_readings,
    update_asset,
)
from maintrac_client.api.offline_sync import sync_pull
from maintrac_client.api.work_orders import (
    create_work_order,
    get_work_order,
    list_work_orders,
    update_work_order,
)
from maintrac_client.errors import ApiProblem, unwrap
from maintrac_client.models import (
    Asset,
    AssetCreate,
    AssetUpdate,
    Meter,
    MeterCreate,
    MeterKind,
    Problem,
    Reading,
    ReadingCreate,
    ReadingPage,
    SyncPullRequest,
    SyncPullResponse,
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
        # The same through unwrap: an ApiProblem exception carrying the typed Problem.
        with pytest.raises(ApiProblem) as raised:
            unwrap(
                update_work_order.sync_detailed(
                    first.id,
                    client=client,
                    body=WorkOrderUpdate(status=WorkOrderStatus.IN_PROGRESS),
                )
            )
        assert raised.value.status_code == 409
        assert expect(raised.value.problem, Problem).code == "invalid_status_transition"


def test_python_sdk_asset_meter_reading_and_sync_pull(live_url: str, tenant: Tenant) -> None:
    with AuthenticatedClient(
        base_url=f"{live_url}/v1", token=tenant.token(), raise_on_unexpected_status=True
    ) as client:
        key = str(uuid.uuid4())
        body = AssetCreate(name="Boiler 2", code="SDK-BLR-2", location="Plant room B")
        created = create_asset.sync_detailed(client=client, body=body, idempotency_key=key)
        assert created.status_code == HTTPStatus.CREATED
        asset = expect(unwrap(created), Asset)
        # A retry with the same key and body replays the first answer: no second asset.
        replayed = create_asset.sync_detailed(client=client, body=body, idempotency_key=key)
        assert replayed.headers.get("idempotent-replayed") == "true"
        assert expect(unwrap(replayed), Asset).id == asset.id

        # ETags: the create's ETag is current; once changed, it is stale (412).
        etag = created.headers["etag"]
        renamed = update_asset.sync_detailed(
            asset.id, client=client, body=AssetUpdate(name="Boiler 2 (B)"), if_match=etag
        )
        assert expect(unwrap(renamed), Asset).name == "Boiler 2 (B)"
        assert renamed.headers["etag"] != etag
        with pytest.raises(ApiProblem) as stale:
            unwrap(
                update_asset.sync_detailed(
                    asset.id, client=client, body=AssetUpdate(name="Boiler 2 (C)"), if_match=etag
                )
            )
        assert stale.value.status_code == 412
        assert expect(stale.value.problem, Problem).code == "precondition_failed"
        assert (
            get_asset.sync_detailed(asset.id, client=client).headers["etag"]
            == (renamed.headers["etag"])
        )

        meter = expect(
            unwrap(
                create_meter.sync_detailed(
                    client=client,
                    body=MeterCreate(
                        asset_id=asset.id,
                        name="Run hours",
                        unit="h",
                        kind=MeterKind.CUMULATIVE,
                    ),
                    idempotency_key=str(uuid.uuid4()),
                )
            ),
            Meter,
        )
        assert meter.asset_id == asset.id
        reading = expect(
            unwrap(
                create_meter_reading.sync_detailed(
                    meter.id,
                    client=client,
                    body=ReadingCreate(value=1492.5, note="SDK reading"),
                    idempotency_key=str(uuid.uuid4()),
                )
            ),
            Reading,
        )
        assert reading.meter_id == meter.id
        assert reading.value == 1492.5
        readings = expect(
            unwrap(list_meter_readings.sync_detailed(meter.id, client=client)), ReadingPage
        )
        assert [r.id for r in readings.data] == [reading.id]

        # A first (full) pull holds the asset, its meter and the reading ...
        full = expect(
            unwrap(
                sync_pull.sync_detailed(
                    client=client, body=SyncPullRequest(last_pulled_at=None, schema_version=1)
                )
            ),
            SyncPullResponse,
        )
        changes = full.changes

        def ids(table: object) -> set[UUID]:
            records = getattr(table, "updated", UNSET)
            return {r.id for r in records} if not isinstance(records, Unset) else set()

        assert asset.id in ids(changes.assets)
        assert meter.id in ids(changes.meters)
        assert reading.id in ids(changes.asset_readings)
        assert full.timestamp > 0
        # ... and a change made after it comes in the next pull, from the pull's timestamp.
        etag = get_asset.sync_detailed(asset.id, client=client).headers["etag"]
        unwrap(
            update_asset.sync_detailed(
                asset.id, client=client, body=AssetUpdate(name="Boiler 2 (synced)"), if_match=etag
            )
        )
        again = expect(
            unwrap(
                sync_pull.sync_detailed(
                    client=client,
                    body=SyncPullRequest(last_pulled_at=full.timestamp, schema_version=1),
                )
            ),
            SyncPullResponse,
        )
        assert again.timestamp >= full.timestamp
        assets = again.changes.assets
        assert not isinstance(assets, Unset)
        assert not isinstance(assets.updated, Unset)
        assert [r.name for r in assets.updated if r.id == asset.id] == ["Boiler 2 (synced)"]
