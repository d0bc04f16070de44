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
