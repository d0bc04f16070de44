"""Texts of repair reports, photos and emergencies."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "repair_ask_description": {
        "zh": "请描述一下哪里坏了、什么情况（例如“卫生间水管漏水”），也可以发照片。",
        "en": "Please describe what is broken and how (e.g. \"bathroom pipe leaking\"); photos help too.",
    },
    "repair_ask_category": {
        "zh": "请问属于哪一类问题？",
        "en": "What kind of problem is it?",
    },
    "repair_ask_location": {
        "zh": "请问是在您家里，还是小区公共区域（楼道、电梯、车库等）？",
        "en": "Is it inside your home, or in a public area (hallway, lift, garage…)?",
    },
    "repair_btn_home": {"zh": "在我家里", "en": "In my home"},
    "repair_btn_public": {"zh": "公共区域", "en": "Public area"},
    "repair_in_home": {"zh": "{home} 家中", "en": "inside {home}"},
    "repair_confirm": {
        "zh": "请确认报修信息：\n类别：{category}\n位置：{where}\n紧急程度：{urgency}\n描述：{description}",
        "en": "Please confirm the repair:\nKind: {category}\nWhere: {where}\nUrgency: {urgency}\nDetails: {description}",
    },
    "repair_photo_attached": {"zh": "照片已附上。", "en": "Photo attached."},
    "repair_photo_kept": {
        "zh": "照片已收到并保存。请问是什么坏了？简单描述一下，我来帮您报修。",
        "en": "Got the photo and kept it. What is broken? Describe it briefly and I will file the repair.",
    },
    "repair_photo_kept_unbound": {
        "zh": "照片已收到并保存。报修前请先绑定房屋：发送物业给您的邀请码，或“绑定 3号楼2单元501 手机号”。",
        "en": "Got the photo and kept it. To file a repair, please link your home first: send the invite code from the property office, or your home and registered phone number.",
    },
    "repair_who_assigned": {"zh": "已安排 {staff} 处理", "en": "{staff} will handle it"},
    "repair_who_pending": {"zh": "工作人员正在安排师傅", "en": "staff are assigning a technician"},
    "repair_photos_linked": {"zh": "（已附照片{n}张）", "en": " ({n} photo(s) attached)"},
    "repair_created": {
        "zh": "报修已提交，单号 {number}（{what}）{photos}。{who}，预计 {due} 前上门处理。发送“报修进度”可随时查看。",
        "en": "Repair filed: ticket {number} ({what}){photos}. {who}, expected by {due}. Send \"status\" any time.",
    },
    "repair_reopen_offer": {
        "zh": "您最近的工单 {number}（{what}）刚处理完。是同一个问题没修好吗？",
        "en": "Your ticket {number} ({what}) was just finished. Is it the same problem, not fixed?",
    },
    "repair_btn_reopen": {"zh": "是，{number} 返修", "en": "Yes, reopen {number}"},
    "repair_btn_new": {"zh": "不是，新报修", "en": "No, a new repair"},
    "repair_emergency": {
        "zh": "⚠️ 紧急情况！请立即拨打物业24小时应急电话 {phone}。\n{advice}\n已为您登记紧急工单 {number}，值班人员会在 {due} 前赶到，请保持电话畅通。",
        "en": "⚠️ Emergency! Call the property's 24-hour emergency line {phone} now.\n{advice}\nAn emergency ticket {number} is open; staff on duty will be there by {due}. Keep your phone at hand.",
    },
    "repair_emergency_unbound": {
        "zh": "⚠️ 紧急情况！{advice}\n请同时拨打物业服务中心电话。绑定房屋后，我可以直接为您登记紧急工单。",
        "en": "⚠️ Emergency! {advice}\nAlso call your property office. Once your home is linked I can file emergency tickets for you directly.",
    },
    "repair_emergency_advice_gas": {
        "zh": "闻到燃气味：请不要开关任何电器和电灯、不要点火、不要在室内打电话；立即打开门窗通风，关闭燃气总阀，离开房间后拨打北京燃气24小时抢修电话 96777。如有人员不适拨打120，起火拨打119。",
        "en": "Gas smell: do not switch any light or appliance on or off, no flames, no phone calls indoors; open the windows, close the main gas valve, leave, then call Beijing Gas emergency 96777. Call 120 if anyone feels unwell, 119 if there is fire.",
    },
    "repair_emergency_advice_lift": {
        "zh": "被困电梯：请保持冷静，不要扒门或试图爬出轿厢；按下电梯内的警铃或对讲按钮，等待救援。如有人员不适请拨打120，紧急情况可拨打119。",
        "en": "Trapped in a lift: stay calm, do not force the doors or climb out; press the alarm or intercom button and wait for rescue. Call 120 if anyone feels unwell, 119 in an emergency.",
    },
    "repair_emergency_advice_fire": {
        "zh": "冒火花/起火：如已起火请立即拨打119并撤离，不要乘坐电梯；电器或插座冒火花时，在确保安全的前提下拉下电闸，切勿用水浇电器。",
        "en": "Sparks or fire: if anything is burning, call 119 and leave by the stairs, never the lift; for sparking sockets or appliances, switch off the main breaker if it is safe, and never pour water on them.",
    },
}

register(TEXTS)
