"""The PM trigger as a ``oneOf`` on ``type`` accepts exactly what the released
``if``/``then`` schema accepted (the wire did not change; only its statement did), and a
meter trigger still requires its meter.

The old schema is written out here as it was released before the change; every
combination of trigger type (the four, a missing one, an unknown one) and present fields
(each of the six, or a wrong value for one, and a stray field) is checked against both.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.yaml"

_CALENDAR = ["calendar_fixed", "calendar_floating", "calendar_or_meter"]
_METER = ["meter", "calendar_or_meter"]
#: PmTrigger as released up to contract 1.x before the oneOf (an if/then per field set).
RELEASED: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type"],
    "allOf": [
        {
            "if": {"properties": {"type": {"enum": _CALENDAR}}, "required": ["type"]},
            "then": {"required": ["intervalCount", "intervalUnit", "anchorAt"]},
        },
        {
            "if": {"properties": {"type": {"enum": _METER}}, "required": ["type"]},
            "then": {"required": ["meterId", "meterInterval", "meterAnchor"]},
        },
    ],
    "properties": {
        "type": {"enum": ["calendar_fixed", "calendar_floating", "meter", "calendar_or_meter"]},
        "intervalCount": {"type": "integer", "minimum": 1, "maximum": 1000},
        "intervalUnit": {"type": "string", "enum": ["day", "week", "month", "year"]},
        "anchorAt": {"type": "string", "format": "date-time"},
        "meterId": {"type": "string", "format": "uuid"},
        "meterInterval": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000000000},
        "meterAnchor": {"type": "number", "minimum": -1e12, "maximum": 1e12},
    },
}
GOOD = {
    "intervalCount": 3,
    "intervalUnit": "week",
    "anchorAt": "2026-12-01T08:00:00Z",
    "meterId": "0193a3c4-7f1e-7c2a-9b0d-000000000040",
    "meterInterval": 500,
    "meterAnchor": 0,
}
BAD = {
    "intervalCount": 0,
    "intervalUnit": "fortnight",
    "anchorAt": 5,
    "meterId": None,
    "meterInterval": 0,
    "meterAnchor": "1500",
}
TYPES = [None, "calendar_fixed", "calendar_floating", "meter", "calendar_or_meter", "hourly"]


def _current() -> Draft202012Validator:
    spec = yaml.safe_load(SPEC.read_text())
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    return Draft202012Validator(
        {"$ref": "urn:spec#/components/schemas/PmTrigger"}, registry=registry
    )


def _instances() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for kind in TYPES:
        base = {} if kind is None else {"type": kind}
        for n in range(len(GOOD) + 1):
            for names in itertools.combinations(GOOD, n):
                fields = {name: GOOD[name] for name in names}
                out.append({**base, **fields})
                if names:
                    out.append({**base, **fields, names[0]: BAD[names[0]]})
        out.append({**base, **GOOD, "every": "month"})
    return out


def test_the_oneof_accepts_what_the_released_schema_accepted() -> None:
    released, current = Draft202012Validator(RELEASED), _current()
    instances = _instances()
    differ = [i for i in instances if released.is_valid(i) != current.is_valid(i)]
    assert differ == []
    accepted = sum(current.is_valid(i) for i in instances)
    assert 20 < accepted < len(instances) / 4  # both outcomes are well represented


@pytest.mark.parametrize(
    ("trigger", "valid"),
    [
        ({"type": "meter", "meterInterval": 500, "meterAnchor": 0}, False),
        ({"type": "meter", **GOOD}, True),
        ({"type": "calendar_fixed", "intervalCount": 1, "intervalUnit": "day"}, False),
    ],
)
def test_a_meter_trigger_requires_its_meter(trigger: dict[str, Any], valid: bool) -> None:
    assert _current().is_valid(trigger) is valid
