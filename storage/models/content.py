"""Notices, FAQ entries and policies: what owners read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base

NOTICE_KINDS = ("water_outage", "power_outage", "gas_outage", "elevator", "activity", "general")
SAFETY_NOTICE_KINDS = ("water_outage", "power_outage", "gas_outage", "elevator")


class Notice(Base):
    """A notice to a community, one building, or one home."""

    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"), nullable=True)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True)
    scope: Mapped[str] = mapped_column(String(12), default="community")  # community/building/home
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    published_at: Mapped[datetime] = mapped_column(AwareDateTime())
    restored_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    created_by: Mapped[str] = mapped_column(String(60), default="")


class FaqEntry(Base):
    """A question with its answer, for one community or (community_id NULL) for all."""

    __tablename__ = "faq_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), nullable=True)
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(String(300), default="")  # comma list
    source: Mapped[str] = mapped_column(String(200), default="")


class Policy(Base):
    """A regulation or policy the regulator published, with a plain-language explanation."""

    __tablename__ = "policy"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(40), default="")  # fee/fund/service/…
    summary: Mapped[str] = mapped_column(Text)  # the explanation (政策解读)
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    keywords: Mapped[str] = mapped_column(String(300), default="")
    # Scope (issue 13): "" district = city-wide; a regulator publishes for its district/street.
    district: Mapped[str] = mapped_column(String(40), default="", server_default="")
    street: Mapped[str] = mapped_column(String(40), default="", server_default="")
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), nullable=True)
