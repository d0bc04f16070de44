"""Repairs: fill category, place, urgency and description, confirm, open the ticket.

Emergencies (gas, someone trapped in a lift, sparks or fire) are answered at once with the
emergency phone and safety advice, and open an urgent ticket without the confirm step.
State: `{"flow": "report_repair", "step": …, "slots": {…}}`, JSON-able only.
"""

from __future__ import annotations

from typing import Any

import handlers.texts.dialogue  # noqa: F401 - registers repair_heating_provider
import handlers.texts.repairs  # noqa: F401 - registers the texts used here
from handlers import tickets_core
from handlers.access import current_home, require_owner
from handlers.errors import Forbidden
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload, staff_contact, ticket_title
from handlers.owners import emergencies
from handlers.owners.corrections import correct, is_correction
from handlers.repair_slots import (
    CATEGORY_WORDS,
    REPAIR_CATEGORIES,
    emergency_of,
    first_match,
    infer_repair,
    location_of,
    public_place,
)
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Attachment, Home, Ticket

FLOW = "report_repair"
AFFIRM_WORDS = frozenset({
    "确认", "确定", "提交", "确认提交", "是", "是的", "对", "对的", "好", "好的", "可以", "行", "嗯",
    "没问题", "ok", "okay", "yes", "y", "confirm", "submit", "sure",
})
REOPEN_WORDS = ("没修好", "又坏了", "又漏", "还是漏", "还是坏", "还是不行", "修了还", "not fixed")


def report_repair(turn: Turn) -> Outcome:
    """Start a repair report from the owner's first words."""
    danger = emergency_of(turn.text)
    if danger:
        return emergency_reply(turn, danger, {})
    require_owner(turn)
    home = current_home(turn)
    tickets_core.check_daily_cap(
        turn.uow, turn.identity.owner_id or 0, turn.now, turn.deps.settings,
        community_id=home.building.community_id,
    )
    slots = infer_repair(turn.text, {"home_id": home.id})
    offer = _reopen_offer(turn, slots)
    return offer or _next(turn, slots)


def emergency(turn: Turn) -> Outcome | None:
    """The emergency answer when the text reports one, whatever the intent or flow; else None."""
    return emergencies.detect(turn)


def continue_repair(turn: Turn) -> Outcome:
    """The next message of a repair report: a button, a photo, or more words."""
    slots: dict[str, Any] = dict(turn.state.get("slots") or {})
    step = str(turn.state.get("step") or "description")
    if turn.incoming.media is not None or turn.incoming.location is not None:
        keep_attachment(turn)
        return _next(turn, slots, prefix=t("repair_photo_attached", turn.locale))
    pressed = pressed_payload(turn)
    if pressed == "repair:cancel":
        return Outcome((Reply(t("cancelled", turn.locale)),))
    danger = emergency_of(turn.text)
    if danger:
        return emergency_reply(turn, danger, slots)
    if not pressed and is_correction(turn.text):
        corrected = _corrected(turn.text, slots)
        if corrected is not None:
            return _next(turn, corrected, prefix=t("draft_corrected", turn.locale))
    if pressed == "repair:confirm" or (step == "confirm" and _affirms(turn)):
        return _create(turn, slots)
    if pressed == "repair:new":
        return _next(turn, slots)
    # Payloads come back from the client: only known values are taken.
    if pressed.startswith("repair:cat:"):
        choice = pressed.split(":")[-1]
        slots["category"] = choice if choice in REPAIR_CATEGORIES else "other"
    elif pressed.startswith("repair:loc:"):
        slots["location"] = "public" if pressed.endswith(":public") else "home"
    else:
        slots = _merge_text(turn, step, slots)
    return _next(turn, slots)


