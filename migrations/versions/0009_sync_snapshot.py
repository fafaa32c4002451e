"""A pull's checkpoint keeps its whole snapshot, not only its ``xmin``.

A push judges its conflicts against the changes its device had not seen: those made by
transactions the device's pull could not see. ``xmin`` alone cannot say which those are:
it is the oldest transaction still running anywhere in the cluster when the pull began, so
a transaction that committed before the pull (and so was in it) often has an id at or above
it. The snapshot (``xmin:xmax:xip``) says it exactly (``pg_visible_in_snapshot``). Pulls
still read from ``snapshot_xmin``: re-sending a change is harmless, judging a change the
device already had as a conflict with its edit is not. Checkpoints written before this
revision have no snapshot; a push after one falls back to ``snapshot_xmin``.

Revision ID: 0009
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # text, not pg_snapshot: the ORM has no type for it; the query casts it back.
    op.execute(
        "ALTER TABLE sync_checkpoints ADD COLUMN snapshot text "
        "CHECK (snapshot IS NULL OR snapshot::pg_snapshot IS NOT NULL)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE sync_checkpoints DROP COLUMN snapshot")
