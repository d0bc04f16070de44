"""Texts of the home record, contract, facilities, service standard, maintenance fund, policies."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "info_house": {
        "zh": "{community} {home} 房屋信息：\n· 建筑面积：{area}㎡\n· 产权年限：{years}年{remaining}\n· 登记业主{owners}人，其他住户{residents}人",
        "en": "{home}, {community}:\n· floor area: {area} m²\n· property right: {years} years{remaining}\n· {owners} registered owner(s), {residents} other resident(s)",
    },
    "info_house_remaining": {
        "zh": "（自{start}起，至{end}止，还剩约{left_years}年{left_months}个月）",
        "en": " (from {start} to {end}, about {left_years} years {left_months} months left)",
    },
    "info_house_expired": {
        "zh": "（自{start}起，已于{end}到期，请咨询不动产登记部门办理续期）",
        "en": " (from {start}, ended on {end}; ask the real-estate registry about renewal)",
    },
    "info_house_no_start": {
        "zh": "（起始日期未登记，请以不动产权证书为准）",
        "en": " (start date not on record; your property certificate is authoritative)",
    },
    "info_source_house": {
        "zh": "（来源：{company}房屋档案）",
        "en": "(Source: {company} home records)",
    },
    "info_contract": {
        "zh": "《{title}》\n· 合同期：{start} 至 {end}（{status}）\n· 物业服务企业：{company}\n· 收费标准：物业费 {price}元/㎡·月",
        "en": "\"{title}\"\n· term: {start} to {end} ({status})\n· service company: {company}\n· fee: property fee ¥{price} per m² per month",
    },
    "info_contract_active": {"zh": "执行中", "en": "in force"},
    "info_contract_ended": {"zh": "已到期", "en": "ended"},
    "info_contract_pending": {"zh": "尚未生效", "en": "not yet in force"},
    "info_contract_matched": {"zh": "与您问题相关的条款：", "en": "Clauses about your question:"},
    "info_contract_main": {"zh": "主要条款：", "en": "Main clauses:"},
    "info_contract_more": {
        "zh": "……共{count}条，可以直接问具体内容，例如“合同里装修是怎么规定的”。",
        "en": "… {count} clauses in all; ask about a topic, e.g. \"what does the contract say about renovation\".",
    },
    "info_source_contract": {"zh": "（来源：《{title}》）", "en": "(Source: \"{title}\")"},
    "info_no_contract": {
        "zh": "系统里还没有{community}的物业服务合同，请到物业服务中心查阅，电话{phone}。",
        "en": "The service contract of {community} is not on record here; please ask the property office ({phone}).",
    },
    "info_facilities": {
        "zh": "{community} 公共设施：\n· 机动车停车位：{parking}个\n· 绿地面积：{green}㎡\n· 电梯：{elevators}部\n· 地址：{address}",
        "en": "Facilities of {community}:\n· parking spaces: {parking}\n· green area: {green} m²\n· elevators: {elevators}\n· address: {address}",
    },
    "info_community_not_bound": {
        "zh": "您还没有绑定房屋。小区的设施、服务标准、物业合同和维修资金等信息只向本小区住户提供，绑定房屋后就能查看。绑定方法：发送物业给您的邀请码（例如“绑定 AB12CD34”），或发送“绑定 3号楼2单元501 手机号”。物业相关政策现在就可以问我。",
        "en": "This chat is not linked to a home yet. Community information (facilities, service standards, the service contract, the maintenance fund) is shown to residents of the community once their home is linked. To link it, send the invite code from the property office (e.g. \"bind AB12CD34\"), or your home and registered phone number. You can ask about property policies right away.",
    },
    "info_source_community": {
        "zh": "（来源：{company}公示的{community}小区信息）",
        "en": "(Source: {community} information published by {company})",
    },
    "info_standard_head": {"zh": "{community} 物业服务标准：", "en": "Service standard of {community}:"},
    "info_std_cleaning": {"zh": "· 保洁：{value}", "en": "· cleaning: {value}"},
    "info_std_patrol": {"zh": "· 秩序维护巡逻：{value}", "en": "· security patrols: {value}"},
    "info_std_garbage": {"zh": "· 垃圾清运：{value}", "en": "· garbage collection: {value}"},
    "info_std_desk": {"zh": "· 服务中心前台：{value}", "en": "· front desk hours: {value}"},
    "info_std_phone": {"zh": "· 服务电话：{value}", "en": "· service phone: {value}"},
    "info_std_emergency": {"zh": "· 24小时应急电话：{value}", "en": "· 24-hour emergency line: {value}"},
    "info_fund_head": {
        "zh": "{community} 专项维修资金：\n· 当前余额：{balance}（累计缴存{deposits}，利息{interest}，已使用{expenses}）",
        "en": "Maintenance fund of {community}:\n· balance: {balance} (deposits {deposits}, interest {interest}, spent {expenses})",
    },
    "info_fund_recent": {"zh": "最近的使用记录：", "en": "Latest expenses:"},
    "info_fund_matched": {"zh": "与您问题相关的使用记录：", "en": "Expenses about your question:"},
    "info_fund_line": {"zh": "· {date} {what}：{amount}（{approval}）", "en": "· {date} {what}: {amount} ({approval})"},
    "info_fund_no_approval": {"zh": "审批信息未登记", "en": "approval not on record"},
    "info_fund_none": {"zh": "暂无使用记录。", "en": "No expenses yet."},
    "info_fund_empty": {
        "zh": "系统里还没有{community}的维修资金账目，请咨询物业服务中心，电话{phone}。",
        "en": "The maintenance fund ledger of {community} is not on record here; please ask the property office ({phone}).",
    },
    "info_source_fund": {
        "zh": "（来源：{community}专项维修资金账目，数据截至{date}）",
        "en": "(Source: {community} maintenance fund ledger, as of {date})",
    },
    "info_policy": {
        "zh": "《{title}》\n{issuer}，{date}发布\n解读：{summary}",
        "en": "\"{title}\"\n{issuer}, published {date}\nIn plain words: {summary}",
    },
    "info_policy_url": {"zh": "原文：{url}", "en": "Full text: {url}"},
    "info_source_policy": {"zh": "（来源：{issuer}）", "en": "(Source: {issuer})"},
    "info_policy_list": {
        "zh": "我整理了以下物业相关政策，可以问我具体哪一项，例如“维修资金怎么使用”：",
        "en": "These are the property policies I know; ask about one, e.g. \"how can the maintenance fund be used\":",
    },
    "info_policy_none": {
        "zh": "暂时没有整理相关政策，建议咨询北京市住房和城乡建设委员会（12345市民热线）。",
        "en": "I have no policy on this yet; the Beijing Municipal Commission of Housing and Urban-Rural Development (hotline 12345) can help.",
    },
}

register(TEXTS)
