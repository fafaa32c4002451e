"""The compiled wire shapes write exactly the bytes the validating pydantic path writes.

``one_response`` / ``list_response`` serialize through ``_shape_of`` (plain dicts and
orjson) instead of ``model_validate`` + ``model_dump_json``; a client, the SDKs and the
peer comparison of bench/compare.py must not see a byte of difference.
"""

from __future__ import annotations

import enum
import types
import typing
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel, RootModel, ValidationError

from maintrac.api import responses
from maintrac.api.responses import WIRE_OVERRIDES, list_response, one_response, to_wire
from maintrac.core import pm
from maintrac.core import work_orders as wo
from maintrac_contract import models


def _validated_one(obj: object, model: type[BaseModel]) -> bytes:
    """What ``one_response`` answered before the shapes: the model, validated and dumped."""
    return to_wire(obj, model).model_dump_json(by_alias=True).encode()


def _validated_page(items: list[Any], model: type[BaseModel], cursor: str | None) -> bytes:
    (item_model,) = model.model_fields["data"].annotation.__args__  # type: ignore[union-attr]
    getters = WIRE_OVERRIDES.get(item_model)
    data = items if getters is None else [responses._Overlay(i, getters) for i in items]
    envelope = {"data": data, "next_cursor": cursor, "has_more": cursor is not None}
    return (
        model.model_validate(envelope, from_attributes=True).model_dump_json(by_alias=True).encode()
    )


_OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-9, minutes=-30))]
)
_MOMENTS = st.builds(
    lambda moment, tz: moment.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9998, 12, 31)),  # noqa: DTZ001  # naive bounds, offset added below
    _OFFSETS,
)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
_HOURS = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2, allow_nan=False)

_WORK_ORDERS = st.builds(
    wo.WorkOrder,
    id=st.uuids(),
    number=st.integers(1, 2**53),
    title=_TEXT.filter(bool),
    description=st.none() | _TEXT,
    status=st.sampled_from(wo.Status),
    priority=st.sampled_from(wo.Priority),
    asset_id=st.none() | st.uuids(),
    assignee_id=st.none() | st.uuids(),
    task_code_id=st.none() | st.uuids(),
    gl_code_id=st.none() | st.uuids(),
    pm_plan_id=st.none() | st.uuids(),
    pm_occurrence=st.none() | st.integers(0, 2**31 - 1),
    estimated_hours=st.none() | _HOURS,
    actual_minutes=st.integers(0, 2**31 - 1),
    due_at=st.none() | _MOMENTS,
    completed_at=st.none() | _MOMENTS,
    version=st.integers(1, 2**53),
    created_at=_MOMENTS,
    updated_at=_MOMENTS,
)


@settings(max_examples=300, deadline=None)
@given(_WORK_ORDERS)
def test_a_work_order_is_written_as_the_model_writes_it(work_order: wo.WorkOrder) -> None:
    assert responses._shape_of(models.WorkOrder) is not None
    assert one_response(work_order, models.WorkOrder).body == _validated_one(
        work_order, models.WorkOrder
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(_WORK_ORDERS, max_size=8), st.none() | st.text("abcXYZ-_09", min_size=1))
def test_a_page_of_work_orders_is_written_as_the_envelope_writes_it(
    items: list[wo.WorkOrder], cursor: str | None
) -> None:
    response = list_response(items, models.WorkOrderPage, next_cursor=cursor, has_more=bool(cursor))
    assert response.body == _validated_page(items, models.WorkOrderPage, cursor)


def test_the_data_paths_values_as_psycopg_gives_them() -> None:
    """Decimal with trailing zeros, whole hours, microseconds, a null in every nullable."""
    created = datetime(2026, 11, 25, 9, 30, 0, 120000, tzinfo=UTC)
    work_order = wo.WorkOrder(
        id=uuid.UUID("0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d"),
        number=1042,
        title='Belt "3" \\ naïve 😀\x1f',
        description=None,
        status=wo.Status.ON_HOLD,
        priority=wo.Priority.URGENT,
        asset_id=None,
        assignee_id=None,
        task_code_id=None,
        gl_code_id=None,
        pm_plan_id=None,
        pm_occurrence=None,
        estimated_hours=Decimal("12.00"),
        actual_minutes=61,
        due_at=None,
        completed_at=None,
        version=1,
        created_at=created,
        updated_at=created,
    )
    body = one_response(work_order, models.WorkOrder).body
    assert body == _validated_one(work_order, models.WorkOrder)
    assert b'"estimatedHours":12.0,"actualHours":1.02,' in body
    assert b'"createdAt":"2026-11-25T09:30:00.120000Z"' in body


