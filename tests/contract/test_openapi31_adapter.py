"""The OpenAPI 3.1 adapter (``maintrac.api.openapi31``) with real objects, and the served
document.

The adapter makes Connexion 3.3 (a 3.0 / Draft 4 library) accept the hand-written 3.1
document and validate requests with JSON Schema 2020-12 and real format checks. These tests
pin exactly the places where 3.1 / 2020-12 differ from what Connexion would do on its own.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import connexion
import httpx
import pytest
import yaml
from connexion.exceptions import InvalidSpecification
from connexion.resolver import Resolver
from jsonschema import Draft202012Validator, ValidationError
from starlette.testclient import TestClient

from maintrac.api import openapi31
from maintrac.api.contract import Contract
from maintrac.api.openapi31 import (
    FORMAT_CHECKER,
    NUL_DETAIL,
    OpenAPI31Specification,
    RequestValidationFailed,
    body_errors,
    describe,
)
from maintrac.api.problems import validation_error_handler
from maintrac.core.text import NO_NUL_PATTERN, NOT_BLANK_PATTERN

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE = ROOT / "openapi" / "openapi.yaml"

UUID = "0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d"


def minimal_doc() -> dict[str, Any]:
    """The smallest useful 3.1 document: one query parameter, one JSON body."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1.0.0"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 10},
                        },
                        {
                            "name": "ownerId",
                            "in": "query",
                            "schema": {"type": "string", "format": "uuid"},
                        },
                    ],
                    "responses": {"200": {"description": "Things."}},
                },
                "post": {
                    "operationId": "createThing",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ThingCreate"}
                            }
                        },
                    },
                    "responses": {"201": {"description": "Created."}},
                },
            }
        },
        "components": {
            "schemas": {
                "ThingCreate": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind"],
                    "properties": {
                        "kind": {"const": "widget"},
                        "note": {"type": ["string", "null"]},
                    },
                }
            }
        },
    }


# ------------------------------------------------------------------ specification


def test_accepts_the_projects_document() -> None:
    spec = OpenAPI31Specification(yaml.safe_load(SPEC_FILE.read_bytes()))
    assert str(spec.raw["openapi"]).startswith("3.1.")
    assert spec.base_path == "/v1"


def test_accepts_a_minimal_31_document() -> None:
    spec = OpenAPI31Specification(minimal_doc())
    assert spec.get_operation("/things", "get")["operationId"] == "listThings"
    # References are resolved, as Connexion's own specification class does.
    body = spec.get_operation("/things", "post")["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["kind"]


def test_refuses_a_30_document() -> None:
    doc = minimal_doc()
    doc["openapi"] = "3.0.3"
    with pytest.raises(InvalidSpecification, match=r"expected an OpenAPI 3\.1 document"):
        OpenAPI31Specification(doc)


def _broken(change: str) -> dict[str, Any]:
    doc = minimal_doc()
    get = doc["paths"]["/things"]["get"]
    if change == "empty responses":
        get["responses"] = {}
    elif change == "response without description":
        get["responses"]["200"] = {}
    elif change == "undeclared path parameter":
        doc["paths"]["/things/{thingId}"] = {"get": {"responses": {"200": {"description": "x"}}}}
    elif change == "info without version":
        del doc["info"]["version"]
    elif change == "reference to nowhere":
        get["responses"]["200"]["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}
        }
    else:  # pragma: no cover
        raise AssertionError(change)
    return doc


@pytest.mark.parametrize(
    "change",
    [
        "empty responses",
        "response without description",
        "undeclared path parameter",
        "info without version",
        "reference to nowhere",
    ],
)
def test_refuses_a_broken_31_document(change: str) -> None:
    with pytest.raises(InvalidSpecification):
        OpenAPI31Specification(_broken(change))


def test_31_allows_an_operation_without_responses() -> None:
    # OpenAPI 3.1 made `responses` optional on an operation (3.0 required it).
    doc = minimal_doc()
    del doc["paths"]["/things"]["get"]["responses"]
    OpenAPI31Specification(doc)


# ------------------------------------------------------------------ body_errors


def errors(schema: dict[str, Any], instance: Any) -> list[tuple[str, str]]:
    return [(e["pointer"], e["detail"]) for e in body_errors(schema, instance)]


NULLABLE_STRING = {"type": ["string", "null"], "maxLength": 3}


def test_type_list_with_null() -> None:
    assert errors(NULLABLE_STRING, None) == []
    assert errors(NULLABLE_STRING, "abc") == []
    assert errors(NULLABLE_STRING, 5) == [("", "Must be a string or null.")]
    assert errors(NULLABLE_STRING, "abcd") == [("", "Must be at most 3 characters long.")]


def test_format_uuid_is_checked() -> None:
    schema = {"type": "string", "format": "uuid"}
    assert errors(schema, UUID) == []
    assert errors(schema, UUID.upper()) == []
    for bad in ("not-a-uuid", UUID[:-1], UUID + "0", "0193a3c47f1e7c2a9b0d3f6e2a1b4c5g"):
        assert errors(schema, bad) == [("", "Must be a valid uuid.")], bad


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2026-12-01T10:00:00Z", True),
        ("2026-12-01T10:00:00+02:00", True),
        ("2026-12-01T10:00:00.123456-05:30", True),
        ("2026-12-01t10:00:00z", True),  # RFC 3339 allows lower case
        ("2026-12-01T10:00:00", False),  # naive: no offset
        ("2026-12-01 10:00:00", False),
        ("2026-12-01", False),
        ("2026-13-01T10:00:00Z", False),
        ("tomorrow", False),
    ],
)
def test_format_date_time_needs_an_offset(value: str, valid: bool) -> None:
    schema = {"type": "string", "format": "date-time"}
    expected = [] if valid else [("", "Must be a valid date-time.")]
    assert errors(schema, value) == expected


