"""Payments: WeChat Pay orders, refunds, reconciliation (issue 12).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:00:00

Company sub-merchant (service-provider mode); payment expiry, merchant, payer, trade type,
prepay answers and refunded total; refund numbers, states and actors; reconciliation items.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


_MONEY = sa.Numeric(precision=12, scale=2, asdecimal=True)
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wechat_pay_sub_mchid', sa.String(length=32), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', _WHEN, nullable=True))
        batch_op.add_column(sa.Column('merchant', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('payer_openid', sa.String(length=128), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('trade_type', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('prepay', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('refunded', _MONEY, nullable=False, server_default='0'))
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.add_column(sa.Column('out_refund_no', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('actor', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bill_ids', sa.String(length=2000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', _WHEN, nullable=True))
        batch_op.add_column(sa.Column('succeeded_at', _WHEN, nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_refund_out_refund_no'), ['out_refund_no'])
    op.create_table(
        'reconciliation_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('merchant', sa.String(length=32), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=False),
        sa.Column('provider_ref', sa.String(length=64), nullable=False),
        sa.Column('amount_there', _MONEY, nullable=True),
        sa.Column('amount_here', _MONEY, nullable=True),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('created_at', _WHEN, nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                                name=op.f('fk_reconciliation_item_company_id_company')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_item')),
    )
    with op.batch_alter_table('reconciliation_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reconciliation_item_day'), ['day'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('reconciliation_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reconciliation_item_day'))
    op.drop_table('reconciliation_item')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_refund_out_refund_no'), type_='unique')
        for column in ('succeeded_at', 'updated_at', 'bill_ids', 'actor', 'provider_ref',
                       'out_refund_no'):
            batch_op.drop_column(column)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        for column in ('refunded', 'prepay', 'trade_type', 'payer_openid', 'merchant', 'expires_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('wechat_pay_sub_mchid')
