from enum import StrEnum


class AssetStatus(StrEnum):
    DOWN = "down"
    IN_SERVICE = "in_service"
    RETIRED = "retired"

    def __str__(self) -> str:
        return str(self.value)
