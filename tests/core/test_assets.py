"""The pure rules of assets and reference data."""

from __future__ import annotations

import uuid

import pytest

from maintrac.core.assets import check_move, missing_reference
from maintrac.core.errors import AssetHierarchyCycle, InvalidReference
from maintrac.core.reference_data import ReferenceKind

SITE, BUILDING, ROOM, OTHER = (uuid.uuid4() for _ in range(4))


def test_an_asset_cannot_be_its_own_parent() -> None:
    with pytest.raises(AssetHierarchyCycle, match="its own parent"):
        check_move(SITE, SITE, [SITE])
    with pytest.raises(AssetHierarchyCycle):
        check_move(SITE, SITE, [])


@pytest.mark.parametrize("lineage", [[BUILDING, SITE], [ROOM, BUILDING, SITE]])
def test_an_asset_cannot_go_under_its_descendants(lineage: list[uuid.UUID]) -> None:
    with pytest.raises(AssetHierarchyCycle, match="descendant"):
        check_move(SITE, lineage[0], lineage)


@pytest.mark.parametrize(
    ("asset", "parent", "lineage"),
    [
        (ROOM, SITE, [SITE]),  # up the tree
        (BUILDING, OTHER, [OTHER]),  # to another tree
        (SITE, ROOM, [ROOM, OTHER]),  # under a former descendant that moved away
    ],
)
def test_other_moves_are_allowed(
    asset: uuid.UUID, parent: uuid.UUID, lineage: list[uuid.UUID]
) -> None:
    check_move(asset, parent, lineage)


def test_missing_reference_points_at_the_field() -> None:
    error = missing_reference("parentId")
    assert isinstance(error, InvalidReference)
    assert error.code == "invalid_reference"
    assert error.fields["field"] == "parentId"
    assert error.fields["errors"] == [
        {"pointer": "/parentId", "detail": "Does not exist in your tenant."}
    ]


def test_every_reference_kind_has_a_label() -> None:
    assert [k.label for k in ReferenceKind] == ["asset category", "task code", "GL code"]
