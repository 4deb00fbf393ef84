"""identity-svc tables: org units, accounts (persons, staff, roles), enterprises, grants,
refresh tokens, signing keys.

Revision ID: identity_0002
Revises: identity_0001
Create Date: 2026-11-22 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0002"
down_revision: str | None = "identity_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("uscc", sa.String(18), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["parent_id"], ["org_units.id"], name="fk_org_units_parent_id_org_units"),
        sa.PrimaryKeyConstraint("id", name="pk_org_units"),
        sa.UniqueConstraint("code", name="uq_org_units_code"),
        sa.UniqueConstraint("uscc", name="uq_org_units_uscc"),
    )
    op.create_index("ix_org_units_parent_id", "org_units", ["parent_id"])

    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("loa", sa.SmallInteger(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _ts("last_failed_at", nullable=True),
        _ts("locked_until", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
    )
    op.create_table(
        "persons",
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("resident_id", sa.String(18), nullable=True),
        sa.Column("passport_number", sa.String(20), nullable=True),
        sa.Column("nationality", sa.String(3), nullable=True),
        sa.Column("phone", sa.String(11), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_persons_account_id_accounts"),
        sa.PrimaryKeyConstraint("account_id", name="pk_persons"),
        sa.UniqueConstraint(
            "passport_number", "nationality", name="uq_persons_passport_number_nationality"
        ),
        sa.UniqueConstraint("phone", name="uq_persons_phone"),
        sa.UniqueConstraint("resident_id", name="uq_persons_resident_id"),
    )
    op.create_table(
        "staff",
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_staff_account_id_accounts"),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_units.id"], name="fk_staff_org_unit_id_org_units"),
        sa.PrimaryKeyConstraint("account_id", name="pk_staff"),
        sa.UniqueConstraint("username", name="uq_staff_username"),
    )
    op.create_index("ix_staff_org_unit_id", "staff", ["org_unit_id"])
    op.create_table(
        "staff_roles",
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["staff.account_id"], name="fk_staff_roles_account_id_staff"),
        sa.PrimaryKeyConstraint("account_id", "role", name="pk_staff_roles"),
    )

    op.create_table(
        "enterprises",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("legal_rep_id", sa.String(36), nullable=False),
        sa.Column("loa", sa.SmallInteger(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["legal_rep_id"], ["persons.account_id"], name="fk_enterprises_legal_rep_id_persons"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_enterprises"),
        sa.UniqueConstraint("uscc", name="uq_enterprises_uscc"),
    )
    op.create_index("ix_enterprises_legal_rep_id", "enterprises", ["legal_rep_id"])

    op.create_table(
        "grants",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("enterprise_id", sa.String(36), nullable=False),
        sa.Column("grantor_id", sa.String(36), nullable=False),
        sa.Column("parent_grant_id", sa.String(36), nullable=True),
        sa.Column("grantee_id", sa.String(36), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        _ts("valid_from"),
        _ts("valid_until"),
        sa.Column("may_delegate", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        _ts("created_at"),
        _ts("confirmed_at", nullable=True),
        _ts("revoked_at", nullable=True),
        sa.Column("revoked_by", sa.String(36), nullable=True),
        sa.Column("revoke_reason", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name="fk_grants_enterprise_id_enterprises"
        ),
        sa.ForeignKeyConstraint(
            ["grantee_id"], ["persons.account_id"], name="fk_grants_grantee_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["grantor_id"], ["persons.account_id"], name="fk_grants_grantor_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["parent_grant_id"], ["grants.id"], name="fk_grants_parent_grant_id_grants"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_grants"),
    )
    op.create_index("ix_grants_enterprise_id", "grants", ["enterprise_id"])
    op.create_index("ix_grants_grantee_id", "grants", ["grantee_id"])
    op.create_index("ix_grants_grantor_id", "grants", ["grantor_id"])
    op.create_index("ix_grants_parent_grant_id", "grants", ["parent_grant_id"])

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("family_id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _ts("issued_at"),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
        _ts("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_refresh_tokens_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
    )
    op.create_index("ix_refresh_tokens_account_id", "refresh_tokens", ["account_id"])
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])

    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("private_key_pem", sa.Text(), nullable=False),
        _ts("created_at"),
        _ts("active_from"),
        sa.PrimaryKeyConstraint("kid", name="pk_signing_keys"),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
    op.drop_index("ix_refresh_tokens_family_id", table_name="refresh_tokens")
    op.drop_index("ix_refresh_tokens_account_id", table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    for ix in ("parent_grant_id", "grantor_id", "grantee_id", "enterprise_id"):
        op.drop_index(f"ix_grants_{ix}", table_name="grants")
    op.drop_table("grants")
    op.drop_index("ix_enterprises_legal_rep_id", table_name="enterprises")
    op.drop_table("enterprises")
    op.drop_table("staff_roles")
    op.drop_index("ix_staff_org_unit_id", table_name="staff")
    op.drop_table("staff")
    op.drop_table("persons")
    op.drop_table("accounts")
    op.drop_index("ix_org_units_parent_id", table_name="org_units")
    op.drop_table("org_units")
