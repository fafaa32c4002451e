from enum import StrEnum


class PmOccurrenceReason(StrEnum):
    CALENDAR = "calendar"
    METER = "meter"

    def __str__(self) -> str:
        return str(self.value)
