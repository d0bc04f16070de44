"""Texts of the office console: API error messages, CLI lines, pages' fixed wording."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "console_unauthorized": {"zh": "请先登录。", "en": "Please log in."},
    "console_bad_login": {"zh": "手机号或密码不正确。", "en": "Wrong phone or password."},
    "console_throttled": {
        "zh": "尝试次数过多，请 {minutes} 分钟后再试。",
        "en": "Too many attempts; try again in {minutes} minutes.",
    },
    "console_forbidden": {"zh": "您的角色无权进行此操作。", "en": "Your role may not do this."},
    "console_not_found": {"zh": "没有找到。", "en": "Not found."},
    "console_csrf": {
        "zh": "页面已过期，请刷新后重试。", "en": "The page has expired; reload and try again.",
    },
    "console_invalid": {"zh": "请求有误：{detail}", "en": "Invalid request: {detail}"},
    "console_password_short": {
        "zh": "密码至少需要 {min} 个字符。", "en": "The password needs at least {min} characters.",
    },
    "console_password_is_phone": {
        "zh": "密码不能与手机号相同。", "en": "The password must not be the phone number.",
    },
    "console_no_staff": {
        "zh": "没有手机号为 {phone} 的员工（先用 import staff 导入）。",
        "en": "No staff member has the phone {phone} (import staff first).",
    },
    "console_many_companies": {
        "zh": "{phone} 在多家公司任职：请用 --company 指定（{companies}）。",
        "en": "{phone} works for several companies; pick one with --company ({companies}).",
    },
    "console_phone_taken": {
        "zh": "{phone} 已是另一家公司的控制台账号。", "en": "{phone} already logs in for another company.",
    },
    "console_password_set": {
        "zh": "已为 {phone}（{name}，{role}）设置控制台密码。",
        "en": "Console password set for {phone} ({name}, {role}).",
    },
}
register(TEXTS)

TEXTS_LIVE: dict[str, dict[str, str]] = {
    "console_push_new": {
        "zh": "【转人工 {number}】{home} 业主：{text}\n在控制台接待：{link}\n或直接回复：回复 {number} 您的回答",
        "en": "[Handoff {number}] {home}: {text}\nAnswer in the console: {link}\nor reply: 回复 {number} your answer",
    },
    "console_push_message": {
        "zh": "【{number}】{home} 业主：{text}\n回复：回复 {number} 您的回答",
        "en": "[{number}] {home}: {text}\nReply: 回复 {number} your answer",
    },
    "console_push_assigned": {
        "zh": "【{number}】已转给您接待：{home}\n{link}",
        "en": "[{number}] Handed to you: {home}\n{link}",
    },
    "console_push_escalated": {
        "zh": "【{number} 超时未接待】{home} 业主已等待 {minutes} 分钟：{link}",
        "en": "[{number} unanswered] {home} has waited {minutes} minutes: {link}",
    },
    "console_staff_reply": {"zh": "【物业前台 {name}】{text}", "en": "[Front desk, {name}] {text}"},
    "console_new_reply_template": {"zh": "新回复", "en": "New reply"},
    "console_closed_owner": {
        "zh": "本次人工服务已结束，智能助手继续为您服务。还有问题随时发消息给我。",
        "en": "The front desk has closed this conversation; the assistant is back. Write any time.",
    },
    "console_phone_sent": {"zh": "已发送给业主（{number}）。", "en": "Sent to the owner ({number})."},
    "console_phone_no_conversation": {
        "zh": "没有找到进行中的会话 {number}。", "en": "No open conversation {number}.",
    },
    "console_closed_conflict": {"zh": "会话已结束，不能再回复。", "en": "The conversation is closed."},
    "console_bad_assignee": {
        "zh": "只能转给本公司的前台、经理或管理员。", "en": "Only a colleague at the desk can take it.",
    },
    "console_empty_reply": {"zh": "回复不能为空。", "en": "The reply is empty."},
}
register(TEXTS_LIVE)
