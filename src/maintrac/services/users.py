"""People: the caller's own record (created on first use) and the users resource."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from maintrac.core.auth import Principal
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import NotFound, SelfLockout, UserInactive
from maintrac.core.ids import new_id
from maintrac.core.notices import merge_preferences
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.text import tidy
from maintrac.core.users import NewUser, User, UserChanges, fallback_display_name
from maintrac.db import users as repo
from maintrac.db.repository import Stored
from maintrac.db.transaction import TenantSession, caller_record
from maintrac.services.paging import paginate


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
    user: User | None = None
    if principal.email and principal.email_verified:
        user = repo.link_by_email(session, principal.subject, principal.email)
    if user is None:
        values = {
            "id": new_id(),
            "external_id": principal.subject,
            "display_name": principal.display_name or fallback_display_name(principal.subject),
            "email": principal.email,
            "role": principal.role[:50],
        }
        user = repo.insert_from_token(session, values)
        if user is None:
            # Another request created it first, or the e-mail belongs to another user.
            existing = repo.get_by_external_id(session, principal.subject)
            if existing is not None:
                return _usable(existing)
            user = repo.insert_from_token(session, {**values, "email": None})
    if user is None:
        existing = repo.get_by_external_id(session, principal.subject)
        if existing is None:
            raise UserInactive("Your user is deactivated in this tenant.")
        return _usable(existing)
    if not user.active:
        raise UserInactive("Your user is deactivated in this tenant.")
    return user.id


def _usable(found: Stored[User]) -> uuid.UUID:
    if found.deleted or not found.item.active:
        raise UserInactive("Your user is deactivated in this tenant.")
    return found.item.id


def _not_found(user_id: uuid.UUID) -> NotFound:
    return NotFound(f"No user {user_id}.", resource="user")


def get_user(session: TenantSession, user_id: uuid.UUID) -> User:
    found = repo.users.get(session, user_id)
    if found is None:
        raise _not_found(user_id)
    return found


def create_user(session: TenantSession, new: NewUser) -> User:
    return repo.users.insert(
        session,
        {
            "id": new_id(),
            "display_name": tidy(new.display_name),
            "email": new.email,
            "role": new.role,
            "external_id": new.external_id,
            "active": new.active,
        },
    )


def update_user(
    session: TenantSession,
    user_id: uuid.UUID,
    changes: UserChanges,
    expected_version: ExpectedVersion = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> User:
    current = repo.users.get(session, user_id, for_update=True)
    if current is None:
        raise _not_found(user_id)
    check_version("user", current.version, expected_version)
    if user_id == actor_id and changes.get("active") is False:
        raise SelfLockout("You cannot deactivate your own user.")
    wanted: dict[str, object] = dict(changes)
    stored: dict[str, object] = {
        "notification_preferences": current.notification_preferences.as_stored()
    }
    if "notification_preferences" in changes:
        wanted["notification_preferences"] = merge_preferences(
            current.notification_preferences.as_stored(), changes["notification_preferences"]
        )
    values = {k: v for k, v in wanted.items() if stored.get(k, getattr(current, k)) != v}
    if "display_name" in values:
        values["display_name"] = tidy(str(values["display_name"]))
    if not values:
        return current
    return repo.users.update(session, user_id, values)


def delete_user(
    session: TenantSession,
    user_id: uuid.UUID,
    expected_version: ExpectedVersion = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> None:
    current = repo.users.get(session, user_id, for_update=True)
    if current is None:
        raise _not_found(user_id)
    # Before If-Match: a refusal known before the request is processed takes precedence
    # over its preconditions (RFC 9110, 13.2.1), whatever version the caller names.
    if user_id == actor_id:
        raise SelfLockout("You cannot delete your own user.")
    check_version("user", current.version, expected_version)
    repo.users.soft_delete(session, user_id)


@dataclass(frozen=True, slots=True)
class UserQuery:
    active: bool | None = None
    role: str | None = None
    limit: int = 50
    cursor: str | None = None


def list_users(session: TenantSession, query: UserQuery, codec: CursorCodec) -> Page[User]:
    return paginate(
        session,
        codec,
        repo.NEWEST_FIRST,
        query.cursor,
        query.limit,
        {"list": "users", "active": query.active, "role": query.role},
        lambda after, limit: repo.list_users(
            session, active=query.active, role=query.role, after=after, limit=limit
        ),
    )
