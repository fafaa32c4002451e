"""A work order's log: labour time, material used and observations, append-only.

Entries are never edited or removed. A mistake is fixed by appending a *correction*: an
entry of the same kind on the same work order whose ``corrects_entry_id`` names the
original. The original stays, marked superseded (``superseded_by_id``), and no longer
counts; only the correction does. An entry can be corrected once; to fix a correction,
correct the correction.

A work order's actual labour is the sum of the minutes of its labour entries that are
not superseded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final

from maintrac.core.errors import AlreadyCorrected, InvalidFields, InvalidReference


class EntryKind(StrEnum):
    LABOR = "labor"
    MATERIAL = "material"
    OBSERVATION = "observation"


#: The fields each kind needs: (attribute, JSON pointer).
#: Text limits of a log entry (the contract states the same).
MATERIAL_NAME_MAX_LENGTH: Final = 200
UNIT_MAX_LENGTH: Final = 20
NOTE_MAX_LENGTH: Final = 10_000

REQUIRED_FIELDS: Final[dict[EntryKind, tuple[tuple[str, str], ...]]] = {
    EntryKind.LABOR: (("minutes", "/minutes"),),
    EntryKind.MATERIAL: (("material_name", "/materialName"), ("quantity", "/quantity")),
    EntryKind.OBSERVATION: (("note", "/note"),),
}


@dataclass(frozen=True, slots=True)
class WorkLogEntry:
    id: uuid.UUID
    work_order_id: uuid.UUID
    kind: EntryKind
    author_id: uuid.UUID
    logged_at: datetime
    minutes: int | None
    material_name: str | None
    quantity: Decimal | None
    unit: str | None
    unit_cost: Decimal | None
    note: str | None
    corrects_entry_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewWorkLogEntry:
    kind: EntryKind
    logged_at: datetime | None = None
    minutes: int | None = None
    material_name: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_cost: Decimal | None = None
    note: str | None = None
    corrects_entry_id: uuid.UUID | None = None
    #: A device's own id for the entry (offline sync); the server makes one otherwise.
    id: uuid.UUID | None = None


def check_kind_fields(new: NewWorkLogEntry) -> None:
    """Raise InvalidFields naming every field ``new.kind`` needs and lacks.

    ``labor`` needs ``minutes``; ``material`` needs ``materialName`` and ``quantity``;
    ``observation`` needs ``note``. Other fields are optional on every kind.
    """
    errors = [
        {"pointer": pointer, "detail": f"Is required for a {new.kind.value} entry."}
        for attribute, pointer in REQUIRED_FIELDS[new.kind]
        if getattr(new, attribute) is None
    ]
    if errors:
        raise InvalidFields(errors)


def check_correction(
    new_kind: EntryKind, work_order_id: uuid.UUID, target: WorkLogEntry | None
) -> None:
    """May an entry of ``new_kind`` on ``work_order_id`` correct ``target``?

    ``target`` is None when the named entry was not found (absent, or another tenant's).
    It must be an entry of the same work order and the same kind (InvalidFields on
    ``/correctsEntryId``) that nothing has corrected yet (AlreadyCorrected).
    """
    pointer = "/correctsEntryId"
    if target is None or target.work_order_id != work_order_id:
        raise InvalidReference(
            "'correctsEntryId' names no entry of this work order.",
            field="correctsEntryId",
            errors=[{"pointer": pointer, "detail": "Names no entry of this work order."}],
        )
    if target.kind != new_kind:
        raise InvalidFields(
            [
                {
                    "pointer": pointer,
                    "detail": f"Names a {target.kind.value} entry; a correction must be "
                    f"of the same kind ({new_kind.value}).",
                }
            ]
        )
    if target.superseded_by_id is not None:
        raise already_corrected(target.id, target.superseded_by_id)


def already_corrected(entry_id: uuid.UUID, superseded_by_id: uuid.UUID | None) -> AlreadyCorrected:
    fields = {"supersededById": str(superseded_by_id)} if superseded_by_id else {}
    return AlreadyCorrected(
        f"Entry {entry_id} has already been corrected"
        + (f" by {superseded_by_id}" if superseded_by_id else "")
        + "; correct the correction instead.",
        **fields,
    )


def superseded_by(entries: Iterable[WorkLogEntry]) -> dict[uuid.UUID, uuid.UUID]:
    """Each corrected entry's id mapped to the id of the entry that corrects it."""
    return {e.corrects_entry_id: e.id for e in entries if e.corrects_entry_id is not None}


def actual_minutes(entries: Iterable[WorkLogEntry]) -> int:
    """The labour that counts: minutes of labour entries that no entry corrects.

    ``db.work_log.refresh_actual_minutes`` computes the same sum in SQL.
    """
    listed = list(entries)
    corrected = superseded_by(listed)
    return sum(
        e.minutes or 0 for e in listed if e.kind is EntryKind.LABOR and e.id not in corrected
    )
