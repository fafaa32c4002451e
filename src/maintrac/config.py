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
    # Connections kept open per process; the API also runs at most this many handlers at
    # once (its worker-thread limit is set to the same number), so a request never waits
    # for, nor opens, a connection beyond the pool under steady load.
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

    # Tests and contract runs: every response is checked and a violation is a 500.
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
