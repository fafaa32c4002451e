"""Integrity errors from PostgreSQL as domain errors.

Constraints are the last line of defence (a composite foreign key is what makes a
cross-tenant reference impossible), so their violations are expected input errors, never
500s. PostgreSQL names the key in the error detail, e.g.
``Key (tenant_id, asset_id)=(..., ...) is not present in table "assets".``; the last
column of the key is the field the client sent.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from maintrac.core.errors import DomainError, Duplicate, InvalidFields, InvalidReference

_KEY = re.compile(r"Key \((?P<columns>.+?)\)=")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_SKIP = {"tenant_id", "lower", "text", "coalesce", "id"}


def _field(detail: str | None) -> str | None:
    match = _KEY.search(detail or "")
    if not match:
        return None
    names = [n for n in _NAME.findall(match.group("columns")) if n not in _SKIP]
    return names[-1] if names else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


#: Columns whose API name is not simply the camelCase column name.
_API_NAMES = {"corrects_id": "correctsEntryId", "taken_by": "takenBy"}


def translate(error: IntegrityError) -> DomainError | None:
    """The domain error for a constraint violation, or None for anything else."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    detail = getattr(diag, "message_detail", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    column = _field(detail)
    field = _API_NAMES.get(column or "", _camel(column)) if column else None
    if sqlstate == "23503":  # foreign_key_violation
        if field is None:
            return InvalidReference("A referenced resource does not exist in your tenant.")
        return InvalidReference(
            f"'{field}' names nothing that exists in your tenant.",
            field=field,
            errors=[{"pointer": f"/{field}", "detail": "Does not exist in your tenant."}],
        )
    if sqlstate == "23505":  # unique_violation
        name = field or constraint
        return Duplicate(f"The {name} is already used in your tenant.", field=name)
    if sqlstate == "23514":  # check_violation
        return InvalidFields(
            [{"pointer": f"/{field}" if field else "", "detail": "Breaks a rule of its field."}],
            detail=f"A value breaks the rule {constraint}.",
        )
    return None
