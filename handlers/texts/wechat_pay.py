"""Texts of real payments: orders refused, refunds told to owners, finance refusals."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "pay_not_enabled": {
        "zh": "{community}暂未开通在线缴费，请到物业前台缴费，或联系物业：{phone}。",
        "en": "Online payment is not available for {community} yet. Please pay at the front desk or call {phone}.",
    },
    "pay_gateway_down": {
        "zh": "支付平台暂时无法下单，请稍后再试。您的账单没有变化。",
        "en": "The payment platform cannot take the order right now. Please try again later; your bills are unchanged.",
    },
    "pay_expired": {
        "zh": "这笔订单（单号 {reference}）已过期，不能再支付。请在对话中重新发起缴费，会按最新账单生成新订单。",
        "en": "Order {reference} has expired and can no longer be paid. Please start the payment again in the chat for a new order.",
    },
    "pay_changed": {
        "zh": "这笔订单（单号 {reference}）对应的账单已经变化（已缴或金额调整），不能再按原金额支付。请在对话中重新发起缴费。",
        "en": "The bills of order {reference} have changed (paid or adjusted), so it can no longer be paid. Please start the payment again in the chat.",
    },
    "pay_closed": {
        "zh": "这笔订单（单号 {reference}）已关闭，不能再支付。请在对话中重新发起缴费。",
        "en": "Order {reference} is closed and can no longer be paid. Please start the payment again in the chat.",
    },
    "pay_already_paid": {
        "zh": "这笔订单（单号 {reference}）已支付成功，无需重复支付。",
        "en": "Order {reference} is already paid; nothing more to pay.",
    },
    "refund_done": {
        "zh": "退款成功：订单 {reference} 已退款 {amount}，将原路退回您的微信支付账户。原因：{reason}{bills}",
        "en": "Refund completed: {amount} of order {reference} is on its way back to your WeChat Pay account. Reason: {reason}{bills}",
    },
    "refund_reason_double_paid": {
        "zh": "账单此前已缴清，重复支付部分原路退回",
        "en": "those bills had already been paid; the double payment is returned",
    },
    "refund_bills_unpaid": {
        "zh": "\n以下账单恢复为未缴：{bills}",
        "en": "\nThese bills are unpaid again: {bills}",
    },
}

register(TEXTS)

register({
    "recon_summary": {
        "zh": "微信支付对账 {day}（商户 {merchant}）：{count} 项不符，其中 {settled} 笔已按微信到账补记。请在控制台或用 python -m bot report payments --date {day} 查看。",
        "en": "WeChat Pay reconciliation {day} (merchant {merchant}): {count} mismatches, {settled} settled from WeChat's bill. See the console or python -m bot report payments --date {day}.",
    },
})
