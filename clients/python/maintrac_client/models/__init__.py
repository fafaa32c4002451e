"""Contains all the data models used in inputs/outputs"""

from .asset import Asset
from .asset_category import AssetCategory
from .asset_create import AssetCreate
from .asset_page import AssetPage
from .asset_status import AssetStatus
from .asset_update import AssetUpdate
from .current_user_update import CurrentUserUpdate
from .field_change import FieldChange
from .field_error import FieldError
from .gl_code import GlCode
from .list_sync_conflicts_table import ListSyncConflictsTable
from .list_work_orders_sort import ListWorkOrdersSort
from .meter import Meter
from .meter_create import MeterCreate
from .meter_kind import MeterKind
from .meter_page import MeterPage
from .meter_update import MeterUpdate
from .notification_preferences import NotificationPreferences
from .notification_preferences_update import NotificationPreferencesUpdate
from .pm_calendar_fixed_trigger import PmCalendarFixedTrigger
from .pm_calendar_floating_trigger import PmCalendarFloatingTrigger
from .pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger
from .pm_interval_unit import PmIntervalUnit
from .pm_meter_trigger import PmMeterTrigger
from .pm_occurrence import PmOccurrence
from .pm_occurrence_page import PmOccurrencePage
from .pm_occurrence_reason import PmOccurrenceReason
from .pm_plan import PmPlan
from .pm_plan_create import PmPlanCreate
from .pm_plan_page import PmPlanPage
from .pm_plan_update import PmPlanUpdate
from .pm_work_order_template import PmWorkOrderTemplate
from .problem import Problem
from .reading import Reading
from .reading_create import ReadingCreate
from .reading_page import ReadingPage
from .reading_source import ReadingSource
from .reference_item import ReferenceItem
from .reference_item_create import ReferenceItemCreate
from .reference_item_page import ReferenceItemPage
from .reference_item_update import ReferenceItemUpdate
from .report import Report
from .report_asset_history_create import ReportAssetHistoryCreate
from .report_asset_history_create_kind import ReportAssetHistoryCreateKind
from .report_asset_history_parameters import ReportAssetHistoryParameters
from .report_format import ReportFormat
from .report_kind import ReportKind
from .report_labour_create import ReportLabourCreate
from .report_labour_create_kind import ReportLabourCreateKind
from .report_labour_parameters import ReportLabourParameters
from .report_page import ReportPage
from .report_parameters import ReportParameters
from .report_pm_compliance_create import ReportPmComplianceCreate
from .report_pm_compliance_create_kind import ReportPmComplianceCreateKind
from .report_pm_compliance_parameters import ReportPmComplianceParameters
from .report_status import ReportStatus
from .report_work_orders_create import ReportWorkOrdersCreate
from .report_work_orders_create_kind import ReportWorkOrdersCreateKind
from .report_work_orders_parameters import ReportWorkOrdersParameters
from .sync_asset_categories_changes import SyncAssetCategoriesChanges
from .sync_asset_categories_record import SyncAssetCategoriesRecord
from .sync_asset_readings_changes import SyncAssetReadingsChanges
from .sync_asset_readings_record import SyncAssetReadingsRecord
from .sync_assets_changes import SyncAssetsChanges
from .sync_assets_record import SyncAssetsRecord
from .sync_changes import SyncChanges
from .sync_conflict import SyncConflict
from .sync_conflict_page import SyncConflictPage
from .sync_gl_codes_changes import SyncGlCodesChanges
from .sync_gl_codes_record import SyncGlCodesRecord
from .sync_ids_by_table import SyncIdsByTable
from .sync_meters_changes import SyncMetersChanges
from .sync_meters_record import SyncMetersRecord
from .sync_migration import SyncMigration
from .sync_migration_columns import SyncMigrationColumns
from .sync_pull_request import SyncPullRequest
from .sync_pull_response import SyncPullResponse
from .sync_push_request import SyncPushRequest
from .sync_push_response import SyncPushResponse
from .sync_task_codes_changes import SyncTaskCodesChanges
from .sync_task_codes_record import SyncTaskCodesRecord
from .sync_unsynced_table_changes import SyncUnsyncedTableChanges
from .sync_unsynced_table_changes_created_item import SyncUnsyncedTableChangesCreatedItem
from .sync_unsynced_table_changes_updated_item import SyncUnsyncedTableChangesUpdatedItem
from .sync_users_changes import SyncUsersChanges
from .sync_users_record import SyncUsersRecord
from .sync_work_log_entries_changes import SyncWorkLogEntriesChanges
from .sync_work_log_entries_record import SyncWorkLogEntriesRecord
from .sync_work_log_entries_record_kind import SyncWorkLogEntriesRecordKind
from .sync_work_orders_changes import SyncWorkOrdersChanges
from .sync_work_orders_record import SyncWorkOrdersRecord
from .sync_work_orders_record_priority import SyncWorkOrdersRecordPriority
from .sync_work_orders_record_status import SyncWorkOrdersRecordStatus
from .task_code import TaskCode
from .user import User
from .user_create import UserCreate
from .user_page import UserPage
from .user_update import UserUpdate
from .webhook_attempt import WebhookAttempt
from .webhook_change import WebhookChange
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_event_type import WebhookEventType
from .webhook_meter_reading_recorded_event import WebhookMeterReadingRecordedEvent
from .webhook_ping_data import WebhookPingData
from .webhook_ping_event import WebhookPingEvent
from .webhook_pm_generated_data import WebhookPmGeneratedData
from .webhook_pm_work_order_generated_event import WebhookPmWorkOrderGeneratedEvent
from .webhook_reading_data import WebhookReadingData
from .webhook_reading_data_reading import WebhookReadingDataReading
from .webhook_reading_data_reading_source import WebhookReadingDataReadingSource
from .webhook_work_order import WebhookWorkOrder
from .webhook_work_order_assigned_event import WebhookWorkOrderAssignedEvent
from .webhook_work_order_created_event import WebhookWorkOrderCreatedEvent
from .webhook_work_order_data import WebhookWorkOrderData
from .webhook_work_order_data_changes import WebhookWorkOrderDataChanges
from .webhook_work_order_status_changed_event import WebhookWorkOrderStatusChangedEvent
from .webhook_work_order_updated_event import WebhookWorkOrderUpdatedEvent
from .work_log_entry import WorkLogEntry
from .work_log_entry_create import WorkLogEntryCreate
from .work_log_entry_kind import WorkLogEntryKind
from .work_log_entry_page import WorkLogEntryPage
from .work_order import WorkOrder
from .work_order_create import WorkOrderCreate
from .work_order_event import WorkOrderEvent
from .work_order_event_changes import WorkOrderEventChanges
from .work_order_event_page import WorkOrderEventPage
from .work_order_page import WorkOrderPage
from .work_order_priority import WorkOrderPriority
from .work_order_status import WorkOrderStatus
from .work_order_update import WorkOrderUpdate

