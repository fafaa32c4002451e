from enum import StrEnum


class ReportAssetHistoryCreateKind(StrEnum):
    ASSET_HISTORY = "asset-history"

    def __str__(self) -> str:
        return str(self.value)
