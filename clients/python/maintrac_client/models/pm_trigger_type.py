from enum import StrEnum


class PmTriggerType(StrEnum):
    CALENDAR_FIXED = "calendar_fixed"
    CALENDAR_FLOATING = "calendar_floating"
    CALENDAR_OR_METER = "calendar_or_meter"
    METER = "meter"

    def __str__(self) -> str:
        return str(self.value)
