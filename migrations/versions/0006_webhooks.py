"""Webhooks: endpoints per tenant and one delivery per (event, endpoint).

* ``webhook_endpoints``: where a tenant wants its events (an https URL, the event types,
  enabled or not). ``secret`` is kept in the clear because it must sign every delivery
  (HMAC needs the key itself); it is shown to the caller once, at creation and rotation.
  After a rotation ``previous_secret`` keeps signing too (a second signature) until
  ``previous_secret_expires_at`` (24 h), so receivers can switch without losing events.
  ``failing_since`` is when the endpoint started failing without a success since; an
  endpoint failing for longer than the configured period is disabled, and
  ``disabled_reason`` / ``disabled_at`` say why and when.
* ``webhook_deliveries``: the event (``payload``, exactly the body sent) owed to one
  endpoint, its status, and every attempt (``attempts``: when, status code, duration,
  error). ``next_attempt_id`` is the outbox message of the next attempt: only the attempt
  carrying that id may run, so a message delivered twice sends once.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

KEY = "tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT uuid_generate_v7()"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE webhook_endpoints (
            {KEY},
            url                        text NOT NULL CHECK (char_length(url) BETWEEN 8 AND 2000),
            event_types                text[] NOT NULL CHECK (cardinality(event_types) >= 1),
            enabled                    boolean NOT NULL DEFAULT true,
            description                text CHECK (char_length(description) <= 500),
            secret                     text NOT NULL,
            previous_secret            text,
            previous_secret_expires_at timestamptz,
            secret_rotated_at          timestamptz,
            failing_since              timestamptz,
            disabled_reason            text,
            disabled_at                timestamptz,
            version                    bigint NOT NULL DEFAULT 1,
            created_at                 timestamptz NOT NULL DEFAULT now(),
            updated_at                 timestamptz NOT NULL DEFAULT now(),
            deleted_at                 timestamptz,
            CONSTRAINT pk_webhook_endpoints PRIMARY KEY (tenant_id, id),
            CONSTRAINT fk_webhook_endpoints_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_webhook_endpoints_live ON webhook_endpoints (tenant_id, id) "
        "WHERE deleted_at IS NULL"
    )
    for statement in [*ddl.tenant_table("webhook_endpoints"), *ddl.versioned("webhook_endpoints")]:
        op.execute(statement)

    op.execute(
        f"""
        CREATE TABLE webhook_deliveries (
            {KEY},
            endpoint_id        uuid NOT NULL,
            event_id           uuid NOT NULL,
            event_type         text NOT NULL CHECK (char_length(event_type) BETWEEN 1 AND 100),
            payload            jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
            status             text NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'succeeded', 'failed')),
            attempts           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attempts) = 'array'),
            attempt_count      integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
            next_attempt_id    uuid,
            next_retry_at      timestamptz,
            window_started_at  timestamptz NOT NULL DEFAULT now(),
            last_error         text,
            created_at         timestamptz NOT NULL DEFAULT now(),
            updated_at         timestamptz NOT NULL DEFAULT now(),
            deleted_at         timestamptz,
            CONSTRAINT pk_webhook_deliveries PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_webhook_deliveries_event UNIQUE (tenant_id, event_id, endpoint_id),
            CONSTRAINT fk_webhook_deliveries_webhook_endpoints FOREIGN KEY (tenant_id, endpoint_id)
                REFERENCES webhook_endpoints (tenant_id, id),
            CONSTRAINT fk_webhook_deliveries_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id)
        )
        """
    )
    # An endpoint's deliveries, newest first (the deliveries list).
    op.execute(
        "CREATE INDEX ix_webhook_deliveries_endpoint "
        "ON webhook_deliveries (tenant_id, endpoint_id, id)"
    )
    for statement in ddl.tenant_table("webhook_deliveries"):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE webhook_deliveries")
    op.execute("DROP TABLE webhook_endpoints")
