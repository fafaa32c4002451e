from enum import StrEnum


class ReportWorkOrdersCreateKind(StrEnum):
    WORK_ORDERS = "work-orders"

    def __str__(self) -> str:
        return str(self.value)
