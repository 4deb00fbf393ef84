"""Search: a second covering index on search_terms (item_id, term, field, weight).

For a multi-word query search drives from the rarest word's items and looks up the other words'
rows per item (catalog.search `_ranked`); with this index those look-ups are index-only on both
SQLite and PostgreSQL (the primary key (item_id, term, field) lacks the weight).

Revision ID: catalog_0004
Revises: catalog_0003
Create Date: 2026-11-22 03:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "catalog_0004"
down_revision: str | None = "catalog_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_search_terms_item_term_field", "search_terms", ["item_id", "term", "field", "weight"]
    )


def downgrade() -> None:
    op.drop_index("ix_search_terms_item_term_field", table_name="search_terms")
