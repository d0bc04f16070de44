"""Greetings, the help menu, thanks, goodbye, yes/no outside a flow, out-of-scope and the fallback."""

from __future__ import annotations

import handlers.texts.emergencies  # noqa: F401 - the staff menu texts
import handlers.texts.smalltalk  # noqa: F401 - registers this capability's texts
from handlers import binding, faq
from handlers.access import optional_community
from handlers.messages import Button, Outcome, Reply
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import has_content

# An out-of-scope guess may still be a community question the FAQ knows; only a sure match.
OUT_OF_SCOPE_FAQ_THRESHOLD = 0.65
SWITCH_HOME_WORDS = frozenset({"切换房屋", "切换房子", "换房屋", "选择房屋", "switchhome"})

_BOUND_MENU = (
    ("talk_btn_bills", "/check_bill"),
    ("talk_btn_pay", "/pay_bill"),
    ("talk_btn_repair", "/report_repair"),
    ("talk_btn_complaint", "/complaint"),
    ("talk_btn_notices", "/query_notice"),
    ("talk_btn_house", "/query_house_info"),
    ("talk_btn_policy", "/query_policy"),
    ("talk_btn_handoff", "/human_handoff"),
)
_UNBOUND_MENU = (
    ("talk_btn_bind", "/bind_account"),
    ("talk_btn_policy", "/query_policy"),
    ("talk_btn_handoff", "/human_handoff"),
)


def menu_buttons(locale: str, bound: bool) -> tuple[Button, ...]:
    """The main capabilities as buttons; an unbound account is offered binding first."""
    menu = _BOUND_MENU if bound else _UNBOUND_MENU
    return tuple(Button(t(key, locale), payload) for key, payload in menu)


def _bound(turn: Turn) -> bool:
    return bool(turn.identity.owner_id)


def _daypart(turn: Turn) -> str:
    hour = turn.now.astimezone(turn.deps.settings.timezone).hour
    if 5 <= hour < 11:
        part = "morning"
    elif 11 <= hour < 13:
        part = "noon"
    elif 13 <= hour < 18:
        part = "afternoon"
    else:
        part = "evening"
    return t(f"talk_daypart_{part}", turn.locale)


def greet(turn: Turn) -> Outcome:
    """Hello, with the owner's name when the account is bound; staff get their own menu."""
    if turn.identity.staff_id:
        return staff_menu(turn)
    owner = turn.uow.identities.owner(turn.identity.owner_id) if turn.identity.owner_id else None
    if owner is not None:
        text = t("talk_greet_bound", turn.locale, name=owner.name, daypart=_daypart(turn))
    else:
        text = t("talk_greet_unbound", turn.locale, daypart=_daypart(turn))
    return Outcome((Reply(text, menu_buttons(turn.locale, owner is not None)),))


def help(turn: Turn) -> Outcome:  # the intent is called help, so the builtin is shadowed
    """What the assistant can do, as text and buttons."""
    if turn.identity.staff_id:
        return staff_menu(turn)
    text = t("talk_help", turn.locale)
    if not _bound(turn):
        text += "\n" + t("talk_help_unbound", turn.locale)
    return Outcome((Reply(text, menu_buttons(turn.locale, _bound(turn))),))


def thanks(turn: Turn) -> Outcome:
    """You're welcome."""
    return Outcome((Reply(t("talk_thanks", turn.locale)),))


def goodbye(turn: Turn) -> Outcome:
    """Goodbye; any unfinished flow is dropped."""
    return Outcome((Reply(t("talk_goodbye", turn.locale)),))


def affirm(turn: Turn) -> Outcome:
    """A yes with nothing to confirm."""
    return Outcome((Reply(t("talk_affirm", turn.locale)),))


def deny(turn: Turn) -> Outcome:
    """A no with nothing to cancel."""
    return Outcome((Reply(t("talk_deny", turn.locale)),))


def out_of_scope(turn: Turn) -> Outcome:
    """Politely decline, say what the assistant does; a sure FAQ match is answered instead."""
    if binding.is_bare_code(turn.text or ""):
        return binding.bind_account(turn)
    if not has_content(turn.text or ""):  # 👍 / 🙏 is not a question we cannot answer
        return Outcome((Reply(t("talk_no_words", turn.locale), menu_buttons(turn.locale, _bound(turn))),))
    answered = _faq_reply(turn, OUT_OF_SCOPE_FAQ_THRESHOLD)
    if answered is not None:
        return answered
    text = t("talk_out_of_scope", turn.locale)
    return Outcome((Reply(text, menu_buttons(turn.locale, _bound(turn))),))


def fallback(turn: Turn) -> Outcome:
    """Low confidence: an invite code binds, a good FAQ match answers, else the menu."""
    raw = turn.text or turn.incoming.button or ""
    if binding.is_bare_code(raw):
        return binding.bind_account(turn)
    if faq.normalise(raw) in SWITCH_HOME_WORDS and _bound(turn):
        return binding.select_home(turn)
    answered = _faq_reply(turn, faq.THRESHOLD)
    if answered is not None:
        return answered
    text = t("talk_fallback", turn.locale)
    return Outcome((Reply(text, menu_buttons(turn.locale, _bound(turn))),))


def _faq_reply(turn: Turn, threshold: float) -> Outcome | None:
    if not (turn.text or "").strip():
        return None
    community = optional_community(turn)
    match = faq.best_match(turn.uow, community.id if community else None, turn.text, threshold)
    if match is None:
        return None
    button = Button(t("faq_not_solved", turn.locale), "/human_handoff")
    return Outcome((Reply(faq.answer_text(match[0], turn.locale), (button,)),))


def staff_menu(turn: Turn) -> Outcome:
    """A bound staff account is not an owner: its tickets and the commands it has."""
    member = turn.uow.org.staff(turn.identity.staff_id or 0)
    name = member.name if member else ""
    duty = t("talk_staff_on_duty" if member and member.on_duty else "talk_staff_off_duty", turn.locale)
    text = t("talk_staff_menu", turn.locale, name=name, duty=duty)
    return Outcome((Reply(text, (Button(t("talk_btn_staff_list", turn.locale), "/staff_list"),)),))
