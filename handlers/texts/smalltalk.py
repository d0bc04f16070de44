"""Texts of small talk, the help menu, the fallback and FAQ answers."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "talk_greet_bound": {
        "zh": "{name}，{daypart}！我是物业管家，有什么可以帮您？",
        "en": "Good {daypart}, {name}! I'm your property assistant. How can I help?",
    },
    "talk_greet_unbound": {
        "zh": "{daypart}！我是物业管家。绑定房屋后可以查账单、缴费、报修、看通知；小区常见问题和物业政策现在就可以问我。",
        "en": "Good {daypart}! I'm the property assistant. Link your home to check bills, pay, report repairs and read notices; you can ask about common questions and property policies right away.",
    },
    "talk_daypart_morning": {"zh": "早上好", "en": "morning"},
    "talk_daypart_noon": {"zh": "中午好", "en": "afternoon"},
    "talk_daypart_afternoon": {"zh": "下午好", "en": "afternoon"},
    "talk_daypart_evening": {"zh": "晚上好", "en": "evening"},
    "talk_help": {
        "zh": "我可以帮您：\n· 查账单、在线缴费、缴费记录、费用疑问\n· 报修、投诉建议、查进度、评价\n· 停水停电等通知\n· 房屋信息、物业合同、公共设施、服务标准、维修基金\n· 物业相关政策解读\n· 转人工客服\n直接打字说需求就行，例如“我家物业费还欠多少”。",
        "en": "I can help you with:\n· bills, online payment, payment history, questions about charges\n· repairs, complaints and suggestions, their progress, rating the work\n· notices such as water or power outages\n· your home's record, the service contract, facilities, service standards, the maintenance fund\n· property policies explained\n· a human agent\nJust type what you need, e.g. \"how much do I owe\".",
    },
    "talk_help_unbound": {
        "zh": "（查账单、缴费、报修等个人事务需要先绑定房屋。）",
        "en": "(Bills, payments, repairs and other personal matters need a linked home first.)",
    },
    "talk_thanks": {
        "zh": "不客气，这是我们应该做的。有需要随时找我。",
        "en": "You're welcome. I'm here whenever you need me.",
    },
    "talk_goodbye": {"zh": "再见，祝您生活愉快！", "en": "Goodbye, have a nice day!"},
    "talk_affirm": {"zh": "好的。还有什么可以帮您？", "en": "OK. Anything else I can do?"},
    "talk_deny": {
        "zh": "好的，没问题。有需要随时叫我。",
        "en": "No problem. Call me whenever you need.",
    },
    "talk_out_of_scope": {
        "zh": "抱歉，这个我帮不上忙。我是物业管家，可以帮您查账单缴费、报修投诉、看通知、了解小区情况和物业政策。",
        "en": "Sorry, I can't help with that. I'm the property assistant: bills and payments, repairs and complaints, notices, your community and property policies.",
    },
    "talk_no_words": {
        "zh": "收到～有需要随时告诉我，比如“查账单”“报修”。",
        "en": "Got it. Tell me whenever you need something, e.g. \"my bills\" or \"report a repair\".",
    },
    "talk_fallback": {
        "zh": "抱歉，我没太明白您的意思。可以换个说法，或点下面的按钮：",
        "en": "Sorry, I didn't quite get that. Please rephrase, or pick one of these:",
    },
    "talk_btn_bills": {"zh": "查账单", "en": "Bills"},
    "talk_btn_pay": {"zh": "缴费", "en": "Pay"},
    "talk_btn_repair": {"zh": "报修", "en": "Repair"},
    "talk_btn_complaint": {"zh": "投诉建议", "en": "Complaint"},
    "talk_btn_notices": {"zh": "通知公告", "en": "Notices"},
    "talk_btn_house": {"zh": "房屋信息", "en": "My home"},
    "talk_btn_policy": {"zh": "政策法规", "en": "Policies"},
    "talk_btn_handoff": {"zh": "转人工", "en": "Human agent"},
    "talk_btn_bind": {"zh": "绑定房屋", "en": "Link my home"},
    "faq_answer": {
        "zh": "{answer}\n（来源：{source}）",
        "en": "{answer}\n(Source: {source})",
    },
    "faq_default_source": {"zh": "物业服务中心常见问题", "en": "the property office's FAQ"},
    "faq_not_solved": {"zh": "没解决？转人工", "en": "Not solved? Talk to a person"},
}

register(TEXTS)
