"""Preventive maintenance: plans, their triggers, and which occurrences are due.

A plan's work falls due as a series of *occurrences* numbered 0, 1, 2, ...; each becomes
exactly one work order, keyed on (plan, number) (``uq_work_orders_pm_occurrence`` backs
this in the database). ``PlanState.next_occurrence`` is the first number with no work order
yet, and nothing here ever returns a number below it: generating the occurrences returned,
advancing ``next_occurrence`` past them and asking again returns none of them twice.

Triggers:

- ``calendar_fixed``: occurrence k is due at ``anchor_at + k * interval``, counted in the
  tenant's **local wall time**. Every occurrence is computed from the anchor (never from
  the previous occurrence), so month ends do not drift: monthly from 31 January is due
  28/29 February, 31 March, 30 April, 31 May... Yearly from 29 February is due 28 February
  in common years. All occurrences due up to ``until`` are returned, oldest first: missed
  ones are listed, not skipped.
- ``calendar_floating``: the next occurrence is due one interval (local wall time) after the
  last completion, or at ``anchor_at`` before the first completion. Only one occurrence is
  outstanding at a time: while the newest generated work order is still open nothing
  more is due, so at most one occurrence is ever returned.
- ``meter``: occurrence k is due once the meter's latest reading is at least
  ``meter_anchor + k * meter_interval``. Missed thresholds are all listed, like calendar
  ones. Meters cannot be forecast, so ``until`` bounds calendar times only: a meter
  occurrence is due when the latest known reading has reached it.
- ``calendar_or_meter``: occurrence k is due when calendar time k has passed or meter
  threshold k has been reached, whichever comes first; each k once. The reason is
  ``meter`` when only the meter reached it, or when the reading that reached it was taken
  before calendar time k; otherwise ``calendar``.

Daylight-saving time: local times are resolved with ``zoneinfo``'s ``fold=0`` rule (PEP
495). A wall time that does not exist (in a spring-forward gap) is read with the offset in
force before the gap, i.e. it moves forward by the gap's length (Europe/Berlin 02:30 on
the spring-forward day is 03:30 CEST); a wall time that occurs twice (fall back) is the
first of the two (the daylight-time one). The anchor itself is an instant and is
occurrence 0 exactly as given.

Meter values are ``Decimal`` throughout; datetimes are aware and returned in UTC.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Final, TypedDict

from maintrac.core.errors import InvalidFields, InvalidReference
from maintrac.core.work_orders import Priority


class TriggerType(StrEnum):
    CALENDAR_FIXED = "calendar_fixed"
    CALENDAR_FLOATING = "calendar_floating"
    METER = "meter"
    CALENDAR_OR_METER = "calendar_or_meter"


class IntervalUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Reason(StrEnum):
    CALENDAR = "calendar"
    METER = "meter"


CALENDAR_TRIGGERS: Final = frozenset(
    {TriggerType.CALENDAR_FIXED, TriggerType.CALENDAR_FLOATING, TriggerType.CALENDAR_OR_METER}
)
METER_TRIGGERS: Final = frozenset({TriggerType.METER, TriggerType.CALENDAR_OR_METER})

#: The meter kind a plan may follow: a gauge goes up and down, so it has no thresholds.
PLAN_METER_KIND: Final = "cumulative"

#: Significant digits for threshold arithmetic (exact for any value the API accepts).
_PRECISION: Final = 60


@dataclass(frozen=True, slots=True)
class Schedule:
    """A plan's trigger: calendar fields for calendar triggers, meter fields for meter ones."""

    type: TriggerType
    interval_count: int | None = None
    interval_unit: IntervalUnit | None = None
    anchor_at: datetime | None = None
    meter_id: uuid.UUID | None = None
    meter_interval: Decimal | None = None
    meter_anchor: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PlanState:
    """Where a plan's series stands."""

    #: The first occurrence number with no work order yet.
    next_occurrence: int = 0
    #: When the plan's last work order was completed.
    last_completed_at: datetime | None = None
    #: The work order of occurrence ``next_occurrence - 1`` is neither complete nor
    #: cancelled (nor deleted). Only floating plans wait for it.
    awaiting_completion: bool = False
    #: The number of the current trigger's first occurrence: replacing a trigger starts
    #: its series here (at its own anchor), and the numbering carries on, so numbers are
    #: never reused.
    series_origin: int = 0


