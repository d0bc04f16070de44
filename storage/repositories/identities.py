"""Repository for channel identities, owners, homes membership, invite codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ChannelIdentity, Home, HomeMember, InviteCode, Owner


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- channel identities -------------------------------------------------------------

    def get_or_create(
        self, channel: str, external_id: str, now: datetime, display_name: str = ""
    ) -> ChannelIdentity:
        """The identity of one chat account, created (unbound) on its first message."""
        identity = self.by_external(channel, external_id)
        if identity is None:
            # Another process may be creating the same account right now (a new user's first
            # messages arrive together): insert-or-nothing, then read whichever row won.
            table = ChannelIdentity.__table__
            insert = postgresql.insert if self.session.get_bind().dialect.name == "postgresql" else sqlite.insert
            self.session.execute(
                insert(table)
                .values(channel=channel, external_id=external_id, created_at=now,
                        display_name=display_name[:120])
                .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            )
            identity = self.by_external(channel, external_id)
            if identity is None:  # pragma: no cover - the row exists after the statement above
                raise RuntimeError(f"identity {channel}:{external_id} vanished")
        elif display_name and identity.display_name != display_name:
            identity.display_name = display_name[:120]
        return identity

    def by_external(self, channel: str, external_id: str) -> ChannelIdentity | None:
        """The identity of `external_id` on `channel`, or None."""
        stmt = select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
        )
        return self.session.scalars(stmt).one_or_none()

    def get(self, identity_id: int) -> ChannelIdentity | None:
        """One identity by id."""
        return self.session.get(ChannelIdentity, identity_id)

    def for_owner(self, owner_id: int) -> list[ChannelIdentity]:
        """Every chat account bound to one owner."""
        stmt = select(ChannelIdentity).where(ChannelIdentity.owner_id == owner_id)
        return list(self.session.scalars(stmt.order_by(ChannelIdentity.id)))

    def for_home(self, home_id: int) -> list[ChannelIdentity]:
        """Every chat account of an owner-member of one home (for pushes to a household)."""
        members = select(HomeMember.owner_id).where(HomeMember.home_id == home_id)
        stmt = select(ChannelIdentity).where(ChannelIdentity.owner_id.in_(members))
        return list(self.session.scalars(stmt.order_by(ChannelIdentity.id)))

    def for_staff(self, staff_id: int) -> list[ChannelIdentity]:
        """Every chat account bound to one staff member."""
        stmt = select(ChannelIdentity).where(ChannelIdentity.staff_id == staff_id)
        return list(self.session.scalars(stmt.order_by(ChannelIdentity.id)))

    def take_reply_quota(
        self, channel: str, external_id: str, since: datetime, limit: int
    ) -> bool:
        """Count one more reply after the account's last message, if it wrote since `since`
        and fewer than `limit` replies went out; one UPDATE, so processes cannot both win."""
        stmt = (
            update(ChannelIdentity)
            .where(
                ChannelIdentity.channel == channel,
                ChannelIdentity.external_id == external_id,
                ChannelIdentity.last_inbound_at >= since,
                ChannelIdentity.replies_since_inbound < limit,
            )
            .values(replies_since_inbound=ChannelIdentity.replies_since_inbound + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(self.session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    # -- owners and membership ----------------------------------------------------------

    def owner(self, owner_id: int) -> Owner | None:
        """One owner by id."""
        return self.session.get(Owner, owner_id)

    def owner_by_phone(self, phone: str) -> Owner | None:
        """The owner registered with this full phone number."""
        return self.session.scalars(select(Owner).where(Owner.phone == phone)).one_or_none()

    def homes_of(self, owner_id: int) -> list[Home]:
        """The homes one owner belongs to, in a stable order."""
        stmt = (
            select(Home)
            .join(HomeMember, HomeMember.home_id == Home.id)
            .where(HomeMember.owner_id == owner_id)
            .order_by(Home.id)
        )
        return list(self.session.scalars(stmt))

    def membership(self, owner_id: int, home_id: int) -> HomeMember | None:
        """The owner's membership of a home, or None when they do not belong to it."""
        stmt = select(HomeMember).where(
            HomeMember.owner_id == owner_id, HomeMember.home_id == home_id
        )
        return self.session.scalars(stmt).one_or_none()

    def members_of(self, home_id: int) -> list[HomeMember]:
        """Who belongs to a home, registered owners first."""
        stmt = select(HomeMember).where(HomeMember.home_id == home_id)
        members = list(self.session.scalars(stmt.order_by(HomeMember.id)))
        return sorted(members, key=lambda m: m.role != "owner")

    def registered_owner(self, home_id: int) -> Owner | None:
        """The home's first registered owner (role `owner`), or None."""
        stmt = (
            select(Owner)
            .join(HomeMember, HomeMember.owner_id == Owner.id)
            .where(HomeMember.home_id == home_id, HomeMember.role == "owner")
            .order_by(HomeMember.id)
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def owner_member_with_phone(self, home_id: int, phone: str) -> Owner | None:
        """The owner-member of `home_id` registered with `phone`, or None."""
        stmt = (
            select(Owner)
            .join(HomeMember, HomeMember.owner_id == Owner.id)
            .where(
                HomeMember.home_id == home_id,
                HomeMember.role == "owner",
                Owner.phone == phone,
            )
        )
        return self.session.scalars(stmt).first()

    # -- invite codes -------------------------------------------------------------------

    def invite(self, code: str, for_update: bool = False) -> InviteCode | None:
        """An invite code row (any state), locked when it is about to be used."""
        stmt = select(InviteCode).where(InviteCode.code == code)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def add_invite(self, invite: InviteCode) -> InviteCode:
        """Store a new invite code."""
        self.session.add(invite)
        self.session.flush()
        return invite

    def open_invites_for_home(self, home_id: int, now: datetime) -> list[InviteCode]:
        """Unused, unexpired codes of one home."""
        stmt = select(InviteCode).where(
            InviteCode.home_id == home_id,
            InviteCode.used_at.is_(None),
            InviteCode.expires_at > now,
        )
        return list(self.session.scalars(stmt))
