"""Texts of supervision (issue 13): escalation to the regulator, cases, rectification pushes."""

from handlers.texts import register

_ESCALATION: dict[str, dict[str, str]] = {
    "sup_ask_description": {
        "zh": "可以把您的投诉转给{follower}督办。请先简单说说要投诉物业什么事（例如：楼道堆物一个月没人清理）。",
        "en": "Your complaint can go to {follower} for supervision. First, please tell me briefly what the complaint is about.",
    },
    "sup_ask_consent": {
        "zh": "转给{follower}督办需要把您的姓名、电话、房号和投诉内容（{what}）提供给{follower}，只用于处理这件事。同意转交吗？",
        "en": "For {follower} to follow it, your name, phone, home and the complaint ({what}) will be shared with them, for this case only. Do you agree?",
    },
    "sup_btn_agree": {"zh": "同意转交", "en": "I agree"},
    "sup_btn_decline": {"zh": "不用了", "en": "No, thanks"},
    "sup_declined": {
        "zh": "好的，没有转交，您的信息不会提供给监管部门。投诉仍由物业处理，有进展会通知您。",
        "en": "All right, nothing was shared. The property office keeps handling the complaint and you will hear of progress.",
    },
    "sup_escalated": {
        "zh": "已转交{follower}督办（督办编号 D{case}），投诉 {number} 由{follower}跟进，物业须按要求整改，每一步都会通知您。",
        "en": "Sent to {follower} for supervision (case D{case}). {follower} now follows complaint {number}; you will hear of every step.",
    },
    "sup_already": {
        "zh": "您的投诉 {number} 已由{follower}督办（督办编号 D{case}），有进展会通知您。",
        "en": "Your complaint {number} is already supervised by {follower} (case D{case}); you will hear of progress.",
    },
    "sup_again": {
        "zh": "请回复“同意”把投诉转给{follower}督办，或回复“不用了”。",
        "en": "Reply \"agree\" to send the complaint to {follower}, or \"no\".",
    },
    "sup_ticket_description": {"zh": "业主向监管部门投诉：{text}", "en": "Complaint to the regulator: {text}"},
    "sup_follower_street": {"zh": "{district}{street}办事处", "en": "the {district}{street} office"},
    "sup_follower_district": {"zh": "{district}住房和城乡建设委员会", "en": "the {district} housing commission"},
    "sup_follower_unknown": {"zh": "属地街道和住建部门", "en": "the local street office and housing authority"},
}

