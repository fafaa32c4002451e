"""Make Connexion 3.3 serve an OpenAPI 3.1 document faithfully.

Connexion 3.3 validates every document against its bundled 3.0 meta-schema (so
``openapi: 3.1.x`` is refused) and validates requests with jsonschema's Draft 4 (no
``type: [x, "null"]``, no ``const``, no ``format: uuid`` check). This module is the whole
adaptation, and nothing else in the project touches Connexion internals:

- ``OpenAPI31Specification`` validates the document with openapi-spec-validator's 3.1
  validator instead of the bundled 3.0 schema.
- ``VALIDATOR_MAP`` swaps in parameter, request-body and response-body validators that use
  JSON Schema 2020-12 (the dialect of OpenAPI 3.1) with real format checks (``uuid``,
  ``date-time``, ``uri``...), and report failures as ``RequestValidationFailed`` with one
  clean message and a JSON pointer per failed field, instead of a jsonschema dump.
- ``add_api`` registers a spec dict on an app through that specification class.
- The hot path: Connexion 3.3 re-decorates the handler on every request (a new URI parser,
  ``inspect.signature``, three ``functools.wraps``) and converts parameter names with
  ``inflection`` each time; ``FastAsyncApi`` decorates each operation once and the name
  conversion is memoised. Validators are compiled once per schema, and response bodies
  are checked with a compiled 2020-12 validator (jsonschema-rs) first: only a body it
  refuses goes through the slower jsonschema walk that names each failing field. Sync
  handlers run in the app's ``HandlerThreads`` rather than anyio's thread pool.

Upstream: spec-zero/connexion#1396 and PR #1951 (3.1 support), #1562 (formats).
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
import logging
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import connexion
import jsonschema_rs
import orjson
from connexion import security as _security
from connexion.apps.asynchronous import AsyncApi, AsyncOperation
from connexion.context import receive, scope
from connexion.datastructures import MediaTypeDict
from connexion.decorators import StarletteDecorator
from connexion.decorators import parameter as _parameter
from connexion.exceptions import (
    InvalidSpecification,
    NonConformingResponseBody,
    UnsupportedMediaTypeProblem,
)
from connexion.middleware import request_validation as _request_validation
from connexion.middleware import swagger_ui as _swagger_ui
from connexion.middleware.main import API
from connexion.spec import OpenAPISpecification
from connexion.uri_parsing import OpenAPIURIParser
from connexion.validators import (
    FormDataValidator,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
    TextResponseBodyValidator,
)
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from openapi_spec_validator import OpenAPIV31SpecValidator
from referencing.exceptions import Unresolvable
from starlette.datastructures import Headers

from maintrac.api.threads import HandlerThreads
from maintrac.core.text import NO_NUL_PATTERN, NOT_BLANK_PATTERN

logger = logging.getLogger(__name__)

#: Format checker of the 2020-12 dialect: uuid, date-time (rfc3339-validator), uri, email...
PARAMETER_FORMAT_CHECKER: FormatChecker = Draft202012Validator.FORMAT_CHECKER
#: The same for request bodies, with ``date-time`` narrowed to instants a stored value
#: can be (see ``_date_time``). Parameters keep plain RFC 3339: a bound such as
#: ``until`` is compared exactly, even at the calendar's edge.
FORMAT_CHECKER: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)


def _date_time(value: object) -> bool:
    """RFC 3339, and a UTC instant within years 1..9999: ``0001-01-01T00:00:00+14:00`` is
    valid RFC 3339 but lies before year 1 in UTC, where no date arithmetic can follow it."""
    if not isinstance(value, str):
        return True
    if not _RFC3339(value):
        return False
    parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    parsed.astimezone(UTC)  # OverflowError at the calendar's edge
    return True


_RFC3339 = Draft202012Validator.FORMAT_CHECKER.checkers["date-time"][0]
FORMAT_CHECKER.checks("date-time", raises=(ValueError, OverflowError))(_date_time)

#: Parameter locations as they appear in a field error's pointer: ``#/query/limit``.
_LOCATIONS = ("query", "path", "header", "cookie")


class RequestValidationFailed(Exception):
    """A request that does not match the contract.

    ``kind`` is ``"parameter"`` (400), ``"cursor"`` (400: only the ``cursor`` parameter
    failed), ``"body"`` (422) or ``"malformed"`` (400: the body is not JSON, or is
    missing). ``errors`` holds ``{"pointer", "detail"}`` items.
    """

    def __init__(self, kind: str, detail: str, errors: list[dict[str, str]]) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.errors = errors


class OpenAPI31Specification(OpenAPISpecification):  # type: ignore[misc]
    """Connexion's OpenAPI 3 specification, validated as 3.1 with openapi-spec-validator."""

    @classmethod
    def _validate_spec(cls, spec: dict[str, Any]) -> None:
        version = str(spec.get("openapi", ""))
        if not version.startswith("3.1."):
            raise InvalidSpecification(f"expected an OpenAPI 3.1 document, got {version!r}")
        try:
            errors = list(OpenAPIV31SpecValidator(spec).iter_errors())
        except Unresolvable as exc:
            raise InvalidSpecification(f"unresolvable reference: {exc}") from exc
        if errors:
            raise InvalidSpecification(
                "; ".join(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors)
            )


