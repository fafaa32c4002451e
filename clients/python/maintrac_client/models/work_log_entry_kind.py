from enum import StrEnum


class WorkLogEntryKind(StrEnum):
    LABOR = "labor"
    MATERIAL = "material"
    OBSERVATION = "observation"

    def __str__(self) -> str:
        return str(self.value)