def test_overrides_apply_to_list_items_as_before() -> None:
    """PM occurrences: ``number`` is the wire's ``occurrence``, ``due_at`` shown in UTC."""
    paris = timezone(timedelta(hours=1))
    items = [
        pm.Occurrence(
            number=0,
            due_at=datetime(2026, 12, 1, 9, tzinfo=paris),
            due_meter=None,
            reason=pm.Reason.CALENDAR,
        ),
        pm.Occurrence(number=1, due_at=None, due_meter=Decimal("1500.50"), reason=pm.Reason.METER),
    ]
    assert responses._shape_of(models.PmOccurrencePage) is not None
    body = list_response(items, models.PmOccurrencePage, has_more=False).body
    assert body == _validated_page(items, models.PmOccurrencePage, None)
    assert b'"occurrence":0,"dueAt":"2026-12-01T08:00:00Z"' in body


@dataclass
class _Partial:
    """An object missing most of a work order's fields."""

    id: uuid.UUID


def test_an_object_that_does_not_fit_goes_the_validating_way() -> None:
    """No shape silently writes what the model would refuse: the same error as before."""
    with pytest.raises(Exception) as shaped:  # noqa: PT011  # whatever pydantic raises
        one_response(_Partial(uuid.uuid4()), models.WorkOrder)
    with pytest.raises(Exception) as validated:  # noqa: PT011
        _validated_one(_Partial(uuid.uuid4()), models.WorkOrder)
    assert type(shaped.value) is type(validated.value)


def test_models_only_pydantic_can_write_have_no_shape() -> None:
    assert responses._shape_of(responses.PmPlanOut) is None  # a field serializer
    assert responses._shape_of(responses.PmPlanPageOut) is None  # items of that
    assert responses._shape_of(models.WorkOrderEventPage) is None  # Any-typed changes


#: Every model the API can answer through a shape: overridden ones are tested above;
#: request bodies (``...Create``, report ``...Parameters``) are never answered.
_SHAPED = sorted(
    (
        m
        for m in vars(models).values()
        if isinstance(m, type)
        and issubclass(m, BaseModel)
        and m.__module__ == models.__name__
        and m not in WIRE_OVERRIDES
        and not m.__name__.endswith(("Create", "Parameters"))
        and responses._shape_of(m) is not None
    ),
    key=lambda m: m.__name__,
)


def _values(annotation: Any) -> st.SearchStrategy[Any]:  # noqa: PLR0911  # one per kind
    """Domain-like values for a field typed ``annotation``: nested models as plain objects
    read by attribute, float fields also as ``Decimal`` (what the repositories give)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in {typing.Union, types.UnionType}:
        return st.one_of([_values(a) for a in args])
    if origin is typing.Annotated:
        return _values(args[0])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(_values(args[0]), max_size=3)
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        return _values(annotation.model_fields["root"].annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {name: _values(info.annotation) for name, info in annotation.model_fields.items()}
        return st.fixed_dictionaries(fields).map(lambda kw: SimpleNamespace(**kw))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(annotation)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: _TEXT,
        int: st.integers(0, 2**53),
        bool: st.booleans(),
        float: st.floats(allow_nan=False, allow_infinity=False) | _HOURS | st.integers(0, 99),
        uuid.UUID: st.uuids(),
        AwareDatetime: _MOMENTS,
        datetime: _MOMENTS,
        date: st.dates(),
    }
    return simple[annotation]


@pytest.mark.parametrize("model", _SHAPED, ids=lambda m: m.__name__)
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_shaped_model_writes_what_pydantic_writes(
    model: type[BaseModel], data: st.DataObject
) -> None:
    """Whatever the validating path accepts, the shape writes byte for byte the same."""
    obj = data.draw(_values(model))
    try:
        expected = _validated_one(obj, model)
    except ValidationError:
        assume(False)  # the model refuses it (a constraint); no response to compare
    assert one_response(obj, model).body == expected
