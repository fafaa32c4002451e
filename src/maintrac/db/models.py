"""SQLAlchemy models of the migrated schema (the migrations are the source of truth).

Names follow CONVENTIONS.md; ``tests/db/test_models_match_migrations.py`` fails when these
drift from what the migrations build.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, MetaData, Text, Uuid
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
    created_at: Mapped[datetime] = _tstz()
    updated_at: Mapped[datetime] = _tstz()
    deleted_at: Mapped[datetime | None] = _tstz(nullable=True)
