"""Applications: the catalogue read model, applications, materials, notices, steps, trace.

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-22 04:10:00
"""

from collections.abc import Sequence

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
