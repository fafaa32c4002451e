from enum import StrEnum


class WorkOrderStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