_PUSHES: dict[str, dict[str, str]] = {
    "sup_push_owner_opened": {
        "zh": "【督办】您的投诉 {number} 超过{days}个工作日仍未解决，已转由{follower}督办（督办编号 D{case}），有进展会通知您。",
        "en": "[Supervision] Your complaint {number} was not resolved within {days} working days; {follower} now follows it (case D{case}).",
    },
    "sup_push_manager_opened": {
        "zh": "【督办】投诉 {number}（{community}）已列为{follower}督办件 D{case}，请尽快处理并回复业主。",
        "en": "[Supervision] Complaint {number} ({community}) is now case D{case}, followed by {follower}. Please resolve it soon.",
    },
    "sup_push_manager_issued": {
        "zh": "【整改通知 Z{notice}】{issuer}：{text}\n整改期限：{deadline}。完成后请发整改照片，再回复“整改 Z{notice} 已完成的情况”。",
        "en": "[Rectification Z{notice}] {issuer}: {text}\nDeadline: {deadline}. When done, send photos, then reply \"整改 Z{notice} what you did\".",
    },
    "sup_push_manager_returned": {
        "zh": "【整改退回 Z{notice}】{issuer}认为整改不到位：{note}\n请在{deadline}前重新整改并回复。",
        "en": "[Rectification Z{notice} returned] {issuer}: {note}\nPlease redo it and answer before {deadline}.",
    },
    "sup_push_manager_accepted": {
        "zh": "【整改通过 Z{notice}】{issuer}已验收通过。",
        "en": "[Rectification Z{notice} accepted] {issuer} accepted it.",
    },
    "sup_push_manager_overdue": {
        "zh": "【整改逾期 Z{notice}】整改期限{deadline}已过仍未回复，已记入企业信用档案。请尽快整改并回复。",
        "en": "[Rectification Z{notice} overdue] The deadline {deadline} passed without an answer; it is on the company's credit file.",
    },
    "sup_push_owner_issued": {
        "zh": "【督办进展】{follower}已就您的投诉 {number} 向物业下发整改通知，整改期限 {deadline}。",
        "en": "[Case update] {follower} ordered the company to rectify your complaint {number} by {deadline}.",
    },
    "sup_push_owner_answered": {
        "zh": "【督办进展】物业已提交投诉 {number} 的整改情况：{answer}\n{follower}正在审核。",
        "en": "[Case update] The company reported on complaint {number}: {answer}\n{follower} is reviewing it.",
    },
    "sup_push_owner_accepted": {
        "zh": "【督办进展】{follower}已验收投诉 {number} 的整改，督办结束。感谢您的监督。",
        "en": "[Case update] {follower} accepted the rectification of complaint {number}; the case is closed. Thank you.",
    },
    "sup_push_owner_returned": {
        "zh": "【督办进展】{follower}认为投诉 {number} 整改不到位，已退回物业重新整改（期限 {deadline}）。",
        "en": "[Case update] {follower} found the rectification of {number} insufficient and sent it back (deadline {deadline}).",
    },
    "sup_push_owner_overdue": {
        "zh": "【督办进展】物业未在期限内完成投诉 {number} 的整改，{follower}已记入其信用档案并继续督办。",
        "en": "[Case update] The company missed the deadline for complaint {number}; {follower} recorded it and keeps following.",
    },
}

_STAFF: dict[str, dict[str, str]] = {
    "sup_answer_usage": {
        "zh": "请这样回复整改情况：整改 Z12 已清理消防通道并更换灭火器（先发照片，再发这句话）。",
        "en": "Answer like this: 整改 Z12 cleared the fire passage (send the photos first).",
    },
    "sup_answered": {
        "zh": "整改通知 Z{notice} 的整改情况已提交（照片 {photos} 张），等待监管部门验收。",
        "en": "Your answer to Z{notice} was sent ({photos} photos) for the regulator to review.",
    },
    "sup_answer_not_open": {
        "zh": "整改通知 Z{notice} 当前状态为“{status}”，不能再提交整改情况。",
        "en": "Rectification Z{notice} is {status}; it takes no answer now.",
    },
    "sup_status_issued": {"zh": "已下发", "en": "issued"},
    "sup_status_answered": {"zh": "已回复", "en": "answered"},
    "sup_status_accepted": {"zh": "已通过", "en": "accepted"},
    "sup_status_returned": {"zh": "已退回", "en": "returned"},
    "sup_status_overdue": {"zh": "已逾期", "en": "overdue"},
    "supervision_case_not_found": {"zh": "没有找到督办件 D{case}。", "en": "Case D{case} was not found."},
    "supervision_rectification_not_found": {
        "zh": "没有找到整改通知 Z{notice}。", "en": "Rectification Z{notice} was not found.",
    },
    "supervision_company_not_found": {"zh": "没有找到物业公司“{company}”。", "en": "Company {company} not found."},
    "supervision_bad_month": {"zh": "月份应写成 YYYY-MM，例如 2026-11（收到：{month}）。", "en": "Month must be YYYY-MM, e.g. 2026-11 (got {month})."},
    "supervision_bad_half": {"zh": "半年应写成 YYYY-H1 或 YYYY-H2（收到：{half}）。", "en": "Half-year must be YYYY-H1 or YYYY-H2 (got {half})."},
    "supervision_bad_deadline": {"zh": "整改期限应是今天以后的日期（收到：{deadline}）。", "en": "The deadline must be a date after today (got {deadline})."},
    "supervision_empty_text": {"zh": "内容不能为空。", "en": "The text cannot be empty."},
    "supervision_bad_transition": {
        "zh": "整改通知 Z{notice} 当前状态为“{status}”，不能{action}。",
        "en": "Rectification Z{notice} is {status}: cannot {action}.",
    },
}

