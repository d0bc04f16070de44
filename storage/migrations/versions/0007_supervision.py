"""Supervision: regulator cases, rectifications, credit, policies, consultations (issue 13).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:00:00

Return visits (回访), supervised cases (督办), rectification answers and photos, the credit
file (filings, certificates, records, disclosures), consultations, policy scope, the
regulator's district/street scope, a ticket's source (owner chat or the 12345 hotline).
Existing rectification notices move from open/closed to issued/accepted.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regulator_id', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('street', sa.String(length=40), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['regulator_id'], ['regulator.id'], name=op.f('fk_consultation_regulator_id_regulator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    op.create_table('credit_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_credit_record_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_record'))
    )
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_record_company_id'), ['company_id'], unique=False)

    op.create_table('disclosure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_disclosure_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure'))
    )
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_community_id'), ['community_id'], unique=False)

    op.create_table('project_filing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('manager_name', sa.String(length=60), nullable=False),
    sa.Column('manager_phone', sa.String(length=20), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_project_filing_community_id_community')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_project_filing_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_filing'))
    )
    with op.batch_alter_table('project_filing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_filing_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_filing_company_id'), ['company_id'], unique=False)

    op.create_table('staff_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_staff_certificate_company_id_company')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_certificate_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_certificate'))
    )
    with op.batch_alter_table('staff_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_certificate_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_certificate_expires_on'), ['expires_on'], unique=False)

    op.create_table('consultation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_consultation_answer_community_id_community')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_consultation_answer_company_id_company')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_answer_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['identity_id'], ['channel_identity.id'], name=op.f('fk_consultation_answer_identity_id_channel_identity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answer')),
    sa.UniqueConstraint('consultation_id', 'identity_id', name=op.f('uq_consultation_answer_consultation_id_identity_id'))
    )
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_answer_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('return_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('solved', sa.Boolean(), nullable=True),
    sa.Column('satisfaction', sa.String(length=12), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_return_visit_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visit'))
    )
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visit_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('supervised_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_supervised_case_community_id_community')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_supervised_case_company_id_company')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_supervised_case_owner_id_owner')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_supervised_case_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervised_case')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_supervised_case_ticket_id'))
    )
    with op.batch_alter_table('supervised_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervised_case_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervised_case_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervised_case_status'), ['status'], unique=False)

    op.create_table('rectification_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rectification_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rectification_id'], ['rectification_notice.id'], name=op.f('fk_rectification_photo_rectification_id_rectification_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_photo'))
    )
    with op.batch_alter_table('rectification_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_photo_rectification_id'), ['rectification_id'], unique=False)

    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('street', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('regulator_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_policy_regulator_id_regulator'), 'regulator', ['regulator_id'], ['id'])

    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('regulator_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('overdue_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_rectification_notice_case_id'), ['case_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_rectification_notice_case_id_supervised_case'), 'supervised_case', ['case_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_rectification_notice_regulator_id_regulator'), 'regulator', ['regulator_id'], ['id'])

    with op.batch_alter_table('regulator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('street', sa.String(length=40), nullable=False, server_default=''))

    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), server_default='owner', nullable=False))

    # Old states of the pre-existing notices: open → issued, closed → accepted.
    op.execute("UPDATE rectification_notice SET status = 'issued' WHERE status = 'open'")
    op.execute("UPDATE rectification_notice SET status = 'accepted' WHERE status = 'closed'")


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("UPDATE rectification_notice SET status = 'closed' WHERE status = 'accepted'")
    op.execute("UPDATE rectification_notice SET status = 'open' WHERE status <> 'closed'")
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('regulator', schema=None) as batch_op:
        batch_op.drop_column('street')
        batch_op.drop_column('district')

    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rectification_notice_regulator_id_regulator'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_rectification_notice_case_id_supervised_case'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rectification_notice_case_id'))
        batch_op.drop_column('overdue_at')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer')
        batch_op.drop_column('regulator_id')
        batch_op.drop_column('case_id')

    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_policy_regulator_id_regulator'), type_='foreignkey')
        batch_op.drop_column('regulator_id')
        batch_op.drop_column('street')
        batch_op.drop_column('district')

    with op.batch_alter_table('rectification_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_photo_rectification_id'))

    op.drop_table('rectification_photo')
    with op.batch_alter_table('supervised_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervised_case_status'))
        batch_op.drop_index(batch_op.f('ix_supervised_case_company_id'))
        batch_op.drop_index(batch_op.f('ix_supervised_case_community_id'))

    op.drop_table('supervised_case')
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_visit_ticket_id'))

    op.drop_table('return_visit')
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_answer_consultation_id'))

    op.drop_table('consultation_answer')
    with op.batch_alter_table('staff_certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_certificate_expires_on'))
        batch_op.drop_index(batch_op.f('ix_staff_certificate_company_id'))

    op.drop_table('staff_certificate')
    with op.batch_alter_table('project_filing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_filing_company_id'))
        batch_op.drop_index(batch_op.f('ix_project_filing_community_id'))

    op.drop_table('project_filing')
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_community_id'))

    op.drop_table('disclosure')
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_record_company_id'))

    op.drop_table('credit_record')
    op.drop_table('consultation')
