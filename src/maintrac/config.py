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
