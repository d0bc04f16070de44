"""The demo's life: tickets with timelines, notices, FAQ, policies, the regulator."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.demo_seed import content
from handlers.demo_seed.homes import DemoOrg
from storage.models import (
    FaqEntry,
    Notice,
    Policy,
    RectificationNotice,
    Regulator,
    Ticket,
    TicketEvent,
)
from storage.uow import UnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
LETTERS = {"repair": "R", "complaint": "C", "suggestion": "S", "fee_question": "F"}
SLA = {"emergency": timedelta(minutes=30), "high": timedelta(hours=4),
       "normal": timedelta(hours=24), "low": timedelta(hours=72)}

# kind, home (None = reported about a public place by the demo owner), category, location,
# urgency, description, days ago, then steps: (hours after creation, event, who, status, note)
TICKETS = (
    ("repair", "3-2-501", "plumbing", "home", "normal", "卫生间洗手盆下面的水管漏水，地上一直有积水", 1, (
        (0.2, "assigned", "system", "assigned", "已派单给维修师傅张建军"),
        (0.7, "accepted", "staff:repair", "in_progress", "已联系业主，明早9点上门处理"),
    ), None),
    ("repair", "5-1-1201", "elevator", "public", "high", "5号楼1单元电梯运行时有咣当咣当的异响", 6, (
        (0.1, "assigned", "system", "assigned", "已派单给维修师傅刘海涛"),
        (1.0, "accepted", "staff:elevator", "in_progress", "已到现场，电梯暂停使用检查"),
        (5.0, "resolved", "staff:elevator", "resolved", "更换导靴衬和门刀滚轮，试运行正常"),
        (26.0, "rated", "owner", "closed", "修得很快，谢谢刘师傅"),
    ), 5),
    ("complaint", "6-1-1202", "noise", "home", "normal", "楼上每天晚上十一点以后还在用电钻装修，太吵了", 2, (
        (0.3, "assigned", "system", "assigned", "已转物业经理赵志刚处理"),
        (3.0, "note", "staff:manager", "assigned", "已上门提醒1302住户遵守装修时间，今晚再回访"),
    ), None),
    ("suggestion", "1-2-301", "", "public", "low", "建议在3号楼北侧再加一排电动车充电桩，现在晚上经常排不上", 20, (
        (2.0, "assigned", "system", "assigned", "已转物业经理赵志刚"),
        (50.0, "closed", "staff:manager", "closed", "已纳入本年度改造计划，预计下月安装12个充电位，感谢建议"),
    ), None),
    ("repair", "8-1-302", "electrical", "public", "normal", "8号楼1单元3层楼道灯不亮", 3, (
        (0.1, "assigned", "system", "assigned", "已派单给维修师傅张建军"),
        (2.0, "accepted", "staff:repair", "in_progress", "已领取材料"),
        (3.5, "resolved", "staff:repair", "resolved", "更换声控灯头，已恢复"),
    ), None),
    ("repair", "2-3-602", "plumbing", "home", "low", "厨房水龙头一直滴水", 4, (
        (0.2, "assigned", "system", "assigned", "已派单给维修师傅张建军"),
        (1.5, "cancelled", "owner", "cancelled", "自己换了个新龙头，不用来了"),
    ), None),
    ("fee_question", "5-2-1502", "", "home", "normal", "物业费是按建筑面积算还是按套内面积算？感觉收多了", 2, (
        (0.5, "assigned", "system", "assigned", "已转财务钱丽华核对"),
    ), None),
)


def build_tickets(uow: UnitOfWork, org: DemoOrg, now: datetime) -> int:
    """Tickets in every state with their timelines; all opened at least a day ago."""
    sequence: dict[str, int] = {}
    for kind, label, category, location, urgency, text, days, steps, rating in TICKETS:
        home = org.home(label)
        local = now.astimezone(TZ) - timedelta(days=days)
        created = local.replace(hour=19, minute=20, second=0, microsecond=0)
        key = LETTERS[kind] + created.astimezone(TZ).strftime("%Y%m%d")
        sequence[key] = sequence.get(key, 0) + 1
        ticket = Ticket(
            number=f"{key}{sequence[key]:03d}", kind=kind, community_id=org.community_id,
            home_id=home.id, owner_id=home.owner_id, category=category, location=location,
            urgency=urgency, description=text, status="new", created_at=created,
            updated_at=created, sla_due_at=created + SLA[urgency], rating=rating,
            rating_comment=steps[-1][4] if rating else "",
        )
        uow.session.add(ticket)
        uow.session.flush()
        events = [TicketEvent(ticket_id=ticket.id, at=created, kind="created",
                              actor=f"owner:{home.owner_id}", status_after="new", note=text)]
        for hours, event, who, status, note in steps:
            at = min(created + timedelta(hours=hours), now - timedelta(minutes=5))
            actor = _actor(org, who, home.owner_id)
            events.append(TicketEvent(ticket_id=ticket.id, at=at, kind=event, actor=actor,
                                      status_after=status, note=note))
            ticket.status, ticket.updated_at = status, at
            if event == "assigned" and "staff" not in actor:
                ticket.assignee_staff_id = _assignee(org, note)
            if status == "resolved":
                ticket.resolved_at = at
        uow.session.add_all(events)
    uow.session.flush()
    return len(TICKETS)


def _actor(org: DemoOrg, who: str, owner_id: int) -> str:
    if who == "owner":
        return f"owner:{owner_id}"
    if who.startswith("staff:"):
        role = who.split(":", 1)[1]
        if role == "elevator":
            return f"staff:{org.staff['刘海涛']}"
        return f"staff:{org.staff_id(role)}"
    return who


def _assignee(org: DemoOrg, note: str) -> int | None:
    return next((staff_id for name, staff_id in org.staff.items() if name in note), None)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def build_notices(uow: UnitOfWork, org: DemoOrg, now: datetime) -> None:
    """A water outage tomorrow (building 3), a lift service, an activity, a restored outage."""
    today = now.astimezone(TZ).date()
    tomorrow, saturday = today + timedelta(days=1), today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    lift_day, past = today + timedelta(days=3), today - timedelta(days=10)
    manager = f"staff:{org.staff_id('manager')}"
    rows = (
        ("building", "3", "water_outage", "3号楼计划停水通知",
         f"因3号楼供水主管道阀门更换，{tomorrow:%m月%d日} 9:00-15:00 3号楼全楼停水，请提前储水。如有延时将另行通知，给您带来不便敬请谅解。",
         _at(tomorrow, 9), _at(tomorrow, 15), now - timedelta(hours=3), None),
        ("building", "5", "elevator", "5号楼电梯维护保养通知",
         f"{lift_day:%m月%d日} 9:00-12:00 对5号楼1单元、2单元电梯进行季度维护保养，两部电梯轮流停运，请住户错峰出行，行动不便的住户可联系前台协助。",
         _at(lift_day, 9), _at(lift_day, 12), now - timedelta(hours=20), None),
        ("community", None, "activity", "周末社区便民服务日",
         f"{saturday:%m月%d日}（周六）9:00-11:30 在小区中心广场举办便民服务日：免费磨刀、小家电维修、社区医生义诊、旧衣物回收。欢迎业主参加！",
         _at(saturday, 9), _at(saturday, 11, 30), now - timedelta(days=2), None),
        ("building", "2", "power_outage", "2号楼配电箱检修停电通知",
         f"{past:%m月%d日} 13:00-16:00 对2号楼配电箱进行检修，届时2号楼停电。",
         _at(past, 13), _at(past, 16), now - timedelta(days=12), _at(past, 15, 40)),
        ("community", None, "general", "冬季用水用电安全温馨提示",
         "天气转冷，请注意室外水管防冻；电暖器等大功率电器不要长时间无人使用；电动自行车请到充电棚充电，严禁进楼入户。",
         now - timedelta(days=5), None, now - timedelta(days=5), None),
    )
    for scope, building, kind, title, body, starts, ends, published, restored in rows:
        uow.session.add(Notice(
            community_id=org.community_id, building_id=org.building_ids[building] if building else None,
            scope=scope, kind=kind, title=title, body=body, starts_at=starts, ends_at=ends,
            published_at=published, restored_at=restored, created_by=manager,
        ))


def build_knowledge(uow: UnitOfWork, org: DemoOrg) -> None:
    """FAQ entries (this community's and general ones) and the policies with summaries."""
    for question, answer, keywords, source, own in content.FAQ:
        uow.session.add(FaqEntry(community_id=org.community_id if own else None, question=question,
                                 answer=answer, keywords=keywords, source=source))
    for title, issuer, (year, month, day), topic, summary, keywords in content.POLICIES:
        uow.session.add(Policy(title=title, issuer=issuer, published_on=date(year, month, day),
                               topic=topic, summary=summary, keywords=keywords))


def build_regulator(uow: UnitOfWork, org: DemoOrg, now: datetime) -> None:
    """The district regulator and its rectification notices to the company (one open)."""
    today = now.astimezone(TZ).date()
    uow.session.add(Regulator(name="陈立新", department="北京市朝阳区住房和城乡建设委员会 物业管理科",
                              phone="17100009001"))
    uow.session.add_all([
        RectificationNotice(
            company_id=org.company_id, issued_on=today - timedelta(days=20),
            due_on=today + timedelta(days=10), status="issued",
            reason="检查发现望京花园5号楼地下室消防通道堆放杂物、2号楼部分楼层灭火器过期，"
                   "责令限期清理并更换，整改完成后报送整改报告。"),
        RectificationNotice(
            company_id=org.company_id, issued_on=today - timedelta(days=200),
            due_on=today - timedelta(days=170), status="accepted",
            reason="物业服务收费项目和标准未在小区显著位置公示，责令限期公示。"),
    ])
