from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger
    from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger
    from ..models.pm_calendar_or_meter_trigger import PmCalendarOrMeterTrigger
    from ..models.pm_meter_trigger import PmMeterTrigger
    from ..models.pm_work_order_template import PmWorkOrderTemplate


T = TypeVar("T", bound="PmPlanUpdate")


@_attrs_define
class PmPlanUpdate:
    """Fields to change. `workOrderTemplate` and `trigger` are replaced whole.

    Attributes:
        name (str | Unset): The plan's name. Example: Monthly boiler inspection (B2).
        description (None | str | Unset): Notes about the plan.
        work_order_template (PmWorkOrderTemplate | Unset): What each generated work order looks like.
        trigger (PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger |
            Unset): When a plan's work falls due, by `type`: `calendar_fixed` and `calendar_floating`
            need `intervalCount`, `intervalUnit` and `anchorAt`; `meter` needs `meterId`,
            `meterInterval` and `meterAnchor`; `calendar_or_meter` needs both sets. Fields a
            trigger type does not use are accepted and ignored: they are not stored, and a
            plan read back shows only the fields of its type.
        active (bool | Unset): Pause (false) or resume (true) the plan. Example: False.
        lead_time_days (int | Unset): Generate each work order this many days (N x 24 h) before it is due. Example: 7.
    """

    name: str | Unset = UNSET
    description: None | str | Unset = UNSET
    work_order_template: PmWorkOrderTemplate | Unset = UNSET
    trigger: PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger | Unset = (
        UNSET
    )
    active: bool | Unset = UNSET
    lead_time_days: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.pm_calendar_fixed_trigger import PmCalendarFixedTrigger  # noqa: PLC0415
        from ..models.pm_calendar_floating_trigger import PmCalendarFloatingTrigger  # noqa: PLC0415
        from ..models.pm_meter_trigger import PmMeterTrigger  # noqa: PLC0415

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        work_order_template: dict[str, Any] | Unset = UNSET
        if not isinstance(self.work_order_template, Unset):
            work_order_template = self.work_order_template.to_dict()

        trigger: dict[str, Any] | Unset
        if isinstance(self.trigger, Unset):
            trigger = UNSET
        elif isinstance(self.trigger, PmCalendarFixedTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, PmCalendarFloatingTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, PmMeterTrigger):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger.to_dict()

        active = self.active

        lead_time_days = self.lead_time_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if work_order_template is not UNSET:
            field_dict["workOrderTemplate"] = work_order_template
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
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
        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _work_order_template = d.pop("workOrderTemplate", UNSET)
        work_order_template: PmWorkOrderTemplate | Unset
        if isinstance(_work_order_template, Unset):
            work_order_template = UNSET
        else:
            work_order_template = PmWorkOrderTemplate.from_dict(_work_order_template)

        def _parse_trigger(
            data: object,
        ) -> PmCalendarFixedTrigger | PmCalendarFloatingTrigger | PmCalendarOrMeterTrigger | PmMeterTrigger | Unset:
            if isinstance(data, Unset):
                return data
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

        trigger = _parse_trigger(d.pop("trigger", UNSET))

        active = d.pop("active", UNSET)

        lead_time_days = d.pop("leadTimeDays", UNSET)

        pm_plan_update = cls(
            name=name,
            description=description,
            work_order_template=work_order_template,
            trigger=trigger,
            active=active,
            lead_time_days=lead_time_days,
        )

        return pm_plan_update
