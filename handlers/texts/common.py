"""Texts shared by every capability: errors, fallbacks, cancellation."""

TEXTS: dict[str, dict[str, str]] = {
    "error_generic": {
        "zh": "抱歉，系统开小差了，您的消息已记录，工作人员会跟进。也可以稍后再试。",
        "en": "Sorry, something went wrong on our side. Your message was recorded and staff will follow up.",
    },
    "not_bound": {
        "zh": "您还没有绑定房屋，暂时不能查看个人信息。请发送物业给您的邀请码（例如“绑定 AB12CD34”），或发送“绑定 3号楼2单元501 手机号”。",
        "en": "This chat is not linked to a home yet, so personal data stays hidden. Send the invite code from the property office (e.g. \"bind AB12CD34\"), or your home and registered phone number.",
    },
    "forbidden": {
        "zh": "抱歉，您只能查看和办理自己房屋的事务。",
        "en": "Sorry, you can only see and handle your own household's matters.",
    },
    "not_found": {"zh": "没有找到相关记录。", "en": "Nothing was found."},
    "invalid": {"zh": "输入有误：{reason}", "en": "That input is not valid: {reason}"},
    "too_long": {
        "zh": "消息太长了（超过{limit}字），请简要描述一下，或分几条发送。",
        "en": "That message is too long (over {limit} characters). Please shorten it or split it up.",
    },
    "empty": {
        "zh": "您好，请问有什么可以帮您？发送“菜单”查看我能办的事。",
        "en": "Hello, how can I help? Send \"menu\" to see what I can do.",
    },
    "cancelled": {"zh": "好的，已取消。还有其他需要吗？", "en": "OK, cancelled. Anything else?"},
}
