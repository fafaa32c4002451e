"""The named parts ``create_app`` assembles, each checked on its own (no database)."""

from __future__ import annotations

import pydantic
from connexion.exceptions import ProblemException
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from maintrac.api import openapi31
from maintrac.api.app import (
    HANDLERS,
    AllowedMethods,
    _not_implemented,
    _with_placeholders,
    api_error_handlers,
    outer_middleware,
    problem_routes,
)
from maintrac.api.contract import Contract
from maintrac.core.errors import DomainError
from maintrac.db.errors import CommitOutcomeUnknown, DatabaseUnavailable
from maintrac.db.transaction import RetryableConflict

CONTRACT = Contract.load()


def test_allowed_methods_come_from_the_contract() -> None:
    allowed = AllowedMethods(CONTRACT)
    assert allowed.header("/v1/users/me") == "GET, PATCH, HEAD"
    assert allowed.header("/v1/users/0193a3c4-0000-7000-8000-000000000001") == (
        "GET, DELETE, PATCH, HEAD"
    )
    assert allowed.header("/v1/sync/push") == "POST"
    assert allowed.methods("/v1/nowhere") == []


def test_shadow_routes_refuse_what_a_concrete_path_does_not_declare() -> None:
    # /users/me would otherwise be swallowed by /users/{userId} (and fail on its id).
    routes = AllowedMethods(CONTRACT).shadow_routes()
    assert [(r.path, sorted(r.methods or ())) for r in routes] == [
        ("/v1/users/me", ["DELETE", "POST", "PUT"])
    ]


def test_every_failure_inside_the_contract_has_a_problem_handler() -> None:
    handled = {error for error, _ in api_error_handlers(AllowedMethods(CONTRACT))}
    assert handled == {
        DomainError,
        openapi31.RequestValidationFailed,
        pydantic.ValidationError,
        405,
        HTTPException,
        RetryableConflict,
        DatabaseUnavailable,
        CommitOutcomeUnknown,
        ProblemException,
        Exception,
    }


def test_placeholders_fill_only_operations_without_a_handler() -> None:
    filled = _with_placeholders({}, CONTRACT)
    assert set(filled) == set(CONTRACT.operations)
    assert set(filled.values()) == {_not_implemented}
    assert _with_placeholders(HANDLERS, CONTRACT) == HANDLERS


def test_outer_middleware_compresses() -> None:
    (gzip,) = outer_middleware()
    factory: object = gzip.cls
    assert factory is GZipMiddleware
    assert gzip.kwargs == {"minimum_size": 4096, "compresslevel": 5}


def test_problem_routes() -> None:
    assert [r.path for r in problem_routes() if isinstance(r, Route)] == [
        "/problems",
        "/problems/{slug}",
    ]
