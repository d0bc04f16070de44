"""Owners: community settings (street, heating provider); binding requests, family and tenants, incidents (issue 7).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 16:00:00

A slot in a chain laid out in advance so parallel work lands without renumbering: until its
issue fills it, this revision changes nothing.
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


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('heating_provider')
        batch_op.drop_column('street')
