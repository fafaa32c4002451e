from enum import StrEnum


class ListSyncConflictsTable(StrEnum):
    ASSETS = "assets"
    ASSET_CATEGORIES = "asset_categories"
    ASSET_READINGS = "asset_readings"
    GL_CODES = "gl_codes"
    METERS = "meters"
    TASK_CODES = "task_codes"
    USERS = "users"
    WORK_LOG_ENTRIES = "work_log_entries"
    WORK_ORDERS = "work_orders"

    def __str__(self) -> str:
        return str(self.value)
