from enum import StrEnum


class ReportLabourCreateKind(StrEnum):
    LABOUR = "labour"

    def __str__(self) -> str:
        return str(self.value)
