"""WeChat Pay as the product's payment provider (handlers.payment_gateway.PaymentGateway).

Direct mode: this merchant is one company's own. Service-provider mode (服务商): calls go
to the partner endpoints as the provider, each order for the company's `sub_mchid`, so no
two companies' fees ever meet in one merchant account.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from bot.payments.wechatpay import crypto, parse
from bot.payments.wechatpay.client import WechatPayClient
from handlers.payment_gateway import (
    BillLine,
    Checkout,
    GatewayError,
    OrderRequest,
    RefundState,
    TradeState,
)

log = logging.getLogger(__name__)
_PATHS = {"JSAPI": "jsapi", "NATIVE": "native", "H5": "h5"}


@dataclass
class WechatPayProvider:
    """The provider object put in Deps.payments when `wechat_pay.mch_id` is set."""

    client: WechatPayClient
    app_id: str
    api_v3_key: bytes
    notify_url: str
    sub_mch_mode: bool
    company: str
    order_minutes: int
    link: Callable[[str], str]  # reference → the signed pay page URL
    name: str = "wechatpay"

    @property
    def mch_id(self) -> str:
        """Our merchant number (the service provider's in its mode)."""
        return self.client.mch_id

    def create_checkout(self, reference: str, amount: Decimal, description: str) -> str:
        """The pay page of the order; the page asks WeChat for the trade type that fits."""
        return self.link(reference)

    def prepay(self, order: OrderRequest) -> Checkout:
        """Place the order with WeChat: prepay_id (JSAPI), code_url (Native) or h5_url (H5)."""
        body: dict[str, Any] = {
            **self._ids(order.merchant), "description": order.description[:127],
            "out_trade_no": order.reference, "notify_url": self.notify_url,
            "time_expire": order.expires_at.isoformat(timespec="seconds"),
            "amount": {"total": order.amount_fen, "currency": "CNY"},
        }
        if order.trade_type == "JSAPI":
            body["payer"] = {"sp_openid" if self.sub_mch_mode else "openid": order.openid}
        if order.trade_type == "H5":
            body["scene_info"] = {"payer_client_ip": order.client_ip or "127.0.0.1",
                                  "h5_info": {"type": "Wap"}}
        answer = self.client.call("POST", self._base() + _PATHS[order.trade_type], body)
        key = {"JSAPI": "prepay_id", "NATIVE": "code_url", "H5": "h5_url"}[order.trade_type]
        if not answer.get(key):
            raise GatewayError("BAD_ANSWER", f"no {key} in the answer")
        return Checkout(order.trade_type, {key: str(answer[key])})

    def jsapi_params(self, prepay_id: str, timestamp: int) -> dict[str, str]:
        """The signed parameters for WeixinJSBridge getBrandWCPayRequest."""
        return crypto.pay_sign(self.client.private_key, self.app_id, prepay_id, timestamp,
                               crypto.nonce())

    def query_order(self, reference: str, merchant: str) -> TradeState | None:
        """WeChat's state of an order; None when WeChat has never seen it."""
        path = self._base() + "out-trade-no/" + quote(reference, safe="")
        query = ({"sp_mchid": self.mch_id, "sub_mchid": merchant} if self.sub_mch_mode
                 else {"mchid": self.mch_id})
        try:
            return parse.trade_state(self.client.call("GET", path, query=query))
        except GatewayError as err:
            if err.code == "ORDER_NOT_EXIST" or err.status == 404:
                return None
            raise

    def close_order(self, reference: str, merchant: str) -> None:
        """Close an unpaid order (GatewayError `ORDERPAID` when it was paid meanwhile)."""
        path = self._base() + "out-trade-no/" + quote(reference, safe="") + "/close"
        body = ({"sp_mchid": self.mch_id, "sub_mchid": merchant} if self.sub_mch_mode
                else {"mchid": self.mch_id})
        self.client.call("POST", path, body)

    def refund(self, reference: str, out_refund_no: str, refund_fen: int, total_fen: int,
               reason: str, merchant: str) -> RefundState:
        """Ask for a refund; a retry with the same out_refund_no is the same refund at WeChat."""
        body: dict[str, Any] = {
            "out_trade_no": reference, "out_refund_no": out_refund_no, "reason": reason[:80],
            "notify_url": self.notify_url,
            "amount": {"refund": refund_fen, "total": total_fen, "currency": "CNY"},
        }
        if self.sub_mch_mode:
            body["sub_mchid"] = merchant
        return parse.refund_state(self.client.call("POST", "/v3/refund/domestic/refunds", body))

    def query_refund(self, out_refund_no: str, merchant: str) -> RefundState | None:
        """WeChat's state of a refund; None when it has never seen it."""
        query = {"sub_mchid": merchant} if self.sub_mch_mode else None
        try:
            answer = self.client.call(
                "GET", "/v3/refund/domestic/refunds/" + quote(out_refund_no, safe=""), query=query)
        except GatewayError as err:
            if err.code in ("RESOURCE_NOT_EXISTS", "ORDER_NOT_EXIST") or err.status == 404:
                return None
            raise
        return parse.refund_state(answer)

    def trade_bill(self, day: date, merchant: str) -> list[BillLine]:
        """The trade bill of `day` (all trades), downloaded and checked against its digest."""
        query = {"bill_date": day.isoformat(), "bill_type": "ALL"}
        if self.sub_mch_mode:
            query["sub_mchid"] = merchant
        try:
            answer = self.client.call("GET", "/v3/bill/tradebill", query=query)
        except GatewayError as err:
            if err.code == "NO_STATEMENT_EXIST":
                return []  # no trade that day
            raise
        if str(answer.get("hash_type", "")).upper() != "SHA1" or not answer.get("download_url"):
            raise GatewayError("BAD_ANSWER", "trade bill answer without SHA1 digest or URL")
        raw = self.client.download(str(answer["download_url"]), str(answer.get("hash_value", "")))
        return parse.trade_bill(raw.decode("utf-8-sig"))

    def _base(self) -> str:
        return "/v3/pay/partner/transactions/" if self.sub_mch_mode else "/v3/pay/transactions/"

    def _ids(self, merchant: str) -> dict[str, str]:
        if self.sub_mch_mode:
            return {"sp_appid": self.app_id, "sp_mchid": self.mch_id, "sub_mchid": merchant}
        return {"appid": self.app_id, "mchid": self.mch_id}
