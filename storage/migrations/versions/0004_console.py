"""Console: staff accounts, sessions, live conversations (issue 9).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:00:00

Console accounts (staff and regulators), handed-over conversations and their messages,
canned replies.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('canned_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_canned_reply_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_reply'))
    )
    op.create_index(op.f('ix_canned_reply_company_id'), 'canned_reply', ['company_id'], unique=False)
    op.create_table('console_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('regulator_id', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('street', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_console_account_company_id_company')),
    sa.ForeignKeyConstraint(['regulator_id'], ['regulator.id'], name=op.f('fk_console_account_regulator_id_regulator')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_console_account_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_console_account')),
    sa.UniqueConstraint('phone', name=op.f('uq_console_account_phone'))
    )
    op.create_index(op.f('ix_console_account_company_id'), 'console_account', ['company_id'], unique=False)
    op.create_index(op.f('ix_console_account_staff_id'), 'console_account', ['staff_id'], unique=False)
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('assignee_staff_id', sa.Integer(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_owner_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_staff_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_staff_id'], ['staff.id'], name=op.f('fk_conversation_assignee_staff_id_staff')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_conversation_community_id_community')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_conversation_company_id_company')),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_conversation_home_id_home')),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'], name=op.f('fk_conversation_identity_id_channel_identity')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_conversation_owner_id_owner')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_conversation_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    op.create_index(op.f('ix_conversation_company_id'), 'conversation', ['company_id'], unique=False)
    op.create_index(op.f('ix_conversation_identity_id'), 'conversation', ['identity_id'], unique=False)
    op.create_index(op.f('ix_conversation_status'), 'conversation', ['status'], unique=False)
    op.create_table('conversation_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('media_kind', sa.String(length=10), nullable=False),
    sa.Column('media_ref', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_message_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_conversation_message_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_conversation_message_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_message'))
    )
    op.create_index(op.f('ix_conversation_message_conversation_id'), 'conversation_message', ['conversation_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_conversation_message_conversation_id'), table_name='conversation_message')
    op.drop_table('conversation_message')
    op.drop_index(op.f('ix_conversation_status'), table_name='conversation')
    op.drop_index(op.f('ix_conversation_identity_id'), table_name='conversation')
    op.drop_index(op.f('ix_conversation_company_id'), table_name='conversation')
    op.drop_table('conversation')
    op.drop_index(op.f('ix_console_account_staff_id'), table_name='console_account')
    op.drop_index(op.f('ix_console_account_company_id'), table_name='console_account')
    op.drop_table('console_account')
    op.drop_index(op.f('ix_canned_reply_company_id'), table_name='canned_reply')
    op.drop_table('canned_reply')
