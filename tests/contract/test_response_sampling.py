"""Response validation: strict in tests (a violation is a 500), sampled in production
(``RESPONSE_VALIDATION_SAMPLE``: a violation is logged with its operation and pointer and
the response goes out unchanged)."""

from __future__ import annotations

import logging
from typing import Any

import connexion
import pytest
from connexion.resolver import Resolver
from starlette.testclient import TestClient

from maintrac.api import openapi31


def counter_doc() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Counter", "version": "1.0.0"},
        "paths": {
            "/counts/{kind}": {
                "get": {
                    "operationId": "getCount",
                    "parameters": [
                        {
                            "name": "kind",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A count.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Count"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Count": {
                    "type": "object",
                    "required": ["count", "at"],
                    "additionalProperties": False,
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "at": {"type": "string", "format": "date-time"},
                    },
                }
            }
        },
    }


BODIES: dict[str, dict[str, Any]] = {
    "good": {"count": 3, "at": "2026-01-02T03:04:05Z"},
    "negative": {"count": -1, "at": "2026-01-02T03:04:05Z"},
    "bad-time": {"count": 1, "at": "yesterday"},
}


def counter_app(*, strict: bool, sample: float) -> connexion.AsyncApp:
    def get_count(kind: str) -> dict[str, Any]:
        return BODIES[kind]

    app = connexion.AsyncApp(__name__)
    openapi31.add_api(
        app,
        counter_doc(),
        resolver=Resolver(function_resolver={"getCount": get_count}.__getitem__),
        validate_responses=strict,
        response_sample=sample,
    )
    return app


def violations(caplog: pytest.LogCaptureFixture) -> list[tuple[Any, Any, Any]]:
    return [
        (r.__dict__.get("operation"), r.__dict__.get("pointer"), r.__dict__.get("violation"))
        for r in caplog.records
        if r.getMessage() == "response does not conform to the contract"
    ]


@pytest.mark.parametrize(
    ("kind", "pointer", "detail"),
    [
        ("negative", "/count", "Must be at least 0."),
        ("bad-time", "/at", "Must be a valid date-time."),
    ],
)
def test_a_sampled_violation_is_logged_and_the_response_sent_unchanged(
    caplog: pytest.LogCaptureFixture, kind: str, pointer: str, detail: str
) -> None:
    caplog.set_level(logging.ERROR, logger="maintrac.api.openapi31")
    with TestClient(counter_app(strict=False, sample=1.0)) as client:
        response = client.get(f"/counts/{kind}")
    assert response.status_code == 200
    assert response.json() == BODIES[kind]
    assert violations(caplog) == [("getCount", pointer, detail)]


def test_a_conforming_sampled_response_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="maintrac.api.openapi31")
    with TestClient(counter_app(strict=False, sample=1.0)) as client:
        response = client.get("/counts/good")
    assert response.status_code == 200
    assert violations(caplog) == []


def test_sample_zero_checks_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="maintrac.api.openapi31")
    with TestClient(counter_app(strict=False, sample=0.0)) as client:
        for _ in range(20):
            assert client.get("/counts/negative").status_code == 200
    assert violations(caplog) == []


def test_a_sample_checks_about_that_fraction(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="maintrac.api.openapi31")
    with TestClient(counter_app(strict=False, sample=0.5)) as client:
        for _ in range(200):
            assert client.get("/counts/negative").status_code == 200
    # Binomial(200, 0.5): outside 60..140 with probability below 1e-8.
    assert 60 <= len(violations(caplog)) <= 140


def test_strict_validation_replaces_a_violation_with_a_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="maintrac.api.openapi31")
    with TestClient(counter_app(strict=True, sample=0.0), raise_server_exceptions=False) as client:
        assert client.get("/counts/good").status_code == 200
        response = client.get("/counts/negative")
    assert response.status_code == 500
    assert violations(caplog) == [("getCount", "/count", "Must be at least 0.")]
