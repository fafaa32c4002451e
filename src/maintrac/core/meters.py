"""Meters on assets and their readings.

A meter is ``cumulative`` (run hours, odometer, cycles: only grows) or ``gauge``
(pressure, temperature: goes up and down). Readings are append-only data: a reading is
never edited or removed, two readings with the same ``taken_at`` are both kept, and a
cumulative reading lower than the previous one is still recorded (a meter swap or a typo
is for a person to judge, not for the API to drop).

The meter carries its latest reading (by ``taken_at``): a reading that arrives late, with
an older ``taken_at``, is stored but does not replace it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final, TypedDict

from maintrac.core.errors import InvalidFields


class MeterKind(StrEnum):
    CUMULATIVE = "cumulative"
    GAUGE = "gauge"


#: The longest note a reading keeps (the contract states the same).
READING_NOTE_MAX_LENGTH: Final = 2000


class ReadingSource(StrEnum):
    API = "api"
    SYNC = "sync"
    IMPORT = "import"


#: How far in the future a reading's ``taken_at`` may be: device clocks drift.
MAX_FUTURE_SKEW: Final = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Meter:
    id: uuid.UUID
    asset_id: uuid.UUID
    name: str
    unit: str
    kind: MeterKind
    last_reading_value: Decimal | None
    last_reading_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewMeter:
    asset_id: uuid.UUID
    name: str
    unit: str
    kind: MeterKind = MeterKind.CUMULATIVE


class MeterChanges(TypedDict, total=False):
    name: str
    unit: str


@dataclass(frozen=True, slots=True)
class Reading:
    id: uuid.UUID
    meter_id: uuid.UUID
    value: Decimal
    taken_at: datetime
    taken_by: uuid.UUID | None
    work_order_id: uuid.UUID | None
    note: str | None
    source: ReadingSource
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewReading:
    value: Decimal
    taken_at: datetime | None = None
    work_order_id: uuid.UUID | None = None
    note: str | None = None
    #: A device's own id for the reading (offline sync); the server makes one otherwise.
    id: uuid.UUID | None = None
    source: ReadingSource = ReadingSource.API


def resolve_taken_at(taken_at: datetime | None, now: datetime) -> datetime:
    """When the reading was taken, in UTC: ``now`` by default.

    More than ``MAX_FUTURE_SKEW`` ahead of ``now`` is refused (a wrong clock or a typo
    would otherwise become the meter's latest reading for days).
    """
    if taken_at is None:
        return now.astimezone(UTC)
    if taken_at > now + MAX_FUTURE_SKEW:
        raise InvalidFields(
            [
                {
                    "pointer": "/takenAt",
                    "detail": "Must not be more than 5 minutes in the future.",
                }
            ]
        )
    return taken_at.astimezone(UTC)


def is_latest(taken_at: datetime, last_reading_at: datetime | None) -> bool:
    """Whether a reading taken at ``taken_at`` becomes the meter's latest.

    A reading at the same instant as the latest replaces it (the later-recorded wins);
    an older one never does. ``db.meters.record_latest`` applies the same rule atomically.
    """
    return last_reading_at is None or taken_at >= last_reading_at
