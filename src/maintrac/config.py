"""Every setting the service reads, from environment variables, in one object.

The service itself connects with ``DATABASE_URL`` as the non-owner application role
(``NOBYPASSRLS``), so row-level security always applies to it. Migrations connect with
``MIGRATION_DATABASE_URL`` as the owner of the schema. ``ADMIN_DATABASE_URL`` (a
superuser) is used only by ``maintrac dev`` and the tests to create roles and databases.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
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
    # Connections kept open per process (the API's handlers, its health checks and
    # metrics, a worker's tasks).
    database_pool_size: int = Field(default=10, ge=1)
    # The API runs at most this many handlers at once per process, each in a thread of its
    # own, never more than DATABASE_POOL_SIZE (so a request never waits for, nor opens, a
    # connection beyond the pool under steady load). The handlers share one GIL: threads
    # overlap their database round trips, and past a few they only queue for the GIL
    # (bench/README.md: 4 against 10, 3-8% more requests a second, p99 a fifth lower).
    # Raise it for handlers that wait long on the database.
    handler_threads: int = Field(default=4, ge=1)
    # PgBouncer in transaction mode (1.18, Debian's) cannot keep server-side prepared
    # statements: set to true behind it and psycopg never prepares.
    database_pgbouncer: bool = False
    # Bounded waits (ARCHITECTURE.md, "Faults and limits"); each one ends in a 503 problem.
    # Pool sizing rule: processes x (pool_size + max_overflow) <= the connections the
    # server (max_connections minus reserved and other clients) or PgBouncer allows.
    database_max_overflow: int = Field(default=0, ge=0)
    database_pool_timeout_seconds: float = Field(default=3.0, gt=0)
    database_connect_timeout_seconds: int = Field(default=3, ge=2)  # libpq: whole seconds, >= 2
    database_statement_timeout_ms: int = Field(default=5000, ge=100)
    database_lock_timeout_ms: int = Field(default=2000, ge=10)
    # The client-side deadline of a round trip is the statement timeout plus this grace.
    database_deadline_grace_seconds: float = Field(default=1.0, gt=0)
    database_keepalives_idle_seconds: int = Field(default=10, ge=1)
    database_keepalives_interval_seconds: int = Field(default=5, ge=1)
    database_keepalives_count: int = Field(default=3, ge=1)
    readyz_timeout_seconds: float = Field(default=2.0, gt=0)
    # Retry-After on 503 answers when the database cannot serve.
    unavailable_retry_after_seconds: int = Field(default=2, ge=1)
    # Request limits (api/limits.py): an operation may declare a larger body with
    # x-max-body-bytes; a body must arrive whole within body_timeout_seconds.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_header_bytes: int = Field(default=32 * 1024, ge=4096)
    body_timeout_seconds: float = Field(default=15.0, gt=0)

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
    # The republish sweep (in the relay): a published message whose job has not run
    # (no job_runs/job_failures row) and that the broker no longer holds (a Redis that
    # restarted empty) is published again. A message is checked this long after it was
    # published, or last found in the broker: well above the time a message takes from
    # the relay to a worker's unacknowledged set, so a racing check is rare. Running
    # tasks and retries waiting for their countdown are held by the broker and never
    # republished, however long they take.
    outbox_republish_after_seconds: float = Field(default=300.0, ge=0)
    outbox_republish_interval_seconds: float = Field(default=30.0, gt=0)
    # Republishes of one message before it is given up (recorded in job_failures).
    outbox_republish_max_attempts: int = Field(default=5, ge=0, le=100)
    outbox_republish_batch_size: int = Field(default=1000, ge=1, le=10000)
    # Housekeeping: rows deleted per statement (each batch is its own short transaction).
    housekeeping_batch_size: int = Field(default=1000, ge=1, le=100000)
    housekeeping_interval_seconds: int = Field(default=3600, ge=1)
    # How often the PM tick looks for due plans (seconds); meter plans do not wait for it.
    pm_tick_seconds: int = Field(default=60, ge=1)
    # The reference-data cache on REDIS_URL (services/cache.py); reads fall back to
    # PostgreSQL whenever Redis fails, after at most this many seconds.
    cache_enabled: bool = True
    cache_ttl_seconds: int = Field(default=3600, ge=1)
    cache_socket_timeout: float = Field(default=0.25, gt=0)

    # Reports (``maintrac.jobs.reports``): files live in PostgreSQL (``report_chunks``), so
    # the database backup covers them. A finished report and its file are kept this long.
    reports_retention_hours: int = Field(default=7 * 24, ge=1)
    # Rows between two progress updates of a running report.
    reports_progress_rows: int = Field(default=10_000, ge=1)
    # How often expired report files are deleted (per tenant, on the housekeeping queue).
    reports_expiry_interval_seconds: int = Field(default=3600, ge=1)
    # A sync checkpoint or resend younger than this is always kept (covers a pull whose
    # response was lost and the push that follows a pull).
    sync_retention_grace_hours: int = Field(default=24, ge=1)
    # A device that has not pulled for this long no longer holds back resend clean-up.
    sync_device_retention_days: int = Field(default=90, ge=1)

    # Rate limits (``maintrac.services.ratelimit``, README "Rate limits"): GCRA quotas in
    # Redis per tenant and per token subject, from the tenant's plan; per client address
    # for unauthenticated requests. On unless set; off by default only in the test
    # environment (the shared test app would otherwise be throttled by its own suite).
    rate_limits_enabled: bool | None = None
    # Defaults to REDIS_URL.
    rate_limit_redis_url: str | None = None
    # plan -> {"tenant": "requests/seconds", "sub": "requests/seconds"} (JSON in the env).
    rate_limit_plans: dict[str, dict[str, str]] = Field(
        default_factory=lambda: {
            "standard": {"tenant": "1200/60", "sub": "300/60"},
            "enterprise": {"tenant": "6000/60", "sub": "1200/60"},
        }
    )
    # tenant id -> plan name (JSON in the env); every other tenant is on the default plan.
    rate_limit_tenant_plans: dict[str, str] = Field(default_factory=dict)
    rate_limit_default_plan: str = "standard"
    # Per client address, for requests without a valid token.
    rate_limit_anonymous: str = "60/60"
    # Redis must answer within this (connect and read), or the request passes unchecked
    # and Redis is not asked again for rate_limit_retry_seconds.
    rate_limit_timeout_seconds: float = Field(default=0.05, gt=0, le=5)
    rate_limit_retry_seconds: float = Field(default=1.0, ge=0)

    # Tests and contract runs: every response is checked and a violation is a 500.
    # Webhooks (``maintrac.services.webhooks``). Targets must be https on public addresses
    # unless this is true (tests and ``make dev``: plain http and loopback/private allowed).
    webhooks_allow_private: bool = False
    # Fixed addresses for webhook hosts, looked up instead of DNS (like /etc/hosts), e.g.
    # {"example.com": ["93.184.215.14"]}: for a deployment whose DNS cannot resolve its
    # targets (the repository's contract-stock run has no DNS). The addresses are checked
    # like resolved ones (public only unless private targets are allowed). Empty: DNS.
    webhooks_hosts: dict[str, list[str]] = Field(default_factory=dict)
    # An egress allow-list, for isolated test and staging deployments: only the hosts in
    # WEBHOOKS_HOSTS resolve; any other host (a DNS name or an IP address) is refused as
    # unresolvable, when saved and before every attempt, and DNS is never asked.
    webhooks_hosts_only: bool = False
    # One delivery attempt waits at most this long for the receiver's answer.
    webhooks_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Retries: exponential backoff from base, capped, with jitter, for the retry window;
    # then the delivery is failed (it can still be retried by hand).
    webhooks_retry_base_seconds: float = Field(default=30.0, gt=0)
    webhooks_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhooks_retry_window_seconds: float = Field(default=24 * 3600.0, gt=0)
    # An endpoint failing every attempt for this long is disabled (its owner sees why).
    webhooks_disable_after_seconds: float = Field(default=5 * 24 * 3600.0, gt=0)
    # A rotated-out secret keeps signing (a second signature) this long.
    webhooks_previous_secret_hours: float = Field(default=24.0, ge=0)
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
    # Production: this fraction (0..1) of responses is checked against the contract and
    # every violation is logged with its operation and JSON pointer; the response is sent
    # unchanged either way.
    response_validation_sample: float = Field(default=0.0, ge=0.0, le=1.0)
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"

    # Operations. Metrics: /metrics on the API port; with METRICS_TOKEN set it needs
    # "Authorization: Bearer <METRICS_TOKEN>", without it only loopback clients are served.
    metrics_token: SecretStr | None = None
    # A worker's metrics on their own port (0: none; under `make dev` they are in the API's
    # /metrics through the shared PROMETHEUS_MULTIPROC_DIR).
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)
    worker_metrics_host: str = "127.0.0.1"
    # The worker's watchdog (jobs/watchdog.py): a worker with a free slot that took no
    # message for this long while its queues hold some has stopped consuming (a known
    # Celery/kombu failure after a Redis incident) and exits for `maintrac worker` to
    # restart it (0: no watchdog). Checked every WORKER_WATCHDOG_INTERVAL seconds.
    worker_stall_seconds: float = Field(default=60.0, ge=0)
    worker_watchdog_interval: float = Field(default=5.0, gt=0)
    # The relay's metrics (queue depths) on their own port, on the same host (0: none).
    relay_metrics_port: int = Field(default=0, ge=0, le=65535)
    relay_queue_sample_seconds: float = Field(default=15.0, gt=0)
    # Sentry error tracking for the API and the workers; off when unset.
    sentry_dsn: str | None = None
    # The release reported to Sentry, traces and maintrac_build_info (default: the
    # package version).
    release: str | None = None

    def effective_release(self) -> str:
        if self.release:
            return self.release
        try:
            return version("maintrac-api")
        except PackageNotFoundError:
            return "unknown"

    def effective_handler_threads(self) -> int:
        """``HANDLER_THREADS``, at most ``DATABASE_POOL_SIZE``."""
        return min(self.handler_threads, self.database_pool_size)

    def effective_rate_limits_enabled(self) -> bool:
        if self.rate_limits_enabled is not None:
            return self.rate_limits_enabled
        return self.environment != "test"

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
