"""Texts of bills, payments, payment history and fee questions."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    "bill_item_property_fee": {"zh": "物业费", "en": "Property fee"},
    "bill_item_water": {"zh": "水费", "en": "Water"},
    "bill_item_electricity": {"zh": "电费", "en": "Electricity"},
    "bill_item_gas": {"zh": "燃气费", "en": "Gas"},
    "bill_item_heating": {"zh": "采暖费", "en": "Heating"},
    "bill_item_parking": {"zh": "停车费", "en": "Parking"},
    "bill_period_month": {"zh": "{year}年{month}月", "en": "{month_name} {year}"},
    "bill_period_year": {"zh": "{year}年", "en": "{year}"},
    "bill_date": {"zh": "{month}月{day}日", "en": "{month_name} {day}"},
    "bill_date_year": {"zh": "{year}年{month}月{day}日", "en": "{month_name} {day}, {year}"},
    "bill_amount": {"zh": "{amount}元", "en": "¥{amount}"},
    "bill_head": {"zh": "{home} 待缴费用：", "en": "Unpaid bills of {home}:"},
    "bill_line_overdue": {
        "zh": "· {item} {period}：{amount}（已逾期{days}天，滞纳金{fee}）",
        "en": "· {item}, {period}: {amount} (overdue {days} days, late fee so far {fee})",
    },
    "bill_line_due": {
        "zh": "· {item} {period}：{amount}（{due}前缴纳）",
        "en": "· {item}, {period}: {amount} (due {due})",
    },
    "bill_line_plain": {"zh": "· {item} {period}：{amount}", "en": "· {item}, {period}: {amount}"},
    "bill_total": {"zh": "合计：{total}", "en": "Total: {total}"},
    "bill_late_total": {
        "zh": "截至今天，逾期滞纳金合计{fee}（不含在上面的合计中，以物业财务核定为准）。",
        "en": "Late fees so far: {fee} (not in the total above; the finance office confirms the final amount).",
    },
    "bill_late_rule": {
        "zh": "滞纳金计算规则：逾期未缴金额 × 每日{rate} × 逾期天数，按分四舍五入（依据{basis}）。",
        "en": "Late fee rule: unpaid amount × {rate} per day × days overdue, rounded to the fen (per {basis}).",
    },
    "bill_basis_default": {"zh": "物业服务合同约定", "en": "the property service contract"},
    "bill_source": {
        "zh": "（来源：{company}收费系统，数据截至{date}）",
        "en": "(Source: {company} billing records, as of {date})",
    },
    "bill_none": {
        "zh": "{home} 目前没有待缴费用，感谢您按时缴费！",
        "en": "{home} has nothing to pay right now. Thank you for paying on time!",
    },
    "bill_none_filtered": {
        "zh": "{home} 没有待缴的{what}。",
        "en": "{home} has nothing unpaid for {what}.",
    },
    "bill_next": {
        "zh": "最近一笔待缴：{item} {period} {amount}，{due}前缴纳。",
        "en": "Next bill to pay: {item}, {period}, {amount}, due {due}.",
    },
    "bill_paid_line": {
        "zh": "· {item} {period}：{amount}，已于{paid_on}缴清",
        "en": "· {item}, {period}: {amount}, paid on {paid_on}",
    },
    "bill_next_overdue": {
        "zh": "最近一笔待缴：{item} {period} {amount}，已逾期{days}天。",
        "en": "Oldest unpaid bill: {item}, {period}, {amount}, overdue {days} days.",
    },
    "bill_what_all": {"zh": "费用", "en": "bills"},
    "bill_btn_pay": {"zh": "去缴费", "en": "Pay now"},
    "bill_btn_history": {"zh": "缴费记录", "en": "Payment history"},
    "pay_nothing": {
        "zh": "{home} 目前没有需要缴纳的{what}。",
        "en": "{home} has no {what} to pay right now.",
    },
    "pay_confirm": {
        "zh": "将为 {home} 缴纳以下费用：\n{lines}\n合计：{total}\n请确认支付。",
        "en": "You are about to pay for {home}:\n{lines}\nTotal: {total}\nPlease confirm.",
    },
    "pay_late_note": {
        "zh": "（逾期滞纳金不在线上收取，以物业财务核定为准。）",
        "en": "(Late fees are not collected online; the finance office confirms them.)",
    },
    "pay_btn_confirm": {"zh": "确认支付 {total}", "en": "Pay {total}"},
    "pay_btn_cancel": {"zh": "取消", "en": "Cancel"},
    "pay_btn_done": {"zh": "我已支付", "en": "I have paid"},
    "pay_link": {
        "zh": "订单已生成（单号 {reference}，金额 {total}），请点击链接完成支付：\n{url}\n支付完成后点“我已支付”。",
        "en": "Order created (no. {reference}, {total}). Please pay here:\n{url}\nThen tap \"I have paid\".",
    },
    "pay_receipt": {
        "zh": "缴费成功！\n单号：{reference}\n房屋：{home}\n{lines}\n合计：{total}\n支付时间：{time}",
        "en": "Payment received!\nNo.: {reference}\nHome: {home}\n{lines}\nTotal: {total}\nPaid at: {time}",
    },
    "pay_refund_note": {
        "zh": "其中{amount}对应的账单此前已缴清，这部分将原路退回，请留意到账。",
        "en": "{amount} of it was for bills already paid before; that part will be refunded to you.",
    },
    "pay_pending": {
        "zh": "还没有收到支付平台的到账确认（单号 {reference}）。如已付款请稍候，到账后账单会自动更新。",
        "en": "The payment platform has not confirmed order {reference} yet. If you have paid, please wait a moment; your bills update once it arrives.",
    },
    "pay_failed_status": {
        "zh": "这笔订单（单号 {reference}）未支付成功，请重新发起缴费。",
        "en": "Order {reference} was not paid. Please start the payment again.",
    },
    "pay_claim_none": {
        "zh": "您目前没有待支付的订单，不需要再确认付款。想看看还有没有欠费，可以点“查账单”。",
        "en": "You have no payment waiting for confirmation. Tap \"My bills\" to see whether anything is still owed.",
    },
    "pay_claim_pending": {
        "zh": "您有一笔待支付的订单（单号 {reference}，金额 {total}）。如已付款，请点“我已支付”确认。",
        "en": "You have an order waiting for payment (no. {reference}, {total}). If you have paid it, tap \"I have paid\".",
    },
    "pay_claim_btn_bills": {"zh": "查账单", "en": "My bills"},
    "pay_description": {"zh": "{community} {home} 物业缴费", "en": "{community} {home} property payment"},
    "hist_head": {"zh": "{home} 的缴费记录{what}，最近的在前：", "en": "Payments of {home}{what}, newest first:"},
    "hist_what_period": {"zh": "（{period}）", "en": " ({period})"},
    "hist_line": {"zh": "· {paid_on} {item} {period}：{amount}", "en": "· {paid_on} {item}, {period}: {amount}"},
    "hist_more": {"zh": "……另有{count}条更早的记录", "en": "… and {count} earlier ones"},
    "hist_total": {"zh": "合计：{total}（共{count}笔）", "en": "Total: {total} ({count} bills)"},
    "hist_none": {"zh": "{home}{what}暂无缴费记录。", "en": "No payments found for {home}{what}."},
    "hist_unpaid_note": {
        "zh": "另有{count}笔{what}还没有缴纳，合计{total}。",
        "en": "{count} {what} bill(s) still unpaid: {total}.",
    },
    "hist_none_unpaid": {
        "zh": "{home} 的{what}还没有缴纳，待缴合计{total}。",
        "en": "{home}'s {what} is not paid yet: {total} to pay.",
    },
    "fee_explain": {
        "zh": "物业费按建筑面积计收：{area}㎡ × {price}元/㎡·月 = {monthly}/月（依据《{contract}》，合同期{start}至{end}）。",
        "en": "The property fee is charged by floor area: {area} m² × ¥{price} per m² per month = {monthly} a month (per \"{contract}\", {start} to {end}).",
    },
    "fee_no_contract": {
        "zh": "物业费按建筑面积 × 合同约定单价计收，您家建筑面积{area}㎡；目前系统里没有小区的物业服务合同，单价请以物业公示为准。",
        "en": "The property fee is floor area × the unit price in the service contract; your home has {area} m². The contract is not on record here, so please see the office's posted price.",
    },
    "fee_bill_differs": {
        "zh": "注意：您{period}的物业费账单为{billed}，与按合同计算的{monthly}不一致，建议提交财务核实。",
        "en": "Note: your property fee bill for {period} is {billed}, not the {monthly} the contract gives; we suggest asking finance to check.",
    },
    "fee_late_now": {
        "zh": "您目前逾期账单的滞纳金合计{fee}。",
        "en": "Your overdue bills carry {fee} in late fees so far.",
    },
    "fee_offer": {
        "zh": "如对收费仍有疑问，我可以帮您提交给财务核实，要提交吗？",
        "en": "If you still have doubts about a charge, I can pass it to the finance office to check. Shall I?",
    },
    "fee_btn_ticket": {"zh": "提交财务核实", "en": "Ask finance to check"},
    "fee_btn_no": {"zh": "不用了", "en": "No, thanks"},
    "fee_ticket_created": {
        "zh": "已提交给财务核实，工单号 {number}，处理进展会通知您。",
        "en": "Passed to the finance office, ticket {number}. We'll keep you posted.",
    },
    "fee_ticket_default": {"zh": "业主对收费有疑问，请财务核实并联系业主。", "en": "The owner questions a charge; please check and contact them."},
}

register(TEXTS)
