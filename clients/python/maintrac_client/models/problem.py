from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.work_order_status import WorkOrderStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 problem. `type` identifies the kind of problem and links to its
    explanation; `code` is the same kind as a stable snake_case string.

        Attributes:
            type_ (str): Identifies the kind of problem: a reference relative to this server
                (`/problems/{slug}`), stable across deployments, that resolves to a page
                explaining the problem and how to fix the request.
                 Example: /problems/not-found.
            title (str): Short summary of the kind of problem; the same for every occurrence. Example: Resource not found.
            status (int): The HTTP status code. Example: 404.
            detail (str): What went wrong in this occurrence, for a person to read. Example: No work order
                0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d..
            instance (str | Unset): The request path this problem occurred on. Example: /v1/work-
                orders/0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d.
            code (str | Unset): The kind of problem as a stable machine-readable code. Example: not_found.
            errors (list[FieldError] | Unset): Field-level failures, each located by a JSON pointer.
            allowed_statuses (list[WorkOrderStatus] | Unset): For `invalid-status-transition`, the states the work order may
                move to. Example: ['open', 'in_progress', 'on_hold', 'cancelled'].
            reason (str | Unset): For `service-unavailable`, why the database could not serve (for example
                `admin_shutdown`, `too_many_connections`, `pool_timeout`, `lock_timeout`).
                 Example: lock_timeout.
            max_bytes (int | Unset): For `payload-too-large` and `header-fields-too-large`, the limit in bytes. Example:
                1048576.
    """

    type_: str
    title: str
    status: int
    detail: str
    instance: str | Unset = UNSET
    code: str | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    allowed_statuses: list[WorkOrderStatus] | Unset = UNSET
    reason: str | Unset = UNSET
    max_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        instance = self.instance

        code = self.code

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        allowed_statuses: list[str] | Unset = UNSET
        if not isinstance(self.allowed_statuses, Unset):
            allowed_statuses = []
            for allowed_statuses_item_data in self.allowed_statuses:
                allowed_statuses_item = allowed_statuses_item_data.value
                allowed_statuses.append(allowed_statuses_item)

        reason = self.reason

        max_bytes = self.max_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
            }
        )
        if instance is not UNSET:
            field_dict["instance"] = instance
        if code is not UNSET:
            field_dict["code"] = code
        if errors is not UNSET:
            field_dict["errors"] = errors
        if allowed_statuses is not UNSET:
            field_dict["allowedStatuses"] = allowed_statuses
        if reason is not UNSET:
            field_dict["reason"] = reason
        if max_bytes is not UNSET:
            field_dict["maxBytes"] = max_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        instance = d.pop("instance", UNSET)

        code = d.pop("code", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        _allowed_statuses = d.pop("allowedStatuses", UNSET)
        allowed_statuses: list[WorkOrderStatus] | Unset = UNSET
        if _allowed_statuses is not UNSET:
            allowed_statuses = []
            for allowed_statuses_item_data in _allowed_statuses:
                allowed_statuses_item = WorkOrderStatus(allowed_statuses_item_data)

                allowed_statuses.append(allowed_statuses_item)

        reason = d.pop("reason", UNSET)

        max_bytes = d.pop("maxBytes", UNSET)

        problem = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            instance=instance,
            code=code,
            errors=errors,
            allowed_statuses=allowed_statuses,
            reason=reason,
            max_bytes=max_bytes,
        )

        problem.additional_properties = d
        return problem

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
