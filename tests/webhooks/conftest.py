"""Fixtures of the webhook tests: the job layer's real processes (tests/jobs/conftest.py)
plus a real HTTP receiver (tests/webhooks/receiver.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml

from maintrac.config import get_settings
from tests.conftest import ROOT
from tests.jobs.conftest import (  # noqa: F401 - fixtures shared with the job-layer tests
    job_settings,
    processes,
    redis_server,
    runtime_db,
)
from tests.webhooks.receiver import Receiver, running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from running()


def private_targets(monkeypatch: pytest.MonkeyPatch, allowed: bool) -> None:
    """Set WEBHOOKS_ALLOW_PRIVATE for the API served in this process (its settings are
    read once per process: the cache is cleared now and after the test)."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "true" if allowed else "false")
    get_settings.cache_clear()


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The API accepts loopback http targets, as in make dev."""
    private_targets(monkeypatch, allowed=True)
    yield
    get_settings.cache_clear()


#: What the worker and relay of these tests get: short retries, so a test sees several.
FAST_RETRIES = {
    "WEBHOOKS_ALLOW_PRIVATE": "true",
    "WEBHOOKS_TIMEOUT_SECONDS": "1",
    "WEBHOOKS_RETRY_BASE_SECONDS": "0.5",
    "WEBHOOKS_RETRY_MAX_SECONDS": "1",
}


@cache
def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text())
    return loaded


def validate_against_spec(body: bytes) -> dict[str, Any]:
    """The delivered body, checked against the schema the spec's top-level ``webhooks``
    section declares for its event type (JSON Schema 2020-12, formats checked)."""
    event: dict[str, Any] = json.loads(body)
    spec = _spec()
    operation = spec["webhooks"][event["type"]]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": spec["components"],
        "$ref": ref,
    }
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(event)
    return event
