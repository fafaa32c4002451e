from enum import StrEnum


class ReadingSource(StrEnum):
    API = "api"
    IMPORT = "import"
    SYNC = "sync"

    def __str__(self) -> str:
        return str(self.value)
