"""Texts of binding a chat account to a home, choosing a home, and access errors."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "access_choose_home": {
        "zh": "您名下有多套房屋（{homes}），请在问题里带上房号，例如“{example} 的物业费”。",
        "en": "You hold several homes ({homes}). Please name one in your question, e.g. \"{example} property fee\".",
    },
    "access_staff_only": {
        "zh": "此功能仅限物业工作人员使用。",
        "en": "This is for property staff only.",
    },
    "bind_ask": {
        "zh": "绑定房屋后才能查看账单等个人信息。请发送物业给您的8位邀请码（例如“绑定 AB12CD34”），或发送房号和在物业登记的手机号（例如“绑定 3号楼2单元501 13812345678”）。",
        "en": "Link a home to see your bills and other personal data. Send the 8-character invite code from the property office (e.g. \"bind AB12CD34\"), or your home and the phone number registered with the office (e.g. \"bind 3-2-501 13812345678\").",
    },
    "bind_ask_home": {
        "zh": "请告诉我您的房号，例如“3号楼2单元501”。",
        "en": "Which home is it? For example \"3-2-501\" (building-unit-room).",
    },
    "bind_ask_phone": {
        "zh": "请发送您在物业登记的手机号（11位），用于核验业主身份。",
        "en": "Please send the phone number (11 digits) registered with the property office, to verify you are the owner.",
    },
    "bind_phone_full": {
        "zh": "为了安全，请发送完整的11位手机号，不能只发尾号。",
        "en": "For your security, please send the full 11-digit phone number, not only its last digits.",
    },
    "bind_failed": {
        "zh": "信息核验未通过。请确认房号和在物业登记的手机号后重试，或到物业前台领取邀请码。",
        "en": "We could not verify these details. Please check the home and the phone number registered with the office, or ask the front desk for an invite code.",
    },
    "bind_code_invalid": {
        "zh": "邀请码无效、已使用或已过期。请核对后重试，或联系物业前台重新获取。",
        "en": "That invite code is not valid, already used or expired. Please check it, or ask the front desk for a new one.",
    },
    "bind_locked": {
        "zh": "核验失败次数过多，为保护业主信息，请1小时后再试，或携带证件到物业前台办理。",
        "en": "Too many failed attempts. To protect owners' data, please try again in an hour, or visit the front desk with your ID.",
    },
    "bind_done": {
        "zh": "绑定成功！{name}，您好，本账号已关联 {community} {home}。现在可以查账单、缴费、报修、看通知了。",
        "en": "Linked! Hello {name}, this chat is now linked to {home}, {community}. You can check bills, pay, report repairs and read notices.",
    },
    "bind_done_staff": {
        "zh": "绑定成功！{name}，您好，工作人员账号已开通，分派给您的工单会推送到这里。",
        "en": "Linked! Hello {name}, your staff account is active; tickets assigned to you will arrive here.",
    },
    "bind_code_unusable": {
        "zh": "这个邀请码对应的房屋尚未登记业主，暂时无法绑定，请联系物业前台。",
        "en": "The home of this invite code has no registered owner yet, so it cannot be linked. Please contact the front desk.",
    },
    "bind_already": {
        "zh": "本账号已绑定 {community} {home}（{name}）。如需再绑定其他房屋，请发送邀请码，或房号加登记手机号。",
        "en": "This chat is already linked to {home}, {community} ({name}). To add another home, send its invite code, or the home and registered phone number.",
    },
    "bind_switch_button": {"zh": "切换房屋", "en": "Switch home"},
    "home_select_prompt": {
        "zh": "您名下有以下房屋，请选择要办理的：",
        "en": "These are your homes; which one do you mean?",
    },
    "home_selected": {
        "zh": "已切换到 {community} {home}，之后的查询和办理都针对这套房屋。",
        "en": "Switched to {home}, {community}. What you ask next is about this home.",
    },
}

register(TEXTS)
