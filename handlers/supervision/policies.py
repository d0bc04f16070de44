"""A regulator publishes a policy with a plain-language explanation (政策解读).

It goes to the managers of every company in scope (pushed), and to owners in scope where
the channel allows such a push — Telegram and the web chat. WeChat templates are for
service notices only, so WeChat owners meet it in answers (query_policy) and the menu.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.errors import Invalid
from handlers.supervision import cases
from handlers.supervision.scope import RegulatorScope, communities
from handlers.texts import t
from storage.models import ChannelIdentity, Community, Policy
from storage.uow import UnitOfWork

OWNER_PUSH_CHANNELS = ("telegram", "web")


@dataclass(frozen=True)
class Published:
    """The policy and how many pushes went to managers and to owners."""

    policy: Policy
    managers: int
    owners: int


def publish(
    uow: UnitOfWork, scope: RegulatorScope, *, title: str, summary: str, now: datetime,
    tz: ZoneInfo, issuer: str = "", body: str = "", url: str = "", topic: str = "",
    keywords: str = "",
) -> Published:
    """Store the policy for the scope and push it to managers and (where allowed) owners."""
    if not title.strip() or not summary.strip():
        raise Invalid("supervision_empty_text")
    regulator = uow.supervision.regulator(scope.regulator_id) if scope.regulator_id else None
    policy = Policy(
        title=title.strip()[:300], issuer=(issuer or (regulator.department if regulator else "")
                                           or scope.label)[:200],
        published_on=now.astimezone(tz).date(), topic=topic[:40], summary=summary.strip(),
        body=body, url=url[:300], keywords=keywords[:300], district=scope.district,
        street=scope.street, regulator_id=scope.regulator_id,
    )
    uow.session.add(policy)
    uow.flush()
    uow.audit.record(now, actor=f"regulator:{scope.regulator_id or '-'}", action="policy_published",
                     target=f"policy:{policy.id}", detail={"title": policy.title})
    places = communities(uow, scope)
    managers = _to_managers(uow, policy, places, now)
    owners = _to_owners(uow, policy, uow.supervision.owner_identities([c.id for c in places]), now)
    return Published(policy, managers, owners)


def policy_text(policy: Policy, locale: str) -> str:
    """Title, issuer and date, the explanation, the link."""
    text = t("sup_policy_push", locale, title=policy.title, issuer=policy.issuer,
             date=policy.published_on.isoformat(), summary=policy.summary)
    return text + (f"\n{policy.url}" if policy.url else "")


def applies_to(policy: Policy, community: Community | None) -> bool:
    """City-wide policies apply everywhere; a district's (street's) only there."""
    if not policy.district:
        return True
    if community is None or community.district != policy.district:
        return False
    return not policy.street or community.street == policy.street


def _to_managers(uow: UnitOfWork, policy: Policy, places: Iterable[Community], now: datetime) -> int:
    sent = 0
    for company_id in sorted({c.company_id for c in places if c.company_id is not None}):
        for member in cases.company_managers(uow, company_id):
            for identity in uow.identities.for_staff(member.id):
                sent += _push(uow, identity, policy, now)
    return sent


def _to_owners(uow: UnitOfWork, policy: Policy, identities: Iterable[ChannelIdentity], now: datetime) -> int:
    sent = 0
    for identity in identities:
        if identity.channel in OWNER_PUSH_CHANNELS and identity.verified and identity.notify_notices:
            sent += _push(uow, identity, policy, now)
    return sent


def _push(uow: UnitOfWork, identity: ChannelIdentity, policy: Policy, now: datetime) -> int:
    msg = notify.push(uow, identity, "policy", policy_text(policy, identity.locale or "zh"),
                      dedupe_key=f"policy:{policy.id}:{identity.id}", now=now)
    return int(msg is not None)
