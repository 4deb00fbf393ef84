"""The licence library's tables: licence types, licences and their trail, shares, uses, the
signing key, and the read models (catalog items, persons, holder bindings).

Revision ID: licence_0002
Revises: licence_0001
Create Date: 2026-12-05 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'licence_0002'
down_revision: str | None = 'licence_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_items',
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('result_name', sa.String(length=200), nullable=True),
    sa.Column('licence_type_code', sa.String(length=32), nullable=True),
    sa.Column('owner_unit_code', sa.String(length=50), nullable=False),
    sa.Column('owner_unit_name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('item_code', name=op.f('pk_catalog_items'))
    )
    op.create_table('holder_bindings',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('identifier', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_holder_bindings'))
    )
    with op.batch_alter_table('holder_bindings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_bindings_identifier'), ['identifier'], unique=False)

    op.create_table('licence_types',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('holder_kind', sa.String(length=20), nullable=False),
    sa.Column('issuing_unit_code', sa.String(length=50), nullable=True),
    sa.Column('issuing_unit_name', sa.String(length=100), nullable=True),
    sa.Column('validity_years', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_licence_types')),
    sa.UniqueConstraint('name', name=op.f('uq_licence_types_name'))
    )
    op.create_table('persons',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('resident_id_masked', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_persons'))
    )
    op.create_table('signing_keys',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=True),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('slot', name=op.f('uq_signing_keys_slot'))
    )
    op.create_table('licences',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=200), nullable=False),
    sa.Column('type_code', sa.String(length=32), nullable=False),
    sa.Column('holder_kind', sa.String(length=20), nullable=False),
    sa.Column('holder_identifier', sa.String(length=32), nullable=True),
    sa.Column('holder_account_id', sa.String(length=64), nullable=True),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('issuing_unit_code', sa.String(length=50), nullable=False),
    sa.Column('issuing_unit_name', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('application_id', sa.String(length=64), nullable=True),
    sa.Column('application_no', sa.String(length=64), nullable=True),
    sa.Column('rendering', sa.LargeBinary(), nullable=False),
    sa.Column('rendering_sha256', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['type_code'], ['licence_types.code'], name=op.f('fk_licences_type_code_licence_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licences')),
    sa.UniqueConstraint('application_id', 'type_code', name=op.f('uq_licences_application_id_type_code')),
    sa.UniqueConstraint('type_code', 'number', name=op.f('uq_licences_type_code_number'))
    )
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.create_index('ix_licences_account', ['holder_account_id'], unique=False)
        batch_op.create_index('ix_licences_expiry', ['status', 'valid_until'], unique=False)
        batch_op.create_index('ix_licences_holder', ['holder_kind', 'holder_identifier'], unique=False)

    op.create_table('licence_actions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('licence_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_unit_code', sa.String(length=50), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_actions_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_actions'))
    )
    with op.batch_alter_table('licence_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_actions_licence_id'), ['licence_id'], unique=False)

    op.create_table('licence_shares',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('licence_id', sa.String(length=36), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_shares_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_shares')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_licence_shares_code_hash'))
    )
    with op.batch_alter_table('licence_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_shares_licence_id'), ['licence_id'], unique=False)

    op.create_table('licence_uses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('licence_id', sa.String(length=36), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('staff_unit_code', sa.String(length=50), nullable=True),
    sa.Column('application_id', sa.String(length=64), nullable=False),
    sa.Column('application_no', sa.String(length=64), nullable=True),
    sa.Column('item_name', sa.String(length=200), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('status_seen', sa.String(length=20), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_uses_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_uses'))
    )
    with op.batch_alter_table('licence_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_uses_licence_id'), ['licence_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('licence_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_uses_licence_id'))

    op.drop_table('licence_uses')
    with op.batch_alter_table('licence_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_shares_licence_id'))

    op.drop_table('licence_shares')
    with op.batch_alter_table('licence_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_actions_licence_id'))

    op.drop_table('licence_actions')
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_index('ix_licences_holder')
        batch_op.drop_index('ix_licences_expiry')
        batch_op.drop_index('ix_licences_account')

    op.drop_table('licences')
    op.drop_table('signing_keys')
    op.drop_table('persons')
    op.drop_table('licence_types')
    with op.batch_alter_table('holder_bindings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_bindings_identifier'))

    op.drop_table('holder_bindings')
    op.drop_table('catalog_items')
