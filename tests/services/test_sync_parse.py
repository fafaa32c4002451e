"""A push's tables are checked before anything is applied, even when the edge is not
in front (a job or a script calling the service): nothing is silently dropped."""

from __future__ import annotations

import uuid

import pytest

from maintrac.core.errors import InvalidFields
from maintrac.services.sync import _parse_changes


def test_local_only_tables_with_no_changes_are_skipped() -> None:
    record_id = uuid.uuid4()
    upserts, deletes = _parse_changes(
        {
            "work_orders": {"created": [{"id": str(record_id), "title": "t"}]},
            "drafts": {"created": [], "updated": [], "deleted": []},
            "settings": {},
        }
    )
    assert set(upserts) == {"work_orders"}
    assert upserts["work_orders"][0].id == record_id
    assert deletes == {}


def test_local_only_tables_with_changes_are_refused_each_by_name() -> None:
    with pytest.raises(InvalidFields) as caught:
        _parse_changes(
            {
                "drafts": {"created": [{"id": str(uuid.uuid4())}]},
                "settings": {"deleted": [str(uuid.uuid4())]},
                "empty": {"updated": []},
            }
        )
    assert [e["pointer"] for e in caught.value.fields["errors"]] == [
        "/changes/drafts",
        "/changes/settings",
    ]
    assert "drafts, settings" in str(caught.value.detail)
