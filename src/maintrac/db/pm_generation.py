"""Queries of PM generation: the tenants with due plans, the due plans of one tenant
(locked), the plan's history, and advancing plans in bulk.

Generation handles thousands of plans per transaction, so these read and write columns
in batches (one statement per batch, not per plan) and return ``core`` objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Row, and_, or_, select, text
from sqlalchemy.orm import aliased

from maintrac.core import pm
from maintrac.core.ids import new_ids
from maintrac.core.pm_generation import PlanAdvance, PlanForGeneration, PlanHistoryEntry
from maintrac.core.work_orders import TERMINAL, Priority, Status
from maintrac.db.bulk import execute_columns
from maintrac.db.models import MeterRow, PmPlanEventRow, PmPlanRow, WorkOrderRow
from maintrac.db.transaction import SystemSession, TenantSession

_P = PmPlanRow
_M = aliased(MeterRow)
_W = aliased(WorkOrderRow)
_LEAD = _P.lead_time_days * timedelta(hours=24)


def due_tenants(session: SystemSession, until: datetime) -> list[uuid.UUID]:
    """The tenants with at least one plan due by ``until`` (owner-run ``pm_due_tenants``:
    ids only; the caller's session stays under RLS)."""
    statement = text("SELECT pm_due_tenants(:until) AS tenant_id ORDER BY 1")
    return [row.tenant_id for row in session.execute(statement, {"until": until})]


def _select_plans() -> Any:
    """Plans with their meter's latest reading and the work order of their newest
    occurrence (whether it is still open matters to floating plans)."""
    return (
        select(
            # Columns, not entities: thousands of plans per batch, no identity map needed.
            *PmPlanRow.__table__.c,
            _M.last_reading_value,
            _M.last_reading_at,
            _W.status.label("wo_status"),
            _W.completed_at.label("wo_completed_at"),
            _W.deleted_at.label("wo_deleted_at"),
        )
        .outerjoin(
            _M, and_(_M.tenant_id == _P.tenant_id, _M.id == _P.meter_id, _M.deleted_at.is_(None))
        )
        .outerjoin(
            _W,
            and_(
                _W.tenant_id == _P.tenant_id,
                _W.pm_plan_id == _P.id,
                _W.pm_occurrence == _P.next_occurrence - 1,
            ),
        )
        .where(_P.deleted_at.is_(None))
    )


def _to_plan(row: Row[Any]) -> PlanForGeneration:
    plan = row
    last_completed_at = plan.last_completed_at
    awaiting = False
    if row.wo_status is not None:
        status = Status(row.wo_status)
        awaiting = row.wo_deleted_at is None and status not in TERMINAL
        completed = row.wo_completed_at
        if (
            status is Status.COMPLETE
            and completed is not None
            and (last_completed_at is None or completed > last_completed_at)
        ):
            last_completed_at = completed
    meter = None
    if row.last_reading_value is not None:
        meter = pm.MeterState(row.last_reading_value, row.last_reading_at)
    return PlanForGeneration(
        id=plan.id,
        name=plan.name,
        asset_id=plan.asset_id,
        template=pm.WorkOrderTemplate(
            title=plan.wo_title,
            description=plan.wo_description,
            task_code_id=plan.task_code_id,
            priority=Priority(plan.priority),
            assignee_id=plan.assignee_id,
            estimated_hours=plan.estimated_hours,
            gl_code_id=plan.gl_code_id,
        ),
        schedule=pm.Schedule(
            type=pm.TriggerType(plan.trigger_type),
            interval_count=plan.interval_count,
            interval_unit=pm.IntervalUnit(plan.interval_unit) if plan.interval_unit else None,
            anchor_at=plan.anchor_at,
            meter_id=plan.meter_id,
            meter_interval=plan.meter_interval,
            meter_anchor=plan.meter_anchor,
        ),
        state=pm.PlanState(plan.next_occurrence, last_completed_at, awaiting, plan.series_origin),
        meter=meter,
        lead_time_days=plan.lead_time_days,
        active=plan.active,
        last_generated_occurrence=plan.last_generated_occurrence,
    )


def lock_due_plans(
    session: TenantSession,
    now: datetime,
    *,
    limit: int,
    plan_ids: Sequence[uuid.UUID] | None = None,
) -> list[PlanForGeneration]:
    """Up to ``limit`` active plans of the tenant whose stored due point says they are
    due (calendar, less the lead time; or meter), locked. Plans another transaction
    holds are skipped (SKIP LOCKED): that transaction is generating them."""
    statement = _select_plans().where(
        _P.active,
        or_(
            _P.next_due_at - _LEAD <= now,
            and_(_P.next_due_meter.is_not(None), _M.last_reading_value >= _P.next_due_meter),
        ),
    )
    if plan_ids is not None:
        statement = statement.where(_P.id.in_(plan_ids))
    statement = statement.order_by(_P.id).limit(limit).with_for_update(of=_P, skip_locked=True)
    return [_to_plan(row) for row in session.execute(statement)]


def lock_plan(session: TenantSession, plan_id: uuid.UUID) -> PlanForGeneration | None:
    """One live plan, locked (waiting for any transaction that holds it), due or not."""
    statement = _select_plans().where(_P.id == plan_id).with_for_update(of=_P)
    row = session.execute(statement).first()
    return None if row is None else _to_plan(row)


def plans_reached_by_reading(
    session: TenantSession, meter_id: uuid.UUID, value: Decimal
) -> list[uuid.UUID]:
    """Active plans following ``meter_id`` whose next threshold ``value`` reaches."""
    statement = select(_P.id).where(
        _P.deleted_at.is_(None),
        _P.active,
        _P.meter_id == meter_id,
        _P.next_due_meter <= value,
    )
    return list(session.scalars(statement))


def open_work_order_of(
    session: TenantSession, plan_id: uuid.UUID, occurrence: int | None
) -> uuid.UUID | None:
    """The work order of ``occurrence`` if it is live and neither complete nor cancelled."""
    if occurrence is None:
        return None
    statement = select(WorkOrderRow.id).where(
        WorkOrderRow.pm_plan_id == plan_id,
        WorkOrderRow.pm_occurrence == occurrence,
        WorkOrderRow.deleted_at.is_(None),
        WorkOrderRow.status.not_in([s.value for s in TERMINAL]),
    )
    return session.scalars(statement).one_or_none()


_HISTORY = """
    INSERT INTO pm_plan_events (tenant_id, id, pm_plan_id, type, occurrence_from,
                                occurrence_to)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.*
    FROM unnest(CAST(%(ids)b AS uuid[]), CAST(%(plan_ids)b AS uuid[]),
                CAST(%(types)b AS text[]), CAST(%(froms)b AS integer[]),
                CAST(%(tos)b AS integer[])) AS v
"""


def record_history(session: TenantSession, entries: Sequence[PlanHistoryEntry]) -> None:
    """Append to the plans' history (append-only: never updated), in one statement."""
    if not entries:
        return
    execute_columns(
        session,
        _HISTORY,
        {
            "ids": new_ids(len(entries)),
            "plan_ids": [e.plan_id for e in entries],
            "types": [e.type for e in entries],
            "froms": [e.occurrence_from for e in entries],
            "tos": [e.occurrence_to for e in entries],
        },
    )


def list_history(session: TenantSession, plan_id: uuid.UUID) -> list[PlanHistoryEntry]:
    statement = (
        select(PmPlanEventRow)
        .where(PmPlanEventRow.pm_plan_id == plan_id)
        .order_by(PmPlanEventRow.id)
    )
    return [
        PlanHistoryEntry(
            plan_id=r.pm_plan_id,
            type=r.type,
            occurrence_from=r.occurrence_from,
            occurrence_to=r.occurrence_to,
            created_at=r.created_at,
        )
        for r in session.scalars(statement)
    ]


_ADVANCE = """
    UPDATE pm_plans AS p
    SET next_occurrence = v.next_occurrence,
        next_due_at = v.next_due_at,
        next_due_meter = v.next_due_meter,
        last_generated_occurrence = COALESCE(v.last_generated_occurrence,
                                             p.last_generated_occurrence),
        last_generated_at = COALESCE(v.last_generated_at, p.last_generated_at)
    FROM unnest(CAST(%(ids)b AS uuid[]), CAST(%(next_occurrences)b AS integer[]),
                CAST(%(next_due_ats)b AS timestamptz[]), CAST(%(next_due_meters)b AS numeric[]),
                CAST(%(last_occurrences)b AS integer[]), CAST(%(last_ats)b AS timestamptz[]))
         AS v(id, next_occurrence, next_due_at, next_due_meter,
              last_generated_occurrence, last_generated_at)
    WHERE p.id = v.id
"""


def advance_plans(session: TenantSession, advances: Sequence[PlanAdvance]) -> None:
    """Store each plan's new series position and next due point, in one statement (RLS
    limits it to the tenant's own plans)."""
    if not advances:
        return
    execute_columns(
        session,
        _ADVANCE,
        {
            "ids": [a.plan_id for a in advances],
            "next_occurrences": [a.next_occurrence for a in advances],
            "next_due_ats": [a.next_due_at for a in advances],
            "next_due_meters": [a.next_due_meter for a in advances],
            "last_occurrences": [a.last_generated_occurrence for a in advances],
            "last_ats": [a.last_generated_at for a in advances],
        },
    )


# The JSON of the generated work orders' history entries and events is written as text
# by concatenation and cast to jsonb once per row: nesting ``jsonb_build_object`` calls
# cost about 80 us a history entry here, the text about 10 (each fragment below is valid
# JSON, or NULL when its value is).


def _string(expr: str) -> str:
    """A text value as a JSON string (escaped by ``to_json``), or NULL."""
    return f"to_json(CAST({expr} AS text))::text"


def _uuid(expr: str) -> str:
    return f"('\"' || {expr}::text || '\"')"


def _time(expr: str) -> str:
    """A timestamptz as ``services.events._timestamp`` writes it: RFC 3339 in UTC with a
    ``Z``, microseconds only when there are any (Python's ``isoformat``)."""
    return (
        f"('\"' || CASE WHEN date_part('microseconds', {expr})::bigint %% 1000000 = 0"
        f" THEN to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        f" ELSE to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END"
        " || '\"')"
    )


#: A Decimal as ``core.work_orders._json`` writes it: a float (``2.0``, not ``2``).
_HOURS = (
    "CASE WHEN v.estimated_hours = trunc(v.estimated_hours)"
    " THEN trunc(v.estimated_hours)::text || '.0'"
    " ELSE v.estimated_hours::float8::text END"
)


def _members(fields: list[tuple[str, str]]) -> str:
    """``"name":value`` members, comma-separated, for values that are never NULL."""
    return " || ',' || ".join(f"'\"{name}\":' || {value}" for name, value in fields)


def _null(value: str) -> str:
    return f"coalesce({value}, 'null')"


def _created(name: str, value: str) -> str:
    """One optional field of a ``created`` history entry: ``,"name":{"from":null,"to":v}``,
    left out when the value is NULL (as ``core.work_orders.creation_event``)."""
    return f"""coalesce(',"{name}":{{"from":null,"to":' || {value} || '}}', '')"""


#: Columns of ``insert_generated``, with their SQL types (one array each, in this order).
GENERATED_COLUMNS: dict[str, str] = {
    "id": "uuid",
    "number": "bigint",
    "title": "text",  # as stored (tidied)
    "given_title": "text",  # as the template gave it (the history's "to")
    "description": "text",
    "priority": "text",
    "asset_id": "uuid",
    "assignee_id": "uuid",
    "task_code_id": "uuid",
    "gl_code_id": "uuid",
    "estimated_hours": "numeric",
    "due_at": "timestamptz",
    "pm_plan_id": "uuid",
    "pm_occurrence": "integer",
    "reason": "text",
    "history_id": "uuid",
    "created_event_id": "uuid",
    "generated_event_id": "uuid",
}

#: ``services.events.work_order_snapshot`` of a stored row ``w``.
_SNAPSHOT = (
    "'{' || "
    + _members(
        [
            ("id", _uuid("w.id")),
            ("number", "w.number::text"),
            ("title", _string("w.title")),
            ("status", _string("w.status")),
            ("priority", _string("w.priority")),
            ("assetId", _null(_uuid("w.asset_id"))),
            ("assigneeId", _null(_uuid("w.assignee_id"))),
            ("pmPlanId", _null(_uuid("w.pm_plan_id"))),
            ("dueAt", _null(_time("w.due_at"))),
            ("completedAt", _null(_time("w.completed_at"))),
            ("version", "w.version::text"),
            ("updatedAt", _time("w.updated_at")),
        ]
    )
    + " || '}'"
)


def _to(value: str) -> str:
    return f"""'{{"from":null,"to":' || {value} || '}}'"""


#: The ``created`` history entry's changes (``core.work_orders.creation_event`` of the
#: template's values, and ``pmReason``).
_CHANGES = (
    "'{' || "
    + _members(
        [
            ("title", _to(_string("v.given_title"))),
            ("status", """'{"from":null,"to":"open"}'"""),
            ("priority", _to(_string("v.priority"))),
            ("pmPlanId", _to(_uuid("v.pm_plan_id"))),
            ("pmReason", _to(_string("v.reason"))),
        ]
    )
    + " || "
    + " || ".join(
        [
            _created("description", _string("v.description")),
            _created("assetId", _uuid("v.asset_id")),
            _created("assigneeId", _uuid("v.assignee_id")),
            _created("taskCodeId", _uuid("v.task_code_id")),
            _created("glCodeId", _uuid("v.gl_code_id")),
            _created("estimatedHours", _HOURS),
            _created("dueAt", _time("v.due_at")),
            _created("pmOccurrence", "v.pm_occurrence::text"),
        ]
    )
    + " || '}'"
)

#: An event as ``services.events._message`` builds it.
_OCCURRED = "to_json(CAST(%(occurred_at)s AS text))::text"
_CREATED_EVENT = (
    """'{"id":' || """
    + _uuid("v.created_event_id")
    + """ || ',"type":"work_order.created","occurredAt":' || """
    + _OCCURRED
    + """ || ',"actorId":' || """
    + _null(_uuid("CAST(%(actor_id)s AS uuid)"))
    + """ || ',"data":{"sequence":1,"changes":{},"workOrder":' || s.snapshot || '}}'"""
)
_GENERATED_EVENT = (
    """'{"id":' || """
    + _uuid("v.generated_event_id")
    + """ || ',"type":"pm_plan.work_order_generated","occurredAt":' || """
    + _OCCURRED
    + """ || ',"actorId":null,"data":{"pmPlanId":' || """
    + _uuid("v.pm_plan_id")
    + """ || ',"occurrence":' || v.pm_occurrence::text"""
    + """ || ',"sequence":1,"workOrder":' || s.snapshot || '}}'"""
)

_ARRAYS = ", ".join(f"CAST(%({c})b AS {t}[])" for c, t in GENERATED_COLUMNS.items())
# Fixed names and SQL fragments of this module only: no input reaches the text.
_GENERATED = f"""
WITH v AS (
    SELECT * FROM unnest({_ARRAYS}) WITH ORDINALITY AS v({", ".join(GENERATED_COLUMNS)}, ord)
), w AS (
    INSERT INTO work_orders (tenant_id, id, number, title, description, status, priority,
                             asset_id, assignee_id, task_code_id, gl_code_id,
                             estimated_hours, due_at, pm_plan_id, pm_occurrence)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.id, v.number,
           v.title, v.description, 'open', v.priority, v.asset_id, v.assignee_id,
           v.task_code_id, v.gl_code_id, round(v.estimated_hours, 2), v.due_at,
           v.pm_plan_id, v.pm_occurrence
    FROM v
    RETURNING id, number, title, status, priority, asset_id, assignee_id, pm_plan_id,
              pm_occurrence, due_at, completed_at, version, updated_at
), h AS (
    INSERT INTO work_order_events (tenant_id, id, work_order_id, actor_id, type, changes)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid, v.history_id, v.id,
           CAST(%(actor_id)s AS uuid), 'created', CAST({_CHANGES} AS jsonb)
    FROM v
), s AS (
    SELECT w.id, {_SNAPSHOT} AS snapshot FROM w
), e AS (
    SELECT v.ord, 0 AS kind, {_CREATED_EVENT} AS event FROM v JOIN s ON s.id = v.id
    UNION ALL
    SELECT v.ord, 1, {_GENERATED_EVENT} FROM v JOIN s ON s.id = v.id
), m AS (
    -- the events of per_message work orders a message: each one's created, then generated
    SELECT (e.ord - 1) / %(per_message)s AS chunk,
           '{{"events":[' || string_agg(e.event, ',' ORDER BY e.ord, e.kind) || ']'
           || %(extra)s || '}}' AS args
    FROM e GROUP BY 1
), o AS (
    INSERT INTO outbox_messages (tenant_id, id, task, args, not_before)
    SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
           (CAST(%(message_ids)b AS uuid[]))[m.chunk + 1], %(task)s, CAST(m.args AS jsonb), now()
    FROM m
)
SELECT count(*) FROM w
"""  # noqa: S608


def insert_generated(
    session: TenantSession,
    columns: Mapping[str, Sequence[Any]],
    *,
    actor_id: uuid.UUID | None,
    occurred_at: str,
    task: str,
    message_ids: Sequence[uuid.UUID],
    per_message: int,
    extra: Mapping[str, Any],
) -> int:
    """Generated work orders in ONE statement: the rows (``GENERATED_COLUMNS``, one list
    each, the caller's ids and numbers), each one's ``created`` history entry (its changes
    and ``pmReason``, as ``core.work_orders.creation_event`` writes them) and its two domain
    events (``work_order.created`` then ``pm_plan.work_order_generated``, as
    ``services.events`` builds them, built here by PostgreSQL from the stored rows).

    The events go out as outbox messages of task ``task`` with args ``{"events": [...]}``,
    the events of ``per_message`` work orders each, in order: message ``i`` has id
    ``message_ids[i]`` (at least ``ceil(len / per_message)`` of them). ``occurred_at`` is
    the events' RFC 3339 time; ``extra`` is merged into each message's args (the trace
    context). Returns how many work orders it inserted."""
    if not columns["id"]:
        return 0
    parameters: dict[str, Any] = {name: list(columns[name]) for name in GENERATED_COLUMNS}
    parameters |= {
        "actor_id": actor_id,
        "occurred_at": occurred_at,
        "task": task,
        "message_ids": list(message_ids),
        "per_message": per_message,
        # More members of each message's args object: ``,"_trace":{...}`` or nothing.
        "extra": "," + orjson.dumps(extra).decode()[1:-1] if extra else "",
    }
    result = session.connection().exec_driver_sql(_GENERATED, parameters)
    return int(result.scalar_one())
