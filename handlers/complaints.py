"""Complaints and suggestions: what happened (asked for when too vague), whom it is about,
photos, a confirmation, then a C… or S… ticket.

State: `{"flow": "complaint", "step": …, "slots": {"kind": "complaint"|"suggestion", …}}`.
"""

from __future__ import annotations

import re
from typing import Any

import handlers.texts.tickets  # noqa: F401 - registers the texts used here
from handlers import tickets_core
from handlers.access import current_home, require_owner
from handlers.errors import Forbidden
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, staff_contact
from handlers.owners.corrections import correct, is_correction
from handlers.repair_slots import COMPLAINT_TARGETS, emergency_of, first_match, informative
from handlers.repairs import AFFIRM_WORDS, emergency_reply, keep_attachment, pressed_payload
from handlers.supervision import escalation
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Home

FLOW = "complaint"


def complaint(turn: Turn) -> Outcome:
    """Start a complaint about a service, a person or a neighbour (or take it to the regulator)."""
    if escalation.addresses_regulator(turn.text):  # "我要向住建委投诉物业": a supervised case
        return escalation.start(turn)
    return _start(turn, "complaint")


def suggestion(turn: Turn) -> Outcome:
    """Start a suggestion to improve the community."""
    return _start(turn, "suggestion")


# "投诉进度" / "我的投诉处理得怎么样了" asks after a complaint; it does not open a new one.
_PROGRESS = re.compile(r"进度|进展|怎么样了|处理了吗|处理没|有结果|结果呢|到哪了|有回复|回复了吗|"
                       r"\bstatus\b|\bprogress\b|any update")


def _start(turn: Turn, kind: str) -> Outcome:
    emergency = emergency_of(turn.text)
    if emergency:  # "楼道冒烟了" is not a complaint to file for tomorrow
        return emergency_reply(turn, emergency, {})
    if _PROGRESS.search(canonical(turn.text or "")):
        from handlers.tickets import ticket_status  # tickets imports this module's siblings

        return ticket_status(turn)
    require_owner(turn)
    home = current_home(turn)
    tickets_core.check_daily_cap(
        turn.uow, turn.identity.owner_id or 0, turn.now, turn.deps.settings,
        community_id=home.building.community_id,
    )
    slots: dict[str, Any] = {"kind": kind, "home_id": home.id, "target": "", "description": ""}
    return _next(turn, _merge(turn.text, slots))


def continue_complaint(turn: Turn) -> Outcome:
    """The next message of a complaint or suggestion: a button, a photo, or more words."""
    slots: dict[str, Any] = dict(turn.state.get("slots") or {})
    step = str(turn.state.get("step") or "description")
    if turn.incoming.media is not None or turn.incoming.location is not None:
        keep_attachment(turn)
        return _next(turn, slots, prefix=t("complaint_photo_attached", turn.locale))
    pressed = pressed_payload(turn)
    if pressed == "complaint:cancel":
        return Outcome((Reply(t("cancelled", turn.locale)),))
    text = canonical(turn.text.strip().strip("。！!.～~ "))
    corrected = correct(turn.text, str(slots.get("description") or "")) if (
        not pressed and is_correction(turn.text)) else None
    if corrected is not None:
        slots["description"] = corrected
        if slots.get("kind") == "complaint":
            slots["target"] = first_match(corrected, COMPLAINT_TARGETS) or slots.get("target") or ""
        return _next(turn, slots, prefix=t("draft_corrected", turn.locale))
    if pressed == "complaint:confirm" or (
        step == "confirm" and (turn.intent == "affirm" or text in AFFIRM_WORDS)
    ):
        return _create(turn, slots)
    merged = _merge(turn.text, slots)
    if step == "description" and not merged.get("description") and len(text) >= 2:
        merged["description"] = turn.text.strip()  # asked for it: take the answer as given
    return _next(turn, merged)


def _merge(text: str, slots: dict[str, Any]) -> dict[str, Any]:
    out = dict(slots)
    if out.get("kind") == "complaint" and not out.get("target"):
        out["target"] = first_match(text, COMPLAINT_TARGETS)
    if informative(text):
        previous = str(out.get("description") or "")
        out["description"] = f"{previous}；{text.strip()}" if previous else text.strip()
    return out


def _next(turn: Turn, slots: dict[str, Any], prefix: str = "") -> Outcome:
    loc, kind = turn.locale, str(slots.get("kind") or "complaint")
    lead = f"{prefix}\n" if prefix else ""
    if not slots.get("description"):
        text = lead + t(f"{kind}_ask_description", loc)
        return Outcome((Reply(text),), {"flow": FLOW, "step": "description", "slots": slots})
    target = str(slots.get("target") or "")
    summary = t(
        f"{kind}_confirm", loc, description=slots["description"],
        target=t(f"cat_{target}", loc) if target else t("complaint_target_none", loc),
    )
    buttons = (
        Button(t("btn_confirm_submit", loc), "complaint:confirm"),
        Button(t("btn_cancel_flow", loc), "complaint:cancel"),
    )
    return Outcome(
        (Reply(lead + summary, buttons),), {"flow": FLOW, "step": "confirm", "slots": slots}
    )


def _home(turn: Turn, slots: dict[str, Any]) -> Home:
    owner = require_owner(turn)
    home = turn.uow.org.home(int(slots.get("home_id") or 0)) or current_home(turn)
    if turn.uow.identities.membership(owner.id, home.id) is None:
        raise Forbidden()
    return home


def _create(turn: Turn, slots: dict[str, Any]) -> Outcome:
    if not slots.get("description"):
        return _next(turn, slots)
    kind = str(slots.get("kind") or "complaint")
    home = _home(turn, slots)
    turn.state = {}  # a refusal (daily cap) must not leave the owner stuck in the flow
    ticket = tickets_core.create_ticket(
        turn, kind, description=str(slots["description"]),
        category=str(slots.get("target") or ""), location="home", home=home,
        urgency="normal" if kind == "complaint" else "low",
    )
    loc = turn.locale
    staff = turn.uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    text = t(
        f"{kind}_created", loc, number=ticket.number,
        due=local_time(ticket.sla_due_at, loc, turn.deps.settings.timezone),
        staff=staff_contact(staff) or t("complaint_staff_pending", loc),
    )
    return Outcome((Reply(text),))
