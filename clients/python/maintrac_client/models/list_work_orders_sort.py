from enum import StrEnum


class ListWorkOrdersSort(StrEnum):
    CREATEDAT = "createdAt"
    DUEAT = "dueAt"
    UPDATEDAT = "updatedAt"
    VALUE_0 = "-createdAt"

    def __str__(self) -> str:
        return str(self.value)
