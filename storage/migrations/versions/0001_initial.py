"""Initial schema: every table of storage.models as of the first release.

Types are plain SQLAlchemy (AwareDateTime → DateTime(timezone=True), Money → Numeric(12, 2)),
so this file never imports storage.models and stays valid when the models move on.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 07:12:22.738688

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('qualification_level', sa.String(length=40), nullable=False),
    sa.Column('registered_capital', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('business_scope', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('name', name=op.f('uq_company_name'))
    )
    op.create_table('kv_entry',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_kv_entry'))
    )
    with op.batch_alter_table('kv_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kv_entry_expires_at'), ['expires_at'], unique=False)

    op.create_table('owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owner')),
    sa.UniqueConstraint('phone', name=op.f('uq_owner_phone'))
    )
    op.create_table('policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy'))
    )
    op.create_table('regulator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regulator'))
    )
    op.create_table('ticket_counter',
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_ticket_counter'))
    )
    op.create_table('community',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('parking_spaces', sa.Integer(), nullable=False),
    sa.Column('green_area_m2', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('elevators', sa.Integer(), nullable=False),
    sa.Column('cleaning_frequency', sa.String(length=200), nullable=False),
    sa.Column('patrol_times', sa.String(length=200), nullable=False),
    sa.Column('garbage_times', sa.String(length=200), nullable=False),
    sa.Column('service_phone', sa.String(length=40), nullable=False),
    sa.Column('emergency_phone', sa.String(length=40), nullable=False),
    sa.Column('front_desk_hours', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_community_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('name', name=op.f('uq_community_name'))
    )
    op.create_table('rectification_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_rectification_notice_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_notice'))
    )
    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_notice_company_id'), ['company_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('categories', sa.String(length=300), nullable=False),
    sa.Column('buildings', sa.String(length=300), nullable=False),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_staff_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('company_id', 'phone', name=op.f('uq_staff_company_id_phone'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_company_id'), ['company_id'], unique=False)

    op.create_table('building',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('floors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_building_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_building')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_building_community_id_name'))
    )
    op.create_table('faq_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_faq_entry_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entry'))
    )
    op.create_table('maintenance_fund_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('approval', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_maintenance_fund_entry_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_fund_entry'))
    )
    with op.batch_alter_table('maintenance_fund_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maintenance_fund_entry_community_id'), ['community_id'], unique=False)

    op.create_table('service_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('fee_per_m2', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_service_contract_community_id_community')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_service_contract_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_contract'))
    )
    with op.batch_alter_table('service_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_contract_community_id'), ['community_id'], unique=False)

    op.create_table('home',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('room', sa.String(length=20), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('property_years', sa.Integer(), nullable=False),
    sa.Column('property_start', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_home_building_id_building')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home')),
    sa.UniqueConstraint('building_id', 'unit', 'room', name=op.f('uq_home_building_id_unit_room'))
    )
    with op.batch_alter_table('home', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_building_id'), ['building_id'], unique=False)

    op.create_table('bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('late_fee_rate', sa.Numeric(precision=8, scale=6), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_bill_home_id_home')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill')),
    sa.UniqueConstraint('home_id', 'item', 'period', name=op.f('uq_bill_home_id_item_period'))
    )
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bill_home_id'), ['home_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bill_status'), ['status'], unique=False)

    op.create_table('channel_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('regulator_id', sa.Integer(), nullable=True),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('reachable', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('notify_bills', sa.Boolean(), nullable=False),
    sa.Column('notify_notices', sa.Boolean(), nullable=False),
    sa.Column('notify_tickets', sa.Boolean(), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replies_since_inbound', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_channel_identity_home_id_home')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_channel_identity_owner_id_owner')),
    sa.ForeignKeyConstraint(['regulator_id'], ['regulator.id'], name=op.f('fk_channel_identity_regulator_id_regulator')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_channel_identity_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_identity')),
    sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_channel_identity_channel_external_id'))
    )
    with op.batch_alter_table('channel_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_identity_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_identity_staff_id'), ['staff_id'], unique=False)

    op.create_table('home_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_home_member_home_id_home')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_home_member_owner_id_owner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home_member')),
    sa.UniqueConstraint('home_id', 'owner_id', name=op.f('uq_home_member_home_id_owner_id'))
    )
    with op.batch_alter_table('home_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_member_home_id'), ['home_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_member_owner_id'), ['owner_id'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restored_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_notice_building_id_building')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_community_id_community')),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_notice_home_id_home')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_starts_at'), ['starts_at'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('bill_ids', sa.String(length=2000), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_payment_home_id_home')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('reference', name=op.f('uq_payment_reference'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_home_id'), ['home_id'], unique=False)

    op.create_table('invite_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_identity_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_invite_code_home_id_home')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_invite_code_staff_id_staff')),
    sa.ForeignKeyConstraint(['used_by_identity_id'], ['channel_identity.id'], name=op.f('fk_invite_code_used_by_identity_id_channel_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_code')),
    sa.UniqueConstraint('code', name=op.f('uq_invite_code_code'))
    )
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_code_home_id'), ['home_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=60), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'], name=op.f('fk_outbox_identity_id_channel_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_identity_id'), ['identity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_payment_id'), ['payment_id'], unique=False)

    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('reporter_identity_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('location', sa.String(length=10), nullable=False),
    sa.Column('location_detail', sa.String(length=200), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('assignee_staff_id', sa.Integer(), nullable=True),
    sa.Column('sla_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.String(length=500), nullable=False),
    sa.Column('urge_count', sa.Integer(), nullable=False),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_staff_id'], ['staff.id'], name=op.f('fk_ticket_assignee_staff_id_staff')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_ticket_community_id_community')),
    sa.ForeignKeyConstraint(['home_id'], ['home.id'], name=op.f('fk_ticket_home_id_home')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_ticket_owner_id_owner')),
    sa.ForeignKeyConstraint(['reporter_identity_id'], ['channel_identity.id'], name=op.f('fk_ticket_reporter_identity_id_channel_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_ticket_number'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_home_id'), ['home_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_status'), ['status'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('identity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('ref', sa.String(length=500), nullable=False),
    sa.Column('content_type', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'], name=op.f('fk_attachment_identity_id_channel_identity')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_attachment_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('status_after', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_event_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_event'))
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_event_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_event_ticket_id'))

    op.drop_table('ticket_event')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_ticket_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_status'))
        batch_op.drop_index(batch_op.f('ix_ticket_owner_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_kind'))
        batch_op.drop_index(batch_op.f('ix_ticket_home_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_created_at'))
        batch_op.drop_index(batch_op.f('ix_ticket_community_id'))

    op.drop_table('ticket')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_payment_id'))

    op.drop_table('refund')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_identity_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_channel'))

    op.drop_table('outbox')
    with op.batch_alter_table('invite_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_code_home_id'))

    op.drop_table('invite_code')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_home_id'))

    op.drop_table('payment')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_starts_at'))
        batch_op.drop_index(batch_op.f('ix_notice_community_id'))

    op.drop_table('notice')
    with op.batch_alter_table('home_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_member_owner_id'))
        batch_op.drop_index(batch_op.f('ix_home_member_home_id'))

    op.drop_table('home_member')
    with op.batch_alter_table('channel_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_identity_staff_id'))
        batch_op.drop_index(batch_op.f('ix_channel_identity_owner_id'))

    op.drop_table('channel_identity')
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bill_status'))
        batch_op.drop_index(batch_op.f('ix_bill_home_id'))
        batch_op.drop_index(batch_op.f('ix_bill_due_date'))

    op.drop_table('bill')
    with op.batch_alter_table('home', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_building_id'))

    op.drop_table('home')
    with op.batch_alter_table('service_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_contract_community_id'))

    op.drop_table('service_contract')
    with op.batch_alter_table('maintenance_fund_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maintenance_fund_entry_community_id'))

    op.drop_table('maintenance_fund_entry')
    op.drop_table('faq_entry')
    op.drop_table('building')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_company_id'))

    op.drop_table('staff')
    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_notice_company_id'))

    op.drop_table('rectification_notice')
    op.drop_table('community')
    op.drop_table('ticket_counter')
    op.drop_table('regulator')
    op.drop_table('policy')
    op.drop_table('owner')
    with op.batch_alter_table('kv_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kv_entry_expires_at'))

    op.drop_table('kv_entry')
    op.drop_table('company')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
