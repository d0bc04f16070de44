"""Texts of the clock-driven pushes: bill reminders, notice reminders, escalations, digest."""

from handlers.texts import register

_BILLS: dict[str, dict[str, str]] = {
    "job_bill_head": {
        "zh": "【缴费提醒】{name}您好，以下费用请及时缴纳：",
        "en": "[Bill reminder] Hello {name}, these bills are due:",
    },
    "job_bill_home": {"zh": "{home}：", "en": "{home}:"},
    "job_bill_total": {"zh": "合计：{total}", "en": "Total: {total}"},
    "job_bill_late": {
        "zh": "其中逾期费用截至今天的滞纳金合计{fee}（不含在合计中，以物业财务核定为准）。",
        "en": "Late fees on the overdue bills so far: {fee} (not in the total; the finance office confirms the final amount).",
    },
    "job_bill_foot": {
        "zh": "已缴请忽略。如需关闭账单提醒，请回复“关闭账单提醒”。",
        "en": "Already paid? Please ignore this. Reply \"turn off bill reminders\" to stop these.",
    },
    "job_btn_pay": {"zh": "去缴费", "en": "Pay now"},
    "job_btn_pay_home": {"zh": "缴纳 {home}", "en": "Pay {home}"},
}

_NOTICES: dict[str, dict[str, str]] = {
    "job_notice_published": {
        "zh": "【{kind}通知】{title}\n时间：{window}\n{body}",
        "en": "[{kind}] {title}\nWhen: {window}\n{body}",
    },
    "job_notice_before_start": {
        "zh": "【{kind}提醒】{title} 将于 {start} 开始（{window}），请提前做好准备。\n{body}",
        "en": "[{kind} reminder] {title} starts at {start} ({window}). Please get ready.\n{body}",
    },
    "job_notice_restored": {
        "zh": "【恢复通知】{title}：已于 {at} 恢复，感谢您的理解与配合。",
        "en": "[Restored] {title}: back to normal since {at}. Thank you for your patience.",
    },
}

_TICKETS: dict[str, dict[str, str]] = {
    "staff_push_escalated_unassigned": {
        "zh": "【升级·无人接单】工单 {number} 提交后长时间无人接单，请尽快派单。",
        "en": "[Escalated: unassigned] Nobody has taken ticket {number} for a while; please assign it.",
    },
    "staff_push_escalated_overdue": {
        "zh": "【升级·已超时】工单 {number} 已超过处理时限仍未完成，请跟进。",
        "en": "[Escalated: late] Ticket {number} is past its deadline and still open; please follow up.",
    },
    "job_satisfaction": {
        "zh": "【回访】您的工单 {number}（{what}）已处理完成。问题解决了吗？您满意吗？请打分（4-5星满意，3星基本满意，1-2星不满意）；如果问题没解决，请点“没修好”。",
        "en": "[Follow-up] Your ticket {number} ({what}) was completed. Is it solved, and are you satisfied? Please rate it (4-5 stars satisfied, 3 fair, 1-2 not satisfied); if it is not solved, tap \"Not fixed\".",
    },
}

_DIGEST: dict[str, dict[str, str]] = {
    "job_digest_head": {
        "zh": "【每日简报】{date} {company}",
        "en": "[Daily digest] {date} {company}",
    },
    "job_digest_open": {
        "zh": "· 未完成工单：{open} 件（其中超时 {overdue} 件）",
        "en": "· Open tickets: {open} ({overdue} past the deadline)",
    },
    "job_digest_overdue_list": {"zh": "  超时：{numbers}", "en": "  Late: {numbers}"},
    "job_digest_yesterday": {
        "zh": "· 昨日新增工单：{created} 件；收到评价 {rated} 条{average}",
        "en": "· Yesterday: {created} new tickets; {rated} ratings{average}",
    },
    "job_digest_average": {"zh": "，平均 {average} 星", "en": ", average {average} stars"},
    "job_digest_notices": {"zh": "· 今日公告：", "en": "· Today's notices:"},
    "job_digest_notice_line": {
        "zh": "  {community}【{kind}】{title}（{window}）",
        "en": "  {community} [{kind}] {title} ({window})",
    },
    "job_digest_no_notices": {"zh": "· 今日公告：无", "en": "· Today's notices: none"},
}

TEXTS: dict[str, dict[str, str]] = {**_BILLS, **_NOTICES, **_TICKETS, **_DIGEST}

register(TEXTS)
