"""Texts of tickets: labels, status and timeline, owner actions, complaints, handoff, pushes."""

from handlers.texts import register

_LABELS: dict[str, dict[str, str]] = {
    "kind_repair": {"zh": "报修", "en": "Repair"},
    "kind_complaint": {"zh": "投诉", "en": "Complaint"},
    "kind_suggestion": {"zh": "建议", "en": "Suggestion"},
    "kind_fee_question": {"zh": "费用咨询", "en": "Fee question"},
    "kind_handoff": {"zh": "人工服务", "en": "Front desk"},
    "cat_plumbing": {"zh": "水管/漏水", "en": "plumbing"},
    "cat_heating": {"zh": "暖气/供暖", "en": "heating"},
    "cat_electrical": {"zh": "电路/电器", "en": "electrical"},
    "cat_elevator": {"zh": "电梯", "en": "elevator"},
    "cat_door_window": {"zh": "门窗/门锁", "en": "doors & windows"},
    "cat_gas": {"zh": "燃气", "en": "gas"},
    "cat_public_facility": {"zh": "公共设施", "en": "public facilities"},
    "cat_fire_safety": {"zh": "消防/烟雾", "en": "fire safety / smoke"},
    "cat_other": {"zh": "其他", "en": "other"},
    "cat_noise": {"zh": "噪音", "en": "noise"},
    "cat_cleaning": {"zh": "保洁卫生", "en": "cleaning"},
    "cat_security": {"zh": "安保", "en": "security"},
    "cat_parking": {"zh": "停车", "en": "parking"},
    "cat_pets": {"zh": "宠物", "en": "pets"},
    "cat_neighbour": {"zh": "邻里", "en": "neighbours"},
    "cat_service": {"zh": "服务态度", "en": "service"},
    "status_new": {"zh": "待派单", "en": "waiting for a technician"},
    "status_assigned": {"zh": "已派单", "en": "assigned"},
    "status_in_progress": {"zh": "处理中", "en": "in progress"},
    "status_resolved": {"zh": "已完成待评价", "en": "done, waiting for your rating"},
    "status_closed": {"zh": "已关闭", "en": "closed"},
    "status_cancelled": {"zh": "已撤销", "en": "withdrawn"},
    "urgency_emergency": {"zh": "紧急", "en": "emergency"},
    "urgency_high": {"zh": "加急", "en": "urgent"},
    "urgency_normal": {"zh": "普通", "en": "normal"},
    "urgency_low": {"zh": "不急", "en": "not urgent"},
    "event_created": {"zh": "已提交", "en": "submitted"},
    "event_assigned": {"zh": "已派单", "en": "assigned"},
    "event_accepted": {"zh": "师傅已接单", "en": "accepted"},
    "event_transferred": {"zh": "已转派", "en": "transferred"},
    "event_resolved": {"zh": "已完成", "en": "done"},
    "event_closed": {"zh": "已关闭", "en": "closed"},
    "event_cancelled": {"zh": "已撤销", "en": "withdrawn"},
    "event_reopened": {"zh": "已返修", "en": "reopened"},
    "event_urged": {"zh": "已催单", "en": "chased"},
    "event_rated": {"zh": "已评价", "en": "rated"},
    "event_escalated": {"zh": "已升级至经理", "en": "escalated to the manager"},
    "event_note": {"zh": "备注", "en": "note"},
    "location_public": {"zh": "公共区域", "en": "public area"},
    "btn_not_fixed": {"zh": "没修好", "en": "Not fixed"},
    "btn_urge": {"zh": "催一下", "en": "Chase it"},
    "btn_cancel_ticket": {"zh": "撤销", "en": "Withdraw"},
    "btn_confirm_cancel": {"zh": "确认撤销", "en": "Yes, withdraw"},
    "btn_keep_ticket": {"zh": "不撤销", "en": "Keep it"},
    "btn_confirm_submit": {"zh": "确认提交", "en": "Submit"},
    "btn_cancel_flow": {"zh": "取消", "en": "Cancel"},
}

