"""Texts of emergencies: who to call first, the property's line (or honestly none), place, incidents."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "emg_head_gas": {"zh": "⚠️ 紧急情况！", "en": "⚠️ Emergency!"},
    "emg_head_lift": {"zh": "⚠️ 紧急情况！", "en": "⚠️ Emergency!"},
    "emg_head_fire": {"zh": "⚠️ 紧急情况！如已起火请立即拨打火警119！", "en": "⚠️ Emergency! If anything is burning, call 119 now!"},
    "emg_head_medical": {"zh": "⚠️ 紧急情况！请立即拨打急救电话120！", "en": "⚠️ Emergency! Call an ambulance on 120 now!"},
    "emg_head_locked_in": {
        "zh": "⚠️ 紧急情况！如有孩子或老人被困、有危险，请立即拨打119（消防救援）或110！",
        "en": "⚠️ Emergency! If a child or an elderly person is locked in or in danger, call 119 (fire rescue) or 110 now!",
    },
    "emg_head_intruder": {"zh": "⚠️ 紧急情况！请立即拨打报警电话110！", "en": "⚠️ Emergency! Call the police on 110 now!"},
    "emg_advice_medical": {
        "zh": "不要随意搬动摔倒或昏迷的人（怀疑骨折、头部受伤时尤其不要）；保持呼吸通畅，注意保暖；打电话时说清楚小区、楼号、单元和门牌号，并派人到楼下接救护车。",
        "en": "Do not move someone who fell or is unconscious (never with a suspected fracture or head injury); keep the airway clear and keep them warm; give the ambulance the community, building, unit and room, and send someone down to meet it.",
    },
    "emg_advice_locked_in": {
        "zh": "隔着门安抚孩子或老人，让他们远离窗户、阳台、燃气灶和电器；不要自己攀爬阳台或窗户进入。",
        "en": "Talk to them through the door and keep them away from windows, balconies, the stove and appliances; never climb in through a balcony or window yourself.",
    },
    "emg_advice_intruder": {
        "zh": "先确保自身安全，不要与对方正面冲突；锁好房门，记住对方的样子和去向，等待警察。",
        "en": "Keep yourself safe and do not confront them; lock your door, note what they look like and where they go, and wait for the police.",
    },
    "emg_property_line": {
        "zh": "然后拨打物业24小时应急电话 {phone}。",
        "en": "Then call the property's 24-hour emergency line {phone}.",
    },
    "emg_property_line_first": {
        "zh": "请立即拨打物业24小时应急电话 {phone}。",
        "en": "Call the property's 24-hour emergency line {phone} now.",
    },
    "emg_no_property_line": {
        "zh": "注意：本小区没有登记物业24小时应急电话，以下是公共电话，不是物业的电话：{public}。{desk}",
        "en": "Note: this community has no 24-hour property line on record; these are public numbers, not the property's: {public}.{desk}",
    },
    "emg_desk_phone": {
        "zh": "物业服务中心电话 {phone}（仅工作时间 {hours} 有人接听）。",
        "en": " The property office's phone {phone} is answered only during office hours ({hours}).",
    },
    "emg_public_gas": {"zh": "燃气抢修 96777、火警 119、急救 120", "en": "Beijing Gas 96777, fire 119, ambulance 120"},
    "emg_public_lift": {"zh": "消防救援 119、急救 120", "en": "fire rescue 119, ambulance 120"},
    "emg_public_fire": {"zh": "火警 119、急救 120", "en": "fire 119, ambulance 120"},
    "emg_public_medical": {"zh": "急救 120", "en": "ambulance 120"},
    "emg_public_locked_in": {"zh": "消防救援 119、报警 110", "en": "fire rescue 119, police 110"},
    "emg_public_intruder": {"zh": "报警 110", "en": "police 110"},
    "emg_ticket": {
        "zh": "已为您登记紧急工单 {number}（{where}），已通知值班负责人，值班人员会在 {due} 前赶到，请保持电话畅通。",
        "en": "Emergency ticket {number} is open ({where}); the manager on duty has been told and staff will be there by {due}. Keep your phone at hand.",
    },
    "emg_joined": {
        "zh": "这起紧急情况已有工单 {number}（{where}）在处理，值班负责人已收到。已把您加入这张工单，处理进展会同时通知您。",
        "en": "This emergency is already being handled as ticket {number} ({where}); the manager on duty has it. You are linked to it and will hear its updates.",
    },
    "emg_already_reported": {
        "zh": "您刚才报告的紧急情况工单 {number}（{where}）正在处理，值班负责人已收到，请保持电话畅通。",
        "en": "Your emergency report, ticket {number} ({where}), is being handled; the manager on duty has it. Keep your phone at hand.",
    },
    "emg_ask_place": {
        "zh": "请告诉我具体位置（几号楼几单元，例如“3号楼2单元”），我马上补充到紧急工单 {number} 并通知值班人员。",
        "en": "Please tell me where exactly (building and unit, e.g. \"building 3 unit 2\"); I will add it to emergency ticket {number} and tell the staff on duty.",
    },
    "emg_ask_place_no_ticket": {
        "zh": "请告诉我您所在的小区和楼号（例如“望京花园3号楼2单元”），我马上登记紧急工单并通知值班人员。",
        "en": "Please tell me your community and building (e.g. \"望京花园 building 3 unit 2\"); I will open an emergency ticket and tell the staff on duty at once.",
    },
    "emg_place_added": {
        "zh": "已把位置（{where}）补充到紧急工单 {number}，并通知了值班人员。",
        "en": "The place ({where}) is added to emergency ticket {number}, and the staff on duty are told.",
    },
    "emg_hypothetical": {
        "zh": "遇到这种情况时：{advice}\n{line}\n如果现在正在发生，请直接说明情况（例如“3号楼现在闻到煤气味”），或点下面的按钮，我马上登记紧急工单并通知值班人员。",
        "en": "If this happens: {advice}\n{line}\nIf it is happening now, tell me (e.g. \"gas smell in building 3 now\") or press the button below, and I will open an emergency ticket and tell the staff on duty at once.",
    },
    "emg_btn_report_now": {"zh": "正在发生，立即上报", "en": "It's happening now"},
    "emg_where_building": {"zh": "{building}号楼", "en": "building {building}"},
    "emg_where_unit": {"zh": "{unit}单元", "en": " unit {unit}"},
    "emg_where_unknown": {"zh": "楼号待确认", "en": "building not yet known"},
    "cat_medical": {"zh": "急救", "en": "medical emergency"},
    "cat_locked_in": {"zh": "有人被困", "en": "someone locked in"},
    "cat_intruder": {"zh": "治安警情", "en": "intruder"},
    "push_ticket_place": {
        "zh": "紧急工单 {number} 的位置已确认：{note}。",
        "en": "Emergency ticket {number}: the place is now known: {note}.",
    },
    "staff_push_place": {"zh": "🚨 紧急工单 {number} 位置已确认：{note}", "en": "🚨 Emergency {number}: place confirmed: {note}"},
    "staff_push_joined": {
        "zh": "🚨 紧急工单 {number} 又有住户报告同一情况（{note}）",
        "en": "🚨 Emergency {number}: one more resident reports the same ({note})",
    },
}

register(TEXTS)

register({
    "offline_emergency": {
        "zh": "系统暂时无法登记工单，请马上打电话：{public}；物业电话请看电梯或单元门口张贴的号码。{saved}",
        "en": "The system cannot open a ticket right now: call now: {public}; the property's number is posted in the lift and at the entrance. {saved}",
    },
    "offline_saved_emergency": {
        "zh": "您的报告已保存，系统恢复后会自动登记为紧急工单并通知值班人员。",
        "en": "Your report is saved and becomes an emergency ticket for the staff on duty as soon as the system is back.",
    },
    "offline_message_saved": {
        "zh": "抱歉，系统暂时出了故障。您的消息已保存，系统恢复后会转给工作人员跟进。紧急情况请直接拨打110、119、120或物业电话。",
        "en": "Sorry, the system has a problem right now. Your message is saved and will reach the staff when it is back. In an emergency call 110, 119, 120 or the property office.",
    },
    "offline_message_lost": {
        "zh": "抱歉，系统暂时出了故障，这条消息没能保存，请稍后再发一次。紧急情况请直接拨打110、119、120或物业电话。",
        "en": "Sorry, the system has a problem right now and could not keep this message; please send it again later. In an emergency call 110, 119, 120 or the property office.",
    },
    "spool_replayed_emergency": {
        "zh": "您在 {time} 报告的紧急情况已登记为紧急工单 {number}，值班人员已收到。",
        "en": "The emergency you reported at {time} is now emergency ticket {number}; the staff on duty have it.",
    },
    "spool_replayed_message": {
        "zh": "您在 {time} 系统故障时发来的消息已转交工作人员（工单 {number}），会尽快跟进。",
        "en": "Your message from {time}, sent while the system was down, has been passed to the staff (ticket {number}).",
    },
    "spool_description": {"zh": "系统故障期间的留言：{text}", "en": "Message sent while the system was down: {text}"},
})

register({
    "talk_staff_menu": {
        "zh": "{name}，您好（工作人员账号，{duty}）。可以发送：\n· 我的工单\n· 接单 R20261127001\n· 转派 R20261127001\n· 完成 R20261127001 已更换阀门（可先发照片）\n工单推送里的按钮也可以直接点。",
        "en": "Hello {name} (staff account, {duty}). You can send:\n· my tickets\n· accept R20261127001\n· transfer R20261127001\n· done R20261127001 valve replaced (photos first)\nOr press the buttons of a ticket push.",
    },
    "talk_staff_on_duty": {"zh": "当前在岗值班", "en": "on duty"},
    "talk_staff_off_duty": {"zh": "当前不在值班", "en": "off duty"},
    "talk_btn_staff_list": {"zh": "我的工单", "en": "My tickets"},
})