def test_const() -> None:
    assert errors({"const": "widget"}, "widget") == []
    assert errors({"const": "widget"}, "gadget") == [("", 'Must be "widget".')]
    assert errors({"const": 3}, 3) == []
    assert errors({"const": {"a": [1]}}, {"a": [2]}) == [("", 'Must be {"a": [1]}.')]


def test_prefix_items() -> None:
    pair = {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]}
    assert errors(pair, [1, "a"]) == []
    assert errors(pair, [1, "a", None]) == []  # `items` not given: more items are fine
    assert errors(pair, ["a", 1]) == [("/0", "Must be an integer."), ("/1", "Must be a string.")]


def test_errors_in_nested_members_point_at_each_member() -> None:
    schema = {
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["qty"],
                    "properties": {"qty": {"type": "integer", "maximum": 3}},
                },
            }
        },
    }
    assert errors(schema, {"lines": [{"qty": 5}, {}, {"qty": 1}]}) == [
        ("/lines/0/qty", "Must be at most 3."),
        ("/lines/1/qty", "Is required."),
    ]


SLASH_TILDE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["a/b", "c~d", "plain"],
    "properties": {"a/b": {}, "c~d": {}, "plain": {}},
}


def test_required_points_at_each_missing_member() -> None:
    # RFC 6901: "~" is written "~0" and "/" is written "~1".
    assert errors(SLASH_TILDE, {"plain": 1}) == [
        ("/a~1b", "Is required."),
        ("/c~0d", "Is required."),
    ]
    nested = {"type": "object", "properties": {"x/y": SLASH_TILDE}}
    assert errors(nested, {"x/y": {"a/b": 1, "c~d": 2}}) == [("/x~1y/plain", "Is required.")]


def test_additional_properties_point_at_each_unexpected_member() -> None:
    body = {"a/b": 1, "c~d": 2, "plain": 3, "~1": 4, "e/~f": 5}
    assert errors(SLASH_TILDE, body) == [
        ("/~01", "Is not a field of this object."),
        ("/e~1~0f", "Is not a field of this object."),
    ]


def test_additional_properties_spares_pattern_properties() -> None:
    # A member that `patternProperties` allows is not an unexpected member.
    schema = {
        "type": "object",
        "properties": {"a": {}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": False,
    }
    assert errors(schema, {"a": 1, "x-note": "ok"}) == []
    assert errors(schema, {"a": 1, "x-note": "ok", "b": 2}) == [
        ("/b", "Is not a field of this object.")
    ]


def test_every_failed_field_is_reported_once() -> None:
    schema = {
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "pattern": NOT_BLANK_PATTERN},
            "dueAt": {"type": ["string", "null"], "format": "date-time"},
        },
    }
    assert errors(schema, {"title": "", "dueAt": "2026-12-01T10:00:00"}) == [
        ("/dueAt", "Must be a valid date-time."),
        ("/title", "Must not be empty."),
        ("/title", "Must not be blank."),
    ]


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        # The 3.0-style nullable: the failure is the uuid, not "must be null".
        (
            {
                "properties": {
                    "a": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}
                }
            },
            {"a": "x"},
            [("/a", "Must be a valid uuid.")],
        ),
        (
            {"oneOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]},
            "abcd",
            [("", "Must be at most 2 characters long.")],
        ),
        ({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]}, 7, []),
    ],
)
def test_any_of_and_one_of_report_the_branch_of_the_values_type(
    schema: dict[str, Any], instance: Any, expected: list[tuple[str, str]]
) -> None:
    assert errors(schema, instance) == expected


