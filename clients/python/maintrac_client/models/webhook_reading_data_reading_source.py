from enum import StrEnum


class WebhookReadingDataReadingSource(StrEnum):
    API = "api"
    IMPORT = "import"
    SYNC = "sync"

    def __str__(self) -> str:
        return str(self.value)
