"""Texts of the dialogue rules: corrections, pauses, consent offers, two requests at once."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "draft_corrected": {"zh": "好的，已按您说的改过来了：", "en": "OK, corrected:"},
    "paused": {
        "zh": "好的，先不提交（没有扣款，也没有生成工单）。您想好了随时再说，比如“缴费”“报修”。",
        "en": "OK, nothing submitted (no payment, no ticket). Just say so when you are ready, e.g. \"pay\" or \"repair\".",
    },
    "fee_vent_offer": {
        "zh": "理解您的心情。如果您觉得收费有问题，我可以把您的意见提交给财务核实，要提交吗？",
        "en": "I understand. If you think the charge is wrong, I can pass it to the finance office to check. Shall I?",
    },
    "second_request_next": {
        "zh": "您还提到：“{part}”——下面接着处理这一项：",
        "en": "You also asked: \"{part}\" — here it is:",
    },
    "second_request_later": {
        "zh": "您还提到：“{part}”。等上面这件办完，再发一次给我，我接着处理。",
        "en": "You also asked: \"{part}\". Once the above is done, send it again and I'll take it from there.",
    },
}

register(TEXTS)
