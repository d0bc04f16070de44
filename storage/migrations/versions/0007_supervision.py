"""Supervision: regulator cases, rectifications, credit, policies, consultations (issue 13).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:00:00

A slot in a chain laid out in advance so parallel work lands without renumbering: until its
issue fills it, this revision changes nothing.
"""
from typing import Sequence, Union

from alembic import op  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""


def downgrade() -> None:
    """Downgrade schema."""
