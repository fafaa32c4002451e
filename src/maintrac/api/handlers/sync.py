"""Offline sync operations (WatermelonDB's pull and push) and the conflict log."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext, repeatable_read
from maintrac.api.responses import json_response, payload_response
from maintrac.services import sync as service
from maintrac_contract import models


@repeatable_read
def sync_pull(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    last_pulled_at = body.get("lastPulledAt")
    migration = body.get("migration") or {}
    full = set(migration.get("tables") or []) | {
        c["table"] for c in migration.get("columns") or [] if isinstance(c, dict)
    }
    result = service.pull(ctx.session, ctx.principal, ctx.user_id, last_pulled_at, full_tables=full)
    # The records arrive as JSON from the database: spliced in as they are, not decoded.
    changes = {
        name: {
            "created": [],
            "updated": orjson.Fragment(table.updated),
            "deleted": orjson.Fragment(table.deleted),
        }
        for name, table in result.changes.items()
    }
    return payload_response({"changes": changes, "timestamp": result.timestamp})


def sync_push(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    # The body has passed the contract's SyncPushRequest schema (request validation):
    # it is read as it is, not validated again.
    outcome = service.push(
        ctx.session,
        ctx.principal,
        ctx.user_id,
        body["changes"],
        last_pulled_at=body.get("lastPulledAt"),
        device_id=body.get("deviceId"),
    )
    return json_response(
        models.SyncPushResponse(
            accepted=outcome.accepted,
            rejected=outcome.rejected,
            overridden=outcome.overridden,
            # Nothing is left for the device to push again: every refusal is final, and
            # the record comes back in the next pull (WatermelonDB would keep a record
            # listed here unsynced and push it on every sync).
            experimental_rejected_ids={},
        )
    )


def list_sync_conflicts(
    ctx: RequestContext,
    *,
    limit: int = 50,
    cursor: str | None = None,
    table: str | None = None,
    record_id: str | None = None,
) -> ConnexionResponse:
    page = service.list_conflicts(
        ctx.session,
        table=table,
        record_id=uuid.UUID(record_id) if record_id else None,
        limit=limit,
        cursor=cursor,
        codec=ctx.codec,
    )
    return json_response(
        models.SyncConflictPage(
            data=[
                models.SyncConflict(
                    id=c.id,
                    table=c.table,
                    record_id=c.record_id,
                    field=c.field,
                    client_value=c.client_value,
                    server_value=c.server_value,
                    resolution=c.resolution,
                    user_id=c.user_id,
                    device_id=c.device_id,
                    occurred_at=c.occurred_at,
                )
                for c in page.items
            ],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )
    )


HANDLERS: dict[str, Handler] = {
    "syncPull": sync_pull,
    "syncPush": sync_push,
    "listSyncConflicts": list_sync_conflicts,
}
