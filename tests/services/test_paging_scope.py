"""A cursor's scope fingerprint is the same bytes in every release: cursors issued before a
deploy stay valid after it, whatever the filter values hold."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from maintrac.services.paging import query_scope

TENANT = uuid.UUID("01a21287-8dcf-7d18-8450-95d76b8bdd77")


def _reference(tenant: object, query: dict[str, Any]) -> bytes:
    """The definition: sha256 of the canonical document as ``json.dumps`` writes it."""

    def canonical(value: Any) -> Any:
        if isinstance(value, list):
            return sorted({str(v) for v in value})
        return None if value is None else str(value)

    document = json.dumps(
        {"tenant": str(tenant), "query": {k: canonical(v) for k, v in query.items()}},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(document.encode()).digest()


def test_fingerprints_issued_by_an_earlier_release() -> None:
    moment = datetime(2026, 12, 4, 9, tzinfo=UTC)
    query = {"list": "work_orders", "statuses": ["open", "complete"], "asset_id": None}
    assert query_scope(TENANT, {**query, "q": "pump"}).hex() == (
        "e62496837e5416f97db3a28bb497f9cb25de376f317974cbd979c175e56cb59b"
    )
    assert query_scope(TENANT, {**query, "q": "Pumpe Süd", "due_before": moment}).hex() == (
        "8d3f4b0a55fe8e1c27b0c38996889edd1df21bd2b93ec5bf257f6a3831b4edff"
    )


#: Any code point, lone surrogates (which orjson refuses) and the escaped ones made likely.
CHARS = st.characters(exclude_categories=()) | st.sampled_from(["\ud800", "\x7f", "\\", '"', "é"])


@given(
    st.dictionaries(
        st.text(CHARS, max_size=8),
        st.none() | st.text(CHARS, max_size=12) | st.lists(st.text(CHARS, max_size=6), max_size=4),
        max_size=5,
    )
)
def test_any_filter_values_fingerprint_as_json_dumps_writes_them(query: dict[str, Any]) -> None:
    """Control characters, DEL, non-ASCII and lone surrogates included (the fast path is
    only taken where both writers agree)."""
    assert query_scope(TENANT, query) == _reference(TENANT, query)
