"""Notices for the owner's own community, building and home; push preferences per chat."""

from __future__ import annotations

import re

import handlers.texts.dialogue  # noqa: F401 - registers notify_which_off
import handlers.texts.notices  # noqa: F401 - registers the texts used here
from handlers.access import current_home, require_owner
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import ChannelIdentity, Notice

SHOWN = 5
BODY_CHARS = 80
_KIND_WORDS = (
    ("water_outage", ("停水", "来水", "没水", "水", "water")),
    ("power_outage", ("停电", "来电", "没电", "电", "power", "electricity")),
    ("gas_outage", ("停气", "燃气", "煤气", "天然气", "gas")),
    ("elevator", ("电梯", "elevator", "lift")),
    ("activity", ("活动", "event", "activity")),
)
PREFERENCES = ("notify_bills", "notify_notices", "notify_tickets")
_PREF_WORDS = (
    ("notify_bills", ("账单", "缴费", "物业费", "催缴", "bill", "payment")),
    ("notify_tickets", ("工单", "报修", "维修", "进度", "ticket", "repair")),
    ("notify_notices", ("公告", "停水", "停电", "通知公告", "notice", "outage")),
)
_OFF_WORDS = ("别再", "不要", "别推", "关闭", "关掉", "关了", "停止", "取消", "退订", "不想收",
              "不用推", "stop", "turn off", "unsubscribe", "no more", "don't send")
_ON_WORDS = ("打开", "开启", "恢复", "重新", "还要", "继续推", "turn on", "resume", "enable")
# "turn notifications back on" / "switch the bill reminders off": the verb and on/off apart.
_OFF_EN = re.compile(r"\b(turn|switch|shut)\b.*\boff\b|\bmute\b")
_ON_EN = re.compile(r"\b(turn|switch)\b.*\bon\b|\bback on\b")


def query_notice(turn: Turn) -> Outcome:
    """Current and upcoming notices reaching the owner's home, soonest first."""
    require_owner(turn)
    home = current_home(turn)
    building = home.building
    found = turn.uow.content.notices_for_home(
        building.community_id, building.id, home.id, turn.now
    )
    kind = _kind_asked(turn.text)
    loc = turn.locale
    wanted = [n for n in found if n.kind == kind] if kind else found
    if not wanted:
        what = t(f"notice_kind_{kind}", loc) if kind else t("notice_kind_any", loc)
        text = t("notice_none", loc, what=what, home=home.label)
        others = [n for n in found if n.kind != kind] if kind else []
        if others:
            text += "\n" + t("notice_others", loc) + "\n" + _list(turn, others)
        return Outcome((Reply(text),))
    head = t("notice_head", loc, home=home.label, n=len(wanted))
    return Outcome((Reply(head + "\n" + _list(turn, wanted)),))


def _kind_asked(text: str) -> str:
    low = canonical(text)
    # 停电 mentions 电 and 电梯 does too: the most specific word wins.
    if "电梯" in low or "elevator" in low or "lift" in low:
        return "elevator"
    for kind, words in _KIND_WORDS:
        if any(w in low for w in words):
            return kind
    return ""


def _list(turn: Turn, notices: list[Notice]) -> str:
    return "\n\n".join(_describe(turn, n) for n in notices[:SHOWN])


def _describe(turn: Turn, notice: Notice) -> str:
    loc, tz = turn.locale, turn.deps.settings.timezone
    start = local_time(notice.starts_at, loc, tz)
    window = f"{start} – {local_time(notice.ends_at, loc, tz)}" if notice.ends_at else start
    if notice.restored_at is not None:
        state = t("notice_state_restored", loc, at=local_time(notice.restored_at, loc, tz))
    elif turn.now < notice.starts_at:
        state = t("notice_state_upcoming", loc)
    elif notice.ends_at is not None and turn.now > notice.ends_at:
        state = t("notice_state_ended", loc)
    else:
        state = t("notice_state_ongoing", loc)
    body = notice.body.strip().replace("\n", " ")
    if len(body) > BODY_CHARS:
        body = body[:BODY_CHARS] + "…"
    return t(
        "notice_line", loc, kind=t(f"notice_kind_{notice.kind}", loc), title=notice.title,
        window=window, state=state, body=body,
    ).rstrip()


def notification_settings(turn: Turn) -> Outcome:
    """Show and change which pushes this chat account gets (bills, notices, tickets)."""
    identity, loc = turn.identity, turn.locale
    toggle, setting = turn.entity("toggle"), turn.entity("set")
    note = ""
    if toggle in PREFERENCES:
        setattr(identity, toggle, not getattr(identity, toggle))
        note = t("notify_pref_changed", loc)
    elif setting in ("all_off", "all_on"):
        note = _set_all(identity, setting == "all_on", loc)
    elif not turn.entity("show"):
        note = _from_words(identity, canonical(turn.text), loc)
    return Outcome((Reply(_summary(identity, loc, note), _buttons(identity, loc)),))


_ALL_WORDS = re.compile(r"全部|所有|都不要|一切|任何|\ball\b|\beverything\b|\bany\b", re.I)


def _from_words(identity: ChannelIdentity, text: str, loc: str) -> str:
    off = any(w in text for w in _OFF_WORDS) or bool(_OFF_EN.search(text))
    on = not off and (any(w in text for w in _ON_WORDS) or bool(_ON_EN.search(text)))
    if not (off or on):
        return ""
    named = [pref for pref, words in _PREF_WORDS if any(w in text for w in words)]
    if not named and off and not _ALL_WORDS.search(text):
        # "别再给我推通知了": which kinds? Silencing repair updates too is rarely meant.
        return t("notify_which_off", loc)
    if not named:
        return _set_all(identity, on, loc)
    for pref in named:
        setattr(identity, pref, on)
    return t("notify_pref_changed", loc)


def _set_all(identity: ChannelIdentity, on: bool, loc: str) -> str:
    for pref in PREFERENCES:
        setattr(identity, pref, on)
    return t("notify_all_on" if on else "notify_all_off", loc)


def _summary(identity: ChannelIdentity, loc: str, note: str) -> str:
    lines = [note] if note else []
    lines.append(t("notify_settings_head", loc))
    for pref in PREFERENCES:
        state = t("notify_on" if getattr(identity, pref) else "notify_off", loc)
        lines.append(t("notify_settings_line", loc, what=t(f"pref_{pref}", loc), state=state))
    return "\n".join(lines)


def _buttons(identity: ChannelIdentity, loc: str) -> tuple[Button, ...]:
    buttons = [
        Button(
            t("notify_btn_turn_off" if getattr(identity, p) else "notify_btn_turn_on", loc,
              what=t(f"pref_{p}", loc)),
            payload("notification_settings", toggle=p),
        )
        for p in PREFERENCES
    ]
    all_on = all(getattr(identity, p) for p in PREFERENCES)
    buttons.append(Button(
        t("notify_btn_all_off" if all_on else "notify_btn_all_on", loc),
        payload("notification_settings", set="all_off" if all_on else "all_on"),
    ))
    return tuple(buttons)
