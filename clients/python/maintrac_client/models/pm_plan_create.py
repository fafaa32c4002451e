from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger
    from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger
    from ..models.pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger
    from ..models.pm_meter_trigger import PmMeterTrigger
    from ..models.pm_work_order_template import PmWorkOrderTemplate


T = TypeVar("T", bound="PmPlanCreate")


@_attrs_define
class PmPlanCreate:
    """A new plan, naming exactly one of `assetId` or `assetCategoryId`.

    Attributes:
        name (str): The plan's name. Example: Monthly boiler inspection.
        work_order_template (PmWorkOrderTemplate): What each generated work order looks like.
        trigger (PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger): When a
            plan's work falls due, by `type`: `calendar_fixed` and `calendar_floating`
            need `intervalCount`, `intervalUnit` and `anchorAt`; `meter` needs `meterId`,
            `meterInterval` and `meterAnchor`; `calendar_or_meter` needs both sets. Fields a
            trigger type does not use are accepted and ignored: they are not stored, and a
            plan read back shows only the fields of its type.
        description (None | str | Unset): Notes about the plan. Example: Statutory monthly check..
        asset_id (UUID | Unset): The asset maintained (the `id` of one of your assets).
        asset_category_id (UUID | Unset): Maintain every asset of this category instead (the `id` of one of your asset
            categories).
        active (bool | Unset): Whether the plan generates work (default true). Example: True.
        lead_time_days (int | Unset): Generate each work order this many days (N x 24 h) before it is due (default 0).
            Example: 7.
    """

    name: str
    work_order_template: PmWorkOrderTemplate
    trigger: PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger
    description: None | str | Unset = UNSET
    asset_id: UUID | Unset = UNSET
    asset_category_id: UUID | Unset = UNSET
    active: bool | Unset = UNSET
    lead_time_days: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger  # noqa: PLC0415
        from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger  # noqa: PLC0415
        from ..models.pm_meter_trigger import PmMeterTrigger  # noqa: PLC0415

        name = self.name

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

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        asset_id: str | Unset = UNSET
        if not isinstance(self.asset_id, Unset):
            asset_id = str(self.asset_id)

        asset_category_id: str | Unset = UNSET
        if not isinstance(self.asset_category_id, Unset):
            asset_category_id = str(self.asset_category_id)

        active = self.active

        lead_time_days = self.lead_time_days

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "workOrderTemplate": work_order_template,
                "trigger": trigger,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if asset_id is not UNSET:
            field_dict["assetId"] = asset_id
        if asset_category_id is not UNSET:
            field_dict["assetCategoryId"] = asset_category_id
        if active is not UNSET:
            field_dict["active"] = active
        if lead_time_days is not UNSET:
            field_dict["leadTimeDays"] = lead_time_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger  # noqa: PLC0415
        from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger  # noqa: PLC0415
        from ..models.pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger  # noqa: PLC0415
        from ..models.pm_meter_trigger import PmMeterTrigger  # noqa: PLC0415
        from ..models.pm_work_order_template import PmWorkOrderTemplate  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

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

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _asset_id = d.pop("assetId", UNSET)
        asset_id: UUID | Unset
        if isinstance(_asset_id, Unset):
            asset_id = UNSET
        else:
            asset_id = UUID(_asset_id)

        _asset_category_id = d.pop("assetCategoryId", UNSET)
        asset_category_id: UUID | Unset
        if isinstance(_asset_category_id, Unset):
            asset_category_id = UNSET
        else:
            asset_category_id = UUID(_asset_category_id)

        active = d.pop("active", UNSET)

        lead_time_days = d.pop("leadTimeDays", UNSET)

        pm_plan_create = cls(
            name=name,
            work_order_template=work_order_template,
            trigger=trigger,
            description=description,
            asset_id=asset_id,
            asset_category_id=asset_category_id,
            active=active,
            lead_time_days=lead_time_days,
        )

        return pm_plan_create
