"""Every operation of the contract has a real handler, and no handler lacks an operation."""

from __future__ import annotations

from maintrac.api.app import HANDLERS
from maintrac.api.contract import Contract


def test_every_operation_has_a_handler() -> None:
    operations = set(Contract.load().operations)
    assert sorted(operations - set(HANDLERS)) == []
    assert sorted(set(HANDLERS) - operations) == []
