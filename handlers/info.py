"""Information from records: the home, the contract, facilities, service standard, fund, policies.

Every answer names its source. Community data needs a bound home; policies are public.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import handlers.texts.info  # noqa: F401 - registers this capability's texts
from handlers import billing_rules as rules
from handlers import faq
from handlers.access import community_of_turn, current_home, optional_community
from handlers.errors import NotBound
from handlers.messages import Outcome, Reply
from handlers.owners import office_contacts
from handlers.plan_info import plan_lines
from handlers.supervision.policies import applies_to
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Community, MaintenanceFundEntry, Policy

MAX_CLAUSES = 5
MAX_FUND_LINES = 5
MAX_POLICIES = 2
POLICY_THRESHOLD = 0.35
# A community question the FAQ knows well gets that answer too, after the record.
EXTRA_FAQ_THRESHOLD = 0.65
# Words of the question that name the topic itself rather than what the owner looks for.
CONTRACT_WORDS = ("物业", "合同", "条款", "规定", "约定", "里面", "写的", "contract", "clause", "say", "says")
# A policy's topic adds these to its keywords.
TOPIC_WORDS = {
    "fee": "物业费,收费标准,定价,涨价,property fee",
    "fund": "维修资金,维修基金,专项资金,maintenance fund",
    "service": "服务标准,服务质量,service standard",
    "parking": "停车,车位,parking",
}
FUND_WORDS = ("维修", "基金", "资金", "专项", "花了", "哪了", "还剩", "剩多", "余额", "使用", "用了",
              "fund", "maintenance", "spent", "balance", "left")


def query_house_info(turn: Turn) -> Outcome:
    """The home's record: area, property-right years and what is left, members."""
    home = current_home(turn)
    today = rules.local_today(turn)
    members = turn.uow.identities.members_of(home.id)
    owners = sum(1 for m in members if m.role == "owner")
    text = t("info_house", turn.locale, community=home.building.community.name, home=home.label,
             area=f"{home.area_m2:f}", years=home.property_years,
             remaining=_remaining(home.property_start, home.property_years, today, turn.locale),
             owners=owners, residents=len(members) - owners)
    source = t("info_source_house", turn.locale, company=_company(home.building.community))
    return _answer(text, source)


