"""Breaking-change gate: compare the working contract with the released one.

    python scripts/contract_diff.py [--base openapi/released/v1.yaml]
                                    [--spec openapi/openapi.yaml] [--verbose]

Exits 1 when the working spec (``--spec``) breaks a client of the released contract
(``--base``), 0 when every change is additive, 2 when a document cannot be read. Within
``/v1`` only additions are allowed (CONVENTIONS.md); ``make release-contract`` makes the
working spec the new baseline once a change is released.

What breaks a client, and is reported:

- a removed server URL, path, operation, success response, media type or response header;
  a changed operationId (it names the SDK method);
- a removed request parameter or request body field (the bodies are closed: a client that
  sends it gets a 422); a new required parameter, request body or request body field; an
  optional one made required; a parameter serialised differently;
- a request value the server accepted and now refuses: a narrowed type (``[string, null]``
  to ``string``, ``number`` to ``integer``), a removed enum value, a tighter bound
  (``maxLength``, ``minimum``...), a new or changed ``pattern``/``format``, a closed object
  (``additionalProperties: false``), a new ``allOf`` constraint or a removed ``oneOf``
  branch, a changed condition (``if``);
- a response value a client relied on: a removed field, a field no longer required (it may
  be absent), a removed enum value, a widened type (``string`` to ``[string, null]``: typed
  clients break on the new null), a new ``oneOf``/``anyOf`` branch;
- a changed auth requirement: the operation's effective ``security`` (its own or the
  document's), its ``x-permissions`` (a code added makes callers without it get 403; one
  removed widens access, which must be deliberate), or the definition of a security scheme
  it uses.

Additive changes pass: new paths, operations, optional parameters and request fields,
response fields, enum values in requests; widened request types, looser request bounds. A
new enum value in a *response* passes too (clients must tolerate unknown values); it is
listed with ``--verbose`` like every other additive change.

Schemas are compared where they are used, in the direction of use (what the server
accepts in a request, what it may send in a response), following local ``$ref``s; each
finding names the schema it is written in (``WorkOrderStatus``, ``WorkOrderCreate.title``)
and the operations that reach it. Only the served contract is compared: a component no
operation uses is not. Composition (``allOf``/``oneOf``/``anyOf``/``if``/``not``) is judged by
its shape, conservatively: a restructuring that accepts the same values (a ``oneOf`` of
``required`` lists rewritten as ``if``/``then``/``else``) is reported, and released
deliberately. Looser constraints in responses (a higher ``maxLength``) are not reported.
"""

from __future__ import annotations

import argparse
import json
import operator
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeGuard

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE = ROOT / "openapi" / "released" / "v1.yaml"
DEFAULT_SPEC = ROOT / "openapi" / "openapi.yaml"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Direction = Literal["request", "response"]
Json = dict[str, Any]

# Bounds that, in a request schema, refuse more values when lowered (upper) or raised (lower).
UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
# Keywords compared positionally, branch by branch.
BRANCHES = ("allOf", "oneOf", "anyOf")


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is stable (tests and exceptions key on it)."""

    kind: str
    where: str
    detail: str
    breaking: bool


@dataclass
class Finding:
    """A change and the operations (with the part of each) through which clients meet it."""

    change: Change
    via: list[str] = field(default_factory=list)

    def render(self, limit: int = 3) -> str:
        tag = "BREAKING" if self.change.breaking else "additive"
        line = f"{tag} {self.change.kind}: {self.change.where}: {self.change.detail}"
        if self.via and self.via[0] != self.change.where:
            shown = ", ".join(self.via[:limit])
            more = len(self.via) - limit
            line += f"\n    via {shown}" + (f" and {more} more" if more > 0 else "")
        return line


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _is_obj(value: object) -> TypeGuard[Json]:
    return isinstance(value, dict)


def _types(schema: Json) -> set[str] | None:
    """The JSON types a schema allows, or None when it does not say (any type)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    if "const" in schema:
        return {_json_type(schema["const"])}
    if isinstance(schema.get("enum"), list):
        return {_json_type(v) for v in schema["enum"]}
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    kinds: tuple[tuple[type, str], ...] = (
        (bool, "boolean"),
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (list, "array"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), "object")