# ------------------------------------------------------------------ messages


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _pattern_message(pattern: str, instance: Any) -> str:
    """What a string failing one of the contract's text patterns lacks, in words."""
    if pattern in (NOT_BLANK_PATTERN, NO_NUL_PATTERN) and isinstance(instance, str):
        if "\x00" in instance:
            return NUL_DETAIL
        if pattern == NOT_BLANK_PATTERN:
            return "Must not be blank."
    return f"Must match {pattern}."


def describe(error: ValidationError) -> str:
    """A short sentence for one failed keyword, without echoing the whole instance."""
    kind, value = error.validator, error.validator_value
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return (
            "Must be "
            + " or ".join(
                "null" if t == "null" else f"{'an' if t[0] in 'aeiou' else 'a'} {t}" for t in types
            )
            + "."
        )
    messages = {
        "maximum": f"Must be at most {value}.",
        "minimum": f"Must be at least {value}.",
        "exclusiveMaximum": f"Must be less than {value}.",
        "exclusiveMinimum": f"Must be greater than {value}.",
        "maxLength": f"Must be at most {_plural(value, 'character')} long.",
        "minLength": f"Must be at least {_plural(value, 'character')} long."
        if value != 1
        else "Must not be empty.",
        "maxItems": f"Must have at most {_plural(value, 'item')}.",
        "minItems": f"Must have at least {_plural(value, 'item')}.",
        "uniqueItems": "Must not repeat items.",
        "format": f"Must be a valid {value}.",
        "const": f"Must be {json.dumps(value)}.",
        "minProperties": f"Must have at least {_plural(value, 'field')}.",
        "maxProperties": f"Must have at most {_plural(value, 'field')}.",
        "additionalProperties": "Is not a field of this object.",
        "required": "Is required.",
        "pattern": _pattern_message(value, error.instance),
    }
    if kind == "enum":
        return "Must be one of: " + ", ".join(map(str, value)) + "."
    return messages.get(str(kind), "Is not valid here.")


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _body_errors(errors: Iterable[ValidationError]) -> Iterator[dict[str, str]]:
    """One entry per failed field; ``required`` and ``additionalProperties`` errors point
    at the missing or unexpected member itself, not at its parent object."""
    for error in errors:
        base = "".join(f"/{_escape(p)}" for p in error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, Mapping):
            for name in error.validator_value:
                if name not in instance:
                    yield {"pointer": f"{base}/{_escape(name)}", "detail": "Is required."}
        elif error.validator == "additionalProperties" and isinstance(instance, Mapping):
            allowed = set(error.schema.get("properties", {}))
            patterns = list(error.schema.get("patternProperties", {}))
            for name in instance:
                if name not in allowed and not any(re.search(p, name) for p in patterns):
                    yield {
                        "pointer": f"{base}/{_escape(name)}",
                        "detail": "Is not a field of this object.",
                    }
        else:
            yield {"pointer": base, "detail": describe(error)}


def _tagged_errors(error: ValidationError) -> list[ValidationError] | None:
    """A failed ``oneOf`` with a ``discriminator``: the errors of the branch its tag names
    (a meter trigger missing its meter is told about the meter fields, not about the
    calendar branch's); a missing or unknown tag is the error itself. None when the
    failure is not of a tagged ``oneOf`` on an object."""
    schema, instance = error.schema, error.instance
    discriminator = schema.get("discriminator") if isinstance(schema, Mapping) else None
    branches = schema.get("oneOf") if isinstance(schema, Mapping) else None
    if not isinstance(discriminator, Mapping) or not isinstance(branches, list):
        return None
    if not isinstance(instance, Mapping):
        return None
    name = discriminator.get("propertyName")
    mapping = discriminator.get("mapping") or {}
    path = list(error.absolute_path)
    if name not in instance:
        return [
            ValidationError(
                "", validator="required", validator_value=[name], instance=instance, path=path
            )
        ]
    tag = instance[name]
    for index, branch in enumerate(branches):
        ref = branch.get("$ref") if isinstance(branch, Mapping) else None
        const = (
            branch.get("properties", {}).get(name, {}) if isinstance(branch, Mapping) else {}
        ).get("const")
        if (ref is not None and ref == mapping.get(tag)) or (ref is None and const == tag):
            return [e for e in error.context or () if e.relative_schema_path[0] == index]
    tags = list(mapping) or [b.get("properties", {}).get(name, {}).get("const") for b in branches]
    return [
        ValidationError(
            "", validator="enum", validator_value=tags, instance=tag, path=[*path, name]
        )
    ]