@dataclass(frozen=True, slots=True)
class MeterState:
    """The plan meter's latest reading."""

    value: Decimal
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    number: int
    #: When it is due by the calendar (UTC); None for meter plans.
    due_at: datetime | None
    #: The meter value at which it is due; None for calendar-only plans.
    due_meter: Decimal | None
    reason: Reason


@dataclass(frozen=True, slots=True)
class WorkOrderTemplate:
    title: str
    description: str | None = None
    task_code_id: uuid.UUID | None = None
    priority: Priority = Priority.MEDIUM
    assignee_id: uuid.UUID | None = None
    estimated_hours: Decimal | None = None
    gl_code_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class PmPlan:
    id: uuid.UUID
    name: str
    description: str | None
    asset_id: uuid.UUID | None
    asset_category_id: uuid.UUID | None
    template: WorkOrderTemplate
    schedule: Schedule
    active: bool
    next_occurrence: int
    next_due_at: datetime | None
    next_due_meter: Decimal | None
    last_completed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    #: Work orders are created this many days (N x 24 h) before they are due.
    lead_time_days: int = 0
    #: The newest occurrence that has a work order, and when it was generated.
    last_generated_occurrence: int | None = None
    last_generated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewPmPlan:
    name: str
    template: WorkOrderTemplate
    schedule: Schedule
    description: str | None = None
    asset_id: uuid.UUID | None = None
    asset_category_id: uuid.UUID | None = None
    active: bool = True
    lead_time_days: int = 0


class PmPlanChanges(TypedDict, total=False):
    name: str
    description: str | None
    template: WorkOrderTemplate
    schedule: Schedule
    active: bool
    lead_time_days: int


# ---------------------------------------------------------------- validation

FieldErrors = list[dict[str, str]]


def _error(pointer: str, detail: str) -> dict[str, str]:
    return {"pointer": pointer, "detail": detail}


def used_fields(schedule: Schedule) -> Schedule:
    """The trigger with only the fields its type uses; the others are ignored (the
    contract: they read back as absent) rather than stored."""
    by_calendar = schedule.type in CALENDAR_TRIGGERS
    by_meter = schedule.type in METER_TRIGGERS
    return Schedule(
        type=schedule.type,
        interval_count=schedule.interval_count if by_calendar else None,
        interval_unit=schedule.interval_unit if by_calendar else None,
        anchor_at=schedule.anchor_at if by_calendar else None,
        meter_id=schedule.meter_id if by_meter else None,
        meter_interval=schedule.meter_interval if by_meter else None,
        meter_anchor=schedule.meter_anchor if by_meter else None,
    )


def schedule_errors(schedule: Schedule) -> FieldErrors:
    """What is missing from a trigger (pointers under ``/trigger``).

    Calendar triggers need ``intervalCount``, ``intervalUnit`` and ``anchorAt``; meter
    triggers ``meterId``, ``meterInterval`` and ``meterAnchor``; ``calendar_or_meter``
    all six. (The contract's schema says the same; this is the rule, not a copy of it.)
    """
    needed: dict[str, object] = {}
    if schedule.type in CALENDAR_TRIGGERS:
        needed |= {
            "intervalCount": schedule.interval_count,
            "intervalUnit": schedule.interval_unit,
            "anchorAt": schedule.anchor_at,
        }
    if schedule.type in METER_TRIGGERS:
        needed |= {
            "meterId": schedule.meter_id,
            "meterInterval": schedule.meter_interval,
            "meterAnchor": schedule.meter_anchor,
        }
    errors = [
        _error(f"/trigger/{name}", f"Required for a {schedule.type} trigger.")
        for name, value in needed.items()
        if value is None
    ]
    if schedule.meter_interval is not None and schedule.meter_interval <= 0:
        errors.append(_error("/trigger/meterInterval", "Must be greater than 0."))
    if schedule.interval_count is not None and schedule.interval_count < 1:
        errors.append(_error("/trigger/intervalCount", "Must be at least 1."))
    if schedule.anchor_at is not None and not _representable(schedule.anchor_at):
        errors.append(_error("/trigger/anchorAt", "Must be within the years 1 to 9999 in UTC."))
    return errors


