"""Every operation of the contract has a real handler, and no handler lacks an operation."""

from __future__ import annotations

from maintrac.api.app import HANDLERS, Contract
from maintrac.api.authorization import permissions_by_operation


def test_every_operation_has_a_handler() -> None:
    operations = set(permissions_by_operation(Contract.load().spec))
    assert sorted(operations - set(HANDLERS)) == []
    assert sorted(set(HANDLERS) - operations) == []
