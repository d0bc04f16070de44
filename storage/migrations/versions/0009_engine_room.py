"""Engine room: delivery outcomes and durable dedupe (issue 8).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:00:00

A slot in a chain laid out in advance so parallel work lands without renumbering: until its
issue fills it, this revision changes nothing.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "handled_turn",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_turn")),
    )
    op.create_index(op.f("ix_handled_turn_created_at"), "handled_turn", ["created_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_handled_turn_created_at"), table_name="handled_turn")
    op.drop_table("handled_turn")
