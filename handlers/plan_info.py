"""Owners asking how often a service happens and when it was last done: the service plans.

"保洁多久打扫一次" / "电梯上次维保是什么时候" → each matching plan of the community with its
schedule and the date of its latest completed task (answered inside query_service_standard).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers import faq
from handlers.office.schedules import describe
from handlers.texts import t
from storage.models import Community
from storage.uow import UnitOfWork

MAX_PLANS = 5
# Words of the question that ask about frequency or time, not which service.
QUESTION_WORDS = ("多久", "一次", "上次", "什么时候", "时候", "几点", "多长时间", "频率", "how", "often", "when", "last")


def plan_lines(uow: UnitOfWork, community: Community, question: str, locale: str, tz: ZoneInfo) -> tuple[list[str], bool]:
    """Lines for the community's plans (those the question names, else all); and whether any matched."""
    plans = uow.operations.plans([community.id])
    if not plans:
        return [], False
    scored = [(faq.shared(question, plan.title, QUESTION_WORDS), plan) for plan in plans]
    matched = [plan for score, plan in sorted(scored, key=lambda x: -x[0]) if score > 0]
    shown = (matched or plans)[:MAX_PLANS]
    lines = [t("plan_info_head", locale)]
    for plan in shown:
        latest = uow.operations.latest_done(plan.id)
        when = (t("plan_info_last", locale, date=_day(latest.done_at, tz)) if latest and latest.done_at
                else t("plan_info_never", locale))
        lines.append(t("plan_info_line", locale, title=plan.title, schedule=describe(plan.schedule, locale),
                       last=when))
    return lines, bool(matched)


def _day(moment: object, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)  # type: ignore[attr-defined]
    return f"{local.year}年{local.month}月{local.day}日"
