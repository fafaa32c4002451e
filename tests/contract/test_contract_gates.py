"""The contract gates of ``make check``: the breaking-change differ
(``scripts/contract_diff.py``) and the lint (``scripts/contract_lint.py``: Spectral with
``.spectral.yaml`` and ``tools/contract/lint-exceptions.yaml``).

The differ is pure Python: each kind of break is a deliberate edit of the released contract
that must fail with a message naming it, and each additive edit must pass. The lint tests
run the real Spectral from ``tools/contract/node_modules`` (``make contract-tools``); they
are skipped when it is not installed, except in CI, where that is a failure.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from scripts import contract_diff, contract_lint
from scripts.contract_diff import Finding

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "openapi.yaml"
BASELINE = ROOT / "openapi" / "released" / "v1.yaml"

Spec = dict[str, Any]
Edit = Callable[[Spec], object]


@pytest.fixture(scope="module")
def baseline() -> Spec:
    return contract_diff.load(BASELINE)


def _schemas(spec: Spec) -> Spec:
    schemas: Spec = spec["components"]["schemas"]
    return schemas


def _op(spec: Spec, path: str, method: str) -> Spec:
    operation: Spec = spec["paths"][path][method]
    return operation


def _edited(spec: Spec, edit: Edit) -> Spec:
    changed = copy.deepcopy(spec)
    edit(changed)
    return changed


def _breaks(base: Spec, edit: Edit) -> list[Finding]:
    return contract_diff.breaking(contract_diff.diff(base, _edited(base, edit)))


# ------------------------------------------------------------------------------- the differ
def test_the_working_spec_does_not_break_the_released_contract(baseline: Spec) -> None:
    assert contract_diff.breaking(contract_diff.diff(baseline, contract_diff.load(SPEC))) == []


def test_an_unchanged_contract_has_no_changes(baseline: Spec) -> None:
    assert contract_diff.diff(baseline, copy.deepcopy(baseline)) == []


def _remove_required(schema: Spec, name: str) -> None:
    schema["properties"].pop(name)
    schema["required"].remove(name)


def _param(op: Spec, name: str) -> Spec:
    found: Spec = next(p for p in op["parameters"] if p.get("name") == name)
    return found


def _add_param(op: Spec, param: Spec) -> None:
    op.setdefault("parameters", []).append(param)


# (kind, where, words of the message, edit)
BREAKS: list[tuple[str, str, str, Edit]] = [
    (
        "path-removed",
        "/v1/meters/{meterId}/readings",
        "path removed",
        lambda s: s["paths"].pop("/meters/{meterId}/readings"),
    ),
    (
        "operation-removed",
        "DELETE /v1/work-orders/{workOrderId}",
        "deleteWorkOrder removed",
        lambda s: s["paths"]["/work-orders/{workOrderId}"].pop("delete"),
    ),
    (
        "response-field-removed",
        "WorkOrder.actualHours",
        "field removed",
        lambda s: _remove_required(_schemas(s)["WorkOrder"], "actualHours"),
    ),
    (
        "response-field-optional",
        "Meter.unit",
        "'unit' is no longer required",
        lambda s: _schemas(s)["Meter"]["required"].remove("unit"),
    ),
    (
        "enum-value-removed",
        "WorkOrderStatus",
        'enum value "on_hold" removed',
        lambda s: _schemas(s)["WorkOrderStatus"]["enum"].remove("on_hold"),
    ),
    (
        "enum-value-removed",
        "Reading.source",
        'enum value "import" removed',
        lambda s: _schemas(s)["Reading"]["properties"]["source"]["enum"].remove("import"),
    ),
    (
        "request-field-required",
        "WorkOrderCreate.priority",
        "'priority' is now required",
        lambda s: _schemas(s)["WorkOrderCreate"]["required"].append("priority"),
    ),
    (
        "request-field-required",
        "MeterCreate.serial",
        "new required field 'serial'",
        lambda s: (
            _schemas(s)["MeterCreate"]["properties"].update(serial={"type": "string"}),
            _schemas(s)["MeterCreate"]["required"].append("serial"),
        ),
    ),
    (
        "request-field-removed",
        "UserCreate.externalId",
        "gets 422",
        lambda s: _schemas(s)["UserCreate"]["properties"].pop("externalId"),
    ),
    (
        "required-parameter-added",
        "GET /v1/work-orders query parameter 'siteId'",
        "new required parameter",
        lambda s: _add_param(
            _op(s, "/work-orders", "get"),
            {"name": "siteId", "in": "query", "required": True, "schema": {"type": "string"}},
        ),
    ),
    (
        "parameter-now-required",
        "GET /v1/meters query parameter 'assetId'",
        "optional parameter made required",
        lambda s: s["components"]["parameters"]["MeterAssetFilter"].update(required=True),
    ),
    (
        "parameter-removed",
        "GET /v1/assets query parameter 'root'",
        "parameter removed",
        lambda s: _op(s, "/assets", "get")["parameters"].remove(
            {"$ref": "#/components/parameters/AssetRootFilter"}
        ),
    ),
    (
        "type-narrowed",
        "WorkOrderCreate.dueAt",
        "null is no longer accepted",
        lambda s: _schemas(s)["WorkOrderCreate"]["properties"]["dueAt"].update(type="string"),
    ),
    (
        "type-narrowed",
        "WorkOrderCreate.estimatedHours",
        "was [number, null], now [integer, null]",
        lambda s: _schemas(s)["WorkOrderCreate"]["properties"]["estimatedHours"].update(
            type=["integer", "null"]
        ),
    ),
    (
        "type-narrowed",
        "GET /v1/work-orders query parameter 'assigneeId'",
        "type narrowed",
        lambda s: _param(_op(s, "/work-orders", "get"), "assigneeId")["schema"].update(
            type="integer"
        ),
    ),
    (
        "constraint-tightened",
        "WorkOrderCreate.title",
        "maxLength 200 -> 100",
        lambda s: _schemas(s)["WorkOrderCreate"]["properties"]["title"].update(maxLength=100),
    ),
    (
        "constraint-tightened",
        "ReadingCreate.takenAt",
        "pattern added",
        lambda s: _schemas(s)["ReadingCreate"]["properties"]["takenAt"].update(pattern="^[a-z]+$"),
    ),
    (
        "constraint-tightened",
        "GET /v1/work-orders query parameter 'limit'",
        "maximum 200 -> 100",
        lambda s: s["components"]["parameters"]["Limit"]["schema"].update(maximum=100),
    ),
    (
        "response-type-widened",
        "WorkOrder.title",
        "may now be null",
        lambda s: _schemas(s)["WorkOrder"]["properties"]["title"].update(type=["string", "null"]),
    ),
    (
        "security-changed",
        "GET /v1/work-orders",
        "from bearerAuth to bearerAuth[admin]",
        lambda s: _op(s, "/work-orders", "get").update(security=[{"bearerAuth": ["admin"]}]),
    ),
    (
        "security-changed",
        "GET /v1/assets",
        "to none (anonymous)",
        lambda s: _op(s, "/assets", "get").update(security=[]),
    ),
    (
        "security-scheme-changed",
        "securitySchemes.bearerAuth",
        "bearerFormat",
        lambda s: s["components"]["securitySchemes"]["bearerAuth"].update(bearerFormat="opaque"),
    ),
    (
        "permissions-changed",
        "GET /v1/work-orders",
        "now requires work_orders:admin",
        lambda s: _op(s, "/work-orders", "get")["x-permissions"].append("work_orders:admin"),
    ),
    (
        "permissions-changed",
        "POST /v1/assets",
        "no longer requires assets:write",
        lambda s: _op(s, "/assets", "post").update({"x-permissions": []}),
    ),
    (
        "response-header-removed",
        "POST /v1/work-orders response 201",
        "header etag removed",
        lambda s: _op(s, "/work-orders", "post")["responses"]["201"]["headers"].pop("ETag"),
    ),
    (
        "response-removed",
        "POST /v1/meters response 201",
        "response 201 removed",
        lambda s: _op(s, "/meters", "post")["responses"].update(
            {"200": _op(s, "/meters", "post")["responses"].pop("201")}
        ),
    ),
    (
        "request-body-now-required",
        "DELETE /v1/assets/{assetId} request body",
        "new required request body",
        lambda s: s["paths"]["/assets/{assetId}"]["delete"].update(
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        ),
    ),
    (
        "operation-id-changed",
        "POST /v1/pm-plans",
        "changed to 'createPlan'",
        lambda s: _op(s, "/pm-plans", "post").update(operationId="createPlan"),
    ),
    (
        "server-removed",
        "servers",
        "server /v1 removed",
        lambda s: s.update(servers=[{"url": "/v2"}]),
    ),
]


@pytest.mark.parametrize(
    ("kind", "where", "words", "edit"), BREAKS, ids=[f"{b[0]}:{b[1]}" for b in BREAKS]
)
def test_a_breaking_edit_fails_naming_the_break(
    baseline: Spec, kind: str, where: str, words: str, edit: Edit
) -> None:
    found = _breaks(baseline, edit)
    rendered = "\n".join(f.render() for f in found)
    # The required-body case is reported under its own kind: allow either name for it.
    kinds = {f.change.kind for f in found}
    if kind == "request-body-now-required":
        kind = "required-request-body-added"
    assert kind in kinds, rendered
    assert any(
        f.change.kind == kind and where in f.change.where and words in f.change.detail
        for f in found
    ), rendered


def test_a_shared_schema_break_is_reported_once_with_the_operations_that_use_it(
    baseline: Spec,
) -> None:
    [finding] = _breaks(
        baseline, lambda s: _schemas(s)["WorkOrderStatus"]["enum"].remove("on_hold")
    )
    assert finding.change.where == "WorkOrderStatus"
    assert "GET /v1/work-orders query parameter 'status'" in finding.via
    assert "PATCH /v1/work-orders/{workOrderId} request body" in finding.via
    assert "GET /v1/work-orders/{workOrderId} response 200" in finding.via
    assert "via GET /v1/work-orders" in finding.render()


def _add_enum_value(s: Spec) -> None:
    _schemas(s)["WorkOrderStatus"]["enum"].append("awaiting_parts")


def _new_path(s: Spec) -> None:
    s["paths"]["/sites"] = copy.deepcopy(s["paths"]["/assets"])
    for method in ("get", "post"):
        s["paths"]["/sites"][method]["operationId"] += "Site"


def _new_operation(s: Spec) -> None:
    # A method the released contract does not have on an existing path (``/users/me``
    # gained its PATCH in a release: adding one there would change it, not add it).
    assert "put" not in s["paths"]["/users/me"]
    operation = copy.deepcopy(_op(s, "/users/{userId}", "patch"))
    operation["operationId"] = "replaceCurrentUser"
    s["paths"]["/users/me"]["put"] = operation


ADDITIVE: list[tuple[str, Edit]] = [
    ("new path", _new_path),
    ("new operation", _new_operation),
    (
        "new optional query parameter",
        lambda s: _add_param(
            _op(s, "/work-orders", "get"),
            {"name": "siteId", "in": "query", "schema": {"type": "string"}},
        ),
    ),
    (
        "new optional request field",
        lambda s: _schemas(s)["WorkOrderCreate"]["properties"].update(
            costCenter={"type": ["string", "null"]}
        ),
    ),
    (
        "new response field",
        lambda s: _schemas(s)["WorkOrder"]["properties"].update(
            costCenter={"type": ["string", "null"]}
        ),
    ),
    ("new enum value (request and response)", _add_enum_value),
    (
        "request bound loosened",
        lambda s: _schemas(s)["WorkOrderCreate"]["properties"]["title"].update(maxLength=500),
    ),
    (
        "request type widened",
        lambda s: _schemas(s)["MeterCreate"]["properties"]["unit"].update(type=["string", "null"]),
    ),
    (
        "response type narrowed",
        lambda s: _schemas(s)["WorkOrder"]["properties"]["dueAt"].update(type="string"),
    ),
    (
        "request body made optional",
        lambda s: _op(s, "/work-orders", "post")["requestBody"].update(required=False),
    ),
    (
        "path parameter renamed",
        lambda s: s["paths"].update({"/gl-codes/{id}": s["paths"].pop("/gl-codes/{glCodeId}")}),
    ),
    (
        "descriptions and examples",
        lambda s: _schemas(s)["WorkOrder"]["properties"]["title"].update(
            description="Changed.", example="Changed"
        ),
    ),
    (
        "new success response",
        lambda s: _op(s, "/work-orders", "post")["responses"].update(
            {"200": {"description": "Replayed."}}
        ),
    ),
]


@pytest.mark.parametrize(("name", "edit"), ADDITIVE, ids=[a[0] for a in ADDITIVE])
def test_an_additive_edit_passes(baseline: Spec, name: str, edit: Edit) -> None:
    findings = contract_diff.diff(baseline, _edited(baseline, edit))
    assert contract_diff.breaking(findings) == [], "\n".join(f.render() for f in findings)


def test_additive_changes_are_listed(baseline: Spec) -> None:
    findings = contract_diff.diff(baseline, _edited(baseline, _add_enum_value))
    assert {f.change.kind for f in findings} == {"enum-value-added"}


def _write(path: Path, spec: Spec) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_the_command_fails_naming_the_break_and_how_to_release(
    baseline: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _write(
        tmp_path / "openapi.yaml",
        _edited(baseline, lambda s: _op(s, "/work-orders", "get")["x-permissions"].append("x:y")),
    )
    code = contract_diff.main(["--base", str(BASELINE), "--spec", str(spec)])
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKING permissions-changed: GET /v1/work-orders" in out
    assert "make release-contract" in out
    assert contract_diff.main(["--base", str(BASELINE), "--spec", str(spec), "--report"]) == 0


def test_the_command_passes_additive_changes_and_reports_unreadable_files(
    baseline: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _write(tmp_path / "openapi.yaml", _edited(baseline, _new_path))
    assert contract_diff.main(["--base", str(BASELINE), "--spec", str(spec), "-v"]) == 0
    assert "additive path-added: GET /v1/sites" in capsys.readouterr().out
    assert contract_diff.main(["--base", str(tmp_path / "missing.yaml")]) == 2


# ------------------------------------------------------------------------------- the lint
def test_exception_paths_match_prefixes_with_wildcards() -> None:
    match = contract_lint._prefix_match
    assert match(("paths", "/users/me"), ("paths", "/users/me", "get", "x-permissions"))
    assert not match(("paths", "/users/me"), ("paths", "/users/{userId}"))
    assert match(("paths", "/sync/*"), ("paths", "/sync/pull"))
    assert match(
        ("components", "**", "properties"), ("components", "schemas", "A", "properties", "b")
    )
    assert not match(
        ("components", "schemas", "Sync*Record"),
        ("components", "schemas", "WorkOrder", "properties"),
    )


def test_an_exception_needs_a_reason(tmp_path: Path) -> None:
    bad = tmp_path / "exceptions.yaml"
    bad.write_text("exceptions:\n  - rule: license-url\n    at: [info]\n", encoding="utf-8")
    with pytest.raises(contract_lint.LintSetupError, match="needs a 'reason'"):
        contract_lint.load_exceptions(bad)
    assert all(len(e.reason) > 20 for e in contract_lint.load_exceptions())


@pytest.fixture(scope="module")
def spectral() -> None:
    if not contract_lint.SPECTRAL.exists():
        message = "Spectral is not installed: run `make contract-tools`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_current_spec_passes_lint(spectral: None, tmp_path: Path) -> None:
    exceptions = tmp_path / "exceptions.yaml"
    listed = yaml.safe_load(contract_lint.EXCEPTIONS.read_text(encoding="utf-8"))
    stale = {"rule": "operation-tags", "at": ["paths", "/nowhere"], "reason": "No such path."}
    exceptions.write_text(
        yaml.safe_dump({"exceptions": [*listed["exceptions"], stale]}), encoding="utf-8"
    )
    report = contract_lint.lint(SPEC, exceptions)
    assert report.problems == [], "\n".join(p.render("openapi.yaml") for p in report.problems)
    assert report.rules - report.project_rules >= 50  # spectral:oas, every rule
    assert [e.rule for e in report.stale] == ["operation-tags"]  # only the planted one


def _violations(spec: Spec) -> None:
    """One violation of each project rule (and of a built-in one), on paths of their own."""
    spec["servers"] = [{"url": "/v2"}]
    bad: Spec = {
        "get": {
            "operationId": "List_Inventory",
            "tags": ["Assets"],
            "security": [],
            "x-permissions": [],
            "parameters": [
                {
                    "name": "sort_by",
                    "in": "query",
                    "description": "Order.",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "Items.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"type": "string"}}
                        }
                    },
                },
                "404": {
                    "description": "None.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            },
        },
        "post": {
            "operationId": "createInventory",
            "summary": "Create.",
            "description": "Creates.",
            "x-permissions": ["Not A Code"],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"cost_center": {"type": "string"}},
                        }
                    }
                }
            },
            "responses": {
                "201": {"description": "Created."},
                "default": {"$ref": "#/components/responses/Problem"},
            },
        },
        "delete": {
            "operationId": "deleteInventory",
            "summary": "Delete.",
            "description": "Deletes.",
            "tags": ["Assets"],
            "responses": {
                "204": {"description": "Deleted."},
                "default": {"$ref": "#/components/responses/Problem"},
            },
        },
    }
    spec["paths"]["/inventory"] = bad
    spec["paths"]["/v1/work-orders"] = spec["paths"]["/work-orders"]
    spec["paths"]["/workOrders"] = spec["paths"]["/work-orders"]


RULE_AT: list[tuple[str, tuple[str, ...]]] = [
    ("maintrac-servers-v1", ("servers",)),
    ("maintrac-paths-no-version", ("paths", "/v1/work-orders")),
    ("maintrac-paths-kebab-case", ("paths", "/workOrders")),
    ("maintrac-path-segments-plural", ("paths", "/inventory")),
    ("maintrac-query-params-camel-case", ("paths", "/inventory", "get", "parameters")),
    ("maintrac-operation-summary", ("paths", "/inventory", "get")),
    ("maintrac-operation-id-camel-case", ("paths", "/inventory", "get", "operationId")),
    ("maintrac-operation-security", ("paths", "/inventory", "get", "security")),
    ("maintrac-operation-permissions-not-empty", ("paths", "/inventory", "get")),
    ("maintrac-operation-permissions", ("paths", "/inventory", "post", "x-permissions")),
    ("maintrac-operation-permissions-declared", ("paths", "/inventory", "delete")),
    ("maintrac-operation-default-response", ("paths", "/inventory", "get", "responses")),
    ("maintrac-error-responses-problem-json", ("paths", "/inventory", "get", "responses", "404")),
    ("maintrac-list-envelope", ("paths", "/inventory", "get")),
    ("maintrac-list-pagination", ("paths", "/inventory", "get")),
    ("maintrac-property-camel-case", ("paths", "/inventory", "post", "requestBody")),
    ("maintrac-property-description", ("paths", "/inventory", "post", "requestBody")),
    ("maintrac-property-example", ("paths", "/inventory", "post", "requestBody")),
    ("maintrac-parameter-example", ("paths", "/inventory", "get", "parameters")),
    ("operation-tags", ("paths", "/inventory", "post")),
]


def test_each_rule_fires_on_a_violation(spectral: None, tmp_path: Path) -> None:
    spec = _edited(contract_diff.load(SPEC), _violations)
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text(
        yaml.safe_dump(
            {
                "exceptions": [
                    {
                        "rule": "maintrac-operation-summary",
                        "at": ["paths", "/inventory"],
                        "reason": "Excepted here: an exception covers its result.",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    report = contract_lint.lint(_write(tmp_path / "openapi.yaml", spec), exceptions)
    fired = [(r.rule, r.path) for r in [*report.problems, *report.excepted]]
    missing = [
        (rule, at)
        for rule, at in RULE_AT
        if not any(r == rule and p[: len(at)] == at for r, p in fired)
    ]
    assert missing == [], "\n".join(f"{r} {'.'.join(p)}" for r, p in fired)
    # Every project rule has its violation above.
    ruleset = yaml.safe_load(contract_lint.RULESET.read_text(encoding="utf-8"))
    assert {rule for rule, _ in RULE_AT if rule.startswith("maintrac-")} == set(ruleset["rules"])
    # The exception covered its result, and only that one.
    assert [r.rule for r in report.excepted] == ["maintrac-operation-summary"]
    assert "maintrac-operation-summary" not in {r.rule for r in report.problems}