_OWNER: dict[str, dict[str, str]] = {
    "ticket_daily_cap": {
        "zh": "您今天已提交了{limit}个工单，已达当日上限。如有紧急情况请直接拨打物业24小时应急电话 {emergency}；其他事项可拨打物业服务电话 {phone}，或明天再提交。",
        "en": "You have opened {limit} tickets today, the daily limit. For an emergency please call the property's 24-hour line {emergency}; for anything else call the property office on {phone}, or send it tomorrow.",
    },
    "ticket_daily_cap_no_phone": {
        "zh": "您今天已提交了{limit}个工单，已达当日上限。如有紧急情况请直接拨打物业电话，其他事项请明天再提交。",
        "en": "You have opened {limit} tickets today, the daily limit. For an emergency please call the property office; anything else can be sent tomorrow.",
    },
    "ticket_bad_transition": {
        "zh": "工单 {number} 当前状态不能进行这个操作。",
        "en": "Ticket {number} cannot do that in its current state.",
    },
    "ticket_reopen_too_late": {
        "zh": "工单 {number} 已完成超过7天或尚未完成，不能返修。如问题再次出现，请重新报修。",
        "en": "Ticket {number} is not done or was finished more than 7 days ago, so it cannot be reopened. Please report the problem again.",
    },
    "ticket_not_found": {
        "zh": "没有找到您名下的工单 {number}，请核对单号。发送“报修进度”可查看您的工单。",
        "en": "No ticket {number} was found among yours. Send \"ticket status\" to see your tickets.",
    },
    "ticket_none": {
        "zh": "您还没有提交过工单。需要报修、投诉或建议，直接告诉我就好。",
        "en": "You have no tickets yet. To report a repair, a complaint or a suggestion, just tell me.",
    },
    "ticket_none_open": {"zh": "您目前没有处理中的工单。", "en": "You have no open tickets."},
    "ticket_choose": {"zh": "您有多个处理中的工单，请选择：", "en": "You have several open tickets; which one?"},
    "ticket_line_head": {"zh": "【{number}】{what}｜{status}", "en": "[{number}] {what} | {status}"},
    "ticket_line_staff": {"zh": "处理人：{staff}", "en": "Handled by: {staff}"},
    "ticket_line_unassigned": {"zh": "正在安排人员", "en": "being assigned"},
    "ticket_line_due": {"zh": "预计 {due} 前处理", "en": "Expected by {due}"},
    "ticket_line_due_over": {
        "zh": "原定 {due} 前处理，已超时，已提醒负责人加快",
        "en": "Was due by {due}; it is late and the team has been reminded",
    },
    "ticket_line_timeline": {"zh": "进展：{timeline}", "en": "Progress: {timeline}"},
    "ticket_not_open": {
        "zh": "工单 {number} 当前状态为“{status}”，不需要催单。",
        "en": "Ticket {number} is {status}; there is nothing to chase.",
    },
    "ticket_urge_too_soon": {
        "zh": "工单 {number} 刚刚已催过，负责人正在处理。如需再次催促，请在 {at} 之后。",
        "en": "Ticket {number} was just chased and is being handled. You can chase again after {at}.",
    },
    "ticket_urge_manager": {"zh": "物业值班经理", "en": "the duty manager"},
    "ticket_urged": {
        "zh": "已帮您催促 {staff} 尽快处理工单 {number}，有进展会第一时间通知您。",
        "en": "{staff} has been asked to hurry with ticket {number}. You will hear as soon as it moves.",
    },
    "ticket_cannot_cancel": {
        "zh": "工单 {number} 当前状态为“{status}”，不能撤销。",
        "en": "Ticket {number} is {status} and cannot be withdrawn.",
    },
    "ticket_cancel_confirm": {
        "zh": "确定要撤销工单 {number}（{what}）吗？",
        "en": "Withdraw ticket {number} ({what})?",
    },
    "ticket_cancel_again": {
        "zh": "请回复“确认”撤销工单 {number}；回复“算了”则保留工单，继续为您处理。",
        "en": "Reply \"yes\" to withdraw ticket {number}, or \"never mind\" to keep it open.",
    },
    "ticket_kept": {"zh": "好的，工单 {number} 继续为您处理。", "en": "OK, ticket {number} stays open."},
    "ticket_cancel_note": {"zh": "业主撤销", "en": "withdrawn by the owner"},
    "ticket_cancelled": {
        "zh": "工单 {number} 已撤销，已通知相关人员不必上门。",
        "en": "Ticket {number} was withdrawn; staff have been told not to come.",
    },
    "ticket_none_to_rate": {
        "zh": "您目前没有待评价的工单。工单处理完成后，我会请您评价。",
        "en": "There is no finished ticket to rate right now. You will be asked once one is done.",
    },
    "ticket_already_rated": {"zh": "工单 {number} 已经评价过了，谢谢您！", "en": "Ticket {number} has already been rated, thank you!"},
    "ticket_not_resolved": {
        "zh": "工单 {number} 还没有处理完成，完成后再请您评价。",
        "en": "Ticket {number} is not finished yet; you can rate it once it is.",
    },
    "ticket_rate_ask": {
        "zh": "请为工单 {number}（{what}）的服务打分（1-5星）：",
        "en": "How was the service on ticket {number} ({what})? Rate 1–5 stars:",
    },
    "ticket_rate_again": {
        "zh": "没看懂您的评分，请点击星级或回复 1-5 的数字为工单 {number} 打分。",
        "en": "Sorry, I did not get the rating. Tap a star or reply with a number from 1 to 5 for ticket {number}.",
    },
    "ticket_rated": {
        "zh": "感谢您的评价（{rating}星）！工单 {number} 已关闭。",
        "en": "Thank you for rating ({rating} stars)! Ticket {number} is closed.",
    },
    "ticket_rated_low": {
        "zh": "很抱歉这次服务没让您满意。工单 {number} 的评价已转给物业经理，会尽快联系您。如果问题没解决，请点“没修好”。",
        "en": "We are sorry the service fell short. Your rating of ticket {number} went to the manager, who will contact you. If the problem is not solved, tap \"Not fixed\".",
    },
    "ticket_none_to_reopen": {
        "zh": "您最近没有已完成的工单可以返修。如有新问题，直接告诉我哪里坏了。",
        "en": "There is no recently finished ticket to reopen. For a new problem, just tell me what is broken.",
    },
    "ticket_reopen_note": {"zh": "业主反馈没修好", "en": "owner says it is not fixed"},
    "ticket_reopened": {
        "zh": "工单 {number} 已重新打开，已通知 {staff} 返修，有进展会通知您。",
        "en": "Ticket {number} is open again and {staff} has been asked to come back. You will hear when it moves.",
    },
}

