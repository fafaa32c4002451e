"""PM due computation: properties (hypothesis, derandomized) and exact examples."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maintrac.core.errors import InvalidFields
from maintrac.core.pm import (
    IntervalUnit,
    MeterState,
    Occurrence,
    PlanState,
    Reason,
    Schedule,
    TriggerType,
    add_local,
    calendar_due,
    check_plan,
    due_occurrences,
    meter_errors,
    meter_threshold,
    next_due,
    used_fields,
)

PROPERTY = settings(derandomize=True, max_examples=300, deadline=None, database=None)

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KOLKATA = ZoneInfo("Asia/Kolkata")

#: Local times of day around the usual DST switch hours, plus ordinary ones.
TIMES_OF_DAY = [time(2, 30), time(2, 0), time(2, 15), time(1, 30), time(1, 45), time(8, 0)]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def fixed(anchor: datetime, unit: IntervalUnit = IntervalUnit.MONTH, count: int = 1) -> Schedule:
    return Schedule(TriggerType.CALENDAR_FIXED, count, unit, anchor)


def due(
    schedule: Schedule,
    until: datetime,
    tz: tzinfo = UTC,
    *,
    state: PlanState | None = None,
    meter: MeterState | None = None,
    limit: int = 200,
) -> tuple[list[Occurrence], bool]:
    return due_occurrences(schedule, state or PlanState(), until, tz, meter=meter, limit=limit)


@st.composite
def local_anchors(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """A zone and an anchor instant whose local time of day is often near a DST switch."""
    tz = ZoneInfo(draw(st.sampled_from(ZONES)))
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
    time_of_day = draw(
        st.one_of(st.sampled_from(TIMES_OF_DAY), st.times().map(lambda t: t.replace(second=0)))
    )
    fold = draw(st.sampled_from([0, 1]))  # 1: the second of a repeated wall time
    anchor = datetime.combine(day, time_of_day).replace(tzinfo=tz, fold=fold).astimezone(UTC)
    return tz, anchor


@st.composite
def fixed_cases(draw: st.DrawFn) -> tuple[Schedule, ZoneInfo, PlanState, datetime, int]:
    tz, anchor = draw(local_anchors())
    unit = draw(st.sampled_from(list(IntervalUnit)))
    count = draw(st.sampled_from([1, 1, 2, 3, 6, 13]))
    state = PlanState(next_occurrence=draw(st.integers(0, 40)))
    until = anchor + timedelta(days=draw(st.integers(-60, 3 * 365)))
    limit = draw(st.integers(1, 80))
    return fixed(anchor, unit, count), tz, state, until, limit


def expected_local(anchor_local: datetime, unit: IntervalUnit, steps: int) -> datetime:
    """An independent oracle for the local wall time of a step: month arithmetic by
    counting months one by one, month length from the first of the next month."""
    naive = anchor_local.replace(tzinfo=None, fold=0)
    if unit is IntervalUnit.DAY:
        return naive + timedelta(days=steps)
    if unit is IntervalUnit.WEEK:
        return naive + timedelta(days=7 * steps)
    months = steps if unit is IntervalUnit.MONTH else 12 * steps
    year, month = naive.year, naive.month
    for _ in range(months):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return naive.replace(year=year, month=month, day=min(naive.day, last_day))


def exists(wall: datetime, tz: ZoneInfo) -> bool:
    """Whether the naive wall time occurs in ``tz`` (False inside a spring-forward gap)."""
    back = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) == wall


# ---------------------------------------------------------------- properties: calendar_fixed


@PROPERTY
@given(fixed_cases())
def test_fixed_numbers_window_and_nothing_missed(
    case: tuple[Schedule, ZoneInfo, PlanState, datetime, int],
) -> None:
    schedule, tz, state, until, limit = case
    found, more = due(schedule, until, tz, state=state, limit=limit)
    numbers = [o.number for o in found]
    # Consecutive from next_occurrence: strictly increasing, unique, never below it.
    assert numbers == list(range(state.next_occurrence, state.next_occurrence + len(found)))
    assert len(found) <= limit
    times = [o.due_at for o in found]
    assert all(t is not None and t <= until for t in times)
    assert times == sorted(times)  # type: ignore[type-var]
    assert all(o.reason is Reason.CALENDAR and o.due_meter is None for o in found)
    # The first occurrence not returned is beyond `until`, unless the limit cut the list.
    following = calendar_due(schedule, state.next_occurrence + len(found), tz)
    if more:
        assert len(found) == limit
        assert following is not None
        assert following <= until
    else:
        assert following is None or following > until
        if found:
            assert following is None or following > found[-1].due_at  # type: ignore[operator]


@PROPERTY
@given(fixed_cases(), st.integers(0, 2 * 365))
def test_fixed_later_until_only_appends(
    case: tuple[Schedule, ZoneInfo, PlanState, datetime, int], extra_days: int
) -> None:
    schedule, tz, state, until, limit = case
    first, _ = due(schedule, until, tz, state=state, limit=limit)
    later, _ = due(schedule, until + timedelta(days=extra_days), tz, state=state, limit=limit)
    assert later[: len(first)] == first


@PROPERTY
@given(fixed_cases())
def test_fixed_generation_is_idempotent(
    case: tuple[Schedule, ZoneInfo, PlanState, datetime, int],
) -> None:
    """Generate in batches of `limit`, advancing next_occurrence by what was returned:
    every due occurrence is generated exactly once, and then nothing is due."""
    schedule, tz, state, until, limit = case
    everything, _ = due(schedule, until, tz, state=state, limit=400)
    generated: list[Occurrence] = []
    current = state
    # Enough batches for any case (one occurrence a batch at the worst); a case with more
    # than 400 occurrences must not end the loop early and look like a missed one.
    for _ in range(100_000):
        batch, more = due(schedule, until, tz, state=current, limit=limit)
        generated.extend(batch)
        current = PlanState(next_occurrence=current.next_occurrence + len(batch))
        if not more:
            break
    assert due(schedule, until, tz, state=current, limit=limit) == ([], False)
    numbers = [o.number for o in generated]
    assert len(numbers) == len(set(numbers))
    assert generated[: len(everything)] == everything


@PROPERTY
@given(
    local_anchors(),
    # Daily series cross every DST switch of the span; weight them.
    st.sampled_from([IntervalUnit.DAY, IntervalUnit.DAY, *IntervalUnit]),
    st.integers(1, 3),
)
def test_local_time_of_day_is_kept_across_dst(
    zone_anchor: tuple[ZoneInfo, datetime], unit: IntervalUnit, count: int
) -> None:
    tz, anchor = zone_anchor
    anchor_local = anchor.astimezone(tz)
    span = {"day": 400, "week": 800, "month": 1200, "year": 3000}[unit.value]
    found, _ = due(fixed(anchor, unit, count), anchor + timedelta(days=span), tz, limit=200)
    assert found[0].due_at == anchor
    for occurrence in found[1:]:
        assert occurrence.due_at is not None
        local = occurrence.due_at.astimezone(tz)
        wall = expected_local(anchor_local, unit, count * occurrence.number)
        if exists(wall, tz):
            # The same wall time; of two (fall back), the first.
            assert local.replace(tzinfo=None) == wall
            assert local.fold == 0
        else:
            # Inside a spring-forward gap: moved forward by the gap (1 h, 30 min at Lord Howe).
            gap = local.replace(tzinfo=None) - wall
            assert timedelta(0) < gap <= timedelta(hours=1)
            assert occurrence.due_at == wall.replace(tzinfo=tz).astimezone(UTC)


@PROPERTY
@given(
    st.sampled_from(ZONES),
    st.tuples(st.integers(2000, 2040), st.integers(1, 12), st.integers(28, 31)),
    st.sampled_from([IntervalUnit.MONTH, IntervalUnit.YEAR]),
    st.integers(1, 5),
)
def test_month_ends_clamp_without_drifting(
    zone: str, ymd: tuple[int, int, int], unit: IntervalUnit, count: int
) -> None:
    tz = ZoneInfo(zone)
    year, month, day = ymd
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    day = min(day, last)
    anchor = datetime(year, month, day, 9, 0, tzinfo=tz).astimezone(UTC)
    found, _ = due(fixed(anchor, unit, count), anchor + timedelta(days=12 * 366), tz, limit=60)
    for occurrence in found:
        assert occurrence.due_at is not None
        local = occurrence.due_at.astimezone(tz)
        months = count * occurrence.number * (1 if unit is IntervalUnit.MONTH else 12)
        expected_year, expected_month0 = divmod(year * 12 + month - 1 + months, 12)
        first_of_next = (
            date(expected_year + 1, 1, 1)
            if expected_month0 == 11
            else date(expected_year, expected_month0 + 2, 1)
        )
        month_length = (first_of_next - timedelta(days=1)).day
        assert (local.year, local.month) == (expected_year, expected_month0 + 1)
        assert local.day == min(day, month_length)  # from the anchor: never drifts down
        assert local.time() == time(9, 0)


# ---------------------------------------------------------------- properties: meter


@st.composite
def meter_cases(draw: st.DrawFn) -> tuple[Schedule, PlanState, MeterState, int]:
    anchor = Decimal(draw(st.integers(-1000, 100_000))) / draw(st.sampled_from([1, 10, 100]))
    interval = Decimal(draw(st.integers(1, 5000))) / draw(st.sampled_from([1, 4, 10, 1000]))
    value = anchor + Decimal(draw(st.integers(-2000, 200_000))) / 10
    schedule = Schedule(
        TriggerType.METER, meter_id=uuid.uuid4(), meter_interval=interval, meter_anchor=anchor
    )
    state = PlanState(next_occurrence=draw(st.integers(0, 50)))
    return schedule, state, MeterState(value, utc(2026, 1, 1)), draw(st.integers(1, 100))


@PROPERTY
@given(meter_cases())
def test_meter_thresholds(case: tuple[Schedule, PlanState, MeterState, int]) -> None:
    schedule, state, meter, limit = case
    assert schedule.meter_anchor is not None
    assert schedule.meter_interval is not None
    found, more = due(schedule, utc(2000, 1, 1), state=state, meter=meter, limit=limit)
    # Oracle: thresholds anchor + k * interval <= value, for k >= next_occurrence.
    reached = (
        int((meter.value - schedule.meter_anchor) // schedule.meter_interval) + 1
        if meter.value >= schedule.meter_anchor
        else 0
    )
    expected = list(range(state.next_occurrence, max(reached, state.next_occurrence)))
    assert [o.number for o in found] == expected[:limit]
    assert more == (len(expected) > limit)
    for occurrence in found:
        assert occurrence.reason is Reason.METER
        assert occurrence.due_at is None
        threshold = schedule.meter_anchor + occurrence.number * schedule.meter_interval
        assert occurrence.due_meter == threshold
        assert occurrence.due_meter <= meter.value


@PROPERTY
@given(fixed_cases(), meter_cases(), st.integers(-400, 400))
def test_calendar_or_meter_takes_whichever_comes_first(
    calendar_case: tuple[Schedule, ZoneInfo, PlanState, datetime, int],
    meter_case: tuple[Schedule, PlanState, MeterState, int],
    read_offset_days: int,
) -> None:
    calendar_schedule, tz, state, until, limit = calendar_case
    meter_schedule, _, meter, _ = meter_case
    meter = MeterState(meter.value, until + timedelta(days=read_offset_days))
    schedule = Schedule(
        TriggerType.CALENDAR_OR_METER,
        calendar_schedule.interval_count,
        calendar_schedule.interval_unit,
        calendar_schedule.anchor_at,
        meter_schedule.meter_id,
        meter_schedule.meter_interval,
        meter_schedule.meter_anchor,
    )
    found, more = due(schedule, until, tz, state=state, meter=meter, limit=limit)
    by_calendar, _ = due(calendar_schedule, until, tz, state=state, limit=400)
    by_meter, _ = due(meter_schedule, until, state=state, meter=meter, limit=400)
    union = sorted({o.number for o in by_calendar} | {o.number for o in by_meter})
    # Each k once, consecutive, and exactly the union of what either trigger makes due.
    assert [o.number for o in found] == union[:limit]
    assert more == (len(union) > limit)
    for occurrence in found:
        k = occurrence.number
        assert occurrence.due_at == calendar_due(schedule, k, tz)
        assert occurrence.due_meter == meter_threshold(schedule, k)
        assert occurrence.due_at is not None
        assert occurrence.due_meter is not None
        calendar_due_by_until = occurrence.due_at <= until
        meter_reached = meter.value >= occurrence.due_meter
        assert calendar_due_by_until or meter_reached
        assert meter.read_at is not None
        meter_first = meter_reached and (
            not calendar_due_by_until or meter.read_at < occurrence.due_at
        )
        assert occurrence.reason is (Reason.METER if meter_first else Reason.CALENDAR)


# ---------------------------------------------------------------- properties: floating


@PROPERTY
@given(
    local_anchors(),
    st.sampled_from(list(IntervalUnit)),
    st.integers(1, 4),
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 200), st.booleans()),
        min_size=1,
        max_size=12,
    ),
)
def test_floating_has_at_most_one_outstanding(
    zone_anchor: tuple[ZoneInfo, datetime],
    unit: IntervalUnit,
    count: int,
    steps: list[tuple[int, int, bool]],
) -> None:
    """Simulate a plan's life: whenever something is due it is generated; the generated
    work order is completed some time later. Nothing more is due while one is open."""
    tz, anchor = zone_anchor
    schedule = Schedule(TriggerType.CALENDAR_FLOATING, count, unit, anchor)
    state = PlanState()
    now = anchor - timedelta(days=10)
    seen: list[int] = []
    for wait_days, work_hours, completes in steps:
        now += timedelta(days=wait_days)
        found, more = due(schedule, now, tz, state=state, limit=50)
        assert not more
        assert len(found) <= 1
        if state.awaiting_completion:
            assert found == []
            assert next_due(schedule, state, tz) == (None, None)
        elif found:
            (occurrence,) = found
            assert occurrence.number == state.next_occurrence
            expected_at = (
                anchor
                if state.last_completed_at is None
                else add_local(state.last_completed_at, unit, count, tz)
            )
            assert occurrence.due_at == expected_at
            assert next_due(schedule, state, tz) == (expected_at, None)
            seen.append(occurrence.number)
            state = PlanState(state.next_occurrence + 1, state.last_completed_at, True)
            assert due(schedule, now + timedelta(days=5000), tz, state=state) == ([], False)
        if state.awaiting_completion and completes:
            now += timedelta(hours=work_hours)
            state = PlanState(state.next_occurrence, now, awaiting_completion=False)
    assert seen == list(range(len(seen)))


# ---------------------------------------------------------------- examples


def test_monthly_from_january_31_in_berlin_keeps_0800_local() -> None:
    anchor = datetime(2026, 1, 31, 8, 0, tzinfo=BERLIN).astimezone(UTC)
    found, more = due(fixed(anchor), utc(2026, 6, 1), BERLIN)
    assert [o.due_at for o in found] == [
        utc(2026, 1, 31, 7),  # CET
        utc(2026, 2, 28, 7),  # clamped to the month's end
        utc(2026, 3, 31, 6),  # CEST from 29 March: still 08:00 local
        utc(2026, 4, 30, 6),
        utc(2026, 5, 31, 6),  # back to the 31st: computed from the anchor, no drift
    ]
    assert [o.number for o in found] == [0, 1, 2, 3, 4]
    assert not more


def test_leap_years_and_yearly_february_29() -> None:
    monthly, _ = due(fixed(utc(2028, 1, 31, 12)), utc(2028, 3, 31, 12))
    assert [o.due_at for o in monthly] == [
        utc(2028, 1, 31, 12),
        utc(2028, 2, 29, 12),
        utc(2028, 3, 31, 12),
    ]
    yearly, _ = due(fixed(utc(2024, 2, 29, 6), IntervalUnit.YEAR), utc(2028, 12, 31))
    assert [o.due_at for o in yearly] == [
        utc(2024, 2, 29, 6),
        utc(2025, 2, 28, 6),
        utc(2026, 2, 28, 6),
        utc(2027, 2, 28, 6),
        utc(2028, 2, 29, 6),
    ]


def test_spring_gap_moves_forward_and_fall_back_takes_the_first() -> None:
    # 02:30 Berlin does not exist on 29 March 2026: it is read as 03:30 CEST.
    spring = datetime(2026, 3, 28, 2, 30, tzinfo=BERLIN).astimezone(UTC)
    found, _ = due(fixed(spring, IntervalUnit.DAY), utc(2026, 3, 31), BERLIN)
    assert [o.due_at for o in found] == [
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),  # 03:30 CEST
        utc(2026, 3, 30, 0, 30),  # 02:30 CEST
    ]
    # 02:30 Berlin happens twice on 25 October 2026: the first (CEST) is used.
    autumn = datetime(2026, 10, 24, 2, 30, tzinfo=BERLIN).astimezone(UTC)
    found, _ = due(fixed(autumn, IntervalUnit.DAY), utc(2026, 10, 27), BERLIN)
    assert [o.due_at for o in found] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST, not 02:30 CET an hour later
        utc(2026, 10, 26, 1, 30),  # 02:30 CET
    ]
    # An anchor at the second 02:30 (CET) is occurrence 0 exactly; later ones are 02:30.
    second = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1).astimezone(UTC)
    found, _ = due(fixed(second, IntervalUnit.DAY), utc(2026, 10, 27), BERLIN)
    assert [o.due_at for o in found] == [utc(2026, 10, 25, 1, 30), utc(2026, 10, 26, 1, 30)]


def test_new_york_weekly_and_lord_howe_half_hour_dst() -> None:
    anchor = datetime(2026, 3, 1, 9, 0, tzinfo=NEW_YORK).astimezone(UTC)
    found, _ = due(fixed(anchor, IntervalUnit.WEEK, 1), utc(2026, 3, 16), NEW_YORK)
    assert [o.due_at for o in found] == [
        utc(2026, 3, 1, 14),  # EST
        utc(2026, 3, 8, 13),  # EDT from 8 March 02:00
        utc(2026, 3, 15, 13),
    ]
    # Lord Howe leaves DST (+11 -> +10:30) on 5 April 2026 at 02:00.
    anchor = datetime(2026, 4, 4, 8, 0, tzinfo=LORD_HOWE).astimezone(UTC)
    found, _ = due(fixed(anchor, IntervalUnit.DAY), utc(2026, 4, 6), LORD_HOWE)
    assert [o.due_at for o in found] == [
        utc(2026, 4, 3, 21, 0),
        utc(2026, 4, 4, 21, 30),
        utc(2026, 4, 5, 21, 30),
    ]
    # Kolkata has no DST: +05:30 all year.
    anchor = datetime(2026, 1, 15, 10, 0, tzinfo=KOLKATA).astimezone(UTC)
    found, _ = due(fixed(anchor, IntervalUnit.MONTH, 6), utc(2027, 1, 15, 4, 30), KOLKATA)
    assert [o.due_at for o in found] == [
        utc(2026, 1, 15, 4, 30),
        utc(2026, 7, 15, 4, 30),
        utc(2027, 1, 15, 4, 30),
    ]


def test_missed_occurrences_are_listed_and_limited() -> None:
    schedule = fixed(utc(2025, 1, 1, 8))
    found, more = due(schedule, utc(2026, 1, 1, 8), limit=5)
    assert [o.number for o in found] == [0, 1, 2, 3, 4]
    assert more
    rest, more = due(schedule, utc(2026, 1, 1, 8), state=PlanState(5))
    assert [o.number for o in rest] == list(range(5, 13))
    assert rest[-1].due_at == utc(2026, 1, 1, 8)
    assert not more
    assert due(schedule, utc(2026, 1, 1, 8), state=PlanState(13)) == ([], False)
    assert due(schedule, utc(2024, 12, 31)) == ([], False)


def test_meter_examples() -> None:
    schedule = Schedule(
        TriggerType.METER,
        meter_id=uuid.uuid4(),
        meter_interval=Decimal("500"),
        meter_anchor=Decimal("1500"),
    )
    assert due(schedule, utc(2026, 1, 1)) == ([], False)  # no reading yet
    assert due(schedule, utc(2026, 1, 1), meter=MeterState(Decimal("1499.9"))) == ([], False)
    found, more = due(schedule, utc(2026, 1, 1), meter=MeterState(Decimal("2600.5")))
    assert found == [
        Occurrence(0, None, Decimal("1500"), Reason.METER),
        Occurrence(1, None, Decimal("2000"), Reason.METER),
        Occurrence(2, None, Decimal("2500"), Reason.METER),
    ]
    assert not more
    assert next_due(schedule, PlanState(3), UTC) == (None, Decimal("3000"))
    # Decimal arithmetic: 0.1 steps are exact.
    tenth = Schedule(
        TriggerType.METER,
        meter_id=uuid.uuid4(),
        meter_interval=Decimal("0.1"),
        meter_anchor=Decimal("0"),
    )
    found, _ = due(tenth, utc(2026, 1, 1), meter=MeterState(Decimal("0.3")))
    assert [o.due_meter for o in found] == [
        Decimal("0"),
        Decimal("0.1"),
        Decimal("0.2"),
        Decimal("0.3"),
    ]


def test_calendar_or_meter_examples() -> None:
    schedule = Schedule(
        TriggerType.CALENDAR_OR_METER,
        3,
        IntervalUnit.MONTH,
        utc(2026, 1, 1, 8),
        uuid.uuid4(),
        Decimal("250"),
        Decimal("250"),
    )
    # By 1 May the calendar made 0 (1 Jan) and 1 (1 Apr) due; a reading of 800 taken on
    # 15 February had already passed thresholds 250, 500 and 750 (occurrences 0..2).
    meter = MeterState(Decimal("800"), utc(2026, 2, 15))
    found, _ = due(schedule, utc(2026, 5, 1), meter=meter)
    assert found == [
        Occurrence(0, utc(2026, 1, 1, 8), Decimal("250"), Reason.CALENDAR),
        Occurrence(1, utc(2026, 4, 1, 8), Decimal("500"), Reason.METER),
        Occurrence(2, utc(2026, 7, 1, 8), Decimal("750"), Reason.METER),
    ]
    assert next_due(schedule, PlanState(3), UTC) == (utc(2026, 10, 1, 8), Decimal("1000"))


def test_floating_examples() -> None:
    schedule = Schedule(TriggerType.CALENDAR_FLOATING, 1, IntervalUnit.MONTH, utc(2026, 1, 10, 9))
    # Before any completion: the anchor.
    assert due(schedule, utc(2026, 1, 9)) == ([], False)
    found, _ = due(schedule, utc(2026, 3, 1))
    assert found == [Occurrence(0, utc(2026, 1, 10, 9), None, Reason.CALENDAR)]
    # Generated and still open: nothing more, however late.
    waiting = PlanState(1, None, awaiting_completion=True)
    assert due(schedule, utc(2030, 1, 1)) != ([], False)
    assert due(schedule, utc(2030, 1, 1), state=waiting) == ([], False)
    assert next_due(schedule, waiting, UTC) == (None, None)
    # Completed on 20 January 16:45 Berlin time: due a month later, same local time.
    done = PlanState(1, datetime(2026, 1, 20, 16, 45, tzinfo=BERLIN).astimezone(UTC))
    assert next_due(schedule, done, BERLIN) == (utc(2026, 2, 20, 15, 45), None)
    found, _ = due(schedule, utc(2026, 3, 1), BERLIN, state=done)
    assert found == [Occurrence(1, utc(2026, 2, 20, 15, 45), None, Reason.CALENDAR)]


def test_next_due_of_fixed_is_occurrence_next_occurrence() -> None:
    schedule = fixed(utc(2026, 1, 31, 8))
    assert next_due(schedule, PlanState(), UTC) == (utc(2026, 1, 31, 8), None)
    assert next_due(schedule, PlanState(1), UTC) == (utc(2026, 2, 28, 8), None)


def test_far_future_stops_instead_of_overflowing() -> None:
    schedule = fixed(utc(9990, 1, 1), IntervalUnit.YEAR, 5)
    found, more = due(schedule, datetime.max.replace(tzinfo=UTC))
    assert [o.due_at for o in found] == [utc(9990, 1, 1), utc(9995, 1, 1)]
    assert not more
    assert next_due(schedule, PlanState(2), UTC) == (None, None)
    # Already year 10000 in Kolkata: no later occurrence, and no error.
    last = fixed(utc(9999, 12, 31, 23), IntervalUnit.DAY)
    assert due(last, datetime.max.replace(tzinfo=UTC), KOLKATA) == (
        [Occurrence(0, utc(9999, 12, 31, 23), None, Reason.CALENDAR)],
        False,
    )
    beyond = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(InvalidFields) as out_of_range:
        check_plan(uuid.uuid4(), None, fixed(beyond))
    assert pointers(out_of_range.value) == ["/trigger/anchorAt"]
    with pytest.raises(ValueError, match="limit"):
        due(schedule, utc(2026, 1, 1), limit=0)


# ---------------------------------------------------------------- validation


def pointers(error: InvalidFields) -> list[str]:
    return [e["pointer"] for e in error.fields["errors"]]


def test_exactly_one_target() -> None:
    schedule = fixed(utc(2026, 1, 1))
    with pytest.raises(InvalidFields) as neither:
        check_plan(None, None, schedule)
    assert pointers(neither.value) == [""]
    with pytest.raises(InvalidFields) as both:
        check_plan(uuid.uuid4(), uuid.uuid4(), schedule)
    assert pointers(both.value) == ["/assetId"]
    check_plan(uuid.uuid4(), None, schedule)
    check_plan(None, uuid.uuid4(), schedule)


def test_trigger_fields_required_by_type() -> None:
    with pytest.raises(InvalidFields) as calendar:
        check_plan(uuid.uuid4(), None, Schedule(TriggerType.CALENDAR_FIXED, interval_count=1))
    assert pointers(calendar.value) == ["/trigger/intervalUnit", "/trigger/anchorAt"]
    with pytest.raises(InvalidFields) as meter:
        check_plan(uuid.uuid4(), None, Schedule(TriggerType.METER, meter_id=uuid.uuid4()))
    assert pointers(meter.value) == ["/trigger/meterInterval", "/trigger/meterAnchor"]
    with pytest.raises(InvalidFields) as both:
        check_plan(uuid.uuid4(), None, Schedule(TriggerType.CALENDAR_OR_METER))
    assert len(pointers(both.value)) == 6


def test_fields_a_trigger_does_not_use_are_dropped() -> None:
    meter_id = uuid.uuid4()
    everything = Schedule(
        TriggerType.CALENDAR_OR_METER,
        1,
        IntervalUnit.DAY,
        utc(2026, 1, 1),
        meter_id,
        Decimal(10),
        Decimal(0),
    )
    assert used_fields(everything) == everything
    calendar = used_fields(replace(everything, type=TriggerType.CALENDAR_FLOATING))
    assert calendar == Schedule(TriggerType.CALENDAR_FLOATING, 1, IntervalUnit.DAY, utc(2026, 1, 1))
    check_plan(uuid.uuid4(), None, calendar)
    meter = used_fields(replace(everything, type=TriggerType.METER))
    assert meter == Schedule(
        TriggerType.METER, meter_id=meter_id, meter_interval=Decimal(10), meter_anchor=Decimal(0)
    )
    check_plan(uuid.uuid4(), None, meter)


def test_meter_must_be_cumulative_and_of_the_plan_asset() -> None:
    asset = uuid.uuid4()
    assert meter_errors(asset, asset, "cumulative") == []
    assert [e["pointer"] for e in meter_errors(asset, uuid.uuid4(), "cumulative")] == [
        "/trigger/meterId"
    ]
    assert "cumulative" in meter_errors(asset, asset, "gauge")[0]["detail"]
    # A plan for a category has no one asset whose meter it could follow.
    assert [e["pointer"] for e in meter_errors(None, asset, "cumulative")] == ["/trigger/meterId"]


def test_a_replaced_trigger_starts_its_own_series_at_its_anchor() -> None:
    """Numbers carry on across a trigger change (never reused), but the new series is
    due from its own anchor: occurrence ``series_origin`` is the new anchor itself."""
    anchor = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    schedule = Schedule(
        type=TriggerType.CALENDAR_FIXED,
        interval_count=1,
        interval_unit=IntervalUnit.MONTH,
        anchor_at=anchor,
    )
    state = PlanState(next_occurrence=5, series_origin=5)
    found, more = due_occurrences(
        schedule, state, anchor.replace(month=4), UTC, meter=None, limit=10
    )
    assert [(o.number, o.due_at) for o in found] == [
        (5, anchor),
        (6, anchor.replace(month=4)),
    ]
    assert not more
    assert next_due(schedule, state, UTC) == (anchor, None)
