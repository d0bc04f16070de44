"""Texts of operations: service plans and tasks, the duty rota, staff lifecycle, open books."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "ops_forbidden": {"zh": "您的岗位没有这项权限。", "en": "Your role may not do this."},
    "ops_no_community": {"zh": "没有找到小区「{name}」。", "en": "No community called {name}."},
    "ops_no_staff": {"zh": "没有找到在职员工「{who}」。", "en": "No active staff member {who}."},
    "rota_bad_kind": {"zh": "班次类型「{kind}」不对，可选：{kinds}。", "en": "Shift kind {kind} is not one of {kinds}."},
    "rota_wrong_role": {"zh": "{name} 的岗位是 {role}，不能排 {wanted} 的班。",
                        "en": "{name} works as {role}, not {wanted}."},
    "rota_bad_times": {"zh": "班次时间不对：结束要晚于开始，且一班不超过48小时。",
                       "en": "A shift must end after it starts and last at most 48 hours."},
    "rota_bad_repeat": {"zh": "连续排班天数应在1到{limit}之间。", "en": "Repeat between 1 and {limit} days."},
}

register(TEXTS)

TASK_TEXTS: dict[str, dict[str, str]] = {
    "plan_bad_schedule": {
        "zh": "计划周期「{value}」看不懂。可写：daily 08:00 / weekly mon,thu 09:00 / monthly 1 08:00 / 0 9 * * 0（分 时 日 月 周，周一为0）。",
        "en": "Cannot read schedule {value!r}: use daily 08:00, weekly mon,thu 09:00, monthly 1 08:00, or 0 9 * * 0 (minute hour day month weekday, Monday = 0).",
    },
    "plan_bad_title": {"zh": "计划名称不能为空，最多{limit}字。", "en": "A plan needs a title of at most {limit} characters."},
    "plan_bad_checklist": {"zh": "检查清单最多{items}项，每项最多{chars}字。",
                           "en": "A checklist has at most {items} items of {chars} characters."},
    "plan_bad_role": {"zh": "岗位「{role}」不认识（经理/维修/保洁/保安/财务/前台）。",
                      "en": "Unknown role {role} (manager/repair/cleaning/security/finance/front_desk)."},
    "plan_needs_who": {"zh": "请指定由哪个岗位或哪些员工执行。", "en": "Say which role or which people do it."},
    "plan_bad_building": {"zh": "{community}没有「{building}」这栋楼。", "en": "{community} has no building {building}."},
    "plan_bad_window": {"zh": "完成时限应在{low}到{high}分钟之间。", "en": "The window must be {low}–{high} minutes."},
    "task_card": {
        "zh": "【服务任务】T{id} {title}\n地点：{where}\n请在 {due} 前完成",
        "en": "[Service task] T{id} {title}\nWhere: {where}\nDue {due}",
    },
    "task_photo_required": {"zh": "需拍照（已收到{count}张）", "en": "Photo required ({count} received)"},
    "btn_task_done": {"zh": "完成", "en": "Done"},
    "btn_task_photo": {"zh": "拍照上传", "en": "Send photo"},
    "task_bad_item": {"zh": "清单只有{size}项，请发「勾选 1 3」这样的编号。",
                      "en": "The checklist has {size} items; send e.g. \"check 1 3\"."},
    "task_too_many_photos": {"zh": "每个任务最多{limit}张照片。", "en": "At most {limit} photos per task."},
    "task_already_done": {"zh": "任务T{id}已经完成了。", "en": "Task T{id} is already done."},
    "task_needs_photo": {"zh": "任务T{id}需要拍照，请发一张现场照片，收到后自动完成。",
                         "en": "Task T{id} needs a photo: send one and it is done."},
    "task_not_found": {"zh": "没有找到任务T{id}。", "en": "No task T{id}."},
    "task_none": {"zh": "您现在没有待办的服务任务。", "en": "You have no open service tasks."},
    "task_send_photo": {"zh": "请发送任务T{id}的现场照片。", "en": "Send the photo for task T{id}."},
    "task_photo_kept": {"zh": "任务T{id}的照片已收到（共{count}张）。", "en": "Photo kept for task T{id} ({count} so far)."},
    "task_done_ok": {"zh": "✅ 任务T{id}已完成，辛苦了！", "en": "✅ Task T{id} done, thank you!"},
    "task_done_late": {"zh": "✅ 任务T{id}已完成（已超过时限，经理会收到提醒）。",
                       "en": "✅ Task T{id} done (late; the manager is told)."},
    "task_flow_hint": {"zh": "任务T{id}：发照片、发「勾选 1 3」勾选清单项，或发「完成」。",
                       "en": "Task T{id}: send a photo, \"check 1 3\" to tick items, or \"done\"."},
    "task_missed": {
        "zh": "【任务未完成】T{id} {title}（{community}）已过时限 {due}，执行人：{staff}。",
        "en": "[Missed task] T{id} {title} ({community}) was due {due}; assigned to {staff}.",
    },
    "task_late": {
        "zh": "【任务超时完成】T{id} {title}（{community}）时限 {due}，{staff} 已超时完成。",
        "en": "[Late task] T{id} {title} ({community}) due {due} was done late by {staff}.",
    },
    "task_nobody": {"zh": "无人值班", "en": "nobody on duty"},
}

register(TASK_TEXTS)

STAFF_TEXTS: dict[str, dict[str, str]] = {
    "staff_needs_name_phone": {"zh": "请填写姓名和电话。", "en": "Name and phone are required."},
    "staff_already_active": {"zh": "{name} 已经在职。", "en": "{name} already works here."},
    "staff_many_companies": {"zh": "电话 {who} 在多家公司任职，请指定公司。", "en": "{who} works for several companies: name one."},
}

register(STAFF_TEXTS)

PLAN_INFO_TEXTS: dict[str, dict[str, str]] = {
    "plan_info_head": {"zh": "服务计划执行情况：", "en": "Service plans:"},
    "plan_info_line": {"zh": "· {title}：{schedule}；{last}", "en": "· {title}: {schedule}; {last}"},
    "plan_info_last": {"zh": "最近一次完成于 {date}", "en": "last done on {date}"},
    "plan_info_never": {"zh": "暂无完成记录", "en": "not done yet"},
}

register(PLAN_INFO_TEXTS)
