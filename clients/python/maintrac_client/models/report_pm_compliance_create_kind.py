from enum import StrEnum


class ReportPmComplianceCreateKind(StrEnum):
    PM_COMPLIANCE = "pm-compliance"

    def __str__(self) -> str:
        return str(self.value)