_COMPLAINTS: dict[str, dict[str, str]] = {
    "complaint_ask_description": {
        "zh": "请具体说说发生了什么：时间、地点、涉及的人或事（可以附照片）。",
        "en": "Please tell me what happened: when, where, who or what it is about (photos welcome).",
    },
    "suggestion_ask_description": {
        "zh": "欢迎提建议！请具体说说您的想法。",
        "en": "Suggestions are welcome! What is your idea?",
    },
    "complaint_photo_attached": {"zh": "照片已附上。", "en": "Photo attached."},
    "complaint_target_none": {"zh": "未分类", "en": "unspecified"},
    "complaint_confirm": {
        "zh": "请确认投诉内容：\n类型：{target}\n内容：{description}",
        "en": "Please confirm your complaint:\nAbout: {target}\nDetails: {description}",
    },
    "suggestion_confirm": {
        "zh": "请确认您的建议：\n{description}",
        "en": "Please confirm your suggestion:\n{description}",
    },
    "complaint_staff_pending": {"zh": "物业经理", "en": "the property manager"},
    "complaint_created": {
        "zh": "投诉已受理，单号 {number}。由 {staff} 负责，预计 {due} 前给您答复。发送“进度”可随时查看。",
        "en": "Complaint received, ticket {number}. {staff} will handle it and reply by {due}. Send \"status\" any time.",
    },
    "suggestion_created": {
        "zh": "感谢您的建议！已记录，编号 {number}，物业会认真研究并反馈。",
        "en": "Thank you for the suggestion! It is recorded as {number}; the office will consider it and get back to you.",
    },
}