def _best_errors(validator: Draft202012Validator, instance: Any) -> list[ValidationError]:
    """All errors, with each ``anyOf``/``oneOf`` failure reduced to its most relevant one,
    or, for a ``oneOf`` with a discriminator, to the errors of the branch its tag names."""
    result: list[ValidationError] = []
    for error in validator.iter_errors(instance):
        tagged = _tagged_errors(error) if error.validator == "oneOf" else None
        if tagged:
            result.extend(tagged)
        elif error.context:
            # jsonschema's own choice is type-aware ("x" against anyOf [uuid, null] is a
            # bad uuid, not "must be null"); fall back to the sub-errors when it has none.
            best = best_match([error])
            if best is error:
                best = best_match(error.context) or error
            result.append(best)
        else:
            result.append(error)
    return sorted(result, key=lambda e: [str(p) for p in e.absolute_path])


#: Beyond this many schemas a cache is not the app's own (tests build schemas ad hoc).
_COMPILED_MAX = 4096

V = TypeVar("V")


class _CompiledBySchema(Generic[V]):
    """Validators compiled once per schema object: the operation's schemas live as long as
    the app. The schema is kept beside its validator so that its id is never reused."""

    def __init__(self, compile_: Callable[[Mapping[str, Any]], V]) -> None:
        self._compile = compile_
        self._found: dict[int, tuple[Mapping[str, Any], V]] = {}

    def __call__(self, schema: Mapping[str, Any]) -> V:
        found = self._found.get(id(schema))
        if found is None or found[0] is not schema:
            if len(self._found) >= _COMPILED_MAX:
                self._found.clear()
            found = (schema, self._compile(schema))
            self._found[id(schema)] = found
        return found[1]


body_validator = _CompiledBySchema(
    lambda schema: Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
)
#: jsonschema-rs's compiled 2020-12 validator of a schema (formats checked).
fast_validator: _CompiledBySchema[Any] = _CompiledBySchema(
    lambda schema: jsonschema_rs.Draft202012Validator(dict(schema), validate_formats=True)
)
#: Like ``body_validator``, with the parameters' formats.
parameter_validator = _CompiledBySchema(
    lambda schema: Draft202012Validator(schema, format_checker=PARAMETER_FORMAT_CHECKER)
)


