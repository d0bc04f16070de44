"""A company answers a rectification notice from the chat: photos first, then `整改 Z12 …`.

The photos the staff member sent since the notice's last step (at most a day back) go with
the answer, the way `完成 R…` takes the photos of finished work.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers.access import require_staff
from handlers.errors import NotFound
from handlers.messages import Outcome, Reply
from handlers.notify import payload
from handlers.supervision import rectifications
from handlers.texts import t
from handlers.turn import Turn

_COMMAND = re.compile(r"^\s*整改\s*[Zz]?\s*(\d*)\s*(.*)$", re.S)
PHOTO_WINDOW = timedelta(hours=24)


def typed_answer(turn: Turn) -> str | None:
    """`整改 Z12 已清理` from a staff account as the payload of the answer action, else None."""
    if not turn.identity.staff_id:
        return None
    match = _COMMAND.match(turn.text or "")
    if match is None:
        return None
    return payload("rectification_answer", notice=match.group(1) or "0",
                   text=match.group(2).strip()[:2000])


def rectification_answer(turn: Turn) -> Outcome:
    """Store the company's answer with the recent photos; a usage hint when incomplete."""
    me = require_staff(turn)
    number = (turn.entity("notice") or "0").strip()
    text = (turn.entity("text") or "").strip()
    if not number.isdigit() or int(number) == 0 or not text:
        return Outcome((Reply(t("sup_answer_usage", turn.locale)),))
    notice = turn.uow.supervision.rectification(int(number))
    if notice is None or notice.company_id != me.company_id:
        raise NotFound("supervision_rectification_not_found", notice=number)
    tz = turn.deps.settings.timezone
    since = max(turn.now - PHOTO_WINDOW, notice.decided_at or _start_of(notice.issued_on, tz))
    photos = [a.ref for a in turn.uow.tickets.pending_attachments(turn.identity.id, since)
              if a.kind == "photo"]
    rectifications.answer(turn.uow, me.company_id, notice.id, text, photos, turn.now, turn.actor)
    return Outcome((Reply(t("sup_answered", turn.locale, notice=notice.id, photos=len(photos))),))


def _start_of(day: object, tz: object) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)  # type: ignore[arg-type]