_POLICY: dict[str, dict[str, str]] = {
    "sup_policy_push": {
        "zh": "【政策解读】《{title}》\n{issuer} {date}\n{summary}",
        "en": "[Policy] {title}\n{issuer}, {date}\n{summary}",
    },
}

_CREDIT: dict[str, dict[str, str]] = {
    "sup_push_certificate": {
        "zh": "【证书到期提醒】{holder}的{kind}证书（{number}）将于 {expires} 到期（还有{days}天），请及时复审或换证。",
        "en": "[Certificate] {holder}'s {kind} certificate ({number}) expires on {expires} ({days} days left).",
    },
    "sup_record_case": {"zh": "投诉 {number} 超期未解决或业主向监管部门投诉，列为督办件 D{case}", "en": "Case D{case} on complaint {number}"},
    "sup_record_overdue": {"zh": "整改通知 Z{notice} 逾期未整改（期限 {deadline}）", "en": "Rectification Z{notice} overdue"},
    "sup_record_accepted": {"zh": "整改通知 Z{notice} 按期整改到位", "en": "Rectification Z{notice} done in time"},
    "supervision_community_not_found": {"zh": "没有找到小区“{community}”。", "en": "Community {community} not found."},
}

_CONSULT: dict[str, dict[str, str]] = {
    "sup_consultation_push": {
        "zh": "【征求意见 Q{id}】{question}\n{choices}\n{closes} 截止。点按钮选择，或回复“意见 Q{id} 选项号 您的意见”，截止前可以修改。",
        "en": "[Consultation Q{id}] {question}\n{choices}\nCloses {closes}. Tap a choice, or reply \"意见 Q{id} NUMBER your comment\"; you may change it until then.",
    },
    "sup_consultation_thanks": {"zh": "已记录您对 Q{id} 的意见：{choice}。截止前可以修改。", "en": "Recorded your answer to Q{id}: {choice}. You may change it until it closes."},
    "sup_consultation_changed": {"zh": "已修改您对 Q{id} 的意见：{choice}。", "en": "Changed your answer to Q{id}: {choice}."},
    "sup_consultation_not_found": {"zh": "没有找到征求意见 Q{id}。", "en": "Consultation Q{id} was not found."},
    "sup_consultation_closed": {"zh": "征求意见 Q{id} 已截止，不能再提交或修改。", "en": "Consultation Q{id} is closed."},
    "sup_consultation_bad_choice": {"zh": "Q{id} 没有这个选项，请回复选项前的数字。", "en": "Q{id} has no such choice; reply with its number."},
    "sup_consultation_bad": {"zh": "征求意见需要问题和至少两个选项。", "en": "A consultation needs a question and at least two choices."},
}

_CLI: dict[str, dict[str, str]] = {
    "cli_regulator_bad": {"zh": "参数有误：{reason}", "en": "Bad argument: {reason}"},
    "cli_regulator_added": {
        "zh": "已添加监管账号 {id}：{name}（{scope}，{phone}），辖区内小区 {communities} 个。设置控制台密码：python -m bot console password 手机号",
        "en": "Regulator {id} added: {name} ({scope}, {phone}), {communities} communities in scope. Set its console password with: python -m bot console password PHONE",
    },
    "cli_regulator_updated": {
        "zh": "已更新监管账号 {id}：{name}（{scope}，{phone}），辖区内小区 {communities} 个。",
        "en": "Regulator {id} updated: {name} ({scope}, {phone}), {communities} communities in scope.",
    },
}

TEXTS: dict[str, dict[str, str]] = {**_ESCALATION, **_PUSHES, **_STAFF, **_POLICY, **_CREDIT, **_CONSULT, **_CLI}

register(TEXTS)
