from enum import StrEnum


class WebhookEventType(StrEnum):
    METER_READING_RECORDED = "meter.reading_recorded"
    PM_PLAN_WORK_ORDER_GENERATED = "pm_plan.work_order_generated"
    WORK_ORDER_ASSIGNED = "work_order.assigned"
    WORK_ORDER_CREATED = "work_order.created"
    WORK_ORDER_STATUS_CHANGED = "work_order.status_changed"
    WORK_ORDER_UPDATED = "work_order.updated"

    def __str__(self) -> str:
        return str(self.value)
