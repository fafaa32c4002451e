"""Report tests use the job-layer fixtures: a private redis-server and real ``maintrac``
worker and relay subprocesses (``tests/jobs/conftest.py``)."""

from tests.jobs.conftest import app_db, processes, redis_server

__all__ = ["app_db", "processes", "redis_server"]