def _corrected(text: str, slots: dict[str, Any]) -> dict[str, Any] | None:
    """The slots with "不对，是卫生间不是厨房" applied to the description and re-read from it."""
    description = correct(text, str(slots.get("description") or ""))
    if description is None:
        return None
    category = first_match(description, CATEGORY_WORDS) or slots.get("category") or ""
    out = {**slots, "description": description, "category": category}
    location = location_of(description)
    if location:
        out["location"] = location
        out["location_detail"] = public_place(description) if location == "public" else ""
    return out


def receive_media(turn: Turn) -> Outcome:
    """A photo (or location) outside any flow: keep it, and ask what is broken."""
    keep_attachment(turn)
    if turn.identity.staff_id:
        return Outcome((Reply(t("staff_photo_kept", turn.locale)),))
    if not turn.identity.owner_id:
        return Outcome((Reply(t("repair_photo_kept_unbound", turn.locale)),))
    state = {"flow": FLOW, "step": "description", "slots": {}}
    return Outcome((Reply(t("repair_photo_kept", turn.locale)),), state)


def keep_attachment(turn: Turn) -> Attachment:
    """Store what the message carries for this chat account; a ticket claims it later."""
    media, place = turn.incoming.media, turn.incoming.location
    if media is not None:
        kind, ref, content_type = media.kind, media.ref, media.content_type
    else:
        assert place is not None
        kind, ref, content_type = "location", f"{place.latitude:.6f},{place.longitude:.6f}", ""
    return turn.uow.tickets.add_attachment(Attachment(
        identity_id=turn.identity.id, kind=kind, ref=ref[:500], content_type=content_type[:60],
        created_at=turn.now,
    ))


def pressed_payload(turn: Turn) -> str:
    """The button pressed this turn, or typed as its number; "" if none."""
    if turn.incoming.button:
        return turn.incoming.button
    offered = turn.state.get("buttons") or []
    text = turn.text.strip()
    if text.isdigit() and 1 <= int(text) <= len(offered):
        return str(offered[int(text) - 1])
    return ""


def _affirms(turn: Turn) -> bool:
    text = canonical(turn.text.strip().strip("。！!.～~ "))
    return turn.intent == "affirm" or text in AFFIRM_WORDS


def _merge_text(turn: Turn, step: str, slots: dict[str, Any]) -> dict[str, Any]:
    merged = infer_repair(turn.text, slots)
    text = turn.text.strip()
    if step == "description" and not merged.get("description") and text:
        merged["description"] = text  # asked for it: take what they wrote, short or not
    if step == "category" and not merged.get("category"):
        merged["category"] = "other"  # an answer we cannot place is still an answer
    return merged


def _next(turn: Turn, slots: dict[str, Any], prefix: str = "") -> Outcome:
    """Ask for the first missing slot, or show the summary to confirm."""
    if not slots.get("home_id"):
        slots["home_id"] = current_home(turn).id
    lead = f"{prefix}\n" if prefix else ""
    loc = turn.locale
    if not slots.get("description"):
        return _ask(slots, "description", lead + t("repair_ask_description", loc))
    if not slots.get("category"):
        buttons = tuple(
            Button(t(f"cat_{c}", loc), f"repair:cat:{c}") for c in REPAIR_CATEGORIES
        )
        return _ask(slots, "category", lead + t("repair_ask_category", loc), buttons)
    if not slots.get("location"):
        buttons = (
            Button(t("repair_btn_home", loc), "repair:loc:home"),
            Button(t("repair_btn_public", loc), "repair:loc:public"),
        )
        return _ask(slots, "location", lead + t("repair_ask_location", loc), buttons)
    home = _owned_home(turn, slots)
    summary = t(
        "repair_confirm", loc,
        category=t(f"cat_{slots['category']}", loc),
        where=_where(home, slots, loc),
        urgency=t(f"urgency_{slots.get('urgency') or 'normal'}", loc),
        description=slots["description"],
    )
    buttons = (
        Button(t("btn_confirm_submit", loc), "repair:confirm"),
        Button(t("btn_cancel_flow", loc), "repair:cancel"),
    )
    return _ask(slots, "confirm", lead + summary, buttons)


