"""E-mail notices: one record per (event, recipient), and each user's preferences.

* ``notifications``: what the worker owes one person for one event (or one day's overdue
  digest): unique per (event, recipient), so an event handed to the subscriber twice still
  mails once. ``status`` moves queued -> sending -> sent, or to failed (permanent SMTP
  refusal, attempts exhausted, or an outcome that cannot be known) or skipped (preference
  off, no address, deactivated user, own action). ``sending`` is committed before the SMTP
  conversation, so a worker killed mid-send leaves a trace and is not sent again blindly.
* ``users.notification_preferences``: a JSON object of kind -> boolean; a missing key is
  on (the default), so a new kind of notice is on for everybody without a data migration.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from maintrac.db import ddl

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

KINDS = "('work_order_assigned', 'work_order_status_changed', 'pm_work_order_generated', "
KINDS += "'overdue_digest')"
STATUSES = "('queued', 'sending', 'sent', 'failed', 'skipped')"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE users ADD COLUMN notification_preferences jsonb NOT NULL DEFAULT '{}' "
        "CONSTRAINT ck_users_notification_preferences "
        "CHECK (jsonb_typeof(notification_preferences) = 'object')"
    )
    op.execute(
        f"""
        CREATE TABLE notifications (
            tenant_id     uuid NOT NULL,
            id            uuid NOT NULL DEFAULT uuid_generate_v7(),
            event_id      uuid NOT NULL,
            kind          text NOT NULL CHECK (kind IN {KINDS}),
            recipient_id  uuid NOT NULL,
            work_order_id uuid,
            payload       jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(payload) = 'object'),
            status        text NOT NULL DEFAULT 'queued' CHECK (status IN {STATUSES}),
            attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error    text,
            message_id    text,
            sending_at    timestamptz,
            sent_at       timestamptz,
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now(),
            deleted_at    timestamptz,
            CONSTRAINT pk_notifications PRIMARY KEY (tenant_id, id),
            CONSTRAINT uq_notifications_event_recipient
                UNIQUE (tenant_id, event_id, recipient_id),
            CONSTRAINT fk_notifications_tenants FOREIGN KEY (tenant_id) REFERENCES tenants (id),
            CONSTRAINT fk_notifications_users FOREIGN KEY (tenant_id, recipient_id)
                REFERENCES users (tenant_id, id),
            CONSTRAINT fk_notifications_work_orders FOREIGN KEY (tenant_id, work_order_id)
                REFERENCES work_orders (tenant_id, id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_notifications_recipient ON notifications "
        "(tenant_id, recipient_id, created_at)"
    )
    op.execute(
        "CREATE INDEX ix_notifications_work_order ON notifications (tenant_id, work_order_id)"
    )
    for statement in ddl.tenant_table("notifications"):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE notifications")
    op.execute("ALTER TABLE users DROP COLUMN notification_preferences")
