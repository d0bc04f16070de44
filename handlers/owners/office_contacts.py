"""The property office's phone and desk hours: public, so told to accounts not yet bound."""

from __future__ import annotations

import handlers.texts.dialogue  # noqa: F401 - registers the texts used here
from handlers.messages import Outcome, Reply
from handlers.texts import t
from handlers.turn import Turn

MAX_OFFICES = 5  # a platform serving many communities lists a few, then asks for the name


def contact_lines(turn: Turn) -> list[str]:
    """One line per community with a service phone: name, phone, desk hours."""
    lines = []
    for community in turn.uow.org.communities():
        if not community.service_phone:
            continue
        hours = community.front_desk_hours or t("office_hours_unknown", turn.locale)
        lines.append(t("office_contact_line", turn.locale, community=community.name,
                       phone=community.service_phone, hours=hours))
    return lines[:MAX_OFFICES]


def for_unbound(turn: Turn, lead_key: str = "office_contacts_head") -> Outcome:
    """The offices' phones and hours, then how to bind for anything personal."""
    lines = contact_lines(turn)
    if not lines:
        return Outcome((Reply(t("office_contacts_none", turn.locale)),))
    text = "\n".join([t(lead_key, turn.locale), *lines, t("office_contacts_bind", turn.locale)])
    return Outcome((Reply(text),))
