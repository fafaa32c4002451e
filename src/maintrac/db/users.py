"""Queries on users (the tenant's people, mirrored from the identity provider)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.db.models import UserRow
from maintrac.db.paging import CURRENT_TENANT, after_key
from maintrac.db.transaction import TenantSession


def link_by_email(session: TenantSession, subject: str, email: str) -> UserRow | None:
    """Claim a user an administrator created (same e-mail, no sign-in yet) for ``subject``."""
    statement = (
        update(UserRow)
        .where(
            UserRow.external_id.is_(None),
            func.lower(UserRow.email) == email.lower(),
            UserRow.deleted_at.is_(None),
        )
        .values(external_id=subject, last_seen_at=func.now())
        .returning(UserRow)
    )
    return session.scalars(statement).first()


def insert_from_token(session: TenantSession, values: Mapping[str, Any]) -> UserRow | None:
    """Insert unless a row with the same sign-in or e-mail exists (then None)."""
    statement = (
        pg_insert(UserRow)
        .values(tenant_id=CURRENT_TENANT, last_seen_at=func.now(), **values)
        .on_conflict_do_nothing()
        .returning(UserRow)
    )
    return session.scalars(statement).first()


def get_by_external_id(session: TenantSession, subject: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.external_id == subject)).first()


def list_users(
    session: TenantSession,
    *,
    active: bool | None,
    role: str | None,
    after: list[Any] | None,
    limit: int,
) -> list[UserRow]:
    statement = select(UserRow).where(UserRow.deleted_at.is_(None))
    if active is not None:
        statement = statement.where(UserRow.active.is_(active))
    if role is not None:
        statement = statement.where(UserRow.role == role)
    statement = after_key(statement, [UserRow.id], after, descending=True)
    return list(session.scalars(statement.order_by(UserRow.id.desc()).limit(limit)))