def _representable(moment: datetime) -> bool:
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


def check_plan(
    asset_id: uuid.UUID | None, asset_category_id: uuid.UUID | None, schedule: Schedule
) -> None:
    """Raise InvalidFields unless the plan names exactly one target and a complete trigger."""
    errors: FieldErrors = []
    if asset_id is None and asset_category_id is None:
        errors.append(_error("", "Name the asset (assetId) or the category (assetCategoryId)."))
    elif asset_id is not None and asset_category_id is not None:
        errors.append(_error("/assetId", "Give either assetId or assetCategoryId, not both."))
    errors.extend(schedule_errors(schedule))
    if errors:
        raise InvalidFields(errors)


def meter_errors(
    plan_asset_id: uuid.UUID | None, meter_asset_id: uuid.UUID, meter_kind: str
) -> FieldErrors:
    """A plan follows a cumulative meter of its own asset (so a plan for a category,
    which has no one asset, cannot follow a meter)."""
    errors: FieldErrors = []
    if plan_asset_id is None:
        errors.append(
            _error(
                "/trigger/meterId",
                "A meter trigger needs a plan for one asset (assetId), whose meter it follows.",
            )
        )
    elif meter_asset_id != plan_asset_id:
        errors.append(_error("/trigger/meterId", "Must be a meter of the plan's asset."))
    if meter_kind != PLAN_METER_KIND:
        errors.append(
            _error(
                "/trigger/meterId",
                f"Must be a {PLAN_METER_KIND} meter; a {meter_kind} meter has no thresholds.",
            )
        )
    return errors


def missing_references(pointers: list[str]) -> InvalidReference:
    """The error for fields naming items that are absent, deleted or another tenant's."""
    names = ", ".join(f"'{p.rsplit('/', 1)[-1]}'" for p in pointers)
    return InvalidReference(
        f"{names} names nothing that exists in your tenant.",
        field=pointers[0].rsplit("/", 1)[-1],
        errors=[_error(p, "Does not exist in your tenant.") for p in pointers],
    )


# ---------------------------------------------------------------- calendar arithmetic


def add_local(moment: datetime, unit: IntervalUnit, count: int, tz: tzinfo) -> datetime | None:
    """``moment`` plus ``count`` units in ``tz``'s wall time, as a UTC instant.

    The local time of day is kept; months and years keep the day of month or clamp to the
    month's last day. The result is read with ``fold=0`` (see the module docstring). None
    when the result falls outside the years 1..9999.
    """
    try:
        local = moment.astimezone(tz).replace(tzinfo=None, fold=0)
        if unit is IntervalUnit.DAY:
            shifted = local + timedelta(days=count)
        elif unit is IntervalUnit.WEEK:
            shifted = local + timedelta(weeks=count)
        else:
            months = count if unit is IntervalUnit.MONTH else 12 * count
            year, month0 = divmod(local.year * 12 + local.month - 1 + months, 12)
            if not 1 <= year <= 9999:
                return None
            day = min(local.day, calendar.monthrange(year, month0 + 1)[1])
            shifted = local.replace(year=year, month=month0 + 1, day=day)
        return shifted.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:
        return None


def calendar_due(schedule: Schedule, number: int, tz: tzinfo) -> datetime | None:
    """When occurrence ``number`` of a fixed calendar series is due (UTC); None if never."""
    anchor, unit, count = schedule.anchor_at, schedule.interval_unit, schedule.interval_count
    if anchor is None or unit is None or count is None:
        return None
    if number == 0:
        return anchor.astimezone(UTC)
    return add_local(anchor, unit, count * number, tz)


def meter_threshold(schedule: Schedule, number: int) -> Decimal | None:
    """The meter value at which occurrence ``number`` is due; None for calendar plans."""
    if schedule.meter_anchor is None or schedule.meter_interval is None:
        return None
    with localcontext() as context:
        context.prec = _PRECISION
        return schedule.meter_anchor + number * schedule.meter_interval


def floating_due(schedule: Schedule, state: PlanState, tz: tzinfo) -> datetime | None:
    """When a floating plan's next occurrence is due; None while one is still open."""
    if state.awaiting_completion and state.next_occurrence > 0:
        return None
    if state.last_completed_at is None:
        return None if schedule.anchor_at is None else schedule.anchor_at.astimezone(UTC)
    if schedule.interval_unit is None or schedule.interval_count is None:
        return None
    return add_local(state.last_completed_at, schedule.interval_unit, schedule.interval_count, tz)