def _has_format(schema: Any) -> bool:
    if isinstance(schema, Mapping):
        return "format" in schema or any(_has_format(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_has_format(v) for v in schema)
    return False


#: A parameter schema without formats, compiled by jsonschema-rs: it answers "valid" for
#: the common case in a microsecond, and only an invalid value is checked again by
#: ``parameter_validator`` for its errors. With a format, None: the parameters' formats
#: (``PARAMETER_FORMAT_CHECKER``) are this module's, not jsonschema-rs's.
def _quick(schema: Mapping[str, Any]) -> Any:
    if _has_format(schema):
        return None
    try:
        return jsonschema_rs.Draft202012Validator(dict(schema), validate_formats=False)
    except (ValueError, jsonschema_rs.ValidationError):  # a schema it cannot compile
        return None


quick_parameter_validator: _CompiledBySchema[Any] = _CompiledBySchema(_quick)


def body_errors(schema: Mapping[str, Any], instance: Any) -> list[dict[str, str]]:
    """Field errors of ``instance`` against ``schema`` (JSON Schema 2020-12), deduplicated."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, str]] = []
    for item in _body_errors(_best_errors(body_validator(schema), instance)):
        key = (item["pointer"], item["detail"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored: U+0000 (PostgreSQL text cannot hold it) or a lone
    surrogate (JSON's ``\\ud800`` escapes allow one; it is not text and UTF-8 cannot encode
    it). None when it is fine."""
    if "\x00" in text:
        return NUL_DETAIL
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE_DETAIL
    return None


def nul_errors(instance: Any, pointer: str = "") -> list[dict[str, str]]:
    """Strings (values and keys) the database cannot store: U+0000 and lone surrogates,
    refused with their pointer, by contract."""
    if isinstance(instance, str):
        problem = _text_problem(instance)
        return [{"pointer": pointer, "detail": problem}] if problem else []
    found: list[dict[str, str]] = []
    if isinstance(instance, Mapping):
        for key, value in instance.items():
            problem = _text_problem(str(key))
            if problem:
                found.append({"pointer": f"{pointer}/{_escape(key)}", "detail": problem})
            found.extend(nul_errors(value, f"{pointer}/{_escape(key)}"))
    elif isinstance(instance, list):
        for index, value in enumerate(instance):
            found.extend(nul_errors(value, f"{pointer}/{index}"))
    return found


SURROGATE_DETAIL = "Must be text: an unpaired surrogate (\\ud800-\\udfff) is not."
NUL_DETAIL = "Must not contain the NUL character (U+0000)."

#: How deep a request body may nest. The deepest body of the contract (a sync push) is
#: five levels; the parser, the validators and the handlers all recurse per level.
MAX_DEPTH = 32
#: Longest number literal accepted: far beyond any quantity, far below Python's 4,300-digit
#: integer limit and the size where parsing one costs more than the request is worth.
MAX_NUMBER_LENGTH = 100


class UnusableNumber:
    """A number literal the API will not compute with (too long, or not finite): kept in
    the parsed body so that ``shape_errors`` can point at it."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _int(literal: str) -> int | UnusableNumber:
    return UnusableNumber(literal) if len(literal) > MAX_NUMBER_LENGTH else int(literal)


def _float(literal: str) -> float | UnusableNumber:
    value = float(literal) if len(literal) <= MAX_NUMBER_LENGTH else math.inf
    return value if math.isfinite(value) else UnusableNumber(literal)


def parse_json(text: str) -> Any:
    """``json.loads`` without its pitfalls: ``NaN``/``Infinity`` (not JSON), numbers too
    long or too large to use, become ``UnusableNumber``; nesting past the interpreter's
    recursion limit raises RecursionError (the caller answers 400)."""
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=UnusableNumber)


def shape_errors(instance: Any) -> list[dict[str, str]]:
    """Nesting deeper than ``MAX_DEPTH`` and unusable numbers, found without recursion
    (the schema validators recurse, and would fail on the first, not report it)."""
    found: list[dict[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(instance, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if isinstance(value, UnusableNumber):
            found.append({"pointer": pointer, "detail": NUMBER_DETAIL})
        elif isinstance(value, Mapping | list):
            if depth >= MAX_DEPTH:
                found.append({"pointer": pointer, "detail": DEPTH_DETAIL})
                continue
            items = value.items() if isinstance(value, Mapping) else enumerate(value)
            stack.extend((v, f"{pointer}/{_escape(k)}", depth + 1) for k, v in items)
    return sorted(found, key=lambda e: e["pointer"])


NUMBER_DETAIL = f"Must be a finite number of at most {MAX_NUMBER_LENGTH} characters."
DEPTH_DETAIL = f"Is nested more than {MAX_DEPTH} levels deep."

#: The schema of a parameter that declares none (one object: compiled once).
_ANY: Mapping[str, Any] = {}


# ------------------------------------------------------------------ validators


class ParameterValidator31(ParameterValidator):  # type: ignore[misc]
    """Path, query, header and cookie parameters, checked with JSON Schema 2020-12.

    Collects every failing parameter instead of stopping at the first.
    """

    def __init__(self, parameters: Any, *args: Any, **kwargs: Any) -> None:
        # Connexion appends path-level parameters to the operation's list once per
        # middleware that builds it; each parameter is validated (and reported) once.
        unique: dict[tuple[str, str], Any] = {}
        for param in parameters:
            unique.setdefault((param["in"], param["name"]), param)
        super().__init__(list(unique.values()), *args, **kwargs)

    def validate_request(self, request: Any) -> None:
        errors: list[dict[str, str]] = []
        if self.strict_validation:
            for name in sorted(self.validate_query_parameter_list(request)):
                errors.append({"pointer": f"#/query/{name}", "detail": "Is not a parameter."})
        for location in _LOCATIONS:
            for param in self.parameters.get(location, []):
                value = self._value(location, param, request)
                name = param["name"]
                if value is None:
                    if param.get("required"):
                        errors.append({"pointer": f"#/{location}/{name}", "detail": "Is required."})
                    continue
                schema = param.get("schema") or _ANY
                details: list[str] = []
                quick = quick_parameter_validator(schema)
                if quick is None or not quick.is_valid(value):
                    details = [
                        describe(e) for e in _best_errors(parameter_validator(schema), value)
                    ]
                # A U+0000 the schema's own pattern refused is reported once.
                details += [
                    f["detail"] for f in nul_errors(value)[:1] if f["detail"] not in details
                ]
                errors += [{"pointer": f"#/{location}/{name}", "detail": d} for d in details]
        if errors and all(e["pointer"] == "#/query/cursor" for e in errors):
            # The contract gives the cursor's format; one that does not match it was not
            # issued by this API, and is answered like a forged one.
            raise RequestValidationFailed(
                "cursor", "The cursor is not one this API issued.", errors
            )
        if errors:
            first = errors[0]
            where = first["pointer"].split("/")
            detail = f"{where[1].capitalize()} parameter '{where[2]}': {first['detail']}"
            if len(errors) > 1:
                detail += f" ({len(errors) - 1} more in 'errors')"
            raise RequestValidationFailed("parameter", detail, errors)

    @staticmethod
    def _value(location: str, param: Mapping[str, Any], request: Any) -> Any:
        name = param["name"]
        if location == "query":
            return request.query_params.get(name)
        if location == "path":
            return request.path_params.get(name.replace("-", "_"))
        if location == "header":
            return request.headers.get(name)
        return request.cookies.get(name)


class JSONBodyValidator31(JSONRequestBodyValidator):  # type: ignore[misc]
    """JSON request bodies: malformed JSON is 400, a schema mismatch is 422 with pointers."""

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        headers = Headers(scope=scope)
        if (
            self._required
            and not int(headers.get("content-length", 0) or 0)
            and "transfer-encoding" not in headers  # a chunked body has no length
            and "default" not in self._schema
        ):
            raise RequestValidationFailed("malformed", "A JSON request body is required.", [])
        return await super().wrap_receive(receive, scope=scope)

    async def _parse(self, stream: Any, scope: Any) -> Any:  # noqa: ARG002  # Connexion's signature
        chunks = [message async for message in stream]
        raw = b"".join(chunks)
        if not raw.strip():
            return None
        try:
            return parse_json(raw.decode(self._encoding))
        except RecursionError:
            raise RequestValidationFailed(
                "malformed",
                f"The request body is nested too deeply (the limit is {MAX_DEPTH} levels).",
                [{"pointer": "", "detail": f"Is nested more than {MAX_DEPTH} levels deep."}],
            ) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            position = (
                f" (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            raise RequestValidationFailed(
                "malformed", f"The request body is not valid JSON{position}.", []
            ) from exc

    def _validate(self, body: Any) -> None:
        if body is None:
            if self._required:
                raise RequestValidationFailed("malformed", "A JSON request body is required.", [])
            return
        errors = shape_errors(body) or body_errors(self._schema, body) or nul_errors(body)
        if errors:
            n = len(errors)
            raise RequestValidationFailed(
                "body",
                f"The request body has {_plural(n, 'invalid field')}: "
                f"{errors[0]['pointer'] or '(the body)'} {errors[0]['detail'][0].lower()}"
                f"{errors[0]['detail'][1:]}",
                errors,
            )


class JSONResponseValidator31(JSONResponseBodyValidator):  # type: ignore[misc]
    """Response bodies against the contract.

    ``strict`` (``VALIDATE_RESPONSES``, tests and contract runs): every response, and a
    violation replaces it with a 500. Otherwise (``RESPONSE_VALIDATION_SAMPLE``) a random
    ``sample`` fraction of responses is checked and each violation is logged with the
    operation and its JSON pointer; the response goes out unchanged.

    jsonschema-rs decides first; a body it refuses is walked again by jsonschema, which
    names each field and remains the reference: what it accepts is not a violation.
    """

    strict: bool = True
    sample: float = 1.0

    def wrap_send(self, send: Any) -> Any:
        if not self.strict and (self.sample <= 0 or random.random() >= self.sample):  # noqa: S311  # sampling, not secrecy
            return send
        return super().wrap_send(send)

    def _parse(self, stream: Any) -> Any:
        body = b"".join(stream)
        if not body:
            return None
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise NonConformingResponseBody(detail=f"The response is not JSON: {exc}") from exc

    def _validate(self, body: Any) -> None:
        try:
            if fast_validator(self._schema).is_valid(body):
                return
        except (ValueError, jsonschema_rs.ValidationError):  # a schema it cannot compile
            logger.debug("jsonschema-rs cannot compile a response schema", exc_info=True)
        errors = body_errors(self._schema, body)
        if not errors:
            return
        routing = (self._scope.get("extensions") or {}).get("connexion_routing") or {}
        operation_id = routing.get("operation_id")
        for error in errors:
            logger.error(
                "response does not conform to the contract",
                extra={
                    "operation": operation_id,
                    "pointer": error["pointer"],
                    "violation": error["detail"],
                },
            )
        if self.strict:
            raise NonConformingResponseBody(
                detail="The response does not conform to the API contract: "
                + "; ".join(f"{e['pointer']} {e['detail']}" for e in errors[:5])
            )


def response_validator(*, strict: bool, sample: float) -> type[JSONResponseValidator31]:
    """The response validator class for one app's settings."""
    return type(
        "JSONResponseValidator31",
        (JSONResponseValidator31,),
        {"strict": strict, "sample": 1.0 if strict else sample},
    )


VALIDATOR_MAP: dict[str, Any] = {
    "parameter": ParameterValidator31,
    "body": MediaTypeDict(
        {
            "*/*json": JSONBodyValidator31,
            "application/x-www-form-urlencoded": FormDataValidator,
            "multipart/form-data": MultiPartFormDataValidator,
        }
    ),
    "response": MediaTypeDict(
        {"*/*json": JSONResponseValidator31, "text/plain": TextResponseBodyValidator}
    ),
}


# ------------------------------------------------------------------ the request path

# Parameter names are converted (camelCase -> snake_case via inflection) for every
# parameter of every request; the names are the contract's, a few dozen in all.
_parameter.pythonic = functools.lru_cache(maxsize=1024)(_parameter.pythonic)
# The security handler asks inspect.signature, twice per request, whether the token
# check takes ``request`` and ``required_scopes``; the answer is fixed per function.
_security.AbstractSecurityHandler._accepts_kwarg = staticmethod(
    functools.lru_cache(maxsize=256)(_security.AbstractSecurityHandler._accepts_kwarg)
)


class _BodylessParameterDecorator(_parameter.AsyncParameterDecorator):  # type: ignore[misc]
    """Connexion's parameter decorator for an operation without a request body.

    Connexion's asks the request for its body (a media-type lookup) and its form files
    (``request.files()``, a form parse) on every request, then finds nothing to pass for
    either; here both are known to be absent once, when the operation is decorated. Its
    ``get_arguments`` also rebuilds, per request, what depends on the operation only (the
    parameter definitions by name, the query defaults), reading each through the
    ``operation`` context proxy: ``_Arguments`` keeps them from the first request and
    runs the same steps with Connexion's own helpers, so the handler gets the same
    keyword arguments.
    """

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        arguments, has_kwargs = connexion.utils.inspect_function_arguments(
            _parameter.unwrap_decorators(function)
        )
        sanitize = self.sanitize_fn
        prepared: list[_Arguments] = []

        @functools.wraps(function)
        async def wrapper(request: Any) -> Any:
            if not prepared:
                prepared.append(_Arguments(_parameter.operation.parameters))
            kwargs = prepared[0].kwargs(request, arguments, has_kwargs, sanitize)
            return await function(**kwargs)

        return wrapper


class _Arguments:
    """``prep_kwargs`` of a body-less operation (``get_arguments`` with no body and no
    files), its parameter definitions taken once."""

    def __init__(self, parameters: Sequence[Mapping[str, Any]]) -> None:
        self.path = {p["name"]: p for p in parameters if p["in"] == "path"}
        self.query = {p["name"]: p for p in parameters if p["in"] == "query"}
        self.defaults = _parameter._get_query_defaults(self.query)
        #: Scalars only: a copy of the dict stands for Connexion's ``deepcopy``.
        self.flat_defaults = all(
            isinstance(v, str | int | float | bool) or v is None for v in self.defaults.values()
        )

    def kwargs(
        self, request: Any, arguments: list[str], has_kwargs: bool, sanitize: Callable[[str], str]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, value in request.path_params.items():
            definition = self.path.get(name)
            found[sanitize(name)] = (
                value if definition is None else _parameter._get_val_from_param(value, definition)
            )
        defaults = dict(self.defaults) if self.flat_defaults else copy.deepcopy(self.defaults)
        query = connexion.utils.deep_merge(defaults, request.query_params)
        found.update(
            _parameter._query_args_helper(self.query, query, arguments, has_kwargs, sanitize)
        )
        kwargs = {sanitize(k): v for k, v in found.items()}
        for key, value in _parameter.context.items():
            if has_kwargs or key in arguments:
                kwargs[key] = value
        if _parameter.CONTEXT_NAME in arguments:
            kwargs[_parameter.CONTEXT_NAME] = _parameter.context
        return kwargs


class _DecorateOnce(StarletteDecorator):  # type: ignore[misc]
    """Connexion's decorator, applied once per operation instead of once per request.

    ``StarletteDecorator.__call__`` builds a URI parser and re-runs ``decorate`` (which
    calls ``inspect.signature`` and three ``functools.wraps``) on every request. Both
    depend only on the operation, so they are built on its first request and kept.

    With ``threads``, a sync handler runs in those (``api/threads.py``) instead of
    Starlette's ``run_in_threadpool``; a coroutine handler is awaited as before.
    """

    def __init__(
        self, *, threads: HandlerThreads | None = None, has_body: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.threads = threads
        self.has_body = has_body

    @property
    def _parameter_decorator_cls(self) -> type[_parameter.AsyncParameterDecorator]:
        if self.has_body:
            return super()._parameter_decorator_cls  # type: ignore[no-any-return]
        return _BodylessParameterDecorator

    @property
    def _sync_async_decorator(self) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        threads = self.threads
        if threads is None:
            return super()._sync_async_decorator  # type: ignore[no-any-return]

        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            if inspect.iscoroutinefunction(function):
                return super(_DecorateOnce, self)._sync_async_decorator(function)  # type: ignore[no-any-return]

            @functools.wraps(function)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await threads.run(function, *args, **kwargs)

            return wrapper

        return decorator

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        built: list[Any] = []

        @functools.wraps(function)
        async def wrapper(*_args: Any, **_kwargs: Any) -> Any:
            if not built:
                built[:] = [self.uri_parser, self.decorate(function)]
            uri_parser, decorated = built
            request = self.framework.get_request(
                uri_parser=uri_parser, scope=scope, receive=receive
            )
            return await decorated(request)

        return wrapper


class _Operation(AsyncOperation):  # type: ignore[misc]
    threads: HandlerThreads | None = None
    #: whether the contract gives the operation a request body
    has_body: bool = True

    @functools.cached_property
    def fn(self) -> Callable[..., Any]:
        decorator = _DecorateOnce(
            pythonic_params=self.pythonic_params,
            jsonifier=self.jsonifier,
            threads=self.threads,
            has_body=self.has_body,
        )
        return decorator(self._fn)


class _URIParser(OpenAPIURIParser):  # type: ignore[misc]
    """Connexion's OpenAPI URI parser with ``param_schemas`` built once: Connexion's is a
    property that rebuilds the dict on every access, several times per parameter of every
    request."""

    @functools.cached_property
    def param_schemas(self) -> dict[str, Any]:
        return {k: v.get("schema", {}) for k, v in self.param_defns.items()}


class _RequestValidationOperation(_request_validation.RequestValidationOperation):  # type: ignore[misc]
    """Connexion's request validation with the per-operation parts built once.

    Connexion builds a URI parser and a parameter validator (which splits the operation's
    parameters by location) and a media-type table on every request; all three depend on
    the operation only. Body validators hold the request's stream and stay per request.
    """

    @functools.cached_property
    def _parameter_validator(self) -> Any:
        operation = self._operation
        uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
        return self._validator_map["parameter"](
            operation.parameters,
            uri_parser=uri_parser,
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )

    @functools.cached_property
    def _consumes(self) -> MediaTypeDict | None:
        consumes = self._operation.consumes
        return MediaTypeDict([(c.lower(), None) for c in consumes]) if consumes else None

    def validate_mime_type(self, mime_type: str) -> None:
        if self._consumes is not None and mime_type.lower() not in self._consumes:
            raise UnsupportedMediaTypeProblem(
                detail=f"Invalid Content-type ({mime_type}), expected {self._operation.consumes}"
            )

    @functools.cached_property
    def _has_body(self) -> bool:
        return bool(self._operation.request_body)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Connexion's own steps, in its order (connexion/middleware/request_validation.py).
        self._parameter_validator.validate(scope)
        if not self._has_body:
            # No request body: no media type to check (it consumes none) and no body
            # schema, so the steps below would find nothing to do.
            await self.next_app(scope, receive, send)
            return
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        schema = self._operation.body_schema(mime_type)
        if schema:
            try:
                body_validator = self._validator_map["body"][mime_type]
            except KeyError:
                logger.info(
                    "Skipping validation. No validator registered for content type: %s.",
                    mime_type,
                )
            else:
                validator = body_validator(
                    schema=schema,
                    required=self._operation.request_body.get("required", False),
                    nullable=connexion.utils.is_nullable(
                        self._operation.body_definition(mime_type)
                    ),
                    encoding=encoding,
                    strict_validation=self.strict_validation,
                    uri_parser=self._operation.uri_parser_class(
                        self._operation.parameters, self._operation.body_definition()
                    ),
                )
                receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _RequestValidationAPI(_request_validation.RequestValidationAPI):  # type: ignore[misc]
    def make_operation(self, operation: Any) -> _RequestValidationOperation:
        return _RequestValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class RequestValidationMiddleware31(_request_validation.RequestValidationMiddleware):  # type: ignore[misc]
    """Connexion's request validation middleware, with ``_RequestValidationOperation``."""

    api_cls = _RequestValidationAPI


class SwaggerUIMiddleware31(_swagger_ui.SwaggerUIMiddleware):  # type: ignore[misc]
    """Connexion's Swagger UI middleware, entered only for the docs' own paths.

    Connexion's runs a router over the docs routes for every request and then passes the
    request on (a copy of its scope) when none matches. A path that does not even contain
    the literal start of any docs route (``/v1/docs``) cannot match one: it is passed on
    the same way here, without the router.
    """

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self._prefixes: list[str] = []

    def add_api(self, specification: Any, base_path: str | None = None, **kwargs: Any) -> None:
        super().add_api(specification, base_path=base_path, **kwargs)
        mount = self.router.routes[-1]  # the API's mount, just added
        for route in mount.routes:
            literal = str(getattr(route, "path", "")).split("{", 1)[0]
            self._prefixes.append(mount.path.rstrip("/") + literal)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = str(scope.get("path", ""))
            if not any(prefix in path for prefix in self._prefixes):
                await self.app(scope.copy(), receive, send)
                return
        await super().__call__(scope, receive, send)


class FastAsyncApi(AsyncApi):  # type: ignore[misc]
    """Connexion's AsyncApi with operations decorated once (``_DecorateOnce``), their sync
    handlers run in ``threads`` when set."""

    threads: HandlerThreads | None = None

    def make_operation(self, operation: Any) -> _Operation:
        made: _Operation = _Operation.from_operation(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )
        made.threads = self.threads
        made.has_body = bool(operation.request_body)
        return made


#: Connexion's middleware classes and the ones used in their place.
_FASTER = {
    _request_validation.RequestValidationMiddleware: RequestValidationMiddleware31,
    _swagger_ui.SwaggerUIMiddleware: SwaggerUIMiddleware31,
}


def build_middleware_stack(app: connexion.AsyncApp) -> None:
    """Build ``app``'s middleware stack now (Connexion builds it on the first request):
    the ASGI entry point builds it before serving, so no request pays for it and
    ``gc.freeze()`` afterwards covers it. Nothing can be added to the app afterwards."""
    middleware = app.middleware
    if middleware.middleware_stack is None:
        middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()


def add_api(
    app: connexion.AsyncApp,
    spec: dict[str, Any],
    *,
    response_sample: float = 0.0,
    threads: HandlerThreads | None = None,
    **options: Any,
) -> None:
    """Register ``spec`` (a 3.1 document as a dict) on ``app`` with the 3.1 validators.

    ``connexion.AsyncApp.add_api`` would load the document through the 3.0-only
    ``Specification.load``; this builds the API from ``OpenAPI31Specification`` instead
    and passes every other option through Connexion's own option handling.
    ``validate_responses`` checks every response strictly; otherwise ``response_sample``
    (0..1) of them are checked and violations logged (``JSONResponseValidator31``).
    ``threads``: where sync handlers run (else Starlette's ``run_in_threadpool``).
    """
    middleware = app.middleware
    if middleware.middleware_stack is not None:
        raise RuntimeError("Cannot add an API after the application has started")
    specification = OpenAPI31Specification(spec)
    base_path = options.pop("base_path", None)
    name = options.pop("name", None)
    strict = bool(options.pop("validate_responses", False))
    validator_map = {
        **VALIDATOR_MAP,
        "response": MediaTypeDict(
            {
                "*/*json": response_validator(strict=strict, sample=response_sample),
                "text/plain": TextResponseBodyValidator,
            }
        ),
    }
    options.setdefault("uri_parser_class", _URIParser)
    merged = middleware.options.replace(
        validator_map=validator_map,
        validate_responses=strict or response_sample > 0,
        **options,
    )
    # The app's own operations layer: decorate each handler once, not per request.
    app._middleware_app.api_cls = type(  # no public hook for it
        "FastAsyncApi", (FastAsyncApi,), {"threads": threads}
    )
    # Validation and the docs UI with their per-request set-up done once (classes above).
    middleware.middlewares = [_FASTER.get(m, m) for m in middleware.middlewares]
    middleware.apis.append(API(specification, base_path=base_path, name=name, **merged.__dict__))
