"""Owners: community settings (street, heating provider); binding requests, family and tenants, incidents (issue 7).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 16:00:00

Owner.phone becomes nullable: family members and tenants join with the owner's code.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('heating_provider', sa.String(length=100), nullable=False,
                                      server_default=''))
    _upgrade_people_and_tickets()
    _create_safety_tables()


def _upgrade_people_and_tickets() -> None:
    # A family member or tenant joins with the owner's code and has no registered phone.
    with op.batch_alter_table('owner', schema=None) as batch_op:
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=True)
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False, server_default='owner'))
        batch_op.add_column(sa.Column('issued_by_owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('label', sa.String(length=60), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_invite_code_issued_by_owner_id_owner'), 'owner',
                                    ['issued_by_owner_id'], ['id'])
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('building_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=20), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_ticket_building_id_building'), 'building',
                                    ['building_id'], ['id'])


def _create_safety_tables() -> None:
    op.create_table('binding_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('unit_label', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=60), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_binding_request_home_id_home')),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'],
                            name=op.f('fk_binding_request_identity_id_channel_identity')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_binding_request_owner_id_owner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_binding_request'))
    )
    with op.batch_alter_table('binding_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binding_request_identity_id'), ['identity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_binding_request_status'), ['status'], unique=False)
    op.create_table('ticket_reporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'],
                            name=op.f('fk_ticket_reporter_identity_id_channel_identity')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_reporter_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_reporter')),
    sa.UniqueConstraint('ticket_id', 'identity_id', name=op.f('uq_ticket_reporter_ticket_id_identity_id'))
    )
    with op.batch_alter_table('ticket_reporter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_reporter_ticket_id'), ['ticket_id'], unique=False)
    op.create_table('spooled_report',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('replayed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_spooled_report_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spooled_report'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('spooled_report')
    with op.batch_alter_table('ticket_reporter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_reporter_ticket_id'))
    op.drop_table('ticket_reporter')
    with op.batch_alter_table('binding_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_binding_request_status'))
        batch_op.drop_index(batch_op.f('ix_binding_request_identity_id'))
    op.drop_table('binding_request')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ticket_building_id_building'), type_='foreignkey')
        batch_op.drop_column('unit')
        batch_op.drop_column('building_id')
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invite_code_issued_by_owner_id_owner'), type_='foreignkey')
        batch_op.drop_column('label')
        batch_op.drop_column('issued_by_owner_id')
        batch_op.drop_column('role')
    with op.batch_alter_table('owner', schema=None) as batch_op:
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=False)
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('heating_provider')
        batch_op.drop_column('street')