_HANDOFF: dict[str, dict[str, str]] = {
    "handoff_unbound": {
        "zh": "好的，为您转人工。您还没有绑定房屋，请直接致电物业服务中心，或先发送邀请码绑定房屋，我会把您的问题转给前台。",
        "en": "Sure. This chat is not linked to a home yet: please call the property office, or link your home with the invite code first so I can pass your question to the front desk.",
    },
    "handoff_already": {
        "zh": "您的人工服务请求（{number}）已在排队中，这条留言也已转给前台。前台服务时间 {hours}，电话 {phone}。",
        "en": "Your request for a person ({number}) is already queued; this message has been passed on too. Front desk hours {hours}, phone {phone}.",
    },
    "handoff_done": {
        "zh": "已为您转人工，单号 {number}，前台工作人员会尽快联系您。前台服务时间 {hours}，电话 {phone}。",
        "en": "A person will take over: ticket {number}; the front desk will contact you soon. Front desk hours {hours}, phone {phone}.",
    },
    "handoff_done_closed": {
        "zh": "已为您转人工，单号 {number}。现在是前台下班时间（服务时间 {hours}），上班后会第一时间联系您；紧急情况请拨打 {phone}。",
        "en": "A person will take over: ticket {number}. The front desk is closed now (hours {hours}) and will contact you when it opens; for emergencies call {phone}.",
    },
    "handoff_no_ticket": {
        "zh": "请直接联系物业前台：服务时间 {hours}，电话 {phone}。",
        "en": "Please contact the front desk directly: hours {hours}, phone {phone}.",
    },
    "handoff_ctx_text": {"zh": "业主留言：{text}", "en": "Owner wrote: {text}"},
    "handoff_ctx_recent": {"zh": "此前消息：{texts}", "en": "Earlier messages: {texts}"},
    "handoff_ctx_flow": {"zh": "转人工前正在办理：{flow}（{slots}）", "en": "Was in the middle of: {flow} ({slots})"},
    "handoff_ctx_tickets": {"zh": "处理中的工单：{numbers}", "en": "Open tickets: {numbers}"},
}

_PUSHES: dict[str, dict[str, str]] = {
    "push_ticket_assigned": {
        "zh": "您的工单 {number}（{what}）已派给 {staff}，预计 {due} 前处理。",
        "en": "Your ticket {number} ({what}) is assigned to {staff}, expected by {due}.",
    },
    "push_ticket_accepted": {
        "zh": "师傅已接单：{staff} 正在处理您的工单 {number}（{what}），请保持电话畅通。",
        "en": "Accepted: {staff} is on your ticket {number} ({what}). Please keep your phone at hand.",
    },
    "push_ticket_transferred": {
        "zh": "您的工单 {number} 已转交 {staff} 处理。",
        "en": "Your ticket {number} has been handed over to {staff}.",
    },
    "push_ticket_resolved": {
        "zh": "您的工单 {number}（{what}）已处理完成{note}。请为这次服务打分；如果没修好，请点“没修好”。",
        "en": "Your ticket {number} ({what}) is done{note}. Please rate the service; if it is not fixed, tap \"Not fixed\".",
    },
    "push_ticket_closed": {"zh": "您的工单 {number} 已关闭。", "en": "Your ticket {number} is closed."},
    "push_ticket_rated": {
        "zh": "您的工单 {number} 已评价并关闭，感谢您的反馈。",
        "en": "Your ticket {number} was rated and closed. Thank you for the feedback.",
    },
    "push_ticket_cancelled": {"zh": "您的工单 {number} 已撤销{note}。", "en": "Your ticket {number} was withdrawn{note}."},
    "push_ticket_reopened": {
        "zh": "您的工单 {number} 已重新打开，将尽快安排返修。",
        "en": "Your ticket {number} is open again; a return visit will be arranged soon.",
    },
    "push_ticket_escalated": {
        "zh": "您的工单 {number} 处理超时，已升级给物业经理跟进。",
        "en": "Your ticket {number} is late and has been escalated to the manager.",
    },
}

TEXTS: dict[str, dict[str, str]] = {**_LABELS, **_OWNER, **_COMPLAINTS, **_HANDOFF, **_PUSHES}

register(TEXTS)