# ------------------------------------------------------------------ describe


def first_error(schema: dict[str, Any], instance: Any) -> ValidationError:
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    found = list(validator.iter_errors(instance))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("schema", "instance", "message"),
    [
        ({"type": "string"}, 1, "Must be a string."),
        ({"type": "integer"}, "1", "Must be an integer."),
        ({"type": "object"}, [], "Must be an object."),
        ({"type": "array"}, {}, "Must be an array."),
        ({"type": "boolean"}, 0, "Must be a boolean."),
        ({"type": "number"}, None, "Must be a number."),
        ({"type": ["integer", "null"]}, "x", "Must be an integer or null."),
        ({"type": ["string", "array"]}, 1, "Must be a string or an array."),
        ({"maximum": 200}, 201, "Must be at most 200."),
        ({"minimum": 1}, 0, "Must be at least 1."),
        ({"exclusiveMaximum": 5}, 5, "Must be less than 5."),
        ({"exclusiveMinimum": 0}, 0, "Must be greater than 0."),
        ({"maxLength": 200}, "x" * 201, "Must be at most 200 characters long."),
        ({"maxLength": 1}, "xy", "Must be at most 1 character long."),
        ({"minLength": 1}, "", "Must not be empty."),
        ({"minLength": 3}, "ab", "Must be at least 3 characters long."),
        ({"maxItems": 5}, [1] * 6, "Must have at most 5 items."),
        ({"maxItems": 1}, [1, 2], "Must have at most 1 item."),
        ({"minItems": 2}, [1], "Must have at least 2 items."),
        ({"uniqueItems": True}, [1, 1], "Must not repeat items."),
        ({"format": "uuid"}, "x", "Must be a valid uuid."),
        ({"format": "date-time"}, "x", "Must be a valid date-time."),
        ({"const": "v1"}, "v2", 'Must be "v1".'),
        ({"const": None}, 0, "Must be null."),
        ({"minProperties": 1}, {}, "Must have at least 1 field."),
        ({"maxProperties": 2}, {"a": 1, "b": 2, "c": 3}, "Must have at most 2 fields."),
        ({"additionalProperties": False}, {"x": 1}, "Is not a field of this object."),
        ({"required": ["a"]}, {}, "Is required."),
        ({"pattern": NOT_BLANK_PATTERN}, "   ", "Must not be blank."),
        ({"pattern": NOT_BLANK_PATTERN}, "a\x00b", NUL_DETAIL),
        ({"pattern": NOT_BLANK_PATTERN}, " \x00 ", NUL_DETAIL),
        ({"pattern": NO_NUL_PATTERN}, "a\x00", NUL_DETAIL),
        ({"pattern": "^[A-Z]{3}$"}, "ab", "Must match ^[A-Z]{3}$."),
        ({"enum": ["low", "high"]}, "mid", "Must be one of: low, high."),
        ({"enum": [1, None]}, 2, "Must be one of: 1, None."),
        # Keywords without a sentence of their own.
        ({"not": {"type": "string"}}, "x", "Is not valid here."),
        ({"multipleOf": 5}, 7, "Is not valid here."),
    ],
)
def test_describe(schema: dict[str, Any], instance: Any, message: str) -> None:
    assert describe(first_error(schema, instance)) == message


def test_describe_does_not_echo_the_value() -> None:
    secret = "s3cr3t-value-" + "x" * 300
    message = describe(first_error({"maxLength": 10}, secret))
    assert secret not in message
    assert "s3cr3t" not in message


# ------------------------------------------------------------------ add_api, end to end


