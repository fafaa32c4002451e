"""People: the caller's own record (created on first use) and the users resource."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from maintrac.core.auth import Principal
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import NotFound, SelfLockout, UserInactive
from maintrac.core.ids import new_id
from maintrac.core.notices import NotificationPreferences, merge_preferences
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.users import NewUser, User, UserChanges, fallback_display_name
from maintrac.db import crud
from maintrac.db import users as repo
from maintrac.db.models import UserRow
from maintrac.db.transaction import TenantSession, caller_record
from maintrac.services.paging import as_uuid, decode_after, make_page


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


def resolve_caller(session: TenantSession, principal: Principal) -> uuid.UUID:
    """The caller's user id, creating the record the first time a token's ``sub`` is seen.

    A record an administrator created with the same e-mail and no sign-in yet is claimed
    instead of duplicated, but only when the identity provider vouches for the e-mail
    (``email_verified``): otherwise anyone able to put an address in their profile could
    take over another person's record. A deactivated or deleted user is refused.
    """
    found = caller_record(session)
    if found.user_id is not None:
        if not found.active:
            raise UserInactive("Your user is deactivated in this tenant.")
        return found.user_id
    row = None
    if principal.email and principal.email_verified:
        row = repo.link_by_email(session, principal.subject, principal.email)
    if row is None:
        values = {
            "id": new_id(),
            "external_id": principal.subject,
            "display_name": principal.display_name or fallback_display_name(principal.subject),
            "email": principal.email,
            "role": principal.role[:50],
        }
        row = repo.insert_from_token(session, values)
        if row is None:
            # Another request created it first, or the e-mail belongs to another user.
            row = repo.get_by_external_id(session, principal.subject)
            if row is None:
                row = repo.insert_from_token(session, {**values, "email": None})
    if row is None:
        row = repo.get_by_external_id(session, principal.subject)
    if row is None or not row.active or row.deleted_at is not None:
        raise UserInactive("Your user is deactivated in this tenant.")
    return row.id


def _not_found(user_id: uuid.UUID) -> NotFound:
    return NotFound(f"No user {user_id}.", resource="user")


def get_user(session: TenantSession, user_id: uuid.UUID) -> User:
    row = crud.get_live(session, UserRow, user_id)
    if row is None:
        raise _not_found(user_id)
    return to_user(row)


def create_user(session: TenantSession, new: NewUser) -> User:
    row = crud.insert_row(
        session,
        UserRow,
        {
            "id": new_id(),
            "display_name": tidy(new.display_name),
            "email": new.email,
            "role": new.role,
            "external_id": new.external_id,
            "active": new.active,
        },
    )
    return to_user(row)


def update_user(
    session: TenantSession,
    user_id: uuid.UUID,
    changes: UserChanges,
    expected_version: ExpectedVersion = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> User:
    row = crud.get_live(session, UserRow, user_id, for_update=True)
    if row is None:
        raise _not_found(user_id)
    check_version("user", row.version, expected_version)
    if user_id == actor_id and changes.get("active") is False:
        raise SelfLockout("You cannot deactivate your own user.")
    wanted: dict[str, object] = dict(changes)
    if "notification_preferences" in changes:
        wanted["notification_preferences"] = merge_preferences(
            row.notification_preferences, changes["notification_preferences"]
        )
    values = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if "display_name" in values:
        values["display_name"] = tidy(str(values["display_name"]))
    if not values:
        return to_user(row)
    return to_user(crud.update_row(session, UserRow, user_id, values))


def delete_user(
    session: TenantSession,
    user_id: uuid.UUID,
    expected_version: ExpectedVersion = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> None:
    row = crud.get_live(session, UserRow, user_id, for_update=True)
    if row is None:
        raise _not_found(user_id)
    check_version("user", row.version, expected_version)
    if user_id == actor_id:
        raise SelfLockout("You cannot delete your own user.")
    crud.soft_delete(session, UserRow, user_id)


@dataclass(frozen=True, slots=True)
class UserQuery:
    active: bool | None = None
    role: str | None = None
    limit: int = 50
    cursor: str | None = None


def list_users(session: TenantSession, query: UserQuery, codec: CursorCodec) -> Page[User]:
    sort = "-createdAt"
    after = decode_after(codec, query.cursor, sort, [as_uuid])
    rows = repo.list_users(
        session, active=query.active, role=query.role, after=after, limit=query.limit + 1
    )
    return make_page(
        rows, query.limit, codec=codec, sort=sort, key=lambda r: [r.id], convert=to_user
    )
