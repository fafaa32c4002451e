"""SQLAlchemy models of the migrated schema (the migrations are the source of truth).

Names follow CONVENTIONS.md; ``tests/db/test_models_match_migrations.py`` fails when these
drift from what the migrations build.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


def _tstz(*, nullable: bool = False) -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=nullable)


class TenantRow(Base):
    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    time_zone: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class TenantCounterRow(Base):
    __tablename__ = "tenant_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class WorkOrderRow(Base):
    __tablename__ = "work_orders"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    due_at: Mapped[datetime | None] = _tstz(nullable=True)
    completed_at: Mapped[datetime | None] = _tstz(nullable=True)
    task_code_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    gl_code_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    pm_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    pm_occurrence: Mapped[int | None] = mapped_column(Integer)
    estimated_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    actual_minutes: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class UserRow(Base):
    __tablename__ = "users"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    last_seen_at: Mapped[datetime | None] = _tstz(nullable=True)
    notification_preferences: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class _ReferenceColumns:
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class AssetCategoryRow(_ReferenceColumns, Base):
    __tablename__ = "asset_categories"


class TaskCodeRow(_ReferenceColumns, Base):
    __tablename__ = "task_codes"


class GlCodeRow(_ReferenceColumns, Base):
    __tablename__ = "gl_codes"


class AssetRow(Base):
    __tablename__ = "assets"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    serial_number: Mapped[str | None] = mapped_column(Text)
    manufacturer: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class MeterRow(Base):
    __tablename__ = "meters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    last_reading_value: Mapped[Decimal | None] = mapped_column(Numeric)
    last_reading_at: Mapped[datetime | None] = _tstz(nullable=True)
    version: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class AssetReadingRow(Base):
    __tablename__ = "asset_readings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    meter_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    value: Mapped[Decimal] = mapped_column(Numeric)
    taken_at: Mapped[datetime] = _tstz()
    taken_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()


class WorkOrderEventRow(Base):
    __tablename__ = "work_order_events"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    type: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    occurred_at: Mapped[datetime] = _tstz()
    device_id: Mapped[str | None] = mapped_column(Text)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()


class WorkLogEntryRow(Base):
    __tablename__ = "work_log_entries"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    logged_at: Mapped[datetime] = _tstz()
    minutes: Mapped[int | None] = mapped_column(Integer)
    material_name: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric)
    unit: Mapped[str | None] = mapped_column(Text)
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric)
    note: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()


class PmPlanRow(Base):
    __tablename__ = "pm_plans"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    asset_category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    wo_title: Mapped[str] = mapped_column(Text)
    wo_description: Mapped[str | None] = mapped_column(Text)
    task_code_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    priority: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    estimated_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    trigger_type: Mapped[str] = mapped_column(Text)
    interval_count: Mapped[int | None] = mapped_column(Integer)
    interval_unit: Mapped[str | None] = mapped_column(Text)
    anchor_at: Mapped[datetime | None] = _tstz(nullable=True)
    meter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    meter_interval: Mapped[Decimal | None] = mapped_column(Numeric)
    meter_anchor: Mapped[Decimal | None] = mapped_column(Numeric)
    active: Mapped[bool] = mapped_column(Boolean)
    next_occurrence: Mapped[int] = mapped_column(Integer)
    series_origin: Mapped[int] = mapped_column(Integer)
    next_due_at: Mapped[datetime | None] = _tstz(nullable=True)
    next_due_meter: Mapped[Decimal | None] = mapped_column(Numeric)
    last_completed_at: Mapped[datetime | None] = _tstz(nullable=True)
    last_completed_meter: Mapped[Decimal | None] = mapped_column(Numeric)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    gl_code_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    last_generated_occurrence: Mapped[int | None] = mapped_column(Integer)
    last_generated_at: Mapped[datetime | None] = _tstz(nullable=True)
    version: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class PmPlanEventRow(Base):
    __tablename__ = "pm_plan_events"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    pm_plan_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    type: Mapped[str] = mapped_column(Text)
    occurrence_from: Mapped[int] = mapped_column(Integer)
    occurrence_to: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _tstz()


class IdempotencyKeyRow(Base):
    __tablename__ = "idempotency_keys"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    operation: Mapped[str] = mapped_column(Text)
    request_hash: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = _tstz()
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class SyncCheckpointRow(Base):
    __tablename__ = "sync_checkpoints"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    pulled_at: Mapped[int] = mapped_column(BigInteger)
    snapshot_xmin: Mapped[int] = mapped_column(BigInteger)
    snapshot: Mapped[str | None] = mapped_column(Text)
    previous_pulled_at: Mapped[int | None] = mapped_column(BigInteger)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = _tstz()


class SyncResendRow(Base):
    __tablename__ = "sync_resends"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    table_name: Mapped[str] = mapped_column(Text)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()


class SyncConflictRow(Base):
    __tablename__ = "sync_conflicts"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    table_name: Mapped[str] = mapped_column(Text)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str | None] = mapped_column(Text)
    client_value: Mapped[Any] = mapped_column(JSONB(none_as_null=True), nullable=True)
    server_value: Mapped[Any] = mapped_column(JSONB(none_as_null=True), nullable=True)
    resolution: Mapped[str] = mapped_column(Text)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_id: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = _tstz()
    created_at: Mapped[datetime] = _tstz()


# ---------------------------------------------------------------- the job layer (0004)


class OutboxMessageRow(Base):
    __tablename__ = "outbox_messages"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task: Mapped[str] = mapped_column(Text)
    args: Mapped[dict[str, Any]] = mapped_column(JSONB)
    not_before: Mapped[datetime] = _tstz()
    published_at: Mapped[datetime | None] = _tstz(nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)
    broker_seen_at: Mapped[datetime | None] = _tstz(nullable=True)
    republishes: Mapped[int] = mapped_column(Integer)


class JobRunRow(Base):
    __tablename__ = "job_runs"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    task: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _tstz()


class JobFailureRow(Base):
    __tablename__ = "job_failures"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    task: Mapped[str] = mapped_column(Text)
    args: Mapped[dict[str, Any]] = mapped_column(JSONB)
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _tstz()


# ---------------------------------------------------------------- reports (0008)


class ReportRow(Base):
    __tablename__ = "reports"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rows_done: Mapped[int] = mapped_column(BigInteger)
    rows_total: Mapped[int | None] = mapped_column(BigInteger)
    row_count: Mapped[int | None] = mapped_column(BigInteger)
    byte_size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = _tstz(nullable=True)
    finished_at: Mapped[datetime | None] = _tstz(nullable=True)
    expires_at: Mapped[datetime | None] = _tstz(nullable=True)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class ReportChunkRow(Base):
    __tablename__ = "report_chunks"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _tstz()


class WebhookEndpointRow(Base):
    """Migration 0006; read and written by ``db.webhooks`` (SQL), mapped here so the
    models stay a faithful picture of the schema."""

    __tablename__ = "webhook_endpoints"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    event_types: Mapped[list[str]] = mapped_column(ARRAY(Text))
    enabled: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    previous_secret_expires_at: Mapped[datetime | None] = _tstz(nullable=True)
    secret_rotated_at: Mapped[datetime | None] = _tstz(nullable=True)
    failing_since: Mapped[datetime | None] = _tstz(nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    disabled_at: Mapped[datetime | None] = _tstz(nullable=True)
    version: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class WebhookDeliveryRow(Base):
    __tablename__ = "webhook_deliveries"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_type: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(Text)
    attempts: Mapped[list[Any]] = mapped_column(JSONB)
    attempt_count: Mapped[int] = mapped_column(Integer)
    next_attempt_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    next_retry_at: Mapped[datetime | None] = _tstz(nullable=True)
    window_started_at: Mapped[datetime] = _tstz()
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)


class NotificationRow(Base):
    """An e-mail notice owed to one person for one event (migration 0007; queries in
    ``db/notices.py``)."""

    __tablename__ = "notifications"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(Text)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    message_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    sending_at: Mapped[datetime | None] = _tstz(nullable=True)
    sent_at: Mapped[datetime | None] = _tstz(nullable=True)
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)
