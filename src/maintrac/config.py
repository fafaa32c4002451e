"""Every setting the service reads, from environment variables, in one object.

The service itself connects with ``DATABASE_URL`` as the non-owner application role
(``NOBYPASSRLS``), so row-level security always applies to it. Migrations connect with
``MIGRATION_DATABASE_URL`` as the owner of the schema. ``ADMIN_DATABASE_URL`` (a
superuser) is used only by ``maintrac dev`` and the tests to create roles and databases.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "maintrac-dev-secret-change-me-0123456789abcdef"  # dev only


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    # Production unless said otherwise: the built-in development secret is never used by
    # accident (``maintrac dev`` and the tests say development/test explicitly).
    environment: Literal["development", "test", "production"] = "production"

    database_url: str = "postgresql+psycopg://maintrac_app@127.0.0.1:5432/maintrac"
    migration_database_url: str = "postgresql+psycopg://maintrac_owner@127.0.0.1:5432/maintrac"
    admin_database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    database_pool_size: int = Field(default=10, ge=1)
    # PgBouncer in transaction mode (1.18, Debian's) cannot keep server-side prepared
    # statements: set to true behind it and psycopg never prepares.
    database_pgbouncer: bool = False

    jwt_secret: SecretStr | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    # Key for signing pagination cursors; falls back to the JWT secret, then a dev value.
    cursor_secret: SecretStr | None = None

    # The job layer (``maintrac.jobs``): Redis is the broker only; PostgreSQL (the outbox
    # and ``job_runs``) is the durable record of what work is owed and what was done.
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Redis has no real acknowledgement: a message a worker took is handed out again after
    # this many seconds unless acknowledged. It must exceed the longest task and the longest
    # retry countdown (``jobs_retry_backoff_max``), or a running task is delivered twice.
    jobs_visibility_timeout: int = Field(default=6 * 3600, ge=5)
    # No task runs longer than this (its process is replaced); keep it well below the
    # visibility timeout so a running task is never handed out a second time.
    jobs_time_limit: int = Field(default=3600, ge=1)
    # More modules of tasks for workers and beat to load (comma-separated import paths).
    jobs_extra_task_modules: str = ""
    jobs_max_retries: int = Field(default=5, ge=0)
    # Exponential backoff between retries: base seconds (1st retry ~base, then 2x each),
    # capped, with full jitter.
    jobs_retry_backoff: int = Field(default=2, ge=1)
    jobs_retry_backoff_max: int = Field(default=600, ge=1)
    # A job run (the record that a task's work committed) is kept this long so a late
    # redelivery still finds it and does nothing.
    jobs_run_retention_days: int = Field(default=7, ge=1)
    # The outbox relay: woken by NOTIFY on commit; polls this often as the fallback.
    outbox_poll_seconds: float = Field(default=5.0, gt=0)
    outbox_batch_size: int = Field(default=100, ge=1, le=10000)
    outbox_retention_days: int = Field(default=7, ge=1)
    # Housekeeping: rows deleted per statement (each batch is its own short transaction).
    housekeeping_batch_size: int = Field(default=1000, ge=1, le=100000)
    housekeeping_interval_seconds: int = Field(default=3600, ge=1)
    # A sync checkpoint or resend younger than this is always kept (covers a pull whose
    # response was lost and the push that follows a pull).
    sync_retention_grace_hours: int = Field(default=24, ge=1)
    # A device that has not pulled for this long no longer holds back resend clean-up.
    sync_device_retention_days: int = Field(default=90, ge=1)

    # E-mail notices (``maintrac.services.notices``), sent by the worker. SMTP_URL:
    # smtp://[user:password@]host[:port][?starttls=auto|required|off] (STARTTLS when the
    # server offers it unless off; credentials never go out before TLS, except with
    # starttls=off) or smtps://... (TLS from the start, port 465). Empty: notices are
    # recorded and marked failed ("SMTP_URL is not set"), nothing is sent.
    smtp_url: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    mail_from: str = "MainTrac <notices@maintrac.invalid>"
    # Links in mails point at the web app here: {APP_BASE_URL}/work-orders/{id}.
    app_base_url: str = "http://127.0.0.1:8000"
    # The daily digest of overdue work: sent from this hour (0-23) in each tenant's time
    # zone; the periodic check runs every NOTICES_DIGEST_CHECK_SECONDS.
    notices_digest_hour: int = Field(default=7, ge=0, le=23)
    notices_digest_check_seconds: int = Field(default=900, ge=1)
    # A temporary SMTP failure (4xx, connection refused, timeout) is tried again after
    # base * 2^(n-1) seconds, capped, until this many tries; 5xx is not retried.
    notices_max_attempts: int = Field(default=8, ge=1, le=100)
    notices_retry_backoff_seconds: float = Field(default=30.0, gt=0)
    notices_retry_backoff_max_seconds: float = Field(default=3600.0, gt=0)

    validate_responses: bool = False
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"

    def effective_jwt_secret(self) -> str | None:
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self.environment != "production" and self.jwt_jwks_url is None:
            return DEV_JWT_SECRET
        return None

    def effective_cursor_secret(self) -> bytes:
        if self.cursor_secret is not None:
            return self.cursor_secret.get_secret_value().encode()
        secret = self.effective_jwt_secret()
        if secret is not None:
            return ("cursor:" + secret).encode()
        raise RuntimeError("CURSOR_SECRET must be set when no JWT_SECRET is configured")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
