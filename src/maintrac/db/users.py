"""The user repository (the tenant's people, mirrored from the identity provider)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from maintrac.core.notices import NotificationPreferences
from maintrac.core.users import User
from maintrac.db.models import UserRow
from maintrac.db.paging import CURRENT_TENANT, Keyset, as_uuid, part
from maintrac.db.repository import Repository, Stored
from maintrac.db.transaction import TenantSession


def to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        external_id=row.external_id,
        display_name=row.display_name,
        email=row.email,
        role=row.role,
        active=row.active,
        last_seen_at=row.last_seen_at,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        notification_preferences=NotificationPreferences.from_stored(row.notification_preferences),
    )


users: Final = Repository(UserRow, to_user)

#: Newest first (UUIDv7 ids sort by creation).
NEWEST_FIRST: Final[Keyset[User]] = Keyset(
    "-createdAt", (part(UserRow.id, as_uuid),), descending=True
)


def link_by_email(session: TenantSession, subject: str, email: str) -> User | None:
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
    row = session.scalars(statement).first()
    return None if row is None else to_user(row)


def insert_from_token(session: TenantSession, values: Mapping[str, Any]) -> User | None:
    """Insert unless a row with the same sign-in or e-mail exists (then None)."""
    statement = (
        pg_insert(UserRow)
        .values(tenant_id=CURRENT_TENANT, last_seen_at=func.now(), **values)
        .on_conflict_do_nothing()
        .returning(UserRow)
    )
    row = session.scalars(statement).first()
    return None if row is None else to_user(row)


def get_by_external_id(session: TenantSession, subject: str) -> Stored[User] | None:
    """The user signed in as ``subject``, deleted or not."""
    row = session.scalars(select(UserRow).where(UserRow.external_id == subject)).first()
    return None if row is None else Stored(to_user(row), row.deleted_at is not None)


def list_users(
    session: TenantSession,
    *,
    active: bool | None,
    role: str | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[User]:
    where: list[Any] = []
    if active is not None:
        where.append(UserRow.active.is_(active))
    if role is not None:
        where.append(UserRow.role == role)
    return users.page(session, NEWEST_FIRST, *where, after=after, limit=limit)