def _remaining(start: date | None, years: int, today: date, locale: str) -> str:
    if start is None:
        return t("info_house_no_start", locale)
    end = _add_years(start, years)
    if end <= today:
        return t("info_house_expired", locale, start=start.isoformat(), end=end.isoformat())
    months = (end.year - today.year) * 12 + end.month - today.month - (end.day < today.day)
    return t("info_house_remaining", locale, start=start.isoformat(), end=end.isoformat(),
             left_years=months // 12, left_months=months % 12)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


_EXPIRY = re.compile(r"到期|期满|截止|什么时候结束|哪天结束|到什么时候|还有多久|续签|续约|"
                     r"\bexpire|\bend(s|ing)?\b|\brenew", re.I)


def query_contract(turn: Turn) -> Outcome:
    """The service contract: title, term, fee standard, and the clauses the question is about."""
    community = _community(turn)
    today = rules.local_today(turn)
    contract = turn.uow.billing.contract(community.id, today)
    if contract is None:
        return _answer(t("info_no_contract", turn.locale, community=community.name,
                         phone=community.service_phone or "—"))
    if contract.start_date > today:
        status = "info_contract_pending"
    else:
        status = "info_contract_active" if contract.end_date >= today else "info_contract_ended"
    lines = [t("info_contract", turn.locale, title=contract.title,
               start=contract.start_date.isoformat(), end=contract.end_date.isoformat(),
               status=t(status, turn.locale), company=_company(community),
               price=f"{contract.fee_per_m2:f}")]
    if _EXPIRY.search(canonical(turn.text or "")):  # "合同什么时候到期": the date first
        months = (contract.end_date.year - today.year) * 12 + contract.end_date.month - today.month
        direct = t("info_contract_ends" if contract.end_date >= today else "info_contract_ended_on",
                   turn.locale, title=contract.title, end=contract.end_date.isoformat(),
                   months=max(months, 0))
        lines = [direct, *lines, t("info_contract_details_offer", turn.locale)]
        return _answer("\n".join(lines), t("info_source_contract", turn.locale, title=contract.title))
    clauses = [c.strip() for c in contract.terms.splitlines() if c.strip()]
    matched = _ranked(turn.text, clauses, CONTRACT_WORDS)[:MAX_CLAUSES]
    if matched:
        lines.append(t("info_contract_matched", turn.locale))
        lines += [f"「{c}」" for c in matched]
    elif clauses:
        lines.append(t("info_contract_main", turn.locale))
        lines += [f"· {c}" for c in clauses[:MAX_CLAUSES]]
        if len(clauses) > MAX_CLAUSES:
            lines.append(t("info_contract_more", turn.locale, count=len(clauses)))
    return _answer("\n".join(lines), t("info_source_contract", turn.locale, title=contract.title))


def _ranked(question: str, texts: list[str], ignore: tuple[str, ...]) -> list[str]:
    """The texts sharing words with the question, best first (keeps the original order on ties)."""
    scored = [(faq.shared(question, text, ignore), i, text) for i, text in enumerate(texts)]
    return [text for score, _, text in sorted(scored, key=lambda x: (-x[0], x[1])) if score > 0]


def query_facilities(turn: Turn) -> Outcome:
    """Parking, green area, elevators of the owner's community."""
    community = _community(turn)
    text = t("info_facilities", turn.locale, community=community.name,
             parking=community.parking_spaces, green=f"{community.green_area_m2:,.0f}",
             elevators=community.elevators, address=community.address or "—")
    return _answer(text, _community_source(turn, community), _extra_faq(turn, community))


def query_service_standard(turn: Turn) -> Outcome:
    """Cleaning, patrols, garbage times, front desk hours and phones of the community."""
    if not turn.identity.owner_id:  # the office's phone and hours are public
        return office_contacts.for_unbound(turn)
    community = _community(turn)
    lines = [t("info_standard_head", turn.locale, community=community.name)]
    fields = (
        ("info_std_cleaning", community.cleaning_frequency),
        ("info_std_patrol", community.patrol_times),
        ("info_std_garbage", community.garbage_times),
        ("info_std_desk", community.front_desk_hours),
        ("info_std_phone", community.service_phone),
        ("info_std_emergency", community.emergency_phone),
    )
    standard = [t(key, turn.locale, value=value) for key, value in fields if value]
    plans, matched = plan_lines(turn.uow, community, turn.text, turn.locale, turn.deps.settings.timezone)
    # A question naming a planned service (电梯维保) gets that plan first, the standard after.
    lines += plans + standard if matched else standard + plans
    return _answer("\n".join(lines), _community_source(turn, community),
                   _extra_faq(turn, community))


def query_maintenance_fund(turn: Turn) -> Outcome:
    """Balance = deposits + interest − expenses; the latest expenses (filtered by the question)."""
    community = _community(turn)
    entries = turn.uow.billing.fund_entries(community.id)
    if not entries:
        return _answer(t("info_fund_empty", turn.locale, community=community.name,
                         phone=community.service_phone or "—"))
    sums = {kind: sum((e.amount for e in entries if e.kind == kind), Decimal("0"))
            for kind in ("deposit", "interest", "expense")}
    balance = turn.uow.billing.fund_balance(community.id)
    lines = [t("info_fund_head", turn.locale, community=community.name,
               balance=rules.money(balance, turn.locale),
               deposits=rules.money(sums["deposit"], turn.locale),
               interest=rules.money(sums["interest"], turn.locale),
               expenses=rules.money(sums["expense"], turn.locale))]
    expenses = [e for e in entries if e.kind == "expense"]
    lines += _fund_lines(turn, expenses)
    source = t("info_source_fund", turn.locale, community=community.name,
               date=entries[0].occurred_on.isoformat())
    return _answer("\n".join(lines), source)


def _fund_lines(turn: Turn, expenses: list[MaintenanceFundEntry]) -> list[str]:
    if not expenses:
        return [t("info_fund_none", turn.locale)]
    wanted = set(_ranked(turn.text, [e.description for e in expenses], FUND_WORDS))
    matched = [e for e in expenses if e.description in wanted]
    head, shown = ("info_fund_matched", matched) if matched else ("info_fund_recent", expenses)
    lines = [t(head, turn.locale)]
    for entry in shown[:MAX_FUND_LINES]:
        lines.append(t("info_fund_line", turn.locale, date=entry.occurred_on.isoformat(),
                       what=entry.description, amount=rules.money(entry.amount, turn.locale),
                       approval=entry.approval or t("info_fund_no_approval", turn.locale)))
    return lines


def query_policy(turn: Turn) -> Outcome:
    """Regulator policies matching the question, explained, with issuer, date and link."""
    community = optional_community(turn)  # a district's policies only for its owners
    policies = [p for p in turn.uow.content.policies() if applies_to(p, community)]
    if not policies:
        return _answer(t("info_policy_none", turn.locale))
    scored = sorted(((_policy_score(turn.text, p), p) for p in policies), key=lambda x: -x[0])
    matched = [p for s, p in scored if s >= POLICY_THRESHOLD][:MAX_POLICIES]
    matched.sort(key=lambda p: (p.published_on, p.id), reverse=True)  # newest first
    if not matched:
        answered = faq.best_match(turn.uow, community.id if community else None, turn.text)
        if answered is not None and turn.text.strip():
            return _answer(faq.answer_text(answered[0], turn.locale))
        titles = [f"· 《{p.title}》" for p in policies[:8]]
        return _answer("\n".join([t("info_policy_list", turn.locale), *titles]))
    return Outcome(tuple(Reply(_policy_text(p, turn.locale)) for p in matched))


def _policy_score(text: str, policy: Policy) -> float:
    keywords = ",".join(x for x in (policy.keywords, TOPIC_WORDS.get(policy.topic, "")) if x)
    return faq.score(text, policy.title, keywords)


def _policy_text(policy: Policy, locale: str) -> str:
    lines = [t("info_policy", locale, title=policy.title, issuer=policy.issuer,
               date=policy.published_on.isoformat(), summary=policy.summary)]
    if policy.url:
        lines.append(t("info_policy_url", locale, url=policy.url))
    lines.append(t("info_source_policy", locale, issuer=policy.issuer))
    return "\n".join(lines)


def _community(turn: Turn) -> Community:
    """The community in focus; unbound, a reply that says why community data needs a home."""
    try:
        return community_of_turn(turn)
    except NotBound as err:  # not "personal data": the community's own, shown to residents
        raise NotBound("info_community_not_bound") from err


def _company(community: Community) -> str:
    return community.company.name if community.company else community.name


def _community_source(turn: Turn, community: Community) -> str:
    return t("info_source_community", turn.locale, company=_company(community),
             community=community.name)


def _extra_faq(turn: Turn, community: Community) -> Reply | None:
    match = faq.best_match(turn.uow, community.id, turn.text, EXTRA_FAQ_THRESHOLD)
    return Reply(faq.answer_text(match[0], turn.locale)) if match else None


def _answer(text: str, source: str = "", extra: Reply | None = None) -> Outcome:
    body = f"{text}\n{source}" if source else text
    replies = (Reply(body),) + ((extra,) if extra else ())
    return Outcome(replies)
