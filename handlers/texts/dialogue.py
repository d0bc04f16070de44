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
    "office_contacts_head": {"zh": "物业服务中心联系方式：", "en": "The property office:"},
    "office_contact_line": {
        "zh": "· {community}：电话 {phone}，前台服务时间 {hours}",
        "en": "· {community}: phone {phone}, front desk {hours}",
    },
    "office_hours_unknown": {"zh": "请来电咨询", "en": "ask by phone"},
    "office_contacts_bind": {
        "zh": "账单、报修等个人事项需要先绑定房屋：发送物业给您的邀请码即可（例如“绑定 AB23CD45”）。",
        "en": "For bills, repairs and other personal matters, link your home first: send the invite code from the office (e.g. \"bind AB23CD45\").",
    },
    "office_contacts_none": {
        "zh": "暂时没有物业服务中心的联系方式，请查看小区公告栏或询问门岗。",
        "en": "No office phone is on file yet; please check the notice board or ask at the gate.",
    },
    "handoff_unbound_contacts": {
        "zh": "好的。您还没有绑定房屋，我暂时无法为您转接前台，请直接联系物业服务中心：",
        "en": "Sure. This chat is not linked to a home yet, so I can't pass it to the desk; please contact the property office directly:",
    },
    "info_contract_ends": {
        "zh": "《{title}》到 {end} 到期（还有约{months}个月）。",
        "en": "\"{title}\" runs until {end} (about {months} months from now).",
    },
    "info_contract_ended_on": {
        "zh": "《{title}》已于 {end} 到期。",
        "en": "\"{title}\" ended on {end}.",
    },
    "info_contract_details_offer": {
        "zh": "想看具体条款，可以直接问，例如“合同里装修是怎么规定的”。",
        "en": "Ask about any clause, e.g. \"what does the contract say about renovation\".",
    },
    "notify_which_off": {
        "zh": "好的，您想关闭哪类推送？点下面的按钮选择（报修、投诉的进度建议保留，否则师傅上门前不会提醒您）；全部关闭请点“全部关闭”。",
        "en": "Which notifications should stop? Pick below (ticket updates are worth keeping: they tell you when the technician comes); \"Turn all off\" stops them all.",
    },
    "trend_head": {"zh": "{home} 的{item}按月变化：", "en": "{item} of {home}, month by month:"},
    "trend_line_first": {"zh": "· {period}：{amount}", "en": "· {period}: {amount}"},
    "trend_line": {
        "zh": "· {period}：{amount}（比上月 {sign}{change}，{sign}{percent}%）",
        "en": "· {period}: {amount} ({sign}{change}, {sign}{percent}% on the month before)",
    },
    "trend_none": {"zh": "{home} 暂时没有{item}的账单记录。", "en": "No {item} bills for {home} yet."},
    "trend_only_one": {
        "zh": "{period}是目前唯一一期{item}账单，还没有可以对比的月份。",
        "en": "{period} is the only {item} bill so far: nothing to compare it with.",
    },
    "trend_higher": {
        "zh": "{period}的{item} {amount}，高于此前的月均 {average}。{item}按表计用量收费，用量多了金额就高（如空调、取暖电器、热水器用得多）；想核对读数，可以请财务查一下。",
        "en": "{period}: {amount}, above the earlier monthly average of {average}. {item} is billed by metered use, so more use means a higher bill (air conditioning, heaters, water heater); finance can check the meter reading for you.",
    },
    "trend_up": {
        "zh": "{period}的{item} {amount}，比上月多了 {change}，但没有超过此前的月均 {average}：上月用量偏少，这个月回到了平常水平。",
        "en": "{period}: {amount}, {change} more than the month before, yet not above the earlier monthly average of {average}: the month before was low.",
    },
    "trend_usual": {
        "zh": "{period}的{item} {amount}，与此前的月均 {average} 相差不大。",
        "en": "{period}: {amount}, close to the earlier monthly average of {average}.",
    },
    "trend_offer": {
        "zh": "如觉得读数或金额不对，我可以帮您提交给财务核实，要提交吗？",
        "en": "If the reading or the amount looks wrong, I can pass it to finance to check. Shall I?",
    },
    "repair_heating_provider": {
        "zh": "本小区由 {provider} 供暖：暖气不热、漏水等供暖问题请直接联系他们报修，处理最快。我们也已记录在案，物业会跟进：\n{created}",
        "en": "Heating here is supplied by {provider}: call them directly about radiators that are cold or leaking, that is fastest. We have recorded it too and will follow up:\n{created}",
    },
}

register(TEXTS)
