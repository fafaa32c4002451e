from enum import StrEnum


class ReportKind(StrEnum):
    ASSET_HISTORY = "asset-history"
    LABOUR = "labour"
    PM_COMPLIANCE = "pm-compliance"
    WORK_ORDERS = "work-orders"

    def __str__(self) -> str:
        return str(self.value)
