"""catalog-svc tables: basic items, items, versions, changes, code counters, org read model,
bundles, search terms.

Revision ID: catalog_0002
Revises: catalog_0001
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0002"
down_revision: str | None = "catalog_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "basic_items",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("basic_code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("item_type", sa.String(2), nullable=False),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_basic_items"),
        sa.UniqueConstraint("basic_code", name="uq_basic_items_basic_code"),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("basic_item_id", sa.String(36), nullable=False),
        sa.Column("owner_unit_code", sa.String(64), nullable=False),
        sa.Column("owner_unit_name", sa.String(200), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("current_version_no", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("item_type", sa.String(2), nullable=False),
        sa.Column("online_depth", sa.String(3), nullable=True),
        sa.Column("visits", sa.Integer(), nullable=True),
        sa.Column("service_objects_tags", sa.String(200), nullable=False),
        sa.Column("themes_tags", sa.String(2000), nullable=False),
        sa.Column("community_kind", sa.String(20), nullable=True),
        _ts("published_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["basic_item_id"], ["basic_items.id"], name="fk_items_basic_item_id_basic_items"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("code", name="uq_items_code"),
    )
    op.create_index("ix_items_basic_item_id", "items", ["basic_item_id"])
    op.create_index("ix_items_owner_unit_code", "items", ["owner_unit_code"])
    op.create_index("ix_items_status", "items", ["status"])
    op.create_index("ix_items_item_type", "items", ["item_type"])
    op.create_table(
        "item_versions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("quality_score", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        _ts("submitted_at", nullable=True),
        _ts("published_at", nullable=True),
        sa.Column("published_by", sa.String(64), nullable=True),
        _ts("retired_at", nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_item_versions_item_id_items"),
        sa.PrimaryKeyConstraint("id", name="pk_item_versions"),
        sa.UniqueConstraint("item_id", "version_no", name="uq_item_versions_item_id_version_no"),
    )
    op.create_table(
        "item_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changed_elements", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=True),
        _ts("at"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_item_changes_item_id_items"),
        sa.PrimaryKeyConstraint("id", name="pk_item_changes"),
    )
    op.create_index("ix_item_changes_item_id", "item_changes", ["item_id"])
    op.create_table(
        "code_counters",
        sa.Column("prefix", sa.String(50), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name="pk_code_counters"),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("uscc", sa.String(18), nullable=True),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_org_units"),
        sa.UniqueConstraint("code", name="uq_org_units_code"),
    )
    op.create_table(
        "bundles",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(4000), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_bundles"),
        sa.UniqueConstraint("code", name="uq_bundles_code"),
    )
    op.create_table(
        "bundle_items",
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name="fk_bundle_items_bundle_id_bundles"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_bundle_items_item_id_items"),
        sa.PrimaryKeyConstraint("bundle_id", "item_id", name="pk_bundle_items"),
    )
    op.create_table(
        "search_terms",
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name="fk_search_terms_item_id_items", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", "term", "field", name="pk_search_terms"),
    )
    op.create_index("ix_search_terms_term", "search_terms", ["term"])


def downgrade() -> None:
    op.drop_index("ix_search_terms_term", table_name="search_terms")
    op.drop_table("search_terms")
    op.drop_table("bundle_items")
    op.drop_table("bundles")
    op.drop_table("org_units")
    op.drop_table("code_counters")
    op.drop_index("ix_item_changes_item_id", table_name="item_changes")
    op.drop_table("item_changes")
    op.drop_table("item_versions")
    for ix in ("ix_items_item_type", "ix_items_status", "ix_items_owner_unit_code", "ix_items_basic_item_id"):
        op.drop_index(ix, table_name="items")
    op.drop_table("items")
    op.drop_table("basic_items")