def _covered(kind: str, allowed: set[str]) -> bool:
    return kind in allowed or (kind == "integer" and "number" in allowed)


def _values(schema: Json) -> dict[str, object] | None:
    """The values an enum or const allows, keyed by their JSON text; None when unrestricted."""
    if "const" in schema:
        return {json.dumps(schema["const"], sort_keys=True): schema["const"]}
    if isinstance(schema.get("enum"), list):
        return {json.dumps(v, sort_keys=True): v for v in schema["enum"]}
    return None


def _show(value: object) -> str:
    return json.dumps(value)


def _show_types(types: set[str] | None) -> str:
    if types is None:
        return "any type"
    ordered = sorted(types, key=lambda t: (t == "null", t))
    return ordered[0] if len(ordered) == 1 else "[" + ", ".join(ordered) + "]"


class Document:
    """A parsed OpenAPI document with local ``$ref`` resolution."""

    def __init__(self, data: Json) -> None:
        self.data = data

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            msg = f"only local $refs are supported, not {ref!r}"
            raise ValueError(msg)
        node: Any = self.data
        for raw in ref[1:].split("/")[1:]:
            key = _unescape(raw)
            if isinstance(node, list):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                msg = f"unresolvable $ref {ref!r}"
                raise ValueError(msg)
        return node

    def deref(self, node: Any) -> Any:
        """Follow a (chain of) $ref; keywords beside a $ref apply on top of its target."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            target = self.pointer(ref)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, dict) else target
        return node

    def served_prefix(self) -> str:
        servers = self.data.get("servers") or [{"url": ""}]
        url = str(servers[0].get("url", ""))
        return re.sub(r"^[a-z]+://[^/]+", "", url).rstrip("/")

    def security_of(self, operation: Json) -> list[Json]:
        own = operation.get("security")
        effective = own if own is not None else self.data.get("security", [])
        return list(effective or [])

    def operations(self) -> Iterator[tuple[str, str, str, Json, Json]]:
        """(normalised path, path, method, path item, operation) for every operation."""
        for route, item in (self.data.get("paths") or {}).items():
            resolved = self.deref(item)
            if not _is_obj(resolved):
                continue
            for method in HTTP_METHODS:
                operation = resolved.get(method)
                if _is_obj(operation):
                    yield _normalise_path(route), route, method, resolved, operation


def _normalise_path(route: str) -> str:
    """Path parameter names are not on the wire: /a/{id} and /a/{aId} are the same path."""
    return re.sub(r"\{[^}/]+\}", "{}", route)


def _schema_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    return _unescape(ref[len(prefix) :]) if ref.startswith(prefix) else ref


def _security_text(requirements: list[Json]) -> str:
    if not requirements:
        return "none (anonymous)"
    alternatives = []
    for requirement in requirements:
        if not requirement:
            alternatives.append("anonymous")
            continue
        parts = [
            name + (f"[{', '.join(sorted(scopes))}]" if scopes else "")
            for name, scopes in sorted(requirement.items())
        ]
        alternatives.append(" and ".join(parts))
    return " or ".join(alternatives)


def _security_key(requirements: list[Json]) -> frozenset[frozenset[tuple[str, frozenset[str]]]]:
    return frozenset(
        frozenset((name, frozenset(scopes or [])) for name, scopes in requirement.items())
        for requirement in requirements
    )


class Differ:
    """Compares two documents; ``run()`` returns the findings, breaking ones first."""

    def __init__(self, base: Json, spec: Json) -> None:
        self.old = Document(base)
        self.new = Document(spec)
        self.prefix = self.new.served_prefix() or self.old.served_prefix()
        self._findings: dict[Change, Finding] = {}
        self._memo: dict[tuple[str, str, Direction], list[Change]] = {}
        self._active: set[tuple[str, str, Direction]] = set()

    # ---------------------------------------------------------------- reporting
    def _add(self, change: Change, via: str | None = None) -> None:
        finding = self._findings.setdefault(change, Finding(change))
        if via and via not in finding.via:
            finding.via.append(via)

    def _break(self, kind: str, where: str, detail: str, via: str | None = None) -> None:
        self._add(Change(kind, where, detail, breaking=True), via)

    def _note(self, kind: str, where: str, detail: str, via: str | None = None) -> None:
        self._add(Change(kind, where, detail, breaking=False), via)

    def run(self) -> list[Finding]:
        self._servers()
        self._paths()
        return sorted(self._findings.values(), key=lambda f: not f.change.breaking)

    # ---------------------------------------------------------------- document level
    def _servers(self) -> None:
        old_urls = [str(s.get("url")) for s in self.old.data.get("servers") or []]
        new_urls = {str(s.get("url")) for s in self.new.data.get("servers") or []}
        for url in old_urls:
            if url not in new_urls:
                self._break("server-removed", "servers", f"server {url} removed: every path moves")

    def _label(self, method: str, route: str) -> str:
        return f"{method.upper()} {self.prefix}{route}"

    def _paths(self) -> None:
        new_ops = {
            (norm, method): (route, item, op)
            for norm, route, method, item, op in self.new.operations()
        }
        old_ops = {
            (norm, method): (route, item, op)
            for norm, route, method, item, op in self.old.operations()
        }
        new_paths = {norm for norm, _ in new_ops}
        old_paths: dict[str, str] = {}
        for (norm, method), (route, item, op) in old_ops.items():
            old_paths.setdefault(norm, route)
            if norm not in new_paths:
                continue  # reported once per path below
            if (norm, method) not in new_ops:
                self._break(
                    "operation-removed",
                    self._label(method, route),
                    f"operation {op.get('operationId', '')} removed".replace("  ", " "),
                )
                continue
            new_route, new_item, new_op = new_ops[(norm, method)]
            self._operation(self._label(method, new_route), (item, op), (new_item, new_op))
        for norm, route in old_paths.items():
            if norm not in new_paths:
                self._break("path-removed", f"{self.prefix}{route}", "path removed")
        for (norm, method), (route, _, _op) in new_ops.items():
            if (norm, method) in old_ops:
                continue
            if norm in old_paths:
                self._note("operation-added", self._label(method, route), "new operation")
            else:
                self._note("path-added", self._label(method, route), "new path")

    # ---------------------------------------------------------------- operation level
    def _operation(self, label: str, old: tuple[Json, Json], new: tuple[Json, Json]) -> None:
        (old_item, old_op), (new_item, new_op) = old, new
        if old_op.get("operationId") != new_op.get("operationId"):
            self._break(
                "operation-id-changed",
                label,
                f"operationId {old_op.get('operationId')!r} changed to "
                f"{new_op.get('operationId')!r} (it names the SDK method)",
            )
        self._auth(label, old_op, new_op)
        self._parameters(label, (old_item, old_op), (new_item, new_op))
        self._request_body(label, old_op, new_op)
        self._responses(label, old_op, new_op)

    def _auth(self, label: str, old_op: Json, new_op: Json) -> None:
        old_security = self.old.security_of(old_op)
        new_security = self.new.security_of(new_op)
        if _security_key(old_security) != _security_key(new_security):
            self._break(
                "security-changed",
                label,
                f"security changed from {_security_text(old_security)} "
                f"to {_security_text(new_security)}",
            )
        else:
            self._security_schemes(label, new_security)
        old_perms = list(old_op.get("x-permissions") or [])
        new_perms = list(new_op.get("x-permissions") or [])
        if set(old_perms) != set(new_perms):
            added = sorted(set(new_perms) - set(old_perms))
            removed = sorted(set(old_perms) - set(new_perms))
            parts = []
            if added:
                parts.append(f"now requires {', '.join(added)} (callers without it get 403)")
            if removed:
                parts.append(f"no longer requires {', '.join(removed)} (access widened)")
            self._break(
                "permissions-changed",
                label,
                f"x-permissions changed from {old_perms} to {new_perms}: " + "; ".join(parts),
            )

    def _security_schemes(self, label: str, requirements: list[Json]) -> None:
        old_schemes = (self.old.data.get("components") or {}).get("securitySchemes") or {}
        new_schemes = (self.new.data.get("components") or {}).get("securitySchemes") or {}
        relevant = ("type", "scheme", "bearerFormat", "in", "name", "flows", "openIdConnectUrl")
        for requirement in requirements:
            for name in requirement:
                old_scheme = self.old.deref(old_schemes.get(name)) or {}
                new_scheme = self.new.deref(new_schemes.get(name)) or {}
                before = {k: old_scheme.get(k) for k in relevant}
                after = {k: new_scheme.get(k) for k in relevant}
                if before != after:
                    changed = ", ".join(k for k in relevant if before[k] != after[k])
                    self._break(
                        "security-scheme-changed",
                        f"securitySchemes.{name}",
                        f"security scheme {name} changed ({changed})",
                        label,
                    )

    @staticmethod
    def _param_key(param: Json) -> tuple[str, str]:
        location = str(param.get("in"))
        name = str(param.get("name"))
        return location, name.lower() if location == "header" else name

    def _params(self, doc: Document, item: Json, op: Json) -> dict[tuple[str, str], Json]:
        merged: dict[tuple[str, str], Json] = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = doc.deref(raw)
            if _is_obj(param):
                merged[self._param_key(param)] = param
        return merged

    def _parameters(self, label: str, old: tuple[Json, Json], new: tuple[Json, Json]) -> None:
        old_params = self._params(self.old, *old)
        new_params = self._params(self.new, *new)
        for key, old_param in old_params.items():
            location, _ = key
            where = f"{label} {location} parameter {old_param.get('name')!r}"
            new_param = new_params.get(key)
            if new_param is None:
                if location == "path":
                    continue  # a renamed path parameter: the path itself is compared
                self._break("parameter-removed", where, "parameter removed")
                continue
            if new_param.get("required") and not old_param.get("required"):
                self._break("parameter-now-required", where, "optional parameter made required")
            for keyword in ("style", "explode", "allowReserved"):
                if old_param.get(keyword) != new_param.get(keyword):
                    self._break(
                        "parameter-serialization-changed",
                        where,
                        f"{keyword} changed from {old_param.get(keyword)!r} to "
                        f"{new_param.get(keyword)!r}",
                    )
            old_schema, new_schema = old_param.get("schema"), new_param.get("schema")
            if _is_obj(old_schema) and _is_obj(new_schema):
                self._schema_at(where, old_schema, new_schema, "request", where)
        for key, new_param in new_params.items():
            if key in old_params:
                continue
            location, _ = key
            where = f"{label} {location} parameter {new_param.get('name')!r}"
            if location == "path":
                continue
            if new_param.get("required"):
                self._break("required-parameter-added", where, "new required parameter")
            else:
                self._note("parameter-added", where, "new optional parameter")

    def _request_body(self, label: str, old_op: Json, new_op: Json) -> None:
        where = f"{label} request body"
        old_body = self.old.deref(old_op.get("requestBody"))
        new_body = self.new.deref(new_op.get("requestBody"))
        if not _is_obj(old_body):
            if _is_obj(new_body) and new_body.get("required"):
                self._break("required-request-body-added", where, "new required request body")
            return
        if not _is_obj(new_body):
            self._break("request-body-removed", where, "request body removed")
            return
        if new_body.get("required") and not old_body.get("required"):
            self._break("request-body-now-required", where, "request body made required")
        old_content = old_body.get("content") or {}
        new_content = new_body.get("content") or {}
        for media_type, old_media in old_content.items():
            new_media = new_content.get(media_type)
            if new_media is None:
                self._break("request-media-type-removed", where, f"media type {media_type} removed")
                continue
            old_schema, new_schema = old_media.get("schema"), new_media.get("schema")
            if _is_obj(old_schema) and _is_obj(new_schema):
                self._schema_at(where, old_schema, new_schema, "request", where)

    def _responses(self, label: str, old_op: Json, new_op: Json) -> None:
        old_responses = old_op.get("responses") or {}
        new_responses = new_op.get("responses") or {}
        for code, raw in old_responses.items():
            code_text = str(code)
            where = f"{label} response {code_text}"
            old_response = self.old.deref(raw)
            if code_text not in {str(c) for c in new_responses}:
                if code_text[:1] in "23":
                    self._break("response-removed", where, f"response {code_text} removed")
                continue
            new_response = self.new.deref(
                next(v for c, v in new_responses.items() if str(c) == code_text)
            )
            self._response(where, old_response, new_response)
        for code in new_responses:
            if str(code) not in {str(c) for c in old_responses} and str(code)[:1] in "23":
                self._note("response-added", f"{label} response {code}", "new success response")

    def _response(self, where: str, old: Json, new: Json) -> None:
        old_headers = {k.lower(): v for k, v in (old.get("headers") or {}).items()}
        new_headers = {k.lower(): v for k, v in (new.get("headers") or {}).items()}
        for name, raw in old_headers.items():
            if name not in new_headers:
                self._break("response-header-removed", where, f"header {name} removed")
                continue
            old_header = self.old.deref(raw)
            new_header = self.new.deref(new_headers[name])
            old_schema, new_schema = old_header.get("schema"), new_header.get("schema")
            if _is_obj(old_schema) and _is_obj(new_schema):
                self._schema_at(f"{where} header {name}", old_schema, new_schema, "response", where)
        old_content = old.get("content") or {}
        new_content = new.get("content") or {}
        for media_type, old_media in old_content.items():
            new_media = new_content.get(media_type)
            if new_media is None:
                self._break(
                    "response-media-type-removed", where, f"media type {media_type} removed"
                )
                continue
            old_schema, new_schema = old_media.get("schema"), new_media.get("schema")
            if _is_obj(old_schema) and _is_obj(new_schema):
                self._schema_at(where, old_schema, new_schema, "response", where)

    # ---------------------------------------------------------------- schemas
    def _schema_at(self, where: str, old: Json, new: Json, direction: Direction, via: str) -> None:
        for change in self._schema(old, new, direction, where):
            self._add(change, via)

    def _schema(self, old: Any, new: Any, direction: Direction, where: str) -> list[Change]:
        """Compare two schemas; a $ref names the place (its schema) findings are reported at."""
        old_ref = old.get("$ref") if isinstance(old, dict) else None
        new_ref = new.get("$ref") if isinstance(new, dict) else None
        if isinstance(new_ref, str):
            where = _schema_name(new_ref)
        elif isinstance(old_ref, str):
            where = _schema_name(old_ref)
        plain_refs = (
            isinstance(old_ref, str) and isinstance(new_ref, str) and len(old) == len(new) == 1
        )
        if not plain_refs:
            return self._compare(self.old.deref(old), self.new.deref(new), direction, where)
        key = (str(old_ref), str(new_ref), direction)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return []  # a recursive schema: the visit in progress reports it
        self._active.add(key)
        try:
            result = self._compare(self.old.deref(old), self.new.deref(new), direction, where)
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _compare(self, old: Any, new: Any, direction: Direction, where: str) -> list[Change]:
        if isinstance(old, bool) or isinstance(new, bool):
            if direction == "request" and old is not False and new is False:
                return [_broken("type-narrowed", where, "no value is accepted any more")]
            return []
        if not (_is_obj(old) and _is_obj(new)):
            return []
        out = _compare_types(old, new, direction, where)
        out += _compare_values(old, new, direction, where)
        if direction == "request":
            out += _compare_bounds(old, new, where)
            out += _request_members(old, new, where)
        else:
            out += _response_members(old, new, where)
        out += _compare_branches(old, new, direction, where)
        old_props: Json = old.get("properties") or {}
        new_props: Json = new.get("properties") or {}
        for name in old_props:
            if name in new_props:
                out += self._schema(old_props[name], new_props[name], direction, f"{where}.{name}")
        nested = [("items", "[]"), ("additionalProperties", "{}"), ("contains", "(contains)")]
        nested += [(k, f"/{k}") for k in ("then", "else")]
        for key, suffix in nested:
            if _is_obj(old.get(key)) and _is_obj(new.get(key)):
                out += self._schema(old[key], new[key], direction, where + suffix)
        for keyword in BRANCHES:
            pairs = zip(old.get(keyword) or [], new.get(keyword) or [], strict=False)
            for index, (old_branch, new_branch) in enumerate(pairs):
                out += self._schema(
                    old_branch, new_branch, direction, f"{where}/{keyword}[{index}]"
                )
        return out


def _broken(kind: str, where: str, detail: str) -> Change:
    return Change(kind, where, detail, breaking=True)


def _additive(kind: str, where: str, detail: str) -> Change:
    return Change(kind, where, detail, breaking=False)


def _compare_types(old: Json, new: Json, direction: Direction, where: str) -> list[Change]:
    """Request: every type accepted before still is. Response: no new type may be sent."""
    old_types, new_types = _types(old), _types(new)
    if old_types == new_types:
        return []
    shown = f"(was {_show_types(old_types)}, now {_show_types(new_types)})"
    if direction == "response":
        if old_types is None:
            return []
        gained = (
            set() if new_types is None else {t for t in new_types if not _covered(t, old_types)}
        )
        if new_types is not None and not gained:
            return []
        what = "may now be null" if gained == {"null"} else "type widened"
        return [_broken("response-type-widened", where, f"{what} {shown}")]
    lost = (
        set()
        if old_types is None or new_types is None
        else {t for t in old_types if not _covered(t, new_types)}
    )
    if new_types is None or (old_types is not None and not lost):
        return [_additive("type-widened", where, f"now accepts more {shown}")]
    what = "null is no longer accepted" if lost == {"null"} else "type narrowed"
    return [_broken("type-narrowed", where, f"{what} {shown}")]


def _compare_values(old: Json, new: Json, direction: Direction, where: str) -> list[Change]:
    """Enum and const values: none may disappear; new ones are additive."""
    old_values, new_values = _values(old), _values(new)
    if old_values == new_values:
        return []
    if old_values is None:
        if direction == "request" and new_values is not None:
            shown = ", ".join(_show(v) for v in new_values.values())
            return [_broken("enum-added", where, f"values now restricted to {shown}")]
        return []
    if new_values is None:
        if direction == "response":
            return [_broken("response-enum-removed", where, "values no longer restricted")]
        return []
    out = [
        _broken("enum-value-removed", where, f"enum value {_show(value)} removed")
        for key, value in old_values.items()
        if key not in new_values
    ]
    out += [
        _additive("enum-value-added", where, f"enum value {_show(value)} added")
        for key, value in new_values.items()
        if key not in old_values
    ]
    return out


def _compare_bounds(old: Json, new: Json, where: str) -> list[Change]:
    """Request only: a bound, pattern or format that refuses a value accepted before."""
    out: list[Change] = []
    for keywords, tighter in ((UPPER_BOUNDS, operator.lt), (LOWER_BOUNDS, operator.gt)):
        for keyword in keywords:
            if keyword in new and (keyword not in old or tighter(new[keyword], old[keyword])):
                before = f"{old[keyword]} -> " if keyword in old else "added: "
                out.append(
                    _broken("constraint-tightened", where, f"{keyword} {before}{new[keyword]}")
                )
    for keyword in ("pattern", "format", "multipleOf"):
        if keyword in new and old.get(keyword) != new[keyword]:
            before = f"{old[keyword]!r} -> " if keyword in old else "added: "
            out.append(
                _broken("constraint-tightened", where, f"{keyword} {before}{new[keyword]!r}")
            )
    if new.get("uniqueItems") and not old.get("uniqueItems"):
        out.append(_broken("constraint-tightened", where, "uniqueItems added"))
    old_dependent = {str(k): set(v) for k, v in (old.get("dependentRequired") or {}).items()}
    for name, needs in (new.get("dependentRequired") or {}).items():
        extra = set(needs) - old_dependent.get(str(name), set())
        if extra:
            detail = f"{name} now needs {', '.join(sorted(extra))}"
            out.append(_broken("constraint-tightened", where, detail))
    return out


def _request_members(old: Json, new: Json, where: str) -> list[Change]:
    """Request only: no member may become required, disappear, or be refused as unknown."""
    old_props: Json = old.get("properties") or {}
    new_props: Json = new.get("properties") or {}
    new_required = set(new.get("required") or [])
    closed = new.get("additionalProperties") is False
    out: list[Change] = []
    if closed and old.get("additionalProperties") is not False:
        detail = "additionalProperties: false added: unknown members are now refused"
        out.append(_broken("object-closed", where, detail))
    for name in sorted(new_required - set(old.get("required") or [])):
        detail = (
            f"{name!r} is now required" if name in old_props else f"new required field {name!r}"
        )
        out.append(_broken("request-field-required", f"{where}.{name}", detail))
    gets_422 = " (the object is closed: a client sending it gets 422)" if closed else ""
    out += [
        _broken("request-field-removed", f"{where}.{name}", "field removed" + gets_422)
        for name in old_props
        if name not in new_props
    ]
    out += [
        _additive("request-field-added", f"{where}.{name}", "new optional field")
        for name in new_props
        if name not in old_props and name not in new_required
    ]
    return out


def _response_members(old: Json, new: Json, where: str) -> list[Change]:
    """Response only: every member sent before is still sent, and still always."""
    old_props: Json = old.get("properties") or {}
    new_props: Json = new.get("properties") or {}
    new_required = set(new.get("required") or [])
    out: list[Change] = []
    for name in old_props:
        if name not in new_props:
            out.append(_broken("response-field-removed", f"{where}.{name}", "field removed"))
        elif name in set(old.get("required") or []) and name not in new_required:
            detail = f"{name!r} is no longer required: it may be absent"
            out.append(_broken("response-field-optional", f"{where}.{name}", detail))
    out += [
        _additive("response-field-added", f"{where}.{name}", "new field")
        for name in new_props
        if name not in old_props
    ]
    return out


def _compare_branches(old: Json, new: Json, direction: Direction, where: str) -> list[Change]:
    """Composition, judged by its shape (an equivalent restructuring is reported too)."""
    out: list[Change] = []
    for keyword in BRANCHES:
        added = len(new.get(keyword) or []) - len(old.get(keyword) or [])
        if direction == "request" and keyword == "allOf" and added > 0:
            detail = f"{added} allOf constraint(s) added"
            out.append(_broken("constraint-tightened", where, detail))
        elif direction == "request" and keyword != "allOf" and added < 0:
            detail = f"{-added} {keyword} alternative(s) removed"
            out.append(_broken("type-narrowed", where, detail))
        elif direction == "response" and keyword != "allOf" and added > 0:
            detail = f"{added} {keyword} alternative(s) added"
            out.append(_broken("response-type-widened", where, detail))
    if direction == "request":
        for keyword in ("if", "not"):
            if old.get(keyword) != new.get(keyword):
                out.append(_broken("constraint-tightened", where, f"{keyword!r} condition changed"))
        for keyword in ("then", "else"):
            if _is_obj(new.get(keyword)) and not _is_obj(old.get(keyword)):
                out.append(_broken("constraint-tightened", where, f"{keyword!r} constraint added"))
    return out


def diff(base: Json, spec: Json) -> list[Finding]:
    """Every change from ``base`` to ``spec``, breaking ones first."""
    return Differ(base, spec).run()


def breaking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.change.breaking]


def load(path: Path) -> Json:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        msg = f"{path} is not an OpenAPI document"
        raise TypeError(msg)
    return data


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base",
        type=Path,
        default=DEFAULT_BASE,
        help="the released contract (default: %(default)s)",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=DEFAULT_SPEC,
        help="the working contract (default: %(default)s)",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list the additive changes too"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="print the changes but exit 0 (used by make release-contract)",
    )
    args = parser.parse_args(argv)
    try:
        base, spec = load(args.base), load(args.spec)
        findings = diff(base, spec)
    except (OSError, yaml.YAMLError, TypeError, ValueError) as error:
        print(f"contract-diff: {error}", file=sys.stderr)
        return 2
    breaks = breaking(findings)
    additive = [f for f in findings if not f.change.breaking]
    against = f"{_relative(args.spec)} against {_relative(args.base)}"
    for finding in breaks + (additive if args.verbose or args.report else []):
        print(finding.render())
    if breaks:
        print(
            f"contract-diff: {len(breaks)} breaking change(s) in {against}; "
            f"{len(additive)} additive."
        )
        if not args.report:
            print(
                "  Within /v1 only additions are allowed (CONVENTIONS.md). Make the change "
                "additive, or, if this break\n  is deliberate and agreed, release the "
                "contract: make release-contract"
            )
            return 1
        return 0
    print(
        f"contract-diff: no breaking change in {against}; {len(additive)} additive "
        f"change(s){'' if args.verbose or not additive else ' (-v lists them)'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
