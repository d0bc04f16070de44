"""HTML of the checkout page: bot/static/pay.html with escaped fragments filled in.

Nothing here reads a request or the database. Every value is escaped with `html.escape`
(home labels and community names come from spreadsheets); the template is substituted
once, so a `$` inside a value is never read as a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import quote
from zoneinfo import ZoneInfo

from handlers.billing_rules import money
from handlers.checkout import PaymentView

LOCALE = "zh"  # the web chat page is Chinese only, and so is this one
# The page's own words; the order's (items, periods, amounts) come from handlers.texts.
PAGE = {
    "order": "订单支付",
    "receipt": "支付成功",
    "community": "小区", "home": "房屋", "reference": "订单号", "paid_at": "支付时间",
    "item": "费用", "period": "账期", "amount": "金额", "total": "合计",
    "status_pending": "待支付", "status_succeeded": "已支付", "status_failed": "未支付成功",
    "pay": "确认支付 {total}",
    "demo_hint": "演示环境：不会真实扣款，确认后账单即标记为已缴。",
    "provider_hint": "请在支付平台完成付款，到账后账单会自动更新。",
    "paid_note": "支付成功，收据已发送到您的聊天窗口。",
    "refund_note": "其中{amount}对应的账单此前已缴清，这部分将原路退回。",
    "failed_hint": "这笔订单未支付成功，请在聊天中重新发起缴费。",
    "back": "返回聊天",
    "missing_title": "订单不存在",
    "missing": "没有找到这笔订单，请在聊天中重新发起缴费。",
    "auth_title": "需要验证身份",
    "auth": "请先用物业发给您的专属链接打开聊天页面，再打开本链接；也可以在聊天中点“我已支付”。",
    "closed_title": "无法在此确认",
    "closed": "本订单请在支付平台完成付款，到账后账单会自动更新。",
    "invalid_title": "无法完成支付",
    "invalid": "订单信息已变化或已失效，请在聊天中重新发起缴费。",
    "too_large_title": "请求过大",
    "too_large": "请求内容过大，请返回聊天重试。",
}


@dataclass(frozen=True)
class ConfirmForm:
    """The confirm button's hidden fields: who is confirming (empty in demo mode)."""

    user: str = ""
    token: str = ""


def load_template(path: Path) -> Template:
    """pay.html as a `string.Template` ($title, $state, $content)."""
    return Template(path.read_text(encoding="utf-8"))


def render(template: Template, *, title: str, state: str, content: str) -> str:
    """The whole page; `content` is HTML already escaped by the functions below."""
    return template.substitute(title=escape(title), state=escape(state), content=content)


def notice(title: str, text: str) -> str:
    """A card with a heading and one sentence (errors, sign-in needed)."""
    return (
        f'<section class="card notice"><h1>{escape(title)}</h1><p>{escape(text)}</p></section>'
        + _back()
    )


def order(
    view: PaymentView, tz: ZoneInfo, *, just_paid: bool, confirm: ConfirmForm | None,
    checkout: str = "",
) -> str:
    """The order card, then what can be done next (confirm, pay, wait, or nothing).

    `checkout` is a real provider's block (already escaped HTML), e.g. WeChat Pay's QR code.
    """
    parts = [_card(view, tz)]
    if just_paid and view.paid:
        parts.append(f'<p class="success">{escape(PAGE["paid_note"])}</p>')
    if confirm is not None:
        parts.append(_confirm_form(view, confirm))
    elif checkout:
        parts.append(checkout)
    elif view.status == "pending":
        parts.append(_hint(PAGE["provider_hint"]))
    elif view.status == "failed":
        parts.append(_hint(PAGE["failed_hint"]))
    parts.append(_back())
    return "\n".join(parts)


def _card(view: PaymentView, tz: ZoneInfo) -> str:
    status = view.status if view.status in ("pending", "succeeded", "failed") else "failed"
    facts = [(PAGE["community"], view.community), (PAGE["home"], view.home),
             (PAGE["reference"], view.reference)]
    if view.paid_at is not None:
        facts.append((PAGE["paid_at"], view.paid_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")))
    rows = "".join(
        f"<tr><td>{escape(line.item)}</td><td>{escape(line.period)}</td>"
        f'<td class="num">{escape(money(line.amount, LOCALE))}</td></tr>'
        for line in view.lines
    )
    refund = ""
    if view.refunded:
        refund = _hint(PAGE["refund_note"].format(amount=money(view.refunded, LOCALE)))
    return (
        '<section class="card order">'
        f'<div class="status status-{status}" id="status">{escape(PAGE["status_" + status])}</div>'
        '<dl class="facts">'
        + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
        + "</dl>"
        '<table class="bills"><thead><tr>'
        f'<th>{escape(PAGE["item"])}</th><th>{escape(PAGE["period"])}</th>'
        f'<th class="num">{escape(PAGE["amount"])}</th></tr></thead>'
        f"<tbody>{rows}</tbody>"
        f'<tfoot><tr><th colspan="2">{escape(PAGE["total"])}</th>'
        f'<td class="num total" id="total">{escape(money(view.total, LOCALE))}</td></tr></tfoot>'
        "</table>" + refund + "</section>"
    )


def _confirm_form(view: PaymentView, confirm: ConfirmForm) -> str:
    # The amount the owner saw travels with the click: settling checks it against the order.
    hidden = {"amount": str(view.total), "user": confirm.user, "token": confirm.token}
    fields = "".join(
        f'<input type="hidden" name="{name}" value="{escape(value)}">'
        for name, value in hidden.items() if value
    )
    action = f"/pay/{quote(view.reference, safe='')}/confirm"
    label = PAGE["pay"].format(total=money(view.total, LOCALE))
    return (
        f'<form class="actions" id="confirm" method="post" action="{escape(action)}">{fields}'
        f'<button type="submit" class="primary">{escape(label)}</button>'
        f"{_hint(PAGE['demo_hint'])}</form>"
    )


def _hint(text: str) -> str:
    return f'<p class="hint">{escape(text)}</p>'


def _back() -> str:
    return f'<a class="back" href="/">{escape(PAGE["back"])}</a>'
