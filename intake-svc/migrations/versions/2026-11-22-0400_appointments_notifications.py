"""Appointments and the notification outbox.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-22 04:00:00
"""

from collections.abc import Sequence

revision: str = "intake_0002"
down_revision: str | None = "intake_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