# ---------------------------------------------------------------- due occurrences


def _candidate(
    schedule: Schedule,
    number: int,
    until: datetime,
    tz: tzinfo,
    meter: MeterState | None,
    *,
    origin: int = 0,
) -> Occurrence | None:
    """Occurrence ``number`` if it is due by ``until`` (fixed, meter, calendar-or-meter)."""
    due_at = None
    if schedule.type in (TriggerType.CALENDAR_FIXED, TriggerType.CALENDAR_OR_METER):
        due_at = calendar_due(schedule, number - origin, tz)
    due_meter = None
    if schedule.type in METER_TRIGGERS:
        due_meter = meter_threshold(schedule, number - origin)
    by_calendar = due_at is not None and due_at <= until
    by_meter = meter is not None and due_meter is not None and meter.value >= due_meter
    if not (by_calendar or by_meter):
        return None
    read_at = meter.read_at if meter is not None else None
    meter_first = by_meter and (
        not by_calendar or (read_at is not None and due_at is not None and read_at < due_at)
    )
    return Occurrence(
        number=number,
        due_at=due_at,
        due_meter=due_meter,
        reason=Reason.METER if meter_first else Reason.CALENDAR,
    )


def due_occurrences(
    schedule: Schedule,
    state: PlanState,
    until: datetime,
    tz: tzinfo,
    *,
    meter: MeterState | None,
    limit: int,
) -> tuple[list[Occurrence], bool]:
    """The occurrences due by ``until`` that have no work order yet, oldest first.

    At most ``limit`` are returned; the flag says whether more are due beyond them.
    Numbers start at ``state.next_occurrence`` and are consecutive.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if schedule.type is TriggerType.CALENDAR_FLOATING:
        due_at = floating_due(schedule, state, tz)
        if due_at is None or due_at > until:
            return [], False
        return [Occurrence(state.next_occurrence, due_at, None, Reason.CALENDAR)], False
    found: list[Occurrence] = []
    number = state.next_occurrence
    while True:
        occurrence = _candidate(schedule, number, until, tz, meter, origin=state.series_origin)
        if occurrence is None:
            return found, False
        if len(found) == limit:
            return found, True
        found.append(occurrence)
        number += 1


def last_due_number(
    schedule: Schedule,
    state: PlanState,
    until: datetime,
    tz: tzinfo,
    *,
    meter: MeterState | None,
    known: int,
) -> int:
    """The largest occurrence number due by ``until``, given that ``known`` is due.

    Occurrences fall due in order (dates and thresholds grow with the number), so an
    exponential then binary search finds it in a few dozen evaluations however far
    behind the plan is (a plan anchored centuries ago with an hourly interval has
    millions of past occurrences; stepping through them would take minutes).
    Not for floating plans, whose one next occurrence depends on the last completion.
    """

    def due(number: int) -> bool:
        found = _candidate(schedule, number, until, tz, meter, origin=state.series_origin)
        return found is not None

    low, step = known, 1
    while due(low + step):  # ends: dates pass year 9999 and thresholds pass any reading
        low += step
        step *= 2
    high = low + step  # not due
    while high - low > 1:
        middle = (low + high) // 2
        if due(middle):
            low = middle
        else:
            high = middle
    return low


def next_due(
    schedule: Schedule, state: PlanState, tz: tzinfo
) -> tuple[datetime | None, Decimal | None]:
    """The next due point: when (calendar) and at what meter value occurrence
    ``state.next_occurrence`` falls due. Stored on the plan as ``next_due_at`` /
    ``next_due_meter``; a floating plan waiting for its open work order has neither."""
    number = state.next_occurrence
    if schedule.type is TriggerType.CALENDAR_FLOATING:
        return floating_due(schedule, state, tz), None
    step = number - state.series_origin
    due_at = None
    if schedule.type in (TriggerType.CALENDAR_FIXED, TriggerType.CALENDAR_OR_METER):
        due_at = calendar_due(schedule, step, tz)
    due_meter = meter_threshold(schedule, step) if schedule.type in METER_TRIGGERS else None
    return due_at, due_meter