def _ask(
    slots: dict[str, Any], step: str, text: str, buttons: tuple[Button, ...] = ()
) -> Outcome:
    return Outcome((Reply(text, buttons),), {"flow": FLOW, "step": step, "slots": slots})


def _where(home: Home, slots: dict[str, Any], locale: str) -> str:
    if slots.get("location") == "public":
        detail = slots.get("location_detail") or ""
        return t("location_public", locale) + (f"（{detail}）" if detail else "")
    return t("repair_in_home", locale, home=home.label)


def _owned_home(turn: Turn, slots: dict[str, Any]) -> Home:
    """The home kept in the slots, checked again: the owner may have been unbound since."""
    owner = require_owner(turn)
    home = turn.uow.org.home(int(slots["home_id"]))
    if home is None or turn.uow.identities.membership(owner.id, home.id) is None:
        raise Forbidden()
    return home


def _create(turn: Turn, slots: dict[str, Any]) -> Outcome:
    if not slots.get("description") or not slots.get("category") or not slots.get("location"):
        return _next(turn, slots)
    home = _owned_home(turn, slots)
    turn.state = {}  # a refusal (daily cap) must not leave the owner stuck in the flow
    ticket = tickets_core.create_ticket(
        turn, "repair", description=str(slots["description"]), category=str(slots["category"]),
        location=str(slots["location"]), location_detail=str(slots.get("location_detail") or ""),
        urgency=str(slots.get("urgency") or "normal"), home=home,
    )
    text = created_text(turn, ticket)
    provider = home.building.community.heating_provider
    if ticket.category == "heating" and provider:
        # Heating is the heat company's in many Beijing communities: whom to call, and recorded.
        text = t("repair_heating_provider", turn.locale, provider=provider, created=text)
    return Outcome((Reply(text),))


def created_text(turn: Turn, ticket: Ticket) -> str:
    """Ticket number, who comes, by when."""
    loc = turn.locale
    staff = turn.uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    who = (
        t("repair_who_assigned", loc, staff=staff_contact(staff)) if staff
        else t("repair_who_pending", loc)
    )
    photos = len(turn.uow.tickets.attachments_of(ticket.id))
    return t(
        "repair_created", loc, number=ticket.number, what=ticket_title(ticket, loc), who=who,
        due=local_time(ticket.sla_due_at, loc, turn.deps.settings.timezone),
        photos=t("repair_photos_linked", loc, n=photos) if photos else "",
    )


def emergency_reply(turn: Turn, emergency: str, slots: dict[str, Any]) -> Outcome:
    """The emergency phone and safety advice first; then the incident's ticket (`owners.emergencies`)."""
    return emergencies.respond(turn, emergency, slots)


def _reopen_offer(turn: Turn, slots: dict[str, Any]) -> Outcome | None:
    """"又坏了" right after a repair: offer to send that ticket back rather than open a new one."""
    if not any(w in canonical(turn.text) for w in REOPEN_WORDS):
        return None
    recent = tickets_core.latest_of_owner(
        turn.uow, turn.identity.owner_id or 0, ("resolved", "closed"), limit=1
    )
    if not recent or recent[0].kind != "repair":
        return None
    if slots.get("category") and slots["category"] != recent[0].category:
        return None  # "电梯又坏了" is not about the tap fixed yesterday
    resolved_at = recent[0].resolved_at or recent[0].updated_at
    if turn.now - resolved_at > tickets_core.REOPEN_WINDOW:
        return None
    ticket, loc = recent[0], turn.locale
    buttons = (
        Button(t("repair_btn_reopen", loc, number=ticket.number),
               payload("reopen_ticket", ticket_id=ticket.number)),
        Button(t("repair_btn_new", loc), "repair:new"),
    )
    text = t("repair_reopen_offer", loc, number=ticket.number, what=ticket_title(ticket, loc))
    return Outcome((Reply(text, buttons),), {"flow": FLOW, "step": "reopen", "slots": slots})
