"""Domain -> wire, in one place: JSON responses from the generated contract models.

A handler hands a ``core`` object (or a ``core.pagination.Page`` of them) and the wire
model to ``one_response`` / ``page_response``; the model reads the object's attributes by
field name in one validating pass (``from_attributes``), and is serialized once. Where
the domain and the wire differ (a PM plan's ``schedule`` is the contract's ``trigger``,
a PM occurrence's ``number`` its ``occurrence``), the difference is declared once, in
``WIRE_OVERRIDES``; everything else (enums by value, ``Decimal`` as a JSON number, UUIDs,
timestamps) is the models' own lax conversion.

The models are the shape; serializing through them is not the cheapest way to get the
bytes. Each wire model is compiled once (``_shape_of``) into a ``_Shape``: its JSON keys
in field order, read by attribute name (or an override's getter), and a converter only
where the wire value is not the domain value as ``orjson`` writes it (a ``float`` field
from a ``Decimal`` or ``int``, a nested model, a list of them), generated as one dict
display per model (``_compile``). The response is
then one ``orjson.dumps`` of plain dicts, byte for byte what the model's
``model_dump_json(by_alias=True)`` writes for the same object (tests/api/
test_wire_bytes.py compares the two). A model the compiler does not know how to mirror
exactly (a field or model serializer, ``Any``, a union of models) has no shape and is
answered through pydantic as before; so is any object that does not fit its shape (a
missing attribute, a value orjson does not take): ``WireMismatch`` falls back to the
validating path, which answers what it always answered.

Handlers return ConnexionResponse objects (not dicts): an operation that declares both
``application/json`` and ``application/problem+json`` makes Connexion refuse to guess the
content type of a bare dict (connexion#1956).
"""

from __future__ import annotations

import enum
import functools
import keyword
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, Literal, TypeVar

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import AwareDatetime, BaseModel, RootModel, field_serializer

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
    shape = _shape_of(model)
    if shape is not None:
        try:
            body = orjson.dumps(shape.dump(obj), option=_ORJSON)
        except _MISFITS:
            pass
        else:
            return _json(body, status, _headers(None, version, location))
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
    shape = _shape_of(model)
    if shape is not None:
        source = {"data": items, "next_cursor": next_cursor, "has_more": has_more}
        try:
            body = orjson.dumps(shape.dump_mapping(source), option=_ORJSON)
        except _MISFITS:
            pass
        else:
            return _json(body, 200, {})
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
    body = model.model_dump_json(by_alias=True).encode()
    return _json(body, status, _headers(headers, version, location))


def _headers(
    headers: dict[str, str] | None, version: int | None, location: str | None
) -> dict[str, str]:
    out = dict(headers or {})
    if version is not None:
        out["ETag"] = etag(version)
    if location is not None:
        out["Location"] = location
    return out


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


# ------------------------------------------------------------------ compiled wire shapes

#: Aware timestamps at offset zero end in ``Z``, as pydantic writes them.
_ORJSON = orjson.OPT_UTC_Z

#: Values that answer as themselves: orjson writes them as the model would (UUIDs
#: hyphenated, enums by value, timestamps ISO 8601 with ``Z``, dates ISO 8601).
_AS_IS: frozenset[Any] = frozenset(
    {str, int, bool, type(None), uuid.UUID, datetime, AwareDatetime, date}
)

#: One value of a field on its way to the wire; None: the value is written as it is.
Convert = Callable[[Any], Any] | None


class WireMismatch(Exception):
    """The object does not fit the compiled shape; the validating path answers instead."""


#: What a shape raises when an object does not fit it (orjson raises TypeError on a type
#: it does not write, attrgetter AttributeError on a missing attribute).
_MISFITS = (WireMismatch, TypeError, AttributeError, KeyError, orjson.JSONEncodeError)


@dataclass(frozen=True, slots=True)
class _Shape:
    """A wire model compiled: its JSON keys in field order, how to read the fields off a
    domain object (or a mapping), and the converter of each field that needs one, as
    ``from_object`` and ``from_mapping``, generated per model (``_compile``), as one
    dict display each: a page of 50 work orders spent more time in a generic loop over
    fields and converters than orjson spent writing it."""

    from_object: Callable[[Any], dict[str, Any]]
    from_mapping: Callable[[Mapping[str, Any]], dict[str, Any]]

    def dump(self, obj: Any) -> dict[str, Any]:
        if isinstance(obj, Mapping):
            return self.from_mapping(obj)
        return self.from_object(obj)

    def dump_mapping(self, source: Mapping[str, Any]) -> dict[str, Any]:
        return self.from_mapping(source)


