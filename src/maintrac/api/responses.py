"""Domain -> wire, in one place: JSON responses from the generated contract models.

A handler hands a ``core`` object (or a ``core.pagination.Page`` of them) and the wire
model to ``one_response`` / ``page_response``; the model reads the object's attributes by
field name in one validating pass (``from_attributes``), and is serialized once. Where
the domain and the wire differ (a PM plan's ``schedule`` is the contract's ``trigger``,
a PM occurrence's ``number`` its ``occurrence``), the difference is declared once, in
``WIRE_OVERRIDES``; everything else (enums by value, ``Decimal`` as a JSON number, UUIDs,
timestamps) is the models' own lax conversion.

Handlers return ConnexionResponse objects (not dicts): an operation that declares both
``application/json`` and ``application/problem+json`` makes Connexion refuse to guess the
content type of a bare dict (connexion#1956).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, TypeVar

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import BaseModel, field_serializer

from maintrac.api.request_context import current_request_id
from maintrac.core.concurrency import etag
from maintrac.core.pagination import Page
from maintrac_contract import models

M = TypeVar("M", bound=BaseModel)

#: Derives one wire field's value from the domain object.
Getter = Callable[[Any], Any]


def one_response(
    obj: object,
    model: type[BaseModel],
    *,
    status: int = 200,
    location: str | None = None,
) -> ConnexionResponse:
    """``obj`` as ``model``. A domain object with a ``version`` (a resource clients update)
    answers it as its ETag; ``location`` is the Location of a created resource."""
    version = getattr(obj, "version", None)
    return json_response(to_wire(obj, model), status, version=version, location=location)


def page_response(page: Page[Any], model: type[BaseModel]) -> ConnexionResponse:
    """A page of domain objects as the list envelope ``model`` (``{data, nextCursor,
    hasMore}``), each item mapped as ``one_response`` maps one."""
    return list_response(page.items, model, next_cursor=page.next_cursor, has_more=page.has_more)


def list_response(
    items: Sequence[Any],
    model: type[BaseModel],
    *,
    next_cursor: str | None = None,
    has_more: bool,
) -> ConnexionResponse:
    """A list envelope whose window is not a cursor page (``next_cursor`` stays null)."""
    getters = _item_overrides(model)
    data = items if getters is None else [_Overlay(item, getters) for item in items]
    envelope = {"data": data, "next_cursor": next_cursor, "has_more": has_more}
    return json_response(model.model_validate(envelope, from_attributes=True))


def to_wire(obj: object, model: type[M]) -> M:
    """``obj`` read as ``model``, through the model's overrides if it has any."""
    getters = WIRE_OVERRIDES.get(model)
    source = obj if getters is None else _Overlay(obj, getters)
    return model.model_validate(source, from_attributes=True)


def json_response(
    model: BaseModel,
    status: int = 200,
    headers: dict[str, str] | None = None,
    *,
    version: int | None = None,
    location: str | None = None,
) -> ConnexionResponse:
    """``version`` becomes the ETag; ``location`` the Location of a created resource."""
    out = dict(headers or {})
    if version is not None:
        out["ETag"] = etag(version)
    if location is not None:
        out["Location"] = location
    return _json(model.model_dump_json(by_alias=True).encode(), status, out)


def payload_response(payload: object, status: int = 200) -> ConnexionResponse:
    """A JSON document built without a model, for large payloads (a sync pull of tens of
    thousands of records): the contract is still enforced by response validation in tests."""
    return _json(orjson.dumps(payload), status, {})


def _json(body: bytes, status: int, headers: dict[str, str]) -> ConnexionResponse:
    request_id = current_request_id()
    if request_id:
        headers["X-Request-Id"] = request_id
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=body,
        headers=headers,
    )


def empty_response(status: int = 204) -> ConnexionResponse:
    return ConnexionResponse(status_code=status, body=b"", headers={})


class _Overlay:
    """A domain object as a wire model reads it: overridden fields come from their getters,
    every other field from the object itself (pydantic reads both with ``getattr``)."""

    __slots__ = ("_getters", "_obj")

    def __init__(self, obj: object, getters: Mapping[str, Getter]) -> None:
        self._obj = obj
        self._getters = getters

    def __getattr__(self, name: str) -> Any:
        getter = self._getters.get(name)
        return getattr(self._obj, name) if getter is None else getter(self._obj)


@functools.cache
def _item_overrides(page_model: type[BaseModel]) -> Mapping[str, Getter] | None:
    """The overrides of a list envelope's item model (``data: list[X]`` -> X's), if any."""
    (item,) = typing.get_args(page_model.model_fields["data"].annotation)
    return WIRE_OVERRIDES.get(item)


# ------------------------------------------------------------------ where wire differs


def _utc(name: str) -> Getter:
    """A timestamp the domain keeps in another offset (PM works in the tenant's local
    time), shown in UTC as every timestamp of the contract is."""

    def get(obj: Any) -> datetime | None:
        moment: datetime | None = getattr(obj, name)
        return None if moment is None else moment.astimezone(UTC)

    return get


class PmPlanOut(models.PmPlan):
    """A plan as the contract shows it: the trigger lists only the fields its type uses
    (``PmTrigger``'s fields are not nullable)."""

    @field_serializer("trigger")
    def _trigger(self, trigger: models.PmTrigger) -> dict[str, Any]:
        dumped: dict[str, Any] = trigger.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped


def _trigger_wire(schedule: Any) -> dict[str, Any]:
    """A plan's schedule as the contract's trigger: a ``oneOf`` on ``type`` whose branch is
    chosen by that key, so it is built as the wire object (only the fields its type uses;
    the others are never stored) rather than read attribute by attribute."""
    fields = {
        "type": schedule.type.value,
        "intervalCount": schedule.interval_count,
        "intervalUnit": schedule.interval_unit,
        "anchorAt": _utc("anchor_at")(schedule),
        "meterId": schedule.meter_id,
        "meterInterval": schedule.meter_interval,
        "meterAnchor": schedule.meter_anchor,
    }
    return {name: value for name, value in fields.items() if value is not None}


class PmPlanPageOut(models.PmPlanPage):
    """A page of plans, each shown as ``PmPlanOut``."""

    # The generator's base declares list[PmPlan]; this narrows it to the subclass that
    # serializes the trigger as the contract shows it (list is invariant, hence the ignore).
    data: list[PmPlanOut]  # type: ignore[assignment]


#: Wire model -> {field: getter} for the fields whose domain value is not the attribute of
#: the same name. Nested models are mapped by their own entry when a getter asks for it.
WIRE_OVERRIDES: dict[type[BaseModel], Mapping[str, Getter]] = {
    PmPlanOut: {
        "work_order_template": attrgetter("template"),
        "trigger": lambda plan: _trigger_wire(plan.schedule),
        "next_due_at": _utc("next_due_at"),
        "last_completed_at": _utc("last_completed_at"),
        "last_generated_at": _utc("last_generated_at"),
    },
    models.PmOccurrence: {"occurrence": attrgetter("number"), "due_at": _utc("due_at")},
}
