"""Turns the core has committed, kept by a key that a repeat of the same work would carry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base


class HandledTurn(Base):
    """One committed turn: written in the turn's own transaction, so it exists iff its work does.

    Keys: `msg:CHANNEL:ACCOUNT:MESSAGE_ID` (a platform redelivering a message, even after Redis
    lost its claim) and `step:TOKEN` (a dialogue step already answered, e.g. 确认提交 typed again
    after a crash between saving the ticket and saving the dialogue state).
    """

    __tablename__ = "handled_turn"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    identity_id: Mapped[int] = mapped_column()
    replies: Mapped[str] = mapped_column(Text, default="")  # JSON list of Reply.as_dict()
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
