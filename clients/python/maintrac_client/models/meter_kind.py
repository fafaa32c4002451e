from enum import StrEnum


class MeterKind(StrEnum):
    CUMULATIVE = "cumulative"
    GAUGE = "gauge"

    def __str__(self) -> str:
        return str(self.value)
