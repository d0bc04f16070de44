"""Companies, their staff, communities, buildings, homes, and the regulator."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import AwareDateTime, Base, Money


class Company(Base):
    """A property service company (物业服务企业)."""

    __tablename__ = "company"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    qualification_level: Mapped[str] = mapped_column(String(40), default="")
    registered_capital: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    business_scope: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active/suspended/revoked
    phone: Mapped[str] = mapped_column(String(40), default="")
    # WeChat Pay service-provider mode: the company's own sub-merchant (特约商户号).
    wechat_pay_sub_mchid: Mapped[str] = mapped_column(String(32), default="")
    communities: Mapped[list[Community]] = relationship(back_populates="company")


class Community(Base):
    """A residential community (小区) and its public facilities and service standard."""

    __tablename__ = "community"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), nullable=True)
    district: Mapped[str] = mapped_column(String(40), default="")
    street: Mapped[str] = mapped_column(String(40), default="")  # 街道 office that supervises it
    address: Mapped[str] = mapped_column(String(300), default="")
    parking_spaces: Mapped[int] = mapped_column(Integer, default=0)
    green_area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    elevators: Mapped[int] = mapped_column(Integer, default=0)
    cleaning_frequency: Mapped[str] = mapped_column(String(200), default="")
    patrol_times: Mapped[str] = mapped_column(String(200), default="")
    garbage_times: Mapped[str] = mapped_column(String(200), default="")
    service_phone: Mapped[str] = mapped_column(String(40), default="")
    emergency_phone: Mapped[str] = mapped_column(String(40), default="")
    front_desk_hours: Mapped[str] = mapped_column(String(100), default="")
    # Who answers for heating: empty means the company's own staff, else e.g. "北京热力 96069".
    heating_provider: Mapped[str] = mapped_column(String(100), default="")
    company: Mapped[Company | None] = relationship(back_populates="communities")
    buildings: Mapped[list[Building]] = relationship(back_populates="community")


class Building(Base):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    name: Mapped[str] = mapped_column(String(20))  # "3" for 3号楼
    floors: Mapped[int] = mapped_column(Integer, default=0)
    community: Mapped[Community] = relationship(back_populates="buildings")
    homes: Mapped[list[Home]] = relationship(back_populates="building")


class Home(Base):
    """One home (房屋): building, unit (may be empty), room, and its record."""

    __tablename__ = "home"
    __table_args__ = (UniqueConstraint("building_id", "unit", "room"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    property_years: Mapped[int] = mapped_column(Integer, default=70)
    property_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    building: Mapped[Building] = relationship(back_populates="homes")

    @property
    def label(self) -> str:
        """`3-2-501`, or `12-1102` where the building has no units (the NLU's unit value)."""
        parts = [self.building.name, self.unit, self.room] if self.unit else [self.building.name, self.room]
        return "-".join(parts)


class Staff(Base):
    """A company's staff member and what they handle (categories, buildings)."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("company_id", "phone"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(30))  # manager/repair/cleaning/security/finance/front_desk
    categories: Mapped[str] = mapped_column(String(300), default="")  # comma list, "" = any
    buildings: Mapped[str] = mapped_column(String(300), default="")  # comma list of "community/building", "" = all
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    company: Mapped[Company] = relationship()


class Regulator(Base):
    """A person at the government regulator (政府监管部门)."""

    __tablename__ = "regulator"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    department: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    # Scope (issue 13): the district it supervises, and the street office when it is one.
    district: Mapped[str] = mapped_column(String(40), default="")
    street: Mapped[str] = mapped_column(String(40), default="")


class RectificationNotice(Base):
    """A regulator's rectification notice (整改通知) to a company, tracked to closure.

    issued → answered → accepted | returned (→ answered again); issued/returned past `due_on`
    → overdue (`overdue_at` stays set: it counts in the grade even if answered later).
    """

    __tablename__ = "rectification_notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="issued")  # RECTIFICATION_STATUSES
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervised_case.id"), nullable=True, index=True
    )
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    overdue_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
