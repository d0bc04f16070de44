"""Texts of notices and notification settings."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "notice_kind_water_outage": {"zh": "停水", "en": "Water outage"},
    "notice_kind_power_outage": {"zh": "停电", "en": "Power outage"},
    "notice_kind_gas_outage": {"zh": "停气", "en": "Gas outage"},
    "notice_kind_elevator": {"zh": "电梯", "en": "Lift"},
    "notice_kind_activity": {"zh": "活动", "en": "Event"},
    "notice_kind_general": {"zh": "通知", "en": "Notice"},
    "notice_kind_any": {"zh": "通知", "en": "notices"},
    "notice_none": {
        "zh": "近期没有涉及 {home} 的{what}安排。",
        "en": "No {what} planned for {home} at the moment.",
    },
    "notice_others": {"zh": "其他近期通知：", "en": "Other recent notices:"},
    "notice_head": {"zh": "{home} 近期通知（{n}条）：", "en": "Notices for {home} ({n}):"},
    "notice_line": {
        "zh": "【{kind}】{title}\n时间：{window}（{state}）\n{body}",
        "en": "[{kind}] {title}\nWhen: {window} ({state})\n{body}",
    },
    "notice_state_upcoming": {"zh": "即将开始", "en": "upcoming"},
    "notice_state_ongoing": {"zh": "进行中", "en": "under way"},
    "notice_state_ended": {"zh": "已结束", "en": "over"},
    "notice_state_restored": {"zh": "已于 {at} 恢复", "en": "restored at {at}"},
    "notify_settings_head": {"zh": "当前推送设置：", "en": "Your notification settings:"},
    "notify_settings_line": {"zh": "· {what}：{state}", "en": "· {what}: {state}"},
    "notify_on": {"zh": "开", "en": "on"},
    "notify_off": {"zh": "关", "en": "off"},
    "pref_notify_bills": {"zh": "账单提醒", "en": "Bill reminders"},
    "pref_notify_notices": {"zh": "停水停电等公告", "en": "Outage and other notices"},
    "pref_notify_tickets": {"zh": "工单进度", "en": "Ticket updates"},
    "notify_btn_turn_off": {"zh": "关闭{what}", "en": "Turn off {what}"},
    "notify_btn_turn_on": {"zh": "开启{what}", "en": "Turn on {what}"},
    "notify_btn_all_off": {"zh": "全部关闭", "en": "Turn all off"},
    "notify_btn_all_on": {"zh": "全部开启", "en": "Turn all on"},
    "notify_pref_changed": {"zh": "已为您更新推送设置。", "en": "Your settings were updated."},
    "notify_all_on": {"zh": "已为您开启全部推送。", "en": "All notifications are on again."},
    "notify_all_off": {
        "zh": "好的，已关闭全部推送，不会再给您发账单提醒、公告和工单进度。停水、停电等涉及安全的通知，如物业设为必达，仍会发送。想恢复时说“打开通知”即可。",
        "en": "Done: no more bill reminders, notices or ticket updates. Safety notices (water, power, gas, lift outages) may still come if the property office made them mandatory. Say \"turn on notifications\" to undo.",
    },
}

register(TEXTS)
