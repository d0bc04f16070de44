"""What staff do with tickets from their phone: accept, transfer, done, list.

Reached by the buttons of a staff push (`/staff_accept{"ticket": "R…"}`) or by typing
`接单 R…` / `完成 R… 已换阀门` / `转派 R…` / `我的工单`. Staff act only on their own company's
tickets; another company's number is Forbidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import handlers.texts.staff  # noqa: F401 - registers the texts used here
from handlers import notify, tickets_core
from handlers.access import require_staff
from handlers.errors import Forbidden, NotFound
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload, staff_card, ticket_title
from handlers.texts import t
from handlers.turn import Turn
from storage.models import OPEN_STATUSES, Staff, Ticket

_COMMAND = re.compile(
    r"^\s*(接单|完成|完工|已完成|修好了|转派|转单|我的工单|工单列表|待办|accept|done|transfer|my tickets)"
    r"\s*([A-Za-z]\d{6,})?\s*(.*)$",
    re.I | re.S,
)
_ACTION_BY_WORD = {
    "接单": "staff_accept", "accept": "staff_accept",
    "完成": "staff_done", "完工": "staff_done", "已完成": "staff_done", "修好了": "staff_done",
    "done": "staff_done",
    "转派": "staff_transfer", "转单": "staff_transfer", "transfer": "staff_transfer",
    "我的工单": "staff_list", "工单列表": "staff_list", "待办": "staff_list",
    "my tickets": "staff_list",
}


def typed_command(turn: Turn) -> str | None:
    """A staff member's typed command as the payload of the matching button, else None."""
    if not turn.identity.staff_id:
        return None
    match = _COMMAND.match(turn.text or "")
    if match is None:
        return None
    action = _ACTION_BY_WORD[match.group(1).lower()]
    entities: dict[str, object] = {}
    if match.group(2):
        entities["ticket"] = match.group(2).upper()
    if action == "staff_done" and match.group(3).strip():
        entities["note"] = match.group(3).strip()[:500]
    return payload(action, **entities)


def staff_accept(turn: Turn) -> Outcome:
    """接单: the ticket is mine and in progress; the owner hears who is coming."""
    me = require_staff(turn)
    ticket = _ticket(turn, me, ("new", "assigned"))
    if isinstance(ticket, Outcome):
        return ticket
    loc = turn.locale
    if ticket.status == "in_progress" and ticket.assignee_staff_id == me.id:
        return Outcome((Reply(t("staff_already_accepted", loc, number=ticket.number)),))
    if ticket.status not in ("new", "assigned"):
        return _wrong_status(turn, ticket)
    _take(turn, me, ticket)
    tickets_core.transition(turn.uow, ticket, "in_progress", turn.actor, me.name, turn.now)
    text = t("staff_accepted", loc, number=ticket.number) + "\n" + staff_card(
        turn.uow, ticket, loc, viewer=me
    )
    buttons = (
        Button(t("btn_staff_done", loc), payload("staff_done", ticket=ticket.number)),
        Button(t("btn_staff_transfer", loc), payload("staff_transfer", ticket=ticket.number)),
    )
    return Outcome((Reply(text, buttons),))


def staff_transfer(turn: Turn) -> Outcome:
    """转派 to a colleague of the same company: offer them, then hand the ticket over."""
    me = require_staff(turn)
    ticket = _ticket(turn, me, OPEN_STATUSES)
    if isinstance(ticket, Outcome):
        return ticket
    if not tickets_core.is_open(ticket):
        return _wrong_status(turn, ticket)
    _check_mine(me, ticket)
    target = turn.entity("to")
    if not target or not target.isdigit():
        return _offer_colleagues(turn, me, ticket)
    colleague = turn.uow.org.staff(int(target))
    if colleague is None or colleague.company_id != me.company_id or not colleague.active:
        raise Forbidden("staff_other_company")
    if colleague.id == ticket.assignee_staff_id:
        return Outcome((Reply(t("staff_transfer_same", turn.locale, name=colleague.name)),))
    event = tickets_core.transition(
        turn.uow, ticket, "assigned", turn.actor, f"{me.name} → {colleague.name}", turn.now,
        event_kind="transferred", assignee=colleague,
    )
    notify.notify_staff_ticket(turn.uow, ticket, event, turn.now, intro="staff_push_transferred")
    return Outcome((Reply(t("staff_transferred", turn.locale, number=ticket.number,
                            name=colleague.name)),))


