"""Texts of the open books: expenses, the month's summary for owners, the fund."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "books_bad_category": {
        "zh": "支出类别「{value}」不认识（人工/保洁/秩序维护/绿化/维修/电梯/消防/水电/办公/保险/税费/其他）。",
        "en": "Unknown expense category {value}.",
    },
    "books_bad_amount": {"zh": "金额「{value}」不对：应为正数，最多两位小数，如 1234.50。",
                         "en": "Amount {value} must be positive with at most two decimals, e.g. 1234.50."},
    "books_bad_date": {"zh": "日期「{value}」不对，请写成 YYYY-MM-DD。", "en": "Date {value} must be YYYY-MM-DD."},
    "books_bad_month": {"zh": "月份「{value}」不对，请写成 YYYY-MM。", "en": "Month {value} must be YYYY-MM."},
    "books_too_long": {"zh": "收款方最多200字，备注最多500字。", "en": "Payee up to 200, note up to 500 characters."},
    "import_kind_expenses": {"zh": "支出", "en": "expenses"},
    "import_kind_fund": {"zh": "维修资金对账单", "en": "maintenance fund statement"},
    "import_entity_expense": {"zh": "支出", "en": "expenses"},
    "import_entity_fund_entry": {"zh": "维修资金流水", "en": "fund ledger lines"},
    "import_unknown_expense_category": {"zh": "支出类别不认识 “{value}”", "en": "unknown expense category “{value}”"},
    "import_not_positive": {"zh": "金额应大于0 “{value}”", "en": "amount must be above 0 “{value}”"},
    "import_unknown_fund_kind": {"zh": "类型应为 存入/支出/利息 “{value}”", "en": "type must be deposit/expense/interest “{value}”"},
    "expense_staff": {"zh": "人工", "en": "staff"},
    "expense_cleaning": {"zh": "保洁", "en": "cleaning"},
    "expense_security": {"zh": "秩序维护", "en": "security"},
    "expense_greening": {"zh": "绿化", "en": "greening"},
    "expense_repairs": {"zh": "维修", "en": "repairs"},
    "expense_elevator": {"zh": "电梯", "en": "lifts"},
    "expense_fire_safety": {"zh": "消防", "en": "fire safety"},
    "expense_utilities": {"zh": "公共水电", "en": "shared utilities"},
    "expense_office": {"zh": "办公", "en": "office"},
    "expense_insurance": {"zh": "保险", "en": "insurance"},
    "expense_tax": {"zh": "税费", "en": "tax"},
    "expense_other": {"zh": "其他", "en": "other"},
    "books_summary_head": {"zh": "📒 {community} {month} 收支公开", "en": "📒 {community} {month}: income and spending"},
    "books_income": {"zh": "收入合计 {total}：", "en": "Income {total}:"},
    "books_expenses": {"zh": "支出合计 {total}：", "en": "Spending {total}:"},
    "books_line": {"zh": "· {name} {amount}", "en": "· {name} {amount}"},
    "books_balance": {"zh": "本月结余 {amount}", "en": "Balance for the month {amount}"},
    "books_nothing": {"zh": "（无）", "en": "(none)"},
    "books_ask_detail": {"zh": "想看某一类的明细，可以问“{month}保洁支出明细”。",
                         "en": "For one category's lines, ask e.g. \"cleaning spending {month}\"."},
    "books_source": {"zh": "（数据来源：{company}财务登记，与月度收支报表一致）",
                     "en": "(Source: {company}'s books, the same as the monthly report)"},
    "books_detail_head": {"zh": "📒 {community} {month} {category}支出明细（合计 {total}）：",
                          "en": "📒 {community} {month} {category} spending ({total}):"},
    "books_detail_line": {"zh": "· {date} {payee} {amount}{note}", "en": "· {date} {payee} {amount}{note}"},
    "books_detail_none": {"zh": "{community} {month} 没有登记{category}支出。",
                          "en": "No {category} spending recorded for {community} in {month}."},
    "books_nothing_recorded": {
        "zh": "{community} {month} 还没有登记收支。可致电物业 {phone} 询问。",
        "en": "Nothing is recorded for {community} in {month} yet; the office is at {phone}.",
    },
}

register(TEXTS)

FUND_TEXTS: dict[str, dict[str, str]] = {
    "fund_bad_vote": {"zh": "表决数据不对：同意的人数、面积应大于0且不超过总数。",
                      "en": "The vote figures must be above 0 and at most the totals."},
    "fund_vote_short": {
        "zh": "表决未达到法定比例：同意的业主人数和专有部分面积都至少要过总数的一半（民法典第278条）。",
        "en": "The vote falls short: at least half of all owners and of all floor area must agree (Civil Code art. 278).",
    },
    "fund_bad_title": {"zh": "请填写用途（最多200字），附件最多20个。", "en": "A purpose (≤200 characters) and at most 20 documents."},
    "fund_approved_title": {"zh": "维修资金使用公示：{title}", "en": "Maintenance fund spending: {title}"},
    "fund_approved_notice": {
        "zh": "经业主表决同意，使用专项维修资金 {amount} 用于「{title}」（{date} 通过）。表决结果：同意业主 {owners_for}/{owners_total} 户，同意面积 {area_for}/{area_total} 平方米。表决材料 {documents} 份可到物业服务中心查阅。",
        "en": "The owners approved {amount} of the maintenance fund for {title} on {date}: {owners_for}/{owners_total} owners, {area_for}/{area_total} m². {documents} documents at the office.",
    },
    "books_notice_title": {"zh": "{community} {month} 物业费收支公示", "en": "{community} {month}: income and spending"},
}

register(FUND_TEXTS)