__all__ = (
    "Asset",
    "AssetCategory",
    "AssetCreate",
    "AssetPage",
    "AssetStatus",
    "AssetUpdate",
    "CurrentUserUpdate",
    "FieldChange",
    "FieldError",
    "GlCode",
    "ListSyncConflictsTable",
    "ListWorkOrdersSort",
    "Meter",
    "MeterCreate",
    "MeterKind",
    "MeterPage",
    "MeterUpdate",
    "NotificationPreferences",
    "NotificationPreferencesUpdate",
    "PmCalendarFixedTrigger",
    "PmCalendarFloatingTrigger",
    "PmCalendarOrMeterTrigger",
    "PmIntervalUnit",
    "PmMeterTrigger",
    "PmOccurrence",
    "PmOccurrencePage",
    "PmOccurrenceReason",
    "PmPlan",
    "PmPlanCreate",
    "PmPlanPage",
    "PmPlanUpdate",
    "PmWorkOrderTemplate",
    "Problem",
    "Reading",
    "ReadingCreate",
    "ReadingPage",
    "ReadingSource",
    "ReferenceItem",
    "ReferenceItemCreate",
    "ReferenceItemPage",
    "ReferenceItemUpdate",
    "Report",
    "ReportAssetHistoryCreate",
    "ReportAssetHistoryCreateKind",
    "ReportAssetHistoryParameters",
    "ReportFormat",
    "ReportKind",
    "ReportLabourCreate",
    "ReportLabourCreateKind",
    "ReportLabourParameters",
    "ReportPage",
    "ReportParameters",
    "ReportPmComplianceCreate",
    "ReportPmComplianceCreateKind",
    "ReportPmComplianceParameters",
    "ReportStatus",
    "ReportWorkOrdersCreate",
    "ReportWorkOrdersCreateKind",
    "ReportWorkOrdersParameters",
    "SyncAssetCategoriesChanges",
    "SyncAssetCategoriesRecord",
    "SyncAssetReadingsChanges",
    "SyncAssetReadingsRecord",
    "SyncAssetsChanges",
    "SyncAssetsRecord",
    "SyncChanges",
    "SyncConflict",
    "SyncConflictPage",
    "SyncGlCodesChanges",
    "SyncGlCodesRecord",
    "SyncIdsByTable",
    "SyncMetersChanges",
    "SyncMetersRecord",
    "SyncMigration",
    "SyncMigrationColumns",
    "SyncPullRequest",
    "SyncPullResponse",
    "SyncPushRequest",
    "SyncPushResponse",
    "SyncTaskCodesChanges",
    "SyncTaskCodesRecord",
    "SyncUnsyncedTableChanges",
    "SyncUnsyncedTableChangesCreatedItem",
    "SyncUnsyncedTableChangesUpdatedItem",
    "SyncUsersChanges",
    "SyncUsersRecord",
    "SyncWorkLogEntriesChanges",
    "SyncWorkLogEntriesRecord",
    "SyncWorkLogEntriesRecordKind",
    "SyncWorkOrdersChanges",
    "SyncWorkOrdersRecord",
    "SyncWorkOrdersRecordPriority",
    "SyncWorkOrdersRecordStatus",
    "TaskCode",
    "User",
    "UserCreate",
    "UserPage",
    "UserUpdate",
    "WebhookAttempt",
    "WebhookChange",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointPage",
    "WebhookEndpointUpdate",
    "WebhookEventType",
    "WebhookMeterReadingRecordedEvent",
    "WebhookPingData",
    "WebhookPingEvent",
    "WebhookPmGeneratedData",
    "WebhookPmWorkOrderGeneratedEvent",
    "WebhookReadingData",
    "WebhookReadingDataReading",
    "WebhookReadingDataReadingSource",
    "WebhookWorkOrder",
    "WebhookWorkOrderAssignedEvent",
    "WebhookWorkOrderCreatedEvent",
    "WebhookWorkOrderData",
    "WebhookWorkOrderDataChanges",
    "WebhookWorkOrderStatusChangedEvent",
    "WebhookWorkOrderUpdatedEvent",
    "WorkLogEntry",
    "WorkLogEntryCreate",
    "WorkLogEntryKind",
    "WorkLogEntryPage",
    "WorkOrder",
    "WorkOrderCreate",
    "WorkOrderEvent",
    "WorkOrderEventChanges",
    "WorkOrderEventPage",
    "WorkOrderPage",
    "WorkOrderPriority",
    "WorkOrderStatus",
    "WorkOrderUpdate",
)
