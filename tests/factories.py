"""A small world of domain rows for tests: one company, one community, a few homes and bills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from storage.models import (
    Bill,
    Building,
    Community,
    Company,
    Home,
    HomeMember,
    Owner,
    Staff,
)
from storage.uow import UnitOfWork


@dataclass
class World:
    company_id: int
    community_id: int
    home_ids: dict[str, int]  # "3-2-501" → id
    owner_ids: dict[str, int]  # phone → id
    staff_ids: dict[str, int]  # role → id


def build_world(uow: UnitOfWork) -> World:
    """Company 京华物业, community 望京花园 with buildings 3 and 12, two owners, some bills."""
    s = uow.session
    company = Company(name="京华物业服务有限公司", qualification_level="一级", phone="010-64001234")
    community = Community(
        name="望京花园", company=company, district="朝阳区", address="北京市朝阳区望京街10号",
        parking_spaces=420, green_area_m2=Decimal("18500.00"), elevators=12,
        cleaning_frequency="公共区域每日两次", patrol_times="每2小时一次，夜间22:00-6:00每小时一次",
        garbage_times="每日7:00、19:00", service_phone="010-64001234",
        emergency_phone="010-64009999", front_desk_hours="8:00-20:00",
    )
    b3 = Building(name="3", community=community, floors=18)
    b12 = Building(name="12", community=community, floors=26)
    h1 = Home(building=b3, unit="2", room="501", area_m2=Decimal("89.50"), property_years=70)
    h2 = Home(building=b3, unit="2", room="502", area_m2=Decimal("120.00"), property_years=70)
    h3 = Home(building=b12, unit="", room="1102", area_m2=Decimal("66.00"), property_years=70)
    wang = Owner(name="王建国", phone="13812345678")
    li = Owner(name="李秀英", phone="13900001111")
    s.add_all([company, community, b3, b12, h1, h2, h3, wang, li])
    s.flush()
    s.add_all([
        HomeMember(home_id=h1.id, owner_id=wang.id, role="owner"),
        HomeMember(home_id=h3.id, owner_id=wang.id, role="owner"),
        HomeMember(home_id=h2.id, owner_id=li.id, role="owner"),
    ])
    repair = Staff(company=company, name="张师傅", phone="13700000001", role="repair",
                   categories="plumbing,electrical", buildings="")
    manager = Staff(company=company, name="赵经理", phone="13700000002", role="manager")
    finance = Staff(company=company, name="钱会计", phone="13700000003", role="finance")
    s.add_all([repair, manager, finance])
    s.add_all([
        Bill(home_id=h1.id, item="property_fee", period="2026-10", amount=Decimal("268.50"),
             due_date=date(2026, 10, 31)),
        Bill(home_id=h1.id, item="property_fee", period="2026-11", amount=Decimal("268.50"),
             due_date=date(2026, 11, 30)),
        Bill(home_id=h1.id, item="water", period="2026-10", amount=Decimal("45.20"),
             due_date=date(2026, 11, 15)),
        Bill(home_id=h1.id, item="property_fee", period="2026-09", amount=Decimal("268.50"),
             due_date=date(2026, 9, 30), status="paid",
             paid_at=datetime.fromisoformat("2026-09-20T10:00:00+08:00")),
        Bill(home_id=h2.id, item="property_fee", period="2026-11", amount=Decimal("360.00"),
             due_date=date(2026, 11, 30)),
    ])
    s.flush()
    add_reference_content(uow, community.id, company.id)  # contract, fund, FAQ, policies (below)
    return World(
        company_id=company.id,
        community_id=community.id,
        home_ids={"3-2-501": h1.id, "3-2-502": h2.id, "12-1102": h3.id},
        owner_ids={wang.phone: wang.id, li.phone: li.id},
        staff_ids={"repair": repair.id, "manager": manager.id, "finance": finance.id},
    )


def add_reference_content(uow: UnitOfWork, community_id: int, company_id: int) -> None:
    """望京花园's service contract, maintenance fund ledger, FAQ entries, and two policies.

    Fee 3.00 元/㎡·月 × 89.50㎡ = 268.50 (3-2-501's bills). Fund balance: 3,200,000.00 +
    45,600.00 − 186,000.00 − 52,300.00 = 3,007,300.00.
    """
    # Imported here so that this block stays an append-only addition to the module.
    from storage.models import FaqEntry, MaintenanceFundEntry, Policy, ServiceContract

    terms = "\n".join([
        "物业服务费按建筑面积每月每平方米3.00元计收，按月缴纳，每月最后一日前缴清当月费用。",
        "业主逾期缴纳物业服务费的，自逾期之日起按日加收未缴金额万分之三的滞纳金。",
        "物业服务企业负责共用部位、共用设施设备的日常维修养护，电梯每15日至少维护保养一次。",
        "业主装修前应到物业服务中心办理装修登记，装修垃圾应袋装后堆放至指定地点，"
        "施工时间为工作日8:00-12:00、14:00-18:00。",
        "公共区域保洁每日两次，生活垃圾每日清运两次。",
        "秩序维护人员24小时值守，每2小时巡逻一次。",
        "业主饲养宠物应遵守养犬管理规定，文明遛犬，及时清理宠物粪便。",
        "本合同期满前三个月，业主大会可决定续聘或选聘物业服务企业。",
    ])
    uow.session.add_all([
        ServiceContract(
            community_id=community_id, company_id=company_id, title="望京花园物业服务合同",
            start_date=date(2024, 1, 1), end_date=date(2026, 12, 31),
            fee_per_m2=Decimal("3.00"), terms=terms,
        ),
        MaintenanceFundEntry(community_id=community_id, occurred_on=date(2015, 6, 30),
                             kind="deposit", amount=Decimal("3200000.00"),
                             description="首期专项维修资金归集"),
        MaintenanceFundEntry(community_id=community_id, occurred_on=date(2025, 12, 31),
                             kind="interest", amount=Decimal("45600.00"),
                             description="2025年度利息"),
        MaintenanceFundEntry(community_id=community_id, occurred_on=date(2025, 8, 15),
                             kind="expense", amount=Decimal("186000.00"),
                             description="3号楼电梯更换主机及控制柜",
                             approval="业主大会表决通过，双三分之二参与、双过半同意"),
        MaintenanceFundEntry(community_id=community_id, occurred_on=date(2026, 6, 20),
                             kind="expense", amount=Decimal("52300.00"),
                             description="12号楼屋面防水维修",
                             approval="业主大会表决通过，双三分之二参与、双过半同意"),
        FaqEntry(community_id=community_id, question="装修需要办理什么手续",
                 answer="装修前请携带房产证（或购房合同）和身份证到物业服务中心办理装修登记，"
                        "签订装修管理协议后领取装修施工许可证。",
                 keywords="装修手续,装修登记,装修许可", source="望京花园《装修管理规定》"),
        FaqEntry(community_id=community_id, question="小区有游泳池吗",
                 answer="小区没有游泳池；会所内有健身房，每天7:00-21:00开放，凭业主卡进入。",
                 keywords="游泳池,健身房,会所", source="望京花园物业服务中心"),
        FaqEntry(community_id=None, question="门禁卡丢了怎么补办",
                 answer="请携带身份证到物业服务中心补办门禁卡，工本费20元，当场办理。",
                 keywords="门禁卡,门卡,补办", source="京华物业《业主手册》"),
        Policy(title="北京市住宅专项维修资金管理办法", issuer="北京市住房和城乡建设委员会",
               published_on=date(2021, 6, 1), topic="fund",
               keywords="维修资金,维修基金,专项维修资金",
               summary="维修资金专用于住宅共用部位、共用设施设备保修期满后的维修、更新和改造；"
                       "使用前须经业主大会表决，双三分之二以上业主参与、参与者双过半同意；"
                       "危及房屋安全等紧急情况可以申请应急使用。",
               url="http://zjw.beijing.gov.cn/"),
        Policy(title="北京市物业服务收费政策解读", issuer="北京市发展和改革委员会",
               published_on=date(2022, 3, 15), topic="fee",
               keywords="物业费,收费标准,滞纳金,定价",
               summary="普通住宅前期物业服务收费实行政府指导价，其他实行市场调节价；"
                       "物业服务企业应在显著位置公示收费项目、标准和服务内容，不得收取未公示的费用。",
               url="http://fgw.beijing.gov.cn/"),
    ])
    uow.session.flush()


# -- tickets and staff (appended) ---------------------------------------------------------


def add_staff(
    uow: UnitOfWork, company_id: int, name: str, phone: str, role: str,
    categories: str = "", buildings: str = "", on_duty: bool = True,
) -> int:
    """One more staff member of a company; returns the id."""
    member = Staff(company_id=company_id, name=name, phone=phone, role=role,
                   categories=categories, buildings=buildings, on_duty=on_duty)
    uow.session.add(member)
    uow.session.flush()
    return member.id


def add_other_company(uow: UnitOfWork) -> dict[str, int]:
    """A second company serving 朝阳新城, with a repair technician and a home of its own."""
    company = Company(name="安居物业管理有限公司", phone="010-85550000")
    community = Community(name="朝阳新城", company=company, emergency_phone="010-85559999",
                          service_phone="010-85550000", front_desk_hours="9:00-18:00")
    building = Building(name="1", community=community, floors=10)
    home = Home(building=building, unit="1", room="101", area_m2=Decimal("70.00"))
    owner = Owner(name="赵丽", phone="13600002222")
    uow.session.add_all([company, community, building, home, owner])
    uow.session.flush()
    uow.session.add(HomeMember(home_id=home.id, owner_id=owner.id, role="owner"))
    staff_id = add_staff(uow, company.id, "孙师傅", "13700009999", "repair")
    return {"company_id": company.id, "community_id": community.id, "home_id": home.id,
            "owner_id": owner.id, "staff_id": staff_id}


def bind_identity(
    uow: UnitOfWork, channel: str, external_id: str, now: datetime, *,
    owner_id: int | None = None, home_id: int | None = None, staff_id: int | None = None,
    verified: bool = True,
) -> int:
    """A chat account bound to an owner (and home) or to a staff member; returns its id."""
    from storage.models import ChannelIdentity

    identity = ChannelIdentity(channel=channel, external_id=external_id, created_at=now,
                               owner_id=owner_id, home_id=home_id, staff_id=staff_id,
                               verified=verified)
    uow.session.add(identity)
    uow.session.flush()
    return identity.id


# -- notices and residents (appended for the scheduled jobs) ------------------------------


def add_resident(uow: UnitOfWork, home_id: int, name: str, phone: str, role: str = "owner") -> int:
    """One more person living in a home (owner, resident or tenant); returns the owner id."""
    person = Owner(name=name, phone=phone)
    uow.session.add(person)
    uow.session.flush()
    uow.session.add(HomeMember(home_id=home_id, owner_id=person.id, role=role))
    uow.session.flush()
    return person.id


def add_notice(
    uow: UnitOfWork, community_id: int, kind: str, title: str, *,
    starts_at: datetime, published_at: datetime, ends_at: datetime | None = None,
    building_id: int | None = None, home_id: int | None = None, body: str = "",
) -> int:
    """A published notice to a community, one building (building_id) or one home (home_id)."""
    from storage.models import Notice

    scope = "home" if home_id else "building" if building_id else "community"
    notice = Notice(community_id=community_id, building_id=building_id, home_id=home_id,
                    scope=scope, kind=kind, title=title, body=body, starts_at=starts_at,
                    ends_at=ends_at, published_at=published_at, created_by="test")
    uow.session.add(notice)
    uow.session.flush()
    return notice.id
