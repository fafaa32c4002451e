from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger
    from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger
    from ..models.pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger
    from ..models.pm_meter_trigger import PmMeterTrigger
    from ..models.pm_work_order_template import PmWorkOrderTemplate


T = TypeVar("T", bound="PmPlan")


@_attrs_define
class PmPlan:
    """A preventive-maintenance plan.

    Attributes:
        id (UUID): The plan's id (UUIDv7). Example: 0193a3c4-7f1e-7c2a-9b0d-000000000060.
        name (str): The plan's name. Example: Monthly boiler inspection.
        description (None | str): Notes about the plan. Example: Statutory monthly check..
        asset_id (None | UUID): The asset maintained (or null when the plan covers a category). Example:
            0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
        asset_category_id (None | UUID): Every asset of this category (or null when the plan names an asset).
        work_order_template (PmWorkOrderTemplate): What each generated work order looks like.
        trigger (PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger): When a
            plan's work falls due, by `type`: `calendar_fixed` and `calendar_floating`
            need `intervalCount`, `intervalUnit` and `anchorAt`; `meter` needs `meterId`,
            `meterInterval` and `meterAnchor`; `calendar_or_meter` needs both sets. Fields a
            trigger type does not use are accepted and ignored: they are not stored, and a
            plan read back shows only the fields of its type.
        active (bool): Paused plans generate nothing (a person may still generate the next one now). Example: True.
        next_due_at (datetime.datetime | None): When the next occurrence is due by the calendar (UTC). Example:
            2026-12-01T08:00:00Z.
        next_due_meter (float | None): The meter value at which the next occurrence is due.
        last_completed_at (datetime.datetime | None): When the plan's last work order was completed (UTC).
        lead_time_days (int): Work orders are generated this many days (N x 24 h) before they are due. Example: 7.
        last_generated_occurrence (int | None): The newest occurrence that has a work order (null before the first).
            Example: 2.
        last_generated_at (datetime.datetime | None): When the plan last generated a work order (UTC). Example:
            2026-11-24T08:00:00Z.
        created_at (datetime.datetime): When the plan was created (UTC). Example: 2026-11-01T09:00:00Z.
        updated_at (datetime.datetime): When the plan last changed (UTC). Example: 2026-11-01T09:00:00Z.
    """

    id: UUID
    name: str
    description: None | str
    asset_id: None | UUID
    asset_category_id: None | UUID
    work_order_template: PmWorkOrderTemplate
    trigger: PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger
    active: bool
    next_due_at: datetime.datetime | None
    next_due_meter: float | None
    last_completed_at: datetime.datetime | None
    lead_time_days: int
    last_generated_occurrence: int | None
    last_generated_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger  # noqa: PLC0415
        from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger  # noqa: PLC0415
        from ..models.pm_meter_trigger import PmMeterTrigger  # noqa: PLC0415

        id = str(self.id)

        name = self.name

        description: None | str
        description = self.description

        asset_id: None | str
        if isinstance(self.asset_id, UUID):
            asset_id = str(self.asset_id)
        else:
            asset_id = self.asset_id

        asset_category_id: None | str
        if isinstance(self.asset_category_id, UUID):
            asset_category_id = str(self.asset_category_id)
        else:
            asset_category_id = self.asset_category_id

        work_order_template = self.work_order_template.to_dict()

        trigger: dict[str, Any]
        if isinstance(self.trigger, PmCalendarFixedTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, PmCalendarFloatingTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, PmMeterTrigger):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger.to_dict()

        active = self.active

        next_due_at: None | str
        if isinstance(self.next_due_at, datetime.datetime):
            next_due_at = self.next_due_at.isoformat()
        else:
            next_due_at = self.next_due_at

        next_due_meter: float | None
        next_due_meter = self.next_due_meter

        last_completed_at: None | str
        if isinstance(self.last_completed_at, datetime.datetime):
            last_completed_at = self.last_completed_at.isoformat()
        else:
            last_completed_at = self.last_completed_at

        lead_time_days = self.lead_time_days

        last_generated_occurrence: int | None
        last_generated_occurrence = self.last_generated_occurrence

        last_generated_at: None | str
        if isinstance(self.last_generated_at, datetime.datetime):
            last_generated_at = self.last_generated_at.isoformat()
        else:
            last_generated_at = self.last_generated_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "assetId": asset_id,
                "assetCategoryId": asset_category_id,
                "workOrderTemplate": work_order_template,
                "trigger": trigger,
                "active": active,
                "nextDueAt": next_due_at,
                "nextDueMeter": next_due_meter,
                "lastCompletedAt": last_completed_at,
                "leadTimeDays": lead_time_days,
                "lastGeneratedOccurrence": last_generated_occurrence,
                "lastGeneratedAt": last_generated_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger  # noqa: PLC0415
        from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger  # noqa: PLC0415
        from ..models.pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger  # noqa: PLC0415
        from ..models.pm_meter_trigger import PmMeterTrigger  # noqa: PLC0415
        from ..models.pm_work_order_template import PmWorkOrderTemplate  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_asset_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                asset_id_type_0 = UUID(data)

                return asset_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        asset_id = _parse_asset_id(d.pop("assetId"))

        def _parse_asset_category_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                asset_category_id_type_0 = UUID(data)

                return asset_category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        asset_category_id = _parse_asset_category_id(d.pop("assetCategoryId"))

        work_order_template = PmWorkOrderTemplate.from_dict(d.pop("workOrderTemplate"))

        def _parse_trigger(
            data: object,
        ) -> PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_pm_trigger_type_0 = PmCalendarFixedTrigger.from_dict(data)

                return componentsschemas_pm_trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_pm_trigger_type_1 = PmCalendarFloatingTrigger.from_dict(data)

                return componentsschemas_pm_trigger_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_pm_trigger_type_2 = PmMeterTrigger.from_dict(data)

                return componentsschemas_pm_trigger_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_pm_trigger_type_3 = PmCalendarOrMeterTrigger.from_dict(data)

            return componentsschemas_pm_trigger_type_3

        trigger = _parse_trigger(d.pop("trigger"))

        active = d.pop("active")

        def _parse_next_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_due_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_due_at = _parse_next_due_at(d.pop("nextDueAt"))

        def _parse_next_due_meter(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        next_due_meter = _parse_next_due_meter(d.pop("nextDueMeter"))

        def _parse_last_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_completed_at = _parse_last_completed_at(d.pop("lastCompletedAt"))

        lead_time_days = d.pop("leadTimeDays")

        def _parse_last_generated_occurrence(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_generated_occurrence = _parse_last_generated_occurrence(d.pop("lastGeneratedOccurrence"))

        def _parse_last_generated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_generated_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_generated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_generated_at = _parse_last_generated_at(d.pop("lastGeneratedAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        pm_plan = cls(
            id=id,
            name=name,
            description=description,
            asset_id=asset_id,
            asset_category_id=asset_category_id,
            work_order_template=work_order_template,
            trigger=trigger,
            active=active,
            next_due_at=next_due_at,
            next_due_meter=next_due_meter,
            last_completed_at=last_completed_at,
            lead_time_days=lead_time_days,
            last_generated_occurrence=last_generated_occurrence,
            last_generated_at=last_generated_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        pm_plan.additional_properties = d
        return pm_plan

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
