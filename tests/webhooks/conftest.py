"""Fixtures of the webhook tests: the job layer's real processes (tests/jobs/conftest.py)
plus a real HTTP receiver (tests/webhooks/receiver.py)."""

from __future__ import annotations

from tests.jobs.conftest import (  # noqa: F401 - fixtures shared with the job-layer tests
    job_settings,
    processes,
    redis_server,
    runtime_db,
)
