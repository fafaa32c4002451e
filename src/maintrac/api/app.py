"""The ASGI application: the 3.1 contract wired to handlers, plus ops and docs routes.

Routes outside the contract: ``/healthz`` (process up), ``/readyz`` (database
reachable), ``/v1/openapi.json`` and ``/v1/openapi.yaml`` (the hand-written document,
served as written), ``/v1/docs/`` (Swagger UI) and ``/problems/{slug}`` (what each problem
type means). Everything else is an operation of ``openapi/openapi.yaml``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import connexion
import pydantic
import yaml
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from maintrac.api import openapi31
from maintrac.api.authorization import HTTP_METHODS, bearer_handler, permissions_by_operation
from maintrac.api.handlers import (
    assets,
    meters,
    pm_plans,
    reference_data,
    sync,
    users,
    work_log,
    work_orders,
)
from maintrac.api.operations import Handler, make_resolver
from maintrac.api.problems import (
    CATALOG,
    domain_error_handler,
    http_exception_handler,
    problem_response,
    request_instance,
    starlette_problem,
    unexpected_error_handler,
    validation_error_handler,
)
from maintrac.api.request_context import RequestContextMiddleware
from maintrac.api.security import TokenVerifier
from maintrac.config import Settings, get_settings
from maintrac.core.errors import DomainError
from maintrac.core.pagination import CursorCodec
from maintrac.db.transaction import RetryableConflict
from maintrac.services.runtime import Runtime, open_runtime

logger = logging.getLogger(__name__)

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "openapi.yaml"

HANDLERS: dict[str, Handler] = {
    **work_orders.HANDLERS,
    **work_log.HANDLERS,
    **users.HANDLERS,
    **reference_data.HANDLERS,
    **assets.HANDLERS,
    **meters.HANDLERS,
    **pm_plans.HANDLERS,
    **sync.HANDLERS,
}


@dataclass(frozen=True)
class Contract:
    """The hand-written document: parsed once, served byte-for-byte as JSON and YAML."""

    spec: dict[str, Any]
    yaml_text: bytes
    json_text: bytes

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Contract:
        raw = path.read_bytes()
        spec = yaml.safe_load(raw)
        return cls(spec=spec, yaml_text=raw, json_text=json.dumps(spec).encode())


def _pydantic_error_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # The request schemas already passed JSON Schema validation; this is a safety net for
    # a value the generated model reads more strictly than the schema does.
    if not isinstance(exc, pydantic.ValidationError):
        raise TypeError(exc)
    errors = [
        {"pointer": "".join(f"/{p}" for p in e["loc"]), "detail": e["msg"] + "."}
        for e in exc.errors(include_url=False)
    ]
    return problem_response(
        "validation_failed",
        "The request body has invalid fields.",
        instance=request_instance(request),
        errors=errors,
    )


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    settings = settings or get_settings()
    contract = Contract.load()
    owns_runtime = runtime is None
    runtime = runtime or open_runtime(settings)
    codec = CursorCodec(settings.effective_cursor_secret())
    verifier = TokenVerifier.from_settings(settings)

    api = connexion.AsyncApp(__name__)
    openapi31.add_api(
        api,
        contract.spec,
        resolver=make_resolver(
            _with_placeholders(HANDLERS, contract.spec),
            runtime.database,
            codec,
            idempotent_operations(contract.spec),
        ),
        pythonic_params=True,
        strict_validation=True,
        validate_responses=settings.validate_responses,
        security_map={"bearer": bearer_handler(verifier, permissions_by_operation(contract.spec))},
        swagger_ui_options=SwaggerUIOptions(
            serve_spec=False,
            swagger_ui_path="/docs",
            swagger_ui_config={
                "url": "/v1/openapi.json",
                "persistAuthorization": True,
                "displayOperationId": True,
            },
        ),
    )
    api.add_error_handler(DomainError, domain_error_handler)
    api.add_error_handler(openapi31.RequestValidationFailed, validation_error_handler)
    api.add_error_handler(pydantic.ValidationError, _pydantic_error_handler)
    allowed = AllowedMethods(contract.spec)

    def method_not_allowed(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        # Connexion routes each operation separately, so Starlette's Allow would name only
        # one operation's method: the contract knows them all.
        if isinstance(exc, HTTPException):
            exc.headers = {**(exc.headers or {}), "Allow": allowed.header(request.url.path)}
        return http_exception_handler(request, exc)

    api.add_error_handler(405, method_not_allowed)
    api.add_error_handler(ProblemException, http_exception_handler)
    api.add_error_handler(HTTPException, http_exception_handler)
    api.add_error_handler(RetryableConflict, _busy_handler)
    api.add_error_handler(Exception, unexpected_error_handler)
    api.add_middleware(RequestContextMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)

    async def openapi_json(_: Request) -> Response:
        return Response(contract.json_text, media_type="application/json")

    async def openapi_yaml(_: Request) -> Response:
        return Response(contract.yaml_text, media_type="application/yaml")

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    def readyz(request: Request) -> Response:
        try:
            runtime.database.ping()
        except Exception:  # any failure means "not ready"; logged, not raised
            logger.warning("readiness check failed", exc_info=True)
            return starlette_problem(
                "service_unavailable", "The database is not reachable.", request.url.path
            )
        return JSONResponse({"status": "ready"})

    async def problem_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        for code, kind in CATALOG.items():
            if kind.slug == slug:
                return HTMLResponse(_problem_html(code, kind.title, kind.status, kind.explanation))
        return HTMLResponse("<h1>Unknown problem type</h1>", status_code=404)

    async def problem_index(_: Request) -> Response:
        items = "".join(
            f'<li><a href="/problems/{k.slug}">{k.slug}</a> ({k.status}): {k.title}</li>'
            for k in CATALOG.values()
        )
        return HTMLResponse(f"<!doctype html><title>Problem types</title><ul>{items}</ul>")

    async def outer_problem(request: Request, exc: Exception) -> Response:
        """404/405 outside the contract's routes (a path no route can match, such as one
        with a newline, or a shadowed concrete path) in the same problem format."""
        status = getattr(exc, "status_code", 404)
        path = request.url.path
        if status == 405:
            return starlette_problem(
                "method_not_allowed",
                f"{request.method} is not a method of {path}.",
                path,
                {"Allow": allowed.header(path)},
            )
        return starlette_problem("not_found", "There is no endpoint at this path.", path)

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/v1/openapi.json", openapi_json),
            Route("/v1/openapi.yaml", openapi_yaml),
            Route("/problems", problem_index),
            Route("/problems/{slug}", problem_page),
            *allowed.shadow_routes("/v1"),
            Mount("/", app=api),
        ],
        exception_handlers={404: outer_problem, 405: outer_problem},
        # A first sync pull is megabytes of JSON; compressed, about a twentieth of that.
        middleware=[Middleware(GZipMiddleware, minimum_size=4096)],
        lifespan=_lifespan(runtime if owns_runtime else None),
    )
    app.state.runtime = runtime
    app.state.contract = contract
    return app


def idempotent_operations(spec: dict[str, Any]) -> frozenset[str]:
    """The operationIds that declare the Idempotency-Key header (the contract decides)."""
    found = set()
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("$ref", "").endswith("/IdempotencyKey") or (
                    parameter.get("in") == "header"
                    and str(parameter.get("name", "")).lower() == "idempotency-key"
                ):
                    found.add(operation["operationId"])
    return frozenset(found)


def _busy_handler(request: ConnexionRequest, _exc: Exception) -> ConnexionResponse:
    # Lost a race with concurrent writers three times in a row: nothing was changed.
    return problem_response(
        "service_unavailable",
        "The request collided with concurrent changes and was not applied; retry it.",
        instance=request_instance(request),
        headers={"Retry-After": "1"},
    )


def _not_implemented(*_args: Any, **_kwargs: Any) -> ConnexionResponse:
    raise NotImplementedError


def _with_placeholders(handlers: dict[str, Handler], spec: dict[str, Any]) -> dict[str, Handler]:
    """Every operationId of the spec gets a handler; one still being built fails loudly.

    ``tests/api/test_handlers_complete.py`` fails while any placeholder is in use.
    """
    out = dict(handlers)
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                out.setdefault(operation["operationId"], _not_implemented)
    return out


def _lifespan(runtime: Runtime | None) -> Any:
    """Close the runtime at shutdown, when the app opened it (a caller's is theirs)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        if runtime is not None:
            runtime.close()

    return lifespan


class AllowedMethods:
    """The methods the contract declares for each path, for ``Allow`` headers."""

    def __init__(self, spec: dict[str, Any]) -> None:
        base = "/v1"
        entries = []
        for path, item in spec["paths"].items():
            methods = [m.upper() for m in HTTP_METHODS if m in item]
            if "GET" in methods:
                methods.append("HEAD")
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(base + path))
            entries.append((path, "{" in path, re.compile(f"^{pattern}$"), methods))
        # Concrete paths first: /users/me is not /users/{userId}.
        self._entries = sorted(entries, key=lambda e: e[1])

    def methods(self, path: str) -> list[str]:
        for _, _templated, regex, methods in self._entries:
            if regex.match(path):
                return methods
        return []

    def header(self, path: str) -> str:
        return ", ".join(self.methods(path))

    def shadow_routes(self, base: str) -> list[Route]:
        """Routes answering 405 for concrete paths that a templated path would swallow
        (``PATCH /users/me`` must not reach ``/users/{userId}`` and fail on its id)."""
        routes = []
        templated = [e for e in self._entries if e[1]]
        for path, is_templated, _, methods in self._entries:
            if is_templated or not any(t[2].match(base + path) for t in templated):
                continue
            other = [m for m in ("POST", "PUT", "PATCH", "DELETE") if m not in methods]
            if other:
                routes.append(Route(base + path, _refuse_method, methods=other))
        return routes


async def _refuse_method(_request: Request) -> Response:
    raise HTTPException(status_code=405)


def _problem_html(code: str, title: str, status: int, explanation: str) -> str:
    return (
        "<!doctype html><meta charset=utf-8>"
        f"<title>{escape(title)}</title>"
        f"<h1>{escape(title)}</h1>"
        f"<p>HTTP status <b>{status}</b>; problem code <code>{escape(code)}</code>.</p>"
        f"<p>{escape(explanation)}</p>"
        '<p><a href="/problems">All problem types</a></p>'
    )