def _compile(
    keys: Sequence[str],
    names: Sequence[str],
    getters: Mapping[int, Getter],
    converters: Mapping[int, Callable[[Any], Any]],
) -> tuple[Callable[[Any], dict[str, Any]], Callable[[Mapping[str, Any]], dict[str, Any]]]:
    """``(from_object, from_mapping)``: field ``i`` is read as ``obj.<name>`` (or through
    ``getters[i]``) or ``source[name]``, and, unless None, passed through ``converters[i]``.
    Missing attributes raise AttributeError and missing keys KeyError, as before."""
    namespace: dict[str, Any] = {}
    object_items, mapping_items = [], []
    for index, (key, name) in enumerate(zip(keys, names, strict=True)):
        if not name.isidentifier() or keyword.iskeyword(name):
            raise WireMismatch(f"field {name!r} is not an attribute name")
        read = f"obj.{name}"
        if index in getters:
            namespace[f"get_{index}"] = getters[index]
            read = f"get_{index}(obj)"
        looked_up = f"source[{name!r}]"
        if index in converters:
            namespace[f"convert_{index}"] = converters[index]
            read = f"(None if (v := {read}) is None else convert_{index}(v))"
            looked_up = f"(None if (v := {looked_up}) is None else convert_{index}(v))"
        object_items.append(f"{key!r}: {read}")
        mapping_items.append(f"{key!r}: {looked_up}")
    source = (
        f"def from_object(obj):\n    return {{{', '.join(object_items)}}}\n"
        f"def from_mapping(source):\n    return {{{', '.join(mapping_items)}}}\n"
    )
    exec(source, namespace)  # noqa: S102  # generated from the model's own fields
    return namespace["from_object"], namespace["from_mapping"]


@functools.cache
def _shape_of(model: type[BaseModel], *, top: bool = True) -> _Shape | None:
    """``model`` compiled, or None when it has something only pydantic can write.

    ``WIRE_OVERRIDES`` apply where the validating path applies them: to the model a
    handler names (``top``) and to the items of its ``data`` list; a model nested deeper
    is read by field name."""
    if _has_serializers(model) or issubclass(model, RootModel):
        return None
    overrides = WIRE_OVERRIDES.get(model, {}) if top else {}
    keys: list[str] = []
    names: list[str] = []
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for index, (name, info) in enumerate(model.model_fields.items()):
        if info.exclude:
            return None
        try:
            convert = _converter(info.annotation, items_overridden=top and name == "data")
        except WireMismatch:
            return None
        keys.append(info.serialization_alias or info.alias or name)
        names.append(name)
        if convert is not None:
            converters.append((index, convert))
    if not names:
        return None
    getters = {i: overrides[name] for i, name in enumerate(names) if overrides.get(name)}
    try:
        from_object, from_mapping = _compile(keys, names, getters, dict(converters))
    except WireMismatch:
        return None
    return _Shape(from_object, from_mapping)


def _has_serializers(model: type[BaseModel]) -> bool:
    decorators = model.__pydantic_decorators__
    return bool(
        decorators.field_serializers or decorators.model_serializers or decorators.computed_fields
    )


def _to_float(value: Any) -> float:
    if isinstance(value, bool):  # pydantic refuses a bool as a float; so must we
        raise WireMismatch("bool for a float field")
    return float(value)


def _converter(  # noqa: PLR0911, PLR0912  # one case per kind of type
    annotation: Any, *, items_overridden: bool = False
) -> Convert:
    """How a value of a field typed ``annotation`` reaches the wire; WireMismatch when
    only pydantic knows (then the whole model goes through pydantic). ``items_overridden``:
    the items of this list are read through their model's overrides."""
    origin = typing.get_origin(annotation)
    if origin in {typing.Union, types.UnionType}:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            raise WireMismatch("a union of several types")
        return _converter(members[0], items_overridden=items_overridden)
    if origin is typing.Annotated:
        return _converter(typing.get_args(annotation)[0], items_overridden=items_overridden)
    if origin is Literal:
        if all(isinstance(v, str) for v in typing.get_args(annotation)):
            return None
        raise WireMismatch("a non-text literal")
    if origin is list:
        (item,) = typing.get_args(annotation)
        convert = _converter(item, items_overridden=items_overridden)
        if convert is None:
            return list
        return lambda values: [None if v is None else convert(v) for v in values]
    if annotation in _AS_IS:
        return None
    if annotation is float:
        return _to_float
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return None
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        return _converter(annotation.model_fields["root"].annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        shape = _shape_of(annotation, top=items_overridden)
        if shape is None:
            raise WireMismatch("a nested model without a shape")
        return shape.dump
    raise WireMismatch(f"no wire shape for {annotation!r}")
