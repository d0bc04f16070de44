"""Read and write queries of supervision: scope, figures' raw facts, cases, rectifications.

Built on the unit of work's session (`SupervisionRepository(uow.session)`); never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.models import (
    Bill,
    Building,
    ChannelIdentity,
    Community,
    Company,
    ConsultationAnswer,
    CreditRecord,
    Disclosure,
    Home,
    HomeMember,
    ProjectFiling,
    RectificationNotice,
    RectificationPhoto,
    Regulator,
    ReturnVisit,
    Staff,
    StaffCertificate,
    SupervisedCase,
    Ticket,
    TicketEvent,
)

IN_CHUNK = 500  # bound parameters per IN (…) list


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i:i + IN_CHUNK]) for i in range(0, len(ids), IN_CHUNK)]


class SupervisionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- scope ----------------------------------------------------------------------------

    def communities(self, district: str = "", street: str = "") -> list[Community]:
        """Communities of a district (and street); empty strings mean any."""
        stmt = select(Community).order_by(Community.id)
        if district:
            stmt = stmt.where(Community.district == district)
        if street:
            stmt = stmt.where(Community.street == street)
        return list(self.session.scalars(stmt))

    def homes_per_community(self, community_ids: Collection[int]) -> dict[int, int]:
        """Community id → number of homes."""
        if not community_ids:
            return {}
        stmt = (
            select(Building.community_id, func.count(Home.id))
            .join(Home, Home.building_id == Building.id)
            .where(Building.community_id.in_(list(community_ids)))
            .group_by(Building.community_id)
        )
        return {int(c): int(n) for c, n in self.session.execute(stmt)}

    def company_by_ref(self, ref: str | int) -> Company | None:
        """A company by id (digits) or exact name."""
        text = str(ref).strip()
        if text.isdigit():
            return self.session.get(Company, int(text))
        return self.session.scalars(select(Company).where(Company.name == text)).one_or_none()

    # -- the figures' raw facts -------------------------------------------------------------

    def tickets_created(
        self, community_ids: Collection[int], kinds: Collection[str], start: datetime, end: datetime
    ) -> list[Ticket]:
        """Tickets of `kinds` created in [start, end) in the communities, not cancelled."""
        found: list[Ticket] = []
        for chunk in _chunks(sorted(community_ids)):
            stmt = select(Ticket).where(
                Ticket.community_id.in_(chunk), Ticket.kind.in_(list(kinds)),
                Ticket.created_at >= start, Ticket.created_at < end, Ticket.status != "cancelled",
            )
            found += self.session.scalars(stmt.order_by(Ticket.id))
        return found

    def first_event_times(self, ticket_ids: Sequence[int], kind: str) -> dict[int, datetime]:
        """Ticket id → time of its first event of `kind` (accepted, resolved…)."""
        out: dict[int, datetime] = {}
        for chunk in _chunks(ticket_ids):
            stmt = (
                select(TicketEvent.ticket_id, TicketEvent.at)
                .where(TicketEvent.ticket_id.in_(chunk), TicketEvent.kind == kind)
                .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
            )
            for ticket_id, at in self.session.execute(stmt):
                out.setdefault(int(ticket_id), at)
        return out

    def latest_visits(self, ticket_ids: Sequence[int]) -> dict[int, tuple[bool | None, str | None]]:
        """Ticket id → (latest solved answer, latest satisfaction answer), each None if never given."""
        out: dict[int, tuple[bool | None, str | None]] = {}
        for chunk in _chunks(ticket_ids):
            stmt = (
                select(ReturnVisit)
                .where(ReturnVisit.ticket_id.in_(chunk))
                .order_by(ReturnVisit.ticket_id, ReturnVisit.at, ReturnVisit.id)
            )
            for visit in self.session.scalars(stmt):
                solved, satisfaction = out.get(visit.ticket_id, (None, None))
                if visit.solved is not None:
                    solved = visit.solved
                if visit.satisfaction is not None:
                    satisfaction = visit.satisfaction
                out[visit.ticket_id] = (solved, satisfaction)
        return out

    def bill_totals(
        self, community_ids: Collection[int], periods: Collection[str]
    ) -> dict[int, tuple[Decimal, Decimal]]:
        """Community id → (billed, paid) over bills of `periods`; refunded bills left out."""
        if not community_ids or not periods:
            return {}
        paid = func.sum(case((Bill.status == "paid", Bill.amount), else_=0))
        stmt = (
            select(Building.community_id, func.sum(Bill.amount), paid)
            .join(Home, Home.id == Bill.home_id)
            .join(Building, Building.id == Home.building_id)
            .where(Building.community_id.in_(list(community_ids)), Bill.period.in_(list(periods)),
                   Bill.status != "refunded")
            .group_by(Building.community_id)
        )
        return {
            int(c): (Decimal(billed or 0), Decimal(paid_sum or 0))
            for c, billed, paid_sum in self.session.execute(stmt)
        }

    def add_visit(self, visit: ReturnVisit) -> ReturnVisit:
        """Store one return-visit answer."""
        self.session.add(visit)
        self.session.flush()
        return visit

    # -- cases ----------------------------------------------------------------------------

    def case(self, case_id: int) -> SupervisedCase | None:
        """One case by id."""
        return self.session.get(SupervisedCase, case_id)

    def case_of_ticket(self, ticket_id: int) -> SupervisedCase | None:
        """The case opened on a ticket, if any."""
        stmt = select(SupervisedCase).where(SupervisedCase.ticket_id == ticket_id)
        return self.session.scalars(stmt).one_or_none()

    def add_case(self, case_row: SupervisedCase) -> SupervisedCase:
        """Store a new case."""
        self.session.add(case_row)
        self.session.flush()
        return case_row

    def cases(
        self, community_ids: Collection[int], status: str | None = None,
        after_id: int = 0, limit: int = 100,
    ) -> list[SupervisedCase]:
        """Cases in the communities, by id, after the cursor `after_id`."""
        if not community_ids:
            return []
        stmt = select(SupervisedCase).where(
            SupervisedCase.community_id.in_(list(community_ids)), SupervisedCase.id > after_id
        )
        if status:
            stmt = stmt.where(SupervisedCase.status == status)
        return list(self.session.scalars(stmt.order_by(SupervisedCase.id).limit(limit)))

    def cases_page(
        self, community_ids: Collection[int], status: str | None, before_id: int | None, limit: int,
    ) -> list[SupervisedCase]:
        """Cases in the communities, newest first, below the cursor `before_id`."""
        if not community_ids:
            return []
        stmt = select(SupervisedCase).where(SupervisedCase.community_id.in_(list(community_ids)))
        if status:
            stmt = stmt.where(SupervisedCase.status == status)
        if before_id is not None:
            stmt = stmt.where(SupervisedCase.id < before_id)
        return list(self.session.scalars(stmt.order_by(SupervisedCase.id.desc()).limit(limit)))

    def open_complaints_before(self, created_before: datetime) -> list[Ticket]:
        """Complaints still open that were made before `created_before`, with no case yet."""
        has_case = select(SupervisedCase.id).where(SupervisedCase.ticket_id == Ticket.id).exists()
        stmt = select(Ticket).where(
            Ticket.kind == "complaint", Ticket.status.in_(("new", "assigned", "in_progress")),
            Ticket.created_at < created_before, ~has_case,
        )
        return list(self.session.scalars(stmt.order_by(Ticket.id)))

    def open_complaints_of_owner(self, owner_id: int) -> list[Ticket]:
        """The owner's open complaints, newest first."""
        stmt = select(Ticket).where(
            Ticket.owner_id == owner_id, Ticket.kind == "complaint",
            Ticket.status.in_(("new", "assigned", "in_progress")),
        )
        return list(self.session.scalars(stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc())))

    # -- rectifications ---------------------------------------------------------------------

    def rectification(self, notice_id: int, for_update: bool = False) -> RectificationNotice | None:
        """One rectification notice by id."""
        if for_update:
            stmt = select(RectificationNotice).where(RectificationNotice.id == notice_id)
            return self.session.scalars(stmt.with_for_update()).one_or_none()
        return self.session.get(RectificationNotice, notice_id)

    def add_rectification(self, notice: RectificationNotice) -> RectificationNotice:
        """Store a new notice."""
        self.session.add(notice)
        self.session.flush()
        return notice

    def rectifications(
        self, company_ids: Collection[int], statuses: Collection[str] | None = None,
    ) -> list[RectificationNotice]:
        """Notices to the companies, newest first."""
        if not company_ids:
            return []
        stmt = select(RectificationNotice).where(
            RectificationNotice.company_id.in_(list(company_ids))
        )
        if statuses:
            stmt = stmt.where(RectificationNotice.status.in_(list(statuses)))
        order = (RectificationNotice.issued_on.desc(), RectificationNotice.id.desc())
        return list(self.session.scalars(stmt.order_by(*order)))

    def rectifications_due_before(self, day: object) -> list[RectificationNotice]:
        """Issued or returned notices whose deadline is before `day` (not yet flagged)."""
        stmt = select(RectificationNotice).where(
            RectificationNotice.status.in_(("issued", "returned")),
            RectificationNotice.due_on < day,
        )
        return list(self.session.scalars(stmt.order_by(RectificationNotice.id)))

    def cases_of(self, case_ids: Collection[int]) -> dict[int, SupervisedCase]:
        """Case id → case."""
        if not case_ids:
            return {}
        stmt = select(SupervisedCase).where(SupervisedCase.id.in_(list(case_ids)))
        return {c.id: c for c in self.session.scalars(stmt)}

    def add_photo(self, photo: RectificationPhoto) -> None:
        """Attach a photo to a rectification answer."""
        self.session.add(photo)

    def photos(self, notice_id: int) -> list[RectificationPhoto]:
        """A notice's answer photos, in order."""
        stmt = select(RectificationPhoto).where(RectificationPhoto.rectification_id == notice_id)
        return list(self.session.scalars(stmt.order_by(RectificationPhoto.id)))

    def owner_identities(self, community_ids: Collection[int]) -> list[ChannelIdentity]:
        """Chat accounts of every member of the homes in the communities, once each."""
        if not community_ids:
            return []
        members = (
            select(HomeMember.owner_id)
            .join(Home, Home.id == HomeMember.home_id)
            .join(Building, Building.id == Home.building_id)
            .where(Building.community_id.in_(list(community_ids)))
        )
        stmt = select(ChannelIdentity).where(ChannelIdentity.owner_id.in_(members))
        return list(self.session.scalars(stmt.order_by(ChannelIdentity.id)))

    # -- credit file --------------------------------------------------------------------------

    def credit_record_by_ref(self, company_id: int, ref: str) -> CreditRecord | None:
        """The record a cause (Z12, D3) already left on a company's file."""
        stmt = select(CreditRecord).where(CreditRecord.company_id == company_id, CreditRecord.ref == ref)
        return self.session.scalars(stmt).first()

    def credit_records(self, company_id: int) -> list[CreditRecord]:
        """A company's records, newest first."""
        stmt = select(CreditRecord).where(CreditRecord.company_id == company_id)
        return list(self.session.scalars(stmt.order_by(CreditRecord.recorded_on.desc(), CreditRecord.id.desc())))

    def filing(self, company_id: int, community_id: int) -> ProjectFiling | None:
        """A company's filing for one community."""
        stmt = select(ProjectFiling).where(ProjectFiling.company_id == company_id,
                                           ProjectFiling.community_id == community_id)
        return self.session.scalars(stmt).first()

    def filings(self, company_id: int) -> list[ProjectFiling]:
        """A company's project filings."""
        stmt = select(ProjectFiling).where(ProjectFiling.company_id == company_id)
        return list(self.session.scalars(stmt.order_by(ProjectFiling.id)))

    def certificates(self, company_id: int) -> list[StaffCertificate]:
        """A company's staff certificates, soonest to expire first."""
        stmt = select(StaffCertificate).where(StaffCertificate.company_id == company_id)
        return list(self.session.scalars(stmt.order_by(StaffCertificate.expires_on, StaffCertificate.id)))

    def certificates_expiring(self, today: date, within_days: int) -> list[StaffCertificate]:
        """Certificates of every company expiring from today to today + within_days."""
        stmt = select(StaffCertificate).where(
            StaffCertificate.expires_on >= today,
            StaffCertificate.expires_on <= today + timedelta(days=within_days),
        )
        return list(self.session.scalars(stmt.order_by(StaffCertificate.id)))

    def disclosures(self, community_id: int) -> list[Disclosure]:
        """A community's disclosures."""
        stmt = select(Disclosure).where(Disclosure.community_id == community_id)
        return list(self.session.scalars(stmt.order_by(Disclosure.id)))

    def staff_of(self, company_id: int) -> list[Staff]:
        """A company's active staff."""
        stmt = select(Staff).where(Staff.company_id == company_id, Staff.active.is_(True))
        return list(self.session.scalars(stmt.order_by(Staff.id)))

    # -- consultations ------------------------------------------------------------------------

    def consultation_answer(self, consultation_id: int, identity_id: int) -> ConsultationAnswer | None:
        """One account's answer to a consultation."""
        stmt = select(ConsultationAnswer).where(ConsultationAnswer.consultation_id == consultation_id,
                                                ConsultationAnswer.identity_id == identity_id)
        return self.session.scalars(stmt.with_for_update()).one_or_none()

    def consultation_answers(self, consultation_id: int) -> list[ConsultationAnswer]:
        """Every answer to a consultation, in order."""
        stmt = select(ConsultationAnswer).where(ConsultationAnswer.consultation_id == consultation_id)
        return list(self.session.scalars(stmt.order_by(ConsultationAnswer.id)))

    # -- regulators -------------------------------------------------------------------------

    def regulator_by_phone(self, phone: str) -> Regulator | None:
        """A regulator account by phone."""
        stmt = select(Regulator).where(Regulator.phone == phone).order_by(Regulator.id)
        return self.session.scalars(stmt).first()

    def regulator(self, regulator_id: int) -> Regulator | None:
        """One regulator by id."""
        return self.session.get(Regulator, regulator_id)

    def regulators_for(self, district: str, street: str) -> list[Regulator]:
        """Regulators whose scope covers a community in `district`/`street` (street ones first)."""
        stmt = select(Regulator).where(Regulator.district == district)
        found = [r for r in self.session.scalars(stmt.order_by(Regulator.id))
                 if not r.street or r.street == street]
        return sorted(found, key=lambda r: (not r.street, r.id))
