"""Texts staff see: ticket cards, pushes, and the replies to their actions."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "staff_card": {
        "zh": "单号：{number}\n类型：{what}\n位置：{where}\n紧急程度：{urgency}（{due} 前处理）\n描述：{description}\n业主：{owner}",
        "en": "Ticket: {number}\nType: {what}\nWhere: {where}\nUrgency: {urgency} (due {due})\nDetails: {description}\nOwner: {owner}",
    },
    "staff_push_new": {"zh": "【新工单】请及时接单处理。", "en": "[New ticket] Please accept and handle it."},
    "staff_push_emergency": {
        "zh": "【紧急工单】请立即处理并联系业主！",
        "en": "[EMERGENCY] Handle it now and call the owner!",
    },
    "staff_push_transferred": {
        "zh": "【转派工单】有同事将工单 {number} 转给您（{note}）。",
        "en": "[Transferred] Ticket {number} was handed to you ({note}).",
    },
    "staff_push_reopened": {
        "zh": "【返修】业主反馈工单 {number} 没修好：{note}",
        "en": "[Reopened] The owner says ticket {number} is not fixed: {note}",
    },
    "staff_push_urged": {
        "zh": "【业主催单】工单 {number} 业主在催，请尽快处理。",
        "en": "[Chased] The owner is chasing ticket {number}; please hurry.",
    },
    "staff_push_urged_manager": {
        "zh": "【多次催单/超时】工单 {number} 业主多次催促或已超时，请跟进。",
        "en": "[Chased again / late] Ticket {number} has been chased repeatedly or is late; please follow up.",
    },
    "staff_push_cancelled": {
        "zh": "【已撤销】业主已撤销工单 {number}，无需上门。",
        "en": "[Withdrawn] The owner withdrew ticket {number}; no visit needed.",
    },
    "staff_push_low_rating": {
        "zh": "【差评提醒】工单 {number} 业主评价：{note}，请回访。",
        "en": "[Low rating] Ticket {number} was rated {note}; please follow up with the owner.",
    },
    "btn_staff_accept": {"zh": "接单", "en": "Accept"},
    "btn_staff_transfer": {"zh": "转派", "en": "Transfer"},
    "btn_staff_done": {"zh": "完成", "en": "Done"},
    "staff_accepted": {
        "zh": "已接单 {number}，已通知业主。完成后请点“完成”或回复“完成 {number} 处理说明”。",
        "en": "Accepted {number}; the owner has been told. When finished, tap \"Done\" or reply \"done {number} what you did\".",
    },
    "staff_already_accepted": {"zh": "工单 {number} 您已接单。", "en": "You already accepted ticket {number}."},
    "staff_wrong_status": {
        "zh": "工单 {number} 当前状态为“{status}”，不能进行这个操作。",
        "en": "Ticket {number} is {status}; that action is not possible.",
    },
    "staff_not_yours": {
        "zh": "工单 {number} 已派给其他同事，如需处理请联系经理转派。",
        "en": "Ticket {number} belongs to a colleague; ask the manager to transfer it.",
    },
    "staff_other_company": {
        "zh": "无权操作：该工单不属于您所在的物业公司。",
        "en": "Not allowed: this ticket belongs to another property company.",
    },
    "staff_pick_colleague": {"zh": "请选择把工单 {number} 转派给：", "en": "Transfer ticket {number} to:"},
    "staff_no_colleague": {
        "zh": "目前没有可转派工单 {number} 的在岗同事，请联系经理。",
        "en": "No colleague on duty can take ticket {number}; please contact the manager.",
    },
    "staff_transfer_same": {"zh": "工单已经在 {name} 名下。", "en": "The ticket is already with {name}."},
    "staff_transferred": {
        "zh": "工单 {number} 已转派给 {name}，已通知对方和业主。",
        "en": "Ticket {number} was transferred to {name}; they and the owner have been told.",
    },
    "staff_done_ok": {
        "zh": "工单 {number} 已标记完成，已请业主评价。",
        "en": "Ticket {number} is marked done; the owner was asked to rate it.",
    },
    "staff_done_photos": {"zh": "（已附照片{n}张）", "en": " ({n} photo(s) attached)"},
    "staff_photo_kept": {
        "zh": "照片已收到。发送“完成 单号”时会附到该工单上。",
        "en": "Photo received. It will be attached when you send \"done TICKET\".",
    },
    "staff_ticket_not_found": {
        "zh": "没有找到工单 {number}，请核对单号。发送“我的工单”可查看待处理的工单。",
        "en": "No ticket {number} was found. Send \"my tickets\" to see your open ones.",
    },
    "staff_list_empty": {"zh": "您目前没有待处理的工单。", "en": "You have no open tickets."},
    "staff_list_head": {"zh": "待处理工单（{n}）：", "en": "Open tickets ({n}):"},
    "staff_list_line": {
        "zh": "· {number} {what}｜{status}｜{where}｜{due} 前",
        "en": "· {number} {what} | {status} | {where} | due {due}",
    },
    "role_manager": {"zh": "经理", "en": "manager"},
    "role_repair": {"zh": "维修", "en": "repairs"},
    "role_cleaning": {"zh": "保洁", "en": "cleaning"},
    "role_security": {"zh": "安保", "en": "security"},
    "role_finance": {"zh": "财务", "en": "finance"},
    "role_front_desk": {"zh": "前台", "en": "front desk"},
}

register(TEXTS)
