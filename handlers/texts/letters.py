"""Texts of the binding letters (the printed page) and their errors."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "letters_no_homes": {
        "zh": "所选范围内没有房屋。", "en": "No homes in the selection.",
    },
    "letters_too_many": {
        "zh": "一次最多打印 {limit} 户，请按楼栋分批打印。",
        "en": "At most {limit} homes per print run; print building by building.",
    },
    "letter_title": {"zh": "业主绑定通知书", "en": "Binding letter"},
    "letter_greeting": {"zh": "尊敬的 {home} 业主/住户：", "en": "Dear owner or resident of {home},"},
    "letter_body": {
        "zh": "为方便您查询账单、在线缴费、报修和接收停水停电通知，请用手机扫描下方二维码"
              "（{channel}），即可将聊天账号绑定到您的房屋。",
        "en": "Scan the QR code below ({channel}) to link your chat account to your home.",
    },
    "letter_code_line": {
        "zh": "也可以在微信公众号、Telegram 或网页聊天中发送：绑定 {code}",
        "en": "Or send in any chat: bind {code}",
    },
    "letter_code_label": {"zh": "绑定码", "en": "Code"},
    "letter_expiry": {
        "zh": "绑定码仅限本户使用一次，有效期至 {date}。请妥善保管，勿转交他人。",
        "en": "Single use for this home, valid until {date}. Keep it private.",
    },
    "letter_phone": {"zh": "物业服务电话：{phone}", "en": "Property office: {phone}"},
}

register(TEXTS)