def things_app() -> connexion.AsyncApp:
    def list_things(limit: int | None = None, owner_id: str | None = None) -> dict[str, Any]:
        return {"limit": limit, "ownerId": owner_id}

    def create_thing(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        return body, 201

    handlers = {"listThings": list_things, "createThing": create_thing}
    app = connexion.AsyncApp(__name__)
    openapi31.add_api(
        app,
        minimal_doc(),
        resolver=Resolver(function_resolver=handlers.__getitem__),
        pythonic_params=True,
        strict_validation=True,
    )
    # Problem formatting is registered by maintrac.api.app for the real app; the same here.
    app.add_error_handler(RequestValidationFailed, validation_error_handler)
    return app


@pytest.fixture(scope="module")
def things() -> Any:
    with TestClient(things_app()) as client:
        yield client


def test_add_api_serves_valid_requests(things: TestClient) -> None:
    response = things.get("/things", params={"limit": 3, "ownerId": UUID})
    assert response.status_code == 200, response.text
    assert response.json() == {"limit": 3, "ownerId": UUID}


@pytest.mark.parametrize(
    ("query", "pointer", "detail"),
    [
        ({"limit": "0"}, "#/query/limit", "Must be at least 1."),
        ({"limit": "11"}, "#/query/limit", "Must be at most 10."),
        ({"limit": "many"}, "#/query/limit", "Must be an integer."),
        # Draft 4, Connexion's own validator, does not check `format: uuid` at all.
        ({"ownerId": "42"}, "#/query/ownerId", "Must be a valid uuid."),
        ({"color": "red"}, "#/query/color", "Is not a parameter."),
    ],
)
def test_add_api_bad_query_parameter_is_a_400_problem(
    things: TestClient, query: dict[str, str], pointer: str, detail: str
) -> None:
    response = things.get("/things", params=query)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_parameter"
    assert problem["status"] == 400
    assert problem["errors"] == [{"pointer": pointer, "detail": detail}]
    name = pointer.rsplit("/", 1)[-1]
    assert problem["detail"] == f"Query parameter '{name}': {detail}"


def test_add_api_reports_every_bad_parameter(things: TestClient) -> None:
    response = things.get("/things", params={"limit": "0", "ownerId": "x"})
    assert response.status_code == 400
    problem = response.json()
    assert [e["pointer"] for e in problem["errors"]] == ["#/query/limit", "#/query/ownerId"]
    assert problem["detail"].endswith("(1 more in 'errors')")


def test_add_api_reports_a_path_level_parameter_once() -> None:
    # A path-level parameter, and operations with parameters of their own: Connexion's
    # OpenAPIOperation appends the path-level list to the operation's own list in place
    # (``self._parameters += path_parameters``), once per middleware that builds the
    # operation, so the validator must not count one parameter several times.
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1.0.0"},
        "paths": {
            "/things/{thingId}": {
                "parameters": [{"$ref": "#/components/parameters/ThingId"}],
                "get": {"operationId": "getThing", "responses": {"200": {"description": "x"}}},
                "delete": {
                    "operationId": "deleteThing",
                    "parameters": [{"$ref": "#/components/parameters/IfMatch"}],
                    "responses": {"204": {"description": "x"}},
                },
            }
        },
        "components": {
            "parameters": {
                "ThingId": {
                    "name": "thingId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                },
                "IfMatch": {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
            }
        },
    }

    def get_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    def delete_thing(thing_id: str) -> tuple[str, int]:
        return "", 204

    handlers = {"getThing": get_thing, "deleteThing": delete_thing}
    app = connexion.AsyncApp(__name__)
    openapi31.add_api(app, doc, resolver=Resolver(function_resolver=handlers.__getitem__))
    app.add_error_handler(RequestValidationFailed, validation_error_handler)
    with TestClient(app) as client:
        for method in ("GET", "DELETE"):
            response = client.request(method, "/things/nope")
            assert response.status_code == 400, response.text
            assert response.json()["errors"] == [
                {"pointer": "#/path/thingId", "detail": "Must be a valid uuid."}
            ], method
            assert response.json()["detail"] == "Path parameter 'thingId': Must be a valid uuid."


def test_add_api_validates_bodies_with_2020_12(things: TestClient) -> None:
    created = things.post("/things", json={"kind": "widget", "note": None})
    assert created.status_code == 201, created.text
    # `const` is not a Draft 4 keyword: Connexion alone would accept this body.
    refused = things.post("/things", json={"kind": "gadget", "note": 5, "extra": 1})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [
        {"pointer": "/extra", "detail": "Is not a field of this object."},
        {"pointer": "/kind", "detail": 'Must be "widget".'},
        {"pointer": "/note", "detail": "Must be a string or null."},
    ]
    assert problem["detail"] == (
        "The request body has 3 invalid fields: /extra is not a field of this object."
    )


def test_add_api_malformed_and_missing_bodies_are_400(things: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    garbled = things.post("/things", content=b'{"kind": ', headers=headers)
    assert garbled.status_code == 400
    assert garbled.json()["code"] == "malformed_body"
    assert garbled.json()["detail"].startswith("The request body is not valid JSON (line 1")
    empty = things.post("/things", content=b"", headers=headers)
    assert empty.status_code == 400
    assert empty.json()["detail"] == "A JSON request body is required."


def test_add_api_refuses_a_30_document() -> None:
    doc = minimal_doc()
    doc["openapi"] = "3.0.3"
    with pytest.raises(InvalidSpecification):
        openapi31.add_api(connexion.AsyncApp(__name__), doc)


def test_add_api_after_start_is_an_error() -> None:
    app = things_app()
    with TestClient(app) as client:
        assert client.get("/things").status_code == 200
        with pytest.raises(RuntimeError, match="after the application has started"):
            openapi31.add_api(app, copy.deepcopy(minimal_doc()))


# ------------------------------------------------------------------ the served document


def test_served_json_is_the_yaml_document(http: httpx.Client) -> None:
    response = http.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.content) == yaml.safe_load(SPEC_FILE.read_bytes())


def test_served_yaml_is_the_file_byte_for_byte(http: httpx.Client) -> None:
    response = http.get("/v1/openapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert response.content == SPEC_FILE.read_bytes()


def test_swagger_ui_is_served_without_a_token(http: httpx.Client) -> None:
    response = http.get("/v1/docs/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in response.text
    assert '"/v1/openapi.json"' in response.text
    config = http.get("/v1/docs/swagger-ui-config.json")
    assert config.status_code == 200
    assert config.json()["url"] == "/v1/openapi.json"


# ------------------------------------------------------------- U+0000 in the contract

#: Formats whose values cannot hold U+0000 whatever the pattern says.
_NUL_FREE_FORMATS = {"uuid", "date-time", "date", "binary"}


def _request_strings(contract: Contract) -> list[tuple[str, Mapping[str, Any], Any]]:
    """Every string schema a request may carry in its query, path or body, with where it
    is and an example value: (where, schema, example)."""
    found: list[tuple[str, Mapping[str, Any], Any]] = []
    seen: set[int] = set()

    def walk(node: Any, where: str, example: Any = None) -> None:
        node = contract.resolve(node) if isinstance(node, Mapping) else node
        if not isinstance(node, Mapping) or id(node) in seen:
            return
        seen.add(id(node))
        types = node.get("type")
        if "string" in (types if isinstance(types, list) else [types]):
            found.append((where, node, node.get("example", example)))
        for key in ("properties", "patternProperties"):
            for name, member in (node.get(key) or {}).items():
                walk(member, f"{where}/{name}")
        for key in ("items", "additionalProperties"):
            walk(node.get(key), f"{where}/{key}")
        for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
            for index, member in enumerate(node.get(key) or []):
                walk(member, f"{where}/{key}/{index}")

    for operation in contract:
        document = contract.operation_object(operation)
        shared = contract.spec["paths"][operation.path].get("parameters", [])
        for each in [*shared, *document.get("parameters", [])]:
            parameter = contract.resolve(each)
            if parameter["in"] != "header":  # HTTP header values cannot hold U+0000
                where = f"{operation.operation_id} {parameter['in']} {parameter['name']}"
                walk(parameter.get("schema", {}), where, parameter.get("example"))
        for media in contract.resolve(document.get("requestBody", {})).get("content", {}).values():
            walk(media.get("schema", {}), f"{operation.operation_id} body")
    return found


def test_every_request_string_refuses_nul_in_the_contract_as_the_server_does() -> None:
    """The server refuses U+0000 in every string (PostgreSQL cannot store it), so a schema
    that allows it makes a schema-valid request the server rejects (Schemathesis ST202,
    CI seed 959376300: an e-mail ending in U+0000). Each request string's own example with
    U+0000 added at the start, middle or end must fail its schema."""
    allowing = []
    checked = 0
    for where, schema, given in _request_strings(Contract.load(SPEC_FILE)):
        if "enum" in schema or "const" in schema or schema.get("format") in _NUL_FREE_FORMATS:
            continue
        validator = Draft202012Validator({k: v for k, v in schema.items() if k != "type"})
        example = given if isinstance(given, str) else "text"
        if not validator.is_valid(example):
            # No example the schema accepts: only an anchored pattern of listed characters
            # (no negated class, no '.') shows, without one, that U+0000 cannot match.
            pattern = schema.get("pattern", "")
            listed = pattern.startswith("^") and pattern.endswith("$")
            if not listed or "[^" in pattern or re.search(r"(?<!\\)\.", pattern):
                allowing.append(f"{where}: no example it accepts to check U+0000 with")
            checked += 1
            continue
        middle = len(example) // 2
        for nul in (
            "\x00" + example,
            example[:middle] + "\x00" + example[middle:],
            example + "\x00",
        ):
            if validator.is_valid(nul):
                allowing.append(f"{where}: {nul!r}")
        checked += 1
    assert checked > 50
    assert allowing == []
