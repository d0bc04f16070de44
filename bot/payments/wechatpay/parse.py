"""WeChat Pay v3 answers → the port's data types (handlers.payment_gateway)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers.payment_gateway import BillLine, RefundState, TradeState


def trade_state(data: dict[str, Any]) -> TradeState:
    """A transaction (query answer or decrypted TRANSACTION.SUCCESS resource), either mode."""
    amount = data.get("amount") if isinstance(data.get("amount"), dict) else {}
    total = amount.get("total")
    return TradeState(
        reference=str(data.get("out_trade_no") or ""),
        state=str(data.get("trade_state") or ""),
        transaction_id=str(data.get("transaction_id") or ""),
        total_fen=total if isinstance(total, int) and not isinstance(total, bool) else None,
        currency=str(amount.get("currency") or ""),
        mch_id=str(data.get("sp_mchid") or data.get("mchid") or ""),
        sub_mchid=str(data.get("sub_mchid") or ""),
        app_id=str(data.get("sp_appid") or data.get("appid") or ""),
        success_time=_time(data.get("success_time")),
    )


def refund_state(data: dict[str, Any]) -> RefundState:
    """A refund (create/query answer, or a decrypted REFUND.* resource)."""
    amount = data.get("amount") if isinstance(data.get("amount"), dict) else {}
    refund = amount.get("refund")
    return RefundState(
        out_refund_no=str(data.get("out_refund_no") or ""),
        status=str(data.get("status") or data.get("refund_status") or ""),
        refund_id=str(data.get("refund_id") or ""),
        reference=str(data.get("out_trade_no") or ""),
        refund_fen=refund if isinstance(refund, int) and not isinstance(refund, bool) else None,
        mch_id=str(data.get("sp_mchid") or data.get("mchid") or ""),
        sub_mchid=str(data.get("sub_mchid") or ""),
        success_time=_time(data.get("success_time")),
    )


def trade_bill(text: str) -> list[BillLine]:
    """The lines of a trade bill (bill_type ALL): a header, rows of `\\``-prefixed fields, then
    a summary starting at 总交易单数. Amounts are yuan strings."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    lines = []
    for row in rows[1:]:
        if not row or row[0].strip().startswith("总交易单数"):
            break
        record = dict(zip(header, (cell.strip().lstrip("`") for cell in row), strict=False))
        lines.append(_bill_line(record))
    return lines


def _bill_line(r: dict[str, str]) -> BillLine:
    sub = r.get("特约商户号", "")
    merchant = sub if sub and sub != "0" else r.get("商户号", "")
    common = {"reference": r.get("商户订单号", ""), "transaction_id": r.get("微信订单号", ""),
              "merchant": merchant, "time": r.get("交易时间", "")}
    if r.get("交易状态") == "REFUND":
        return BillLine(kind="refund", amount=_yuan(r.get("退款金额") or r.get("申请退款金额")),
                        state=r.get("退款状态", ""), out_refund_no=r.get("商户退款单号", ""),
                        refund_id=r.get("微信退款单号", ""), **common)
    return BillLine(kind="payment", amount=_yuan(r.get("订单金额") or r.get("应结订单金额")),
                    state=r.get("交易状态", ""), **common)


def _yuan(text: str | None) -> Decimal:
    try:
        return Decimal(text or "0").quantize(Decimal("0.01"))
    except InvalidOperation:
        return Decimal("0.00")


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None