def staff_done(turn: Turn) -> Outcome:
    """完成: resolved, with an optional note and photos; the owner gets rating buttons."""
    me = require_staff(turn)
    ticket = _ticket(turn, me, ("assigned", "in_progress"))
    if isinstance(ticket, Outcome):
        return ticket
    if ticket.status not in ("new", "assigned", "in_progress"):
        return _wrong_status(turn, ticket)
    _check_mine(me, ticket)
    if ticket.status != "in_progress":
        # Done without pressing 接单 first: the timeline still shows who took it, but the
        # owner gets one push (resolved), not two.
        _take(turn, me, ticket)
        ticket.status = "in_progress"
        tickets_core.add_event(turn.uow, ticket, "accepted", turn.actor, me.name, turn.now)
    photos = turn.uow.tickets.pending_attachments(
        turn.identity.id, turn.now - tickets_core.ATTACHMENT_WINDOW
    )
    for attachment in photos:
        attachment.ticket_id = ticket.id
    note = (turn.entity("note") or "").strip()
    tickets_core.transition(turn.uow, ticket, "resolved", turn.actor, note, turn.now)
    text = t("staff_done_ok", turn.locale, number=ticket.number)
    if photos:
        text += t("staff_done_photos", turn.locale, n=len(photos))
    return Outcome((Reply(text),))


def staff_list(turn: Turn) -> Outcome:
    """我的工单: my open tickets (and, for managers, the unassigned ones)."""
    me = require_staff(turn)
    mine = turn.uow.tickets.open_for_staff(me.id)
    if me.role == "manager":
        communities = [c.id for c in turn.uow.org.communities() if c.company_id == me.company_id]
        mine += turn.uow.tickets.unassigned_in(communities)
    loc = turn.locale
    if not mine:
        return Outcome((Reply(t("staff_list_empty", loc)),))
    lines = [t("staff_list_head", loc, n=len(mine))]
    buttons: list[Button] = []
    for ticket in mine:
        lines.append(t(
            "staff_list_line", loc, number=ticket.number, what=ticket_title(ticket, loc),
            status=t(f"status_{ticket.status}", loc),
            where=notify.ticket_location(turn.uow, ticket, loc),
            due=local_time(ticket.sla_due_at, loc, turn.deps.settings.timezone),
        ))
        if len(buttons) < 6:
            action = "staff_done" if ticket.status == "in_progress" else "staff_accept"
            title = t(f"btn_{action}", loc) + " " + ticket.number
            buttons.append(Button(title, payload(action, ticket=ticket.number)))
    return Outcome((Reply("\n".join(lines), tuple(buttons)),))


def _ticket(turn: Turn, me: Staff, statuses: tuple[str, ...]) -> Ticket | Outcome:
    """The ticket named by the payload, of my company; without a number, my only candidate."""
    number = (turn.entity("ticket") or turn.entity("ticket_id") or "").strip().upper()
    if not number:
        candidates = [x for x in turn.uow.tickets.open_for_staff(me.id) if x.status in statuses]
        if len(candidates) == 1:
            return candidates[0]
        return staff_list(turn)
    ticket = turn.uow.tickets.by_number(number, for_update=True)
    if ticket is None:
        raise NotFound("staff_ticket_not_found", number=number)
    community = turn.uow.org.community(ticket.community_id)
    if community is None or community.company_id != me.company_id:
        raise Forbidden("staff_other_company")
    return ticket


def _check_mine(me: Staff, ticket: Ticket) -> None:
    """Only the assignee, or a manager, may act on an assigned ticket."""
    if ticket.assignee_staff_id not in (None, me.id) and me.role != "manager":
        raise Forbidden("staff_not_yours", number=ticket.number)


def _take(turn: Turn, me: Staff, ticket: Ticket) -> None:
    """Make `me` the assignee (a manager may take a colleague's ticket)."""
    _check_mine(me, ticket)
    if ticket.assignee_staff_id == me.id and ticket.status == "assigned":
        return
    kind = "transferred" if ticket.assignee_staff_id else "assigned"
    tickets_core.transition(
        turn.uow, ticket, "assigned", turn.actor, me.name, turn.now, event_kind=kind, assignee=me
    )


def _offer_colleagues(turn: Turn, me: Staff, ticket: Ticket) -> Outcome:
    roles = (*tickets_core.route_roles(ticket), "manager")
    home = turn.uow.org.home(ticket.home_id) if ticket.home_id else None
    building = (home.building.community.name, home.building.name) if home else None
    colleagues = [
        s for s in turn.uow.tickets.on_duty_staff(me.company_id, roles)
        if s.id not in (me.id, ticket.assignee_staff_id)
        and tickets_core.handles(s, ticket.category, building)
    ]
    loc = turn.locale
    if not colleagues:
        return Outcome((Reply(t("staff_no_colleague", loc, number=ticket.number)),))
    buttons = tuple(
        Button(f"{s.name}（{t('role_' + s.role, loc)}）",
               payload("staff_transfer", ticket=ticket.number, to=s.id))
        for s in colleagues[:8]
    )
    return Outcome((Reply(t("staff_pick_colleague", loc, number=ticket.number), buttons),))


def _wrong_status(turn: Turn, ticket: Ticket) -> Outcome:
    return Outcome((Reply(t("staff_wrong_status", turn.locale, number=ticket.number,
                            status=t(f"status_{ticket.status}", turn.locale))),))


ACTIONS: dict[str, Callable[[Turn], Outcome]] = {
    "staff_accept": staff_accept,
    "staff_transfer": staff_transfer,
    "staff_done": staff_done,
    "staff_list": staff_list,
}
