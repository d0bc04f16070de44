"""Texts of broadcast notices (`notice create`) and of the sender's command line."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "broadcast_head_water_outage": {"zh": "【停水通知】", "en": "[Water outage]"},
    "broadcast_head_power_outage": {"zh": "【停电通知】", "en": "[Power outage]"},
    "broadcast_head_gas_outage": {"zh": "【停气通知】", "en": "[Gas outage]"},
    "broadcast_head_elevator": {"zh": "【电梯停运通知】", "en": "[Lift out of service]"},
    "broadcast_head_activity": {"zh": "【社区活动】", "en": "[Community event]"},
    "broadcast_head_general": {"zh": "【物业通知】", "en": "[Notice]"},
    "broadcast_push": {
        "zh": "{head}{title}\n时间：{window}\n范围：{scope}\n{body}",
        "en": "{head} {title}\nWhen: {window}\nWhere: {scope}\n{body}",
    },
    "broadcast_scope_community": {"zh": "{community}全体住户", "en": "all of {community}"},
    "broadcast_scope_building": {
        "zh": "{community} {building}号楼", "en": "{community}, building {building}",
    },
    "broadcast_default_title": {"zh": "{scope}{kind}", "en": "{kind}: {scope}"},
    "broadcast_no_community": {"zh": "没有找到小区“{name}”。", "en": "No community called “{name}”."},
    "broadcast_no_building": {
        "zh": "{community}没有{building}号楼。", "en": "{community} has no building {building}.",
    },
    "broadcast_bad_kind": {
        "zh": "公告类型“{kind}”无效，可选：{kinds}。",
        "en": "Unknown notice kind “{kind}”; choose one of: {kinds}.",
    },
    "broadcast_bad_window": {
        "zh": "结束时间不能早于开始时间。", "en": "The end cannot be before the start.",
    },
    "broadcast_bad_time": {
        "zh": "时间“{value}”无法识别，请写成 2026-11-28 09:00。",
        "en": "Cannot read the time “{value}”; write it like 2026-11-28 09:00.",
    },
    "broadcast_no_notice": {"zh": "没有编号为 {id} 的公告。", "en": "There is no notice number {id}."},
    "broadcast_restored": {
        "zh": "公告 {id}「{title}」已标记为恢复（{at}），将推送恢复通知。",
        "en": "Notice {id} “{title}” marked restored ({at}); owners will be told.",
    },
    "broadcast_empty_text": {"zh": "公告内容不能为空。", "en": "The notice text is empty."},
    "broadcast_progress": {"zh": "排队推送", "en": "Queueing pushes"},
    "broadcast_published": {
        "zh": "已发布公告 #{id}「{title}」：{scope}，{queued} 条推送已排队（共 {recipients} 个聊天账号）。",
        "en": "Published notice #{id} “{title}” to {scope}: {queued} pushes queued ({recipients} chat accounts).",
    },
    "sender_summary": {
        "zh": "推送结束：发送 {sent}，稍后重试 {pending}，失败 {failed}，已屏蔽 {blocked}，跳过 {skipped}。",
        "en": "Sender done: {sent} sent, {pending} to retry, {failed} failed, {blocked} blocked, {skipped} skipped.",
    },
    "sender_requeued": {
        "zh": "已重新排队 {count} 条推送（{statuses}）。",
        "en": "Requeued {count} pushes ({statuses}).",
    },
    "sender_requeue_nothing": {
        "zh": "请指定 --failed 和/或 --unknown。",
        "en": "Give --failed and/or --unknown.",
    },
}

register(TEXTS)
