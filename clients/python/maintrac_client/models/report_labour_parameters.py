from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReportLabourParameters")


@_attrs_define
class ReportLabourParameters:
    """The period, `from` inclusive, `to` exclusive; a `to` at or before `from` reports nothing.

    Attributes:
        from_ (datetime.datetime): The period starts here (inclusive). Example: 2026-11-01T00:00:00Z.
        to (datetime.datetime): The period ends here (exclusive). Example: 2026-12-01T00:00:00Z.
    """

    from_: datetime.datetime
    to: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        report_labour_parameters = cls(
            from_=from_,
            to=to,
        )

        return report_labour_parameters
